"""One truth about retellings: `pathways check`, `pathways test`, the board report and the
simulation agree with a brute-force oracle written plainly here.

`check --metrics`'s most times asked for one item and each simulated journey's retellings
are held to the same oracle.

The oracle's reading, from docs/rules.md: a victim retells an item when a stage asks for it
(`collects`) after an earlier stage of the journey asked them, and the agency that owns the
stage neither collected it before nor received it along a handoff that shared it. Information
travels only along handoffs that share it, from an agency that has it, to the agencies of the
stages the handoff lands at.

For `check`, the oracle explores every (stage, profile, who holds what) a route can reach, one
state at a time with plain sets, and says which profiles can arrive at a stage to retell there
(`repeat-story`) and which cannot arrive any other way (`repeat-story-every-route`). For one
journey, it replays the journey's events. Random journeys are made through the runtime on
random small pathways.
"""

from __future__ import annotations

import itertools
import random
from collections import deque
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from pathways.board.figures import walk
from pathways.board.period import parse_period
from pathways.casetests.expect import asked_for
from pathways.casetests.routes import Run
from pathways.checks import check
from pathways.checks.metrics import _most_asked
from pathways.checks.registry import Context
from pathways.checks.rules.information import repeats
from pathways.definition.conditions import evaluate
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import ProfileGraph
from pathways.graph.retold import counted
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start
from pathways.simulation import build_model, load_scenario_text, run_model, trace
from strategies import small_pathways

LONDON = ZoneInfo("Europe/London")
AT = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
Profile = tuple[Any, ...]
Held = frozenset[tuple[str, tuple[str, ...]]]  # (item, agencies) pairs


def owner_of(pathway: Pathway, stage: str) -> tuple[str, ...]:
    """The agencies that fill the stage's owner (or the owner itself if none does)."""
    owner = pathway.stages[stage].owner
    if owner in pathway.agencies:
        return (owner,)
    filling = tuple(sorted(a for a, x in pathway.agencies.items() if owner in x.roles))
    return filling or (owner,)


def oracle_arrive(pathway: Pathway, held: Held, stage: str) -> tuple[Held, list[str]]:
    """Arriving at `stage`: who holds what afterwards, and the items retold there."""
    agency = owner_of(pathway, stage)
    retold = []
    for item in pathway.stages[stage].collects:
        told_before = any(i == item for i, _ in held)
        if told_before and (item, agency) not in held:
            retold.append(item)
        held = held | {(item, agency)}
    return held, retold


def oracle_hand(
    pathway: Pathway, held: Held, source: str, shares: tuple[str, ...], lands: list[str]
) -> Held:
    """A handoff from `source` sharing `shares` lands at `lands`."""
    giver = owner_of(pathway, source)
    for item in shares:
        if (item, giver) in held:
            held = held | {(item, owner_of(pathway, land)) for land in lands}
    return held


def oracle_journey(pathway: Pathway, events: tuple[Event, ...]) -> int:
    """Retellings on one journey, event by event."""
    held: Held = frozenset()
    count = 0
    for event in events:
        if event.to_stage is None:
            continue
        entries = [pathway.tracks[t].entry for t in event.started if t in pathway.tracks]
        lands = [*entries, event.to_stage]
        if event.from_stage is not None:
            held = oracle_hand(pathway, held, event.from_stage, event.shares, lands)
        for land in lands:
            held, retold = oracle_arrive(pathway, held, land)
            count += len(retold)
    return count


def oracle_routes(pathway: Pathway) -> tuple[dict[Any, set[Profile]], dict[Any, set[Profile]]]:
    """For each (item, stage): the profiles that can arrive to retell it, and those that can
    arrive without retelling it; every reachable state explored, one at a time."""
    names = tuple(pathway.profile)
    again: dict[Any, set[Profile]] = {}
    fresh: dict[Any, set[Profile]] = {}
    for profile in itertools.product(*(a.domain for a in pathway.profile.values())):
        first: tuple[str, Profile, Held] = (pathway.entry, profile, frozenset())
        seen = {first}
        todo: deque[tuple[str, Profile, Held]] = deque([first])
        while todo:
            stage, now, held = todo.popleft()
            after, retold = oracle_arrive(pathway, held, stage)
            for item in pathway.stages[stage].collects:
                (again if item in retold else fresh).setdefault((item, stage), set()).add(now)
            values = dict(zip(names, now, strict=True))
            following = []
            for index, name in enumerate(names):
                for change in pathway.profile[name].changes:
                    if now[index] == change.from_:
                        changed = (*now[:index], change.to, *now[index + 1 :])
                        following.append((stage, changed, held))
            for handoff in pathway.handoffs.values():
                if stage not in handoff.from_:
                    continue
                if handoff.when is not None and not evaluate(handoff.when, values):
                    continue
                lands = [handoff.to, *(pathway.tracks[t].entry for t in handoff.starts)]
                passed = oracle_hand(pathway, after, stage, tuple(handoff.shares), lands)
                following.extend((land, now, passed) for land in lands)
            for state in following:
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
    return again, fresh


def bits(graph: ProfileGraph, profiles: set[Profile]) -> int:
    mask = 0
    for profile in profiles:
        one = graph.full
        for name, value in zip(tuple(graph.pathway.profile), profile, strict=True):
            one &= graph.space.mask_where(name, value)
        mask |= one
    return mask


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5))
def test_the_check_agrees_with_the_oracle(pathway: Pathway) -> None:
    again, fresh = oracle_routes(pathway)
    graph = ProfileGraph(pathway)
    ctx = Context(pathway, graph)
    for item in pathway.information:
        some, every = repeats(ctx, item)
        expected_some = {s: bits(graph, ps) for (i, s), ps in again.items() if i == item}
        fresh_bits = {s: bits(graph, ps) for (i, s), ps in fresh.items() if i == item}
        expected_every = {
            s: b & ~fresh_bits.get(s, 0)
            for s, b in expected_some.items()
            if b & ~fresh_bits.get(s, 0)
        }
        assert some == expected_some
        assert every == expected_every


def random_journey(pathway: Pathway, choices: random.Random, steps: int) -> Journey:
    """A journey through the runtime: at each step, one of the handoffs open to some agency."""
    compiled = compile_pathway(pathway)
    profile = {n: choices.choice(a.domain) for n, a in sorted(pathway.profile.items())}
    journey = start(compiled, "T-1", profile, AT, "council")
    for _ in range(steps):
        options = [
            (agency, option)
            for agency in sorted(pathway.agencies)
            for option in journey.available(by=agency)
            if option.open
        ]
        if not options:
            break
        agency, option = choices.choice(options)
        journey.handoff(option.trigger, by=agency, at=AT, shares=option.shares)
    return journey


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5), st.randoms(use_true_random=False), st.integers(0, 8))
def test_case_tests_and_the_report_agree_with_the_oracle(
    pathway: Pathway, choices: random.Random, steps: int
) -> None:
    journey = random_journey(pathway, choices, steps)
    events = journey.history
    expected = oracle_journey(pathway, events)
    facts = walk(journey.compiled, events, parse_period("2025"))
    assert facts.retellings == expected
    run = Run(journey.profile, events, (True,) * len(events), "stopped")
    asks = [len(asked_for(run, pathway, item)) for item in pathway.information]
    assert sum(max(n - 1, 0) for n in asks) == expected


# The regression: shared on one handoff, not on the next, to a stage that asks for it

SHARED_ONCE = """
id: test/shared-once
title: Shared once
area: Testshire
version: "1"
entry: found
roles:
  first-responder: {title: First responder}
agencies:
  council: {name: Testshire Council, roles: [first-responder], first_responder: true}
  charity: {name: Safe Haven Charity}
  police: {name: Testshire Police, public_authority: true}
information:
  account: {title: The victim's account, sensitivity: special-category}
stages:
  found: {title: Found, owner: council, kind: identification, collects: [account]}
  hostel: {title: Hostel, owner: charity, kind: support}
  interview: {title: Interview, owner: police, kind: investigation, collects: [account]}
  done: {title: Done, owner: police, kind: outcome, outcome: supported}
handoffs:
  place: {from: found, to: hostel, by: [council], shares: [account]}
  report: {from: hostel, to: interview, by: [charity]}
  end: {from: interview, to: done, by: [police]}
"""

CASES = """
cases:
  told-once:
    expect:
      asked_for_account_at_most: 1
"""

SCENARIO = """
id: test/shared-once
title: Shared once
pathway: test/shared-once
start: 2025-01-06
horizon: 1 year
arrivals: {per_year: 50}
durations:
  found: 1 day
  hostel: 1 day
  interview: 1 day
"""


def test_shared_on_one_handoff_and_not_the_next_is_one_answer() -> None:
    from pathways.casetests import load_cases_text, run_suite

    pathway = load_text(SHARED_ONCE, path="shared-once.yaml")
    # check: the police must ask again on every route
    report = check(pathway)
    found = [f for f in report.findings if f.rule.startswith("repeat-story")]
    assert [(f.rule, f.subject) for f in found] == [("repeat-story-every-route", "stage interview")]
    # test: asked twice
    (outcome,) = run_suite(load_cases_text(CASES, pathway, path="shared-once.tests.yaml"))
    assert outcome.failures == (
        "a route does not: it asks the victim for 'account' twice: at 'Found' (found), "
        "'Interview' (interview)",
    )
    # the report: one retelling on the journey
    journey = start(pathway, "T-1", {}, AT, "council")
    journey.handoff("place", by="council", at=AT, shares=["account"])
    journey.handoff("report", by="charity", at=AT)
    journey.handoff("end", by="police", at=AT)
    assert walk(journey.compiled, journey.history, parse_period("2025")).retellings == 1
    # the simulation: one retelling per journey
    model = build_model(compile_pathway(pathway), load_scenario_text(SCENARIO))
    results = run_model(model, replications=2, seed=1)
    assert results.each(lambda r: r.retellings).mean == 1.0


def test_an_agency_shares_only_what_it_has() -> None:
    from strategies import build

    # 'pass-on' shares the account, but the police never had it: the charity asks first
    pathway = build(
        {
            "start": "identification",
            "mid": {"kind": "referral", "owner": "police"},
            "ask": {"kind": "referral", "owner": "charity", "collects": ["account"]},
            "done": "outcome",
        },
        {
            "pass-on": {"from": "start", "to": "mid", "shares": ["account"]},
            "onwards": ("mid", "ask"),
            "end": ("ask", "done"),
        },
        information={"account": {"title": "Account", "sensitivity": "personal"}},
    )
    assert not oracle_routes(pathway)[0]
    assert repeats(Context(pathway, ProfileGraph(pathway)), "account") == ({}, {})


# `check --metrics`: the most times one item is asked for, by the same reading


def oracle_most_asked(pathway: Pathway) -> dict[Profile, int]:
    """For each profile a route can be in: the most times one item is asked for on a route
    (a stage asks when its agency holds no copy); every reachable state explored."""
    names = tuple(pathway.profile)
    items = sorted(pathway.information)
    best: dict[Profile, int] = {}
    for profile in itertools.product(*(a.domain for a in pathway.profile.values())):
        first = (pathway.entry, profile, frozenset(), (0,) * len(items))
        seen = {first}
        todo = deque([first])
        while todo:
            stage, now, held, counts = todo.popleft()
            owner = owner_of(pathway, stage)
            asks = [
                n + (item in pathway.stages[stage].collects and (item, owner) not in held)
                for item, n in zip(items, counts, strict=True)
            ]
            best[now] = max(best.get(now, 0), *asks, 0)
            after, _ = oracle_arrive(pathway, held, stage)
            following = []
            for index, name in enumerate(names):
                for change in pathway.profile[name].changes:
                    if now[index] == change.from_:
                        changed = (*now[:index], change.to, *now[index + 1 :])
                        following.append((stage, changed, held, counts))
            values = dict(zip(names, now, strict=True))
            for handoff in pathway.handoffs.values():
                if stage not in handoff.from_:
                    continue
                if handoff.when is not None and not evaluate(handoff.when, values):
                    continue
                lands = [handoff.to, *(pathway.tracks[t].entry for t in handoff.starts)]
                passed = oracle_hand(pathway, after, stage, tuple(handoff.shares), lands)
                following.extend((land, now, passed, tuple(asks)) for land in lands)
            for state in following:
                if state not in seen:
                    seen.add(state)
                    todo.append(state)
    return best


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5))
def test_the_most_times_asked_agrees_with_the_oracle(pathway: Pathway) -> None:
    graph = ProfileGraph(pathway)
    ctx = Context(pathway, graph)
    expected = oracle_most_asked(pathway)
    found = _most_asked(ctx)
    # the counting walk alone, for every item (`asked` uses it only when three agencies ask)
    walked: dict[int, int] = {}
    for item in pathway.information:
        for count, mask in counted(graph, item).items():
            for bit in _bit_numbers(mask):
                walked[bit] = max(walked.get(bit, 0), count)
    for profile, most in expected.items():
        (bit,) = _bit_numbers(bits(graph, {profile}))
        assert found.get(bit, 0) == most, profile
        assert walked.get(bit, 0) == most, profile


def _bit_numbers(mask: int) -> list[int]:
    return [i for i in range(mask.bit_length()) if mask >> i & 1]


ASKED_AT_THE_HOSTEL = SHARED_ONCE.replace(
    "hostel: {title: Hostel, owner: charity, kind: support}",
    "hostel: {title: Hostel, owner: charity, kind: support, collects: [account]}",
)


def test_metrics_test_and_report_agree_when_shared_once() -> None:
    """The account is shared with the hostel, which has it and does not ask, and not with the
    police, who ask again: asked twice, one retelling, everywhere."""
    from pathways.casetests import load_cases_text, run_suite

    pathway = load_text(ASKED_AT_THE_HOSTEL, path="shared-once.yaml")
    report = check(pathway)
    found = [f for f in report.findings if f.rule.startswith("repeat-story")]
    assert [(f.rule, f.subject) for f in found] == [("repeat-story-every-route", "stage interview")]
    assert report.metrics is not None
    assert [row.most_asked for row in report.metrics.per_profile] == [2]
    (outcome,) = run_suite(load_cases_text(CASES, pathway, path="shared-once.tests.yaml"))
    assert outcome.failures == (
        "a route does not: it asks the victim for 'account' twice: at 'Found' (found), "
        "'Interview' (interview)",
    )
    journey = start(pathway, "T-1", {}, AT, "council")
    journey.handoff("place", by="council", at=AT, shares=["account"])
    journey.handoff("report", by="charity", at=AT)
    journey.handoff("end", by="police", at=AT)
    assert walk(journey.compiled, journey.history, parse_period("2025")).retellings == 1


# The simulation: each traced journey's retellings, against the oracle replaying its events


def simulated_retellings(pathway: Pathway, trace_events: list[Any]) -> int:
    """The oracle's retellings for a simulated journey's events (handoffs in time order)."""
    held, retold = oracle_arrive(pathway, frozenset(), pathway.entry)
    count = len(retold)
    here = {pathway.stages[pathway.entry].track: pathway.entry}
    for _, _, kind, name, _ in sorted(trace_events):
        if kind not in ("handoff", "timeout"):
            continue
        handoff = pathway.handoffs[name]
        source = here[pathway.stages[handoff.to].track]
        lands = [handoff.to, *(pathway.tracks[t].entry for t in handoff.starts)]
        held = oracle_hand(pathway, held, source, tuple(handoff.shares), lands)
        for land in lands:
            here[pathway.stages[land].track] = land
            held, retold = oracle_arrive(pathway, held, land)
            count += len(retold)
    return count


def every_journey_ends(pathway: Pathway) -> bool:
    """No victim can be caught in a loop with no way out (the simulation would follow it
    for ever): from every stage a profile can reach, its track reaches an outcome or a stage
    with no handoff open to it."""
    names = tuple(pathway.profile)
    for profile in itertools.product(*(a.domain for a in pathway.profile.values())):
        values = dict(zip(names, profile, strict=True))
        onwards: dict[str, set[str]] = {name: set() for name in pathway.stages}
        started: dict[str, set[str]] = {name: set() for name in pathway.stages}
        for handoff in pathway.handoffs.values():
            if handoff.when is None or evaluate(handoff.when, values):
                for source in handoff.from_:
                    onwards[source].add(handoff.to)
                    started[source].update(pathway.tracks[t].entry for t in handoff.starts)
        ends = {
            s for s, stage in pathway.stages.items() if stage.kind == "outcome" or not onwards[s]
        }
        while True:
            more = {s for s, after in onwards.items() if s not in ends and after & ends}
            if not more:
                break
            ends |= more
        reached, todo = {pathway.entry}, [pathway.entry]
        while todo:
            stage = todo.pop()
            for after in onwards[stage] | started[stage]:
                if after not in reached:
                    reached.add(after)
                    todo.append(after)
        if reached - ends:
            return False
    return True


def scenario_for(pathway: Pathway) -> str:
    waits = "".join(
        f"  {name}: 1 day\n" for name, stage in pathway.stages.items() if stage.kind != "outcome"
    )
    branches = ""
    for stage in pathway.stages:
        ways = pathway.handoffs_from(stage)
        if len(ways) > 1:  # each way as likely (the last takes what rounding leaves)
            shares = [round(1 / len(ways), 4)] * (len(ways) - 1)
            shares.append(round(1 - sum(shares), 4))
            chances = ", ".join(f"{w}: {s}" for w, s in zip(ways, shares, strict=True))
            branches += f"  {stage}: {{{chances}}}\n"
    return (
        f"id: test/retold\ntitle: Retold\npathway: {pathway.id}\nstart: 2025-01-06\n"
        "horizon: 1 year\narrivals: {per_year: 40}\n"
        "profile: {age_group: {child: 0.5, adult: 0.5}, consent: {given: 0.5, declined: 0.5}}\n"
        f"durations:\n{waits}" + (f"branches:\n{branches}" if branches else "")
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_pathways(max_stages=5), st.integers(0, 1000))
def test_the_simulation_agrees_with_the_oracle(pathway: Pathway, seed: int) -> None:
    assume(every_journey_ends(pathway))
    model = build_model(compile_pathway(pathway), load_scenario_text(scenario_for(pathway)))
    journeys = trace(model, seed, 0, 200)
    for journey in journeys:
        assert journey.retellings == simulated_retellings(pathway, journey.events or [])
    results = run_model(model, replications=1, seed=seed)
    closed = [j for j in journeys if j.closed]
    if results.replications[0].closed == len(closed) and closed:
        shares = sum(j.retellings for j in closed) / len(closed)
        assert results.each(lambda r: r.retellings).mean == pytest.approx(shares)
