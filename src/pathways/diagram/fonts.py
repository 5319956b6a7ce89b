"""The widths of DejaVu Sans letters, so text is measured exactly as the SVG draws it.

```python
from pathways.diagram.fonts import text_width, wrap
text_width("Closed", 9.0)          # points
wrap("Referral to children's social care", 9.0, width=80.0)
```

The SVG names DejaVu Sans first (matplotlib bundles it, so the PNG uses the same letters) and
falls back to Verdana, whose letters are as wide; a letter not in the table is measured as the
widest letter there is, so text never runs out of its box. The widths are the fonts' advance
widths in font units (2,048 to the em), read from DejaVu Sans 2.37 and DejaVu Sans Bold.
"""

from __future__ import annotations

__all__ = ["FAMILY", "line_height", "text_width", "wrap"]

#: The font families the SVG asks for, best first.
FAMILY = "DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif"

_EM = 2048
_CHARS = (
    "".join(chr(code) for code in range(32, 127))
    + "\u00b7\u2013\u2014\u2018\u2019\u201c\u201d\u00a3\u00e9\u2026\u2192"
)
_REGULAR = (
    651,
    821,
    942,
    1716,
    1303,
    1946,
    1597,
    563,
    799,
    799,
    1024,
    1716,
    651,
    739,
    651,
    690,
    1303,
    1303,
    1303,
    1303,
    1303,
    1303,
    1303,
    1303,
    1303,
    1303,
    690,
    690,
    1716,
    1716,
    1716,
    1087,
    2048,
    1401,
    1405,
    1430,
    1577,
    1294,
    1178,
    1587,
    1540,
    604,
    604,
    1343,
    1141,
    1767,
    1532,
    1612,
    1235,
    1612,
    1423,
    1300,
    1251,
    1499,
    1401,
    2025,
    1403,
    1251,
    1403,
    799,
    690,
    799,
    1716,
    1024,
    1024,
    1255,
    1300,
    1126,
    1300,
    1260,
    721,
    1300,
    1298,
    569,
    569,
    1186,
    569,
    1995,
    1298,
    1253,
    1300,
    1300,
    842,
    1067,
    803,
    1298,
    1212,
    1675,
    1212,
    1212,
    1075,
    1303,
    690,
    1303,
    1716,
    651,
    1024,
    2048,
    651,
    651,
    1061,
    1061,
    1303,
    1260,
    2048,
    1716,
)
_BOLD = (
    713,
    934,
    1067,
    1716,
    1425,
    2052,
    1786,
    627,
    936,
    936,
    1071,
    1716,
    778,
    850,
    778,
    748,
    1425,
    1425,
    1425,
    1425,
    1425,
    1425,
    1425,
    1425,
    1425,
    1425,
    819,
    819,
    1716,
    1716,
    1716,
    1188,
    2048,
    1585,
    1561,
    1503,
    1700,
    1399,
    1399,
    1681,
    1714,
    762,
    762,
    1587,
    1305,
    2038,
    1714,
    1741,
    1501,
    1741,
    1577,
    1475,
    1397,
    1663,
    1585,
    2259,
    1579,
    1483,
    1485,
    936,
    748,
    936,
    1716,
    1024,
    1024,
    1382,
    1466,
    1214,
    1466,
    1389,
    891,
    1466,
    1458,
    702,
    702,
    1362,
    702,
    2134,
    1458,
    1407,
    1466,
    1466,
    1010,
    1219,
    979,
    1458,
    1335,
    1892,
    1321,
    1335,
    1192,
    1458,
    748,
    1458,
    1716,
    778,
    1024,
    2048,
    778,
    778,
    1346,
    1346,
    1425,
    1389,
    2048,
    1716,
)
_WIDEST = max(max(_REGULAR), max(_BOLD))
_WIDTHS = (dict(zip(_CHARS, _REGULAR, strict=True)), dict(zip(_CHARS, _BOLD, strict=True)))


def line_height(size: float) -> float:
    """The distance between two lines of text of `size` points."""
    return size * 1.25


def text_width(text: str, size: float, bold: bool = False) -> float:
    """How wide `text` is, in points, at `size` points."""
    widths = _WIDTHS[bold]
    return sum(widths.get(ch, _WIDEST) for ch in text) * size / _EM


def wrap(text: str, size: float, width: float, bold: bool = False) -> tuple[str, ...]:
    """`text` in lines no wider than `width` points, broken between words; never cut.

    A word wider than `width` has a line of its own (the box grows to fit it), so no word is
    ever shortened or lost.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if current and text_width(trial, size, bold) > width:
            lines.append(current)
            current = word
        else:
            current = trial
    if current:
        lines.append(current)
    return tuple(lines)
