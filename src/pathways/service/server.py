"""Running the service: configuration from a file and the environment, uvicorn's one home.

Settings, each from the command line, else the environment, else the configuration file
(`--config service.yaml`, read with the library's safe YAML reader), else the default:

| setting | environment | file key | default |
| --- | --- | --- | --- |
| database URL | `PATHWAYS_DB_URL` | `db` | `sqlite:///journeys.db` |
| pathways to serve | `PATHWAYS_SERVE` (comma-separated) | `pathways` | those already stored |
| pathway library folders | `PATHWAYS_PATH` | `path` | the bundled library |
| key file | `PATHWAYS_KEYS` | `keys` | `keys.json` |
| table-name prefix | `PATHWAYS_PREFIX` | `prefix` | `pathways_` |
| audit key file | `PATHWAYS_AUDIT_KEY_FILE` (or the keys in `PATHWAYS_AUDIT_KEY`) | | none |
| host, port, workers | | `host`, `port`, `workers` | `127.0.0.1`, `8000`, 1 |
| OIDC bearer tokens | `PATHWAYS_OIDC_*` | `oidc` (a section) | off (`service.oidc_settings`) |
| webhooks | `PATHWAYS_WEBHOOKS_*` | `webhooks` | see `service.webhooks.settings` |

Several workers share one PostgreSQL database (each opens its own connections); SQLite is for a
try-out with one worker. With no audit key the store writes an unkeyed chain and logs a
warning: a record that is NOT protected against anyone with access to the database
(`pathways.store.keys`). Structured JSON logs carry each request's id; on SIGTERM or Ctrl-C
uvicorn stops taking requests and finishes those in flight (up to 30 seconds).
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pathways.definition.loader import Library
from pathways.definition.yaml_reader import read_file
from pathways.service.oidc_settings import OidcSettings
from pathways.service.webhooks.settings import WebhookSettings

__all__ = ["ServiceConfig", "app_from_environment", "load_config", "run"]

_ENV = {
    "db": "PATHWAYS_DB_URL",
    "pathways": "PATHWAYS_SERVE",
    "path": "PATHWAYS_PATH",
    "keys": "PATHWAYS_KEYS",
    "prefix": "PATHWAYS_PREFIX",
}


@dataclass(frozen=True)
class ServiceConfig:
    db: str = "sqlite:///journeys.db"
    pathways: tuple[str, ...] = ()
    path: tuple[str, ...] = ()
    keys: str = "keys.json"
    prefix: str = "pathways_"
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    oidc: OidcSettings | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    webhooks: WebhookSettings = field(default_factory=WebhookSettings)

    def environment(self) -> dict[str, str]:
        """The settings as the environment variables the workers read."""
        return {
            "PATHWAYS_DB_URL": self.db,
            "PATHWAYS_SERVE": ",".join(self.pathways),
            "PATHWAYS_PATH": os.pathsep.join(self.path),
            "PATHWAYS_KEYS": self.keys,
            "PATHWAYS_PREFIX": self.prefix,
            **(self.oidc.environment() if self.oidc is not None else {}),
            **self.webhooks.environment(),
        }


def _listed(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(v for v in value.replace(os.pathsep, ",").split(",") if v)
    if isinstance(value, list | tuple):
        return tuple(str(v) for v in value)
    return ()


def load_config(file: str | None, given: Mapping[str, Any]) -> ServiceConfig:
    """Settings from `given` (the command line), the environment and `file` (see above)."""
    data: dict[str, Any] = {}
    if file:
        read = read_file(file).data
        if not isinstance(read, dict):
            raise ValueError(f"{file}: a service configuration is a set of keys and values")
        known = {
            "db", "pathways", "path", "keys", "prefix", "host", "port", "workers", "oidc",
            "webhooks",
        }  # fmt: skip
        unknown = set(read) - known
        if unknown:
            raise ValueError(f"{file}: unknown setting(s): {', '.join(sorted(unknown))}")
        data.update(read)
    for key, variable in _ENV.items():
        if os.environ.get(variable):
            data[key] = os.environ[variable]
    data.update({k: v for k, v in given.items() if v not in (None, (), [])})
    return ServiceConfig(
        db=str(data.get("db", ServiceConfig.db)),
        pathways=_listed(data.get("pathways", ())),
        path=_listed(data.get("path", ())),
        keys=str(data.get("keys", ServiceConfig.keys)),
        prefix=str(data.get("prefix", ServiceConfig.prefix)),
        host=str(data.get("host", ServiceConfig.host)),
        port=int(data.get("port", ServiceConfig.port)),
        workers=max(1, int(data.get("workers", 1))),
        oidc=OidcSettings.read(data.get("oidc")),
        webhooks=WebhookSettings.read(data.get("webhooks")),
    )


def app_from_environment() -> Any:
    """The application for one worker, from the environment `run` sets (uvicorn's factory)."""
    from pathways.service.app import create_app
    from pathways.service.keys import KeyRing
    from pathways.store import JourneyStore, audit_keys

    config = load_config(None, {})
    library = Library(list(config.path))
    pathways = []
    for name in config.pathways:
        found = Path(name) if Path(name).exists() else None
        if found is None:
            from pathways.definition.bases import SUFFIXES, find_named

            found, _ = find_named(name, library.search, SUFFIXES)
        if found is None:
            raise ValueError(f"pathway '{name}' not found")
        pathways.append(library.load(found))
    keys = audit_keys()  # from the environment only: a secret is not a configuration file key
    store = JourneyStore(config.db, pathways=pathways, prefix=config.prefix, audit_key=keys)
    tokens = None
    if config.oidc is not None:
        from pathways.service.auth import served_agencies
        from pathways.service.oidc import TokenVerifier

        tokens = TokenVerifier(config.oidc, served_agencies(store))
    background = _dispatcher(store, config.webhooks)
    return create_app(store, KeyRing(config.keys), tokens=tokens, background=background)


def _dispatcher(store: Any, settings: WebhookSettings) -> Any:
    """The webhook dispatcher of this worker, or None if the settings turn it off."""
    if not settings.dispatch:
        return None
    from pathways.service.webhooks.dispatcher import Dispatcher

    return Dispatcher(
        store,
        retries=settings.retries,
        timeout=settings.timeout,
        allow_private=settings.private,
    )


class _Json(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if message.startswith("{"):
            return message
        import json

        return json.dumps({"level": record.levelname, "logger": record.name, "message": message})


def run(config: ServiceConfig) -> None:
    """Serve until stopped (SIGTERM or Ctrl-C), with uvicorn."""
    import uvicorn

    os.environ.update(config.environment())
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Json())
    logging.getLogger("pathways.service").addHandler(handler)
    logging.getLogger("pathways.service").setLevel(logging.INFO)
    uvicorn.run(
        "pathways.service.server:app_from_environment",
        factory=True,
        host=config.host,
        port=config.port,
        workers=config.workers,
        timeout_graceful_shutdown=30,
        access_log=False,
        log_config=None,
    )
