"""Reports as text (for people), JSON (for programs), SARIF (for git hosts) and Markdown.

SARIF 2.1.0 lets a git host annotate the changed lines of a pathway file with each finding;
suppressed findings carry the forum's reason as an in-source suppression.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from pathways.checks.findings import CheckReport, Finding
from pathways.checks.metrics import Metrics, ProfileMetrics
from pathways.checks.registry import RULES, Severity

__all__ = ["FORMATS", "json_report", "markdown", "sarif", "text"]

FORMATS = ("text", "json", "sarif", "markdown")
_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(reports: Sequence[CheckReport]) -> str:
    """One line: errors, warnings, suppressed findings and pathways checked."""
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    suppressed = sum(r.suppressed for r in reports)
    return (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}, "
        f"{suppressed} suppressed in {_plural(len(reports), 'pathway')}"
    )


def text(reports: Sequence[CheckReport], with_metrics: bool = False) -> str:
    """Each finding as `path:line:col: severity[rule]: message` with its route beneath."""
    return "\n".join(_text_lines(reports, with_metrics)) + "\n"


def _text_lines(reports: Sequence[CheckReport], with_metrics: bool) -> Iterator[str]:
    for report in reports:
        yield f"== {report.path}: {report.title}"
        for finding in report.findings:
            yield finding.format()
        if not report.findings:
            yield "no findings"
        if with_metrics and report.metrics is not None:
            yield from _metric_lines(report.metrics)
        yield ""
    yield summary(reports)


def _count(value: int | None, cap: int) -> str:
    if value is None:
        return "never reaches support"
    return f"{value} or more" if value >= cap else str(value)


def _days(row: ProfileMetrics) -> str:
    return "no limit" if row.longest_days is None else f"{row.longest_days} days"


def _metric_lines(figures: Metrics) -> Iterator[str]:
    yield "  metrics per victim profile:"
    for row in figures.per_profile:
        yield f"    {row.profiles}:"
        yield (
            f"      agency changes before first support: fewest "
            f"{_count(row.fewest_handoffs, row.cap)}, most {_count(row.most_handoffs, row.cap)}"
        )
        yield (
            f"      most times asked for the same item: {row.most_asked}; longest time to "
            f"first support: {_days(row)}"
        )
    points = ", ".join(figures.single_points) or "none"
    yield f"  agencies every route passes through: {points}"


def _finding_json(finding: Finding) -> dict[str, Any]:
    loc = finding.location
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        "path": loc.path if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
        "subject": finding.subject,
        "profiles": finding.profiles,
        "route_for": finding.route_for,
        "route": list(finding.route),
        "hint": finding.hint,
        "suppressed": finding.suppressed,
    }


def _metrics_json(figures: Metrics | None) -> dict[str, Any] | None:
    if figures is None:
        return None
    return {
        "per_profile": [
            {
                "profiles": row.profiles,
                "fewest_handoffs": row.fewest_handoffs,
                "most_handoffs": row.most_handoffs,
                "most_asked": row.most_asked,
                "longest_days": row.longest_days,
                "cap": row.cap,
            }
            for row in figures.per_profile
        ],
        "single_points": list(figures.single_points),
    }


def json_report(reports: Sequence[CheckReport]) -> str:
    """Every report as one JSON document."""
    document = {
        "version": 1,
        "pathways": [
            {
                "id": r.pathway,
                "title": r.title,
                "path": r.path,
                "preset": r.preset,
                "errors": r.errors,
                "warnings": r.warnings,
                "suppressed": r.suppressed,
                "findings": [_finding_json(f) for f in r.findings],
                "metrics": _metrics_json(r.metrics),
            }
            for r in reports
        ],
    }
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def sarif(reports: Sequence[CheckReport]) -> str:
    """A SARIF 2.1.0 log with one run: the rules and every finding."""
    ids = sorted(RULES)
    rules = [
        {
            "id": rule_id,
            "name": rule_id,
            "shortDescription": {"text": RULES[rule_id].summary},
            "helpUri": RULES[rule_id].doc,
            "properties": {"family": RULES[rule_id].family},
        }
        for rule_id in ids
    ]
    results = [_sarif_result(f, ids) for r in reports for f in r.findings]
    log = {
        "$schema": _SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "pathways check", "rules": rules}},
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2) + "\n"


def _sarif_result(finding: Finding, ids: list[str]) -> dict[str, Any]:
    message = finding.message
    if finding.route:
        message += f"\nRoute for {finding.route_for}:\n" + "\n".join(finding.route)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": ids.index(finding.rule),
        "level": _SARIF_LEVEL[finding.severity],
        "message": {"text": message},
    }
    loc = finding.location
    if loc is not None:
        result["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": loc.path},
                    "region": {"startLine": loc.line, "startColumn": loc.column},
                }
            }
        ]
    if finding.suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "justification": finding.suppressed}]
    return result


def markdown(reports: Sequence[CheckReport], with_metrics: bool = True) -> str:
    """A Markdown report: a table of findings and the metrics for each pathway."""
    lines = ["# Pathway check", "", summary(reports), ""]
    for report in reports:
        lines += [f"## {report.title}", "", f"`{report.path}` (preset: {report.preset})", ""]
        if report.findings:
            lines += ["| where | severity | rule | finding |", "| --- | --- | --- | --- |"]
            for f in report.findings:
                level = "suppressed" if f.suppressed is not None else str(f.severity)
                what = _cell(f.message)
                if f.suppressed is not None:
                    what += f" (accepted: {_cell(f.suppressed)})"
                where = f"{f.location}" if f.location else f.subject
                lines.append(f"| `{where}` | {level} | [{f.rule}]({RULES[f.rule].doc}) | {what} |")
        else:
            lines.append("No findings.")
        if with_metrics and report.metrics is not None:
            lines += ["", "| victims | agency changes before support | most asked | time |"]
            lines.append("| --- | --- | --- | --- |")
            for row in report.metrics.per_profile:
                changes = _count(row.fewest_handoffs, row.cap)
                if row.most_handoffs != row.fewest_handoffs:
                    changes += f" to {_count(row.most_handoffs, row.cap)}"
                lines.append(f"| {row.profiles} | {changes} | {row.most_asked} | {_days(row)} |")
            points = ", ".join(report.metrics.single_points) or "none"
            lines += ["", f"Agencies every route passes through: {points}."]
        lines.append("")
    return "\n".join(lines)


def _cell(words: str) -> str:
    return words.replace("|", "\\|").replace("\n", " ")
