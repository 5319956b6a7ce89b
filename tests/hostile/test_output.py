"""Hostile text in a pathway file must not reach a terminal, a Markdown page or a spreadsheet
as anything but text: escape sequences, HTML, Markdown syntax, line breaks and formulas."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import markdown as python_markdown
import pytest

from pathways.board.export import to_csv as board_csv
from pathways.checks.output import RULES_URL
from pathways.cli import main
from pathways.simulation.summary import spreadsheet_safe

# An ESC sequence that clears the screen and hides what follows, an OSC that retitles the
# terminal, a C1 CSI, a right-to-left override, HTML, Markdown that fetches an image, links
# and a new heading on a line of its own.
TITLE = (
    "Evil\\e[2J\\e[8m <script>alert(1)</script>\\n# Heading\\n"
    "![x](https://evil.example/x.png) <img src=https://evil.example/y> [a](javascript:alert(1))"
    " <https://evil.example/auto> &lt;script&gt; \\u202eksat"
)
PATHWAY = f"""\
id: evil
title: "{TITLE}"
area: Testshire
version: "1"
entry: start
agencies:
  council: {{name: "Testshire\\x9b Council"}}
stages:
  start: {{title: "Start\\r\\e]0;pwned\\a", owner: council, kind: identification}}
  stuck:
    title: "=cmd|' /C calc'!A0 | <iframe src=//evil.example>"
    owner: council
    kind: referral
  done: {{title: Done, owner: council, kind: outcome, outcome: supported}}
handoffs:
  close: {{from: start, to: done, by: [council]}}
  go: {{from: start, to: stuck, by: [council]}}
"""


@pytest.fixture
def evil(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.yaml").write_text(PATHWAY, encoding="utf-8")
    return tmp_path / "evil.yaml"


def _printed(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(list(argv))
    captured = capsys.readouterr()
    return captured.out + captured.err


@pytest.mark.parametrize("command", [["validate"], ["check"], ["check", "-q"], ["show"]])
def test_terminal_output_shows_control_characters_as_escapes(
    evil: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    out = _printed(capsys, *command, "evil.yaml")
    for raw in ("\x1b", "\x9b", "\x07", "\r", "\u202e"):
        assert raw not in out
    if command != ["validate"]:  # validate names only the title
        assert "Start\\r\\x1b]0;pwned\\x07" in out
    if command != ["check", "-q"]:  # -q leaves out the title
        assert "Evil\\x1b[2J\\x1b[8m" in out


@pytest.mark.parametrize("command", ["validate", "check", "show"])
def test_a_title_cannot_add_lines(
    evil: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    out = _printed(capsys, command, "evil.yaml")
    assert not [line for line in out.splitlines() if line.startswith("# Heading")]
    assert "\\n# Heading\\n" in out


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def test_markdown_renders_without_scripts_or_external_references(
    evil: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", "evil.yaml", "--format", "markdown"]) == 1
    text = capsys.readouterr().out
    extensions = ["tables", "toc", "admonition", "fenced_code"]  # as mkdocs.yml has them
    page = python_markdown.markdown(text, extensions=extensions)
    parser = _Elements()
    parser.feed(page)
    tags = {tag for tag, _ in parser.tags}
    assert tags <= {"h1", "h2", "p", "table", "thead", "tbody", "tr", "th", "td", "a", "code"}
    for tag, attrs in parser.tags:
        for name, value in attrs:
            assert name in ("href", "id"), (tag, name, value)
            if name == "href":
                assert value is not None
                assert value.startswith(f"{RULES_URL}#"), value
    assert [line for line in text.splitlines() if line.startswith("#")] == [
        "# Pathway check",
        next(line for line in text.splitlines() if line.startswith("## Evil")),
    ]
    assert "<script" not in page
    assert "<img" not in page
    assert "<iframe" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "\x1b" not in page


def test_spreadsheet_formulas_are_neutralised() -> None:
    for cell in ("=1+1", "+SUM(A1)", "-2+3", "@cmd", "\tx", "\rx"):
        assert spreadsheet_safe(cell) == "'" + cell
    for cell in ("hull", "-3.5", "12", "1,200", "not shown", ""):
        assert spreadsheet_safe(cell) == cell


def test_the_board_csv_neutralises_names_from_the_pathway() -> None:
    cell = SimpleNamespace(column="=HYPERLINK(1)", value=-5, text="-5", status="rounded")
    row = SimpleNamespace(key="=cmd|' /C calc'!A0", cells=[cell])
    table = SimpleNamespace(key="waits", rows=[row])
    report = SimpleNamespace(sections=[SimpleNamespace(id="@evil", tables=[table])])
    rows = list(csv.reader(io.StringIO(board_csv(report))))  # type: ignore[arg-type]
    assert rows[1] == [
        "'@evil",
        "waits",
        "'=cmd|' /C calc'!A0",
        "'=HYPERLINK(1)",
        "-5",
        "-5",
        "rounded",
    ]
