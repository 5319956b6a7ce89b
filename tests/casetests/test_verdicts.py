"""How case results read (`pathways.casetests.verdicts`): a passing case in one line with its
route, the same case in full when asked, a route cut at the stage it was to reach, and the
summary line."""

from __future__ import annotations

from casetests.helpers import run
from pathways.casetests import format_outcome, format_summary
from pathways.casetests.verdicts import describe_route, route_line
from pathways.definition.schema import Pathway

CASES = """
cases:
  adult-consents:
    description: an adult found by the police who consents
    profile: {age_group: adult, consent: given}
    found_by: example-police
    expect:
      reaches: support
  adult-declines:
    profile: {age_group: adult, consent: declined}
    found_by: example-police
    expect:
      reaches: supported
"""


def test_a_pass_is_one_line_and_its_route_stops_where_the_case_looked(small: Pathway) -> None:
    outcome = run(small, CASES)["adult-consents"]
    assert outcome.passed
    assert outcome.route is not None
    assert format_outcome(outcome, small) == (
        "PASS adult-consents: an adult found by the police who consents\n"
        "  route: concern-raised -> support (day 2) -> ..."
    )
    assert route_line(outcome.route, small) == "concern-raised -> support (day 2) -> supported"


def test_verbose_tells_a_pass_step_by_step(small: Pathway) -> None:
    outcome = run(small, CASES)["adult-consents"]
    assert outcome.route is not None
    lines = format_outcome(outcome, small, verbose=True).splitlines()
    assert lines[0] == "PASS adult-consents: an adult found by the police who consents"
    assert lines[1].startswith("  expected: ")
    assert lines[2] == "  route (age_group=adult, consent=given):"
    assert lines[2:] == [f"  {line}" for line in describe_route(outcome.route, small)]
    assert lines[-1] == "    then: the journey closes at 'Supported' (supported)"


def test_a_failure_has_no_description_and_ends_the_story(small: Pathway) -> None:
    outcome = run(small, CASES)["adult-declines"]
    assert not outcome.passed
    text = format_outcome(outcome, small)
    assert text.startswith("FAIL adult-declines\n  expected: ")
    assert "\n  instead: " in text


def test_the_summary_counts_cases_and_files(small: Pathway) -> None:
    outcomes = list(run(small, CASES).values())
    assert format_summary(outcomes, 1) == "1 passed, 1 failed, in 1 file"
    assert format_summary(outcomes[:1], 3) == "1 passed, 0 failed, in 3 files"
    assert format_summary([], 0) == "0 passed, 0 failed, in 0 files"
