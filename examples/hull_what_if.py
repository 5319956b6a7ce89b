"""What if Hull City Council had a second modern slavery caseworker?

Runs the bundled Hull scenario and its what-if (`hull-second-caseworker`, which extends it and
changes one value) with the same seed and replications, so both see the same victims arriving,
and prints the two side by side: the difference, its 95% confidence interval, and a `*` where the
interval does not contain zero. Its output is checked, character for character, by
tests/simulation/test_examples.py against examples/hull_what_if.out.

    python examples/hull_what_if.py
"""

from __future__ import annotations

from pathlib import Path

from pathways.definition.loader import load
from pathways.simulation import compare, load_scenario, simulate
from pathways.simulation.summary import comparison_text

ROOT = Path(__file__).resolve().parent.parent
REPLICATIONS = 20
SEED = 2025


def main() -> str:
    """The comparison, as printed."""
    pathway = load(ROOT / "pathways" / "humber" / "hull.yaml")
    scenarios = ("hull.yaml", "hull-second-caseworker.yaml")
    results = [
        simulate(
            pathway,
            load_scenario(ROOT / "scenarios" / "humber" / name),
            replications=REPLICATIONS,
            seed=SEED,
        )
        for name in scenarios
    ]
    return comparison_text(compare(results[0], results[1]))


if __name__ == "__main__":
    print(main(), end="")
