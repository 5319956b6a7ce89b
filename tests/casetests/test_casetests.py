"""Case tests (`pathways.casetests`): the runner, its verdicts and its reports.

What a case expects (reaching, time limits, rules on every route) is judged in `test_expect.py`.

Cases run against small pathways written here, the tutorial's example pathway (a copy lives in
tests/golden/casetests/example/small.yaml) and the bundled pathways with their `*.tests.yaml`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import pathways.casetests as casetests
from casetests.helpers import run
from paths import ROOT
from pathways.casetests import (
    CaseSuite,
    explore,
    format_outcome,
    load_cases,
    load_cases_text,
    run_case,
    run_suite,
)
from pathways.definition.loader import Library, load_text
from pathways.definition.schema import Pathway

BUNDLED = sorted((ROOT / "pathways").rglob("*.tests.yaml"))


def test_public_names_are_sorted_and_complete() -> None:
    # sorted as ruff's RUF022 sorts: constants, then classes, then functions
    def kind(name: str) -> tuple[int, str]:
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert list(casetests.__all__) == sorted(casetests.__all__, key=kind)
    for name in casetests.__all__:
        assert hasattr(casetests, name), name


# --- time and loops, as the routes explore them ------------------------------------------------


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
    [block] = [b for b in blocks("text", GUIDE) if b.startswith("FAIL adult-declines-referred")]
    guide = block.splitlines()
    assert shown[: len(guide) - 1] == guide[:-1]
    assert guide[-1].strip() == "..."
