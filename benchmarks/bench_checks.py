"""Benchmark: every check rule and the metrics on generated pathways of growing size.

Run with `.venv/bin/python benchmarks/bench_checks.py [--quick]`. It generates pathways of
1,000, 10,000 and 100,000 stages (`--quick`: 1,000 and 10,000) with a 32-profile victim
profile (five yes/no attributes, two of them with declared changes), builds each pathway in
Python, runs `pathways.checks.check` with every rule on (the `strict` preset, domain rules
included), and prints the CPU time per size and the growth per tenfold step, next to the growth
of the report itself (the lines of the routes the findings print). Target: near-linear growth,
and 100,000 stages in under 30 seconds.

Two shapes are measured (`--shape`, default both). In `tree` (what `generate` gives by
default, pinned by `tests/checks/test_generated.py`) the modules form a binary tree, so routes
to findings lengthen with its depth and the report grows about as n log n; in `wide` they form
three levels at every size, so routes do not lengthen and the report grows as the pathway does.

A generated pathway is made of modules of ten stages, each like an area pathway:
identification, a triage that splits victims by age, safeguarding for children, a consent
discussion, an NRM referral or a duty-to-notify report, a decision with a reconsideration loop,
support, and a decision that hands on to further modules (in the tree, module i to 2i+1 and
2i+2; the last ones to a closing outcome). Every fifth module starts a police track of its own.
Twelve agencies own the stages in overlapping windows, and six information items are collected
and shared along the way, so each rule has some findings to report. Randomness is seeded.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pathways.checks import check  # noqa: E402
from pathways.definition.schema import Pathway  # noqa: E402

AGENCIES = 12
ITEMS = ("account", "address", "health", "immigration", "consent-record", "contact")


def _profile() -> dict[str, Any]:
    return {
        "age_group": {"values": ["child", "adult"], "changes": [{"from": "child", "to": "adult"}]},
        "consent": {"values": ["given", "declined"]},
        "needs_accommodation": {"flag": True, "changes": [{"from": False, "to": True}]},
        "has_dependants": {"flag": True},
        "uk_national": {"flag": True},
    }


def _tree(index: int, modules: int) -> list[int | None]:
    """The binary tree: module i hands on to 2i+1 and 2i+2 (None: the closing outcome)."""
    return [c if c < modules else None for c in (2 * index + 1, 2 * index + 2)]


def _wide(index: int, modules: int) -> list[int | None]:
    """Three levels at every size: the first module hands on to `b` modules, each of those to
    `b` more, and those close (`b` is the smallest width that fits every module in)."""
    width = 1
    while width + width * width < modules - 1:
        width += 1
    if index == 0:
        found = list(range(1, min(width, modules - 1) + 1))
    elif index <= width:
        first = width + (index - 1) * width + 1
        found = [c for c in range(first, first + width) if c < modules]
    else:
        found = []
    return list(found) if found else [None, None]


SHAPES = {"tree": _tree, "wide": _wide}


def _module(
    index: int,
    rng: random.Random,
    data: dict[str, Any],
    modules: int,
    onward: list[int | None],
) -> None:
    stages, handoffs = data["stages"], data["handoffs"]
    owner = [f"ag{(index + k) % AGENCIES}" for k in range(4)]
    m = f"m{index}"
    names = ["id", "triage", "care", "talk", "nrm", "notify", "decide", "recon", "help", "next"]
    kinds = [
        "identification",
        "safeguarding",
        "safeguarding",
        "referral",
        "referral",
        "referral",
        "decision",
        "referral",
        "support",
        "decision",
    ]
    owners = [
        owner[0],
        owner[1],
        owner[2],
        owner[0],
        owner[0],
        owner[0],
        owner[3],
        owner[3],
        owner[2],
        owner[2],
    ]
    for name, kind, who in zip(names, kinds, owners, strict=True):
        stage: dict[str, Any] = {"title": f"{name} {index}", "owner": who, "kind": kind}
        if rng.random() < 0.7:
            stage["within"] = f"{rng.randint(1, 10)} working days"
        stage["collects"] = [ITEMS[index % len(ITEMS)]] if name == "id" else []
        stages[f"{m}-{name}"] = stage
    stages[f"{m}-talk"]["tags"] = ["consent-discussion"]
    stages[f"{m}-nrm"]["tags"] = ["nrm-referral"]
    stages[f"{m}-notify"]["tags"] = ["duty-to-notify"]
    stages[f"{m}-care"]["tags"] = ["childrens-services-referral"]

    def move(name: str, source: str, target: str, when: str | None = None, **more: Any) -> None:
        handoff: dict[str, Any] = {
            "from": f"{m}-{source}",
            "to": target,
            "by": [stages[f"{m}-{source}"]["owner"]],
        }
        if when:
            handoff["when"] = when
        handoff["shares"] = rng.sample(ITEMS, rng.randint(3, 6))
        handoff.update(more)
        handoffs[f"{m}-{name}"] = handoff

    move("triage", "id", f"{m}-triage")
    move("kids", "triage", f"{m}-care", "age_group == 'child'")
    move("adults", "triage", f"{m}-talk", "age_group == 'adult'")
    move("care-nrm", "care", f"{m}-nrm", "age_group == 'child'")
    move("care-adult", "care", f"{m}-talk", "age_group == 'adult'")
    move("refer", "talk", f"{m}-nrm", "consent == 'given'")
    move("declined", "talk", f"{m}-notify", "consent == 'declined'")
    starts = ["police" + str(index)] if index % 5 == 0 else []
    move("submit", "nrm", f"{m}-decide", starts=starts)
    move("notified", "notify", f"{m}-help")
    move("positive", "decide", f"{m}-help")
    move("negative", "decide", f"{m}-recon", "not needs_accommodation or uk_national")
    move("reconsider", "recon", f"{m}-decide")
    move("accommodate", "decide", f"{m}-help", "needs_accommodation")
    move("move-on", "help", f"{m}-next")
    for branch, child in enumerate(onward, 1):
        target = "end" if child is None else f"m{child}-id"
        move(f"onward{branch}", "next", target)
    if index % 5 == 0:
        track = f"police{index}"
        data["tracks"][track] = {"title": f"Police {index}", "entry": f"{track}-crime"}
        police = f"ag{(index + 5) % AGENCIES}"
        stages[f"{track}-crime"] = {
            "title": "Crime recorded",
            "owner": police,
            "kind": "investigation",
            "track": track,
            "tags": ["crime-recorded"],
            "collects": ["account"],
        }
        stages[f"{track}-nfa"] = {
            "title": "No further action",
            "owner": police,
            "kind": "outcome",
            "track": track,
            "outcome": "no-further-action",
        }
        handoffs[f"{track}-close"] = {
            "from": f"{track}-crime",
            "to": f"{track}-nfa",
            "by": [police],
        }


def generate(stages: int, seed: int = 1, shape: str = "tree") -> Pathway:
    """A valid pathway of about `stages` stages (see the module docstring), its modules
    joined as `shape` says (`SHAPES`)."""
    children = SHAPES[shape]
    rng = random.Random(seed)
    data: dict[str, Any] = {
        "id": "bench/generated",
        "title": f"Generated pathway of {stages:,} stages",
        "area": "Benchmarkshire",
        "version": "1",
        "entry": "m0-id",
        "roles": {"first-responder": {"title": "First responder"}},
        "agencies": {
            f"ag{i}": {
                "name": f"Agency {i}",
                "roles": ["first-responder"],
                "first_responder": True,
                "public_authority": i % 2 == 0,
            }
            for i in range(AGENCIES)
        },
        "profile": _profile(),
        "information": {i: {"title": i, "sensitivity": "personal"} for i in ITEMS},
        "tracks": {},
        "stages": {
            "end": {"title": "Closed", "owner": "ag0", "kind": "outcome", "outcome": "supported"}
        },
        "handoffs": {},
        "checks": {"preset": "strict"},
    }
    modules = max(1, (stages - 1) // 10)
    for index in range(modules):
        _module(index, rng, data, modules, children(index, modules))
    return Pathway.model_validate(data, strict=False)


def measure(shape: str, sizes: tuple[int, ...]) -> float:
    """Check pathways of `shape` at each size; print a row each; the last size's seconds."""
    print(f"\n{shape}: {DESCRIBED[shape]}")
    print(
        f"{'stages':>8} {'handoffs':>9} {'profiles':>8} {'findings':>8} {'route ln':>9} "
        f"{'ln/find':>7} {'seconds':>8} {'ms/1k st':>8} {'growth':>7} {'vs 10x':>7} "
        f"{'report':>7}"
    )
    previous: tuple[int, float, int] | None = None
    seconds = 0.0
    for size in sizes:
        pathway = generate(size, shape=shape)
        started = time.process_time()
        report = check(pathway)
        seconds = time.process_time() - started
        stages = len(pathway.stages)
        lines = sum(len(finding.route) for finding in report.findings)
        growth = ratio = grown = ""
        if previous is not None:
            step = seconds / previous[1]
            growth = f"{step:.1f}x"
            ratio = f"{step / (stages / previous[0]):.2f}"
            grown = f"{lines / previous[2]:.1f}x"
        per_thousand = 1000 * seconds / (stages / 1000)
        per_finding = lines / max(1, len(report.findings))
        print(
            f"{stages:>8,} {len(pathway.handoffs):>9,} {pathway.profile_space.size:>8} "
            f"{len(report.findings):>8,} {lines:>9,} {per_finding:>7.1f} {seconds:>8.2f} "
            f"{per_thousand:>8.0f} {growth:>7} {ratio:>7} {grown:>7}"
        )
        previous = (stages, seconds, lines)
    return seconds


DESCRIBED = {
    "tree": "modules in a binary tree (routes lengthen with its depth, about log2 of the size)",
    "wide": "modules in three levels at every size (routes no longer at 100,000 than at 1,000)",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 and 10,000 stages only")
    parser.add_argument(
        "--shape", choices=[*SHAPES, "both"], default="both", help="how modules are joined"
    )
    args = parser.parse_args()
    sizes = (1_000, 10_000) if args.quick else (1_000, 10_000, 100_000)
    shapes = list(SHAPES) if args.shape == "both" else [args.shape]
    last = {shape: measure(shape, sizes) for shape in shapes}
    print(
        "\ngrowth: time against the previous size in this run; vs 10x: that growth over the "
        "growth in stages (1.00 is linear); route ln: lines of the routes in the findings "
        "(counted after the timing); ln/find: per finding; report: their growth"
    )
    if not args.quick:
        for shape, seconds in last.items():
            verdict = "met" if seconds < 30 else "NOT met"
            print(f"target 100,000 stages under 30 s ({shape}): {verdict} ({seconds:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
