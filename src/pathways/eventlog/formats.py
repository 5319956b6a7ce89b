"""Event logs written as CSV, XES (IEEE 1849-2016) and OCEL 2.0 (JSON), from `EventRow`s.

- **CSV**: one row per event, `CSV_COLUMNS` then one column per profile attribute (a case
  attribute, the same on every row of the case). Pandas: `pandas.read_csv(file,
  parse_dates=["timestamp"])`; PM4Py: `pm4py.format_dataframe(df, case_id="case",
  activity_key="activity", timestamp_key="timestamp")`.
- **XES**: one trace per journey (`concept:name` the case, the profile as trace attributes),
  one event per row with `concept:name`, `time:timestamp`, `lifecycle:transition`,
  `org:resource` (the agency) and the stage, track and kind as strings.
- **OCEL 2.0**: object-centric. Objects are the journeys (with the profile), the agencies and
  the referrals (each handoff, with the stages it joins); each event is related to its journey,
  to the agency that made it (`made by`) and, for a handoff, to its referral.

- **Parquet**: the CSV's columns, typed (`seq` an integer, `timestamp` a UTC timestamp); it
  needs pyarrow (`pathways.parquet`).

Every writer takes the rows in order, case by case; each returns text but Parquet (bytes).
"""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from pathways.eventlog.rows import EventRow
from pathways.parquet import write_table

__all__ = ["CSV_COLUMNS", "plain", "profile_names", "to_csv", "to_ocel", "to_parquet", "to_xes"]

#: The event columns of the CSV export, before the profile attributes.
CSV_COLUMNS = (
    "case",
    "seq",
    "activity",
    "timestamp",
    "kind",
    "agency",
    "stage",
    "from_stage",
    "track",
    "lifecycle",
    "shares",
)


def _time(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="milliseconds")


def profile_names(rows: Sequence[EventRow]) -> list[str]:
    """Every profile attribute the rows carry, in the order first seen."""
    names: dict[str, None] = {}
    for row in rows:
        for name, _ in row.profile:
            names.setdefault(name, None)
    return list(names)


def _cell(value: object) -> str:
    text = (
        value
        if isinstance(value, str)
        else str(value).lower()
        if isinstance(value, bool)
        else str(value)
    )
    # a spreadsheet must never read a cell as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: Iterable[EventRow]) -> str:
    """The rows as CSV (see the module docstring)."""
    listed = list(rows)
    attributes = profile_names(listed)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *attributes])
    for row in listed:
        profile = row.profile_map
        writer.writerow(
            [
                _cell(row.case),
                row.seq,
                _cell(row.activity),
                _time(row.timestamp),
                row.kind,
                _cell(row.agency),
                _cell(row.stage),
                _cell(row.from_stage),
                _cell(row.track),
                row.lifecycle,
                _cell(" ".join(row.shares)),
                *(_cell(profile[name]) if name in profile else "" for name in attributes),
            ]
        )
    return out.getvalue()


_XES = "http://www.xes-standard.org/"
_EXTENSIONS = (
    ("Concept", "concept"),
    ("Time", "time"),
    ("Lifecycle", "lifecycle"),
    ("Organizational", "org"),
)


def _attribute(parent: ET.Element, key: str, value: object) -> None:
    if isinstance(value, bool):
        ET.SubElement(parent, "boolean", key=key, value="true" if value else "false")
    elif isinstance(value, datetime):
        ET.SubElement(parent, "date", key=key, value=_time(value))
    elif isinstance(value, int):
        ET.SubElement(parent, "int", key=key, value=str(value))
    else:
        ET.SubElement(parent, "string", key=key, value=str(value))


def to_xes(rows: Iterable[EventRow], name: str = "pathways") -> str:
    """The rows as an XES log, one trace per case (see the module docstring)."""
    log = ET.Element("log", {"xes.version": "1849-2016", "xes.features": "", "xmlns": _XES})
    for title, prefix in _EXTENSIONS:
        ET.SubElement(log, "extension", name=title, prefix=prefix, uri=f"{_XES}{prefix}.xesext")
    ET.SubElement(log, "classifier", name="Activity", keys="concept:name")
    _attribute(log, "concept:name", name)
    trace: ET.Element | None = None
    current = None
    for row in rows:
        if row.case != current:
            current = row.case
            trace = ET.SubElement(log, "trace")
            _attribute(trace, "concept:name", row.case)
            for key, value in row.profile:
                _attribute(trace, key, value)
        assert trace is not None
        event = ET.SubElement(trace, "event")
        _attribute(event, "concept:name", row.activity)
        _attribute(event, "time:timestamp", row.timestamp)
        _attribute(event, "lifecycle:transition", row.lifecycle)
        if row.agency:
            _attribute(event, "org:resource", row.agency)
        for key in ("kind", "stage", "from_stage", "track"):
            _attribute(event, key, getattr(row, key))
        _attribute(event, "seq", row.seq)
    ET.indent(log)
    return ET.tostring(log, encoding="unicode", xml_declaration=True) + "\n"


def to_ocel(rows: Iterable[EventRow]) -> str:
    """The rows as an OCEL 2.0 JSON log: journeys, agencies and referrals as objects."""
    listed = list(rows)
    attributes = profile_names(listed)
    journeys: dict[str, dict[str, Any]] = {}
    agencies: dict[str, dict[str, Any]] = {}
    referrals: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    for number, row in enumerate(listed):
        if row.case not in journeys:
            start = _time(row.timestamp)
            journeys[row.case] = {
                "id": row.case,
                "type": "journey",
                "attributes": [
                    {"name": k, "time": start, "value": plain(v)} for k, v in row.profile
                ],
                "relationships": [],
            }
        related = [{"objectId": row.case, "qualifier": "journey"}]
        if row.agency:
            agencies.setdefault(
                row.agency, {"id": f"agency:{row.agency}", "type": "agency", "attributes": []}
            )
            related.append({"objectId": f"agency:{row.agency}", "qualifier": "made by"})
        if row.kind in ("handoff", "timeout"):
            referral = f"referral:{row.case}:{row.seq}"
            referrals.append(
                {
                    "id": referral,
                    "type": "referral",
                    "attributes": [
                        {"name": "handoff", "time": _time(row.timestamp), "value": row.activity},
                        {
                            "name": "from_stage",
                            "time": _time(row.timestamp),
                            "value": row.from_stage,
                        },
                        {"name": "to_stage", "time": _time(row.timestamp), "value": row.stage},
                    ],
                    "relationships": [{"objectId": row.case, "qualifier": "of journey"}],
                }
            )
            related.append({"objectId": referral, "qualifier": "referral"})
        events.append(
            {
                "id": f"e{number}",
                "type": row.activity,
                "time": _time(row.timestamp),
                "attributes": [
                    {"name": "stage", "value": row.stage},
                    {"name": "track", "value": row.track},
                    {"name": "kind", "value": row.kind},
                ],
                "relationships": related,
            }
        )
    string = "string"
    document = {
        "objectTypes": [
            {"name": "journey", "attributes": [{"name": a, "type": string} for a in attributes]},
            {"name": "agency", "attributes": []},
            {
                "name": "referral",
                "attributes": [
                    {"name": n, "type": string} for n in ("handoff", "from_stage", "to_stage")
                ],
            },
        ],
        "eventTypes": [
            {
                "name": activity,
                "attributes": [{"name": n, "type": string} for n in ("stage", "track", "kind")],
            }
            for activity in sorted({e["type"] for e in events})
        ],
        "objects": [*journeys.values(), *agencies.values(), *referrals],
        "events": events,
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"


def plain(value: object) -> str:
    """A value as text: booleans as `true`/`false`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def to_parquet(rows: Iterable[EventRow]) -> bytes:
    """The rows as a Parquet file: the CSV's columns, typed (see the module docstring)."""
    listed = list(rows)
    attributes = profile_names(listed)
    columns: dict[str, list[object]] = {name: [] for name in (*CSV_COLUMNS, *attributes)}
    for row in listed:
        profile = row.profile_map
        values: list[object] = [
            row.case,
            row.seq,
            row.activity,
            row.timestamp.astimezone(UTC),
            row.kind,
            row.agency,
            row.stage,
            row.from_stage,
            row.track,
            row.lifecycle,
            " ".join(row.shares),
            *(plain(profile[name]) if name in profile else None for name in attributes),
        ]
        for name, value in zip(columns, values, strict=True):
            columns[name].append(value)
    return write_table(columns)
