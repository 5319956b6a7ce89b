"""The files shipped with pathways, by kind: the one place tests look for them.

Pathways and their case tests (`*.tests.yaml`) live under `pathways/`, simulation scenarios
under `scenarios/`; if those folders move, only this module changes.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["ROOT", "bundled"]

ROOT = Path(__file__).resolve().parents[1]
_FOLDERS = {
    "pathway": ROOT / "pathways",
    "tests": ROOT / "pathways",
    "scenario": ROOT / "scenarios",
}


def _kind(path: Path) -> str:
    if path.name.endswith(".tests.yaml"):
        return "tests"
    return "scenario" if _FOLDERS["scenario"] in path.parents else "pathway"


def bundled(kind: str) -> list[Path]:
    """Every shipped file of one kind: `pathway`, `scenario` or `tests` (case tests)."""
    found = sorted(p for p in _FOLDERS[kind].rglob("*.yaml") if _kind(p) == kind)
    assert found, f"no bundled {kind} files under {_FOLDERS[kind]}"
    return found
