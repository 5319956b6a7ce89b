"""What `check` returns: a `CheckReport` of one pathway, made of `Finding`s.

A finding is a rule's `Hit` made ready for people: with a severity, a file position, the
affected profiles in plain words and the route written out, one line a step.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pathways.checks.metrics import Metrics

if TYPE_CHECKING:
    from pathways.frames import DataFrame
from pathways.checks.registry import Severity
from pathways.errors import Location

__all__ = ["CheckReport", "Finding"]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found: the rule, how much it matters, where, for whom, and a route.

    `profiles` describes the affected victims in plain words; `route` lists the steps of one
    shortest route from the entry that shows the problem, for the victim in `route_for`.
    `suppressed` holds the forum's reason when the finding has been accepted.
    """

    rule: str
    severity: Severity
    message: str
    location: Location | None
    subject: str
    profiles: str | None = None
    route: tuple[str, ...] = ()
    route_for: str | None = None
    hint: str | None = None
    suppressed: str | None = None
    #: where the baseline wrote what the finding is about, when `location` is the area file
    #: that extends it (the place to fix it)
    inherited: Location | None = None

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        where = (loc.path, loc.line, loc.column) if loc is not None else ("", 0, 0)
        return (*where, self.rule, self.message)

    def format(self) -> str:
        """`path:line:col: severity[rule]: message`, then the route, the hint or the reason."""
        where = f"{self.location}: " if self.location is not None else ""
        level = "suppressed" if self.suppressed is not None else str(self.severity)
        lines = [f"{where}{level}[{self.rule}]: {self.message}"]
        if self.inherited is not None:
            lines.append(f"  inherited from {self.inherited}")
        if self.route:
            lines.append(f"  route for {self.route_for}:")
            lines.extend(f"    {step}" for step in self.route)
        if self.suppressed is not None:
            lines.append(f"  accepted by the forum: {self.suppressed}")
        elif self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


@dataclass(frozen=True, slots=True)
class CheckReport:
    """Everything `check` found in one pathway, with its metrics."""

    pathway: str
    title: str
    path: str
    preset: str
    findings: tuple[Finding, ...]
    metrics: Metrics | None = None

    def count(self, severity: Severity) -> int:
        """How many findings of `severity` are not suppressed."""
        return sum(1 for f in self.findings if f.severity is severity and f.suppressed is None)

    @property
    def errors(self) -> int:
        return self.count(Severity.ERROR)

    @property
    def warnings(self) -> int:
        return self.count(Severity.WARNING)

    @property
    def suppressed(self) -> int:
        return sum(1 for f in self.findings if f.suppressed is not None)

    def to_frame(self) -> DataFrame:
        """The findings as a pandas DataFrame, one row each (needs the `analysis` extra)."""
        from pathways.frames import frame

        rows = (
            {
                "pathway": self.pathway,
                "rule": f.rule,
                "severity": str(f.severity),
                "suppressed": f.suppressed,
                "subject": f.subject,
                "message": f.message,
                "profiles": f.profiles,
                "path": f.location.path if f.location else None,
                "line": f.location.line if f.location else None,
                "column": f.location.column if f.location else None,
            }
            for f in self.findings
        )
        columns = ("pathway", "rule", "severity", "suppressed", "subject", "message")
        return frame(rows, (*columns, "profiles", "path", "line", "column"))
