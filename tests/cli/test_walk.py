"""`pathways walk`: one victim step by step, from the command line or the keyboard.

The golden outputs are in `tests/golden/walk/`: `<name>.args` holds the arguments (one per
line), `<name>.out` what `pathways walk` prints. To accept a deliberate change of wording, run
`PATHWAYS_UPDATE_GOLDEN=1 pytest tests/cli/test_walk.py` and read the diff before committing.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from paths import ROOT, SMALL
from pathways.casetests import load_cases, run_suite
from pathways.cli import main

GOLDEN = ROOT / "tests" / "golden" / "walk"
NAMES = sorted(p.stem for p in GOLDEN.glob("*.args"))


@pytest.mark.parametrize("name", NAMES)
def test_golden(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = (GOLDEN / f"{name}.args").read_text(encoding="utf-8").split("\n")
    status = main(["walk", *[a for a in args if a]])
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    got = f"exit status {status}\n--- standard output\n{out}--- standard error\n{err}"
    expected = GOLDEN / f"{name}.out"
    if os.environ.get("PATHWAYS_UPDATE_GOLDEN"):
        expected.write_text(got, encoding="utf-8")
    assert got == expected.read_text(encoding="utf-8")


def test_there_are_golden_walks() -> None:
    assert {"small-adult-consents", "small-refused-agency", "hull-child"} <= set(NAMES)


def test_a_profile_left_incomplete_is_a_usage_error_naming_what_is_missing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["walk", str(SMALL), "--profile", "age_group=adult"]) == 2
    err = capsys.readouterr().err
    assert "missing consent (given or declined)" in err


def test_a_wrong_value_names_the_values_there_are(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["walk", str(SMALL), "--profile", "age_group=elderly,consent=given"]) == 2
    assert (
        "age_group has no value 'elderly' (expected one of: child, adult)"
        in capsys.readouterr().err
    )


def test_at_the_keyboard_it_asks_for_the_profile_and_each_choice(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("adult\ngiven\n1\n1\n"))
    assert main(["walk", str(SMALL), "-i"]) == 0
    captured = capsys.readouterr()
    assert "age_group (child or adult)? " in captured.err
    assert "consent (given or declined)? " in captured.err
    assert captured.err.count("Choose a number") == 2
    assert "then: the journey closes at 'Supported' (supported)" in captured.out
    assert "Exampleshire Police makes 'refer-for-support' to 'Support' (support)" in captured.out


def test_a_wrong_answer_at_the_keyboard_is_explained_and_asked_again(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("close\nrefer-for-support\nq\n"))
    assert main(["walk", str(SMALL), "--profile", "age_group=child,consent=given", "-i"]) == 0
    captured = capsys.readouterr()
    assert "'close' is not open now (open: 1 ('refer-for-support'))" in captured.err
    assert "then: the given route ends here, at 'Support' (support)" in captured.out


def test_the_end_of_input_stops_the_walk(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["walk", str(SMALL), "--profile", "age_group=child,consent=given", "-i"]) == 0
    assert "then: the given route ends here, at 'Concern raised'" in capsys.readouterr().out


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """The small example pathway in a folder of its own, as `small.yaml`."""
    text = SMALL.read_text(encoding="utf-8").replace("id: example/small", "id: small")
    (tmp_path / "small.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "small.yaml"


def test_a_saved_walk_is_a_case_test_that_passes(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = small.with_name("small.tests.yaml")
    args = ["walk", str(small), "--profile", "age_group=adult,consent=given"]
    assert main([*args, "--choose", "refer-for-support,finish", "--save", str(file)]) == 0
    assert main([*args, "--choose", "1", "--save", str(file), "--name", "half-way"]) == 0
    assert f"saved case 'half-way' to {file.as_posix()}" in capsys.readouterr().err
    assert not file.read_text(encoding="utf-8").startswith("pathway:")  # beside its pathway
    suite = load_cases(file)
    assert list(suite.cases) == ["walked", "half-way"]
    assert suite.cases["walked"].expect.reaches == "supported"
    assert suite.cases["half-way"].expect.reaches == "support"
    assert all(outcome.passed for outcome in run_suite(suite))


def test_a_walk_that_would_break_the_file_is_not_saved_and_the_file_is_kept(
    small: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = small.with_name("small.tests.yaml")
    args = ["walk", str(small), "--profile", "age_group=child,consent=given", "--choose", "1"]
    assert main([*args, "--save", str(file)]) == 0
    kept = file.read_text(encoding="utf-8")
    assert main([*args, "--save", str(file)]) == 1  # the same case name twice
    err = capsys.readouterr().err
    assert "the case was not saved" in err
    assert file.read_text(encoding="utf-8") == kept


def test_a_saved_walk_elsewhere_names_its_pathway(tmp_path: Path) -> None:
    file = tmp_path / "walks.tests.yaml"
    args = ["walk", "humber/hull", "--profile", "age_group=adult,consent=given", "--choose", "1"]
    assert main([*args, "--save", str(file)]) == 0
    assert file.read_text(encoding="utf-8").startswith("pathway: humber/hull\ncases:\n")
    assert all(outcome.passed for outcome in run_suite(load_cases(file)))


def test_a_refused_step_is_not_saved(tmp_path: Path) -> None:
    file = tmp_path / "small.tests.yaml"
    args = ["walk", str(SMALL), "--profile", "age_group=adult,consent=declined"]
    assert main([*args, "--choose", "refer-for-support", "--save", str(file)]) == 1
    assert not file.exists()


def test_the_guide_shows_what_pathways_walk_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    guide = (ROOT / "docs" / "testing-a-pathway.md").read_text(encoding="utf-8")
    section = guide.split("## 4. Walking one victim through")[1].split("## 5.")[0]
    command, shown = section.split("```sh\n")[1].split("```")[0], section.split("```text\n")[1]
    words = command.split()
    assert words[:2] == ["pathways", "walk"]
    monkeypatch.chdir(ROOT)
    words[2] = str(SMALL.relative_to(ROOT))  # the guide's example pathway, kept in the tests
    assert main(words[1:]) == 0
    assert capsys.readouterr().out == shown.split("```")[0]
