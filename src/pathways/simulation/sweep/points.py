"""The points of a sweep, and a scenario with one point's values put in.

A point is one value for each parameter. A grid gives every combination, in the order the
parameters are written (the last one changing fastest); a Latin hypercube gives `points` points
that between them cover each parameter's range in equal strata, drawn from the sweep's seed, so
the same file always gives the same points.

`apply_point` changes the loaded scenario's values in memory (never a file), checks the new
values (a share from 0 to 1, nothing negative, whole numbers where a count is wanted), and the
simulator then checks the scenario against the pathway as it does any other.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.schema import Choice
from pathways.simulation.sweep.grid import Grid, Range

__all__ = ["Point", "SweepValueError", "apply_point", "describe", "points"]


class SweepValueError(ValueError):
    """A parameter path that names nothing in the scenario, or a value it cannot take."""


@dataclass(frozen=True, slots=True)
class Point:
    """One combination of parameter values, numbered from 0 in the sweep's order."""

    number: int
    values: tuple[tuple[str, float], ...]

    @property
    def key(self) -> str:
        """The point's values as canonical text: the same values, the same key (and seeds)."""
        return json.dumps(sorted(self.values), separators=(",", ":"))


def points(grid: Grid) -> list[Point]:
    """Every point of `grid` (see the module docstring)."""
    names = list(grid.parameters)
    if grid.sample == "grid":
        lists = [_values(grid.parameters[n]) for n in names]
        combos: list[tuple[float, ...]] = list(itertools.product(*lists))
    else:
        combos = _hypercube(grid, names)
    return [Point(i, tuple(zip(names, combo, strict=True))) for i, combo in enumerate(combos)]


def _values(spec: tuple[float, ...] | Range) -> tuple[float, ...]:
    return () if isinstance(spec, Range) else tuple(float(v) for v in spec)


def _hypercube(grid: Grid, names: list[str]) -> list[tuple[float, ...]]:
    count = grid.points or 1
    chooser = random.Random(f"latin-hypercube:{grid.seed}")
    columns: list[list[float]] = []
    for name in names:
        spec = grid.parameters[name]
        if isinstance(spec, Range):
            strata = [(k + chooser.random()) / count for k in range(count)]
            column = [spec.low + s * (spec.high - spec.low) for s in strata]
        else:  # a list of values: each used as evenly as the number of points allows
            column = [float(spec[k % len(spec)]) for k in range(count)]
        chooser.shuffle(column)
        columns.append(column)
    return [tuple(column[k] for column in columns) for k in range(count)]


def apply_point(scenario: Scenario, point: Point) -> Scenario:
    """`scenario` with each of the point's values put in place."""
    document: Any = scenario.document
    for path, value in point.values:
        document = _set(document, path.split("."), value, path)
    return dataclasses.replace(scenario, document=document)


def _set(node: Any, keys: list[str], value: float, path: str) -> Any:
    key, rest = keys[0], keys[1:]
    if isinstance(node, Choice) and not node.depends_on and not rest:
        return _share(node, key, value, path)
    if isinstance(node, Mapping):
        if key not in node:
            raise _unknown(path, key, list(node))
        return {
            **node,
            key: _set(node[key], rest, value, path) if rest else _leaf(node[key], value, path),
        }
    if isinstance(node, tuple) and key.isdigit() and int(key) < len(node):
        index = int(key)
        inner = _set(node[index], rest, value, path) if rest else _leaf(node[index], value, path)
        return (*node[:index], inner, *node[index + 1 :])
    field = _field(node, key, path)
    current = getattr(node, field)
    new = _set(current, rest, value, path) if rest else _leaf(current, value, path)
    if isinstance(node, BaseModel):
        return node.model_copy(update={field: new})
    return dataclasses.replace(node, **{field: new})


def _field(node: Any, key: str, path: str) -> str:
    if isinstance(node, BaseModel):
        fields = type(node).model_fields
        for name, info in fields.items():
            if key in (name, info.alias):
                return name
        raise _unknown(path, key, [i.alias or n for n, i in fields.items()])
    if dataclasses.is_dataclass(node):
        names = [f.name for f in dataclasses.fields(node)]
        if key in names:
            return key
        raise _unknown(path, key, names)
    raise SweepValueError(f"{path}: '{key}' is not something a sweep can change")


def _leaf(current: object, value: float, path: str) -> object:
    if value < 0:
        raise SweepValueError(f"{path}: {value} is negative")
    if isinstance(current, bool) or not isinstance(current, int | float | None):
        raise SweepValueError(f"{path} is not a number in the scenario; it cannot be swept")
    if isinstance(current, int):
        if value != int(value):
            raise SweepValueError(f"{path} is a count: {value} is not a whole number")
        return int(value)
    return float(value)


def _share(choice: Choice, name: str, value: float, path: str) -> Choice:
    names = [n for n, _ in choice.weights]
    if name not in names:
        raise _unknown(path, name, names)
    if not 0 <= value <= 1:
        raise SweepValueError(f"{path}: a share must be from 0 to 1, not {value}")
    others = sum(w for n, w in choice.weights if n != name)
    weights = tuple(
        (
            n,
            value
            if n == name
            else (w / others * (1 - value) if others else (1 - value) / (len(names) - 1)),
        )
        for n, w in choice.weights
    )
    return dataclasses.replace(choice, weights=weights)


def _unknown(path: str, key: str, known: list[str]) -> SweepValueError:
    shown = ", ".join(str(k) for k in known[:12]) or "nothing"
    return SweepValueError(f"{path}: the scenario has no '{key}' here (expected one of: {shown})")


def describe(point: Point) -> str:
    """`capacity.council.caseworkers=2, ...` for progress and errors."""
    return ", ".join(f"{name}={_number(v)}" for name, v in point.values)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"
