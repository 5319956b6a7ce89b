"""Stage durations: what a scenario file may say about how long a stage takes, and sampling it.

A duration is written either as a fixed time in the words a pathway uses (`3 working days`,
`30 days`, `2 weeks`) or as a mapping naming a distribution:

```yaml
cg-decision: {distribution: lognormal, mean: 607, sd: 420, shift: 30}
rg-decision: {distribution: gamma, mean: 5, sd: 4, unit: working}
triage: {distribution: exponential, mean: 1.5}
visit: {distribution: empirical, values: [1, 2, 2, 3, 8]}
```

`mean` and `sd` describe the distribution before `shift` (a fixed time added to every draw,
for example the 30-day floor before a conclusive grounds decision). Lognormal and gamma are
given by their mean and standard deviation because that is how published figures are quoted.
`unit` is `calendar` (the default) or `working`: working-day draws are laid onto the calendar
by `Clock.add_working`.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from pydantic_core import PydanticCustomError

from pathways.definition.durations import WORKING_WEEKS

__all__ = ["DISTRIBUTIONS", "DurationSpec", "duration_spec_json_schema", "parse_duration_spec"]

DISTRIBUTIONS: Mapping[str, tuple[str, ...]] = {
    "fixed": ("days",),
    "exponential": ("mean",),
    "lognormal": ("mean", "sd"),
    "gamma": ("mean", "sd"),
    "empirical": ("values",),
}
_COMMON = ("distribution", "shift", "unit", "cites", "description")
_SHORT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s+(working\s+|calendar\s+)?(day|days|week|weeks)\s*$")

Sampler = Callable[[], float]
#: The JSON Schema of each key of a distribution, as `parse_duration_spec` reads it.
_KEY_SCHEMAS: Mapping[str, dict[str, Any]] = {
    "days": {"type": "number", "minimum": 0, "description": "the fixed duration in days"},
    "mean": {"type": "number", "exclusiveMinimum": 0, "description": "the mean, in days"},
    "sd": {"type": "number", "minimum": 0, "description": "the standard deviation, in days"},
    "values": {
        "type": "array",
        "items": {"type": "number", "minimum": 0},
        "minItems": 1,
        "description": "observed durations in days, drawn from at random",
    },
    "shift": {"type": "number", "minimum": 0, "description": "days added to every draw"},
    "unit": {"enum": ["calendar", "working"], "description": "calendar days unless working"},
    "cites": {
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        "description": "keys of `sources` that back this up",
    },
    "description": {"type": "string", "description": "free text, shown in reports"},
}


@dataclass(frozen=True, slots=True)
class DurationSpec:
    """A distribution of stage durations, in working or calendar days."""

    kind: str
    mean: float = 0.0
    sd: float = 0.0
    values: tuple[float, ...] = ()
    shift: float = 0.0
    working: bool = False
    cites: tuple[str, ...] = ()

    @property
    def expected(self) -> float:
        """The mean duration (in its own unit), shift included."""
        if self.kind == "empirical":
            return self.shift + math.fsum(self.values) / len(self.values)
        return self.shift + self.mean

    def sampler(self, rng: random.Random) -> Sampler:
        """A function drawing one duration from `rng` (fast: parameters are bound once)."""
        shift = self.shift
        if self.kind == "fixed" or (self.kind in ("lognormal", "gamma") and self.sd == 0.0):
            value = shift + self.mean
            return lambda: value
        draw: Sampler
        if self.kind == "exponential":
            draw = partial(rng.expovariate, 1.0 / self.mean)
        elif self.kind == "empirical":
            draw = partial(rng.choice, self.values)
        elif self.kind == "lognormal":
            sigma2 = math.log1p((self.sd / self.mean) ** 2)
            mu = math.log(self.mean) - sigma2 / 2.0
            draw = partial(rng.lognormvariate, mu, math.sqrt(sigma2))
        else:
            shape, scale = (self.mean / self.sd) ** 2, self.sd**2 / self.mean
            draw = partial(rng.gammavariate, shape, scale)
        if shift == 0.0:
            return draw
        return lambda: shift + draw()

    def describe(self) -> str:
        unit = "working days" if self.working else "days"
        shift = f" + {self.shift:g}" if self.shift else ""
        if self.kind == "fixed":
            return f"{self.mean + self.shift:g} {unit}"
        if self.kind == "empirical":
            return f"{len(self.values)} observed values{shift} ({unit})"
        spread = f", sd {self.sd:g}" if self.kind != "exponential" else ""
        return f"{self.kind} (mean {self.mean:g}{spread}){shift} {unit}"


def _bad(message: str, **context: Any) -> PydanticCustomError:
    return PydanticCustomError("bad-distribution", message, context)


def _number(raw: Mapping[str, Any], key: str, *, positive: bool = True) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _bad("'{key}' should be a number of days", key=key)
    if value < 0 or (positive and value == 0) or not math.isfinite(value):
        raise _bad("'{key}' should be more than 0, but it is {value}", key=key, value=value)
    return float(value)


def duration_spec_json_schema() -> dict[str, Any]:
    """The JSON Schema of a stage duration: a fixed time as text, or one distribution."""
    fixed = {"type": "string", "pattern": _SHORT.pattern, "not": {"pattern": WORKING_WEEKS}}
    mappings = [
        {
            "type": "object",
            "title": f"{kind} distribution",
            "properties": {
                "distribution": {"const": kind, "description": "the kind of distribution"},
                **{key: _KEY_SCHEMAS[key] for key in (*needed, *_COMMON) if key in _KEY_SCHEMAS},
            },
            "required": ["distribution", *needed],
            "additionalProperties": False,
        }
        for kind, needed in DISTRIBUTIONS.items()
    ]
    return {"anyOf": [fixed, *mappings], "examples": ["3 working days", "2 weeks"]}


def _parse_short(value: str) -> DurationSpec:
    """A fixed duration written in words: `3 working days`, `30 days`, `2 weeks`."""
    match = _SHORT.fullmatch(value)
    if match is None:
        raise _bad("'{value}' is not a duration I understand", value=value)
    amount, unit, kind = float(match[1]), (match[2] or "").strip(), match[3]
    if kind.startswith("week"):
        if unit == "working":
            raise _bad("'{value}' mixes weeks and working days", value=value)
        amount *= 7
    return DurationSpec("fixed", mean=amount, working=unit == "working")


def _distribution_kind(value: Mapping[str, Any]) -> str:
    """The distribution a mapping names, once its keys are checked against that distribution."""
    kind = value.get("distribution")
    if not isinstance(kind, str) or kind not in DISTRIBUTIONS:
        names = ", ".join(DISTRIBUTIONS)
        raise _bad("'distribution' should be one of {names}", names=names)
    allowed = (*DISTRIBUTIONS[kind], *_COMMON)
    for key in value:
        if key not in allowed:
            raise _bad(
                "'{key}' is not a key of a {kind} distribution (use {allowed})",
                key=key,
                kind=kind,
                allowed=", ".join(allowed),
            )
    for key in DISTRIBUTIONS[kind]:
        if key not in value:
            raise _bad("a {kind} distribution needs '{key}'", kind=kind, key=key)
    return kind


def _common(value: Mapping[str, Any]) -> dict[str, Any]:
    """The keys every distribution may have: `shift`, `unit` and `cites`."""
    unit = value.get("unit", "calendar")
    if unit not in ("calendar", "working"):
        raise _bad("'unit' should be 'calendar' or 'working', not '{unit}'", unit=unit)
    shift = _number(value, "shift", positive=False) if "shift" in value else 0.0
    cites = value.get("cites", ())
    cites = (cites,) if isinstance(cites, str) else tuple(cites)
    return {"shift": shift, "working": unit == "working", "cites": cites}


def parse_duration_spec(value: object) -> DurationSpec:
    """Read a duration as written in a scenario file (see the module docstring)."""
    if isinstance(value, DurationSpec):
        return value
    if isinstance(value, str):
        return _parse_short(value)
    if not isinstance(value, dict):
        raise _bad("a duration is text such as '3 working days' or a mapping naming a distribution")
    kind = _distribution_kind(value)
    common = _common(value)
    if kind == "empirical":
        values = value["values"]
        if not isinstance(values, list | tuple) or not values:
            raise _bad("'values' should be a list of observed durations in days")
        numbers = tuple(_number({"values": v}, "values", positive=False) for v in values)
        return DurationSpec(kind, values=numbers, **common)
    if kind == "fixed":
        return DurationSpec(kind, mean=_number(value, "days", positive=False), **common)
    mean = _number(value, "mean")
    sd = _number(value, "sd", positive=False) if kind != "exponential" else mean
    return DurationSpec(kind, mean=mean, sd=sd, **common)
