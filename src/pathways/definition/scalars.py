"""Plain (unquoted) scalars: what each means here, and which ones are refused as ambiguous.

`yes`, `no`, `on` and `off` are refused as values (YAML 1.1 reads them as true/false, YAML 1.2 as
text); numbers that one reader takes as octal, sexagesimal or with separators are refused; dates
stay as the text written, but impossible dates such as 2023-02-30 are refused. The reader uses
these rules to read a file and the writer to quote every text that would not read back as text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from pathways.errors import Location, Problem

__all__ = ["TRUE_FALSE_KEYS", "plain_problem", "resolve_plain"]

#: The keys of the library's files whose value is true or false (a test keeps this list the
#: same as the true/false fields of the pathway and scenario models): `yes` written there
#: means true, and quoting it would make it a word, which the key refuses.
TRUE_FALSE_KEYS = frozenset({"baseline", "first_responder", "flag", "public_authority", "timeout"})
_MEANS_TRUE = frozenset(
    w for word in ("yes", "on", "y") for w in (word, word.title(), word.upper())
)

_NULL = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_AMBIGUOUS_BOOL = frozenset(
    w for word in ("yes", "no", "on", "off", "y", "n") for w in (word, word.title(), word.upper())
)
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?([0-9]+\.[0-9]*|\.[0-9]+|[0-9]+)([eE][-+]?[0-9]+)?")
_AMBIGUOUS_NUMBER = re.compile(
    r"[-+]?(0[0-9]+|0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*_[0-9_]*(\.[0-9_]*)?"
    r"|[0-9]+(:[0-5]?[0-9])+(\.[0-9_]*)?|\.(inf|Inf|INF|nan|NaN|NAN))"
)
_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")


def resolve_plain(text: str) -> tuple[Any, str | None]:
    """What an unquoted scalar means here, and the problem code if it is refused."""
    if text in _NULL:
        return None, None
    if text in _TRUE:
        return True, None
    if text in _FALSE:
        return False, None
    if text in _AMBIGUOUS_BOOL:
        return text, "ambiguous-boolean"
    if _INT.fullmatch(text):
        return int(text), None
    if _AMBIGUOUS_NUMBER.fullmatch(text):
        return text, "ambiguous-number"
    if _FLOAT.fullmatch(text):
        return float(text), None
    match = _DATE.fullmatch(text)
    if match is not None:
        try:
            date(*(int(part) for part in match.groups()))
        except ValueError:
            return text, "invalid-date"
    return text, None


def _ambiguous_boolean(text: str, at: Location, key: str | None) -> Problem:
    if key in TRUE_FALSE_KEYS:
        meant = "true" if text in _MEANS_TRUE else "false"
        return Problem(
            "ambiguous-boolean",
            f"'{key}' takes true or false, and '{text}' could be read as that or as a word",
            at,
            expected="true or false",
            hint=f"write '{key}: {meant}' (not in quotes: a quoted '{text}' is a word)",
        )
    return Problem(
        "ambiguous-boolean",
        f"'{text}' could be read as true/false or as the word '{text}'",
        at,
        expected="true or false, or the word in quotes",
        hint=f"write true or false, or quote it if you mean the word: '{text}'",
    )


_PROBLEMS: dict[str, Callable[[str, Location], Problem]] = {
    "ambiguous-number": lambda text, at: Problem(
        "ambiguous-number",
        f"'{text}' could be read as a number in a surprising way",
        at,
        expected="plain digits such as 12 or 1.5, or text in quotes",
        hint=f"quote it if it is a name or a code: '{text}'",
    ),
    "invalid-date": lambda text, at: Problem(
        "invalid-date",
        f"'{text}' is not a date that exists",
        at,
        expected="a real date written YYYY-MM-DD",
        hint="check the day and month",
    ),
}


def plain_problem(code: str, text: str, at: Location, key: str | None = None) -> Problem:
    """The problem `code` (from `resolve_plain`) for the plain scalar `text` written at `at`,
    the value of `key` (None in a list)."""
    if code == "ambiguous-boolean":
        return _ambiguous_boolean(text, at, key)
    return _PROBLEMS[code](text, at)
