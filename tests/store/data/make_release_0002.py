"""Write `release_0002.json`: every row of a journey store written by the release whose newest
schema is revision 0002 (the code at `main` before issue 16), for `test_migration_0003.py`.

Run it with that release's sources first on the path, from the repository root:

    git archive <release> src tests | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release/src:/tmp/release/tests python tests/store/data/make_release_0002.py

The journeys cover what revision 0003 fills in for positions: a referral awaiting acceptance, a
paused clock, a clock resumed (its limit moved by the days paused), a second track, a journey
closed early at a stage that is not an outcome, and an overdue one.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pathways.definition.loader import load_text
from pathways.runtime.compiler import compile_pathway
from pathways.store import JourneyStore
from runtime.lifecycle_pathway import AREA_A, GIVEN
from store.helpers import CHILD, MONDAY, compiled_v1

OUT = Path(__file__).with_name("release_0002.json")
DAY = timedelta(days=1)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"time": value.isoformat()}
    return value


def main() -> None:
    area = compile_pathway(load_text(AREA_A))
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/release.sqlite3"
        with JourneyStore(url, pathways=[compiled_v1(), area]) as store:
            store.create("R2-1", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
            store.handoff("R2-1", "refer", by="council", at=MONDAY)  # awaits acceptance
            store.create("R2-2", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
            store.handoff("R2-2", "refer", by="council", at=MONDAY)
            store.accept("R2-2", "refer", by="home-office", at=MONDAY + DAY)
            store.pause("R2-2", reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
            store.create("R2-3", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
            store.handoff("R2-3", "refer", by="council", at=MONDAY)
            store.accept("R2-3", "refer", by="home-office", at=MONDAY)
            store.pause("R2-3", reason="victim-uncontactable", by="home-office", at=MONDAY)
            store.resume("R2-3", by="home-office", at=MONDAY + 7 * DAY)
            store.create("R2-4", GIVEN, at=MONDAY, by="council", pathway="test/area-a")
            store.handoff("R2-4", "refer", by="council", at=MONDAY)
            store.close_early("R2-4", reason="duplicate-journey", by="home-office", at=MONDAY + DAY)
            store.create("R2-5", CHILD, at=MONDAY, by="council", pathway="test/store")
            store.handoff("R2-5", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
            tables: dict[str, list[dict[str, Any]]] = {}
            with store.engine.connect() as conn:
                for table in store.tables.all:
                    short = table.name.removeprefix(store.tables.prefix)
                    rows = conn.execute(select(table)).mappings().all()
                    tables[short] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    OUT.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
