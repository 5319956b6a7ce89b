"""Each request's id: the caller's (a reverse proxy's) when it is a short opaque code, else a new
one; sent back once, on answers and refusals alike, and logged with the request."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pytest

from service.helpers import hull_service


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    service = hull_service(tmp_path)
    with caplog.at_level(logging.INFO, logger="pathways.service"):
        kept = service.client.get("/health", headers={"X-Request-Id": "proxy-7f3a.1"})
        malformed = {"X-Request-Id": 'a b;"x": 1'}
        refused = service.client.get("/journeys/HULL-0001", headers=malformed)
    assert kept.headers.get_list("x-request-id") == ["proxy-7f3a.1"]
    assert refused.status_code == 401
    (made,) = refused.headers.get_list("x-request-id")
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert refused.json()["instance"] == "/journeys/HULL-0001"
    logged = [json.loads(r.getMessage()) for r in caplog.records if r.name == "pathways.service"]
    assert [(e["request_id"], e["path"], e["status"]) for e in logged] == [
        ("proxy-7f3a.1", "/health", 200),
        (made, "/journeys/HULL-0001", 401),
    ]
