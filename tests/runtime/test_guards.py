"""The rules a journey is held to (`pathways.runtime.guards.PathwayRules`), asked directly: which
profiles fit, which profile changes are allowed, and why a handoff is refused, checked in order."""

from __future__ import annotations

import pytest

from pathways.definition.loader import load_text
from pathways.runtime.guards import PathwayRules
from runtime.helpers import ADULT_DECLINES, CHILD, TEXT

AT_START = {"main": "identified"}
REFERRED = {"main": "nrm-referral", "police": "crime-recorded"}


@pytest.fixture(scope="module")
def rules() -> PathwayRules:
    return PathwayRules(load_text(TEXT))


def test_the_tracks_stages_and_entry(rules: PathwayRules) -> None:
    assert rules.tracks == ("main", "police")
    assert rules.entry.name == "identified"
    assert rules.stages["crime-recorded"].track == "police"
    assert rules.stages["supported"].outcome
    assert [h.name for h in rules.stages["crime-recorded"].timeouts] == ["no-charge"]


def test_a_profile_fits_only_with_one_declared_value_for_each_attribute(
    rules: PathwayRules,
) -> None:
    assert rules.profile_problem(CHILD) is None
    assert rules.profile_problem({**CHILD, "age_group": "elderly"}) == (
        "'elderly' is not a value of age_group; it is one of 'child' or 'adult'"
    )
    missing = {k: v for k, v in CHILD.items() if k != "consent"}
    assert "gives no value for consent" in (rules.profile_problem(missing) or "")
    assert rules.profile_problem({**CHILD, "height": 2}) == (
        "the pathway has no profile attribute height"
    )
    assert rules.profile_problem(["child"]) == "a profile is a set of attribute: value pairs"  # type: ignore[arg-type]


def test_journeys_on_one_profile_share_one_read_only_copy(rules: PathwayRules) -> None:
    shared = rules.profile(CHILD)
    assert shared is rules.profile(dict(CHILD))
    assert dict(shared) == CHILD
    with pytest.raises(TypeError):
        shared["age_group"] = "adult"  # type: ignore[index]


def test_only_a_declared_change_of_profile_is_allowed(rules: PathwayRules) -> None:
    child = rules.profile(CHILD)
    assert rules.change_refusal(child, "age_group", "adult") is None
    assert rules.change_refusal(child, "consent", "given") is None
    assert rules.change_refusal(child, "age_group", "child") == (
        "age_group is already 'child'",
        ("age_group: 'child' to 'adult'",),
    )
    adult = rules.profile(ADULT_DECLINES)
    reason, possible = rules.change_refusal(adult, "age_group", "child") or ("", ())
    assert reason == "the pathway does not allow age_group to change from 'adult' to 'child'"
    assert possible == ()
    assert rules.change_refusal(adult, "height", 2) == (
        "the pathway has no profile attribute 'height'",
        ("age_group", "consent"),
    )


def test_refusals_come_in_order_stage_agency_condition_waiting_sharing(
    rules: PathwayRules,
) -> None:
    child, adult = rules.profile(CHILD), rules.profile(ADULT_DECLINES)

    def kind(
        positions: dict[str, str],
        profile: object,
        trigger: str,
        agency: str | None,
        shares: tuple[str, ...] = (),
    ) -> str | None:
        refusal = rules.refusal(positions, profile, trigger, agency, shares)  # type: ignore[arg-type]
        return None if refusal is None else refusal.kind

    assert kind(AT_START, child, "support", "charity") == "not-available"
    assert kind(AT_START, adult, "refer-to-nrm", "charity") == "not-authorised"
    assert kind(AT_START, adult, "refer-to-nrm", "council") == "condition"
    assert kind(REFERRED, child, "support", "charity") == "waiting"
    assert kind(AT_START, child, "refer-to-nrm", "council", ("address",)) == "sharing"
    assert kind(AT_START, child, "refer-to-nrm", "council", ("account",)) is None
    assert kind({**REFERRED, "police": "charged"}, child, "support", "charity") is None


def test_a_refusal_says_what_would_be_allowed(rules: PathwayRules) -> None:
    child = rules.profile(CHILD)
    sharing = rules.refusal(AT_START, child, "refer-to-nrm", "council", ("address",))
    assert sharing is not None
    assert sharing.allowed == ("account", "consent-record")
    assert sharing.message.startswith("address may not be shared on 'refer-to-nrm'")
    waiting = rules.refusal(REFERRED, child, "support", "charity")
    assert waiting is not None
    assert waiting.allowed == ("police",)
    assert "waits until the Police investigation track has reached an outcome" in waiting.message
    by_itself = rules.refusal(REFERRED, child, "charge", None)
    assert by_itself is not None
    assert by_itself.kind == "not-authorised"
    assert "does not happen by itself" in by_itself.message


def test_a_journey_is_finished_when_every_started_track_is_at_an_outcome(
    rules: PathwayRules,
) -> None:
    assert not rules.finished(REFERRED)
    assert not rules.finished({"main": "supported", "police": "crime-recorded"})
    assert rules.finished({"main": "supported", "police": "charged"})
    assert rules.finished({"main": "notified"})
    assert [h.name for h in rules.exits(REFERRED)] == ["support", "charge", "no-charge"]
    assert rules.agency_name("constabulary") == "Testshire Police"
    assert rules.agency_name("unknown-agency") == "unknown-agency"
