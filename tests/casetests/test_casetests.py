"""Case tests (`pathways.casetests`): the runner, its verdicts and its reports.

Cases run against small pathways written here, the tutorial's example pathway (a copy lives in
tests/golden/casetests/example/small.yaml) and the bundled pathways with their `*.tests.yaml`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pathways.casetests as casetests
from paths import ROOT, SMALL
from pathways.casetests import (
    CaseSuite,
    Outcome,
    explore,
    format_outcome,
    load_cases,
    load_cases_text,
    run_case,
    run_suite,
)
from pathways.casetests import routes as explore_module
from pathways.definition.loader import Library, load, load_text
from pathways.definition.schema import Pathway

BUNDLED = sorted((ROOT / "pathways").rglob("*.tests.yaml"))

#: A pathway with a time limit, a deadline, a timeout, a parallel police track that the main
#: track waits for, and a loop (a decision that can be reconsidered).
TIMED = """
id: test/timed
title: Timed pathway
area: Testshire
version: "1"
entry: found
roles:
  first-responder: {title: First responder}
  police: {title: Police}
  decider: {title: Decider}
agencies:
  council: {name: Test Council, roles: [first-responder]}
  force: {name: Test Police, roles: [police, first-responder]}
  authority: {name: Test Authority, roles: [decider]}
profile:
  age_group: {values: [adult, child], changes: [{from: child, to: adult}]}
  urgent: {flag: true}
information:
  account: {title: The account, sensitivity: special-category}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  found: {title: Found, owner: first-responder, kind: identification, collects: [account]}
  referral: {title: Referral, owner: first-responder, kind: referral, within: 2 working days}
  decision: {title: Decision, owner: decider, kind: decision, within: 5 working days}
  review: {title: Review, owner: decider, kind: decision, collects: [account]}
  support: {title: Support, owner: first-responder, kind: support}
  supported: {title: Supported, owner: first-responder, kind: outcome, outcome: supported}
  closed: {title: Closed, owner: first-responder, kind: outcome, outcome: closed-without-support}
  crime-recorded: {title: Crime recorded, owner: police, kind: investigation, track: police}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
handoffs:
  refer: {from: found, to: referral, by: [first-responder], shares: [account]}
  submit: {from: referral, to: decision, by: [first-responder], shares: [account]}
  report-crime:
    from: found
    to: referral
    by: [police]
    when: urgent
    starts: [police]
  positive: {from: decision, to: support, by: [decider]}
  negative: {from: decision, to: review, by: [decider]}
  lapse: {from: decision, to: closed, within: 10 working days, timeout: true, by: []}
  reconsider: {from: review, to: decision, by: [decider]}
  give-up: {from: review, to: closed, by: [decider]}
  finish: {from: support, to: supported, by: [first-responder], waits_for: [police]}
  charge: {from: crime-recorded, to: charged, by: [police]}
"""


@pytest.fixture(scope="module")
def timed() -> Pathway:
    return load_text(TIMED, path="timed.yaml")


@pytest.fixture(scope="module")
def small() -> Pathway:
    return load(SMALL)


def run(pathway: Pathway, cases: str) -> dict[str, Outcome]:
    suite = load_cases_text(cases, pathway, path="cases.tests.yaml")
    return {o.name: o for o in run_suite(suite)}


def report(outcome: Outcome, pathway: Pathway) -> str:
    return format_outcome(outcome, pathway)


def test_public_names_are_sorted_and_complete() -> None:
    # sorted as ruff's RUF022 sorts: constants, then classes, then functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert list(casetests.__all__) == sorted(casetests.__all__, key=kind)
    for name in casetests.__all__:
        assert hasattr(casetests, name), name


# --- reaching a stage: some route, every route ----------------------------------------------


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


# --- time ------------------------------------------------------------------------------------


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


def test_a_timeout_happens_by_itself(timed: Pathway) -> None:
    case = load_cases_text(
        """
cases:
  lapses:
    profile: {age_group: adult, urgent: false}
    expect:
      reaches: closed
""",
        timed,
    ).cases["lapses"]
    exploration = explore(timed, case)
    lapsed = [r for r in exploration.runs if any(e.what == "timeout" for e in r.events)]
    assert lapsed
    assert lapsed[0].events[-1].trigger == "lapse"
    assert lapsed[0].events[-1].by is None


# --- rules that hold on every route ------------------------------------------------------------


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


def test_asked_again_only_when_the_account_was_not_shared(timed: Pathway) -> None:
    outcome = run(
        timed,
        """
cases:
  anyone:
    expect:
      asked_for_account_at_most: 1
""",
    )["anyone"]
    assert outcome.failures == (
        "a route does not: it asks the victim for 'account' twice: at 'Found' (found), "
        "'Review' (review)",
    )


def test_loops_end_and_waits_for_other_tracks(timed: Pathway) -> None:
    case = load_cases_text(
        """
cases:
  urgent:
    profile: {age_group: adult, urgent: true}
    found_by: force
    expect:
      always_reaches: closed
""",
        timed,
    ).cases["urgent"]
    exploration = explore(timed, case)
    endings = {r.ending for r in exploration.runs}
    assert endings <= {"closed", "loop"}
    supported = [
        r
        for r in exploration.runs
        if r.events[-1].to_stage == "supported" and r.events[1].trigger == "report-crime"
    ]
    assert supported
    # `finish` waits for the police track: the charge comes first
    triggers = [e.trigger for e in supported[0].events]
    assert triggers.index("charge") < triggers.index("finish")


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


# --- given routes ------------------------------------------------------------------------------


def test_a_route_that_cannot_be_followed_fails_with_the_runtime_reason(small: Pathway) -> None:
    outcome = run(
        small,
        """
cases:
  turns-18:
    profile: {age_group: child, consent: declined}
    route: [{becomes: {age_group: adult}}, refer-for-support]
    expect:
      reaches: support
""",
    )["turns-18"]
    assert outcome.failures == (
        "step 2 of the route: 'refer-for-support' from 'Concern raised' (concern-raised) is "
        "only for a victim where age group is child or consent is given; this victim's profile "
        "does not meet that",
    )


def test_starts_with_then_explores(small: Pathway) -> None:
    outcome = run(
        small,
        """
cases:
  child-referred-then-turns-18:
    profile: {age_group: child, consent: declined}
    starts_with: [refer-for-support, {becomes: {age_group: adult}}]
    expect:
      always_reaches: supported
""",
    )["child-referred-then-turns-18"]
    assert outcome.passed
    assert outcome.route is not None
    assert [e.what for e in outcome.route.events] == ["started", "handoff", "profile", "handoff"]


def test_a_route_step_names_the_agency(small: Pathway) -> None:
    outcome = run(
        small,
        """
cases:
  by-the-charity:
    profile: {age_group: adult, consent: given}
    route: [{handoff: refer-for-support, by: example-charity}]
    expect:
      reaches: support
""",
    )["by-the-charity"]
    assert not outcome.passed
    assert "Example Support Charity may not make 'refer-for-support'" in outcome.failures[0]


# --- the bundled pathways ----------------------------------------------------------------------


def test_every_bundled_area_has_case_tests() -> None:
    areas = {
        p.relative_to(ROOT / "pathways").with_suffix("").as_posix()
        for p in (ROOT / "pathways").rglob("*.yaml")
        if "." not in p.name[: -len(".yaml")]
    }
    tested = {p.relative_to(ROOT / "pathways").as_posix()[: -len(".tests.yaml")] for p in BUNDLED}
    # the national baseline names no agencies, so journeys run on the areas that extend it
    assert areas - {"national/england"} <= tested


@pytest.mark.parametrize("file", BUNDLED, ids=lambda p: p.name)
def test_bundled_case_tests_pass(file: Path) -> None:
    suite = load_cases(file, LIBRARY)
    failed = [format_outcome(o, suite.pathway) for o in run_suite(suite) if not o.passed]
    assert not failed, "\n".join(failed)
    assert len(suite.cases) >= 5


LIBRARY = Library()


def test_a_wrong_expectation_on_a_bundled_area_says_what_happened() -> None:
    hull = LIBRARY.load(ROOT / "pathways" / "humber" / "hull.yaml")
    suite: CaseSuite = load_cases_text(
        """
pathway: humber/hull
cases:
  adult-declines:
    profile: {age_group: adult, consent: declined}
    found_by: hull-city-council
    expect:
      reaches: nrm-referral
""",
        hull,
    )
    outcome = run_case(suite, "adult-declines")
    assert not outcome.passed
    assert outcome.failures == (
        "no route reaches 'NRM referral (adult)' (nrm-referral): ends at 'Supported outside "
        "the NRM' (supported-outside-nrm) and 'Adult safeguarding concluded' "
        "(adult-safeguarding-concluded) and 'Housing authority's decision made' "
        "(housing-decided) (1 route)",
    )


# --- the forum leads' guide ------------------------------------------------------------------

GUIDE = ROOT / "docs" / "testing-a-pathway.md"


def blocks(kind: str, path: Path) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", path.read_text(encoding="utf-8"), re.DOTALL)


def test_the_guide_example_runs_as_shown() -> None:
    tutorial = max(blocks("yaml", ROOT / "docs" / "writing-a-pathway.md"), key=len)
    pathway = load_text(tutorial, path="pathways/example/small.yaml")
    suite = load_cases_text(blocks("yaml", GUIDE)[0], pathway)
    shown = "\n".join(format_outcome(o, pathway) for o in run_suite(suite)) + "\n"
    assert shown == blocks("text", GUIDE)[0]


def test_the_guide_failure_is_what_the_runner_says() -> None:
    hull = LIBRARY.load(ROOT / "pathways" / "humber" / "hull.yaml")
    suite = load_cases_text(
        """
cases:
  adult-declines-referred:
    description: an adult who declines is referred into the NRM
    profile: {age_group: adult, consent: declined}
    found_by: hull-city-council
    expect:
      reaches: nrm-referral
""",
        hull,
    )
    shown = format_outcome(run_case(suite, "adult-declines-referred"), hull).splitlines()
    guide = blocks("text", GUIDE)[1].splitlines()
    assert shown[: len(guide) - 1] == guide[:-1]
    assert guide[-1].strip() == "..."
