"""Where names are found: the file's own library, then `--path` and `PATHWAYS_PATH`, then the
pathways installed with the package; the same answer from any working directory; `-` for
standard input; `pathways init` from an empty folder."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.bases import bundled_root
from pathways.definition.loader import load

ROOT = Path(__file__).resolve().parents[2]
HULL = ROOT / "pathways" / "humber" / "hull.yaml"


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty working directory, with no PATHWAYS_PATH."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PATHWAYS_PATH", raising=False)
    return tmp_path


def test_the_bundled_library_is_found() -> None:
    root = bundled_root()
    assert root is not None
    assert (root / "national" / "england.yaml").is_file()
    scenarios = bundled_root("scenarios")
    assert scenarios is not None
    assert (scenarios / "humber" / "hull.yaml").is_file()


def test_init_works_from_an_empty_folder(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["init", "City of York", "--extends", "national/england", "-o", "york.yaml"]
    assert main(args) == 0
    assert "Keep your area's files together in one folder of your own" in capsys.readouterr().err
    assert main(["validate", "york.yaml"]) == 0
    assert "york.yaml" in capsys.readouterr().out
    main(["check", "york.yaml"])
    out, err = capsys.readouterr()
    assert "unknown-base" not in out + err
    assert "could not be checked" not in out + err
    assert load(empty / "york.yaml").lineage == ("york", "national/england")


def test_init_writes_into_the_root_folder_by_default(empty: Path) -> None:
    assert main(["init", "City of York", "--extends", "national/england"]) == 0
    written = empty / "pathways" / "city-of-york.yaml"
    assert load(written).lineage == ("city-of-york", "national/england")


def test_init_refuses_a_path_as_the_baseline(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", "York", "--extends", "../national/england"]) == 2
    assert "--extends takes an id" in capsys.readouterr().err


def test_ids_resolve_the_same_from_inside_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "mine"
    shutil.copytree(ROOT / "pathways" / "humber", library / "humber")
    monkeypatch.chdir(library / "humber")
    assert main(["validate", "hull.yaml"]) == 0
    assert "ok  hull.yaml" in capsys.readouterr().out


def test_a_path_folder_is_searched_before_the_bundled_library(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = empty / "mine"
    (mine / "national").mkdir(parents=True)
    england = (ROOT / "pathways" / "national" / "england.yaml").read_text(encoding="utf-8")
    (mine / "national" / "england.yaml").write_text(
        england.replace('\ntitle: "', '\ntitle: "Our copy of ', 1), encoding="utf-8"
    )
    assert main(["show", "--path", str(mine), "national/england"]) == 0
    assert "Our copy of" in capsys.readouterr().out


def test_pathways_path_is_searched_too(
    empty: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    mine = empty / "mine"
    shutil.copytree(ROOT / "pathways" / "humber", mine / "humber")
    monkeypatch.setenv("PATHWAYS_PATH", os.pathsep.join(["nowhere", str(mine)]))
    assert main(["validate", "humber/east-riding"]) == 0
    assert "east-riding.yaml" in capsys.readouterr().out


def test_standard_input_with_path(
    empty: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`cat hull.yaml | pathways validate -` from another folder, its base found by --path."""
    mine = empty / "mine"
    (mine / "national").mkdir(parents=True)
    shutil.copy(ROOT / "pathways" / "national" / "england.yaml", mine / "national")
    for command in ("validate", "check", "show"):
        monkeypatch.setattr("sys.stdin", io.StringIO(HULL.read_text(encoding="utf-8")))
        main([command, "--path", str(mine), "-"])
        out, err = capsys.readouterr()
        assert "Kingston upon Hull" in out or "0 errors" in out, (command, out)
        assert "error[" not in out + err


def test_standard_input_alone(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "-", "other.yaml"]) == 2
    assert "cannot be given with other files" in capsys.readouterr().err


def test_bundled_files_by_name(empty: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", "-q", "humber/hull"]) == 0
    assert main(["diagram", "humber/hull"]) == 0
    assert "flowchart" in capsys.readouterr().out
    assert main(["validate", "no/such-area"]) == 2
    assert "no/such-area: no such file or folder" in capsys.readouterr().err
