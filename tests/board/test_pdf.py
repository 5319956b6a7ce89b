"""`pathways report --pdf`: an A4 PDF printed by headless Chromium, checked with Debian's
poppler-utils (`pdfinfo`, `pdftotext -bbox`, `pdftoppm`), as a board member would get it:
every page A4 with "Page n of N", each track's diagram in the board layout on numbered pages
of its own, printed at full size (no word below 9 points), no heading left at the foot of a
page, and no pointer to a file a board member does not have. Page images are saved to
`test-artefacts/report-page-*.png`.

Skipped, saying why, when Chromium or poppler-utils is missing (`.ci/run` installs both).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from board.helpers import MADE, Q3
from browser import CHROMIUM
from paths import HULL, ROOT
from pathways.board import build_report
from pathways.cli import main
from pathways.definition.schema import Pathway
from pathways.diagram.geometry import MIN_TEXT
from pathways.store import JourneyStore

ARTEFACTS = ROOT / "test-artefacts"
A4 = (595.3, 841.9)  # points
HEADINGS = ("h1", "h2", "h3", "h4")
DEJAVU_BOX = (1901 + 483) / 2048  # DejaVu Sans: ascender plus descender, in ems


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


def poppler(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return found


def pages_of(pdf: Path) -> list[Page]:
    """Each page's size and words with their boxes, in points from the top left."""
    out = subprocess.run(
        [poppler("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    pages = []
    for width, height, body in re.findall(
        r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.DOTALL
    ):
        words = tuple(
            Word(text, float(a), float(b), float(c), float(d))
            for a, b, c, d, text in re.findall(
                r'xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<', body
            )
        )
        pages.append(Page(float(width), float(height), words))
    return pages


@pytest.fixture(scope="module")
def pdf(store_url: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    target = tmp_path_factory.mktemp("pdf") / "report.pdf"
    args = ["report", str(HULL), "--period", "2021Q3", "--db", store_url, "--pdf", str(target)]
    assert main([*args, "-q"]) == 0
    return target


def test_every_page_is_a4_and_numbered(pdf: Path) -> None:
    pages = pages_of(pdf)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        size = sorted((page.width, page.height))
        assert size == pytest.approx(sorted(A4), abs=1.0)
        assert f"Page {number} of {len(pages)}" in page.text


def test_each_track_prints_at_full_size_on_its_own_numbered_pages(
    pdf: Path, store_url: str, hull: Pathway
) -> None:
    pages = pages_of(pdf)
    with JourneyStore(store_url, upgrade=False) as store:
        (section,) = build_report(store, [hull], Q3, at=MADE).sections
    tracks = ["Main track", *(track.title for track in hull.tracks.values())]
    assert sorted({d.track for d in section.diagrams}) == sorted(tracks)
    drawn = []
    for drawing in section.diagrams:
        foot = f"{drawing.track}: page {drawing.part} of {drawing.parts}"
        (page,) = [page for page in pages if foot in page.text]
        drawn.append(page)
    for page, drawing in zip(drawn, section.diagrams, strict=True):
        assert drawing.paper.startswith("A4")  # every bundled track fits A4 at full size
        assert (page.width > page.height) == drawing.paper.endswith("landscape")
        # DejaVu Sans's box is 1.164 of its size: no word is below 9 points, as printed
        smallest = min(word.y1 - word.y0 for word in page.words) / DEJAVU_BOX
        assert smallest >= MIN_TEXT * 0.99, (drawing.track, smallest)
    poppler("pdftoppm")
    ARTEFACTS.mkdir(exist_ok=True)
    prefix = ARTEFACTS / "report-page"
    for old in ARTEFACTS.glob("report-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(prefix)], check=True)
    images = sorted(ARTEFACTS.glob("report-page-*.png"))
    assert len(images) == len(pages)
    image_module = pytest.importorskip("PIL.Image", reason="pip install pillow")
    for page, image_file in zip(pages, images, strict=True):
        if page not in drawn:
            continue
        with image_module.open(image_file) as image:
            ink = image.convert("L").point(lambda v: 255 if v < 245 else 0).getbbox()
            assert ink is not None
            # the drawing is on the page whole: nothing cut at an edge
            assert min(ink[:2]) > 0
            assert ink[2:] < (image.width, image.height)


def test_no_heading_is_left_at_the_foot_of_a_page(pdf: Path, store_url: str, hull: Pathway) -> None:
    from pathways.board import to_html

    with JourneyStore(store_url, upgrade=False) as store:
        page_html = to_html(build_report(store, [hull], Q3, at=MADE))
    headings = {
        " ".join(re.sub(r"<[^>]+>", "", text).split())
        for tag in HEADINGS
        for text in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", page_html, re.DOTALL)
    }
    headings.discard("")
    for number, page in enumerate(pages_of(pdf), start=1):
        body = [w for w in page.words if not w.text.startswith("Page") and w.y0 < page.height - 40]
        body = [w for w in body if not re.fullmatch(r"\d+|of", w.text)]
        last_line = max(w.y0 for w in body)
        words = " ".join(w.text for w in body if abs(w.y0 - last_line) < 2)
        assert words not in headings, f"page {number} ends with the heading {words!r}"


def test_the_footer_points_to_nothing_a_board_member_does_not_have(pdf: Path) -> None:
    text = " ".join(page.text for page in pages_of(pdf))
    assert "This report was made by pathways" in text
    assert "docs/" not in text
    assert ".md" not in text


def test_without_a_browser_the_command_says_what_to_install(
    store_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATHWAYS_CHROMIUM", str(tmp_path / "no-such-browser"))
    target = tmp_path / "r.pdf"
    args = ["report", str(HULL), "--period", "2021Q3", "--db", store_url, "--pdf", str(target)]
    assert main([*args, "--no-diagram"]) == 2
    said = capsys.readouterr().err
    assert "apt-get install chromium" in said
    assert "PATHWAYS_CHROMIUM" in said
    assert not target.exists()
