"""Conditions on a handoff: a tiny, safe language over the victim's profile.

```text
age_group == 'adult' and consent in ['declined', 'unsure']
not needs_accommodation or (age_group != child)
```

Nothing is ever evaluated as Python: `condition_parser` reads a condition into the small tree
below, which the runtime turns into a predicate, the checks into a set of profiles
(`satisfying`), the references check against the declared profile (`validate`) and reports
into words (`explain`). `to_text` writes a tree back as text that reads back the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.profiles import ProfileSpace, Value, describe_values

__all__ = [
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionIssue",
    "Flag",
    "Member",
    "Not",
    "attributes",
    "compile_predicate",
    "evaluate",
    "explain",
    "satisfying",
    "to_text",
    "validate",
]


Profile = Mapping[str, Value]
Predicate = Callable[[Profile], bool]


@dataclass(frozen=True, slots=True)
class Compare:
    """`name == value` or `name != value`."""

    name: str
    equal: bool
    value: Value
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Member:
    """`name in [values]` or `name not in [values]`."""

    name: str
    values: tuple[Value, ...]
    negated: bool = False
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Flag:
    """A bare attribute name: true when that yes/no attribute is true."""

    name: str
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class Not:
    """`not <condition>`."""

    operand: Condition
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class AllOf:
    """`a and b and ...`."""

    parts: tuple[Condition, ...]
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


@dataclass(frozen=True, slots=True)
class AnyOf:
    """`a or b or ...`."""

    parts: tuple[Condition, ...]
    offset: int = field(default=0, compare=False)
    length: int = field(default=0, compare=False)


Condition = Compare | Member | Flag | Not | AllOf | AnyOf


@dataclass(frozen=True, slots=True)
class ConditionIssue:
    """A condition that reads fine but does not fit the pathway's profile."""

    offset: int
    length: int
    code: str
    message: str
    expected: str | None = None
    hint: str | None = None


# --- writing -------------------------------------------------------------------------------


def _literal(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if "'" in value else f"'{value}'"


def to_text(condition: Condition) -> str:
    """The condition as text that `parse` reads back to an equal condition."""
    return _text(condition, 0)


_PRECEDENCE = {AnyOf: 1, AllOf: 2, Not: 3}


def _text(node: Condition, outer: int) -> str:
    """`outer` is the precedence of the enclosing node (0 at the top). A group inside a group
    of the same kind keeps its brackets, so the tree reads back unchanged."""
    if isinstance(node, Compare):
        return f"{node.name} {'==' if node.equal else '!='} {_literal(node.value)}"
    if isinstance(node, Member):
        op = "not in" if node.negated else "in"
        return f"{node.name} {op} [{', '.join(map(_literal, node.values))}]"
    if isinstance(node, Flag):
        return node.name
    own = _PRECEDENCE[type(node)]
    if isinstance(node, Not):
        return f"not {_text(node.operand, own)}"
    joiner = " or " if isinstance(node, AnyOf) else " and "
    body = joiner.join(_text(part, own) for part in node.parts)
    return f"({body})" if outer >= own else body


# --- meaning -------------------------------------------------------------------------------


def _same(a: Value, b: Value) -> bool:
    return a == b and type(a) is type(b)


def compile_predicate(condition: Condition) -> Predicate:
    """A fast function `profile -> bool` for the condition."""
    if isinstance(condition, Compare):
        name, value, equal = condition.name, condition.value, condition.equal
        return lambda p: _same(p.get(name), value) is equal  # type: ignore[arg-type]
    if isinstance(condition, Member):
        name, values, negated = condition.name, condition.values, condition.negated
        return lambda p: any(_same(p.get(name), v) for v in values) is not negated  # type: ignore[arg-type]
    if isinstance(condition, Flag):
        flag = condition.name
        return lambda p: p.get(flag) is True
    if isinstance(condition, Not):
        inner = compile_predicate(condition.operand)
        return lambda p: not inner(p)
    parts = tuple(compile_predicate(part) for part in condition.parts)
    if isinstance(condition, AllOf):
        return lambda p: all(part(p) for part in parts)
    return lambda p: any(part(p) for part in parts)


def evaluate(condition: Condition, profile: Profile) -> bool:
    """Does `profile` meet the condition?"""
    return compile_predicate(condition)(profile)


def _walk(condition: Condition) -> Iterator[Condition]:
    stack = [condition]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, Not):
            stack.append(node.operand)
        elif isinstance(node, AllOf | AnyOf):
            stack.extend(reversed(node.parts))


def attributes(condition: Condition) -> frozenset[str]:
    """The profile attributes the condition speaks of."""
    return frozenset(
        node.name for node in _walk(condition) if isinstance(node, Compare | Member | Flag)
    )


def satisfying(condition: Condition, space: ProfileSpace) -> int:
    """The set (bitmask over `space`) of profiles that meet the condition."""
    if isinstance(condition, Compare):
        mask = space.mask_where(condition.name, condition.value)
        return mask if condition.equal else space.all_mask & ~mask
    if isinstance(condition, Member):
        mask = space.mask_where(condition.name, condition.values)
        return space.all_mask & ~mask if condition.negated else mask
    if isinstance(condition, Flag):
        return space.mask_where(condition.name, True)
    if isinstance(condition, Not):
        return space.all_mask & ~satisfying(condition.operand, space)
    masks = [satisfying(part, space) for part in condition.parts]
    result = space.all_mask if isinstance(condition, AllOf) else 0
    for mask in masks:
        result = result & mask if isinstance(condition, AllOf) else result | mask
    return result


def _comparison_example(name: str, domain: Sequence[Value]) -> str:
    """What to write instead of `name` alone; an attribute declared without values (refused
    by the profile's own check) has no value to show."""
    if not domain:
        return f"a comparison such as {name} == 'value'"
    return f"a comparison such as {name} == {_literal(domain[0])}"


def validate(condition: Condition, domains: Mapping[str, Sequence[Value]]) -> list[ConditionIssue]:
    """Problems with attribute names and values against the declared profile."""
    issues: list[ConditionIssue] = []
    for node in _walk(condition):
        if not isinstance(node, Compare | Member | Flag):
            continue
        domain = domains.get(node.name)
        if domain is None:
            issues.append(
                ConditionIssue(
                    node.offset,
                    len(node.name),
                    "unknown-attribute",
                    f"'{node.name}' is not a profile attribute",
                    expected=one_of(list(domains), none="nothing is declared"),
                    hint=did_you_mean(node.name, domains) or "declare it under profile:",
                )
            )
            continue
        is_flag = set(domain) == {False, True}
        if isinstance(node, Flag):
            if not is_flag:
                issues.append(
                    ConditionIssue(
                        node.offset,
                        node.length,
                        "not-a-flag",
                        f"'{node.name}' has values, so it cannot stand alone as a condition",
                        expected=_comparison_example(node.name, domain),
                        hint="only attributes declared 'flag: true' can stand alone",
                    )
                )
            continue
        values = (node.value,) if isinstance(node, Compare) else node.values
        for value in values:
            if any(_same(value, known) for known in domain):
                continue
            hint = None
            if is_flag:
                hint = "this is a yes/no attribute: compare with true or false"
            else:
                hint = did_you_mean(value, domain)
            issues.append(
                ConditionIssue(
                    node.offset,
                    node.length,
                    "unknown-value",
                    f"{node.name} has no value '{value}'",
                    expected=one_of([_plain(v) for v in domain]),
                    hint=hint,
                )
            )
    return issues


def _plain(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def explain(condition: Condition) -> str:
    """The condition in plain words, for messages and reports."""
    return _words(condition, top=True)


def _attr(name: str) -> str:
    return name.replace("_", " ").replace("-", " ")


def _words(node: Condition, top: bool = False) -> str:
    if isinstance(node, Compare):
        verb = "is" if node.equal else "is not"
        return f"{_attr(node.name)} {verb} {_plain(node.value)}"
    if isinstance(node, Member):
        listed = " or ".join(_plain(v) for v in node.values)
        verb = "is not" if node.negated else "is"
        return f"{_attr(node.name)} {verb} {listed}"
    if isinstance(node, Flag):
        return describe_values(node.name, (False, True), (True,))
    if isinstance(node, Not):
        inner = node.operand
        if isinstance(inner, Flag):
            return describe_values(inner.name, (False, True), (False,))
        if isinstance(inner, Compare):
            return _words(Compare(inner.name, not inner.equal, inner.value))
        if isinstance(inner, Member):
            return _words(Member(inner.name, inner.values, not inner.negated))
        return f"not ({_words(inner, top=True)})"
    joiner = " or " if isinstance(node, AnyOf) else " and "
    text = joiner.join(_words(part) for part in node.parts)
    return text if top else f"({text})"
