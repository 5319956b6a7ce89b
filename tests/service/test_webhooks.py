"""Webhooks from the outbox: sent only to the agencies a journey involves, as the service shows
them that agency, signed (checked with the specification's verification, written
independently), retried while a receiver is down with nothing lost, kept as dead letters after
the last attempt, replayed by an operator; the documented verification examples work."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from paths import ROOT
from pathways.cli import main
from pathways.service.app import create_app
from pathways.service.keys import KeyRing
from pathways.service.webhooks import subscribe
from pathways.service.webhooks.dispatcher import GROUP, Dispatcher
from pathways.service.webhooks.settings import Retries
from pathways.store.webhooks import WebhookRecords
from service.helpers import Service, hull_service
from service.receiver import Receiver
from service.test_webhook_signing import independent_verify

ADULT = {"age_group": "adult", "consent": "given"}
T0 = "2025-03-03T09:00:00+00:00"
DOCS = ROOT / "docs" / "service.md"


@pytest.fixture
def service(tmp_path: Path) -> Service:
    return hull_service(tmp_path)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    made = Receiver().start()
    yield made
    made.stop()


def _dispatcher(service: Service, attempts: int = 12) -> Dispatcher:
    retries = Retries(first=0.05, factor=2.0, cap=0.2, attempts=attempts)
    return Dispatcher(service.store, retries=retries, timeout=2, allow_private=True, poll=0.05)


def _subscribe(
    service: Service, receiver: Receiver, agency: str, events: tuple[str, ...] = ()
) -> str:
    records = WebhookRecords(service.store.engine, service.store.tables.prefix)
    _, secret = subscribe.add(
        records, agency, f"{receiver.url}/{agency}", events, allow_private=True
    )
    return secret


def _drain(dispatcher: Dispatcher, seconds: float = 20.0) -> None:
    """Dispatch until the outbox group has nothing left, within `seconds`."""
    deadline = time.monotonic() + seconds
    while dispatcher.store.outbox.pending(GROUP) and time.monotonic() < deadline:
        if not dispatcher.run_once():
            time.sleep(0.05)
    assert dispatcher.store.outbox.pending(GROUP) == 0


def _start(service: Service, ref: str = "HULL-0001") -> None:
    body = {"case_ref": ref, "profile": ADULT, "at": T0}
    answer = service.client.post("/journeys", json=body, headers=service.auth("hull-city-council"))
    assert answer.status_code == 201, answer.text


def _move(service: Service, ref: str, handoff: str, agency: str, at: str) -> None:
    answer = service.client.post(
        f"/journeys/{ref}/handoffs", json={"handoff": handoff, "at": at},
        headers=service.auth(agency),
    )  # fmt: skip
    assert answer.status_code == 200, answer.text


def _sent(receiver: Receiver, agency: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in receiver.received if r.path == f"/hooks/{agency}"]


def test_events_go_signed_to_the_agencies_involved_as_they_may_see_them(
    service: Service, receiver: Receiver
) -> None:
    secrets = {
        agency: _subscribe(service, receiver, agency)
        for agency in ("hull-city-council", "humberside-police", "salvation-army")
    }
    handoffs_only = _subscribe(service, receiver, "hull-city-council", ("handoff",))
    _start(service)
    _move(service, "HULL-0001", "start-assessment", "hull-city-council", "2025-03-03T10:00:00Z")
    _drain(_dispatcher(service))
    council = _sent(receiver, "hull-city-council")
    assert [(p["type"], p["data"]["event"]["seq"]) for p in council] == [
        ("journey.started", 0),
        ("journey.handoff", 1),
        ("journey.handoff", 1),  # the second subscription, for handoffs only
    ]
    shown = service.client.get(
        "/journeys/HULL-0001/events", headers=service.auth("hull-city-council")
    ).json()
    assert council[0]["data"]["event"] == shown[0]
    assert council[1]["data"]["event"] == shown[1]
    assert _sent(receiver, "salvation-army") == []  # not involved: told nothing
    for received in receiver.received:
        agency = received.path.rsplit("/", 1)[1]
        keys = (
            [secrets[agency], handoffs_only] if agency == "hull-city-council" else [secrets[agency]]
        )
        assert any(independent_verify(k, received.headers, received.body) for k in keys)
        assert received.headers["webhook-id"].startswith("msg_")
    # the documented example has the shape of what is sent
    example = re.search(r"```json\n(\{\"data\".*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert example is not None
    documented = json.loads(example.group(1).replace("\n", ""))
    assert set(documented) == set(council[1])
    assert set(documented["data"]) == set(council[1]["data"])
    assert set(documented["data"]["event"]) == set(council[1]["data"]["event"])


def test_a_receiver_that_is_down_loses_nothing_and_gets_each_journey_in_order(
    service: Service, receiver: Receiver
) -> None:
    _subscribe(service, receiver, "hull-city-council")
    receiver.stop()
    for ref in ("HULL-0001", "HULL-0002"):
        _start(service, ref)
        _move(service, ref, "start-assessment", "hull-city-council", "2025-03-03T10:00:00Z")
    dispatcher = _dispatcher(service)
    for _ in range(3):
        dispatcher.run_once()
        time.sleep(0.1)
    records = dispatcher.records
    pending = records.deliveries(state="pending")
    assert pending  # attempted, failed, recorded, kept
    assert all(d.seq == 0 for d in pending)  # later events wait behind the first
    assert records.attempts(pending[0].id)[0].error == "connection-refused"
    assert service.store.outbox.pending(GROUP) == 4  # nothing acknowledged
    receiver.start()
    _drain(dispatcher)
    for ref in ("HULL-0001", "HULL-0002"):
        seqs = [
            p["data"]["event"]["seq"]
            for p in _sent(receiver, "hull-city-council")
            if p["data"]["case_ref"] == ref
        ]
        assert seqs == [0, 1]
    assert {d.state for d in records.deliveries()} == {"delivered"}


def test_dead_letters_are_kept_and_an_operator_replays_them(
    service: Service,
    receiver: Receiver,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _subscribe(service, receiver, "hull-city-council")
    receiver.status = 500
    _start(service)
    dispatcher = _dispatcher(service, attempts=3)
    _drain(dispatcher)  # acknowledged once the delivery is dead
    (dead,) = dispatcher.records.deliveries(state="dead")
    assert [a.status for a in dispatcher.records.attempts(dead.id)] == [500, 500, 500]
    monkeypatch.setenv("PATHWAYS_WEBHOOKS_PRIVATE", "true")
    db = ["--db", f"sqlite:///{tmp_path / 'journeys.db'}"]
    assert main(["serve", "webhooks", "deliveries", "--dead", *db]) == 0
    assert dead.id in capsys.readouterr().out
    assert main(["serve", "webhooks", "replay", "--dead", *db]) == 1  # still failing
    receiver.status = 200
    assert main(["serve", "webhooks", "replay", "--dead", *db]) == 0
    assert f"{dead.id}  delivered  5" in capsys.readouterr().out
    assert dispatcher.records.deliveries(state="dead") == []
    assert [r.headers["webhook-id"] for r in receiver.received] == [dead.id] * 5
    assert main(["serve", "webhooks", "replay", "msg_nope", *db]) == 2


def test_410_gone_stops_the_subscription(service: Service, receiver: Receiver) -> None:
    _subscribe(service, receiver, "hull-city-council")
    receiver.status = 410
    _start(service)
    _move(service, "HULL-0001", "start-assessment", "hull-city-council", "2025-03-03T10:00:00Z")
    dispatcher = _dispatcher(service)
    _drain(dispatcher)
    assert len(receiver.received) == 1
    (subscription,) = dispatcher.records.subscriptions(active=False)
    assert subscription.state == "gone"


def test_subscriptions_from_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'journeys.db'}"]
    add = ["serve", "webhooks", "add", "--agency", "hull-city-council", *db]
    assert main([*add, "--url", "http://127.0.0.1:9/hooks"]) == 2  # loopback, plain http
    assert "https" in capsys.readouterr().err
    assert main([*add, "--url", "https://cms.example.org/h", "--events", "handoff,nope"]) == 2
    assert main([*add, "--url", "https://cms.example.org/h", "--events", "handoff,accepted"]) == 0
    secret = capsys.readouterr().out.strip()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert main(["serve", "webhooks", "list", *db]) == 0
    listed = capsys.readouterr().out
    ident = listed.split()[0]
    assert "accepted,handoff" in listed
    assert secret not in listed
    assert main(["serve", "webhooks", "remove", ident, *db]) == 0
    assert main(["serve", "webhooks", "list", *db]) == 0
    assert "removed" in capsys.readouterr().out
    monkeypatch.setenv("PATHWAYS_WEBHOOKS_PRIVATE", "true")
    assert main([*add, "--url", "http://127.0.0.1:9/hooks"]) == 0


def test_the_service_runs_its_dispatcher_while_it_runs(
    service: Service, receiver: Receiver, tmp_path: Path
) -> None:
    _subscribe(service, receiver, "hull-city-council")
    app = create_app(
        service.store, KeyRing(tmp_path / "keys.json"), background=_dispatcher(service)
    )
    with TestClient(app) as client:
        body = {"case_ref": "HULL-0001", "profile": ADULT, "at": T0}
        opened = client.post("/journeys", json=body, headers=service.auth("hull-city-council"))
        assert opened.status_code == 201
        deadline = time.monotonic() + 20
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
    assert json.loads(receiver.received[0].body)["type"] == "journey.started"


def test_the_documented_verifications_accept_a_real_delivery(
    service: Service, receiver: Receiver, tmp_path: Path
) -> None:
    secret = _subscribe(service, receiver, "hull-city-council")
    _start(service)
    _drain(_dispatcher(service))
    (received,) = receiver.received
    text = DOCS.read_text(encoding="utf-8")
    python = re.search(r"```python\n(.*?def verify_webhook.*?)```", text, re.S)
    assert python is not None
    scope: dict[str, Any] = {}
    exec(python.group(1), scope)  # the page's own code
    assert scope["verify_webhook"](secret, received.headers, received.body)
    assert not scope["verify_webhook"](secret, received.headers, received.body + b" ")
    shell = re.search(r"```sh\n(printf.*?)```", text, re.S)
    assert shell is not None
    (tmp_path / "body.json").write_bytes(received.body)
    made = subprocess.run(
        ["bash", "-c", shell.group(1)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        env={
            "PATH": "/usr/bin:/bin",
            "ID": received.headers["webhook-id"],
            "STAMP": received.headers["webhook-timestamp"],
            "SECRET": secret,
        },
        check=True,
    )
    assert "v1," + made.stdout.strip() == received.headers["webhook-signature"]


def test_an_agency_manages_its_own_subscriptions_and_sees_its_own_deliveries(
    service: Service, receiver: Receiver, tmp_path: Path
) -> None:
    app = create_app(
        service.store, KeyRing(tmp_path / "keys.json"), background=_dispatcher(service)
    )
    client = TestClient(app)
    council, police = service.auth("hull-city-council"), service.auth("humberside-police")
    made = client.post(
        "/webhooks/subscriptions",
        json={"url": f"{receiver.url}/council", "events": ["started"]},
        headers=council,
    )
    assert made.status_code == 201, made.text
    secret, ident = made.json()["secret"], made.json()["id"]
    assert secret.startswith("whsec_")
    listed = client.get("/webhooks/subscriptions", headers=council).json()
    assert [(s["id"], s["events"], s["secret"]) for s in listed] == [(ident, ["started"], None)]
    assert client.get("/webhooks/subscriptions", headers=police).json() == []
    assert client.delete(f"/webhooks/subscriptions/{ident}", headers=police).status_code == 404
    _start(service)
    _drain(_dispatcher(service))
    (received,) = receiver.received
    assert independent_verify(secret, received.headers, received.body)
    (sent,) = client.get("/webhooks/deliveries", headers=council).json()
    assert (sent["state"], sent["attempts"], sent["case_ref"]) == ("delivered", 1, "HULL-0001")
    assert client.get("/webhooks/deliveries", headers=police).json() == []
    path = f"/webhooks/deliveries/{sent['id']}/replay"
    assert client.post(path, headers=police).status_code == 404
    again = client.post(path, headers=council)
    assert again.status_code == 200, again.text
    assert again.json()["attempts"] == 2
    assert len(receiver.received) == 2
    assert client.delete(f"/webhooks/subscriptions/{ident}", headers=council).status_code == 204
    assert client.get("/webhooks/subscriptions", headers=council).json()[0]["state"] == "removed"
    plain = service.client.post(
        "/webhooks/subscriptions", json={"url": "http://127.0.0.1:9/hooks"}, headers=council
    )  # the service's own settings: https and public addresses only
    assert plain.status_code == 422
    assert "https" in plain.json()["detail"]
