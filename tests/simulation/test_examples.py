"""The what-if example's output is a golden file: same seed, same numbers, on any machine."""

from __future__ import annotations

import runpy

from paths import ROOT


def test_hull_what_if_prints_exactly_the_golden_output() -> None:
    example = runpy.run_path(str(ROOT / "examples" / "hull_what_if.py"))
    golden = (ROOT / "examples" / "hull_what_if.out").read_text(encoding="utf-8")
    assert example["main"]() == golden
