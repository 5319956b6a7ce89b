"""decline-nowhere: a referral that can be declined must leave the victim somewhere to go;
and the profile and structure rules follow a decline like any other handoff."""

from __future__ import annotations

from checks.helpers import run
from pathways.definition.loader import load_text
from pathways.definition.schema import Pathway

BASE = """
id: test/declines
title: Declines
area: Testshire
version: "1"
entry: identified
roles:
  first-responder: {{title: First responder}}
agencies:
  council: {{name: Council, roles: [first-responder]}}
  police: {{name: Police}}
  charity: {{name: Charity}}
profile:
  consent: {{values: [given, declined]}}
stages:
  identified: {{title: Identified, owner: council, kind: identification}}
  decision: {{title: Decision, owner: police, kind: decision}}
  done: {{title: Supported, owner: charity, kind: outcome, outcome: supported}}
  notified: {{title: Notified, owner: council, kind: outcome, outcome: referred-elsewhere}}
  stuck: {{title: Waiting, owner: council, kind: referral}}
handoffs:
  refer:
    from: identified
    to: decision
    by: [council]
    require: acceptance
    acceptance: {{reasons: [not-enough-information]{declined_to}}}
  support: {{from: decision, to: done, by: [police]}}
  onwards: {{from: stuck, to: done, by: [council]}}
{more}
"""


def _pathway(more: str = "", declined_to: str = "") -> Pathway:
    return load_text(BASE.format(more=more, declined_to=declined_to))


def test_a_decline_back_to_a_stage_with_nothing_else_is_found() -> None:
    (finding,) = run(_pathway(), "decline-nowhere")
    assert "declined back to 'Identified'" in finding.message
    assert finding.location is not None


def test_another_way_on_for_every_victim_is_enough() -> None:
    notify = "  notify: {from: identified, to: notified, by: [council]}"
    assert run(_pathway(notify), "decline-nowhere") == []


def test_another_way_on_for_some_victims_leaves_the_others() -> None:
    notify = (
        "  notify: {from: identified, to: notified, by: [council], when: consent == 'declined'}"
    )
    (finding,) = run(_pathway(notify), "decline-nowhere")
    assert "consent given" in finding.message


def test_declined_to_a_stage_with_a_way_on_is_enough() -> None:
    assert run(_pathway(declined_to=", declined_to: stuck"), "decline-nowhere") == []


def test_a_stage_reached_only_by_a_decline_is_reachable() -> None:
    declined_to = _pathway(declined_to=", declined_to: stuck")
    assert [f.subject for f in run(declined_to, "no-unreachable-stage")] == ["stage notified"]
    unreachable = [f.subject for f in run(_pathway(), "no-unreachable-stage")]
    assert unreachable == ["stage notified", "stage stuck"]


def test_a_decline_is_neither_a_ping_pong_nor_a_duplicate() -> None:
    for rule in ("ping-pong", "duplicate-handoff"):
        assert run(_pathway(), rule) == [], rule
