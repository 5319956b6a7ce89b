"""Domain rules: facts of national guidance, each with a pathway that breaks it and one that
keeps it. The pathways are baselines (`baseline: true`), for which domain rules run."""

from __future__ import annotations

from typing import Any

from checks.helpers import H, P, run
from pathways.checks import check
from pathways.definition.schema import Pathway
from strategies import build

ADULT_DECLINED = "age_group == 'adult' and consent == 'declined'"
MAY_REFER = "age_group == 'child' or consent == 'given'"


def national(stages: dict[str, Any], handoffs: dict[str, Any], **extra: Any) -> Pathway:
    """A baseline-like pathway: the domain rules apply to it."""
    return build(stages, handoffs, baseline=True, **extra)


def _nrm(owner: str = "council", when: str | None = MAY_REFER, **more: Any) -> Pathway:
    refer: dict[str, Any] = {"from": "start", "to": "nrm"}
    if when:
        refer["when"] = when
    refer.update(more)
    return national(
        {
            "start": {"kind": "identification", "tags": ["childrens-services-referral"]},
            "nrm": {"kind": "referral", "owner": owner, "tags": ["nrm-referral"]},
            "done": "outcome",
            "closed": {"kind": "outcome", "outcome": "closed-without-support"},
        },
        {
            "refer": refer,
            "decided": ("nrm", "done"),
            "no": {"from": "start", "to": "closed", "when": ADULT_DECLINED},
        },
    )


def test_domain_rules_do_not_run_on_a_plain_local_file() -> None:
    local = build({"start": {"kind": "identification", "tags": ["nrm-referral"]}}, {})
    assert not [f for f in check(local).findings if f.rule.startswith("nrm-")]


def test_nrm_first_responder() -> None:
    found = run(_nrm(owner=H), "nrm-first-responder")
    assert [f.subject for f in found] == ["stage nrm"]
    assert "Safe Haven Charity" in found[0].message
    assert not run(_nrm(), "nrm-first-responder")


def test_nrm_adult_consent() -> None:
    found = run(_nrm(when=None), "nrm-adult-consent")
    assert [f.subject for f in found] == ["handoff refer"]
    assert found[0].profiles is not None
    assert "declined" in found[0].profiles
    assert not run(_nrm(), "nrm-adult-consent")


def _consent_talk(declined_to: str) -> Pathway:
    return national(
        {
            "talk": {"kind": "referral", "owner": P, "tags": ["consent-discussion"]},
            "nrm": {"kind": "referral", "owner": P, "tags": ["nrm-referral"]},
            "notify": {"kind": "referral", "owner": P, "tags": ["duty-to-notify"]},
            "done": {"kind": "outcome", "owner": P},
        },
        {
            "refer": {"from": "talk", "to": "nrm", "when": MAY_REFER},
            "declined": {"from": "talk", "to": declined_to, "when": ADULT_DECLINED},
            "a": ("nrm", "done"),
            "b": ("notify", "done"),
        },
    )


def test_duty_to_notify_route() -> None:
    found = run(_consent_talk("done"), "duty-to-notify-route")
    assert [f.subject for f in found] == ["stage talk"]
    assert not run(_consent_talk("notify"), "duty-to-notify-route")


def _children(first: str) -> Pathway:
    return national(
        {
            "start": "identification",
            "care": {"kind": "safeguarding", "tags": ["childrens-services-referral"]},
            "nrm": {"kind": "referral", "tags": ["nrm-referral"]},
            "done": "outcome",
        },
        {
            "kids": {"from": "start", "to": first, "when": "age_group == 'child'"},
            "adults": {"from": "start", "to": "nrm", "when": "age_group == 'adult'"},
            "care-nrm": ("care", "nrm") if first == "care" else ("care", "done"),
            "nrm-care": ("nrm", "done") if first == "care" else ("nrm", "care"),
        },
    )


def test_child_care_before_nrm() -> None:
    found = run(_children("nrm"), "child-care-before-nrm")
    assert [f.subject for f in found] == ["stage nrm"]
    assert found[0].profiles is not None
    assert "adult" not in found[0].profiles
    assert not run(_children("care"), "child-care-before-nrm")


def test_child_no_consent_gate() -> None:
    found = run(_nrm(when="consent == 'given'"), "child-no-consent-gate")
    assert [f.subject for f in found] == ["handoff refer"]
    assert found[0].profiles is not None
    assert "child" in found[0].profiles
    assert not run(_nrm(), "child-no-consent-gate")


def _both(after_nrm: str) -> Pathway:
    return national(
        {
            "start": "identification",
            "nrm": {"kind": "referral", "tags": ["nrm-referral"]},
            "notify": {"kind": "referral", "tags": ["duty-to-notify"]},
            "done": "outcome",
        },
        {
            "refer": {"from": "start", "to": "nrm", "when": MAY_REFER},
            "declined": {"from": "start", "to": "notify", "when": ADULT_DECLINED},
            "then": ("nrm", after_nrm),
            "end": ("notify", "done"),
        },
    )


def test_nrm_and_duty_to_notify() -> None:
    found = run(_both("notify"), "nrm-and-duty-to-notify")
    assert [f.subject for f in found] == ["stage notify"]
    assert not run(_both("done"), "nrm-and-duty-to-notify")


def _limit(days: str) -> Pathway:
    return national(
        {"rg": {"kind": "decision", "within": days, "owner": H}, "done": "outcome"},
        {"a": ("rg", "done")},
    )


def test_local_time_limits() -> None:
    base = _limit("5 working days")
    found = run(_limit("10 working days"), "local-time-limits", base=base)
    assert [f.subject for f in found] == ["stage rg"]
    assert "5 working days" in found[0].message
    assert not run(_limit("5 working days"), "local-time-limits", base=base)
    assert not run(_limit("7 days"), "local-time-limits", base=base)  # 5 working days is 7 days


def _police(starts: bool) -> Pathway:
    refer: dict[str, Any] = {"from": "start", "to": "nrm", "when": MAY_REFER}
    if starts:
        refer["starts"] = ["police"]
    return national(
        {
            "start": "identification",
            "nrm": {"kind": "referral", "tags": ["nrm-referral"]},
            "done": "outcome",
            "closed": {"kind": "outcome", "outcome": "closed-without-support"},
            "crime": {
                "kind": "investigation",
                "owner": P,
                "track": "police",
                "tags": ["crime-recorded"],
            },
            "nfa": {
                "kind": "outcome",
                "owner": P,
                "track": "police",
                "outcome": "no-further-action",
            },
        },
        {
            "refer": refer,
            "no": {"from": "start", "to": "closed", "when": ADULT_DECLINED},
            "decided": ("nrm", "done"),
            "investigated": ("crime", "nfa"),
        },
        tracks={"police": {"title": "Police investigation", "entry": "crime"}},
    )


def test_nrm_police_track() -> None:
    found = run(_police(False), "nrm-police-track")
    assert [f.subject for f in found] == ["stage nrm"]
    assert not run(_police(True), "nrm-police-track")
