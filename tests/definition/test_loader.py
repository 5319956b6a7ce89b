"""The loader's behaviour: the tutorial example loads, a library reads a shared base once,
`discover` skips companion files, `dump` round-trips, and no edit of a file (however careless)
or hostile input makes the loader fail other than with a `DefinitionError` that points inside
the text. What `extends` adds, replaces and removes is in `test_extends.py`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pathways
import pathways.definition.loader
from definition.helpers import BASE, EXAMPLE, area, codes, write
from pathways import DefinitionError, Library, Pathway, discover, dump, load, load_text
from pathways.definition.located import Limits
from strategies import load_data, pathway_data

# --- the tutorial ---------------------------------------------------------------------------


def test_the_tutorial_example_loads() -> None:
    pathway = load_text(EXAMPLE, path="writing-a-pathway.md")
    assert pathway.id == "example/small"
    assert pathway.entry == "concern-raised"
    assert len(pathway.stages) == 4
    assert len(pathway.handoffs) == 3
    assert sorted(pathway.agencies) == ["example-charity", "example-police"]
    assert sorted(pathway.roles) == ["first-responder", "support-provider"]
    assert sorted(pathway.profile) == ["age_group", "consent"]
    assert pathway.handoffs["refer-for-support"].within is not None
    assert str(pathway.handoffs["refer-for-support"].within) == "2 working days"


def test_the_tutorial_example_loads_from_a_file(tmp_path: Path) -> None:
    file = write(tmp_path, "example/small.yaml", EXAMPLE)
    pathway = load(file)
    assert pathway == load_text(EXAMPLE)
    assert pathway.files == (file.as_posix(),)
    location = pathway.location("handoffs", "close", "to")
    assert location is not None
    assert EXAMPLE.splitlines()[location.line - 1].strip() == "to: closed"


# --- a library reads each file once ---------------------------------------------------------


def test_a_library_reads_a_shared_base_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    town = area(tmp_path, "town")
    city = area(tmp_path, "city")
    reads: list[str] = []
    real = pathways.definition.loader.read_file

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(Path(file).name)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(pathways.definition.loader, "read_file", counting)
    library = Library()
    first = library.load(town)
    second = library.load(city)
    again = library.load(town)
    assert sorted(reads) == ["city.yaml", "national.yaml", "town.yaml"]
    assert again is first
    assert first.lineage[1:] == second.lineage[1:] == ("base/national",)


def test_a_library_remembers_a_broken_base(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    town = area(tmp_path, "town")
    city = area(tmp_path, "city")
    write(tmp_path, "base/national.yaml", BASE.replace("to: done", "to: dnoe"))
    reads: list[str] = []
    real = pathways.definition.loader.read_file

    def counting(file: Any, *args: Any, **kwargs: Any) -> Any:
        reads.append(Path(file).name)
        return real(file, *args, **kwargs)

    monkeypatch.setattr(pathways.definition.loader, "read_file", counting)
    library = Library()
    for file in (town, city):
        with pytest.raises(DefinitionError) as info:
            library.load(file)
        # the base is named, never what it holds: its own problems are listed when it is loaded
        assert codes(info.value) == {"base-invalid"}
    assert reads.count("national.yaml") == 1


# --- discover -------------------------------------------------------------------------------


def test_discover_skips_companion_files(tmp_path: Path) -> None:
    for name in (
        "humber/hull.yaml",
        "humber/hull.scenarios.yaml",
        "humber/east-riding.yml",
        "national/england.yaml",
        "national/england.notes.yml",
        "readme.md",
    ):
        write(tmp_path, name, "id: x\n")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([tmp_path])]
    assert found == ["humber/east-riding.yml", "humber/hull.yaml", "national/england.yaml"]
    single = tmp_path / "humber" / "hull.scenarios.yaml"
    assert discover([single]) == [single]  # a file named outright is taken as it is


# --- round trip -----------------------------------------------------------------------------


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathway_data())
def test_dump_then_load_gives_the_same_pathway(data: dict[str, Any]) -> None:
    pathway = load_data(data)
    text = dump(pathway)
    again = load_text(text, path="<dumped>")
    assert again == pathway
    assert dump(again) == text


def test_dump_round_trips_the_tutorial_example() -> None:
    pathway = load_text(EXAMPLE)
    assert load_text(dump(pathway)) == pathway


# --- careless edits -------------------------------------------------------------------------

NASTY = ":-[]{}'\"\t#&*!|>"


def assert_inside(
    error: DefinitionError, text: str, path: str, *, allow_past_the_end: bool = False
) -> None:
    """Every problem is placed in `text`: a line that exists and a column on it (or just after
    its last character). Lines are split at newlines, so a text ending with one has an empty
    last line, where an editor puts the cursor at the end of the file.

    `allow_past_the_end` tolerates a known bug (see `test_a_syntax_error_at_the_end_of_a_text_
    without_a_final_newline_is_placed_in_the_text`): libyaml's end-of-text mark is one line
    past the last line of a text that does not end with a newline.
    """
    lines = text.split("\n")
    for problem in error.problems:
        location = problem.location
        assert location is not None, problem.format()
        assert location.path == path, problem.format()
        if allow_past_the_end and (location.line, location.column) == (len(lines) + 1, 1):
            assert problem.code == "yaml-syntax", problem.format()
            assert not text.endswith("\n")
            continue
        assert 1 <= location.line <= len(lines), problem.format()
        assert 1 <= location.column <= len(lines[location.line - 1]) + 1, problem.format()


@st.composite
def mutants(draw: st.DrawFn) -> str:
    """The tutorial example with one to three careless edits."""
    lines = EXAMPLE.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "indent", "character", "truncate"]))
        if edit == "delete":
            del lines[at]
        elif edit == "duplicate":
            lines.insert(at, lines[at])
        elif edit == "indent":
            shift = draw(st.sampled_from([-4, -2, -1, 1, 2, 4]))
            line = lines[at]
            lines[at] = " " * shift + line if shift > 0 else line[min(-shift, len(line)) :]
        elif edit == "character":
            line = lines[at]
            column = draw(st.integers(0, len(line)))
            lines[at] = line[:column] + draw(st.sampled_from(NASTY)) + line[column + 1 :]
        else:
            text = "\n".join(lines)
            cut = draw(st.integers(0, len(text)))
            lines = text[:cut].split("\n")
    return "\n".join(lines)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutants())
def test_careless_edits_give_definition_errors_inside_the_text(text: str) -> None:
    try:
        pathway = load_text(text, path="mutant.yaml")
    except DefinitionError as error:
        assert_inside(error, text, "mutant.yaml", allow_past_the_end=True)
    else:
        assert isinstance(pathway, Pathway)


def test_a_syntax_error_at_the_end_of_a_text_without_a_final_newline_is_placed_in_the_text() -> (
    None
):
    text = "id: x\nroles: {a: b"
    with pytest.raises(DefinitionError) as info:
        load_text(text, path="cut.yaml")
    # today: cut.yaml:3:1, a line the two-line text does not have
    assert_inside(info.value, text, "cut.yaml")


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="empty"),
        pytest.param(EXAMPLE[: EXAMPLE.index("stages:")] + "stages:\n  x: [\n", id="open-bracket"),
        pytest.param(EXAMPLE.replace("title: Support\n", 'title: "Support\n'), id="open-quote"),
        pytest.param(EXAMPLE.replace("  support:\n", "\tsupport:\n"), id="tab"),
        pytest.param(EXAMPLE + "\n---\n", id="second-document"),
    ],
)
def test_broken_examples_point_inside_the_text(text: str) -> None:
    with pytest.raises(DefinitionError) as info:
        load_text(text, path="broken.yaml")
    assert_inside(info.value, text, "broken.yaml")


# --- hostile input --------------------------------------------------------------------------


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        pytest.param(billion_laughs(), "too-many-aliases", id="billion-laughs"),
        pytest.param("[" * 10_000 + "]" * 10_000, "too-deep", id="deep-flow-lists"),
        pytest.param("{a: " * 10_000 + "b" + "}" * 10_000, "too-deep", id="deep-flow-maps"),
        pytest.param("- " * 10_000 + "x\n", "too-deep", id="deep-block-lists"),
        pytest.param("x" * (20 * 1024 * 1024), "file-too-large", id="20-mb"),
    ],
)
def test_hostile_text_is_refused(text: str, code: str) -> None:
    with pytest.raises(DefinitionError) as info:
        load_text(text, path="hostile.yaml")
    assert info.value.codes == (code,)


def test_too_many_values_are_refused() -> None:
    # the real limit (2,000,000 values) takes seconds to reach; a library can lower it
    library = Library(limits=Limits(max_nodes=1_000))
    with pytest.raises(DefinitionError) as info:
        library.load_text("a: [" + "0, " * 2_000 + "]\n", "hostile.yaml")
    assert info.value.codes == ("too-large",)


def test_hostile_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# " + b"x" * (20 * 1024 * 1024) + b"\n")
    with pytest.raises(DefinitionError) as info:
        load(big)
    assert info.value.codes == ("file-too-large",)
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text(billion_laughs(), encoding="utf-8")
    with pytest.raises(DefinitionError) as info:
        load(laughs)
    assert info.value.codes == ("too-many-aliases",)


# --- known bugs (strict xfail: they start failing when the bug is fixed) --------------------


def test_an_entry_that_names_no_stage_is_refused() -> None:
    text = EXAMPLE.replace("entry: concern-raised", "entry: concern-raisd")
    with pytest.raises(DefinitionError) as info:
        load_text(text)
    assert "unknown-stage" in info.value.codes


def test_removing_the_entry_stage_is_refused(tmp_path: Path) -> None:
    file = area(tmp_path, body="remove:\n  stages: [start]\n  handoffs: [refer]\n")
    with pytest.raises(DefinitionError) as info:
        load(file)
    assert info.value.codes == ("unknown-stage",)


def test_a_condition_that_is_not_text_is_a_wrong_type() -> None:
    text = EXAMPLE.replace("when: age_group == 'adult' and consent == 'declined'", "when: true")
    with pytest.raises(DefinitionError) as info:
        load_text(text)
    assert info.value.codes == ("wrong-type",)


def test_remove_takes_out_a_whole_track(tmp_path: Path) -> None:
    """An area that is not a guardian site removes the guardian track with its stages."""
    base = tmp_path / "base" / "tracked.yaml"
    base.parent.mkdir(parents=True)
    base.write_text(
        (
            Path(__file__).resolve().parents[1] / "golden" / "loader" / "base" / "tracked.yaml"
        ).read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    town = tmp_path / "area" / "town.yaml"
    town.parent.mkdir(parents=True)
    town.write_text(
        "id: area/town\ntitle: Town\narea: Town\nversion: '1'\nextends: base/tracked\n"
        "agencies:\n  police: {name: Town Police, roles: [responder]}\n"
        "replace:\n  handoffs:\n    refer: {from: start, to: done, by: [responder]}\n"
        "remove:\n  tracks: [guardian]\n  stages: [guardian-support, guardian-done]\n"
        "  handoffs: [end-guardian-support]\n",
        encoding="utf-8",
    )
    pathway = load(town)
    assert "guardian" not in pathway.tracks
    assert set(pathway.stages) == {"start", "done"}
    assert pathway.handoffs["refer"].starts == ()
    assert "guardian-service" not in {s.owner for s in pathway.stages.values()}
