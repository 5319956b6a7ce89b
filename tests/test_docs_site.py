"""The documentation site builds with no warnings, and what it shows forum leads is true."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from paths import ROOT
from pathways.definition.loader import discover, load

DOCS = ROOT / "docs"


def test_the_site_builds_without_warnings(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "index.html").exists()
    assert (tmp_path / "reference" / "errors" / "index.html").exists()


def test_every_page_is_in_the_navigation() -> None:
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md") if "notes" not in p.parts}
    listed = set(re.findall(r":\s+([\w/-]+\.md)\s*$", nav, re.M))
    assert pages == listed


def test_the_quick_start_is_the_same_everywhere() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", quick_start)
    assert len(commands) == 2, "the README quick start has exactly two commands"
    main_job, tests = commands
    assert main_job in index
    assert tests in ci
    assert main_job.rsplit("&& ", 1)[1] in ci


def test_every_bundled_pathway_says_it_is_illustrative() -> None:
    files = discover([ROOT / "pathways"])
    assert len(files) == 6
    for file in files:
        pathway = load(file)
        assert pathway.status == "illustrative", file
        assert pathway.about.lower().startswith("an illustrative model"), file
        assert "not" in pathway.about.split(".")[1].lower(), file
        assert pathway.sources, file
