"""The database's and its driver's errors, as `StoreError`s naming what failed; no credentials.

A store method is `guarded(operation)`: whatever the database or its driver raises (SQLAlchemy's
`OperationalError`, `DataError` or `StatementError`, `sqlite3` and psycopg errors, a
`UnicodeEncodeError` or a plain `ValueError` from a driver, an `OSError` from the file system)
comes out as a `DatabaseFailure` (or `InvalidRequest`, for a value refused) whose message names
the operation and the driver's error, with the driver's exception as its cause. A
`PathwayError` passes through unchanged.

Every message is `redact`ed: a database URL's password is replaced by `***` (and so is any
password of an engine this process made, wherever it appears), so an error can be printed or
logged:

```python
>>> redact("postgresql+psycopg://cases:s3cret@db/cases")
'postgresql+psycopg://cases:***@db/cases'
```
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import SQLAlchemyError

from pathways.errors import DatabaseFailure, InvalidRequest, PathwayError, StoreError

__all__ = ["failure", "first_line", "guarded", "redact", "remember_password"]

P = ParamSpec("P")
T = TypeVar("T")

#: `scheme://user:password@` in any text: the password is hidden.
_CREDENTIALS = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.-]*://[^:/@\s]*:)[^@\s]*@")
#: Passwords of the engines made in this process, hidden wherever they appear.
_PASSWORDS: set[str] = set()


def remember_password(password: str | None) -> None:
    """Hide `password` from every message from now on (a short one is hidden only in URLs)."""
    if password and len(password) >= 4:
        _PASSWORDS.add(password)


def redact(text: object) -> str:
    """`text` with any URL's password, and any remembered password, replaced by `***`."""
    found = _CREDENTIALS.sub(r"\g<head>***@", str(text))
    for password in _PASSWORDS:
        found = found.replace(password, "***")
    return found


def first_line(exc: BaseException) -> str:
    """The first line of an error's message (SQLAlchemy puts the SQL and its parameters after
    it), redacted; the error's class name if it has no message."""
    text = str(exc).strip()
    return redact(text.splitlines()[0]) if text else type(exc).__name__


def failure(operation: str, exc: BaseException) -> StoreError:
    """The `StoreError` for a driver's `exc` during `operation` (raise it `from exc`)."""
    cause = exc
    original = getattr(exc, "orig", None)  # SQLAlchemy's wrapper: say what the driver said
    if isinstance(original, BaseException):
        cause = original
    detail = f"{type(cause).__name__}: {first_line(cause)}"
    if isinstance(cause, ValueError) and not isinstance(cause, sqlite3.Error):
        return InvalidRequest(
            f"{operation}: a value cannot be stored or looked up ({detail})", operation=operation
        )
    return DatabaseFailure(f"{operation}: the database failed ({detail})", operation=operation)


def _is_driver_error(exc: Exception) -> bool:
    if isinstance(exc, SQLAlchemyError | sqlite3.Error | OSError | ValueError):
        return True
    return type(exc).__module__.partition(".")[0] == "psycopg"  # psycopg is imported on demand


def guarded(operation: str) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """Decorate a store method: driver errors become `failure(operation, ...)`."""

    def decorate(method: Callable[P, T]) -> Callable[P, T]:
        @functools.wraps(method)
        def run(*args: P.args, **kwargs: P.kwargs) -> T:
            try:
                return method(*args, **kwargs)
            except PathwayError:
                raise
            except Exception as exc:
                if _is_driver_error(exc):
                    raise failure(operation, exc) from exc
                raise

        return run

    return decorate
