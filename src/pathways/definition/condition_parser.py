"""Reading conditions: the tokenizer and parser of the condition language.

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

Nothing is ever evaluated as Python: `parse` builds the small tree of `conditions`. Work is
bounded: at most `MAX_LENGTH` characters and `MAX_DEPTH` levels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pathways.definition.conditions import AllOf, AnyOf, Compare, Condition, Flag, Member, Not
from pathways.definition.profiles import Value
from pathways.errors import DefinitionError, Problem

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "ConditionSyntaxError", "parse"]

MAX_LENGTH = 4000
MAX_DEPTH = 32


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
