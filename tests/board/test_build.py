"""The board report's figures (`pathways.board.build`), worked out by hand from the journeys
planned in `board.helpers` (a store in `tmp_path` of journeys driven through the Hull pathway: a
small set in 2021Q3, and journeys before and after the quarter that must not count).
"""

from __future__ import annotations

from board.helpers import MADE, cells
from pathways.board import (
    BoardReport,
    build_report,
    parse_period,
)
from pathways.definition.schema import Pathway
from pathways.store import JourneyStore


def test_referrals_count_the_journeys_opened_in_the_quarter(report: BoardReport) -> None:
    # A1-A6, C1-C5, D1-D2: not E (May), F (October) or G (April).
    assert cells(report)[("referrals", "opened", "journeys")] == "13"


def test_time_to_nrm_referral_and_duty_to_notify(report: BoardReport) -> None:
    shown = cells(report)
    # six adults at 2 days and five children at 4 days; E's referrals were in May
    assert shown[("time-to-referral", "nrm-referral", "journeys")] == "11"
    assert shown[("time-to-referral", "nrm-referral", "median-days")] == "2.0"
    assert shown[("time-to-referral", "nrm-referral", "mean-days")] == f"{32 / 11:.1f}"
    # two adults notified the Home Office: too few for a count or a statistic
    assert shown[("time-to-referral", "duty-to-notify", "journeys")] == "fewer than 5"
    assert shown[("time-to-referral", "duty-to-notify", "median-days")] == "fewer than 5 journeys"
    assert shown[("time-to-referral", "duty-to-notify", "mean-days")] == "fewer than 5 journeys"


def test_decisions_pending_and_overdue_at_the_end_of_the_quarter(report: BoardReport) -> None:
    shown = cells(report)
    # rg-decision: A4-A6 (A4's decision came in October), all past 5 working days: 3 and 3.
    # child-rg-decision: C1-C5 pending; C1-C3 past 45 days, C4-C5 not: 5 and 3.
    # All: 8 pending, 6 overdue.
    assert shown[("decisions", "rg-decision", "pending")] == "fewer than 5"
    assert shown[("decisions", "rg-decision", "overdue")] == "fewer than 5"
    assert shown[("decisions", "child-rg-decision", "overdue")] == "fewer than 5"
    assert shown[("decisions", "all", "pending")] == "8"
    # secondary suppression: 8 - 5 would give rg-decision's 3; 6 overdue of 8 would give 2
    assert shown[("decisions", "child-rg-decision", "pending")] == "not shown"
    assert shown[("decisions", "all", "overdue")] == "not shown"
    rows = [row.key for row in report.sections[0].tables[2].rows]
    assert rows == ["rg-decision", "child-rg-decision", "all"]


def test_handoffs_and_retellings_per_journey(report: BoardReport) -> None:
    shown = cells(report)
    # A1-A3 five handoffs, A4-A6 four (A4's fifth is in October), C four, D six: 59 in all
    assert shown[("handoffs", "handoffs", "journeys")] == "13"
    assert shown[("handoffs", "handoffs", "total")] == "59"
    assert shown[("handoffs", "handoffs", "mean")] == f"{59 / 13:.1f}"
    assert shown[("handoffs", "handoffs", "median")] == "4.0"
    # every journey had a handoff: "13 of 13" would say that none had none
    assert shown[("handoffs", "handoffs", "journeys-with-any")] == "not shown"
    # the Hull pathway never asks twice for anything it collected
    assert shown[("handoffs", "retellings", "total")] == "fewer than 5"
    assert shown[("handoffs", "retellings", "mean")] == "not shown"
    assert shown[("handoffs", "retellings", "journeys-with-any")] == "fewer than 5"


def test_outcomes_by_kind(report: BoardReport) -> None:
    shown = cells(report)
    # main track: E1-E5 supported, D1-D2 helped outside the NRM; other tracks: E's child
    # protection plans (5). G's outcomes were in April.
    assert shown[("outcomes", "all", "main")] == "7"
    assert shown[("outcomes", "all", "other")] == "5"
    assert shown[("outcomes", "referred-elsewhere", "main")] == "fewer than 5"
    assert shown[("outcomes", "referred-elsewhere", "other")] == "fewer than 5"
    assert shown[("outcomes", "supported", "main")] == "not shown"
    assert shown[("outcomes", "supported", "other")] == "not shown"


def test_a_later_quarter_counts_what_happened_then(store_url: str, hull: Pathway) -> None:
    with JourneyStore(store_url, upgrade=False) as store:
        later = build_report(store, [hull], parse_period("2021Q4"), at=MADE, diagram=False)
    shown = cells(later)
    assert shown[("referrals", "opened", "journeys")] == "fewer than 5"  # F1-F3
    assert shown[("decisions", "all", "pending")] == "10"  # A5, A6, C1-C5, F1-F3
