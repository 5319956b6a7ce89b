"""Write `release_0002.json`: every row of a journey store written by the release whose newest
schema is revision 0002 (the code at `main` before issue 16), for `test_migration_0003.py`.

Run it with that release's sources first on the path, from the repository root:

    git archive <release> src tests | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release/src:/tmp/release/tests python tests/store/data/make_release_0002.py

The journeys cover what that release could record: staff references, a handoff that starts a
track, a profile change, a timeout made by `tick`, a closed journey and a roll-out to version 2.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pathways.store import JourneyStore, rollout
from store.helpers import ADULT, CHILD, MONDAY, compiled_v1, compiled_v2

OUT = Path(__file__).with_name("release_0002.json")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"time": value.isoformat()}
    return value


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/release.sqlite3"
        with JourneyStore(url, pathways=[compiled_v1()]) as store:
            store.create("R2-1", CHILD, at=MONDAY, by="council", staff="sw-1")
            store.handoff(
                "R2-1", "refer-to-nrm", by="council", at=MONDAY, shares=["account"], staff="sw-1"
            )
            store.tick("R2-1", MONDAY + timedelta(days=30))
            store.handoff("R2-1", "support", by="charity", at=MONDAY + timedelta(days=31))
            store.create("R2-2", ADULT, at=MONDAY, by="council", staff="sw-2")
            store.update_profile("R2-2", "consent", "given", by="council", at=MONDAY)
            store.handoff("R2-2", "assess", by="council", at=MONDAY + timedelta(hours=1))
            store.create("R2-3", ADULT, at=MONDAY, by="constabulary", staff="p-1")
            store.handoff("R2-3", "assess", by="constabulary", at=MONDAY + timedelta(hours=2))
            rollout(store, compiled_v2(), {"assessment": "triage"}, at=MONDAY + timedelta(days=1),
                    case_refs=["R2-3"])  # fmt: skip
            tables: dict[str, list[dict[str, Any]]] = {}
            with store.engine.connect() as conn:
                for table in store.tables.all:
                    short = table.name.removeprefix(store.tables.prefix)
                    rows = conn.execute(select(table)).mappings().all()
                    tables[short] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    OUT.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
