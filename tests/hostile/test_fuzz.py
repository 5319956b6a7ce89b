"""Fuzzing: mutated pathways, and the crashes the fuzzer found, kept as regression tests.

The mutation test draws a valid pathway (`strategies.pathway_data`), changes a few of its keys
and values into something else (an empty list, a mapping, a name used elsewhere, text, a
number) and runs everything a forum lead can run on it (`helpers.exercise`). Whatever the
file, only a `PathwayError` may come out. The run is bounded (a fixed number of examples and
no deadline per example) so CI time stays predictable; `fuzz/fuzz_loader.py` is the
coverage-guided counterpart (atheris).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile.helpers import exercise
from strategies import pathway_data

CORPUS = Path(__file__).parent / "corpus"

_Path = tuple[str | int, ...]


def _paths(data: Any, here: _Path = ()) -> list[_Path]:
    """Every key and list index in `data`, outermost first."""
    found: list[_Path] = [here]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(_paths(value, (*here, key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found.extend(_paths(value, (*here, index)))
    return found


def _names(data: Any) -> list[str]:
    """Every key and text in `data`: the names a mutation may put somewhere else."""
    return sorted({p[-1] for p in _paths(data) if p and isinstance(p[-1], str)})


def _replace(data: Any, path: _Path, value: Any) -> Any:
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(data, dict):
        return {k: (_replace(v, rest, value) if k == head else v) for k, v in data.items()}
    return [(_replace(v, rest, value) if i == head else v) for i, v in enumerate(data)]


def _drop(data: Any, path: _Path) -> Any:
    head, rest = path[0], path[1:]
    if rest:
        inner = data[head]
        return _replace(data, (head,), _drop(inner, rest))
    if isinstance(data, dict):
        return {k: v for k, v in data.items() if k != head}
    return [v for i, v in enumerate(data) if i != head]


def _walk(draw: st.DrawFn, data: Any) -> _Path:
    """A key or list index in `data`, found by walking down from the top: each section of the
    file is as likely as any other, however many values it holds."""
    path: _Path = ()
    here = data
    while isinstance(here, dict | list) and here:
        if path and draw(st.integers(0, 3)) == 0:
            break
        step = draw(st.sampled_from(list(here) if isinstance(here, dict) else range(len(here))))
        path = (*path, step)
        here = here[step]
    return path


def _like(draw: st.DrawFn, old: Any, names: list[str]) -> Any:
    """A value of the same kind as `old` (most files a forum lead writes are nearly right),
    or now and then anything at all."""
    if draw(st.integers(0, 4)) == 0:
        return draw(
            st.one_of(
                st.just([]),
                st.just({}),
                st.sampled_from(names),
                st.text(max_size=12),
                st.integers(-3, 3),
                st.none(),
            )
        )
    if isinstance(old, bool):
        return not old
    if isinstance(old, list):
        return draw(st.sampled_from([[], old[:1], [*old, *old[:1]], old[::-1]]))
    if isinstance(old, dict):
        return {} if not old or draw(st.booleans()) else dict(list(old.items())[1:])
    if isinstance(old, int):
        return draw(st.integers(-2, 400))
    return draw(st.one_of(st.sampled_from(names), st.just(""), st.text(max_size=12)))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid pathway's data with one to three keys or values changed, as YAML text."""
    data = draw(pathway_data(max_stages=6))
    names = _names(data)
    for _ in range(draw(st.integers(1, 3))):
        path = _walk(draw, data)
        if not path:
            continue
        if draw(st.integers(0, 7)) == 0:
            data = _drop(data, path)
            continue
        old: Any = data
        for step in path:
            old = old[step]
        data = _replace(data, path, _like(draw, old, names))
    return json.dumps(data)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated())
def test_only_pathway_errors_escape_on_mutated_pathways(text: str) -> None:
    exercise(text, picture=False)


@settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(pathway_data(max_tracks=1, max_stages=6))
def test_only_pathway_errors_escape_on_valid_pathways_drawn_and_reported(
    data: dict[str, Any],
) -> None:
    assert exercise(json.dumps(data)) == "loaded"


# The crashes the fuzzers found, each kept as the file that showed it.


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        # IndexError in definition/conditions.py: the bare attribute had no value to suggest
        ("crash-empty-values.yaml", "attribute-values"),
        # AssertionError in graph/repeats.py: the search started from an unreachable source
        ("crash-repeats-assertion.yaml", "loaded"),
    ],
)
def test_a_crash_the_fuzzer_found_stays_fixed(name: str, outcome: str) -> None:
    text = (CORPUS / name).read_text(encoding="utf-8")
    assert exercise(text) == outcome
