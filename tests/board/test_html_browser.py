"""The board report opened in a real headless Chromium (Debian's `chromium` package, driven
by Playwright over the DevTools protocol, with no browser download; see `tests/browser.py`):
it renders with no console errors and no network requests, the diagram shows every stage, a
screenshot is saved to `test-artefacts/report.png`, a keyboard reaches every diagram and
finding, and axe-core finds no WCAG 2.2 AA violation.

Skipped, saying why, only when Chromium or Playwright is not installed (`.ci/run` installs
both).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from board.helpers import MADE, Q3, drive, plan
from browser import axe_violations, chromium
from paths import HULL, ROOT
from pathways.board import build_report, to_html
from pathways.definition.loader import Library
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore

ARTEFACTS = ROOT / "test-artefacts"
CHROMIUM = os.environ.get("PATHWAYS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"

#: For each group of SVG text (a stage's title is wrapped onto several <text> lines), its words.
TEXT_GROUPS = """
() => Array.from(document.querySelectorAll('.diagram svg g'))
  .filter(g => Array.from(g.children).some(c => c.tagName === 'text'))
  .map(g => Array.from(g.children).filter(c => c.tagName === 'text')
    .map(t => t.textContent).join(' '))
"""


def test_the_report_renders_offline_in_chromium(tmp_path: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    pathway = Library().load(HULL)
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(pathway)]) as store:
        for journey in plan():
            drive(store, pathway, journey)
        report = build_report(store, [pathway], Q3, at=MADE)
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report), encoding="utf-8")
    address = page_file.as_uri()

    requests: list[str] = []
    problems: list[str] = []
    options = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*options, "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on(
                "console",
                lambda message: problems.append(message.text) if message.type == "error" else None,
            )
            page.on("pageerror", lambda error: problems.append(str(error)))
            page.goto(address, wait_until="load")
            groups = page.evaluate(TEXT_GROUPS)
            heading = page.inner_text("h1")
            status = page.inner_text(".status")
            ARTEFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTEFACTS / "report.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []
    assert requests == [address]
    said = {" ".join(group.split()) for group in groups}
    titles = [" ".join(s.title.split()) for s in pathway.stages.values()]
    missing = [title for title in titles if not any(title in group for group in said)]
    assert missing == []
    assert "2021Q3" in heading
    assert "not the partnership's agreed pathway" in status
    assert (ARTEFACTS / "report.png").stat().st_size > 10_000


def test_the_report_passes_axe_and_works_from_the_keyboard(tmp_path: Path) -> None:
    pathway = Library().load(HULL)
    url = f"sqlite:///{tmp_path / 'cases.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(pathway)]) as store:
        for journey in plan():
            drive(store, pathway, journey)
        report = build_report(store, [pathway], Q3, at=MADE)
    page_file = tmp_path / "report.html"
    page_file.write_text(to_html(report), encoding="utf-8")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900}, bypass_csp=True)
        page.goto(page_file.as_uri())
        reached: list[str] = []
        for _ in range(80):  # Tab through the page from top to bottom
            page.keyboard.press("Tab")
            focused = page.evaluate(
                "(e => [...document.querySelectorAll('*')].indexOf(e) + ' ' + e.tagName + '.' "
                "+ (e.className || '') + (e.hash || ''))(document.activeElement)"
            )
            if " BODY" in focused or focused in reached:
                break
            reached.append(focused)
        page.goto(page_file.as_uri())
        page.keyboard.press("Tab")  # the first thing to focus: the first finding's link
        page.keyboard.press("Enter")  # follow it to its stage's row in the table of stages
        target = page.evaluate("location.hash")
        row = page.evaluate(f"document.getElementById({target[1:]!r}) !== null")
        figures = page.evaluate("document.querySelectorAll('figure.diagram').length")
        violations = axe_violations(page)
    tracks = 1 + len(pathway.tracks)
    assert figures >= tracks
    assert (
        sum(" FIGURE.diagram" in f for f in reached) == figures
    )  # each scrollable diagram is reachable
    assert target.startswith("#humber-hull-stage-")
    assert row
    assert violations == []
