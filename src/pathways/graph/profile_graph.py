"""The pathway as a graph the checks can reason about, with every victim profile at once.

This is the only module that imports networkx. A `ProfileGraph` holds the stages, the handoffs as
`Edge`s (one per source stage) and the declared profile changes as bit shifts (`changes`). Sets of
profiles are Python ints used as bitmasks over the pathway's `ProfileSpace`, so one walk of the
graph (`walks`, `counting`) follows all profiles together (bit-parallel) instead of one graph
copy per profile.

A referral that `require: acceptance` also has the edge of its decline, from its target back
to the referrer's stage (or the stage `acceptance.declined_to` names), for the same profiles,
marked `decline`: every walk follows it like any other handoff, but it is not a change of
agency (the receiver never took the victim), so declining and referring again is neither a
ping-pong nor a duplicated handoff.

How routes are followed. Each track is followed on its own: a route starts at the main track's
entry (with every profile) and moves along handoffs open to the victim's current profile; a
handoff that `starts:` a track also puts the victim at that track's entry. A declared profile
change (a child turns 18) may happen at any stage and counts as one step of a route. A handoff
that `waits_for:` a track is taken as open: whether that track can finish is checked on the
track itself. No walk enumerates routes: each stage is revisited only when new profiles arrive.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import networkx as nx

from pathways.definition.conditions import satisfying
from pathways.definition.retelling import holder
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.graph.changes import changes_of

__all__ = ["Edge", "ProfileGraph"]


@dataclass(frozen=True, slots=True)
class Edge:
    """One handoff leaving one of its source stages."""

    handoff: str
    source: str
    target: str
    mask: int
    agency_change: bool
    shares: frozenset[str]
    starts: tuple[str, ...]
    timeout: bool
    #: the stages the victim is at after it: its target, then the entries of the tracks it starts
    lands: tuple[str, ...]
    #: the way back of a referral that `require: acceptance`, when its receiver declines it
    decline: bool = False


class ProfileGraph:
    """The profile graph: stages, handoffs and profile changes of one pathway, ready for
    bit-parallel walks."""

    def __init__(self, pathway: Pathway) -> None:
        self.pathway = pathway
        self.space = pathway.profile_space
        self.full: int = (1 << self.space.size) - 1
        self.changes = changes_of(pathway)
        self.memo: dict[Hashable, Any] = {}  # results shared by the rules of one check
        stages = pathway.stages
        self.entries: dict[str, str] = {MAIN_TRACK: pathway.entry}
        self.entries.update({name: t.entry for name, t in pathway.tracks.items()})
        self.outcomes = frozenset(n for n, s in stages.items() if s.kind == "outcome")
        self.out: dict[str, list[Edge]] = {name: [] for name in stages}
        self.into: dict[str, list[Edge]] = {name: [] for name in stages}
        #: each stage's agencies (`owner_key` of its owner)
        self.owners: dict[str, tuple[str, ...]] = {
            name: self.owner_key(s.owner) for name, s in stages.items()
        }
        owners = self.owners
        for name, handoff in pathway.handoffs.items():
            if handoff.to not in stages:
                continue
            mask = self.full if handoff.when is None else satisfying(handoff.when, self.space)
            starts = tuple(t for t in handoff.starts if self.entries.get(t) in stages)
            for source in handoff.from_:
                if source not in stages:
                    continue
                edge = Edge(
                    handoff=name,
                    source=source,
                    target=handoff.to,
                    mask=mask & self.full,
                    agency_change=owners[source] != owners[handoff.to],
                    shares=frozenset(handoff.shares),
                    starts=starts,
                    timeout=handoff.timeout,
                    lands=(handoff.to, *(self.entries[t] for t in starts)),
                )
                self.out[source].append(edge)
                self.into[handoff.to].append(edge)
                if handoff.require == "acceptance":
                    self._decline(name, source, mask & self.full)

    def _decline(self, name: str, source: str, mask: int) -> None:
        """The edge of a referral's decline: from its target to where a decline goes."""
        handoff = self.pathway.handoffs[name]
        acceptance = handoff.acceptance
        target = (acceptance.declined_to if acceptance is not None else None) or source
        if target not in self.pathway.stages:
            return
        edge = Edge(
            handoff=name,
            source=handoff.to,
            target=target,
            mask=mask,
            agency_change=False,  # the receiver never took the victim: no change of agency
            shares=frozenset(),
            starts=(),
            timeout=False,
            lands=(target,),
            decline=True,
        )
        self.out[handoff.to].append(edge)
        self.into[target].append(edge)

    def release(self) -> None:
        """Free the networkx graphs made for this profile graph now (made again if asked)."""
        for name in ("digraph", "track_graph"):
            graph = self.__dict__.pop(name, None)
            if graph is not None:
                _free(graph)

    def owner_key(self, owner: str) -> tuple[str, ...]:
        """The agencies that fill `owner`; the owner itself when no agency does, or when it is
        a role of a baseline (which speaks in roles: the agencies it names fill them only in
        part, and each area says who else does)."""
        return holder(self.pathway, owner)

    def with_changes(self, mask: int) -> int:
        """`mask` with every profile its victims can change into."""
        seen = mask
        while True:
            grown = seen
            for change in self.changes:
                grown |= change.apply(grown)
            if grown == seen:
                return seen
            seen = grown

    def open_at(self, stage: str) -> int:
        """The profiles for which some handoff leaves `stage`."""
        mask = 0
        for edge in self.out[stage]:
            mask |= edge.mask
        return mask

    @cached_property
    def edges_of(self) -> dict[str, list[Edge]]:
        """Each handoff's edges, one per source stage."""
        found: dict[str, list[Edge]] = {name: [] for name in self.pathway.handoffs}
        for edges in self.out.values():
            for edge in edges:
                found[edge.handoff].append(edge)
        return found

    def started_by(self, entry: str) -> list[Edge]:
        """The handoffs that start the track whose entry is `entry`."""
        return self._started_by.get(entry, [])

    @cached_property
    def _started_by(self) -> dict[str, list[Edge]]:
        by_entry: dict[str, list[Edge]] = {}
        for edges in self.out.values():
            for edge in edges:
                for track in edge.starts:
                    by_entry.setdefault(self.entries[track], []).append(edge)
        return by_entry

    @cached_property
    def groups(self) -> list[tuple[list[str], bool]]:
        """The stages in strongly connected components (stages that can lead back to each
        other, track starts included) in an order that follows the handoffs, each with whether
        it is a loop."""
        return self._groups(self.digraph)

    @cached_property
    def component(self) -> dict[str, int]:
        """Each stage's strongly connected component (`groups`) by number: a handoff never
        leads to a lower one."""
        found: dict[str, int] = {}
        for index, (members, _) in enumerate(self.groups):
            found.update(dict.fromkeys(members, index))
        return found

    @cached_property
    def order(self) -> dict[str, int]:
        """Each stage's position in the file, for deterministic walks."""
        return {name: index for index, name in enumerate(self.pathway.stages)}

    # Structure: the stage graph with every handoff, whatever its condition.

    @cached_property
    def digraph(self) -> nx.DiGraph[str]:
        """Stages and handoffs (and track starts) as a networkx directed graph."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.pathway.stages)
        graph.add_edges_from((e.source, t) for es in self.out.values() for e in es for t in e.lands)
        return graph

    @cached_property
    def track_graph(self) -> nx.DiGraph[str]:
        """The stage graph without track starts: moves within each track only (not to be
        changed: it is shared)."""
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(self.pathway.stages)
        graph.add_edges_from((e.source, e.target) for es in self.out.values() for e in es)
        return graph

    def structurally_reachable(self) -> set[str]:
        """Stages some handoff chain (ignoring conditions) leads to from the entry."""
        entry = self.pathway.entry
        return {entry, *nx.descendants(self.digraph, entry)}

    def can_finish(self, goal: Iterable[str] | None = None) -> set[str]:
        """Stages from which some chain of handoffs reaches an outcome of their track (or a
        stage in `goal`, when given)."""
        reverse = self.track_graph.reverse(copy=False)
        targets = [s for s in (self.outcomes if goal is None else goal) if s in reverse]
        found: set[str] = set()
        for layer in nx.bfs_layers(reverse, targets):  # all at once: one walk back
            found.update(layer)
        return found

    def traps(self) -> list[list[str]]:
        """Loops of stages with no way out, each in file order, sorted by first stage.

        networkx's attracting components that are loops, worked out on the stages of the
        loops of `groups` only: a loop within tracks is a loop with the track starts too."""
        graph = self.track_graph
        succ = graph.succ
        looped = [stage for members, loop in self.groups if loop for stage in members]
        loops = []
        for component in nx.strongly_connected_components(graph.subgraph(looped)):
            first = next(iter(component))
            if len(component) == 1 and not graph.has_edge(first, first):
                continue
            if component & self.outcomes:
                continue
            if any(after not in component for stage in component for after in succ[stage]):
                continue  # a way out
            loops.append(sorted(component, key=self.order.__getitem__))
        return sorted(loops, key=lambda loop: self.order[loop[0]])

    def in_order(
        self, stages: Iterable[str], edges: Iterable[tuple[str, str]]
    ) -> list[tuple[list[str], bool]]:
        """Groups of `stages` that lead back to each other, in an order that follows `edges`,
        each with whether it is a loop (more than one stage, or a stage leading to itself).
        """
        graph: nx.DiGraph[str] = nx.DiGraph()
        graph.add_nodes_from(stages)
        graph.add_edges_from(edges)
        groups = self._groups(graph)
        _free(graph)
        return groups

    def _groups(self, graph: nx.DiGraph[str]) -> list[tuple[list[str], bool]]:
        """`in_order` for a graph: nx.condensation and nx.topological_sort, without building
        the condensed graph."""
        number: dict[str, int] = {}
        groups: list[list[str]] = []
        for members in nx.strongly_connected_components(graph):
            number.update(dict.fromkeys(members, len(groups)))
            groups.append(sorted(members, key=self.order.__getitem__))
        looped = [len(g) > 1 or graph.has_edge(g[0], g[0]) for g in groups]
        later: list[list[int]] = [[] for _ in groups]
        waiting = [0] * len(groups)
        for source, targets in graph.adjacency():
            here = number[source]
            for target in targets:
                there = number[target]
                if there != here:
                    later[here].append(there)
                    waiting[there] += 1
        ready = [index for index, count in enumerate(waiting) if not count]
        result = []
        while ready:
            index = ready.pop()
            result.append((groups[index], looped[index]))
            for after in later[index]:
                waiting[after] -= 1
                if not waiting[after]:
                    ready.append(after)
        return result

    def shortest_stages(self, goal: Iterable[str]) -> list[str] | None:
        """The stages of one shortest chain of handoffs from the entry to a stage in `goal`."""
        sink = "\x00goal"  # no stage name holds a NUL character
        graph = self.digraph  # the sink is added for this search only (no copy of the graph)
        graph.add_edges_from((stage, sink) for stage in goal if stage in graph)
        try:
            path = nx.shortest_path(graph, self.pathway.entry, sink)
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            return None
        finally:
            if sink in graph:
                graph.remove_node(sink)
        return list(path[:-1])

    def avoidable(self, stages: Iterable[str], goal: Iterable[str]) -> bool:
        """Can a chain of handoffs get from the entry to `goal` without entering `stages`?"""
        removed = set(stages)
        entry = self.pathway.entry
        if entry in removed:
            return False
        # nx.descendants of the entry with `stages` taken out, stopping once `goal` is reached
        wanted = set(goal)
        succ = self.digraph.succ
        reached = {entry}
        todo = [entry]
        while todo:
            here = todo.pop()
            if here in wanted:
                return True
            for after in succ[here]:
                if after not in reached and after not in removed:
                    reached.add(after)
                    todo.append(after)
        return False


def _free(*graphs: nx.DiGraph[Any]) -> None:
    """Empty graphs we are done with. A networkx graph refers to itself through the views it
    caches (`graph.edges`, `graph.in_degree`), so it is freed only by Python's cycle
    collector, which is paused during a check and would then walk every node and edge of it
    (a tenth of the time on 100,000 stages); emptied, its nodes and edges go at once."""
    for graph in graphs:
        graph.clear()
