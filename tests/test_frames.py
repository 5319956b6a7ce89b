"""`.to_frame()`: every table the library makes, as a pandas DataFrame with the same rows and
numbers as the objects it comes from."""

from __future__ import annotations

import pytest

from paths import HULL, tutorial_example
from pathways import load
from pathways.checks import check
from pathways.definition.loader import load_text
from pathways.simulation import compare, load_scenario_text, simulate
from simulation.engine.test_loop import PATHWAY, SCENARIO

pandas = pytest.importorskip("pandas", reason="DataFrames need the analysis extra (pandas)")


@pytest.fixture(scope="module")
def results() -> object:
    return simulate(
        load_text(PATHWAY), load_scenario_text(SCENARIO), replications=3, periods="quarter"
    )


def test_replications_stages_outcomes_and_periods(results: object) -> None:
    per = results.to_frame()  # type: ignore[attr-defined]
    assert list(per["journeys"]) == [r.journeys for r in results.replications]  # type: ignore[attr-defined]
    stages = results.to_frame("stages")  # type: ignore[attr-defined]
    assert list(stages["stage"]) == [s.name for s in results.stages()]  # type: ignore[attr-defined]
    outcomes = results.to_frame("outcomes")  # type: ignore[attr-defined]
    shares = results.outcome_shares()  # type: ignore[attr-defined]
    assert dict(zip(outcomes["stage"], outcomes["share"], strict=True)) == pytest.approx(
        {name: e.mean for name, e in shares.items()}, nan_ok=True
    )
    periods = results.to_frame("periods")  # type: ignore[attr-defined]
    table = results.periods()  # type: ignore[attr-defined]
    assert len(periods) == len(table.periods) * len(table.figures)
    with pytest.raises(ValueError, match="kind must be one of"):
        results.to_frame("journeys")  # type: ignore[attr-defined]


def test_a_comparison_as_a_frame(results: object) -> None:
    other = simulate(
        load_text(PATHWAY),
        load_scenario_text(SCENARIO.replace("caseworkers: 2", "caseworkers: 3")),
        replications=3,
    )
    comparison = compare(results, other)  # type: ignore[arg-type]
    frame = comparison.to_frame()
    assert list(frame["figure"]) == [row.name for row in comparison.rows]
    assert list(frame["significant"]) == [row.outside for row in comparison.rows]


def test_findings_and_metrics_as_frames() -> None:
    broken = tutorial_example().replace(
        "when: age_group == 'child' or consent == 'given'", "when: consent == 'given'"
    )
    report = check(load_text(broken, path="example/small.yaml"))
    findings = report.to_frame()
    assert list(findings["rule"]) == [f.rule for f in report.findings]
    assert report.metrics is not None
    metrics = report.metrics.to_frame()
    assert list(metrics["profiles"]) == [p.profiles for p in report.metrics.per_profile]
    assert len(check(load(HULL)).to_frame()) == len(check(load(HULL)).findings)
