"""Time limits and timeouts (`pathways.runtime.deadlines`): working days over Christmas, what is
overdue, and timeouts that fire when a journey is ticked, however often.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pathways.errors import (
    InvalidTime,
)
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import replay, start
from runtime.helpers import CHILD, FRIDAY, LONDON, child_referred


def test_stage_limits_count_working_days_over_christmas(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    limits = {(d.stage, d.handoff): d for d in journey.deadlines()}
    referral = limits[("nrm-referral", None)]
    assert referral.due == date(2025, 12, 30)
    assert referral.overdue_from == datetime(2025, 12, 31, tzinfo=LONDON)
    police = limits[("crime-recorded", None)]
    assert police.due == date(2026, 1, 18)
    assert limits[("crime-recorded", "no-charge")].timeout


def test_overdue_lists_limits_that_have_run_out(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    assert journey.overdue(datetime(2025, 12, 30, 23, 59, tzinfo=LONDON)) == ()
    (late,) = journey.overdue(datetime(2025, 12, 31, tzinfo=LONDON))
    assert (late.stage, late.handoff) == ("nrm-referral", None)
    with pytest.raises(InvalidTime):
        journey.overdue(datetime(2025, 12, 31))


def test_a_timeout_fires_on_tick_at_the_moment_it_ran_out(compiled: CompiledPathway) -> None:
    journey = child_referred(compiled)
    assert journey.tick(datetime(2026, 1, 18, 23, 0, tzinfo=LONDON)) == ()
    (event,) = journey.tick(datetime(2026, 2, 1, tzinfo=LONDON))
    assert (event.what, event.by, event.trigger) == ("timeout", None, "no-charge")
    assert event.at == datetime(2026, 1, 19, tzinfo=LONDON)
    assert journey.positions["police"] == "no-further-action"


def test_ticking_often_or_rarely_gives_the_same_history(compiled: CompiledPathway) -> None:
    daily = start(compiled, "TS-12", CHILD, FRIDAY, "council")
    daily.handoff("to-safe-house", by="council", at=FRIDAY, shares=["address"])
    rarely = replay(compiled, "TS-12", daily.history)
    for day in range(1, 15):
        daily.tick(FRIDAY + timedelta(days=day))
    rarely.tick(FRIDAY + timedelta(days=14))
    assert daily.history == rarely.history
    assert [e.trigger for e in daily.history[2:]] == ["leave-safe-house"]
    assert daily.history[2].at == datetime(2025, 12, 25, tzinfo=LONDON)  # 3 working days
