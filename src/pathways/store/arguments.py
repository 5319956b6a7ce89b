"""What the store checks in its arguments before any query, so that no query sees a bad one.

A case reference must be the case system's opaque code, the whole of it (`InvalidCaseReference`,
from the runtime's own rule: `"X-1\\n"` is refused); an idempotency key likewise; a time must
have a time zone (`InvalidTime`); a name to look for must be text the database can hold (no
NUL character, no lone surrogate, at most `NAME` characters or so); a page size must be between
1 and `MAX_PAGE`. Everything else is `InvalidRequest` (a `ValueError`), naming the operation.

```python
>>> check_text("stage", "nrm-referral", operation="find")
'nrm-referral'
```
"""

from __future__ import annotations

import re
from datetime import datetime

from pathways.errors import InvalidRequest, InvalidTime
from pathways.runtime.opening import check_case_ref
from pathways.store.tables import CASE_REF, KEY, PATHWAY_ID

__all__ = [
    "MAX_PAGE",
    "check_case_ref",
    "check_key",
    "check_limit",
    "check_period",
    "check_text",
    "check_time",
]

#: The largest page a query returns.
MAX_PAGE = 1000

_KEY = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:/-]{{0,{KEY - 1}}}")
#: The longest text looked for: the longest column it is compared with.
_LONGEST = max(CASE_REF, KEY, PATHWAY_ID)


def check_key(key: object, case_ref: str, *, operation: str = "change") -> None:
    """Refuse an idempotency key that is not a short opaque code, the whole string."""
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise InvalidRequest(
            f"Case {case_ref}: idempotency key {key!r} is not allowed: use an opaque code of "
            f"at most {KEY} letters, digits and . _ : / -, such as a request id",
            operation=operation,
        )


def check_time(at: object, what: str, *, operation: str, case_ref: str = "") -> datetime:
    """Refuse anything but a time with a time zone (`InvalidTime`)."""
    if not isinstance(at, datetime) or at.tzinfo is None or at.utcoffset() is None:
        raise InvalidTime(
            f"{operation}: {what} {at!r} has no time zone; pass times such as "
            "datetime(2025, 1, 6, 9, 30, tzinfo=ZoneInfo('Europe/London'))",
            journey=case_ref,
        )
    return at


def check_period(period: object, what: str, *, operation: str) -> tuple[datetime, datetime]:
    """Refuse anything but a pair of times with time zones, `(start, end)`."""
    if not isinstance(period, tuple) or len(period) != 2:
        raise InvalidRequest(
            f"{operation}: {what} must be a pair of times (start, end), not {period!r}",
            operation=operation,
        )
    return (
        check_time(period[0], f"{what} start", operation=operation),
        check_time(period[1], f"{what} end", operation=operation),
    )


def check_text(what: str, value: object, *, operation: str) -> str:
    """Refuse a name to look for that the database cannot hold: not text, too long, with a NUL
    or a lone surrogate (which no database can store, so no journey can have it)."""
    problem = None
    if not isinstance(value, str):
        problem = "is not text"
    elif len(value) > _LONGEST:
        problem = f"is longer than {_LONGEST} characters"
    elif "\x00" in value:
        problem = "contains a NUL character"
    else:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            problem = "is not valid Unicode text"
    if problem is not None:
        raise InvalidRequest(f"{operation}: {what} {problem}", operation=operation)
    assert isinstance(value, str)
    return value


def check_limit(limit: object, *, operation: str) -> int:
    """Refuse a page size that is not a whole number from 1 to `MAX_PAGE`."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(
            f"{operation}: limit must be between 1 and {MAX_PAGE}, not {limit!r}",
            operation=operation,
        )
    return limit
