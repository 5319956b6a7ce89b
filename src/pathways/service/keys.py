"""API keys for the journey service: each names one agency (and optionally a member of staff).

```text
pathways serve keys add --agency hull-city-council --staff HCC-0042 --keys keys.json
```

A key is shown once, when it is made (`pw_<id>_<secret>`); the file keeps only its id, a
SHA-256 hash of the secret, the agency, the staff reference, when it was made and whether it was
revoked. A request presents it as `Authorization: Bearer <key>`; the service finds the id and
compares the hashes in constant time. The agency of every action is the key's agency: nothing in
a request body can change it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import asdict, dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from pathways.errors import PathwayError

__all__ = ["Credential", "KeyFileError", "KeyRing"]

_KEY = re.compile(r"pw_([0-9a-f]{12})_([A-Za-z0-9_-]{32,64})")
_STAFF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class KeyFileError(PathwayError, ValueError):
    """A key file that cannot be read or changed as asked."""


@dataclass(frozen=True, slots=True)
class Credential:
    """Who a key speaks for: an agency, and optionally a member of staff's opaque reference."""

    id: str
    agency: str
    staff: str | None
    digest: str
    created: str
    revoked: bool = False


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


class KeyRing:
    """The keys in one JSON file (written whole, atomically, with owner-only permissions)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.keys: dict[str, Credential] = {}
        self._stamp: tuple[int, int] | None = None
        self._reload()

    def _reload(self) -> None:
        """Read the file again if it changed (a key added or revoked by `pathways serve keys`
        takes effect in a running service at the next request)."""
        try:
            info = self.path.stat()
        except FileNotFoundError:
            self.keys, self._stamp = {}, None
            return
        stamp = (info.st_mtime_ns, info.st_size)
        if stamp == self._stamp:
            return
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.keys = {k["id"]: Credential(**k) for k in data["keys"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise KeyFileError(f"{self.path}: not a key file ({exc})") from None
        self._stamp = stamp

    def add(self, agency: str, staff: str | None = None) -> tuple[Credential, str]:
        """A new key for `agency`: its record and the key itself, to show once."""
        if staff is not None and not _STAFF.fullmatch(staff):
            raise KeyFileError(
                "a staff reference is an opaque code (letters, digits, '.', '_' or '-', up to "
                "64), never a name"
            )
        ident = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        made = datetime.now(UTC).isoformat(timespec="seconds")
        credential = Credential(ident, agency, staff, _digest(secret), made)
        self.keys[ident] = credential
        self._save()
        return credential, f"pw_{ident}_{secret}"

    def revoke(self, ident: str) -> Credential:
        if ident not in self.keys:
            raise KeyFileError(f"no key with id '{ident}'")
        revoked = replace(self.keys[ident], revoked=True)
        self.keys[ident] = revoked
        self._save()
        return revoked

    def check(self, presented: str) -> Credential | None:
        """The credential of a presented key, or None (unknown, revoked or malformed)."""
        found = _KEY.fullmatch(presented.strip())
        if found is None:
            return None
        self._reload()
        credential = self.keys.get(found.group(1))
        if credential is None or credential.revoked:
            return None
        if not hmac.compare_digest(credential.digest, _digest(found.group(2))):
            return None
        return credential

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        text = json.dumps({"keys": [asdict(k) for k in self.keys.values()]}, indent=2)
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        os.replace(temporary, self.path)
        self._stamp = None
