"""What a case expects, judged over the routes a victim can take (`pathways.casetests.expect`):
reaching a stage on some route or every route, time limits in working days, and rules that hold
on every route, each failure saying what happened instead.
"""

from __future__ import annotations

import pytest

from casetests.helpers import TIMED, report, run
from pathways.casetests import routes as explore_module
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway


def test_reaches_holds_when_some_route_gets_there(small: Pathway) -> None:
    outcomes = run(
        small,
        """
cases:
  adult-consents:
    description: an adult found by the police who consents
    profile: {age_group: adult, consent: given}
    found_by: example-police
    expect:
      reaches: supported
      passes_through: [support]
      asked_for_account_at_most: 1
""",
    )
    outcome = outcomes["adult-consents"]
    assert outcome.passed
    assert report(outcome, small) == (
        "PASS adult-consents: an adult found by the police who consents\n"
        "  route: concern-raised -> support (day 2) -> supported"
    )


def test_always_reaches_fails_and_says_what_happened_instead(small: Pathway) -> None:
    outcomes = run(
        small,
        """
cases:
  any-adult:
    profile: {age_group: adult}
    found_by: example-police
    expect:
      always_reaches: supported
""",
    )
    outcome = outcomes["any-adult"]
    assert not outcome.passed
    assert report(outcome, small) == (
        "FAIL any-adult\n"
        "  expected: every route reaches 'Supported' (supported)\n"
        "  instead: a route does not: it ends at 'Closed without support' (closed), without "
        "reaching 'Supported' (supported)\n"
        "  route (age_group=adult, consent=declined):\n"
        "    1. Mon 6 Jan 2025: Exampleshire Police opens the journey at 'Concern raised' "
        "(concern-raised)\n"
        "    2. no time limit: Exampleshire Police makes 'close' to "
        "'Closed without support' (closed)\n"
        "    then: the journey closes at 'Closed without support' (closed)\n"
        "  (2 routes checked)"
    )


def test_reaches_fails_listing_where_routes_end(small: Pathway) -> None:
    outcome = run(
        small,
        """
cases:
  adult-declines:
    profile: {age_group: adult, consent: declined}
    expect:
      reaches: support
""",
    )["adult-declines"]
    assert outcome.failures == (
        "no route reaches 'Support' (support): ends at 'Closed without support' (closed) (1 route)",
    )


def test_attributes_not_given_take_every_value(small: Pathway) -> None:
    outcome = run(
        small,
        """
cases:
  anyone:
    expect:
      never: [concern-raised]
""",
    )["anyone"]
    assert outcome.routes == 4
    assert not outcome.passed
    assert outcome.failures == ("a route does not: it reaches 'Concern raised' (concern-raised)",)


CHRISTMAS = """
cases:
  decided-in-time:
    profile: {{age_group: adult, urgent: false}}
    starts_on: 2025-12-19
    expect:
      reaches: support
      within: {within}
      counting_from: decision
"""


def test_within_counts_working_days_over_bank_holidays(timed: Pathway) -> None:
    # Found on Friday 19 December 2025, the referral takes its 2 working days (to Tuesday 23
    # December); from there the decision's 5 working days run to Friday 2 January 2026 (25 and
    # 26 December and 1 January are bank holidays).
    assert run(timed, CHRISTMAS.format(within="5 working days"))["decided-in-time"].passed
    outcome = run(timed, CHRISTMAS.format(within="4 working days"))["decided-in-time"]
    assert outcome.failures == (
        "no route does: it reaches 'Support' (support) on working day 5 (Fri 2 Jan 2026) "
        "when every stage takes the time it is allowed, after the 4 working days allowed "
        "(due Wed 31 Dec 2025)",
    )


def test_within_fails_where_the_pathway_sets_no_time_limit(timed: Pathway) -> None:
    outcome = run(
        timed,
        """
cases:
  from-the-start:
    profile: {age_group: adult, urgent: false}
    expect:
      reaches: support
      within: 20 working days
""",
    )["from-the-start"]
    assert outcome.failures == (
        "no route does: it reaches 'Support' (support), but the pathway sets no time limit "
        "on 'Found' (found) (neither the stage nor 'refer' has 'within'), so it does not say "
        "when",
    )


def test_never_handed_to_a_role_or_agency(timed: Pathway) -> None:
    outcomes = run(
        timed,
        """
cases:
  not-urgent:
    profile: {urgent: false}
    expect:
      never_handed_to: [police, force]
  urgent:
    profile: {urgent: true}
    found_by: force
    expect:
      never_handed_to: [police]
""",
    )
    assert outcomes["not-urgent"].passed
    assert outcomes["urgent"].failures == (
        "a route does not: it hands the victim to 'police' at 'Crime recorded' (crime-recorded)",
    )


ASKED_ONCE = """
cases:
  anyone:
    expect:
      asked_for_account_at_most: 1
"""


def test_asked_again_only_when_the_account_was_not_shared(timed: Pathway) -> None:
    # 'submit' shares the account with the decider, so 'review' (the decider's) has it
    assert run(timed, ASKED_ONCE)["anyone"].passed
    unshared = TIMED.replace(
        "submit: {from: referral, to: decision, by: [first-responder], shares: [account]}",
        "submit: {from: referral, to: decision, by: [first-responder]}",
    )
    outcome = run(load_text(unshared, path="timed.yaml"), ASKED_ONCE)["anyone"]
    assert outcome.failures == (
        "a route does not: it asks the victim for 'account' twice: at 'Found' (found), "
        "'Review' (review)",
    )


def test_too_many_routes_is_said(timed: Pathway, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(explore_module, "MAX_ROUTES", 2)
    outcome = run(
        timed,
        """
cases:
  anyone:
    expect:
      never: [charged]
""",
    )["anyone"]
    assert not outcome.passed
    assert outcome.truncated
    assert "too many routes" in outcome.failures[-1] or "charged" in outcome.failures[-1]
