"""The board layout's SVG (`pathways.diagram.svg`): valid, complete, the same every time, cut
into numbered pages with connectors, and measured by a real browser.

The browser test loads the national baseline's SVG in headless Chromium (skipped, saying why,
when Chromium or Playwright is missing) and asks it how wide it draws each line of text: no line
may be wider than the width `pathways.diagram.fonts` measured for it, which is what every box
was sized by.
"""

from __future__ import annotations

import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from paths import ROOT
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.diagram import build, render
from pathways.diagram.board_layout import board_layout
from pathways.diagram.fonts import text_width
from pathways.diagram.geometry import PAPERS
from pathways.diagram.svg import svg

SVG = "{http://www.w3.org/2000/svg}"
CHROMIUM = os.environ.get("PATHWAYS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def baseline() -> Pathway:
    return Library().load(ROOT / "pathways" / "national" / "england.yaml")


def _texts(text: str) -> list[str]:
    root = ET.fromstring(text.encode("utf-8"))
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def test_the_svg_is_valid_and_shows_every_stage_and_label(small: Pathway) -> None:
    sheet = board_layout(build(small))
    text = svg(sheet)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.get("width", "").endswith("pt")
    assert root.findtext(f"{SVG}title") == sheet.title.words
    drawn = _texts(text)
    for shape in sheet.shapes:
        for line in shape.text.lines:
            assert line.text in drawn
    questions = {shape.id for shape in sheet.shapes if shape.kind == "question"}
    assert questions == {"concern-raised?age_group"}
    for arrow in sheet.arrows:
        assert (arrow.label is None) == (arrow.target in questions)
        for line in arrow.label.lines if arrow.label else ():
            assert line.text in drawn
    assert svg(board_layout(build(small))) == text


def test_escaped_text_stays_text(small: Pathway) -> None:
    from pathways.diagram import Diagram, Lane, Node

    nasty = 'A <b>"bold"</b> & </text><script>x</script>'
    picture = Diagram("x", nasty, (Lane("l", nasty),), (Node("n", nasty, nasty, "box", "l"),), ())
    text = svg(board_layout(picture))
    assert "<script>" not in text
    assert nasty in " ".join(_texts(text))


def test_render_gives_the_board_layout_as_svg_bytes(small: Pathway) -> None:
    picture = render(small, "svg", profile="age_group=adult,consent=declined")
    assert isinstance(picture, bytes)
    assert b'id="pathway-stage-support"' not in picture
    assert b'id="pathway-stage-closed"' in picture


def test_a_large_pathway_is_cut_into_numbered_pages_with_connectors(baseline: Pathway) -> None:
    sheet = board_layout(build(baseline))
    assert sheet.paper in PAPERS
    count = len(sheet.pages)
    assert count > 1
    leaving: set[int] = set()
    arriving: set[int] = set()
    for index in range(count):
        text = svg(sheet, page=index)
        words = " ".join(_texts(text))
        assert f"page {index + 1} of {count}" in words
        leaving |= {int(n) - 1 for n in re.findall(r"\bto p\.(\d+)", words)}
        arriving |= {index} if re.search(r"\bfrom p\.\d+", words) else set()
        view = [float(v) for v in ET.fromstring(text).get("viewBox", "").split()]
        page = sheet.pages[index]
        assert view[2] <= sheet.paper.width + 1e-6
        assert view[3] <= sheet.paper.height + 1e-6
        assert view[0] <= page.x
        assert view[1] <= page.y
    assert leaving, "no arrow carries on to another page"
    assert leaving <= arriving, "an arrow says it carries on where no arrow arrives"


def test_a_small_pathway_fits_one_page_at_full_size(small: Pathway) -> None:
    sheet = board_layout(build(small))
    assert len(sheet.pages) == 1
    assert sheet.scale == 1.0
    assert sheet.paper.name == "A4 portrait"


def test_chromium_draws_no_line_wider_than_measured(baseline: Pathway, tmp_path: Path) -> None:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    sheet = board_layout(build(baseline))
    page_file = tmp_path / "board.svg"
    page_file.write_text(svg(sheet), encoding="utf-8")
    options = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*options, "--disable-gpu"]
        )
        try:
            page = browser.new_page()
            page.goto(page_file.as_uri(), wait_until="load")
            drawn = page.evaluate(
                """() => [...document.querySelectorAll('text')].map(t => [
                    t.textContent, t.getComputedTextLength(),
                    parseFloat(t.getAttribute('font-size')),
                    t.getAttribute('font-weight') === 'bold'
                ])"""
            )
        finally:
            browser.close()
    assert len(drawn) > 100
    for words, width, size, bold in drawn:
        assert width <= text_width(words, size, bold) + 0.5, f"{words!r} is drawn wider"


def test_every_id_starts_with_the_drawing_s_own(small: Pathway) -> None:
    sheet = board_layout(build(small))
    for page in (None, 0):
        text = svg(sheet, page=page, ident="hull")
        ids = re.findall(r'\bid="([^"]+)"', text)
        assert ids[0] == "hull"
        assert all(ident.startswith("hull-") for ident in ids[1:])
        assert len(ids) == len(set(ids))
        for used in re.findall(r"url\(#([^)]+)\)", text):
            assert used in ids
