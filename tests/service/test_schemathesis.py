"""Property-based tests of the service against its own OpenAPI document (schemathesis): whatever
a client sends that the document allows, no answer is a server error and every answer matches
the document. Run on SQLite, and on PostgreSQL when `PATHWAYS_TEST_DATABASE_URL` names one."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from service.helpers import hull_service
from store.helpers import drop_prefix

schemathesis = pytest.importorskip("schemathesis", reason="the test extra schemathesis")
from schemathesis.specs.openapi.checks import (  # noqa: E402
    negative_data_rejection,
    positive_data_acceptance,
)

_NOT_CHECKED = [positive_data_acceptance, negative_data_rejection]
_FOLDER = Path(tempfile.mkdtemp(prefix="pathways-schemathesis-"))
_OPENED = datetime(2025, 3, 3, 9, tzinfo=UTC)


_MADE: list[tuple[Any, str]] = []  # (store, prefix) of each PostgreSQL service, dropped after


def _service(name: str, url: str | None = None) -> tuple[Any, str]:
    """A service with one journey in it, and the council's key."""
    prefix = f"st{uuid.uuid4().hex[:8]}_" if url else "pathways_"
    service = hull_service(_FOLDER / name, url, prefix)
    if url:
        _MADE.append((service.store, prefix))
    profile = {"age_group": "adult", "consent": "given"}
    service.store.create("HULL-0001", profile, at=_OPENED, by="hull-city-council")
    return service.client.app, service.keys["hull-city-council"]


_APP, _KEY = _service("sqlite")
schema = schemathesis.openapi.from_asgi("/openapi.json", _APP)
_POSTGRES_URL = os.environ.get("PATHWAYS_TEST_DATABASE_URL")
if _POSTGRES_URL:
    _PG_APP, _PG_KEY = _service("postgres", _POSTGRES_URL)
    postgres_schema = schemathesis.openapi.from_asgi("/openapi.json", _PG_APP)
else:  # the same schema, skipped below: the test still shows in the report, saying why
    _PG_APP, _PG_KEY, postgres_schema = _APP, _KEY, schema


@pytest.fixture(scope="module", autouse=True)
def _drop_postgres_tables() -> Iterator[None]:
    """The PostgreSQL service's tables are dropped when the module's tests are done."""
    yield
    for store, prefix in _MADE:
        store.close()
        drop_prefix(str(_POSTGRES_URL), prefix)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_matches_the_document(case: Any) -> None:
    # A request the document allows may still name a profile value or a stage the pathway does
    # not have: refusing it (422, 409) is right, so "positive data accepted" is not a check here.
    # Nor is "negative data rejected": the test sets the Authorization header itself, which makes
    # a case generated without it valid, and a query parameter the service does not know is
    # ignored (as FastAPI does), not refused; every answer must still match the document.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_KEY}"},
        excluded_checks=_NOT_CHECKED,
    )


@postgres_schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.postgres
@pytest.mark.skipif(not _POSTGRES_URL, reason="PATHWAYS_TEST_DATABASE_URL names no PostgreSQL")
def test_the_same_on_postgresql(case: Any) -> None:
    case.call_and_validate(
        headers={"Authorization": f"Bearer {_PG_KEY}"},
        excluded_checks=_NOT_CHECKED,
    )
