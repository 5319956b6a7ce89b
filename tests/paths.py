"""Where the repository's own files are, for tests that read them (one definition, not one a file),
and the tutorial's example pathway.

Imported by name (`from paths import ROOT`): pytest puts `tests/` on the path (`pythonpath` in
pyproject.toml).
"""

from __future__ import annotations

import re
from pathlib import Path

__all__ = ["HULL", "PATHWAYS", "ROOT", "SMALL", "TUTORIAL", "tutorial_example"]

#: The repository's root folder.
ROOT = Path(__file__).resolve().parent.parent
#: The bundled pathways, as `pathways check pathways/` reads them.
PATHWAYS = ROOT / "pathways"
#: The Hull pathway, the bundled example most tests and guides use.
HULL = PATHWAYS / "humber" / "hull.yaml"
#: The small golden pathway the case-test tests run against.
SMALL = ROOT / "tests" / "golden" / "casetests" / "example" / "small.yaml"
#: The forum leads' tutorial, whose largest YAML block is a complete small pathway.
TUTORIAL = ROOT / "docs" / "writing-a-pathway.md"


def tutorial_example() -> str:
    """The largest ```yaml block of the tutorial: its complete small pathway."""
    blocks = re.findall(r"```yaml\n(.*?)```", TUTORIAL.read_text(encoding="utf-8"), re.DOTALL)
    return max(blocks, key=len)
