"""What the last changes left behind, remembered so the next change of a journey need not read it.

SQLite's path for a change (`pathways.store.sqlite`) keeps, for the last few thousand journeys
it changed, the journey row and positions each change left (`left_behind`) and, when the store
made the change itself, the journey. The next change of the same journey starts from that
instead of reading the row; the write itself checks that nothing changed since (see
`pathways.store.sqlite`), so a remembered row can cost a second try, never a wrong write.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from pathways.runtime.journey import Journey
from pathways.store.changes import ChangePlan, Place, Row, Stored

__all__ = ["Recent", "left_behind"]


class Recent:
    """What the last changes left, journey by journey (at most `size`, the oldest forgotten).

    Shared by the threads of one store; a remembered row is only ever a starting point that
    the write itself checks (see the module docstring).
    """

    def __init__(self, size: int = 4096) -> None:
        self.size = size
        self._rows: OrderedDict[str, Stored] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, case_ref: str) -> Stored | None:
        return self._rows.get(case_ref)

    def keep(self, stored: Stored) -> None:
        with self._lock:
            rows = self._rows
            rows[stored.row.case_ref] = stored
            rows.move_to_end(stored.row.case_ref)
            while len(rows) > self.size:
                rows.popitem(last=False)

    def forget(self, case_ref: str) -> None:
        with self._lock:
            self._rows.pop(case_ref, None)

    def clear(self) -> None:
        with self._lock:
            self._rows.clear()


def left_behind(
    stored: Stored, planned: ChangePlan, revision: int, journey: Journey | None
) -> Stored:
    """The journey row and positions that writing `planned` over `stored` leaves, with the
    `journey` that left them if it is the store's own (None: bind the row next time)."""
    row, state = stored.row, planned.state
    places = {p.track: p for p in stored.places}
    for place in (*planned.added, *planned.moved):
        places[place["track"]] = Place(**{k: v for k, v in place.items() if k != "case_ref"})
    new = Row(row.case_ref, state["fingerprint"], state["profile"], state["event_count"], revision,
              planned.head, state["last_event_at"], state["closed_at"],
              state["lifecycle"])  # fmt: skip
    return Stored(new, tuple(places.values()), journey)
