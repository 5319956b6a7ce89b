"""Event logs as Parquet (Apache Arrow), the one home of pyarrow: `pip install
'referral-pathways[analysis]'`.

The columns are those of the CSV export (`formats.CSV_COLUMNS`, then the profile attributes),
typed: `seq` an integer, `timestamp` a UTC timestamp in milliseconds, the rest strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC

from pathways.eventlog.formats import CSV_COLUMNS, plain, profile_names
from pathways.eventlog.rows import EventRow
from pathways.plotting import MissingExtra

__all__ = ["to_parquet"]


def to_parquet(rows: Iterable[EventRow]) -> bytes:
    """The rows as the bytes of a Parquet file."""
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise MissingExtra(
            "Parquet needs pyarrow: pip install 'referral-pathways[analysis]'"
        ) from None
    listed = list(rows)
    attributes = profile_names(listed)
    columns: dict[str, list[object]] = {name: [] for name in (*CSV_COLUMNS, *attributes)}
    for row in listed:
        profile = row.profile_map
        values: dict[str, object] = {
            "case": row.case,
            "seq": row.seq,
            "activity": row.activity,
            "timestamp": row.timestamp.astimezone(UTC),
            "kind": row.kind,
            "agency": row.agency,
            "stage": row.stage,
            "from_stage": row.from_stage,
            "track": row.track,
            "lifecycle": row.lifecycle,
            "shares": " ".join(row.shares),
        }
        for name in attributes:
            given = profile.get(name)
            values[name] = None if given is None else plain(given)
        for name, cell in values.items():
            columns[name].append(cell)
    types = {"seq": pa.int64(), "timestamp": pa.timestamp("ms", tz="UTC")}
    table = pa.table(
        {name: pa.array(data, type=types.get(name, pa.string())) for name, data in columns.items()}
    )
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())
