"""The engine against queueing theory: M/M/c (Erlang C), a tandem (Jackson) line, a weekly panel.

Each test simulates a model whose answer is known exactly and checks that the answer lies inside
the simulation's 95% confidence interval across replications.
"""

from __future__ import annotations

import math

import pytest

from pathways.definition.loader import load_text
from pathways.simulation import load_scenario_text, simulate


def erlang_c_wait(arrival_rate: float, service_rate: float, servers: int) -> float:
    """Mean wait in queue of an M/M/c queue (the Erlang C formula)."""
    load = arrival_rate / service_rate
    rho = load / servers
    top = load**servers / math.factorial(servers) / (1.0 - rho)
    below = sum(load**k / math.factorial(k) for k in range(servers))
    probability_wait = top / (below + top)
    return probability_wait / (servers * service_rate - arrival_rate)


def line(servers: list[int], means: list[float], per_day: float, days: int, extra: str = ""):  # type: ignore[no-untyped-def]
    """A pathway of stages in series, each owned by its own agency, and a scenario for it."""
    n = len(servers)
    agencies = "".join(f"  a{i}: {{name: Agency {i}}}\n" for i in range(n))
    stages = "".join(
        f"  s{i}: {{title: Stage {i}, owner: a{i}, kind: support}}\n" for i in range(n)
    )
    handoffs = "".join(
        f"  h{i}: {{from: s{i}, to: {'s' + str(i + 1) if i + 1 < n else 'done'}, by: a{i}}}\n"
        for i in range(n)
    )
    pathway = (
        "id: test/line\ntitle: Line\narea: Test\nversion: '1'\nentry: s0\nagencies:\n"
        f"{agencies}stages:\n{stages}  done: {{title: Done, owner: a0, kind: outcome, "
        f"outcome: supported}}\nhandoffs:\n{handoffs}"
    )
    durations = "".join(
        f"  s{i}: {{distribution: exponential, mean: {m}}}\n" for i, m in enumerate(means)
    )
    capacity = "".join(f"  a{i}: {{caseworkers: {c}}}\n" for i, c in enumerate(servers))
    scenario = (
        "id: test/line\ntitle: Line\npathway: test/line\nstart: 2024-01-01\n"
        f"horizon: {days} days\nwarm_up: 100 days\narrivals: {{per_year: {per_day * 365.25}}}\n"
        f"durations:\n{durations}capacity:\n{capacity}{extra}"
    )
    return load_text(pathway), load_scenario_text(scenario)


def test_single_stage_mm2_mean_wait_matches_erlang_c() -> None:
    pathway, scenario = line([2], [1.0], per_day=1.6, days=2500)
    results = simulate(pathway, scenario, replications=10, seed=1)
    (stage,) = results.stages()
    expected = erlang_c_wait(1.6, 1.0, 2)
    assert expected == pytest.approx(1.7778, abs=1e-4)
    assert stage.wait[0].covers(expected), (stage.wait[0], expected)
    assert stage.service[0].covers(1.0)
    assert results.utilisation()["a0"].covers(0.8)


def test_tandem_line_matches_jackson_network_results() -> None:
    # Burke: each station of a line fed by Poisson arrivals sees Poisson arrivals at the same rate.
    pathway, scenario = line([1, 3], [0.5, 2.0], per_day=1.2, days=2500)
    results = simulate(pathway, scenario, replications=10, seed=2)
    first, second = results.stages()
    assert first.wait[0].covers(erlang_c_wait(1.2, 2.0, 1))  # M/M/1: rho/(mu - lambda) = 0.75
    assert second.wait[0].covers(erlang_c_wait(1.2, 0.5, 3))
    total = results.each(lambda r: r.to_close.mean)
    expected = erlang_c_wait(1.2, 2.0, 1) + 0.5 + erlang_c_wait(1.2, 0.5, 3) + 2.0
    assert total.covers(expected)


def test_weekly_panel_wait_is_half_a_week_on_average() -> None:
    pathway, _ = line([1], [1.0], per_day=2.0, days=1500)
    panel_scenario = load_scenario_text(
        "id: test/line\ntitle: Panel\npathway: test/line\nstart: 2024-01-01\n"
        "horizon: 1500 days\nwarm_up: 100 days\narrivals: {per_year: 730.5}\n"
        "durations: {s0: 0 days}\n"
        "capacity: {a0: {panel: {every: 1 week, day: monday, cases: 100}}}\n"
    )
    results = simulate(pathway, panel_scenario, replications=8, seed=3)
    (stage,) = results.stages()
    assert stage.wait[0].covers(3.5)
    assert stage.wait[2].high <= 7.0


def test_a_timeout_takes_cases_out_of_an_overloaded_queue() -> None:
    pathway = load_text(
        "id: test/lapse\ntitle: Lapse\narea: Test\nversion: '1'\nentry: wait\n"
        "agencies:\n  a: {name: A}\n"
        "stages:\n  wait: {title: Wait, owner: a, kind: support}\n"
        "  served: {title: Served, owner: a, kind: outcome, outcome: supported}\n"
        "  lapsed: {title: Lapsed, owner: a, kind: outcome, outcome: closed-without-support}\n"
        "handoffs:\n  serve: {from: wait, to: served, by: a}\n"
        "  lapse: {from: wait, to: lapsed, by: a, within: 3 days, timeout: true}\n"
    )
    scenario = load_scenario_text(
        "id: test/lapse\ntitle: Lapse\npathway: test/lapse\nstart: 2024-01-01\n"
        "horizon: 400 days\nwarm_up: 50 days\narrivals: {per_year: 730.5}\n"
        "durations: {wait: {distribution: exponential, mean: 1}}\n"
        "capacity: {a: {caseworkers: 1}}\n"
    )
    results = simulate(pathway, scenario, replications=4, seed=4)
    shares = results.outcome_shares()
    assert 0.2 < shares["lapsed"].mean < 0.8  # twice as many arrive as one caseworker can serve
    (stage,) = results.stages()
    # Nobody waits past midnight after the third day (at most 4 days): p90 of waits.
    assert max(r.stages[0].wait.p90 for r in results.replications) <= 4.0
    assert results.each(lambda r: r.unfinished).mean == 0
    assert stage.wait[0].mean > 1.0


def test_initial_backlog_and_a_dated_capacity_change_shape_the_backlog() -> None:
    extra = (
        "backlog: {s0: {cases: 50}}\n"
        "changes:\n  - from: 2024-07-19\n    capacity: {a0: {caseworkers: 3}}\n"
    )
    pathway, scenario = line([1], [1.0], per_day=1.5, days=400, extra=extra)
    results = simulate(pathway, scenario, replications=3, seed=6)
    series = results.backlog()["s0"]
    assert series[0] == 50  # the waiting cases are there on day 0
    before, after = series[200 // 7], series[390 // 7]  # the change is on day 200
    assert before > 60  # one caseworker cannot keep up with 1.5 cases a day
    assert after < 10  # three can
    assert results.utilisation()["a0"].mean > 0.4
