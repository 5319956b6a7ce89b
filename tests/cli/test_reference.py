"""docs/reference/cli.md shows the help of every command exactly as the command prints it, so
the reference cannot drift from the code. `PATHWAYS_UPDATE_GOLDEN=1` rewrites the help blocks."""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
from pathlib import Path

import pytest

from pathways.cli import build_parser

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference" / "cli.md"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"


def helps() -> dict[str, str]:
    """The `--help` text of every command and sub-action, by its command line."""
    parser = build_parser()
    found: dict[str, str] = {}

    def walk(prefix: str, parser: argparse.ArgumentParser) -> None:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    found[f"{prefix} {name}".strip()] = sub.format_help()
                    walk(f"{prefix} {name}", sub)

    walk("", parser)
    return found


@pytest.fixture(autouse=True)
def _fixed_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "100")


def _block(command: str, text: str) -> str:
    return f"<!-- help: {command} -->\n```text\n{text}```\n<!-- end help -->"


def test_every_command_is_in_the_reference_with_its_exact_help() -> None:
    page = REFERENCE.read_text(encoding="utf-8")
    texts = helps()
    if UPDATE:
        for command, text in texts.items():
            pattern = re.compile(
                rf"<!-- help: {re.escape(command)} -->\n.*?<!-- end help -->", re.DOTALL
            )
            if pattern.search(page):
                page = pattern.sub(lambda _m, c=command, t=text: _block(c, t), page)
            else:
                page += f"\n## pathways {command}\n\n{_block(command, text)}\n"
        REFERENCE.write_text(page, encoding="utf-8")
    missing = [c for c, t in texts.items() if _block(c, t) not in page]
    assert not missing, f"docs/reference/cli.md is out of date for: {', '.join(missing)}"


def test_the_top_level_help_lists_every_command() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), pytest.raises(SystemExit):
        build_parser().parse_args(["--help"])
    for command in (c for c in helps() if " " not in c):
        assert re.search(rf"^\s+{command}\s", out.getvalue(), re.M), command
