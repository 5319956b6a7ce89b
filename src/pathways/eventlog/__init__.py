"""Journeys as event logs for pandas and process-mining tools (PM4Py, ProM, Celonis).

```python
from pathways.eventlog import store_rows, write_log
from pathways.store import JourneyStore

if TYPE_CHECKING:
    from pathways.frames import DataFrame

with JourneyStore("sqlite:///journeys.db", read_only=True) as store:
    rows = list(store_rows(store, "humber/hull"))      # case references made opaque
open("hull.xes", "w").write(write_log(rows, "xes"))   # or "csv", "ocel"; "parquet" gives bytes
```

One row per event (`EventRow`), written as CSV, Parquet, XES (IEEE 1849) or OCEL 2.0 (see
`eventlog.formats`). Stored case references are replaced by pseudonyms made with a key that
lives only for one export (`Pseudonyms`), unless `keep_case_refs=True`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import TYPE_CHECKING

from pathways.conformance import stored_journeys
from pathways.eventlog.formats import CSV_COLUMNS, to_csv, to_ocel, to_parquet, to_xes
from pathways.eventlog.formats import profile_names as _profile_names
from pathways.eventlog.rows import EventRow, Pseudonyms, rows_of
from pathways.store import JourneyStore

if TYPE_CHECKING:
    from pathways.frames import DataFrame

__all__ = [
    "CSV_COLUMNS",
    "LOG_FORMATS",
    "EventRow",
    "Pseudonyms",
    "rows_of",
    "store_rows",
    "to_csv",
    "to_frame",
    "to_ocel",
    "to_parquet",
    "to_xes",
    "write_log",
]

#: The formats `write_log` writes.
LOG_FORMATS = ("csv", "parquet", "xes", "ocel")


def store_rows(
    store: JourneyStore,
    pathway_id: str,
    *,
    keep_case_refs: bool = False,
    opened: tuple[datetime, datetime] | None = None,
) -> Iterator[EventRow]:
    """The rows of every stored journey of `pathway_id`, case by case, in event order."""
    names = Pseudonyms(keep=keep_case_refs)
    for case_ref, fingerprint, events in stored_journeys(store, pathway_id, opened):
        pathway = store.compiled(fingerprint).pathway
        yield from rows_of(names(case_ref), pathway, events)


def to_frame(rows: Iterable[EventRow]) -> DataFrame:
    """The rows as a pandas DataFrame with the CSV's columns and the profile attributes."""
    from pathways.frames import frame

    listed = list(rows)
    attributes = _profile_names(listed)
    return frame(
        (
            {
                **{c: getattr(r, c) for c in CSV_COLUMNS if c != "shares"},
                "shares": " ".join(r.shares),
                **dict(r.profile),
            }
            for r in listed
        ),
        (*CSV_COLUMNS, *attributes),
    )


def write_log(rows: Iterable[EventRow], fmt: str) -> str | bytes:
    """`rows` in `fmt` (one of `LOG_FORMATS`): text, or bytes for Parquet."""
    if fmt == "csv":
        return to_csv(rows)
    if fmt == "xes":
        return to_xes(rows)
    if fmt == "ocel":
        return to_ocel(rows)
    if fmt == "parquet":
        return to_parquet(rows)
    raise ValueError(f"format must be one of {', '.join(LOG_FORMATS)}, not '{fmt}'")
