"""Every finding and metric on pathways from the checks benchmark's generator, pinned.

The checks are tuned for speed on large pathways (`benchmarks/bench_checks.py`); this pins
their whole output on generated pathways, so a faster walk, search or route cannot change a
rule's results: every finding, its profiles and its route, and every metric. The 1,000-stage
report is kept whole (gzipped JSON, diffable when it changes); the 3,000-stage one by its
SHA-256. Both were written by the checks before they were tuned, and rewritten once since, on
purpose: when duplicate-handoff routes were held to the route limit like every other rule's
(only those routes changed: the steps before the limit are left out, as the route says), and
when a retelling came to follow who holds an item (`pathways.definition.retelling`): a handoff
that shares an item passes it on only from an agency that has it, so chains that share it
after a handoff that did not now ask again (24 `repeat-story` findings at 1,000 stages, none
before; their routes are those that walk records, not always the shortest); and when the
ping-pong hint came to name both handoffs a suppression may give; and when each finding
gained `inherited_from` (null here: a generated pathway extends nothing), and each metrics row
`ends_instead` (empty unless a profile never reaches support); and when the metrics' most
times asked for one item came to count by the same definition of a retelling (a stage whose
agency already holds the item does not ask): 2 or 3 where it was 4, the old walk's cap, for
stages of agencies that had been given the item; the findings did not change.

Run with `PATHWAYS_UPDATE_GOLDEN=1` to rewrite them after a deliberate change of output.
"""

from __future__ import annotations

import difflib
import gzip
import hashlib
import importlib.util
import os
from types import ModuleType

from paths import ROOT
from pathways.checks import check
from pathways.checks.output import json_report

GOLDEN = ROOT / "tests" / "golden" / "checks" / "generated-1000.json.gz"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
#: SHA-256 of the JSON report on the 3,000-stage generated pathway (3,111 stages).
DIGEST_3000 = "e46701617a3a757f4f59c2ede2fff4e1310e7c3cc0e9caf906109921812788f5"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_checks", ROOT / "benchmarks" / "bench_checks.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _report(stages: int) -> str:
    return json_report([check(_generator().generate(stages))])


def test_findings_on_a_generated_pathway_are_unchanged() -> None:
    got = _report(1_000)
    if UPDATE:
        GOLDEN.write_bytes(gzip.compress(got.encode(), mtime=0))
    want = gzip.decompress(GOLDEN.read_bytes()).decode()
    if got != want:
        diff = difflib.unified_diff(
            want.splitlines(), got.splitlines(), "golden", "now", lineterm="", n=2
        )
        raise AssertionError("\n".join(list(diff)[:60]))


def test_findings_on_a_larger_generated_pathway_are_unchanged() -> None:
    digest = hashlib.sha256(_report(3_000).encode()).hexdigest()
    if UPDATE:
        print(f"DIGEST_3000 = {digest!r}")
        return
    assert digest == DIGEST_3000


def test_the_wide_shape_reaches_every_module_with_routes_that_do_not_lengthen() -> None:
    """The benchmark's second shape: every stage reachable, routes as long at every size."""
    generator = _generator()
    longest = []
    for stages in (1_000, 5_000):
        pathway = generator.generate(stages, shape="wide")
        report = check(pathway)
        assert not [f for f in report.findings if f.rule == "no-unreachable-stage"]
        longest.append(max(len(f.route) for f in report.findings))
    assert longest[0] == longest[1]
    deep = check(generator.generate(5_000))  # the tree: its routes lengthen with its depth
    assert max(len(f.route) for f in deep.findings) > longest[1]
