"""Benchmark: the board layout against Graphviz `dot`, on every bundled pathway.

Run with `.venv/bin/python benchmarks/bench_layout.py [--lanes agency|track|both]`. Needs
Graphviz's `dot` on the path (Debian: `apt-get install graphviz`); users never need it.

For each bundled pathway (and lane mode) it lays out the picture with `board_layout`, then
gives `dot` exactly the same drawing to lay out: the same boxes and diamonds at the same sizes
(`fixedsize`), the same labels wrapped the same way in the same font and size, each lane a
cluster, top to bottom. It prints, for both, the edge crossings (pairs of arrow segments that
cross; dot's curves are sampled into polylines and counted by the same function) and the
drawing's area (the lanes' bounding box for ours, the graph's bounding box for dot), with the
ratio ours / dot. Target: each within 1.5 times dot's (`met` or `not met`); a crossing ratio
is taken against at least one crossing, so two layouts without crossings are level.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pathways.definition.loader import Library, discover  # noqa: E402
from pathways.diagram import build  # noqa: E402
from pathways.diagram.board_layout import board_layout  # noqa: E402
from pathways.diagram.dot import quote  # noqa: E402
from pathways.diagram.fonts import FAMILY  # noqa: E402
from pathways.diagram.geometry import Sheet  # noqa: E402
from pathways.diagram.routing import Point, count_crossings  # noqa: E402

TARGET = 1.5
_SAMPLES = 8


def dot_source(sheet: Sheet) -> str:
    """The sheet as DOT: same shapes and sizes, same labels, a cluster per lane, TB."""
    font = quote(FAMILY.split(",")[0])
    out = [
        "digraph g {",
        '  rankdir="TB";',
        f"  node [fixedsize=true, fontname={font}, fontsize=10];",
        f"  edge [fontname={font}, fontsize=9];",
    ]
    for index, band in enumerate(sheet.bands):
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f"    label={quote(chr(10).join(line.text for line in band.title.lines))};")
        for shape in sheet.shapes:
            centre = shape.rect.x + shape.rect.width / 2
            if band.rect.x <= centre < band.rect.right:
                kind = "diamond" if shape.kind in ("decision", "question") else "box"
                label = "\\n".join(line.text.replace('"', "'") for line in shape.text.lines)
                out.append(
                    f"    {quote(shape.id)} [shape={kind}, width={shape.rect.width / 72:.3f}, "
                    f'height={shape.rect.height / 72:.3f}, label="{label}"];'
                )
        out.append("  }")
    for arrow in sheet.arrows:
        label = ""
        if arrow.label is not None:
            label = "\\n".join(line.text.replace('"', "'") for line in arrow.label.lines)
        out.append(f'  {quote(arrow.source)} -> {quote(arrow.target)} [label="{label}"];')
    out.append("}")
    return "\n".join(out) + "\n"


def _bezier(points: list[Point]) -> list[Point]:
    """A cubic B-spline (as `dot -Tplain` gives it) sampled into a polyline."""
    line = [points[0]]
    for start in range(0, len(points) - 3, 3):
        p0, p1, p2, p3 = points[start : start + 4]
        for step in range(1, _SAMPLES + 1):
            t = step / _SAMPLES
            a, b, c, d = (1 - t) ** 3, 3 * t * (1 - t) ** 2, 3 * t * t * (1 - t), t**3
            line.append(
                (
                    a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1],
                )
            )
    return line


def run_dot(source: str, dot: str) -> tuple[int, float, float]:
    """dot's crossings, width and height (points) for `source`."""
    plain = subprocess.run(
        [dot, "-Tplain"], input=source, capture_output=True, text=True, check=True, timeout=120
    ).stdout
    routes: list[list[Point]] = []
    width = height = 0.0
    for line in plain.splitlines():
        parts = line.split()
        if parts and parts[0] == "graph":
            width, height = float(parts[2]) * 72, float(parts[3]) * 72
        elif parts and parts[0] == "edge":
            count = int(parts[3])
            coords = [float(v) * 72 for v in parts[4 : 4 + 2 * count]]
            routes.append(_bezier(list(zip(coords[::2], coords[1::2], strict=True))))
    return count_crossings(routes), width, height


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lanes", choices=("agency", "track", "both"), default="both")
    args = parser.parse_args()
    dot = shutil.which("dot")
    if dot is None:
        sys.exit("bench_layout needs Graphviz's dot (Debian: apt-get install graphviz)")
    lanes = ("agency", "track") if args.lanes == "both" else (args.lanes,)
    paths = [p for p in sorted(discover([ROOT / "pathways"])) if not p.name.endswith(".tests.yaml")]
    print(
        f"{'pathway':<34} {'lanes':<7} {'crossings ours/dot':>19} {'ratio':>6} "
        f"{'area ours/dot (pt^2)':>24} {'ratio':>6}  target {TARGET}x"
    )
    all_met = True
    for path in paths:
        pathway = Library().load(path)
        for kind in lanes:
            sheet = board_layout(build(pathway, lanes=kind))
            ours = count_crossings([arrow.points for arrow in sheet.arrows])
            top = min(band.rect.y for band in sheet.bands)
            bottom = max(band.rect.bottom for band in sheet.bands)
            right = max(band.rect.right for band in sheet.bands)
            area = right * (bottom - top)
            theirs, width, height = run_dot(dot_source(sheet), dot)
            crossing_ratio = max(ours, 1) / max(theirs, 1)
            area_ratio = area / (width * height)
            met = crossing_ratio <= TARGET and area_ratio <= TARGET
            all_met &= met
            name = path.relative_to(ROOT / "pathways").as_posix()
            print(
                f"{name:<34} {kind:<7} {ours:>9} / {theirs:<7} {crossing_ratio:>6.2f} "
                f"{area / 1e6:>10.2f}M / {width * height / 1e6:<8.2f}M {area_ratio:>6.2f}  "
                f"{'met' if met else 'not met'}"
            )
    print(f"all pathways within {TARGET}x of dot: {'met' if all_met else 'not met'}")


if __name__ == "__main__":
    main()
