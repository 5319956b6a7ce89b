"""matplotlib's one home: the only module that imports it, and only when a picture is made.

matplotlib is an optional extra (`pip install 'referral-pathways[diagrams]'`): diagrams drawn
as SVG or PNG (`pathways.diagram.draw`) and simulation charts (`pathways.simulation.charts`)
need it, nothing else does. It is imported only when a picture is made, so everything else
works without it;
when it is missing, `MissingExtra` says how to install it. Figures are made without pyplot, so
no backend is chosen, no display is needed and no global state is kept: saving a figure uses
matplotlib's own renderer for the format (Agg for PNG).

For type hints, `Axes`, `Figure` and `Patch` can be imported from here under `TYPE_CHECKING`.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes as Axes
    from matplotlib.figure import Figure as Figure
    from matplotlib.patches import Patch as Patch

__all__ = ["MissingExtra", "available", "figure", "patches", "save", "settings"]


#: What a picture is for, in the message when matplotlib is missing ("drawing SVG needs ...").
_PICTURE = "drawing a picture"


class MissingExtra(ImportError):
    """An optional extra is not installed: matplotlib for a picture, pyarrow for Parquet."""


def available() -> bool:
    """True when matplotlib is installed."""
    return importlib.util.find_spec("matplotlib") is not None


def _module(name: str, purpose: str) -> ModuleType:
    """matplotlib's module `name`; `MissingExtra` if matplotlib is not installed."""
    try:
        importlib.import_module("matplotlib")
    except ImportError as exc:
        raise MissingExtra(
            f"{purpose} needs matplotlib: pip install 'referral-pathways[diagrams]'"
        ) from exc
    return importlib.import_module(name)


def patches(purpose: str = _PICTURE) -> ModuleType:
    """The `matplotlib.patches` module (boxes, arrows, legend entries)."""
    return _module("matplotlib.patches", purpose)


def figure(
    width: float, height: float, dpi: float | None = None, purpose: str = _PICTURE
) -> Figure:
    """A new figure `width` by `height` inches."""
    made: Figure = _module("matplotlib.figure", purpose).Figure(figsize=(width, height), dpi=dpi)
    return made


@contextmanager
def settings(rc: Mapping[Any, Any], purpose: str = _PICTURE) -> Iterator[None]:
    """matplotlib's settings `rc` in force within the block (fonts, SVG ids and so on)."""
    with _module("matplotlib", purpose).rc_context(dict(rc)):
        yield


def save(
    made: Figure,
    target: Path | IO[bytes],
    fmt: str,
    metadata: Mapping[str, str | None],
    dpi: float | None = None,
) -> None:
    """Write `made` as "png" or "svg" to a path or binary file, with `metadata` (None: left out)."""
    if dpi is None:
        made.savefig(target, format=fmt, metadata=dict(metadata))
    else:
        made.savefig(target, format=fmt, dpi=dpi, metadata=dict(metadata))
