"""How names are written in pathway, scenario and case-test files: one truth for the loader and
the JSON Schema that editors read.

A name of an entry (a stage, a handoff, an agency ...) is letters, digits, `-` and `_`; an id
is the path of the file below the library root, in lower case. Where a list of names is
expected a single name may be written without brackets (`by: police`).
"""

from __future__ import annotations

from typing import Annotated, TypeVar

from pydantic import BaseModel, BeforeValidator, Field

__all__ = ["ID_PATTERN", "NAME_PATTERN", "Names", "Section", "list_as_tuple"]

#: What the name of a stage, handoff, agency or any other entry may be written with.
NAME_PATTERN = r"^[A-Za-z0-9_-]+$"
#: A pathway or scenario id: the path of its file below the library root, in lower case.
ID_PATTERN = r"^[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*$"


def _as_tuple(value: object) -> object:
    """Accept a single name or a YAML list where a list of names is expected."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(value)
    return value


def list_as_tuple(value: object) -> object:
    """Accept a YAML list where the model keeps an immutable tuple."""
    return tuple(value) if isinstance(value, list) else value


#: One name or a list of them, kept as a tuple.
Names = Annotated[
    tuple[str, ...], BeforeValidator(_as_tuple, json_schema_input_type=str | list[str])
]

_Entry = TypeVar("_Entry", bound=BaseModel)
#: A section of named entries (`stages:`, `agencies:` ...): the loader refuses other names.
Section = Annotated[
    dict[str, _Entry], Field(json_schema_extra={"propertyNames": {"pattern": NAME_PATTERN}})
]
