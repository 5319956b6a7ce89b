"""Parquet files (Apache Arrow), the one home of pyarrow: `pip install
'referral-pathways[analysis]'`.

Used by the event-log export (`pathways export --format parquet`) and by simulation sweeps (one
file per point). Columns are plain Python lists; `write_table` types them (integers, floats,
strings and UTC timestamps) and returns the file's bytes; `read_table` gives the columns back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from pathways.plotting import MissingExtra

__all__ = ["available", "read_table", "write_table"]


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow as pa  # type: ignore[import-untyped]  # no stubs published
        import pyarrow.parquet as pq  # type: ignore[import-untyped]
    except ImportError:
        raise MissingExtra(
            "Parquet needs pyarrow: pip install 'referral-pathways[analysis]'"
        ) from None
    return pa, pq


def available() -> bool:
    """True when pyarrow is installed."""
    try:
        _arrow()
    except MissingExtra:
        return False
    return True


def _type(pa: Any, values: Sequence[object]) -> Any:
    sample = next((v for v in values if v is not None), None)
    if isinstance(sample, bool):
        return pa.bool_()
    if isinstance(sample, int):
        return pa.int64()
    if isinstance(sample, float):
        return pa.float64()
    if isinstance(sample, datetime):
        return pa.timestamp("ms", tz="UTC")
    return pa.string()


def write_table(
    columns: Mapping[str, Sequence[object]], metadata: Mapping[str, str] | None = None
) -> bytes:
    """The columns (equal lengths) as the bytes of a Parquet file, with optional metadata."""
    pa, pq = _arrow()
    table = pa.table({name: pa.array(list(v), type=_type(pa, v)) for name, v in columns.items()})
    if metadata:
        table = table.replace_schema_metadata(dict(metadata))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return bytes(sink.getvalue().to_pybytes())


def read_table(path: str | Path) -> tuple[dict[str, list[object]], dict[str, str]]:
    """A Parquet file's columns as lists, and its metadata as text."""
    _, pq = _arrow()
    table = pq.read_table(str(path))
    raw = table.schema.metadata or {}
    metadata = {k.decode(): v.decode() for k, v in raw.items() if not k.startswith(b"ARROW")}
    return {name: table.column(name).to_pylist() for name in table.column_names}, metadata
