"""Anchors: the head of every journey's chain, signed, to keep somewhere else.

A keyed chain (`pathways.store.audit`) shows any edit of a journey's record made without the
audit key. What it cannot show on its own is a journey deleted whole, or cut back to an
earlier link (its last events deleted and its row set back): what is left still verifies. An
*anchor* closes that gap. It lists, for every journey, its event count and the link of its
last entry, with the number of journeys and the database's time, and is signed (HMAC-SHA256)
with the store's current audit key:

```python
write_anchor(store, "anchor-2026-12-03.json")           # nightly, then copied elsewhere
for finding in check_anchor(store, read_anchor("anchor-2026-12-03.json", keys)):
    print(finding)      # a journey deleted, cut back or rewritten since the anchor
```

`check_anchor` reports every anchored journey that is no longer stored, whose chain no longer
passes through its anchored link (cut back: events removed; or rewritten, by someone holding
the key), naming the journey and the event. Journeys and events added since are fine. An
anchor protects only while it is kept where whoever might rewrite the database cannot replace
it (another system, write-once storage, a printed digest); with the key, an anchor can be
forged. `pathways db anchor URL -o FILE` writes one; `pathways db verify URL --anchor FILE`
checks against it.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from pathways.errors import AuditFailure, AuditKeyError
from pathways.runtime.events import utc_text
from pathways.store import audit
from pathways.store.failures import guarded
from pathways.store.keys import AuditKeys
from pathways.store.rebuild import Finding
from pathways.store.recording import database_time

if TYPE_CHECKING:
    from pathways.store.journey_store import JourneyStore

__all__ = ["FORMAT", "Anchor", "check_anchor", "make_anchor", "read_anchor", "write_anchor"]

#: The anchor file's format name.
FORMAT = "pathways-anchor/1"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A checked anchor: when it was made, by which key, and each journey's events and head."""

    made_at: str
    prefix: str
    key: str
    heads: dict[str, tuple[int, str]]


def _signed(body: dict[str, Any], secret: bytes) -> str:
    return hmac.new(secret, audit.canonical(body), "sha256").hexdigest()


@guarded("anchor")
def make_anchor(store: JourneyStore) -> dict[str, Any]:
    """The anchor of every stored journey now, signed with the store's current audit key."""
    signer = store.signer
    if signer.current is None or signer.secret is None:
        raise AuditKeyError(
            "an anchor is signed with the audit key, and this store was given none; give it "
            "the key file (--audit-key-file, PATHWAYS_AUDIT_KEY_FILE)"
        )
    j = store.tables.journeys
    query = select(j.c.case_ref, j.c.event_count, j.c.head_hash).order_by(j.c.case_ref)
    with store.reading() as conn:
        made_at = database_time(conn)
        heads = [[r.case_ref, r.event_count, r.head_hash] for r in conn.execute(query)]
    body: dict[str, Any] = {
        "format": FORMAT,
        "prefix": store.tables.prefix,
        "made_at": utc_text(made_at),
        "key": signer.current,
        "journey_count": len(heads),
        "journeys": heads,
    }
    return {**body, "mac": _signed(body, signer.secret)}


def write_anchor(store: JourneyStore, path: str | Path) -> int:
    """Write `make_anchor` to `path` (JSON); how many journeys it anchors."""
    anchor = make_anchor(store)
    Path(path).write_text(json.dumps(anchor, separators=(",", ":")) + "\n", encoding="utf-8")
    return int(anchor["journey_count"])


def read_anchor(path: str | Path, keys: AuditKeys | None) -> Anchor:
    """The anchor in `path`, its signature checked with `keys` (`AuditKeyError` if it fails)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AuditKeyError(f"cannot read the anchor {path}: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise AuditKeyError(f"{path} is not a pathways anchor (format {FORMAT})")
    if keys is None:
        raise AuditKeyError(f"{path}: an anchor is checked with the audit key; give the key file")
    body = {k: v for k, v in data.items() if k != "mac"}
    secret = keys.secret(str(body.get("key")))
    assert secret is not None
    if not hmac.compare_digest(str(data.get("mac", "")), _signed(body, secret)):
        raise AuditKeyError(
            f"{path}: the anchor's signature does not match: it was changed after it was made, "
            f"or made with another key than {body.get('key')}"
        )
    heads = {str(ref): (int(count), str(head)) for ref, count, head in body["journeys"]}
    if len(heads) != body["journey_count"]:
        raise AuditKeyError(f"{path}: the anchor lists {len(heads)} journeys, not its count")
    return Anchor(str(body["made_at"]), str(body["prefix"]), str(body["key"]), heads)


@guarded("check the anchor")
def check_anchor(
    store: JourneyStore, anchor: Anchor, *, progress: Callable[[int], None] | None = None
) -> Iterator[Finding]:
    """Every anchored journey deleted, cut back or rewritten since `anchor`, by case reference.

    A journey whose chain does not verify is left to `scan`, which reports it.
    """
    when = f"the anchor of {anchor.made_at}"
    for number, (case_ref, (count, head)) in enumerate(sorted(anchor.heads.items()), 1):
        with store.reading() as conn:
            row = store.row(conn, case_ref, missing_ok=True)
            entries = [] if row is None else store.entries(conn, case_ref)
        if row is None:
            yield Finding(case_ref, None, f"deleted since {when} (it then held {count} events)")
        else:
            seen: set[str] = set()
            try:
                store.verified(case_ref, row, entries, seen)
            except (AuditFailure, AuditKeyError):
                seen = {head}  # reported by the chain's own check
            if head not in seen:
                yield _moved(case_ref, row.event_count, count, when)
        if progress is not None and number % 1000 == 0:
            progress(number)


def _moved(case_ref: str, now: int, count: int, when: str) -> Finding:
    if now < count:
        return Finding(
            case_ref, now, f"cut back since {when}: events {now} to {count - 1} were removed"
        )
    return Finding(
        case_ref,
        count - 1,
        f"rewritten since {when}: its record up to event {count - 1} is not the one anchored",
    )
