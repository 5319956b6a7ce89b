"""The report formats: SARIF against the official 2.1.0 schema and what code scanning expects,
JSON with the files that did not load, and the rule links."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest

import pathways
from paths import ROOT
from pathways.checks import RULES, CheckReport, check
from pathways.checks.output import REPO_URL, RULES_URL, Unloaded, json_report, rule_url
from pathways.checks.sarif import FINGERPRINT, sarif
from pathways.cli import main
from pathways.definition.loader import Library
from pathways.errors import DefinitionError

VERSION = pathways.__version__

SCHEMA = ROOT / "tests" / "sarif" / "sarif-schema-2.1.0.json"

PATHWAY = """\
id: demo
title: Demo
area: Testshire
version: "1"
entry: start
agencies:
  council: {name: Testshire Council}
stages:
  start: {title: Start, owner: council, kind: identification}
  stuck: {title: Stuck, owner: council, kind: referral}
  orphan: {title: Orphan, owner: council, kind: support}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  go: {from: start, to: stuck, by: [council]}
  close: {from: start, to: done, by: [council]}
  leave: {from: orphan, to: done, by: [council]}
checks:
  suppress:
    - rule: no-unreachable-stage
      at: orphan
      reason: Kept for the pilot <b>until March</b>.
"""

BROKEN = "id: broken\ntitle: [unclosed\n"

_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*")
_URI_REFERENCE = re.compile(r"[^\s<>\"{}|\\^`]*")


def _is_uri(value: object) -> bool:
    return isinstance(value, str) and bool(_URI.fullmatch(value))


def _is_uri_reference(value: object) -> bool:
    return isinstance(value, str) and bool(_URI_REFERENCE.fullmatch(value))


@cache
def validator() -> jsonschema.Draft4Validator:
    """The official schema, with the `uri` and `uri-reference` formats checked (RFC 3986
    syntax: a scheme for a URI, and no character that a URI may not hold)."""
    checker = jsonschema.FormatChecker()
    checker.checks("uri")(_is_uri)
    checker.checks("uri-reference")(_is_uri_reference)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema, format_checker=checker)


def assert_valid_sarif(log: dict[str, Any]) -> None:
    errors = sorted(validator().iter_errors(log), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])


def _reports(tmp_path: Path, text: str = PATHWAY, folder: str = ".") -> list[CheckReport]:
    path = tmp_path / folder / "demo.yaml"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [check(Library().load(path))]


def _unloaded(tmp_path: Path) -> list[Unloaded]:
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        Library().load(path)
    return [Unloaded(path.as_posix(), caught.value.problems)]


def test_the_schema_is_the_official_one() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    jsonschema.Draft4Validator.check_schema(schema)


def test_the_schema_check_catches_what_code_scanning_refused() -> None:
    """A helpUri that is not a URI (what the old output had) fails validation."""
    log = json.loads(sarif([], version=VERSION))
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = "docs/rules.md#x"
    assert list(validator().iter_errors(log))


def test_sarif_is_valid_with_findings_suppressions_and_a_file_that_did_not_load(
    tmp_path: Path,
) -> None:
    log = json.loads(sarif(_reports(tmp_path), _unloaded(tmp_path), version=VERSION))
    assert_valid_sarif(log)
    (run,) = log["runs"]
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert notes
    assert all(
        "broken.yaml" in n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for n in notes
    )
    assert all(n["level"] == "error" and n["descriptor"]["id"] for n in notes)


def test_a_run_where_everything_loaded_succeeds(tmp_path: Path) -> None:
    log = json.loads(sarif(_reports(tmp_path), version=VERSION))
    assert_valid_sarif(log)
    (invocation,) = log["runs"][0]["invocations"]
    assert invocation == {"executionSuccessful": True, "toolExecutionNotifications": []}


def test_every_rule_has_help_a_full_description_and_an_absolute_help_uri() -> None:
    rules = json.loads(sarif([], version=VERSION))["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(RULES)
    for rule in rules:
        assert rule["fullDescription"]["text"]
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]
        address = urlsplit(rule["helpUri"])
        assert (address.scheme, address.netloc) == ("https", "github.com")
        assert address.fragment == rule["id"]
        assert rule["helpUri"] in rule["help"]["text"]


def test_the_help_links_point_at_headings_of_the_rules_page() -> None:
    headings = re.findall(r"^## ([a-z0-9-]+)$", (ROOT / "docs" / "rules.md").read_text(), re.M)
    assert set(RULES) <= set(headings)
    assert rule_url("no-dead-end") == f"{RULES_URL}#no-dead-end"


def test_the_links_use_the_repo_url_of_the_docs_site() -> None:
    mkdocs = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"repo_url: {REPO_URL}\n" in mkdocs
    assert RULES_URL.startswith(REPO_URL + "/")


def test_the_tool_says_its_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "demo.yaml").write_text(PATHWAY, encoding="utf-8")
    main(["check", "demo.yaml", "--format", "sarif"])
    driver = json.loads(capsys.readouterr().out)["runs"][0]["tool"]["driver"]
    assert driver["version"] == driver["semanticVersion"] == pathways.__version__
    assert driver["informationUri"] == REPO_URL


def test_suppressed_findings_are_accepted_suppressions_with_their_reason(tmp_path: Path) -> None:
    results = json.loads(sarif(_reports(tmp_path), version=VERSION))["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["no-unreachable-stage"]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "inSource",
            "status": "accepted",
            "justification": "Kept for the pilot <b>until March</b>.",
        }
    ]


def test_fingerprints_stay_when_lines_move_and_differ_between_findings(tmp_path: Path) -> None:
    def prints(text: str) -> dict[str, str]:
        results = json.loads(sarif(_reports(tmp_path, text), version=VERSION))["runs"][0]["results"]
        found = {r["ruleId"] + r["message"]["text"]: r["partialFingerprints"] for r in results}
        return {key: value[FINGERPRINT] for key, value in found.items()}

    before = prints(PATHWAY)
    after = prints("# a comment that moves every line down\n\n" + PATHWAY)
    assert before == after
    assert len(set(before.values())) == len(before) > 1


def test_every_result_has_a_location(tmp_path: Path) -> None:
    results = json.loads(sarif(_reports(tmp_path), version=VERSION))["runs"][0]["results"]
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results)


def test_paths_become_uri_references(tmp_path: Path) -> None:
    reports = _reports(tmp_path, folder="my area")
    log = json.loads(sarif(reports, version=VERSION))
    assert_valid_sarif(log)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].startswith("file:///")
    assert uri["uri"].endswith("my%20area/demo.yaml")


def test_json_lists_the_files_that_did_not_load(tmp_path: Path) -> None:
    unloaded = _unloaded(tmp_path)
    document = json.loads(json_report(_reports(tmp_path), unloaded))
    (entry,) = document["not_loaded"]
    assert entry["path"].endswith("broken.yaml")
    assert entry["problems"][0]["code"] == unloaded[0].problems[0].code
    assert {"message", "line", "column", "hint"} <= set(entry["problems"][0])
    assert "not_loaded" not in json.loads(json_report(_reports(tmp_path)))


def test_the_bundled_pathways_and_a_broken_file_give_valid_sarif_on_stdout(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 13: `pathways check pathways/ broken.yaml --format sarif` parses and validates,
    with the broken file in a notification."""
    broken = tmp_path / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    assert main(["check", str(ROOT / "pathways"), str(broken), "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert_valid_sarif(log)
    (invocation,) = log["runs"][0]["invocations"]
    where = invocation["toolExecutionNotifications"][0]["locations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("/broken.yaml")
