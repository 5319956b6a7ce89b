"""The documentation's examples run: each page's Python blocks in order, and every `pathways`
command line in its shell blocks, in a scratch copy of the repository's pathways and scenarios.

Pages whose examples have their own tests (the embedding guide, the store guide, the rules and
the case-test guide) are left to them. A documented command must never be a usage error (exit
status 2) or crash; exit status 1 is allowed, as `pathways check` on a half-written file shows.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest

from paths import ROOT
from pathways.cli import main

DOCS = ROOT / "docs"
TESTED_ELSEWHERE = {"embedding.md", "store.md", "testing-a-pathway.md", "rules.md", "service.md"}
_BLOCK = re.compile(r"```(python|sh)\n(.*?)```", re.DOTALL)


def _runnable(page: Path) -> bool:
    """Does the page hold a Python block or a `pathways` command in a shell block?"""
    blocks = _BLOCK.findall(page.read_text(encoding="utf-8"))
    return any(kind == "python" or _commands(block) for kind, block in blocks)


def _commands(block: str) -> list[list[str]]:
    """The `pathways ...` command lines of a shell block (continuations joined)."""
    text = block.replace("\\\n", " ")
    found = []
    for line in text.splitlines():
        line = line.split("  #", 1)[0].strip()
        words = shlex.split(line) if line else []
        if words and words[0].endswith("pathways") and "&&" not in words:
            if ">" in words:  # `pathways diagram ... > hull.mmd`: the screen is enough
                words = words[: words.index(">")]
            found.append(words[1:])
    return found


PAGES = sorted(
    p
    for p in DOCS.rglob("*.md")
    if p.name not in TESTED_ELSEWHERE and "notes" not in p.parts and _runnable(p)
)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("pathways", "scenarios"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(DOCS).as_posix())
def test_the_page_examples_run(page: Path, scratch: Path) -> None:
    namespace: dict[str, object] = {"__name__": "docs"}
    ran = 0
    for kind, block in _BLOCK.findall(page.read_text(encoding="utf-8")):
        if kind == "python":
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(block, f"{page.name} example", "exec"), namespace)
            ran += 1
            continue
        for args in _commands(block):
            if args[:2] == ["db", "verify"] or args[:2] == ["db", "upgrade"]:
                args = [
                    a if "://" not in a else f"sqlite:///{scratch / 'cases.sqlite3'}" for a in args
                ]
                if "postgresql" in " ".join(args) or "--prefix" in args:
                    continue
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    status = main(args)
                except SystemExit as exit_:
                    status = int(exit_.code or 0)
            command = f"{page.name}: pathways {shlex.join(args)}"
            assert status in (0, 1), f"{command}\n{out.getvalue()}"
            ran += 1
    assert ran, f"{page.name} has no runnable examples"
