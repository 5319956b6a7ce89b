"""What every command shares: --version, results on stdout and messages on stderr, one
spelling of -o/--output, -q/--quiet, the exit statuses, and shell completion."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import pathways
from cli.helpers import CLEAN
from pathways.cli import build_parser, main
from pathways.cli.completion import commands

BROKEN = "id: broken\ntitle: [unclosed\n"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pathways").mkdir()
    (tmp_path / "pathways" / "one.yaml").write_text(CLEAN.replace("NAME", "one"))
    police = "  council: {name: Testshire Council}\n  police: {name: Testshire Police}"
    two = CLEAN.replace("NAME", "two").replace("  council: {name: Testshire Council}", police)
    (tmp_path / "pathways" / "two.yaml").write_text(two)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"pathways {pathways.__version__}\n"


@pytest.mark.parametrize("form", ["json", "sarif"])
def test_a_broken_file_is_inside_the_document_and_stdout_parses(
    folder: Path, capsys: pytest.CaptureFixture[str], form: str
) -> None:
    assert main(["check", "pathways", "broken.yaml", "--format", form]) == 1
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    if form == "json":
        assert [p["id"] for p in document["pathways"]] == ["one", "two"]
        assert document["not_loaded"][0]["path"] == "broken.yaml"
    else:
        (invocation,) = document["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        where = invocation["toolExecutionNotifications"][0]["locations"][0]
        assert where["physicalLocation"]["artifactLocation"]["uri"] == "broken.yaml"
    assert "1 file(s) could not be checked" in captured.err


def test_with_output_the_file_has_the_broken_file_too(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "broken.yaml", "--format", "sarif", "-o", "out.sarif"]) == 1
    log = json.loads((folder / "out.sarif").read_text())
    assert log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "wrote out.sarif" in captured.err


def test_text_check_reports_the_broken_file_and_quiet_prints_findings_only(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "pathways", "broken.yaml"]) == 1
    out = capsys.readouterr().out
    assert "== broken.yaml: could not be checked" in out
    assert "1 file could not be checked" in out
    assert main(["check", "-q", "pathways"]) == 0
    assert capsys.readouterr() == ("", "")


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "missing.yaml"],
        ["check", "missing.yaml"],
        ["show", "missing.yaml"],
        ["diagram", "missing.yaml"],
        ["diff", "missing.yaml", "pathways/one.yaml"],
        ["test", "missing.yaml"],
        ["simulate", "missing.yaml", "--scenario", "missing.yaml"],
    ],
    ids=lambda argv: argv[0],
)
def test_a_missing_file_is_a_usage_error_said_on_stderr(
    folder: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "missing.yaml" in captured.err


def test_a_file_that_does_not_load_is_exit_status_1(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (["validate", "broken.yaml"], ["check", "broken.yaml"], ["show", "broken.yaml"]):
        assert main(argv) == 1, argv
    captured = capsys.readouterr()
    assert "stopped broken.yaml from being shown" in captured.err


@pytest.mark.parametrize("spelling", ["-o", "--output", "--out"])
def test_one_spelling_of_the_output_option_and_the_old_one_still_works(
    folder: Path, capsys: pytest.CaptureFixture[str], spelling: str
) -> None:
    assert main(["diagram", "pathways/one.yaml", spelling, "one.mmd"]) == 0
    assert (folder / "one.mmd").read_text().startswith("flowchart")
    assert main(["diff", "pathways/one.yaml", "pathways/two.yaml", spelling, "d.txt"]) == 1
    assert (folder / "d.txt").read_text()
    assert capsys.readouterr().out == ""


def test_every_output_option_is_spelt_the_same() -> None:
    for command in commands(build_parser()):
        assert "--out" not in command.options, command.path
        if "--output" in command.options:
            assert "-o" in command.options


def test_every_command_that_reports_has_quiet() -> None:
    quiet = {c.path for c in commands(build_parser()) if "--quiet" in c.options}
    reporting = {"validate", "check", "test", "diff", "diagram", "simulate", "init", "report"}
    reporting |= {f"db {action}" for action in ("current", "upgrade", "downgrade")}
    assert reporting | {"db verify"} <= quiet


def test_quiet_diff_says_nothing_but_the_exit_status(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", "-q", "pathways/one.yaml", "pathways/two.yaml"]) == 1
    assert main(["diff", "-q", "pathways/one.yaml", "pathways/one.yaml"]) == 0
    assert capsys.readouterr() == ("", "")


def _complete(script: str, line: str) -> list[str]:
    """What bash completes for `line` (the cursor at its end) with `script` loaded."""
    words = line.split(" ")
    probe = (
        f"{script}\nCOMP_WORDS=({' '.join(repr(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n_pathways_complete\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_completion_completes_commands_options_and_choices(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", "bash"]) == 0
    script = capsys.readouterr().out
    assert _complete(script, "pathways ch") == ["check"]
    assert _complete(script, "pathways check --fo") == ["--format"]
    assert _complete(script, "pathways check --format s") == ["sarif"]
    assert _complete(script, "pathways db ") == [
        "current",
        "history",
        "upgrade",
        "downgrade",
        "verify",
        "refresh-deadlines",
        "outbox",
    ]
    assert _complete(script, "pathways db upgrade --pr") == ["--prefix"]
    assert _complete(script, "pathways show bro") == ["broken.yaml"]


def test_zsh_completion_runs_the_bash_script_through_bashcompinit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["completion", "bash"]) == 0
    bash = capsys.readouterr().out
    assert main(["completion", "zsh"]) == 0
    zsh = capsys.readouterr().out
    assert "bashcompinit" in zsh
    assert bash.splitlines()[1:] == [
        line for line in zsh.splitlines()[1:] if "compinit" not in line
    ]
    if shutil.which("zsh"):
        subprocess.run(["zsh", "-n", "-c", zsh], check=True)
