"""pandas' one home: results as DataFrames for analysts (`pip install
'referral-pathways[analysis]'`).

Every result that is a table has a `to_frame()` that comes here: check findings and metrics,
simulation results, period tables and comparisons, conformance and event logs. Each row is a
plain mapping; `frame` keeps the column order given and returns a `pandas.DataFrame`. pandas is
imported only when a frame is made, so nothing else needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from pathways.plotting import MissingExtra

if TYPE_CHECKING:  # pandas publishes no type information of its own
    from pandas import DataFrame as DataFrame  # type: ignore[import-untyped, unused-ignore]

__all__ = ["available", "frame"]


def _pandas() -> Any:
    try:
        import pandas  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise MissingExtra(
            "DataFrames need pandas: pip install 'referral-pathways[analysis]'"
        ) from None
    return pandas


def available() -> bool:
    """True when pandas is installed."""
    try:
        _pandas()
    except MissingExtra:
        return False
    return True


def frame(rows: Iterable[Mapping[str, object]], columns: Sequence[str]) -> DataFrame:
    """A DataFrame of `rows` with exactly `columns`, in that order (missing values are NaN)."""
    made: DataFrame = _pandas().DataFrame.from_records(list(rows), columns=list(columns))
    return made
