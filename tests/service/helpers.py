"""A journey service over a fresh SQLite store with the Hull pathway, and a key per agency."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient

from paths import HULL
from pathways import load
from pathways.service.app import create_app
from pathways.service.keys import KeyRing
from pathways.store import JourneyStore


@dataclass
class Service:
    client: TestClient
    store: JourneyStore
    keys: dict[str, str]

    def auth(self, agency: str, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.keys[agency]}", **extra}


def hull_service(folder: Path, url: str | None = None, prefix: str = "pathways_") -> Service:
    """The service over a store at `url` (default: a SQLite file in `folder`)."""
    hull = load(HULL)
    folder.mkdir(parents=True, exist_ok=True)
    store = JourneyStore(
        url or f"sqlite:///{folder / 'journeys.db'}", pathways=[hull], prefix=prefix
    )
    ring = KeyRing(folder / "keys.json")
    keys = {agency: ring.add(agency)[1] for agency in sorted(hull.agencies)}
    return Service(TestClient(create_app(store, ring)), store, keys)
