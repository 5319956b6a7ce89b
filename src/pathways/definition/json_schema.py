"""JSON Schemas of the files a forum lead writes, for editors to complete and flag as you type.

Each schema is generated from the pydantic model the loader validates with, so the two cannot
drift apart: the name and id patterns, the time limits and the fixed vocabularies come from the
same constants the loader uses (`naming`, `durations`, `vocabulary`), and the rules the loader
checks outside the model (a name written with a space, a track called `main`) are attached to
the model fields as JSON Schema hooks. What a schema cannot know is the pathway itself: that a
handoff names a stage that exists is left to `pathways validate`.

Every schema is draft 2020-12, has an `$id` naming the kind of file, and a title and a
description on every key, which is what an editor shows when you hover over it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from pathways.definition.schema import PathwayDocument

__all__ = ["DIALECT", "file_schema", "pathway_schema", "schema_id"]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_HOME = "https://github.com/pathways-uk/pathways"


def schema_id(kind: str) -> str:
    """The `$id` of the schema of one kind of file (`pathway`, `scenario`, `tests`).

    An `$id` names a schema; nothing is downloaded from it.
    """
    return f"{_HOME}/schemas/{kind}.schema.json"


def file_schema(model: type[BaseModel], kind: str, title: str, description: str) -> dict[str, Any]:
    """The JSON Schema of a file that `model` validates (by the keys written in the file)."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    _title_every_key(schema)
    _end_patterns_at_the_end(schema)
    return {
        "$schema": DIALECT,
        "$id": schema_id(kind),
        **schema,
        "title": title,
        "description": description,
    }


def _title_every_key(schema: object) -> None:
    """Give every key a title, as pydantic does for most: `waits_for` is "Waits For".

    Pydantic leaves out the title of a key whose value is another model (`checks:`) and hand
    written schemas (a scenario's distributions) have none; editors show the title on hover.
    The keys named in a model's own constraints ("not both `route` and `starts_with`") are not
    keys of their own and are left alone.
    """
    if isinstance(schema, dict):
        for name, value in schema.get("properties", {}).items():
            if isinstance(value, dict):
                value.setdefault("title", name.replace("_", " ").title())
        constraints = ("anyOf", "oneOf", "not") if "properties" in schema else ()
        for key, value in schema.items():
            if key not in constraints:
                _title_every_key(value)
    elif isinstance(schema, list):
        for value in schema:
            _title_every_key(value)


#: Added after a pattern's final `$`: nothing may follow it, not even a line break.
END_OF_TEXT = r"(?![\s\S])"


def _end_patterns_at_the_end(schema: object) -> None:
    """Make every pattern's final `$` mean the end of the text in every regex dialect.

    JSON Schema patterns are ECMA-262, where `$` is the end of the text, but validators written
    in Python (check-jsonschema, jsonschema) search with `re`, where `$` also matches before a
    final line break: `'hull\\n'` would pass a name pattern the loader refuses. A lookahead that
    nothing follows means the same in both.
    """
    if isinstance(schema, dict):
        pattern = schema.get("pattern")
        if isinstance(pattern, str) and pattern.endswith("$") and not pattern.endswith("\\$"):
            schema["pattern"] = pattern + END_OF_TEXT
        for value in schema.values():
            _end_patterns_at_the_end(value)
    elif isinstance(schema, list):
        for value in schema:
            _end_patterns_at_the_end(value)


def pathway_schema() -> dict[str, Any]:
    """JSON Schema of one pathway file, as written (before `extends` is applied)."""
    return file_schema(
        PathwayDocument,
        "pathway",
        "Pathway file",
        "A modern slavery referral pathway: agencies, stages of the victim journey, handoffs "
        "between them, conditions and time limits.",
    )
