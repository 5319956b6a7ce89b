"""Reports as text (for people), JSON (for programs) and Markdown; SARIF is `checks.sarif`.

Every format takes the reports of the files that were checked and the files that did not load
(`Unloaded`, with the problems that stopped them), so a program reading the output always
learns about both. Markdown output escapes what it quotes from pathway files, so a title
cannot add HTML, links or images to the page a report is shown on. Each rule links to its
section of the published rules page (`rule_url`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from pathways.checks.findings import CheckReport, Finding
from pathways.checks.metrics import Metrics, ProfileMetrics
from pathways.errors import Location, Problem

__all__ = [
    "FORMATS",
    "REPO_URL",
    "RULES_URL",
    "Unloaded",
    "escape_markdown",
    "json_report",
    "markdown",
    "rule_url",
    "text",
]

FORMATS = ("text", "json", "sarif", "markdown")  # sarif: pathways.checks.sarif
# The project's home (mkdocs.yml `repo_url`, checked by a test); the rules page is published
# there, each rule under a heading that is its id.
REPO_URL = "https://github.com/pathways-uk/pathways"
RULES_URL = f"{REPO_URL}/blob/main/docs/rules.md"


@dataclass(frozen=True, slots=True)
class Unloaded:
    """A file that could not be checked, with every problem that stopped it loading."""

    path: str
    problems: tuple[Problem, ...]


def rule_url(rule_id: str) -> str:
    """The absolute address of a rule's section of the published rules page."""
    return f"{RULES_URL}#{rule_id}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def summary(reports: Sequence[CheckReport], unloaded: Sequence[Unloaded] = ()) -> str:
    """One line: errors, warnings, suppressed findings, pathways checked and files not loaded."""
    errors = sum(r.errors for r in reports)
    warnings = sum(r.warnings for r in reports)
    suppressed = sum(r.suppressed for r in reports)
    line = (
        f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}, "
        f"{suppressed} suppressed in {_plural(len(reports), 'pathway')}"
    )
    if unloaded:
        line += f"; {_plural(len(unloaded), 'file')} could not be checked"
    return line


def text(
    reports: Sequence[CheckReport],
    with_metrics: bool = False,
    unloaded: Sequence[Unloaded] = (),
    quiet: bool = False,
) -> str:
    """Each finding as `path:line:col: severity[rule]: message` with its route beneath; each
    file that did not load with its problems. `quiet`: the findings and problems only."""
    lines = list(_text_lines(reports, with_metrics, unloaded, quiet))
    return "".join(f"{line}\n" for line in lines)


def _text_lines(
    reports: Sequence[CheckReport], with_metrics: bool, unloaded: Sequence[Unloaded], quiet: bool
) -> Iterator[str]:
    for report in reports:
        if quiet:
            yield from (_one_line(finding).format() for finding in report.findings)
            continue
        yield f"== {_line(report.path)}: {_line(report.title)}"
        for finding in report.findings:
            yield _one_line(finding).format()
        if not report.findings:
            yield "no findings"
        if with_metrics and report.metrics is not None:
            yield from _metric_lines(report.metrics)
        yield ""
    for failed in unloaded:
        if not quiet:
            yield f"== {_line(failed.path)}: could not be checked"
        yield from (_one_problem(problem).format() for problem in failed.problems)
        if not quiet:
            yield ""
    if not quiet:
        yield summary(reports, unloaded)


# A line break inside a value, shown as its escape in text output, so that a title cannot add
# lines that look like findings (or like none).
_BREAKS = str.maketrans({"\n": "\\n", "\r": "\\r", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def _line(words: str) -> str:
    return words.translate(_BREAKS)


def _one_line(finding: Finding) -> Finding:
    return replace(
        finding,
        message=_line(finding.message),
        subject=_line(finding.subject),
        route=tuple(_line(step) for step in finding.route),
        hint=_line(finding.hint) if finding.hint else finding.hint,
        suppressed=_line(finding.suppressed) if finding.suppressed else finding.suppressed,
    )


def _one_problem(problem: Problem) -> Problem:
    return replace(
        problem,
        message=_line(problem.message),
        expected=_line(problem.expected) if problem.expected else problem.expected,
        hint=_line(problem.hint) if problem.hint else problem.hint,
    )


def _count(value: int | None, cap: int) -> str:
    if value is None:
        return "none (no route reaches a support stage)"
    return f"{value} or more" if value >= cap else str(value)


def _instead(row: ProfileMetrics) -> str:
    if row.ends_instead:
        return "no route reaches a support stage; their routes end at " + ", ".join(
            row.ends_instead
        )
    return "no route reaches a support stage or an outcome (see the findings above)"


def _days(row: ProfileMetrics) -> str:
    if row.fewest_handoffs is None:
        return "not reached"
    return "no limit" if row.longest_days is None else f"{row.longest_days} days"


def _metric_lines(figures: Metrics) -> Iterator[str]:
    yield "  metrics per victim profile:"
    for row in figures.per_profile:
        yield f"    {row.profiles}:"
        if row.fewest_handoffs is None:
            yield f"      {_instead(row)}"
        else:
            yield (
                f"      agency changes before first support: fewest "
                f"{_count(row.fewest_handoffs, row.cap)}, most "
                f"{_count(row.most_handoffs, row.cap)}"
            )
        yield (
            f"      most times asked for the same item: {row.most_asked}; longest time to "
            f"first support: {_days(row)}"
        )
    points = ", ".join(figures.single_points) or "none"
    yield f"  agencies every route passes through: {points}"


def _location_json(loc: Location | None) -> dict[str, Any]:
    return {
        "path": loc.path if loc else None,
        "line": loc.line if loc else None,
        "column": loc.column if loc else None,
    }


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": str(finding.severity),
        "message": finding.message,
        **_location_json(finding.location),
        "subject": finding.subject,
        "profiles": finding.profiles,
        "route_for": finding.route_for,
        "route": list(finding.route),
        "hint": finding.hint,
        "suppressed": finding.suppressed,
        "inherited_from": _location_json(finding.inherited) if finding.inherited else None,
    }


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {
        "code": problem.code,
        "severity": problem.severity,
        "message": problem.message,
        **_location_json(problem.location),
        "expected": problem.expected,
        "hint": problem.hint,
        "inherited_from": _location_json(problem.inherited) if problem.inherited else None,
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
                "ends_instead": list(row.ends_instead),
            }
            for row in figures.per_profile
        ],
        "single_points": list(figures.single_points),
    }


def json_report(reports: Sequence[CheckReport], unloaded: Sequence[Unloaded] = ()) -> str:
    """Every report as one JSON document; `not_loaded`, there when a file could not be
    checked, lists each such file with its problems."""
    document: dict[str, Any] = {
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
    if unloaded:
        document["not_loaded"] = [
            {"path": u.path, "problems": [_problem_json(p) for p in u.problems]} for u in unloaded
        ]
    return json.dumps(document, indent=2, sort_keys=False) + "\n"


def markdown(
    reports: Sequence[CheckReport], with_metrics: bool = True, unloaded: Sequence[Unloaded] = ()
) -> str:
    """A Markdown report: a table of findings and the metrics for each pathway, and the
    problems of each file that did not load. Whatever comes from a pathway file is escaped."""
    lines = ["# Pathway check", "", summary(reports, unloaded), ""]
    for report in reports:
        lines += [
            f"## {_md(report.title)}",
            "",
            f"{_md(report.path)} (preset: {_md(report.preset)})",
            "",
        ]
        lines += _finding_rows(report) if report.findings else ["No findings."]
        if with_metrics and report.metrics is not None:
            lines += _metric_rows(report.metrics)
        lines.append("")
    for failed in unloaded:
        lines += [f"## {_md(failed.path)}: could not be checked", ""]
        lines += [f"- {_md(problem.format())}" for problem in failed.problems]
        lines.append("")
    return "\n".join(lines)


def _finding_rows(report: CheckReport) -> list[str]:
    rows = ["| where | severity | rule | finding |", "| --- | --- | --- | --- |"]
    for f in report.findings:
        level = "suppressed" if f.suppressed is not None else str(f.severity)
        what = _md(f.message)
        if f.suppressed is not None:
            what += f" (accepted: {_md(f.suppressed)})"
        where = _md(str(f.location) if f.location else f.subject)
        rows.append(f"| {where} | {level} | [{f.rule}]({rule_url(f.rule)}) | {what} |")
    return rows


def _metric_rows(figures: Metrics) -> list[str]:
    rows = ["", "| victims | agency changes before support | most asked | time |"]
    rows.append("| --- | --- | --- | --- |")
    for row in figures.per_profile:
        changes = _count(row.fewest_handoffs, row.cap)
        if row.fewest_handoffs is None:
            changes = _md(_instead(row))
        elif row.most_handoffs != row.fewest_handoffs:
            changes += f" to {_count(row.most_handoffs, row.cap)}"
        rows.append(f"| {_md(row.profiles)} | {changes} | {row.most_asked} | {_days(row)} |")
    points = ", ".join(_md(point) for point in figures.single_points) or "none"
    return [*rows, "", f"Agencies every route passes through: {points}."]


# Characters that start Markdown syntax anywhere in a line (of Python-Markdown's backslash
# escapes, and `|` for tables; quoted text never starts a line, so `-`, `+` and `.` are safe);
# control characters (C0, C1, DEL) and the bidirectional controls that can hide text.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#!|>])")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def escape_markdown(words: str) -> str:
    """Text from a pathway file made safe for one line of Markdown: a line break becomes a
    space, a control character its visible escape, `&` and `<` entities (so no HTML gets
    through), and every character that could start Markdown syntax is backslash-escaped."""
    flat = re.sub(r"\r\n|[\r\n\u2028\u2029\x85]", " ", words)
    visible = _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", flat)
    escaped = _MD_SPECIAL.sub(r"\\\1", visible)
    return escaped.replace("&", "&amp;").replace("<", "&lt;")


_md = escape_markdown
