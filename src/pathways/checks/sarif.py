"""SARIF 2.1.0 output of `pathways check`, as git hosts' code scanning expects it.

A git host annotates the changed lines of a pathway file with each finding. Every rule comes
with its full description, its help and the absolute address of its section of the published
rules page; every result with a location and a fingerprint that stays the same when lines
elsewhere in the file move; a suppressed finding carries the forum's reason as an accepted
in-source suppression. A file that did not load makes the invocation fail, with a
notification per problem. The output is checked in the tests against the official schema.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from pathways.checks.findings import CheckReport, Finding
from pathways.checks.output import REPO_URL, Unloaded, rule_url
from pathways.checks.registry import RULES, Rule, Severity
from pathways.errors import Location, Problem

__all__ = ["FINGERPRINT", "SCHEMA", "sarif"]

SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
# The name of the partial fingerprint: a new version gets a new name, so hosts do not match
# old alerts with new ones by accident.
FINGERPRINT = "pathwaysFinding/v1"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def sarif(
    reports: Sequence[CheckReport], unloaded: Sequence[Unloaded] = (), *, version: str
) -> str:
    """A SARIF 2.1.0 log with one run: the rules with their help, every finding, and an
    invocation that failed (with a notification per problem) when a file did not load.
    `version` is the tool's (`pathways.__version__`: the checks may not import the package
    root, which reaches every layer)."""
    ids = sorted(RULES)
    results = [_sarif_result(f, r, ids) for r in reports for f in r.findings]
    notifications = [_notification(p, u.path) for u in unloaded for p in u.problems]
    driver = {
        "name": "pathways check",
        "fullName": f"pathways check {version}",
        "version": version,
        "semanticVersion": version,
        "informationUri": REPO_URL,
        "rules": [_sarif_rule(RULES[rule_id]) for rule_id in ids],
    }
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "invocations": [
                    {
                        "executionSuccessful": not unloaded,
                        "toolExecutionNotifications": notifications,
                    }
                ],
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _sarif_rule(rule: Rule) -> dict[str, Any]:
    url = rule_url(rule.id)
    sentence = rule.summary[:1].upper() + rule.summary[1:] + "."
    levels = (
        f"Severity: {rule.recommended or 'off'} in the recommended preset, "
        f"{rule.strict or 'off'} in the strict one."
    )
    options = ", ".join(f"{name} (default {value!r})" for name, value in rule.options.items())
    settings = f" Options: {options}." if options else ""
    how = (
        "Change its severity or accept a finding with a reason in the checks: section of "
        "the pathway file."
    )
    return {
        "id": rule.id,
        "name": rule.id,
        "shortDescription": {"text": sentence},
        "fullDescription": {"text": f"{sentence} (family: {rule.family})"},
        "help": {
            "text": f"{sentence} {levels}{settings} {how} Explained with an example at {url}",
            "markdown": f"{sentence} {levels}{settings} {how} [Explained with an example]({url}).",
        },
        "helpUri": url,
        "defaultConfiguration": {
            "enabled": rule.recommended is not None,
            "level": _LEVEL[rule.recommended or Severity.INFO],
        },
        "properties": {"family": rule.family, "tags": [rule.family]},
    }


def _uri(path: str) -> str:
    """A path as a URI reference: relative paths stay relative, with reserved characters
    percent-encoded; absolute ones become `file:` URIs."""
    posix = PurePosixPath(path.replace("\\", "/"))
    if posix.is_absolute():
        return "file://" + quote(posix.as_posix())
    return quote(posix.as_posix())


def _physical(path: str, loc: Location | None) -> dict[str, Any]:
    place: dict[str, Any] = {"artifactLocation": {"uri": _uri(loc.path if loc else path)}}
    if loc is not None:
        place["region"] = {"startLine": max(loc.line, 1), "startColumn": max(loc.column, 1)}
    return {"physicalLocation": place}


def _fingerprint(finding: Finding, report: CheckReport) -> str:
    """The same for the same finding however the lines around it move: the rule, the file,
    what it is about, for whom and what it says, but not where."""
    parts = (finding.rule, report.path, finding.subject, finding.profiles or "", finding.message)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _sarif_result(finding: Finding, report: CheckReport, ids: list[str]) -> dict[str, Any]:
    message = finding.message
    if finding.route:
        message += f"\nRoute for {finding.route_for}:\n" + "\n".join(finding.route)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": ids.index(finding.rule),
        "level": _LEVEL[finding.severity],
        "message": {"text": message},
        "locations": [_physical(report.path, finding.location)],
        "partialFingerprints": {FINGERPRINT: _fingerprint(finding, report)},
    }
    if finding.inherited is not None:
        related = _physical(report.path, finding.inherited)
        related["id"] = 1
        related["message"] = {"text": f"inherited from {finding.inherited}"}
        result["relatedLocations"] = [related]
    if finding.suppressed is not None:
        result["suppressions"] = [
            {"kind": "inSource", "status": "accepted", "justification": finding.suppressed}
        ]
    return result


def _notification(problem: Problem, path: str) -> dict[str, Any]:
    text = f"{path} could not be checked: {problem.message}"
    if problem.hint:
        text += f" ({problem.hint})"
    return {
        "level": "error" if problem.severity == "error" else "warning",
        "message": {"text": text},
        "locations": [_physical(path, problem.location)],
        "descriptor": {"id": problem.code},
    }
