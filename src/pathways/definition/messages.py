"""Turn pydantic's validation failures into `Problem`s a forum lead can act on.

pydantic speaks of `extra_forbidden` and `literal_error` at a `loc`; a forum lead needs the
file, line and column, the key path in their own words (`stages.triage.within`), what was
expected and a hint. The expected keys and values come from the schema itself, so messages
never drift from the model.
"""

from __future__ import annotations

import difflib
import types
from collections.abc import Iterable, Sequence
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pathways.definition.located import Positions
from pathways.errors import Location, Problem

__all__ = [
    "did_you_mean",
    "dotted",
    "not_a_mapping",
    "offset_location",
    "one_of",
    "problems_from",
    "singular",
]

Key = tuple[str | int, ...]

_TYPE_NOUNS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "dict_type": "a set of keys and values (a mapping)",
    "model_type": "a set of keys and values (a mapping)",
    "tuple_type": "a list",
    "list_type": "a list",
}


def dotted(path: Sequence[str | int]) -> str:
    """`('stages', 'triage', 'within')` as a forum lead would read it: `stages.triage.within`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else part
    return text or "the file"


def one_of(
    options: Iterable[object], limit: int = 20, none: str = "nothing is declared yet"
) -> str:
    """A readable list: `one of 'a', 'b' or 'c'`; `none` when there are no options."""
    quoted = [f"'{option}'" for option in options]
    if not quoted:
        return none
    if len(quoted) > limit:
        quoted = [*quoted[:limit], f"... ({len(quoted) - limit} more)"]
    if len(quoted) == 1:
        return quoted[0]
    return "one of " + ", ".join(quoted[:-1]) + " or " + quoted[-1]


_SINGULAR = {
    "stages": "stage",
    "handoffs": "handoff",
    "roles": "role",
    "agencies": "agency",
    "duties": "duty",
    "profile": "profile attribute",
    "information": "information item",
    "tracks": "track",
    "sources": "source",
    "assumptions": "assumption",
}


def singular(section: str) -> str:
    """One entry of a section, in words: `stages` -> `stage`, `duties` -> `duty`."""
    return _SINGULAR.get(section, section)


def did_you_mean(word: object, options: Iterable[object]) -> str | None:
    """A hint naming the closest known option, if any is close."""
    names = [str(option) for option in options]
    close = difflib.get_close_matches(str(word), names, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else None


def not_a_mapping(
    code: str, data: object, positions: Positions, *, expected: str, hint: str
) -> Problem:
    """A file whose top level is empty or not keys and values, reported as `code`."""
    found = "empty" if data is None else "not a set of keys and values"
    return Problem(
        code, f"the file is {found}", positions.nearest(()), expected=expected, hint=hint
    )


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _type_at(model: type[BaseModel], path: Key) -> Any:
    """The schema type found by following `path` down from `model` (None if lost)."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = _field_named(current, part)
            if field is None:
                return None
            current = field
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        elif get_origin(current) is tuple:
            current = get_args(current)[0]
        else:
            return None
    return _unwrap(current)


def _field_named(model: type[BaseModel], key: str | int) -> Any:
    for name, info in model.model_fields.items():
        if key in (name, info.alias):
            return info.annotation
    return None


def _keys_of(annotation: Any) -> list[str]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [info.alias or name for name, info in annotation.model_fields.items()]
    return []


def problems_from(
    error: ValidationError,
    model: type[BaseModel],
    positions: Positions,
    prefix: Key = (),
) -> list[Problem]:
    """Every error in `error`, placed in the file and worded for a forum lead.

    `model` is the schema model validated at `prefix` within the file (so a stage validated
    on its own at `('stages', 'triage')` reports `stages.triage.within`).
    """
    problems = []
    unions: dict[Key, list[str]] = {}
    details: dict[Key, ErrorDetails] = {}
    for detail in error.errors(include_url=False):
        loc = tuple(p for p in detail["loc"] if not str(p).startswith("function-"))
        if len(loc) > 1 and loc[-1] in _UNION_TAGS and detail["type"] in _TYPE_NOUNS:
            # `str | bool` fails once per member (`...to.str`, `...to.bool`): say it once
            unions.setdefault(loc[:-1], []).append(_TYPE_NOUNS[detail["type"]])
            details.setdefault(loc[:-1], detail)
            continue
        problems.append(_problem(detail, loc, model, positions, prefix))
    for loc, nouns in unions.items():
        detail = details[loc]
        path = (*prefix, *loc)
        at = positions.value(path) or positions.nearest(path)
        noun = " or ".join(dict.fromkeys(nouns))
        problems.append(
            Problem(
                "wrong-type",
                f"{dotted(path)} should be {noun}, but it is {_describe(detail.get('input'))}",
                at,
                noun,
                "put it in quotes if it is a name",
            )
        )
    return problems


_UNION_TAGS = frozenset({"str", "bool", "int", "float"})


def _problem(
    detail: ErrorDetails, loc: Key, model: type[BaseModel], positions: Positions, prefix: Key
) -> Problem:
    kind = detail["type"]
    path = (*prefix, *loc)
    where = dotted(path)
    value = detail.get("input")
    at = positions.value(path) or positions.nearest(path)
    ctx = detail.get("ctx") or {}
    if kind == "missing":
        parent = path[:-1]
        return Problem(
            "missing-key",
            f"{dotted(parent)} needs '{loc[-1]}'",
            positions.key(parent) or positions.nearest(parent),
            expected=f"{'an' if str(loc[-1])[:1] in 'aeiou' else 'a'} '{loc[-1]}:' entry",
            hint=f"add '{loc[-1]}:' under {dotted(parent)}",
        )
    if kind == "extra_forbidden":
        allowed = _keys_of(_type_at(model, loc[:-1]))
        return Problem(
            "unknown-key",
            f"'{loc[-1]}' is not a key I know in {dotted(path[:-1])}",
            positions.key(path) or at,
            expected=one_of(allowed),
            hint=did_you_mean(loc[-1], allowed) or "remove it, or check the spelling",
        )
    if kind == "literal_error":
        options = get_args(_type_at(model, loc)) or ()
        return Problem(
            "unknown-value",
            f"{where} is '{value}', which I do not know",
            at,
            expected=one_of(options) if options else str(ctx.get("expected", "")),
            hint=did_you_mean(value, options) or "use one of the values listed",
        )
    if kind in _TYPE_NOUNS:
        return _wrong_type(kind, where, value, at, positions.text(path))
    if kind == "wrong-type":
        return Problem(
            "wrong-type",
            f"{where}: {detail['msg']}, but it is {_describe(value)}",
            at,
            expected="text such as age_group == 'adult'",
            hint="write the condition as text; put it in quotes if it starts with a quote or "
            "a bracket",
        )
    if kind == "string_pattern_mismatch":
        return Problem(
            "bad-id",
            f"{where} is '{value}', which is not a valid id",
            at,
            expected="lower-case words joined by '-', with '/' between folders: 'humber/hull'",
            hint="ids name the file: pathways/humber/hull.yaml has id 'humber/hull'",
        )
    if kind == "string_too_short":
        return Problem(
            "empty-text",
            f"{where} is empty",
            at,
            expected="some text",
            hint="say why in a few words; the reason is shown in every report",
        )
    if kind == "bad-duration":
        return Problem(
            "bad-duration",
            f"{where}: {detail['msg']}",
            at,
            expected="a number of days: '5 working days', '30 calendar days' or '2 weeks'",
            hint="working days skip weekends and bank holidays in England and Wales",
        )
    if kind in ("condition-syntax", "condition-too-complex"):
        return Problem(
            kind,
            f"{where}: {detail['msg']}",
            _offset(at, positions, path, int(ctx.get("offset", 0))),
            expected=ctx.get("expected"),
            hint=ctx.get("hint"),
        )
    return Problem("invalid-value", f"{where}: {detail['msg']}", at)


def _wrong_type(kind: str, where: str, value: object, at: Location, text: str | None) -> Problem:
    noun = _TYPE_NOUNS[kind]
    found = _describe(value)
    hint = None
    if kind == "string_type" and isinstance(value, bool | int | float) and text is not None:
        hint = f"put it in quotes so it stays as written: '{text}'"
    elif kind in ("dict_type", "model_type") and value is None:
        hint = "indent the entries under this key, or remove the key"
    elif kind in ("tuple_type", "list_type") and isinstance(value, dict):
        hint = "write a list: one '- name' per line, or [a, b]"
    return Problem("wrong-type", f"{where} should be {noun}, but it is {found}", at, noun, hint)


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"{str(value).lower()} (true or false)"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, dict):
        return "a set of keys and values"
    if isinstance(value, list | tuple):
        return "a list"
    return "something else"


def offset_location(positions: Positions, path: Key, offset: int) -> Location:
    """Where character `offset` of the one-line text at `path` is (its start if multi-line)."""
    at = positions.value(path) or positions.nearest(path)
    return _offset(at, positions, path, offset)


def _offset(at: Location, positions: Positions, path: Key, offset: int) -> Location:
    """The column of character `offset` inside a one-line condition written at `at`."""
    text = positions.text(path)
    if text is None or "\n" in text:
        return at
    shift = 1 if positions.quoted(path) else 0
    return Location(at.path, at.line, at.column + shift + offset)
