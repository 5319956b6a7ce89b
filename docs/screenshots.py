"""Make the pictures in the docs: the national baseline in the board layout, a page of the
printed board report and the explorer, as PNG files under docs/images/.

    PYTHONPATH=src python docs/screenshots.py

Needs Chromium (Debian's `chromium` package), Playwright (the test dependency group, which
drives the system Chromium and downloads no browser) and `pdftoppm` (Debian's
`poppler-utils`). Run from the repository's root; it writes only under docs/images/ and a
temporary folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from playwright.sync_api import sync_playwright

from pathways.board import build_report, parse_period, to_html
from pathways.board.pdf import find_browser, write_pdf
from pathways.definition.loader import Library
from pathways.diagram import board_layout, build
from pathways.diagram.svg import svg
from pathways.explorer import explore
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
LONDON = ZoneInfo("Europe/London")


def baseline_layout(browser: object, folder: Path) -> None:
    """The first printed page of the national baseline in the board layout."""
    england = Library().load(ROOT / "pathways" / "national" / "england.yaml")
    sheet = board_layout(build(england, lanes="agency"))
    page_file = folder / "baseline.svg"
    page_file.write_text(svg(sheet, page=0), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(page_file.as_uri())
    page.locator("svg").screenshot(path=str(IMAGES / "board-layout-baseline.png"), scale="css")
    page.close()


def report_page(folder: Path) -> None:
    """A page of the Hull report as printed: the first page of its main track's diagram."""
    hull = Library().load(ROOT / "pathways" / "humber" / "hull.yaml")
    url = f"sqlite:///{folder / 'cases.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(hull)]) as store:
        for number in range(1, 8):
            case = f"HU-2021-{number:04d}"
            found = datetime(2021, 7, number, 10, 0, tzinfo=LONDON)
            by = "hull-city-council"
            store.create(case, {"age_group": "adult", "consent": "given"}, at=found, by=by)
            store.handoff(case, "start-assessment", by=by, at=found)
            store.handoff(
                case,
                "adult-to-consent-discussion",
                by=by,
                at=found + timedelta(days=1),
                shares=["victim-account"],
            )
        report = build_report(
            store, [hull], parse_period("2021Q3"), at=datetime(2021, 10, 4, 9, tzinfo=LONDON)
        )
    pdf = folder / "report.pdf"
    write_pdf(to_html(report), pdf)
    words = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    diagram = next(
        number
        for number, page in enumerate(words.split("\f"), start=1)
        if "Main track: page 1 of" in page
    )
    for number, name in ((1, "report-page-figures"), (diagram, "report-page-diagram")):
        subprocess.run(
            ["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(number), "-l", str(number)]
            + [str(pdf), str(IMAGES / name)],
            check=True,
        )


def explorer(browser: object, folder: Path) -> None:
    """The Hull explorer with "adult, consent declined" chosen and a stage opened."""
    hull = Library().load(ROOT / "pathways" / "humber" / "hull.yaml")
    page_file = folder / "hull.html"
    page_file.write_text(explore(hull), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    page.goto(page_file.as_uri())
    page.check("input[name='attr-age_group'][value='adult']")
    page.check("input[name='attr-consent'][value='declined']")
    page.click(".stage[data-stage='place-of-safety']")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(IMAGES / "explorer.png"))
    page.close()


def main() -> int:
    chromium = find_browser()
    if chromium is None or shutil.which("pdftoppm") is None:
        print("needs Chromium and pdftoppm (apt-get install chromium poppler-utils)")
        return 2
    IMAGES.mkdir(exist_ok=True)
    options = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with tempfile.TemporaryDirectory() as name, sync_playwright() as playwright:
        folder = Path(name)
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=[*options, "--disable-gpu"]
        )
        try:
            baseline_layout(browser, folder)
            explorer(browser, folder)
        finally:
            browser.close()
        report_page(folder)
    for image in sorted(IMAGES.glob("*.png")):
        print(f"wrote {image.relative_to(ROOT)} ({image.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
