"""Audit keys: the secrets the hash chain is keyed with, given to the store, never stored in it.

Each link of a journey's chain is an HMAC-SHA256 with the store's current audit key
(`pathways.store.audit`). A key has an id (kept in the chain, so a verifier knows which key
signed what) and a secret (kept out of the database: in a file, or an environment variable).
Keys are listed in a *key file*, one a line, the id then the secret, the newest last:

```text
# pathways audit keys: the last one signs; the ones above it only verify
2026-01 9f2c...64 hex digits...
2026-07 41ab...64 hex digits...
```

The last key signs what is written from now on; the keys above it are kept to verify what they
signed. To rotate, append a new key (`pathways db new-key ID >> keys`): the next change of each
journey records "from here on key <new id>" in its chain, MACed with the old and the new key
(or `pathways db rekey` does so for every journey at once). A secret is at least 32 characters
(`pathways db new-key` makes 64 random hex digits).

`audit_keys(file)` reads a key file; with no file it reads `PATHWAYS_AUDIT_KEY_FILE` (a path)
or else `PATHWAYS_AUDIT_KEY` (the key file's text itself; `;` may separate the keys), and
returns None when none of these is set: the store then chains with plain SHA-256, which shows
accidental damage but is NOT protected against anyone with access to the database.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from pathways.errors import AuditKeyError

__all__ = [
    "FILE_VARIABLE",
    "KEY_ID",
    "KEY_VARIABLE",
    "AuditKey",
    "AuditKeys",
    "audit_keys",
    "new_key_line",
]

#: The environment variable naming a key file.
FILE_VARIABLE = "PATHWAYS_AUDIT_KEY_FILE"
#: The environment variable holding the keys themselves (a key file's text).
KEY_VARIABLE = "PATHWAYS_AUDIT_KEY"
#: Longest key id.
KEY_ID = 32
#: Shortest secret.
SECRET = 32

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,31}")


@dataclass(frozen=True, slots=True)
class AuditKey:
    """One audit key: its id (stored in the chain) and its secret (never stored, never shown)."""

    id: str
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _ID.fullmatch(self.id):
            raise AuditKeyError(
                f"audit key id {self.id!r} is not allowed: expected a letter or digit, then "
                f"at most {KEY_ID - 1} letters, digits, '.', '_' or '-'"
            )
        if len(self.secret) < SECRET:
            raise AuditKeyError(
                f"audit key {self.id}: the secret is shorter than {SECRET} characters; make one "
                "with 'pathways db new-key'"
            )


class AuditKeys:
    """The keys a store signs and verifies with: the current one (signs) and older ones.

    `keys` are in order, oldest first; the last signs unless `current` names another.
    """

    def __init__(self, keys: Iterable[AuditKey], *, current: str | None = None) -> None:
        listed = list(keys)
        if not listed:
            raise AuditKeyError("no audit key given")
        self._keys: dict[str, AuditKey] = {}
        for key in listed:
            if key.id in self._keys and self._keys[key.id].secret != key.secret:
                raise AuditKeyError(f"audit key {key.id} is listed twice with different secrets")
            self._keys[key.id] = key
        chosen = listed[-1].id if current is None else current
        if chosen not in self._keys:
            raise AuditKeyError(f"the current audit key {chosen!r} is not among the keys given")
        self.current: AuditKey = self._keys[chosen]

    @property
    def ids(self) -> tuple[str, ...]:
        """Every key's id, oldest first."""
        return tuple(self._keys)

    def secret(self, key_id: str | None) -> bytes | None:
        """The secret of `key_id` (None for None: no key); `AuditKeyError` if it is not here."""
        if key_id is None:
            return None
        key = self._keys.get(key_id)
        if key is None:
            raise AuditKeyError(
                f"audit key {key_id} is not among the keys given ({', '.join(self._keys)}); "
                "keep every key ever used in the key file to verify what it signed"
            )
        return key.secret

    def __repr__(self) -> str:
        return f"AuditKeys(ids={list(self._keys)!r}, current={self.current.id!r})"

    @classmethod
    def parse(cls, text: str, source: str) -> AuditKeys:
        """The keys of a key file's text (`source` names it in errors)."""
        keys: list[AuditKey] = []
        for number, line in enumerate(re.split(r"[\n;]", text), 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2:
                raise AuditKeyError(
                    f"{source}: entry {number} is not '<key id> <secret>' (one key a line)"
                )
            keys.append(AuditKey(parts[0], parts[1].encode("utf-8")))
        if not keys:
            raise AuditKeyError(f"{source}: no audit key in it")
        return cls(keys)

    @classmethod
    def from_file(cls, path: str | Path) -> AuditKeys:
        """The keys in the key file at `path`."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise AuditKeyError(f"cannot read the audit key file {path}: {exc.strerror}") from None
        return cls.parse(text, str(path))


def audit_keys(
    file: str | Path | None = None, environ: Mapping[str, str] | None = None
) -> AuditKeys | None:
    """The keys in `file`, else from the environment (see the module docstring), else None."""
    env = os.environ if environ is None else environ
    if file is not None:
        return AuditKeys.from_file(file)
    if env.get(FILE_VARIABLE):
        return AuditKeys.from_file(env[FILE_VARIABLE])
    if env.get(KEY_VARIABLE):
        return AuditKeys.parse(env[KEY_VARIABLE], KEY_VARIABLE)
    return None


def new_key_line(key_id: str) -> str:
    """A key file line for a new key: the id and 64 random hex digits."""
    secret = secrets.token_hex(32)
    return f"{AuditKey(key_id, secret.encode('ascii')).id} {secret}"
