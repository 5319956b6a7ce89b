"""The identity provider's public keys (a JSON Web Key Set), fetched with a time limit and kept.

`KeySet(url=..., parse=...)` fetches the set the first time a token needs it, keeps each key by
its id (`kid`) as `parse` makes it, and fetches again only when

- a token names an id the set does not have (a key the provider has just rotated in), and the
  last fetch is at least `refresh` seconds old: a flood of tokens with made-up ids fetches the
  set at most once per `refresh` seconds, never once per token;
- the set is older than `max_age` (an hour by default): keys the provider withdrew go.

A fetch that fails keeps the keys already held; with none held, `KeysUnavailable` is raised (the
service answers 503). A set read from a file (`file=...`) follows the same rules. The set may be
at most 1 MB; keys that `parse` cannot use (a symmetric `oct` key, an unknown curve) are left out.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Generic, TypeVar

from pathways.errors import PathwayError

__all__ = ["KeySet", "KeysUnavailable"]

K = TypeVar("K")
_LIMIT = 1_000_000
_LOG = logging.getLogger("pathways.service")


class KeysUnavailable(PathwayError):
    """The identity provider's key set cannot be fetched or read, and no keys are held."""


class KeySet(Generic[K]):
    """The keys of one JSON Web Key Set, by id (see the module docstring)."""

    def __init__(
        self,
        parse: Callable[[Mapping[str, Any]], K | None],
        *,
        url: str | None = None,
        file: str | None = None,
        timeout: float = 5.0,
        refresh: float = 60.0,
        max_age: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (url is None) == (file is None):
            raise ValueError("a key set comes from one of a URL or a file")
        self.url, self.file = url, file
        self.timeout, self.refresh, self.max_age = timeout, refresh, max_age
        self.parse, self.clock = parse, clock
        self.keys: dict[str | None, K] = {}
        self.fetched: float | None = None  # when the last attempt was made (clock seconds)
        self.fetches = 0  # how many attempts, for the operator and the tests
        self._lock = threading.Lock()

    def key(self, kid: str | None) -> K | None:
        """The key with id `kid` (None: the set's only key, if it has exactly one), or None."""
        now = self.clock()
        self._fetch_unless_since(now - self.max_age)
        found = self._find(kid)
        if found is None:
            self._fetch_unless_since(now - self.refresh)
            found = self._find(kid)
        if not self.keys:
            raise KeysUnavailable("the identity provider's keys cannot be fetched")
        return found

    def _find(self, kid: str | None) -> K | None:
        if kid is None:
            return next(iter(self.keys.values())) if len(self.keys) == 1 else None
        return self.keys.get(kid)

    def _fetch_unless_since(self, since: float) -> None:
        """Fetch the set, unless an attempt was made after `since` (by any thread)."""
        if self.fetched is not None and self.fetched > since:
            return
        with self._lock:
            if self.fetched is not None and self.fetched > since:
                return  # another thread fetched it while this one waited
            self.fetched, self.fetches = self.clock(), self.fetches + 1
            try:
                document = json.loads(self._read())
                listed = document["keys"]
                if not isinstance(listed, list):
                    raise TypeError("'keys' is not a list")
            except (OSError, ValueError, KeyError, TypeError) as exc:
                _LOG.warning(
                    json.dumps({"message": "the key set cannot be read", "error": str(exc)})
                )
                return
            keys: dict[str | None, K] = {}
            for entry in listed:
                if not isinstance(entry, dict):
                    continue
                parsed = self.parse(entry)
                if parsed is not None:
                    keys[entry.get("kid") if isinstance(entry.get("kid"), str) else None] = parsed
            self.keys = keys

    def _read(self) -> bytes:
        if self.file is not None:
            with Path(self.file).open("rb") as handle:
                data = handle.read(_LIMIT + 1)
        else:
            assert self.url is not None
            request = urllib.request.Request(self.url, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:
                data = answer.read(_LIMIT + 1)
        if len(data) > _LIMIT:
            raise ValueError("the key set is larger than 1 MB")
        return bytes(data)
