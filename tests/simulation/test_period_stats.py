"""Figures by calendar period, checked against counts made by hand on a tiny pathway.

The pathway is an NRM referral, a reasonable grounds (RG) and a conclusive grounds (CG)
decision. With (almost certainly) no new arrivals and a starting backlog whose remaining times
are fixed, every decision falls on a known day, so the decisions made in each quarter of 2024
can be counted by hand (Q1 is days 0-90, Q2 91-181, Q3 182-273, Q4 274-365):

- 4 cases wait at the CG decision for 30 days: 4 CG decisions in Q1;
- 10 cases wait at the RG decision for 100 days: 10 RG decisions in Q2, all positive, then
  120 days at CG: 10 CG decisions on day 220, in Q3;
- 3 cases wait at the referral for 200 days, then 10 days at RG: 3 RG decisions on day 210
  (Q3), then 3 CG decisions on day 330 (Q4).
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.simulation import load_scenario_text, simulate

PATHWAY = """
id: test/quarters
title: Quarters
area: Test
version: "1"
entry: found
profile:
  age_group: {values: [child, adult]}
agencies:
  police: {name: Police, first_responder: true}
  ca: {name: Competent authority}
stages:
  found: {title: Found, owner: police, kind: identification}
  referral: {title: NRM referral, owner: police, kind: referral, tags: [nrm-referral]}
  rg: {title: RG decision, owner: ca, kind: decision, tags: [reasonable-grounds]}
  cg: {title: CG decision, owner: ca, kind: decision, tags: [conclusive-grounds]}
  supported: {title: Supported, owner: ca, kind: outcome, outcome: supported}
  not-supported: {title: Not supported, owner: ca, kind: outcome, outcome: closed-without-support}
handoffs:
  refer: {from: found, to: referral, by: police}
  submit: {from: referral, to: rg, by: police}
  rg-positive: {from: rg, to: cg, by: ca}
  rg-negative: {from: rg, to: not-supported, by: ca}
  cg-positive: {from: cg, to: supported, by: ca}
  cg-negative: {from: cg, to: not-supported, by: ca}
"""

SCENARIO = """
id: test/quarters
title: Quarters
pathway: test/quarters
start: 2024-01-01
horizon: 366 days
arrivals: {per_year: 0.000001}  # one arrival in a million years: none
profile: {age_group: {child: 0.5, adult: 0.5}}
branches:
  rg: {rg-positive: 1, rg-negative: 0}
  cg: {cg-positive: 0.6, cg-negative: 0.4}
durations:
  found: 2 days
  referral: 3 days
  rg: 10 days
  cg: 120 days
backlog:
  cg: {cases: 4, remaining: 30 days}
  rg: {cases: 10, remaining: 100 days}
  referral: {cases: 3, remaining: 200 days}
"""


def _run(scenario: str = SCENARIO, replications: int = 3):  # type: ignore[no-untyped-def]
    return simulate(
        load_text(PATHWAY),
        load_scenario_text(scenario),
        replications=replications,
        seed=5,
        periods="quarter",
    )


def test_decisions_made_in_each_quarter_are_the_hand_counts() -> None:
    table = _run().periods()
    assert table.labels == ("2024Q1", "2024Q2", "2024Q3", "2024Q4")

    def means(name: str) -> list[float]:
        return [figure.mean for figure in table.figure(name)]

    assert means("RG decisions") == [0, 10, 3, 0]
    assert means("RG positive") == [0, 10, 3, 0]
    assert means("RG negative") == [0, 0, 0, 0]
    assert means("CG decisions") == [4, 0, 10, 3]
    positive, negative = means("CG positive"), means("CG negative")
    assert [p + n for p, n in zip(positive, negative, strict=True)] == [4, 0, 10, 3]
    assert means("decisions RG: rg-positive") == [0, 10, 3, 0]
    assert means("journeys closed") == [4, 0, 10, 3]
    assert means("arrivals") == [0, 0, 0, 0]
    # At midnight ending Q1 (day 91): 10 at RG, 3 at the referral, the 4 CG cases closed.
    assert table.get("backlog rg", "2024Q1").mean == 10
    assert table.get("backlog referral", "2024Q1").mean == 3
    assert table.get("backlog open journeys", "2024Q1").mean == 13
    assert table.get("backlog open journeys", "2024Q4").mean == 0
    # The backlog has no referral dates, so no times from referral are known.
    assert math.isnan(table.get("days from referral to CG decision (mean)", "2024Q3").mean)


def test_times_from_referral_count_the_decisions_made_in_the_period() -> None:
    arriving = SCENARIO.replace("per_year: 0.000001", "per_year: 300")
    table = _run(arriving).periods()
    # Referral is the handoff into the referral stage: 3 days there and 10 at RG.
    for figure in table.figure("days from referral to RG decision (median)"):
        assert figure.mean == pytest.approx(13.0)
    cg = table.figure("days from referral to CG decision (mean)")
    assert math.isnan(cg[0].mean)  # no journey referred in 2024 has had its CG decision yet
    assert cg[2].mean == pytest.approx(133.0)
    referrals = table.figure("NRM referrals")
    assert all(figure.mean > 40 for figure in referrals)
    lows = [figure.low for row in table.figures.values() for figure in row]
    assert all(low >= 0.0 for low in lows if not math.isnan(low))


def test_results_without_periods_say_so() -> None:
    results = simulate(load_text(PATHWAY), load_scenario_text(SCENARIO), replications=1)
    with pytest.raises(ValueError, match="periods="):
        results.periods()


def test_cli_periods_quarter_prints_and_exports_the_quarters(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "test").mkdir()
    (tmp_path / "test" / "quarters.yaml").write_text(PATHWAY)
    (tmp_path / "scenario.yaml").write_text(
        SCENARIO.replace("id: test/quarters\n", "id: scenario\n")
    )
    out = tmp_path / "out.csv"
    status = main(
        [
            "simulate",
            str(tmp_path / "test" / "quarters.yaml"),
            "--scenario",
            str(tmp_path / "scenario.yaml"),
            "--replications",
            "2",
            "--periods",
            "quarter",
            "--csv",
            str(out),
            "--quiet",
        ]
    )
    assert status == 0
    text = capsys.readouterr().out
    assert "By calendar period" in text
    q3 = next(line for line in text.splitlines() if line.strip().startswith("2024Q3"))
    assert q3.split()[:4] == ["2024Q3", "0", "0", "3"]  # arrivals, referrals, RG decisions
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    made = {row["period"]: float(row["mean"]) for row in rows if row["figure"] == "CG decisions"}
    assert made == {"2024Q1": 4.0, "2024Q2": 0.0, "2024Q3": 10.0, "2024Q4": 3.0}
    assert {row["scenario"] for row in rows} == {"scenario"}


def test_a_scenario_names_the_milestones_of_a_pathway_without_tags() -> None:
    untagged = PATHWAY.replace(", tags: [nrm-referral]", "").replace(
        ", tags: [reasonable-grounds]", ""
    )
    named = SCENARIO + "milestones:\n  nrm-referral: referral\n  reasonable-grounds: [rg]\n"
    results = simulate(
        load_text(untagged), load_scenario_text(named), replications=1, seed=5, periods="quarter"
    )
    table = results.periods()
    assert [figure.mean for figure in table.figure("RG decisions")] == [0, 10, 3, 0]
    assert "NRM referrals" in table.figures
    without = simulate(
        load_text(untagged), load_scenario_text(SCENARIO), replications=1, periods="quarter"
    )
    assert "RG decisions" not in without.periods().figures


def test_milestones_must_name_stages_and_decisions_must_be_decision_stages() -> None:
    wrong = SCENARIO + "milestones:\n  reasonable-grounds: [referral, rgg]\n"
    with pytest.raises(DefinitionError) as caught:
        simulate(load_text(PATHWAY), load_scenario_text(wrong), replications=1)
    codes = sorted(problem.code for problem in caught.value.problems)
    assert codes == ["not-a-decision", "unknown-stage"]
    assert "milestones.reasonable-grounds names 'referral'" in str(caught.value)
