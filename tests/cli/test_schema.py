"""`pathways schema` (`pathways.cli.schema`): the JSON Schema of a pathway file."""

from __future__ import annotations

import json

import pytest

from pathways.cli import main


def test_schema_is_json_schema_that_names_every_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    for key in ("id", "extends", "agencies", "profile", "stages", "handoffs", "replace"):
        assert key in schema["properties"]
