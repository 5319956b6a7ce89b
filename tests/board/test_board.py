"""The board report (`pathways.board`, `pathways report`): figures, rounding, no case
references, CSV and JSON that agree with the page, periods and the command line.

A store in `tmp_path` holds journeys driven through the Hull pathway with the store API: a
small set in 2021Q3 whose figures are worked out by hand below, and journeys before and after
the quarter that must not count. Every count is published rounded to the nearest 5, a quarter
at a time (`pathways.board.suppress`); `test_disclosure.py` attacks the rule.
"""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

import pathways.board
from board.helpers import LONDON, MADE, Q3, REFS, cells, html_cells, plan
from paths import HULL, ROOT
from pathways.board import (
    BoardReport,
    PeriodError,
    build_report,
    parse_period,
    to_csv,
    to_data,
    to_html,
    to_json,
)
from pathways.board.figures import walk
from pathways.board.suppress import Count, Draft, Statistic, rounded
from pathways.cli import main
from pathways.cli.report import last_quarter
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.opening import start
from pathways.store import JourneyStore

# The figures, worked out by hand


def test_referrals_count_the_journeys_opened_in_the_quarter(report: BoardReport) -> None:
    # A1-A6, C1-C5, D1-D2: not E (May), F (October) or G (April). 13 is published as 15.
    assert cells(report)[("referrals", "opened", "journeys")] == "15"


def test_time_to_nrm_referral_and_duty_to_notify(report: BoardReport) -> None:
    shown = cells(report)
    # six adults at 2 days and five children at 4 days (11, shown as 10); E's referrals were
    # in May. No mean: a mean times its count is a total, and totals can be subtracted.
    assert shown[("time-to-referral", "nrm-referral", "journeys")] == "10"
    assert shown[("time-to-referral", "nrm-referral", "median-days")] == "2.0"
    assert ("time-to-referral", "nrm-referral", "mean-days") not in shown
    # two adults notified the Home Office: 2 is shown as 0, too few for a median
    assert shown[("time-to-referral", "duty-to-notify", "journeys")] == "0"
    assert shown[("time-to-referral", "duty-to-notify", "median-days")] == "not shown"


def test_decisions_pending_and_overdue_at_the_end_of_the_quarter(report: BoardReport) -> None:
    shown = cells(report)
    # rg-decision: A4-A6 (A4's decision came in October), all past 5 working days: 3 and 3.
    # child-rg-decision: C1-C5 pending; C1-C3 past 45 days, C4-C5 not: 5 and 3.
    # All: 8 pending, 6 overdue. Each stage's count is rounded (3 and 5 both show as 5) and
    # the totals are the sums of the rounded counts, so 8 and 6 show as 10.
    assert shown[("decisions", "rg-decision", "pending")] == "5"
    assert shown[("decisions", "rg-decision", "overdue")] == "5"
    assert shown[("decisions", "child-rg-decision", "pending")] == "5"
    assert shown[("decisions", "child-rg-decision", "overdue")] == "5"
    assert shown[("decisions", "all", "pending")] == "10"
    assert shown[("decisions", "all", "overdue")] == "10"
    rows = [row.key for row in report.sections[0].tables[2].rows]
    assert rows == ["rg-decision", "child-rg-decision", "all"]


def test_handoffs_and_retellings_per_journey(report: BoardReport) -> None:
    shown = cells(report)
    # A1-A3 five handoffs, A4-A6 four (A4's fifth is in October), C four, D six: 59 in all,
    # over 13 journeys, published as 60 over 15; the mean is worked out from those
    assert shown[("handoffs", "handoffs", "journeys")] == "15"
    assert shown[("handoffs", "handoffs", "total")] == "60"
    assert shown[("handoffs", "handoffs", "mean")] == f"{60 / 15:.1f}"
    assert shown[("handoffs", "handoffs", "median")] == "4.0"
    assert shown[("handoffs", "handoffs", "journeys-with-any")] == "15"
    # the Hull pathway never asks twice for anything it collected
    assert shown[("handoffs", "retellings", "total")] == "0"
    assert shown[("handoffs", "retellings", "mean")] == "0.0"
    assert shown[("handoffs", "retellings", "journeys-with-any")] == "0"


def test_outcomes_by_kind(report: BoardReport) -> None:
    shown = cells(report)
    # main track: E1-E5 supported, D1-D2 helped outside the NRM; other tracks: E's child
    # protection plans (5). G's outcomes were in April. D's 2 and 2 are published as 0, so
    # their row is left out, and the totals are the sums of the rounded counts.
    assert shown[("outcomes", "supported", "main")] == "5"
    assert shown[("outcomes", "supported", "other")] == "5"
    assert ("outcomes", "referred-elsewhere", "main") not in shown
    assert shown[("outcomes", "all", "main")] == "5"
    assert shown[("outcomes", "all", "other")] == "5"


def test_a_later_quarter_counts_what_happened_then(store_url: str, hull: Pathway) -> None:
    with JourneyStore(store_url, upgrade=False) as store:
        later = build_report(store, [hull], parse_period("2021Q4"), at=MADE, diagram=False)
    shown = cells(later)
    assert shown[("referrals", "opened", "journeys")] == "5"  # F1-F3
    # A5, A6 and F1-F3 at rg-decision, C1-C5 at child-rg-decision: 5 and 5
    assert shown[("decisions", "all", "pending")] == "10"


def test_a_year_adds_up_its_quarters_rounded(store_url: str, hull: Pathway) -> None:
    with JourneyStore(store_url, upgrade=False) as store:
        found = {
            label: cells(build_report(store, [hull], parse_period(label), at=MADE, diagram=False))
            for label in ("2021Q2", "2021Q3", "2021Q4", "2021", "FY2021-22")
        }
    opened = {
        label: int(shown[("referrals", "opened", "journeys")]) for label, shown in found.items()
    }
    # E and G (April and May), 13 in Q3, F1-F3 in Q4: 5 + 15 + 5, never the rounded 25 of 23
    assert opened["2021"] == opened["2021Q2"] + opened["2021Q3"] + opened["2021Q4"] == 25
    assert opened["FY2021-22"] == opened["2021"]  # nothing was opened in 2021Q1 or 2022Q1


def test_retellings_follow_what_was_actually_shared() -> None:
    pathway = load_text(RETELLING)
    compiled = compile_pathway(pathway)
    period = parse_period("2025")
    at = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
    for shares, expected in (([], 2), (["account"], 1)):
        journey = start(compiled, "T-1", {}, at, "council")
        journey.handoff("ask-again", by="council", at=at)  # the police ask again: 1
        journey.handoff("pass-on", by="police", at=at, shares=shares)
        journey.handoff("again-at-council", by="charity", at=at)  # the council has it
        journey.handoff("finish", by="council", at=at)
        facts = walk(compiled, journey.history, period)
        assert (facts.handoffs, facts.retellings) == (4, expected)


RETELLING = """
id: test/retell
title: Retelling test
area: Testshire
version: "1"
entry: first
roles:
  first-responder: {title: First responder}
agencies:
  council: {name: Council, roles: [first-responder]}
  police: {name: Police}
  charity: {name: Charity}
information:
  account: {title: Account, sensitivity: special-category}
stages:
  first: {title: First, owner: council, kind: identification, collects: [account]}
  second: {title: Second, owner: police, kind: safeguarding, collects: [account]}
  third: {title: Third, owner: charity, kind: support, collects: [account]}
  fourth: {title: Fourth, owner: council, kind: support, collects: [account]}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  ask-again: {from: first, to: second, by: [council]}
  pass-on: {from: second, to: third, by: [police], shares: [account]}
  again-at-council: {from: third, to: fourth, by: [charity]}
  finish: {from: fourth, to: done, by: [council]}
"""


# The rounding rule


def test_counts_are_rounded_to_the_nearest_five() -> None:
    assert [rounded(n) for n in range(13)] == [0, 0, 0, 5, 5, 5, 5, 5, 10, 10, 10, 10, 10]


def test_a_total_is_the_sum_of_its_rounded_parts() -> None:
    # 4 + 4 = 8: the old rule showed "fewer than 5" twice and 8, which gave both 4s away
    assert Count((4,)).published == 5
    assert Count((4, 4)).published == 10
    assert Count((3, 9, 20)).published == 5 + 10 + 20


def test_a_statistic_needs_a_count_published_as_ten_or_more() -> None:
    assert not Statistic(2.0, Count((7,))).shown  # 7 is published as 5
    assert Statistic(2.0, Count((8,))).shown
    assert not Statistic(None, Count((8,))).shown
    draft = Draft("t", "T", "", (("n", "n"), ("median", "median")))
    draft.row("few", "Few", Count((7,)), Statistic(3.0, Count((7,))))
    draft.row("many", "Many", Count((4, 4)), Statistic(3.0, Count((4, 4))))
    few, many = draft.finish().rows
    assert [c.text for c in few.cells] == ["5", "not shown"]
    assert [c.status for c in few.cells] == ["rounded", "not-shown"]
    assert [c.text for c in many.cells] == ["10", "3.0"]
    with pytest.raises(ValueError, match="1 values for 2"):
        draft.row("bad", "Bad", Count((1,)))


# No case reference anywhere


def test_no_case_reference_appears_in_any_output(report: BoardReport, store_url: str) -> None:
    assert len(REFS) == len(plan()) == 23
    for text in (to_html(report), to_csv(report), to_json(report)):
        for ref in REFS:
            assert ref not in text
        assert "ZQX" not in text


# CSV and JSON say what the page says


def test_csv_and_json_hold_exactly_the_figures_on_the_page(report: BoardReport) -> None:
    page = html_cells(to_html(report))
    assert page == cells(report)
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert {(r["table"], r["row"], r["column"]): r["shown"] for r in rows} == page
    assert {r["pathway"] for r in rows} == {"humber/hull"}
    for r in rows:
        if r["status"] in ("rounded", "shown"):
            assert r["shown"].replace(",", "") == r["value"] or float(r["value"]) == float(
                r["shown"]
            )
        else:
            assert (r["status"], r["value"], r["shown"]) == ("not-shown", "", "not shown")
    data = json.loads(to_json(report))
    assert data == json.loads(json.dumps(to_data(report)))
    from_json = {
        (table["key"], row["key"], cell["column"]): cell["shown"]
        for table in data["pathways"][0]["tables"]
        for row in table["rows"]
        for cell in row["cells"]
    }
    assert from_json == page
    assert data["pathways"][0]["status"] == "illustrative"
    assert data["suppression"]["base"] == 5
    assert data["period"] == {"label": "2021Q3", "first": "2021-07-01", "last": "2021-09-30"}


def test_the_page_says_prominently_that_the_pathway_is_illustrative(report: BoardReport) -> None:
    page = to_html(report)
    status = re.search(r'<p class="status" data-status="illustrative">(.*?)</p>', page)
    assert status is not None
    assert "not the partnership&#x27;s agreed pathway" in status[1]
    assert page.index('class="status"') < page.index("The quarter's figures")


def test_the_page_fetches_nothing() -> None:
    page = to_html(BoardReport(Q3, MADE, ()))
    assert "<script" not in page
    assert not re.search(r"(src|href)=", page)
    assert "default-src 'none'" in page


# Periods


@pytest.mark.parametrize(
    ("text", "first", "last", "label"),
    [
        ("2021Q3", date(2021, 7, 1), date(2021, 9, 30), "2021Q3"),
        ("2021q1", date(2021, 1, 1), date(2021, 3, 31), "2021Q1"),
        ("2020-Q4", date(2020, 10, 1), date(2020, 12, 31), "2020Q4"),
        ("2021", date(2021, 1, 1), date(2021, 12, 31), "2021"),
        ("FY2021-22", date(2021, 4, 1), date(2022, 3, 31), "FY2021-22"),
        ("fy2021/2022", date(2021, 4, 1), date(2022, 3, 31), "FY2021-22"),
        ("FY1999-00", date(1999, 4, 1), date(2000, 3, 31), "FY1999-00"),
    ],
)
def test_periods(text: str, first: date, last: date, label: str) -> None:
    period = parse_period(text)
    assert (period.first, period.last, period.label) == (first, last, label)
    assert period.start == datetime(first.year, first.month, first.day, tzinfo=LONDON)
    assert period.end - timedelta(days=1) < datetime.combine(last, datetime.max.time(), LONDON)


def test_every_period_is_made_of_whole_quarters() -> None:
    assert [q.label for q in parse_period("FY2021-22").quarters] == [
        "2021Q2",
        "2021Q3",
        "2021Q4",
        "2022Q1",
    ]
    assert [q.label for q in parse_period("2021").quarters] == [f"2021Q{n}" for n in range(1, 5)]
    assert parse_period("2021Q3").quarters == (Q3,)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2021Q5", "must be Q1, Q2, Q3 or Q4"),
        ("2021-07-01..2021-09-30", "is a range of days; a report covers whole quarters"),
        ("2021-07-01..2021-09-29", "could be set against each other"),
        ("2021-07", "the shortest period a report covers is a calendar quarter"),
        ("2021-07-01", "the shortest period a report covers is a calendar quarter"),
        ("FY2021-23", "write FY2021-22"),
        ("FY2021/2023", "write FY2021-22"),
        ("1899", "the year 1899 is too early"),
        ("last quarter", "is not a period: write a quarter such as 2021Q3, a half-year"),
        ("2021H3", "a half-year is H1 (January to June) or H2 (July to December), not H3"),
    ],
)
def test_bad_periods_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(PeriodError) as caught:
        parse_period(text)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


# The command line


def test_the_command_writes_html_csv_and_json(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, table, data = tmp_path / "r.html", tmp_path / "r.csv", tmp_path / "r.json"
    args = ["report", "--area", "hull", "--period", "2021Q3", "--db", store_url]
    args += ["--out", str(out), "--csv", str(table), "--json", str(data), "--no-diagram"]
    assert main([*args, str(ROOT / "pathways")]) == 0
    assert "board report for 2021Q3" in capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert html_cells(page)[("referrals", "opened", "journeys")] == "15"
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    assert {(r["table"], r["row"], r["column"]): r["shown"] for r in rows} == html_cells(page)
    assert json.loads(data.read_text(encoding="utf-8"))["pathways"][0]["id"] == "humber/hull"
    for text in (page, table.read_text(encoding="utf-8"), data.read_text(encoding="utf-8")):
        assert "ZQX" not in text


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (["--period", "2021Q7"], "must be Q1, Q2, Q3 or Q4"),
        (["--period", "2021-07-01..2021-09-29"], "is a range of days"),
        (["--area", "atlantis"], "no pathway for area 'atlantis'"),
        (["--db", "sqlite:///{tmp}/missing.sqlite3"], "no such database file"),
        (["--db", "mysql://x@y/z"], "SQLite or PostgreSQL"),
    ],
)
def test_the_command_refuses_with_a_clear_message(
    store_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    words: str,
) -> None:
    args = ["report", str(HULL), "--db", store_url, "--out", str(tmp_path / "r.html")]
    args += [e.replace("{tmp}", str(tmp_path)) for e in extra]
    assert main(args) == 2
    assert words in capsys.readouterr().err
    assert not (tmp_path / "r.html").exists()
    assert not (tmp_path / "missing.sqlite3").exists()


def test_the_command_needs_a_pathway(
    store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--db", store_url, "--out", str(tmp_path / "r.html")]) == 2
    assert "--area" in capsys.readouterr().err


def test_the_public_surface_is_sorted_and_complete() -> None:
    # sorted as ruff's RUF022 sorts: constants, then classes, then functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    names = pathways.board.__all__
    assert list(names) == sorted(names, key=kind)
    public = {
        name
        for name, value in vars(pathways.board).items()
        if not name.startswith("_") and name != "annotations" and not inspect.ismodule(value)
    }
    assert public == set(names)


def test_the_quarter_begins_and_ends_at_midnight_london_time(tmp_path: Path, hull: Pathway) -> None:
    adult = {"age_group": "adult", "consent": "given"}
    times = {
        "IN-START": datetime(2021, 7, 1, 0, 30, tzinfo=LONDON),  # 30 June, 23:30 UTC
        "OUT-BEFORE": datetime(2021, 6, 30, 23, 30, tzinfo=LONDON),
        "IN-END": datetime(2021, 9, 30, 23, 30, tzinfo=LONDON),
        "OUT-AFTER": datetime(2021, 10, 1, 0, 10, tzinfo=LONDON),
    }
    url = f"sqlite:///{tmp_path / 'edges.sqlite3'}"
    with JourneyStore(url, pathways=[compile_pathway(hull)]) as store:
        for name, at in times.items():
            for i in range(5):
                store.create(f"{name}-{i}", adult, at=at, by="hull-city-council")
        report = build_report(store, [hull], Q3, at=MADE, diagram=False)
    assert cells(report)[("referrals", "opened", "journeys")] == "10"  # 10, rounded


def test_without_a_period_the_last_complete_quarter_is_reported() -> None:
    assert last_quarter(date(2021, 10, 11)).label == "2021Q3"
    assert last_quarter(date(2021, 9, 30)).label == "2021Q2"
    assert last_quarter(date(2022, 2, 1)).label == "2021Q4"
