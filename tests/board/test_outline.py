"""The report's text alternative to its diagrams (`pathways.board.outline`): for every stage
of every bundled pathway, "on the route of" names exactly the victims for whom
`pathways diagram --profile` draws that stage, and the Hull outline as a board member reads it
is pinned by a golden file (`PATHWAYS_UPDATE_GOLDEN=1` rewrites it; read the diff).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from paths import PATHWAYS, ROOT
from pathways.board.outline import outline
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.diagram import build

GOLDEN = ROOT / "tests" / "golden" / "board" / "hull-outline.txt"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
BUNDLED = sorted(p for p in PATHWAYS.rglob("*.yaml") if not p.name.endswith(".tests.yaml"))


@pytest.mark.parametrize("file", BUNDLED, ids=lambda p: p.stem)
def test_on_the_route_of_names_the_victims_diagram_profile_draws_it_for(file: Path) -> None:
    pathway = Library().load(file)
    space = pathway.profile_space
    drawn_for: dict[str, int] = {}
    for index in range(len(space)):
        for node in build(pathway, profile=space.profile(index)).nodes:  # type: ignore[arg-type]
            drawn_for[node.id] = drawn_for.get(node.id, 0) | 1 << index
    for line in outline(pathway).stages:
        assert line.for_whom == space.describe(drawn_for.get(line.id, 0)), line.id


def text(pathway: Pathway) -> str:
    lines = []
    for stage in outline(pathway).stages:
        lines.append(f"{stage.title} [{stage.kind}; {stage.track}; {stage.owner}]")
        if stage.within:
            lines.append(f"  time limit: {stage.within}")
        lines.extend(f"  leads to: {words}" for words in stage.leads_to)
        lines.append(f"  on the route of: {stage.for_whom}")
    return "\n".join(lines) + "\n"


def test_the_hull_outline_reads_as_the_golden_file(hull: Pathway) -> None:
    shown = text(hull)
    if UPDATE:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(shown, encoding="utf-8")
    assert GOLDEN.exists(), f"no {GOLDEN.name}; run with PATHWAYS_UPDATE_GOLDEN=1"
    assert shown == GOLDEN.read_text(encoding="utf-8")
