"""What the webhook sender will call (SSRF) and how it calls: bounded time, no redirects."""

from __future__ import annotations

import time

import pytest

from pathways.service.webhooks.sender import post
from pathways.service.webhooks.targets import RefusedTarget, check_address, check_url
from service.receiver import Receiver


@pytest.mark.parametrize(
    "url",
    [
        "http://cms.example.org/hooks",  # not https
        "https://127.0.0.1/hooks",
        "https://[::1]/hooks",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata
        "https://10.1.2.3/hooks",
        "https://192.168.0.10/hooks",
        "https://user:pass@cms.example.org/hooks",
        "ftp://cms.example.org/hooks",
        "https:///hooks",
    ],
)
def test_an_endpoint_that_could_reach_inside_is_refused(url: str) -> None:
    with pytest.raises(RefusedTarget):
        check_url(url)


def test_public_https_endpoints_are_accepted_and_private_ones_only_for_development() -> None:
    assert check_url("https://cms.example.org:8443/hooks?x=1")
    assert check_url("https://93.184.215.14/hooks")
    assert check_url("http://127.0.0.1:8080/hooks", allow_private=True)
    for address in ("127.0.0.1", "::ffff:10.0.0.1", "100.64.0.1", "fd00::1", "224.0.0.1"):
        with pytest.raises(RefusedTarget):
            check_address(address)
    check_address("93.184.215.14")


def test_the_sender_will_not_send_to_a_loopback_address_unless_allowed() -> None:
    receiver = Receiver().start()
    try:
        refused = post(receiver.url, b"{}", {}, timeout=2)
        assert (refused.status, refused.error) == (None, "refused-address")
        assert receiver.received == []
        sent = post(receiver.url, b"{}", {"webhook-id": "msg_1"}, timeout=2, allow_private=True)
        assert sent.delivered
        assert sent.status == 200
        assert receiver.received[0].headers["webhook-id"] == "msg_1"
    finally:
        receiver.stop()


def test_a_redirect_is_a_failed_attempt_and_is_not_followed() -> None:
    receiver = Receiver(status=307, extra={"Location": "http://127.0.0.1:9/elsewhere"}).start()
    try:
        outcome = post(receiver.url, b"{}", {}, timeout=2, allow_private=True)
        assert (outcome.status, outcome.error, outcome.delivered) == (307, "http-307", False)
        assert len(receiver.received) == 1
    finally:
        receiver.stop()


def test_a_slow_receiver_is_given_up_on_after_the_timeout() -> None:
    receiver = Receiver(delay=3.0).start()
    try:
        began = time.monotonic()
        outcome = post(receiver.url, b"{}", {}, timeout=0.5, allow_private=True)
        assert (outcome.status, outcome.error) == (None, "timeout")
        assert time.monotonic() - began < 2.5
    finally:
        receiver.stop()


def test_a_receiver_that_is_down_and_retry_after_are_reported() -> None:
    receiver = Receiver(status=503, extra={"Retry-After": "120"}).start()
    try:
        busy = post(receiver.url, b"{}", {}, timeout=2, allow_private=True)
        assert (busy.status, busy.retry_after) == (503, 120.0)
    finally:
        receiver.stop()
    down = post(receiver.url, b"{}", {}, timeout=2, allow_private=True)
    assert (down.status, down.error) == (None, "connection-refused")
