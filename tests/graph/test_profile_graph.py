"""The structure the checks work out for themselves agrees with networkx's own answers to the
same questions, asked the plain way, on small random pathways."""

from __future__ import annotations

import networkx as nx
from hypothesis import HealthCheck, given, settings

from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from strategies import small_pathways


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=7))
def test_traps_and_finishing_stages_are_what_networkx_finds(pathway: Pathway) -> None:
    graph = ProfileGraph(pathway)
    tracks = graph.track_graph
    order = graph.order.__getitem__

    def is_loop(members: set[str]) -> bool:
        first = next(iter(members))
        return len(members) > 1 or tracks.has_edge(first, first)

    traps = [
        sorted(c, key=order)
        for c in nx.attracting_components(tracks)
        if is_loop(c) and not c & graph.outcomes
    ]
    assert graph.traps() == sorted(traps, key=lambda loop: order(loop[0]))

    finishing = {
        s for s in pathway.stages if any(nx.has_path(tracks, s, o) for o in graph.outcomes)
    }
    assert graph.can_finish() == finishing
    goal = sorted(graph.outcomes)[:1]
    assert graph.can_finish(goal) == {
        s for s in pathway.stages if any(nx.has_path(tracks, s, o) for o in goal)
    }

    condensed = nx.condensation(graph.digraph)
    rank = graph.component
    for source, target in graph.digraph.edges:
        assert rank[source] <= rank[target]
        assert (rank[source] == rank[target]) == (
            condensed.graph["mapping"][source] == condensed.graph["mapping"][target]
        )
