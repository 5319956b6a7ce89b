"""Write `release_0002_outbox.json`: every row of a journey store written by the release
whose newest schema is revision 0002 (the code at `main` after issue 15, before issue 16), for
`test_migration_0003_outbox.py`.

Run it with that release's sources first on the path, from the repository root:

    git archive <release> src tests | tar -x -C /tmp/release
    PYTHONPATH=/tmp/release/src:/tmp/release/tests \
        python tests/store/data/make_release_0002_outbox.py

The journeys cover what that release could record: handoffs (one starting a track), a profile
change, a timeout made by `tick`, a closed journey, staff references, a void (a lifecycle
event with its `extra` keys), and changes made with idempotency keys.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from pathways.store import JourneyStore
from store.helpers import ADULT, CHILD, MONDAY, compiled_v1

OUT = Path(__file__).with_name("release_0002_outbox.json")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"time": value.isoformat()}
    return value


def main() -> None:
    hour = timedelta(hours=1)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/release.sqlite3"
        with JourneyStore(url, pathways=[compiled_v1()]) as store:
            store.create("REL-1", CHILD, at=MONDAY, by="council", staff="sw-1")
            store.handoff("REL-1", "refer-to-nrm", by="council", at=MONDAY, shares=["account"])
            store.tick("REL-1", MONDAY + timedelta(days=30))
            store.handoff("REL-1", "support", by="charity", at=MONDAY + timedelta(days=31))
            store.create("REL-2", ADULT, at=MONDAY, by="council", key="rel-2-create")
            store.update_profile("REL-2", "consent", "given", by="council", at=MONDAY)
            store.handoff("REL-2", "assess", by="council", at=MONDAY + hour, staff="sw-2")
            store.create("REL-3", ADULT, at=MONDAY, by="council")
            store.handoff("REL-3", "assess", by="council", at=MONDAY + hour, key="rel-3-a")
            store.handoff("REL-3", "reconsider", by="council", at=MONDAY + 2 * hour)
            store.void("REL-3", 2, reason="recorded-in-error", by="council", at=MONDAY + 3 * hour)
            tables: dict[str, list[dict[str, Any]]] = {}
            with store.engine.connect() as conn:
                for table in store.tables.all:
                    short = table.name.removeprefix(store.tables.prefix)
                    rows = conn.execute(select(table)).mappings().all()
                    tables[short] = [{k: _plain(v) for k, v in row.items()} for row in rows]
    OUT.write_text(json.dumps(tables, indent=1, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
