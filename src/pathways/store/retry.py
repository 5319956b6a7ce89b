"""`retry`: run a unit of work again when another writer changed the journey first.

```python
from pathways.store import retry

def refer() -> Applied:
    draft = store.draft("HU-2025-0142", key="request-7f3a")
    draft.journey.handoff("start-assessment", by="hull-city-council", at=now)
    return store.save(draft, key="request-7f3a")

applied = retry(refer, attempts=5)
```

Each attempt must reload what it reads (as `refer` does): a retry repeats the whole unit. A
draft taken with the key the save uses makes a unit sent again (after a lost answer) replay
its first result (`JourneyStore.draft`).
Between attempts it waits a short, growing, jittered time so that writers racing for the same
journey spread out. Only `ConcurrentUpdate` is retried; after the last attempt it is raised.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from pathways.errors import ConcurrentUpdate, InvalidRequest

__all__ = ["retry"]

T = TypeVar("T")


def retry(
    work: Callable[[], T],
    *,
    attempts: int = 5,
    delay: float = 0.005,
    rng: random.Random | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Call `work` until it returns, retrying `ConcurrentUpdate` up to `attempts` times in all.

    The wait before attempt n+1 is `delay * 2**(n-1)` times a random factor in [0.5, 1.5)
    from `rng` (pass a seeded `random.Random` for repeatable waits).
    """
    if attempts < 1:
        raise InvalidRequest(f"attempts must be at least 1, not {attempts}", operation="retry")
    chance = rng if rng is not None else random.Random()
    for attempt in range(1, attempts + 1):
        try:
            return work()
        except ConcurrentUpdate:
            if attempt == attempts:
                raise
            sleep(delay * 2 ** (attempt - 1) * (0.5 + chance.random()))
    raise AssertionError("unreachable")  # pragma: no cover
