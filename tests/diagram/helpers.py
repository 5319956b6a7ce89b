"""The diagram tests' checks of Mermaid text, and a victim profile the pictures are filtered by.

Imported as `diagram.helpers` (`tests/` is on the path, and `tests/diagram` has no `__init__.py`).
"""

from __future__ import annotations

import re

ADULT_DECLINED = "age_group=adult,consent=declined"

_LABEL = re.compile(r'"([^"\n]*)"')
_ENTITY = re.compile(r"#\d+;")


def assert_sane_mermaid(text: str) -> None:
    """Balanced subgraph/end, quotes in pairs, and labels free of syntax characters."""
    depth = 0
    for line in text.splitlines()[1:]:
        stripped = line.strip()
        if stripped.startswith("%%"):
            assert "\n" not in stripped
            continue
        if stripped.startswith("subgraph "):
            depth += 1
        elif stripped == "end":
            depth -= 1
            assert depth >= 0, "an 'end' without its subgraph"
        assert line.count('"') % 2 == 0, f"unpaired quote in {line!r}"
        for label in _LABEL.findall(line):
            bare = _ENTITY.sub("", label.replace("<br/>", ""))
            assert not set(bare) & set("\"'`<>&|[](){}%#;\\"), f"unescaped syntax in {label!r}"
        outside = _LABEL.sub("", line)
        assert "#" not in outside or outside.strip().startswith(("classDef", "linkStyle"))
    assert depth == 0, "a subgraph without its 'end'"
    assert text.startswith("flowchart ")
