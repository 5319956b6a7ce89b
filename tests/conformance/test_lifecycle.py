"""Conformance with the referral lifecycle: declines are moves, corrections leave the history in
force, a withdrawal ends the replay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from paths import tutorial_example
from pathways.conformance import conform, replay
from pathways.definition.loader import load_text
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.opening import start

DECLINABLE = (
    "    shares: [account]\n    within: 2 working days\n"
    "    require: acceptance\n    acceptance: {reasons: [no-capacity, referred-in-error]}\n"
)
T0 = datetime(2025, 3, 3, 9, tzinfo=UTC)


def _pathway(text: str) -> object:
    return compile_pathway(load_text(text, path="example/small.yaml"))


def _with_acceptance(reasons: str = "[no-capacity, referred-in-error]") -> str:
    text = tutorial_example().replace(
        "    shares: [account]\n    within: 2 working days\n",
        DECLINABLE.replace("[no-capacity, referred-in-error]", reasons),
        1,
    )
    return text.replace(
        "information:\n",
        "actions:\n  withdraw: {reasons: [victim-withdrew]}\ninformation:\n",
        1,
    )


def _declined_journey() -> object:
    compiled = _pathway(_with_acceptance())
    journey = start(
        compiled, "case-1", {"age_group": "child", "consent": "given"}, T0, "example-police"
    )
    journey.handoff(
        "refer-for-support", by="example-police", at=T0 + timedelta(hours=1), shares=["account"]
    )
    journey.decline(
        "refer-for-support", reason="no-capacity", by="example-charity", at=T0 + timedelta(hours=2)
    )
    return journey


def test_a_decline_the_pathway_allows_fits() -> None:
    journey = _declined_journey()
    result = replay(_pathway(_with_acceptance()), "case-1", journey.history)  # type: ignore[attr-defined]
    assert result.fits
    assert result.moves == 2
    assert ("declined:refer-for-support", "support", "concern-raised") in result.taken


def test_a_decline_for_a_reason_the_draft_does_not_have_is_a_deviation() -> None:
    journey = _declined_journey()
    draft = _pathway(_with_acceptance("[referred-in-error]"))
    result = replay(draft, "case-1", journey.history)  # type: ignore[attr-defined]
    [deviation] = result.deviations
    assert (deviation.kind, deviation.handoff) == ("decline", "refer-for-support")
    assert "'no-capacity' is not a reason" in deviation.reason


def test_a_voided_move_is_left_out_and_a_withdrawal_ends_the_replay() -> None:
    compiled = _pathway(_with_acceptance())
    journey = start(
        compiled, "case-2", {"age_group": "adult", "consent": "declined"}, T0, "example-police"
    )
    journey.handoff("close", by="example-police", at=T0 + timedelta(hours=1))
    draft_without_close = _pathway(
        _with_acceptance().replace(
            "  close:\n    from: concern-raised\n", "  shut:\n    from: concern-raised\n"
        )
    )
    assert not replay(draft_without_close, "case-2", journey.history).fits
    journey.void(1, reason="recorded-in-error", by="example-police", at=T0 + timedelta(hours=2))
    journey.withdraw(reason="victim-withdrew", by="example-police", at=T0 + timedelta(hours=3))
    result = replay(draft_without_close, "case-2", journey.history)
    assert result.fits
    assert result.moves == 0
    totals = conform(draft_without_close, [("case-2", journey.history)], T0 + timedelta(days=1))
    assert totals.fitness == 1.0
