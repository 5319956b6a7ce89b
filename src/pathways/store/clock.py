"""The store's guard against times from the future: a change dated more than a configured skew
after the store's clock is refused before anything is written.

The runtime never reads a clock (time is always passed in), so it can only refuse absurd years.
A journey store runs beside a real clock, so it can do better: a case system that sends
`at=2205-03-04` or a time a day ahead (a wrong time zone, a mistyped day) is refused with
`InvalidTime` and a hint, instead of writing an event that every later event must come after.

```python
>>> from datetime import UTC, datetime, timedelta
>>> from pathways.errors import InvalidTime
>>> check = ClockCheck(lambda: datetime(2025, 3, 4, 9, 0, tzinfo=UTC), timedelta(minutes=5))
>>> check.check(datetime(2025, 3, 4, 9, 4, tzinfo=UTC), "HU-1", "handoff")
>>> try:
...     check.check(datetime(2025, 3, 4, 9, 6, tzinfo=UTC), "HU-1", "handoff")
... except InvalidTime as exc:
...     print(str(exc).splitlines()[1][:41])
  hint: check the date and the time zone
```
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from pathways.errors import InvalidTime
from pathways.runtime.events import utc_text

__all__ = ["DEFAULT_SKEW", "ClockCheck", "system_clock"]

#: How far after the store's clock a change may be dated by default: clocks of the case system
#: and the database server differ by seconds, never by minutes.
DEFAULT_SKEW = timedelta(minutes=5)


def system_clock() -> datetime:
    """The time now, in UTC, from the system clock."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class ClockCheck:
    """Refuses a time more than `skew` after `clock()`."""

    clock: Callable[[], datetime]
    skew: timedelta

    def check(self, at: datetime, case_ref: str, operation: str) -> None:
        """Refuse `at` with `InvalidTime` if it is more than `skew` after the clock."""
        now = self.clock()
        if at > now + self.skew:
            raise InvalidTime(
                f"{operation}: Case {case_ref}: {utc_text(at)} is more than {self.skew} after "
                f"the store's clock ({utc_text(now)})\n  hint: check the date and the time "
                "zone (a store whose clock is behind can be opened with a larger skew=)",
                journey=case_ref,
            )
