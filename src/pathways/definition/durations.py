"""Time limits: `Duration` and the way a forum lead writes one ("5 working days", "2 weeks").

A time limit is a number of working days (England and Wales) or calendar days; weeks are
calendar days. `DurationField` is the syntax as a typed field, shared by pathway, scenario and
case-test files, so the runtime's calendar and the scenario format need only this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import PlainSerializer, PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = ["WORKING_WEEKS", "Duration", "DurationField"]

_DURATION = re.compile(r"^\s*(\d{1,5})\s+(working\s+|calendar\s+)?(day|days|week|weeks)\s*$")
#: What `_DURATION` lets through but a time limit may not be: weeks of working days.
WORKING_WEEKS = r"working\s+weeks?\s*$"


@dataclass(frozen=True, slots=True)
class Duration:
    """A time limit: a number of working days (England and Wales) or calendar days."""

    days: int
    working: bool

    def __str__(self) -> str:
        unit = "working" if self.working else "calendar"
        plural = "" if self.days == 1 else "s"
        return f"{self.days} {unit} day{plural}"


def _parse_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if not isinstance(value, str):
        raise PydanticCustomError(
            "bad-duration",
            "a time limit must be written as text such as '5 working days'",
        )
    match = _DURATION.fullmatch(value)
    if match is None:
        raise PydanticCustomError(
            "bad-duration",
            "'{value}' is not a time limit I understand",
            {"value": value},
        )
    amount, kind, unit = int(match[1]), (match[2] or "").strip(), match[3]
    if unit.startswith("week"):
        if kind == "working":
            raise PydanticCustomError(
                "bad-duration",
                "'{value}' mixes weeks and working days",
                {"value": value},
            )
        return Duration(amount * 7, working=False)
    return Duration(amount, working=kind == "working")


DurationField = Annotated[
    Duration,
    PlainValidator(_parse_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": _DURATION.pattern,
            "not": {"pattern": WORKING_WEEKS},
            "examples": ["5 working days", "30 calendar days", "2 weeks"],
        }
    ),
]
