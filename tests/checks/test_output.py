"""Check reports as text, JSON, SARIF and Markdown (`pathways.checks.output`): every format carries
every finding with its place, and a finding the forum accepted keeps its reason."""

from __future__ import annotations

import json

import pytest

from checks.helpers import H, simple
from pathways.checks import CheckReport, check
from pathways.checks.output import FORMATS, json_report, markdown, rule_url, summary, text
from pathways.checks.sarif import sarif
from strategies import build

REASON = "The charity closes cases | by phone."


@pytest.fixture(scope="module")
def stuck() -> CheckReport:
    """`help` is a dead end and `done` is out of reach: two errors and one warning."""
    pathway = build(
        {
            "start": "identification",
            "help": {"kind": "support", "owner": H},
            "done": {"kind": "outcome", "owner": H},
        },
        {"refer": ("start", "help")},
    )
    return check(pathway, with_metrics=False)


@pytest.fixture(scope="module")
def accepted() -> CheckReport:
    """The same pathway with the dead end accepted by the forum."""
    pathway = build(
        {
            "start": "identification",
            "help": {"kind": "support", "owner": H},
            "done": {"kind": "outcome", "owner": H},
        },
        {"refer": ("start", "help")},
        checks={"suppress": [{"rule": "no-dead-end", "at": "help", "reason": REASON}]},
    )
    return check(pathway, with_metrics=False)


def test_the_formats_the_command_offers() -> None:
    assert FORMATS == ("text", "json", "sarif", "markdown")


def test_the_summary_counts_in_words(stuck: CheckReport) -> None:
    clean = check(simple(), with_metrics=False)
    assert summary([stuck]) == "2 errors, 1 warning, 0 suppressed in 1 pathway"
    assert summary([clean, stuck]) == "2 errors, 1 warning, 0 suppressed in 2 pathways"
    assert summary([clean]) == "0 errors, 0 warnings, 0 suppressed in 1 pathway"


def test_text_lists_each_pathway_its_findings_and_the_summary(stuck: CheckReport) -> None:
    clean = check(simple(), with_metrics=False)
    lines = text([clean, stuck]).splitlines()
    assert lines[:2] == ["== test.yaml: A test pathway", "no findings"]
    assert lines[-1] == summary([clean, stuck])
    for finding in stuck.findings:
        assert finding.format() in text([stuck])
    assert "    -> 'Help' (help) by 'refer'" in lines


def test_json_holds_every_finding_with_its_place_and_route(stuck: CheckReport) -> None:
    document = json.loads(json_report([stuck]))
    assert document["version"] == 1
    (pathway,) = document["pathways"]
    assert (pathway["id"], pathway["errors"], pathway["warnings"]) == ("test/checks", 2, 1)
    assert pathway["metrics"] is None
    dead_end = next(f for f in pathway["findings"] if f["rule"] == "no-dead-end")
    assert dead_end["severity"] == "error"
    assert dead_end["subject"] == "stage help"
    assert (dead_end["path"], dead_end["line"]) == ("test.yaml", 1)
    assert dead_end["route"] == ["starts at 'Start' (start)", "-> 'Help' (help) by 'refer'"]
    assert dead_end["suppressed"] is None


def test_sarif_names_every_rule_and_places_every_result(stuck: CheckReport) -> None:
    log = json.loads(sarif([stuck], version="1.0"))
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules == sorted(rules)
    results = run["results"]
    assert [r["ruleId"] for r in results] == [f.rule for f in stuck.findings]
    for result in results:
        assert rules[result["ruleIndex"]] == result["ruleId"]
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels == {
        "no-route-to-outcome": "error",
        "no-dead-end": "error",
        "no-unreachable-stage": "warning",
    }
    dead_end = next(r for r in results if r["ruleId"] == "no-dead-end")
    assert "Route for a victim who is" in dead_end["message"]["text"]
    region = dead_end["locations"][0]["physicalLocation"]
    assert region["artifactLocation"]["uri"] == "test.yaml"
    assert "suppressions" not in dead_end


def test_an_accepted_finding_keeps_its_reason_in_every_format(accepted: CheckReport) -> None:
    assert accepted.suppressed == 1
    results = json.loads(sarif([accepted], version="1.0"))["runs"][0]["results"]
    (result,) = (r for r in results if "suppressions" in r)
    assert result["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": REASON}
    ]
    findings = json.loads(json_report([accepted]))["pathways"][0]["findings"]
    assert [f["suppressed"] for f in findings if f["rule"] == "no-dead-end"] == [REASON]
    page = markdown([accepted])
    assert f"| suppressed | [no-dead-end]({rule_url('no-dead-end')}) |" in page
    assert "(accepted: The charity closes cases \\| by phone.)" in page


def test_markdown_has_a_table_of_findings_or_says_there_are_none(stuck: CheckReport) -> None:
    page = markdown([stuck, check(simple(), with_metrics=False)], with_metrics=False)
    assert page.startswith("# Pathway check\n\n2 errors, 1 warning, 0 suppressed in 2 pathways\n")
    assert "| where | severity | rule | finding |" in page
    assert "| test.yaml:1:" in page
    assert page.count("No findings.") == 1


def test_metrics_say_where_victims_who_never_reach_support_end_up() -> None:
    # children are referred elsewhere (no guardian service here): the metrics say so rather
    # than "never reaches support"
    pathway = build(
        {
            "start": "identification",
            "adults": "support",
            "help": "outcome",
            "elsewhere": {"kind": "outcome", "outcome": "referred-elsewhere"},
        },
        {
            "a": {"from": "start", "to": "adults", "when": "age_group == 'adult'"},
            "b": ("adults", "help"),
            "c": {"from": "start", "to": "elsewhere", "when": "age_group == 'child'"},
        },
    )
    printed = text([check(pathway)], with_metrics=True)
    assert (
        "    age group child:\n"
        "      no route reaches a support stage; their routes end at 'Elsewhere' (elsewhere)\n"
        "      most times asked for the same item: 0; longest time to first support: "
        "not reached\n"
    ) in printed
    assert "never reaches support" not in printed
