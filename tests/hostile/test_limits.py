"""The hostile corpus: files built to cost as much as they can, each refused with its code
within a time and memory bound.

Each case runs in a child process capped with `resource.setrlimit(RLIMIT_AS)` and a timeout
(`helpers.run_bounded`), so a file that breaks a limit fails its test instead of taking the
test process down. Small files are kept in `corpus/`; large ones are written by the test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from hostile.builders import chain_pathway
from hostile.helpers import run_bounded
from pathways.definition.loader import load_text
from pathways.diagram import DiagramTooLarge, render

CORPUS = Path(__file__).parent / "corpus"

#: the child process's address space: Python, pathways and its imports take about 600 MiB of it
MEMORY_MIB = 1536


def _many_keys() -> str:
    """400,000 keys without values, under 4 MB: 1,000,000 of them took 56 s and 2 GB before
    keys were counted (the values alone are under the limit)."""
    return "handoffs: {" + ",".join(f"{i:x}" for i in range(400_000)) + "}\n"


def _just_too_big() -> str:
    """A file one byte over the size limit, made of comments."""
    line = "# " + "x" * 97 + "\n"
    return line * (4 * 1024 * 1024 // len(line)) + "#" * 100 + "\n"


def _wide_picture() -> str:
    """About 16 KB: 120 stages in a chain, each in its own agency's lane. Drawn as a PNG it
    asked for gigabytes (the picture grows with columns x lanes)."""
    return json.dumps(chain_pathway(agencies=120, flags=1, stages=120))


def _costly_check() -> str:
    """19 KB: 65,536 profiles through 80 stages of 80 agencies; check took 118 s."""
    return json.dumps(chain_pathway(agencies=80, flags=16, stages=80))


def _corpus(name: str) -> Callable[[], str]:
    return lambda: (CORPUS / name).read_text(encoding="utf-8")


# name, the file, the code it is refused with ("loaded" if it is a valid pathway), seconds
CASES: list[tuple[str, Callable[[], str], str, float]] = [
    ("many-keys", _many_keys, "too-large", 20),
    ("just-too-big", _just_too_big, "file-too-large", 10),
    ("alias-bomb", _corpus("alias-bomb.yaml"), "too-many-aliases", 10),
    ("deep-nesting", _corpus("deep-nesting.yaml"), "too-deep", 10),
    ("costly-check", _costly_check, "too-much-work", 15),
    ("wide-picture", _wide_picture, "loaded", 60),
    ("crash-empty-values", _corpus("crash-empty-values.yaml"), "attribute-values", 15),
    ("crash-repeats-assertion", _corpus("crash-repeats-assertion.yaml"), "loaded", 20),
]


@pytest.mark.parametrize(("name", "make", "code", "seconds"), CASES, ids=[c[0] for c in CASES])
def test_a_hostile_file_is_refused_within_its_bounds(
    tmp_path: Path, name: str, make: Callable[[], str], code: str, seconds: float
) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(make(), encoding="utf-8")
    outcome = run_bounded(path, memory_mib=MEMORY_MIB, seconds=seconds, picture=True)
    assert outcome.returncode == 0, outcome.stderr
    assert outcome.code == code


def test_a_picture_over_the_pixel_budget_is_refused_before_it_is_drawn() -> None:
    pytest.importorskip("matplotlib")
    pathway = load_text(_wide_picture())
    for fmt, look in (("png", "board"), ("svg", "classic"), ("png", "classic")):
        with pytest.raises(DiagramTooLarge) as caught:
            render(pathway, fmt, look=look)
        assert "--format mermaid" in str(caught.value)
        assert "--profile" in str(caught.value)
    assert isinstance(render(pathway, "mermaid"), str)
    # The board layout's SVG is text that grows with the pathway, not a grid of pixels: drawn,
    # with the lane-order search (the only part that grows faster) switched off for 120 lanes.
    assert isinstance(render(pathway, "svg"), bytes)
