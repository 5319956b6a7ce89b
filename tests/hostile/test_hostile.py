"""Hostile file references: `extends:`, a scenario's `extends:` and a case-test file's
`pathway:` cannot reach a file outside the library roots, and each hostile case is refused
with a clear `DefinitionError` in well under a second.

The one function that opens pathway files (`yaml_reader._read_regular`) is wrapped, so each
test also proves which files were opened: never one outside the roots.
"""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import pathways.definition.yaml_reader as yaml_reader
from pathways import DefinitionError, Library
from pathways.casetests import load_cases
from pathways.cli import main
from pathways.simulation import load_scenario

SECRET = "hunter2-do-not-echo"

AREA = """\
id: {id}
title: An area
area: Testshire
version: "1"
extends: {extends}
entry: start
roles:
  responder:
    title: First responder
agencies:
  police:
    name: Testshire Police
    roles: [responder]
stages:
  start:
    title: Concern raised
    owner: responder
    kind: identification
  done:
    title: Supported
    owner: responder
    kind: outcome
    outcome: supported
handoffs:
  finish:
    from: start
    to: done
    by: [responder]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A YAML file outside every library, holding something that must never be echoed."""
    return write(tmp_path / "outside" / "secret.yaml", f"password: {SECRET}\nid: {SECRET}\n")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    (tmp_path / "lib").mkdir()
    return tmp_path / "lib"


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every file the YAML reader opens, resolved."""
    files: list[Path] = []
    real: Callable[..., bytes] = yaml_reader._read_regular

    def recording(path: Path, *args: Any) -> bytes:
        files.append(Path(path).resolve())
        return real(path, *args)

    monkeypatch.setattr(yaml_reader, "_read_regular", recording)
    monkeypatch.delenv("PATHWAYS_PATH", raising=False)
    return files


def refused(load: Callable[[], object]) -> DefinitionError:
    """Run `load`, which must raise `DefinitionError` within a second."""
    start = time.perf_counter()
    with pytest.raises(DefinitionError) as info:
        load()
    assert time.perf_counter() - start < 1.0
    assert SECRET not in str(info.value)
    return info.value


def assert_inside(opened: list[Path], root: Path) -> None:
    assert opened, "the file named should at least have been read"
    for file in opened:
        assert file.is_relative_to(root.resolve()), file


@pytest.mark.parametrize(
    ("extends", "code"),
    [
        ("/etc/passwd", "bad-extends"),
        ("{outside}", "bad-extends"),
        ("../outside/secret", "bad-extends"),
        ("./self", "bad-extends"),
        ("area/../../outside/secret", "bad-extends"),
        ("area", "extends-cycle"),
    ],
)
def test_extends_that_is_not_an_id_or_is_itself(
    library: Path, outside: Path, opened: list[Path], extends: str, code: str
) -> None:
    target = extends.format(outside=outside.with_suffix(""))
    file = write(library / "area.yaml", AREA.format(id="area", extends=target))
    error = refused(lambda: Library().load(file))
    assert error.codes == (code,)
    assert_inside(opened, library)


def test_a_symlink_out_of_the_library_is_not_read(
    library: Path, outside: Path, opened: list[Path]
) -> None:
    (library / "base").mkdir()
    (library / "base" / "secret.yaml").symlink_to(outside)
    file = write(library / "area.yaml", AREA.format(id="area", extends="base/secret"))
    error = refused(lambda: Library().load(file))
    assert error.codes == ("base-outside-library",)
    assert_inside(opened, library)


def test_a_symlinked_folder_out_of_the_library_is_not_read(
    library: Path, outside: Path, opened: list[Path]
) -> None:
    (library / "base").symlink_to(outside.parent, target_is_directory=True)
    file = write(library / "area.yaml", AREA.format(id="area", extends="base/secret"))
    error = refused(lambda: Library().load(file))
    assert error.codes == ("base-outside-library",)
    assert_inside(opened, library)


def test_ids_that_do_not_match_their_files_cannot_loop(library: Path, opened: list[Path]) -> None:
    """a.yaml says it is `b` and extends `a`: itself, found by its resolved path."""
    file = write(library / "a.yaml", AREA.format(id="b", extends="a"))
    error = refused(lambda: Library().load(file))
    assert "extends-cycle" in error.codes
    assert opened.count(file.resolve()) == 1


def test_two_files_extending_each_other_loop(library: Path, opened: list[Path]) -> None:
    first = write(library / "a.yaml", AREA.format(id="a", extends="b"))
    second = write(library / "b.yaml", AREA.format(id="b", extends="a"))
    loader = Library()
    assert refused(lambda: loader.load(first)).codes == ("base-invalid",)
    assert refused(lambda: loader.load(second)).codes == ("extends-cycle",)
    assert sorted(opened) == [first.resolve(), second.resolve()]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_named_yaml_does_not_hang(library: Path, opened: list[Path]) -> None:
    fifo = library / "pipe.yaml"
    os.mkfifo(fifo)
    error = refused(lambda: Library().load(fifo))
    assert error.codes == ("not-a-file",)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_fifo_as_a_base_is_not_a_base(library: Path, opened: list[Path]) -> None:
    os.mkfifo(library / "base.yaml")
    file = write(library / "area.yaml", AREA.format(id="area", extends="base"))
    error = refused(lambda: Library().load(file))
    assert error.codes == ("unknown-base",)
    assert opened == [file.resolve()]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_validating_a_folder_with_a_fifo_reports_it_and_goes_on(
    library: Path, opened: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    os.mkfifo(library / "pipe.yaml")
    write(
        library / "base.yaml", AREA.format(id="base", extends="base").replace("extends: base\n", "")
    )
    start = time.perf_counter()
    assert main(["validate", str(library)]) == 1
    assert time.perf_counter() - start < 1.0
    out = capsys.readouterr().out
    assert "error[not-a-file]" in out
    assert "ok  " in out


def test_a_folder_named_yaml_is_not_a_file(library: Path, opened: list[Path]) -> None:
    (library / "folder.yaml").mkdir()
    error = refused(lambda: Library().load(library / "folder.yaml"))
    assert error.codes == ("not-a-file",)


def test_a_chain_of_ten_thousand_files_stops_at_the_limit(
    library: Path, opened: list[Path]
) -> None:
    for number in range(10_000):
        (library / f"p{number}.yaml").write_text(
            AREA.format(id=f"p{number}", extends=f"p{number + 1}"), encoding="utf-8"
        )
    error = refused(lambda: Library().load(library / "p0.yaml"))
    assert error.codes == ("base-invalid",)
    assert len(opened) == 33


def test_the_chain_limit_is_reported_where_it_is_reached(library: Path, opened: list[Path]) -> None:
    for number in range(100):
        (library / f"p{number}.yaml").write_text(
            AREA.format(id=f"p{number}", extends=f"p{number + 1}"), encoding="utf-8"
        )
    library_object = Library()
    refused(lambda: library_object.load(library / "p0.yaml"))
    with pytest.raises(DefinitionError) as info:
        library_object.load(library / "p32.yaml")
    assert info.value.codes == ("extends-too-deep",)


SCENARIO = """\
id: {id}
title: A what-if
extends: {extends}
"""


@pytest.mark.parametrize(
    ("extends", "code"),
    [("/etc/passwd", "bad-extends"), ("../outside/secret", "bad-extends"), ("s", "extends-cycle")],
)
def test_a_scenario_extends_only_ids_inside_its_library(
    library: Path, outside: Path, opened: list[Path], extends: str, code: str
) -> None:
    file = write(library / "s.yaml", SCENARIO.format(id="s", extends=extends))
    error = refused(lambda: load_scenario(file))
    assert error.codes == (code,)
    assert_inside(opened, library)


def test_a_scenario_symlink_out_is_not_read(
    library: Path, outside: Path, opened: list[Path]
) -> None:
    (library / "base.yaml").symlink_to(outside)
    file = write(library / "s.yaml", SCENARIO.format(id="s", extends="base"))
    error = refused(lambda: load_scenario(file))
    assert error.codes == ("base-outside-library",)
    assert_inside(opened, library)


def test_a_long_scenario_chain_stops_at_the_limit(library: Path, opened: list[Path]) -> None:
    for number in range(1_000):
        (library / f"s{number}.yaml").write_text(
            SCENARIO.format(id=f"s{number}", extends=f"s{number + 1}"), encoding="utf-8"
        )
    error = refused(lambda: load_scenario(library / "s0.yaml"))
    assert error.codes == ("extends-too-deep",)


@pytest.mark.parametrize(
    "named", ["/etc/passwd", "../outside/secret", "./area", "{outside}", "area.yaml"]
)
def test_a_case_file_names_its_pathway_by_id_only(
    library: Path, outside: Path, opened: list[Path], named: str
) -> None:
    target = named.format(outside=outside.with_suffix(""))
    file = write(library / "area.tests.yaml", f"pathway: {target}\ncases: {{}}\n")
    error = refused(lambda: load_cases(file))
    assert "unknown-pathway" in error.codes
    assert_inside(opened, library)


def test_a_case_file_pathway_symlink_out_is_not_read(
    library: Path, outside: Path, opened: list[Path]
) -> None:
    (library / "area.yaml").symlink_to(outside)
    file = write(library / "area.tests.yaml", "pathway: area\ncases: {}\n")
    error = refused(lambda: load_cases(file))
    assert "unknown-pathway" in error.codes
    assert "a link out of its library" in str(error)
    assert_inside(opened, library)
