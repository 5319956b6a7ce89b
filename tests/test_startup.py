"""Fast start: `import pathways` and the forum-lead commands leave the heavy libraries alone.

Each case runs in a fresh interpreter (a subprocess), since this test process has long since
imported everything, and reports which of the heavy libraries ended up in `sys.modules`. The
journey store's database libraries and the drawing library are never needed by these; the
engines (the graph engine's networkx, the runtime's transitions and holidays) only where the
command uses them: `check` walks the graph, the others only read the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HULL = "pathways/humber/hull.yaml"

HEAVY = frozenset({"alembic", "matplotlib", "psycopg", "sqlalchemy", "sqlmodel"})
ENGINES = frozenset({"holidays", "networkx", "transitions"})

COMMAND = """
import contextlib, io
from pathways.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    assert main({argv!r}) == 0
"""


def heavy_loaded_by(code: str) -> set[str]:
    """The heavy libraries and engines in `sys.modules` after running `code` afresh."""
    probe = (
        f"import json, sys\nsys.path.insert(0, {str(ROOT / 'src')!r})\n{code}\n"
        "print(json.dumps(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(done.stdout))
    assert "pathways" in loaded
    return loaded & (HEAVY | ENGINES)


@pytest.mark.parametrize(
    ("argv", "needs"),
    [
        (["validate", HULL], set()),
        (["check", HULL], {"networkx"}),
        (["show", HULL], set()),
        (["diagram", "--format", "mermaid", HULL], set()),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else "",
)
def test_forum_lead_commands_import_only_what_they_need(argv: list[str], needs: set[str]) -> None:
    assert heavy_loaded_by(COMMAND.format(argv=argv)) <= needs


def test_import_pathways_does_not_import_the_heavy_libraries() -> None:
    assert heavy_loaded_by("import pathways") == set()


def test_the_store_is_imported_when_it_is_first_used() -> None:
    # the lazy export still works, and the probe does see a heavy library when one is loaded
    assert "sqlalchemy" in heavy_loaded_by("import pathways\npathways.JourneyStore")
