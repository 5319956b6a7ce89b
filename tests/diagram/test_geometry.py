"""The board layout's geometry, measured: what a board member would see go wrong on paper.

For every bundled pathway in both lane modes, every profile of the national baseline and
generated pathways: no arrow runs through a box it does not connect, no label sits on a box or
on another label, every text fits its box (measured with the font widths the SVG uses), and
printed on the sheet's paper no text is smaller than 9 points.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from paths import ROOT
from pathways.definition.loader import Library, discover
from pathways.definition.schema import Pathway
from pathways.diagram import build
from pathways.diagram.board_layout import board_layout
from pathways.diagram.fonts import text_width
from pathways.diagram.geometry import MIN_TEXT, PAPERS, Rect, Sheet, Text, text_fits
from pathways.diagram.picture import Diagram, Lane, Link, Node, profile_mask
from pathways.diagram.svg import svg
from strategies import pathways

_ALL = sorted(discover([ROOT / "pathways"])) if (ROOT / "pathways").is_dir() else []
BUNDLED = [path for path in _ALL if not path.name.endswith(".tests.yaml")]
BASELINE = ROOT / "pathways" / "national" / "england.yaml"


def _segment_enters(a: tuple[float, float], b: tuple[float, float], rect: Rect) -> bool:
    """True when the segment a-b passes through the inside of `rect` (Liang-Barsky)."""
    inner = Rect(rect.x + 0.5, rect.y + 0.5, rect.width - 1, rect.height - 1)
    dx, dy = b[0] - a[0], b[1] - a[1]
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, a[0] - inner.x),
        (dx, inner.right - a[0]),
        (-dy, a[1] - inner.y),
        (dy, inner.bottom - a[1]),
    ):
        if p == 0:
            if q < 0:
                return False
            continue
        t = q / p
        if p < 0:
            low = max(low, t)
        else:
            high = min(high, t)
        if low > high:
            return False
    return True


def _inside(inner: Rect, outer: Rect) -> bool:
    return (
        inner.x >= outer.x - 1e-6
        and inner.y >= outer.y - 1e-6
        and inner.right <= outer.right + 1e-6
        and inner.bottom <= outer.bottom + 1e-6
    )


def assert_readable(sheet: Sheet) -> None:
    """Every geometric promise of the board layout, checked on one sheet."""
    shapes = {shape.id: shape for shape in sheet.shapes}
    for arrow in sheet.arrows:
        for shape in sheet.shapes:
            if shape.id in (arrow.source, arrow.target):
                continue
            for a, b in itertools.pairwise(arrow.points):
                assert not _segment_enters(a, b, shape.rect), (
                    f"the arrow {arrow.handoff} ({arrow.source} to {arrow.target}) runs "
                    f"through {shape.id}"
                )
    labels = [arrow.label.rect for arrow in sheet.arrows if arrow.label is not None]
    labels += [band.title.rect for band in sheet.bands]
    labels += [note.rect for note in sheet.notes] + [sheet.title.rect]
    for label in labels:
        for shape in shapes.values():
            assert not label.overlaps(shape.rect), f"a label sits on {shape.id}"
    for first, second in itertools.combinations(labels, 2):
        assert not first.overlaps(second), f"two labels overlap: {first} and {second}"
    for text in sheet.texts():
        assert text_fits(text), f"{text.words!r} does not fit its box"
        assert _inside(text.rect, Rect(0, 0, sheet.width, sheet.height))
    for shape in shapes.values():
        assert _inside(shape.text.rect, shape.rect), f"the text of {shape.id} leaves its box"
    for first, second in itertools.combinations(shapes.values(), 2):
        assert not first.rect.overlaps(second.rect), f"{first.id} and {second.id} overlap"


def assert_printable(sheet: Sheet) -> None:
    """No text under 9 points on the sheet's paper; each page's slice (and the lane titles
    repeated above it) fits that paper; no box or text is cut by a page's edge."""
    assert sheet.smallest_printed >= MIN_TEXT
    width, height = sheet.paper.usable
    for number, page in enumerate(sheet.pages):
        header = sheet.header_height if sheet.page_header(number) else 0.0
        assert page.width * sheet.scale <= width + 1e-6
        assert (page.height + header) * sheet.scale <= height + 1e-6
    whole = [shape.rect for shape in sheet.shapes] + [text.rect for text in sheet.texts()]
    for rect in whole:
        assert any(_inside(rect, page) for page in sheet.pages), f"{rect} is cut by a page edge"


def _load(path: Path, monkeypatch: pytest.MonkeyPatch) -> Pathway:
    monkeypatch.chdir(ROOT)
    return Library().load(path.relative_to(ROOT))


@pytest.mark.parametrize("lanes", ["agency", "track"])
@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.relative_to(ROOT / "pathways").as_posix())
def test_bundled_pathways_are_readable(
    path: Path, lanes: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sheet = board_layout(build(_load(path, monkeypatch), lanes=lanes))
    assert_readable(sheet)
    assert_printable(sheet)


def _profiles(pathway: Pathway) -> list[str]:
    names = list(pathway.profile)
    domains = [pathway.profile[name].domain for name in names]
    views = []
    for values in itertools.product(*domains):
        views.append(",".join(f"{n}={str(v).lower()}" for n, v in zip(names, values, strict=True)))
    return views


def test_every_profile_of_the_baseline_is_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = _load(BASELINE, monkeypatch)
    views = _profiles(baseline)
    assert len(views) >= 4
    for view in views:
        profile_mask(baseline, view)
        for lanes in ("agency", "track"):
            sheet = board_layout(build(baseline, lanes=lanes, profile=view))
            assert_readable(sheet)
            assert_printable(sheet)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways(max_tracks=2, max_stages=5), st.sampled_from(["agency", "track"]))
def test_generated_pathways_are_readable(pathway: Pathway, lanes: str) -> None:
    sheet = board_layout(build(pathway, lanes=lanes))
    assert_readable(sheet)
    assert_printable(sheet)
    drawn = {shape.id for shape in sheet.shapes}
    assert set(pathway.stages) <= drawn


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathways(max_tracks=3, max_stages=5, max_agencies=12), st.sampled_from(["agency", "track"]))
def test_generated_wide_pathways_are_split_not_shrunk(pathway: Pathway, lanes: str) -> None:
    """More lanes than fit across the paper at 9 points: pages side by side, text full size."""
    sheet = board_layout(build(pathway, lanes=lanes))
    assert_readable(sheet)
    assert_printable(sheet)
    assert sheet.scale == 1.0
    left = min(shape.rect.x for shape in sheet.shapes)
    right = max(shape.rect.right for shape in sheet.shapes)
    if right - left > sheet.paper.usable[0] + 1e-6:
        assert len({round(page.x) for page in sheet.pages}) > 1


def test_a_stage_with_many_loops_back_to_itself_prints_at_full_size() -> None:
    """The loops' labels stand one above another, so the stage grows taller, not wider than
    A4 portrait."""
    loops = tuple(
        Link(f"ask again {n}", "s", "s", (f"ask again {n}", "by Agency A", "within 5 days"))
        for n in range(12)
    )
    diagram = Diagram(
        "test/loops",
        "Many loops",
        (Lane("a", "Agency A"),),
        (Node("s", "Stage", "Agency A", "box", "a", entry=True),),
        loops,
    )
    sheet = board_layout(diagram, PAPERS[0])
    assert_readable(sheet)
    assert_printable(sheet)
    assert len(sheet.pages) == 1


def test_every_page_of_a_split_drawing_shows_its_lane_titles(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Printed on A4 portrait the baseline's track lanes take pages down and across; each
    page shows the titles of the lanes whose boxes it holds, above its slice."""
    sheet = board_layout(build(_load(BASELINE, monkeypatch), lanes="track"), PAPERS[0])
    assert len({round(page.y) for page in sheet.pages}) > 1
    for number, page in enumerate(sheet.pages):
        drawn = svg(sheet, page=number)
        for band in sheet.bands:
            holds = any(
                band.rect.x <= shape.rect.x + shape.rect.width / 2 < band.rect.right
                and _inside(shape.rect, page)
                for shape in sheet.shapes
            )
            if holds:
                for line in band.title.lines:
                    assert f">{escape(line.text)}</text>" in drawn, (number, line.text)
        header = sheet.page_header(number)
        for text in header:
            assert text.rect.bottom <= page.y
            assert text.rect.y >= page.y - sheet.header_height
            assert text_fits(text)
        for first, second in itertools.combinations(header, 2):
            assert not first.rect.overlaps(second.rect)


def test_the_baseline_asks_about_age_group_in_a_diamond(monkeypatch: pytest.MonkeyPatch) -> None:
    sheet = board_layout(build(_load(BASELINE, monkeypatch)))
    questions = [s for s in sheet.shapes if s.kind == "question"]
    assert "Age group?" in {q.text.words for q in questions}
    asked = next(q for q in questions if q.text.words == "Age group?")
    answers = {a.label.lines[0].text for a in sheet.arrows if a.source == asked.id and a.label}
    assert answers == {"age group is adult", "age group is child"}


def test_tracks_are_joined_to_the_stage_that_starts_them(monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = _load(BASELINE, monkeypatch)
    sheet = board_layout(build(baseline))
    dotted = {(a.source, a.target) for a in sheet.arrows if a.style == "dotted"}
    for track in baseline.tracks.values():
        assert any(target == track.entry for _, target in dotted), track.title


def test_time_limits_are_printed_in_full(monkeypatch: pytest.MonkeyPatch) -> None:
    baseline = _load(BASELINE, monkeypatch)
    words = " ".join(text.words for text in board_layout(build(baseline)).texts())
    for stage in baseline.stages.values():
        if stage.within is not None:
            assert f"within {stage.within}" in words
    assert "..." not in words


def test_a_lane_of_many_agencies_lists_them_in_a_note(monkeypatch: pytest.MonkeyPatch) -> None:
    herts = _load(ROOT / "pathways" / "hertfordshire" / "hertfordshire.yaml", monkeypatch)
    sheet = board_layout(build(herts))
    housing = next(b for b in sheet.bands if "housing" in b.title.words.lower())
    assert "(10 agencies, listed in note 1)" in housing.title.words
    assert len(housing.title.lines) <= 4
    note = next(n for n in sheet.notes if n.words.startswith("Note 1."))
    assert "Watford Borough Council" in note.words


def test_text_widths_add_up_letter_by_letter() -> None:
    assert text_width("", 9) == 0
    assert text_width("ab", 9) == pytest.approx(text_width("a", 9) + text_width("b", 9))
    assert text_width("W", 18) == pytest.approx(2 * text_width("W", 9))
    assert text_width("Wide", 9, bold=True) > text_width("Wide", 9)
    assert text_width("\u4e00", 9) >= text_width("W", 9)


@given(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60))
def test_wrapped_text_is_never_cut(words: str) -> None:
    from pathways.diagram.fonts import wrap

    lines = wrap(words, 9.0, 80.0)
    assert " ".join(lines).split() == words.split()
    for line in lines:
        assert text_width(line, 9.0) <= 80.0 or " " not in line.strip()


def test_text_fits_measures_with_the_svg_font() -> None:
    from pathways.diagram.geometry import Line

    line = Line("Referral", 9.0)
    width = text_width("Referral", 9.0)
    assert text_fits(Text(Rect(0, 0, width, 12), (line,)))
    assert not text_fits(Text(Rect(0, 0, width - 1, 12), (line,)))
    assert not text_fits(Text(Rect(0, 0, width, 10), (line,)))
