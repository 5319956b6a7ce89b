"""The pytest plugin: case-test files collected and run as test items in any suite."""

from __future__ import annotations

from importlib.metadata import entry_points

import pytest

from paths import SMALL

pytest_plugins = ["pytester"]


CASES = """cases:
  adult-consents:
    description: an adult who consents
    profile: {age_group: adult, consent: given}
    expect: {reaches: supported}
  adult-declines:
    description: an adult who declines
    profile: {age_group: adult, consent: declined}
    expect: {reaches: supported}
"""


@pytest.fixture
def area(pytester: pytest.Pytester) -> pytest.Pytester:
    text = SMALL.read_text(encoding="utf-8").replace("id: example/small", "id: small")
    pytester.makefile(".yaml", small=text)
    return pytester


def test_the_plugin_is_registered_by_entry_point() -> None:
    found = {e.name: e.value for e in entry_points(group="pytest11")}
    assert found.get("pathways") == "pathways.pytest_plugin"


def test_each_case_is_a_test_item(area: pytest.Pytester) -> None:
    area.makefile(".tests.yaml", small=CASES)
    result = area.runpytest("-v", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "small.tests.yaml::adult-consents PASSED*",
            "small.tests.yaml::adult-declines FAILED*",
            "FAIL adult-declines: an adult who declines",
            "  expected: some route reaches 'Supported' (supported)",
            "  instead: no route reaches 'Supported' (supported): ends at 'Closed without "
            "support' (closed) (1 route)",
            "  route (age_group=adult, consent=declined):",
            "    1. Mon 6 Jan 2025: Exampleshire Police opens the journey at 'Concern raised' "
            "(concern-raised)",
        ]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_select_a_case_with_k(area: pytest.Pytester) -> None:
    area.makefile(".tests.yaml", small=CASES)
    result = area.runpytest("-k", "consents", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, deselected=1)


def test_a_file_with_problems_is_a_collection_error(area: pytest.Pytester) -> None:
    area.makefile(".tests.yaml", small="cases:\n  x:\n    expect: {reaches: nowhere}\n")
    result = area.runpytest("-p", "no:cacheprovider")
    assert (
        "small.tests.yaml:3:23: error[unknown-stage]: cases.x.expect.reaches names "
        "'nowhere', which is not a stage of small\n"
    ) in result.stdout.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED


def test_the_plugin_can_be_turned_off(area: pytest.Pytester) -> None:
    area.makefile(".tests.yaml", small=CASES)
    result = area.runpytest("-p", "no:pathways", "-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED
