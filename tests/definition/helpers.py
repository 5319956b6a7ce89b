"""The loader tests' files: the tutorial's example, a national base and an area that extends it.

Imported as `definition.helpers` (`tests/` is on the path, and `tests/definition` has no
`__init__.py`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from paths import tutorial_example
from pathways import DefinitionError

EXAMPLE = tutorial_example()


def write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def codes(error: DefinitionError) -> set[str]:
    return set(error.codes)


BASE = """
    id: base/national
    title: National baseline
    area: England
    version: "1"
    baseline: true
    entry: start
    roles:
      responder:
        title: First responder
      support-provider:
        title: Support provider
    stages:
      start:
        title: Concern raised
        owner: responder
        kind: identification
      support:
        title: Support
        owner: support-provider
        kind: support
        within: 10 working days
      done:
        title: Supported
        owner: support-provider
        kind: outcome
        outcome: supported
    handoffs:
      refer:
        from: start
        to: support
        by: [responder]
      finish:
        from: support
        to: done
        by: [support-provider]
"""

AREA_HEAD = """
    id: area/{name}
    title: An area
    area: Town
    version: "1"
    extends: base/national
    agencies:
      police:
        name: Town Police
        roles: [responder]
      charity:
        name: Town Charity
        roles: [support-provider]
"""


def area(tmp_path: Path, name: str = "town", body: str = "") -> Path:
    write(tmp_path, "base/national.yaml", BASE)
    text = textwrap.dedent(AREA_HEAD).lstrip().format(name=name) + textwrap.dedent(body)
    return write(tmp_path, f"area/{name}.yaml", text)
