"""Who arrives: the profile mix of a scenario as a joint distribution over whole profiles.

Each attribute has a `Choice`, possibly depending on one other attribute. The joint distribution
is built once, by taking attributes in an order where each comes after the one it depends on,
and only combinations with a positive probability are kept. The engine then draws a whole
profile with one random number.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.profiles import Value
from pathways.definition.schema import ProfileAttribute
from pathways.errors import Location, Problem
from pathways.simulation.scenario.schema import Choice

__all__ = ["check_choice", "joint", "value_names"]

Where = Callable[..., Location | None]


def value_names(attribute: ProfileAttribute) -> dict[str, Value]:
    """The attribute's values by the name a scenario uses for them ('true' for a flag's True)."""
    return {(str(v).lower() if isinstance(v, bool) else v): v for v in attribute.domain}


def check_choice(
    choice: Choice,
    names: Mapping[str, Value] | tuple[str, ...],
    what: str,
    at: Location | None,
    profile: Mapping[str, ProfileAttribute],
    flag: bool,
) -> list[Problem]:
    """Problems with a choice whose names must be among `names` (values or handoffs)."""
    problems = []
    if choice.flag_probability and not flag:
        problems.append(
            Problem(
                "bad-choice",
                f"{what} gives a single number, which only a yes/no attribute can have",
                at,
                expected=f"probabilities for {one_of(names)}",
                hint="write a mapping such as {a: 0.6, b: 0.4}",
            )
        )
        return problems
    if choice.depends_on is not None:
        parent = profile.get(choice.depends_on)
        if parent is None:
            return [
                Problem(
                    "unknown-attribute",
                    f"{what} depends on '{choice.depends_on}', which is not a profile attribute",
                    at,
                    expected=one_of(profile),
                    hint=did_you_mean(choice.depends_on, profile) or "check the spelling",
                )
            ]
        parent_names = value_names(parent)
        given = dict(choice.by)
        for key in given:
            if key not in parent_names:
                problems.append(_unknown(key, f"{what} (by {choice.depends_on})", parent_names, at))
        for key in parent_names:
            if key not in given:
                problems.append(
                    Problem(
                        "missing-probabilities",
                        f"{what} gives no probabilities when {choice.depends_on} is '{key}'",
                        at,
                        expected=f"an entry for each of {one_of(parent_names)} under 'by'",
                        hint=f"add '{key}: {{...}}' under 'by'",
                    )
                )
        for _, inner in choice.by:
            problems.extend(check_choice(inner, names, what, at, profile, flag))
        return problems
    for name, _ in choice.weights:
        if name not in names:
            problems.append(_unknown(name, what, names, at))
    return problems


def _unknown(name: str, what: str, names: object, at: Location | None) -> Problem:
    options = list(names)  # type: ignore[call-overload]
    return Problem(
        "unknown-value",
        f"{what} gives a probability for '{name}', which is not one of its options",
        at,
        expected=one_of(options),
        hint=did_you_mean(name, options) or "use one of the options listed",
    )


def order(choices: Mapping[str, Choice]) -> list[str] | None:
    """Attributes ordered so each follows the one it depends on; None if they form a loop."""
    done: list[str] = []
    pending = dict(choices)
    while pending:
        ready = [
            name
            for name, choice in pending.items()
            if choice.depends_on is None or choice.depends_on in done
        ]
        if not ready:
            return None
        for name in ready:
            done.append(name)
            del pending[name]
    return done


def joint(
    choices: Mapping[str, Choice], profile: Mapping[str, ProfileAttribute]
) -> dict[tuple[Value, ...], float]:
    """Every whole profile (values in `profile` order) with a positive probability."""
    sequence = order(choices) or list(choices)
    partial: list[tuple[dict[str, str], float]] = [({}, 1.0)]
    for name in sequence:
        choice = choices[name]
        grown = []
        for assigned, probability in partial:
            inner = choice.for_value(assigned.get(choice.depends_on or ""))
            for value, weight in inner.weights if inner is not None else ():
                if weight > 0.0:
                    grown.append(({**assigned, name: value}, probability * weight))
        partial = grown
    result: dict[tuple[Value, ...], float] = {}
    for assigned, probability in partial:
        key = tuple(value_names(attr)[assigned[name]] for name, attr in profile.items())
        result[key] = result.get(key, 0.0) + probability
    return result
