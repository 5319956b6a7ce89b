"""Information rules (`pathways.checks.rules.information`): a pathway that triggers each, and one
that must not.
"""

from __future__ import annotations

from typing import Any

from checks.helpers import run
from pathways.definition.schema import Pathway
from strategies import build

INFO = {
    "information": {
        "account": {"title": "The victim's account", "sensitivity": "special-category"},
        "address": {"title": "Safe address", "sensitivity": "personal"},
    }
}


def _story(shares: tuple[list[str], list[str]], right: str = "age_group == 'child'") -> Pathway:
    return build(
        {
            "start": {"kind": "identification", "collects": ["account"]},
            "left": {"kind": "referral", "owner": "police"},
            "right": {"kind": "referral", "owner": "police"},
            "assess": {"kind": "referral", "owner": "police", "collects": ["account"]},
            "done": "outcome",
        },
        {
            "l": {"from": "start", "to": "left", "shares": shares[0]},
            "r": {"from": "start", "to": "right", "when": right, "shares": shares[1]},
            "l2": {"from": "left", "to": "assess"},
            "r2": {"from": "right", "to": "assess"},
            "end": ("assess", "done"),
        },
        **INFO,
    )


def test_repeat_story_on_some_route() -> None:
    found = run(_story((["account"], [])), "repeat-story")
    assert [f.subject for f in found] == ["stage assess"]
    assert found[0].profiles is not None
    assert "child" in found[0].profiles
    assert "adult" not in found[0].profiles
    assert "'Start' (start) already asked" in found[0].message
    assert not run(_story((["account"], ["account"])), "repeat-story")
    assert not run(_story((["account"], [])), "repeat-story-every-route")


def test_repeat_story_when_shared_on_one_handoff_and_not_the_next() -> None:
    # the council shares the account with the charity, which does not pass it to the police
    pathway = build(
        {
            "start": {"kind": "identification", "collects": ["account"]},
            "hostel": {"kind": "support", "owner": "charity"},
            "interview": {"kind": "investigation", "owner": "police", "collects": ["account"]},
            "done": "outcome",
        },
        {
            "place": {"from": "start", "to": "hostel", "shares": ["account"]},
            "report": ("hostel", "interview"),
            "end": ("interview", "done"),
        },
        **INFO,
    )
    found = run(pathway, "repeat-story-every-route")
    assert [f.subject for f in found] == ["stage interview"]
    assert "no handoff shared it with 'Testshire Police'" in found[0].message


def test_the_same_agency_does_not_ask_again() -> None:
    # both stages are the council's: it has the account from the first
    pathway = build(
        {
            "start": {"kind": "identification", "collects": ["account"]},
            "assess": {"kind": "referral", "collects": ["account"]},
            "done": "outcome",
        },
        {"go": ("start", "assess"), "end": ("assess", "done")},
        **INFO,
    )
    assert not run(pathway, "repeat-story-every-route")
    assert not run(pathway, "repeat-story")


def test_repeat_story_on_every_route() -> None:
    found = run(_story(([], [])), "repeat-story-every-route")
    assert [f.subject for f in found] == ["stage assess"]
    assert found[0].profiles == "any victim"
    assert not run(_story(([], [])), "repeat-story")  # reported once, by the stronger rule


def _needs(collected: list[str]) -> Pathway:
    stages: dict[str, Any] = {
        "start": {"kind": "identification", "collects": collected},
        "decide": {"kind": "decision", "needs": ["address"]},
        "done": "outcome",
    }
    return build(stages, {"a": ("start", "decide"), "b": ("decide", "done")}, **INFO)


def test_unshared_information() -> None:
    found = run(_needs([]), "unshared-information")
    assert [f.subject for f in found] == ["stage decide"]
    assert not run(_needs(["address"]), "unshared-information")
