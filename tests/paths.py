"""Where the repository's own files are, for tests that read them (one definition, not one a file).

Imported by name (`from paths import ROOT`): pytest puts `tests/` on the path (`pythonpath` in
pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["HULL", "PATHWAYS", "ROOT", "SMALL"]

#: The repository's root folder.
ROOT = Path(__file__).resolve().parent.parent
#: The bundled pathways, as `pathways check pathways/` reads them.
PATHWAYS = ROOT / "pathways"
#: The Hull pathway, the bundled example most tests and guides use.
HULL = PATHWAYS / "humber" / "hull.yaml"
#: The small golden pathway the case-test tests run against.
SMALL = ROOT / "tests" / "golden" / "casetests" / "example" / "small.yaml"
