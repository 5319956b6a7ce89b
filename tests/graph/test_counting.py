"""The packed counting walk (`PackedCounts`, used by the metrics) finds exactly the states that
the level-by-level walk (`CountsWithRoutes`, used where a route must be written out) finds, lane
by lane."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.definition.schema import Pathway
from pathways.graph.counting import CountsWithRoutes, PackedCounts
from pathways.graph.profile_graph import ProfileGraph
from strategies import build, small_pathways


def _unpacked(tally: PackedCounts, lane: int) -> dict[int, int]:
    """A lane of `tally` keyed as `CountsWithRoutes` keys its states (stage number * span +
    count)."""
    block = (1 << tally.width) - 1
    found: dict[int, int] = {}
    for stage, value in tally.values.items():
        for count in range(tally.span):
            bits = value >> (tally.width * (tally.span * lane + count)) & block
            if bits:
                found[tally.graph.order[stage] * tally.span + count] = bits
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=6), st.integers(1, 4), st.booleans())
def test_each_lane_of_a_tally_finds_the_states_of_its_own_walk(
    pathway: Pathway, cap: int, stop_at_support: bool
) -> None:
    graph = ProfileGraph(pathway)
    items = sorted(pathway.information)
    asks = {
        name: sum(1 << lane for lane, item in enumerate(items) if item in stage.collects)
        for name, stage in pathway.stages.items()
    }
    owners = graph.owners
    changed = {(s, t): int(owners[s] != owners[t]) for s in pathway.stages for t in pathway.stages}

    def support(name: str) -> bool:
        return stop_at_support and pathway.stages[name].kind == "support"

    # lane 0 counts changes of agency, lanes 1.. the times each item is asked for
    def step(source: str, target: str) -> int:
        return changed[source, target] | asks[target] << 1

    entry = pathway.entry
    tally = PackedCounts(
        graph, cap, (entry, asks[entry] << 1, graph.full), step, support, 1 + len(items)
    )
    walks = [
        CountsWithRoutes(graph, cap, (entry, 0, graph.full), lambda s, t: changed[s, t], support)
    ]
    for lane in range(len(items)):
        walks.append(
            CountsWithRoutes(
                graph,
                cap,
                (entry, asks[entry] >> lane & 1, graph.full),
                lambda s, t, lane=lane: asks[t] >> lane & 1,  # type: ignore[misc]
                support,
            )
        )
    for lane, walk in enumerate(walks):
        assert _unpacked(tally, lane) == walk.masks
    names = list(graph.order)
    assert set(tally.values) == {names[state // tally.span] for state in walks[0].masks}


def test_a_count_stays_at_the_cap_and_the_extremes_are_per_lane() -> None:
    """Round a loop an item is asked for again and again: `cap` or more, not a wrap-around."""
    pathway = build(
        {
            "start": {"kind": "referral", "collects": ["account"]},
            "ask": {"kind": "referral", "collects": ["account"], "owner": "police"},
            "help": "support",
            "end": "outcome",
        },
        {
            "h1": ("start", "ask"),
            "again": ("ask", "start"),
            "h2": ("ask", "help"),
            "h3": ("help", "end"),
        },
        information={"account": {"title": "Account", "sensitivity": "personal"}},
    )
    graph = ProfileGraph(pathway)
    owners = graph.owners
    tally = PackedCounts(
        graph,
        3,
        ("start", 0b10, graph.full),
        lambda s, t: int(owners[s] != owners[t]) | (t in ("start", "ask")) << 1,
        lambda name: name == "help",
        lanes=2,
    )
    agency, asked = tally.extremes(only_stop=True)
    every = range(graph.full.bit_length())
    # council, police, council: two changes at least; round the loop, 3 or more
    assert agency == dict.fromkeys(every, (2, 3))
    assert asked == dict.fromkeys(every, (2, 3))
    assert tally.extremes(only_stop=False)[1] == dict.fromkeys(every, (1, 3))
