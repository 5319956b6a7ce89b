"""The board layout as geometry: every box, diamond, lane, arrow and label, placed in points.

```python
from pathways.diagram.board_layout import board_layout
sheet = board_layout(picture)          # a Sheet
[shape.rect for shape in sheet.shapes]  # Rect(x, y, width, height), y growing downwards
sheet.paper.name, sheet.pages  # "A3 landscape", (Rect(...), ...)
```

A `Sheet` is what the SVG and PNG writers draw and what the geometric tests measure: nothing
about it depends on the output format. Every piece of text is a `Text` with its own `Rect`,
its lines already wrapped, so a test can check that it fits with the same font metrics
(`pathways.diagram.fonts`) the SVG uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pathways.diagram.fonts import line_height, text_width

__all__ = [
    "HEADER_ROOM",
    "MIN_TEXT",
    "PAPERS",
    "Arrow",
    "Band",
    "Line",
    "Paper",
    "Rect",
    "Shape",
    "ShapeKind",
    "Sheet",
    "Text",
    "text_fits",
]

#: The smallest text on a printed page, in points.
MIN_TEXT = 9.0

ShapeKind = Literal["box", "decision", "outcome", "question"]


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle: top-left corner and size, in points (y grows downwards)."""

    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: Rect, margin: float = 0.0) -> bool:
        """True when the two rectangles share more than `margin` points each way."""
        return (
            self.x + margin < other.right
            and other.x + margin < self.right
            and self.y + margin < other.bottom
            and other.y + margin < self.bottom
        )


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text, its size in points and whether it is bold."""

    text: str
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    """Lines of text set inside `rect`, centred or from the left."""

    rect: Rect
    lines: tuple[Line, ...]
    align: Literal["centre", "left"] = "centre"

    @property
    def words(self) -> str:
        return " ".join(line.text for line in self.lines)


def text_fits(text: Text) -> bool:
    """True when every line is no wider than the text's rectangle, and all lines fit its
    height, measured with the SVG's font metrics."""
    height = sum(line_height(line.size) for line in text.lines)
    widest = max((text_width(line.text, line.size, line.bold) for line in text.lines), default=0)
    return widest <= text.rect.width + 1e-6 and height <= text.rect.height + 1e-6


@dataclass(frozen=True, slots=True)
class Shape:
    """A stage (box, decision diamond or outcome) or a question a branch asks (diamond)."""

    id: str
    kind: ShapeKind
    rect: Rect
    text: Text
    entry: bool = False
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Band:
    """A lane: a column of the drawing with its title at the top."""

    lane: str
    rect: Rect
    title: Text


@dataclass(frozen=True, slots=True)
class Arrow:
    """An arrow as a polyline from `source` to `target`, with its label (if any).

    `style` is "solid" for a handoff, "dashed" for one that happens when a time limit runs
    out and "dotted" for the start of a parallel track.
    """

    source: str
    target: str
    handoff: str
    points: tuple[tuple[float, float], ...]
    label: Text | None
    style: Literal["solid", "dashed", "dotted"] = "solid"
    flagged: bool = False


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper size and the part of it a drawing may use (within the margins), in points."""

    name: str
    width: float
    height: float
    margin: float = 28.0

    @property
    def usable(self) -> tuple[float, float]:
        return self.width - 2 * self.margin, self.height - 2 * self.margin


#: The papers a drawing is printed on, smallest first (portrait before landscape).
PAPERS = (
    Paper("A4 portrait", 595.0, 842.0),
    Paper("A4 landscape", 842.0, 595.0),
    Paper("A3 portrait", 842.0, 1191.0),
    Paper("A3 landscape", 1191.0, 842.0),
)

_HEADER_PAD = 6.0
#: The room a page cut below the lane titles takes above its slice, besides the titles: a
#: margin round them and, under them, room for "from p.2" where an arrow comes in.
HEADER_ROOM = 2 * _HEADER_PAD + 12.0


@dataclass(frozen=True, slots=True)
class Sheet:
    """The whole drawing: its size, title, lanes, shapes, arrows and notes, in points.

    `paper` is what it is printed on: of A4 and A3, portrait or landscape, the one that needs
    the fewest pages (the smaller when two need as many). `scale` is how much it is shrunk for
    print (1.0: printed as drawn, so no text is below `MIN_TEXT` points) and `pages` the
    slice of the drawing on each printed page, in reading order: down the first lanes, then
    down the next ones.
    Pages are cut between lanes and between ranks, never through a box or a label; a page
    with nothing on it but empty lanes is left out. A page cut below the lane titles repeats
    them above its slice (`page_header`), and its slice leaves room for them on the paper.
    """

    width: float
    height: float
    title: Text
    bands: tuple[Band, ...]
    shapes: tuple[Shape, ...]
    arrows: tuple[Arrow, ...]
    notes: tuple[Text, ...]
    paper: Paper
    scale: float
    pages: tuple[Rect, ...]

    def texts(self) -> list[Text]:
        """Every piece of text on the sheet."""
        found = [self.title, *self.notes]
        found += [band.title for band in self.bands]
        found += [shape.text for shape in self.shapes]
        found += [arrow.label for arrow in self.arrows if arrow.label is not None]
        return found

    @property
    def header_height(self) -> float:
        """The height of the strip of lane titles repeated above a page cut below them."""
        tallest = max((band.title.rect.height for band in self.bands), default=0.0)
        return tallest + HEADER_ROOM if self.bands else 0.0

    def page_header(self, page: int) -> tuple[Text, ...]:
        """The lane titles to print above page `page` (numbered from 0) when its slice starts
        below the lane titles: the title of each lane with a box in the slice, centred over
        what the slice shows of the lane, in a strip `header_height` tall just above the
        slice (its foot is left for the notes of arrows coming in from the page before)."""
        view = self.pages[page]
        if not self.bands or view.y < min(band.title.rect.bottom for band in self.bands):
            return ()
        top = view.y - self.header_height + _HEADER_PAD
        out: list[Text] = []
        for band in self.bands:
            left, right = max(band.rect.x, view.x), min(band.rect.right, view.right)
            shown = [
                shape
                for shape in self.shapes
                if band.rect.x <= shape.rect.x + shape.rect.width / 2 < band.rect.right
                and shape.rect.overlaps(view)
            ]
            if not shown:
                continue
            width = band.title.rect.width
            x = min(max((left + right - width) / 2, view.x), view.right - width)
            out.append(Text(Rect(x, top, width, band.title.rect.height), band.title.lines))
        return tuple(out)

    @property
    def smallest_printed(self) -> float:
        """The smallest text, in points, as printed on `paper`."""
        sizes = [line.size for text in self.texts() for line in text.lines]
        return min(sizes, default=MIN_TEXT) * self.scale
