"""Conditions on a handoff: a tiny, safe language over the victim's profile.

```text
age_group == 'adult' and consent in ['declined', 'unsure']
not needs_accommodation or (age_group != child)
```

Grammar (lowest precedence first)::

    condition  := or
    or         := and ("or" and)*
    and        := not ("and" not)*
    not        := "not" not | atom
    atom       := "(" condition ")"
                | NAME ("==" | "!=") value
                | NAME ["not"] "in" "[" value ("," value)* "]"
                | NAME                         # a flag attribute that is true
    value      := 'text' | "text" | true | false | word

Nothing is ever evaluated as Python: a condition is parsed into the small tree below, which the
runtime turns into a predicate, the checks into a set of profiles (`satisfying`) and reports
into words (`explain`). Work is bounded: at most `MAX_LENGTH` characters and `MAX_DEPTH` levels.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.profiles import ProfileSpace, Value, describe_values
from pathways.errors import DefinitionError, Problem

__all__ = [
    "MAX_DEPTH",
    "MAX_LENGTH",
    "AllOf",
    "AnyOf",
    "Compare",
    "Condition",
    "ConditionIssue",
    "ConditionSyntaxError",
    "Flag",
    "Member",
    "Not",
    "attributes",
    "compile_predicate",
    "evaluate",
    "explain",
    "parse",
    "satisfying",
    "to_text",
    "validate",
]

MAX_LENGTH = 4000
MAX_DEPTH = 32

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


class ConditionSyntaxError(DefinitionError):
    """A condition that cannot be read; `offset` and `length` say where in its text."""

    def __init__(
        self,
        code: str,
        message: str,
        offset: int,
        length: int = 1,
        *,
        expected: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.offset = offset
        self.length = length
        super().__init__([Problem(code, message, None, expected, hint)])


@dataclass(frozen=True, slots=True)
class ConditionIssue:
    """A condition that reads fine but does not fit the pathway's profile."""

    offset: int
    length: int
    code: str
    message: str
    expected: str | None = None
    hint: str | None = None


# --- reading ------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'[^'\n]*'|"[^"\n]*")
      | (?P<op>==|!=|\(|\)|\[|\]|,)
      | (?P<word>[A-Za-z0-9_][A-Za-z0-9_\-.]*)
      | (?P<bad>.)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not", "in"})
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # string, op, word, end
    text: str
    offset: int


def _tokens(text: str) -> list[_Token]:
    found: list[_Token] = []
    position = 0
    end = len(text.rstrip())
    while position < end:
        match = _TOKEN.match(text, position)
        if match is None:  # only trailing spaces remain
            break
        kind = match.lastgroup or "bad"
        start = match.start(kind)
        value = match.group(kind)
        if kind == "bad":
            if value in "'\"":
                raise ConditionSyntaxError(
                    "condition-syntax",
                    "a quote is opened but not closed",
                    start,
                    expected=f"a closing {value}",
                    hint="put the value in matching quotes: 'adult'",
                )
            hint = None
            if value == "=" or (value == "=" and text[start : start + 2] != "=="):
                hint = "compare with '==' (two equals signs)"
            elif value in "&|!":
                hint = "write 'and', 'or' and 'not' as words"
            raise ConditionSyntaxError(
                "condition-syntax",
                f"'{value}' cannot be used in a condition",
                start,
                expected="a profile attribute, ==, !=, in, and, or, not, or brackets",
                hint=hint,
            )
        found.append(_Token(kind, value, start))
        position = match.end()
    found.append(_Token("end", "", len(text.rstrip())))
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.at = 0
        self.depth = 0

    @property
    def token(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_word(self, word: str) -> bool:
        return self.token.kind == "word" and self.token.text == word

    def fail(self, expected: str, hint: str | None = None) -> ConditionSyntaxError:
        token = self.token
        found = "the end of the condition" if token.kind == "end" else f"'{token.text}'"
        return ConditionSyntaxError(
            "condition-syntax",
            f"expected {expected} but found {found}",
            token.offset,
            max(len(token.text), 1),
            expected=expected,
            hint=hint,
        )

    def nest(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionSyntaxError(
                "condition-too-complex",
                f"the condition is nested more than {MAX_DEPTH} levels deep",
                self.token.offset,
                expected=f"at most {MAX_DEPTH} levels of brackets and 'not'",
                hint="split it over several handoffs",
            )

    def condition(self) -> Condition:
        self.nest()
        start = self.token.offset
        parts = [self.conjunction()]
        while self.is_word("or"):
            self.take()
            parts.append(self.conjunction())
        self.depth -= 1
        if len(parts) == 1:
            return parts[0]
        return AnyOf(tuple(parts), start, self.end() - start)

    def conjunction(self) -> Condition:
        start = self.token.offset
        parts = [self.negation()]
        while self.is_word("and"):
            self.take()
            parts.append(self.negation())
        if len(parts) == 1:
            return parts[0]
        return AllOf(tuple(parts), start, self.end() - start)

    def negation(self) -> Condition:
        if self.is_word("not"):
            start = self.take().offset
            self.nest()
            operand = self.negation()
            self.depth -= 1
            return Not(operand, start, self.end() - start)
        return self.atom()

    def end(self) -> int:
        previous = self.tokens[self.at - 1]
        return previous.offset + len(previous.text)

    def atom(self) -> Condition:
        token = self.token
        if token.kind == "op" and token.text == "(":
            self.take()
            inner = self.condition()
            if not (self.token.kind == "op" and self.token.text == ")"):
                raise self.fail("')' to close the bracket", "every '(' needs a matching ')'")
            self.take()
            return inner
        if token.kind != "word" or token.text in _KEYWORDS or not _NAME.fullmatch(token.text):
            raise self.fail(
                "a profile attribute such as age_group",
                "a condition starts with an attribute name, 'not' or '('",
            )
        name = self.take().text
        start = token.offset
        if self.token.kind == "op" and self.token.text in ("==", "!="):
            equal = self.take().text == "=="
            value = self.value()
            return Compare(name, equal, value, start, self.end() - start)
        negated = False
        if self.is_word("not"):
            self.take()
            negated = True
            if not self.is_word("in"):
                raise self.fail("'in' after 'not'", "write 'consent not in [declined]'")
        if self.is_word("in"):
            self.take()
            values = self.values()
            return Member(name, values, negated, start, self.end() - start)
        if self.token.kind == "word" and self.token.text not in _KEYWORDS:
            raise self.fail("==, !=, in, and, or the end", "compare with '==': age_group == adult")
        return Flag(name, start, len(name))

    def value(self) -> Value:
        token = self.token
        if token.kind == "string":
            self.take()
            return token.text[1:-1]
        if token.kind == "word" and token.text not in _KEYWORDS:
            self.take()
            if token.text == "true":
                return True
            if token.text == "false":
                return False
            return token.text
        raise self.fail("a value such as 'adult'", "put the value in quotes: 'adult'")

    def values(self) -> tuple[Value, ...]:
        if not (self.token.kind == "op" and self.token.text == "["):
            raise self.fail("'[' to start a list of values", "write: consent in [given, unsure]")
        self.take()
        found = [self.value()]
        while self.token.kind == "op" and self.token.text == ",":
            self.take()
            found.append(self.value())
        if not (self.token.kind == "op" and self.token.text == "]"):
            raise self.fail("',' or ']' to end the list", "separate values with commas")
        self.take()
        return tuple(found)


def parse(text: str) -> Condition:
    """Read a condition; raise `ConditionSyntaxError` saying where and what was expected."""
    if len(text) > MAX_LENGTH:
        raise ConditionSyntaxError(
            "condition-too-complex",
            f"the condition is {len(text):,} characters long, more than {MAX_LENGTH:,}",
            0,
            expected=f"at most {MAX_LENGTH:,} characters",
            hint="split it over several handoffs",
        )
    if not text.strip():
        raise ConditionSyntaxError(
            "condition-syntax",
            "the condition is empty",
            0,
            expected="a condition such as age_group == 'adult'",
            hint="remove 'when:' if the handoff is open to every victim",
        )
    parser = _Parser(text)
    result = parser.condition()
    if parser.token.kind != "end":
        raise parser.fail("'and', 'or' or the end of the condition")
    return result


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
                        expected=f"a comparison such as {node.name} == {_literal(domain[0])}",
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
