"""Lengths of time and dates as a scenario file writes them: `3 years`, `26 weeks`, `2023-01-30`,
and a warm-up given either way."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

__all__ = ["DateField", "Span", "WarmUp"]

_SPAN = re.compile(r"\s*(\d+(?:\.\d+)?)\s+(day|days|week|weeks|year|years)\s*")
_UNIT_DAYS = {"day": 1.0, "week": 7.0, "year": 365.25}


def _parse_span(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise PydanticCustomError("bad-span", "write a length of time such as '3 years'")
    if isinstance(value, int | float):
        days = float(value)
    else:
        match = _SPAN.fullmatch(value)
        if match is None:
            raise PydanticCustomError(
                "bad-span", "'{value}' is not a length of time I understand", {"value": value}
            )
        days = float(match[1]) * _UNIT_DAYS[match[2].rstrip("s")]
    if days < 0:
        raise PydanticCustomError("bad-span", "a length of time cannot be negative")
    return days


def _parse_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise PydanticCustomError("bad-date", "write a date as YYYY-MM-DD, for example 2023-01-30")


def _parse_warm_up(value: object) -> float | date:
    """A warm-up: a length of time, or the date it ends on (`2021-01-01`)."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value.strip()[:1].isdigit() and "-" in value:
        return _parse_date(value)
    return _parse_span(value)


Span = Annotated[
    float,
    PlainValidator(_parse_span),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "description": "days"},
                {"type": "string", "pattern": _SPAN.pattern},
            ],
            "examples": ["3 years", "26 weeks"],
        }
    ),
]
DateField = Annotated[
    date,
    PlainValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2023-01-30"]}),
]


WarmUp = Annotated[
    float | date,
    PlainValidator(_parse_warm_up),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0, "description": "days"},
                {"type": "string", "pattern": _SPAN.pattern},
                {"type": "string", "format": "date", "description": "the date it ends on"},
            ],
            "examples": ["1 year", "2021-01-01"],
        }
    ),
]
