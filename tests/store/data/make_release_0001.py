"""Write `release_0001.json`: every row of a journey store written by the release whose newest
schema is revision 0001 (the code at `main` before issue 15), for `test_migration_0002.py`.

Run it with that release's sources first on the path, from the repository root:

    git archive <release> src tests | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release/src:/tmp/release/tests python tests/store/data/make_release_0001.py

The journeys cover what that release could record: a handoff that starts a track, a profile
change, a timeout made by `tick`, a closed journey, and one on the clocks-go-back hour.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pathways.store import JourneyStore
from store.helpers import ADULT, CHILD, LONDON, MONDAY, compiled_v1

OUT = Path(__file__).with_name("release_0001.json")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"time": value.isoformat()}
    return value


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/release.sqlite3"
        with JourneyStore(url, pathways=[compiled_v1()]) as store:
            store.create("REL-1", CHILD, at=MONDAY, by="council")
            store.handoff("REL-1", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
            store.tick("REL-1", MONDAY + timedelta(days=30))
            store.handoff("REL-1", "support", by="charity", at=MONDAY + timedelta(days=31))
            store.create("REL-2", ADULT, at=MONDAY, by="council")
            store.update_profile("REL-2", "consent", "given", by="council", at=MONDAY)
            store.handoff("REL-2", "assess", by="council", at=MONDAY + timedelta(hours=1))
            back = datetime(2025, 10, 26, 1, 30, tzinfo=LONDON)
            store.create("REL-3", ADULT, at=back, by="council")
            store.handoff("REL-3", "assess", by="council", at=back.replace(fold=1))
            tables: dict[str, list[dict[str, Any]]] = {}
            with store.engine.connect() as conn:
                for table in store.tables.all:
                    short = table.name.removeprefix(store.tables.prefix)
                    rows = conn.execute(select(table)).mappings().all()
                    tables[short] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    OUT.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
