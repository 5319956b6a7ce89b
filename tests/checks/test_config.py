"""Presets, per-rule severity and options, suppressions with their reason, project configs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from pathways.checks import RULES, Severity, check, find_project_config, read_config, resolve
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError
from strategies import build


def ping_pong(**extra: Any) -> Pathway:
    return build(
        {
            "triage": "identification",
            "check": {"kind": "investigation", "owner": "police"},
            "help": "support",
            "done": "outcome",
        },
        {"refer": ("triage", "check"), "back": ("check", "help"), "close": ("help", "done")},
        **extra,
    )


def test_presets_set_every_rule() -> None:
    recommended, strict = resolve(preset="recommended"), resolve(preset="strict")
    assert set(recommended.severities) == set(RULES) == set(strict.severities)
    assert recommended.severities["superfluous-stage"] is Severity.INFO
    assert strict.severities["superfluous-stage"] is Severity.WARNING
    assert recommended.severities["ping-pong"] is Severity.WARNING
    assert strict.severities["ping-pong"] is Severity.ERROR


def test_unknown_preset_and_rule_are_refused() -> None:
    with pytest.raises(DefinitionError, match="no preset 'lenient'"):
        resolve(preset="lenient")
    config = ChecksConfig.model_validate({"rules": {"ping-pnog": {"severity": "off"}}})
    with pytest.raises(DefinitionError) as caught:
        resolve(project=config)
    assert caught.value.problems[0].code == "unknown-rule"
    assert "ping-pong" in (caught.value.problems[0].hint or "")


def test_pathway_section_overrides_project_and_preset_overrides_both() -> None:
    p = ping_pong(checks={"rules": {"ping-pong": {"severity": "error"}}})
    project = ChecksConfig.model_validate({"rules": {"ping-pong": {"severity": "off"}}})
    report = check(p, project, with_metrics=False)
    assert [f.severity for f in report.findings if f.rule == "ping-pong"] == [Severity.ERROR]
    off = ping_pong(checks={"rules": {"ping-pong": {"severity": "off"}}})
    assert not [f for f in check(off).findings if f.rule == "ping-pong"]
    strict = check(ping_pong(), preset="strict", with_metrics=False)
    assert strict.errors >= 1


def test_suppression_keeps_the_finding_with_its_reason() -> None:
    reason = "The police hand back to the council by agreement."
    p = ping_pong(checks={"suppress": [{"rule": "ping-pong", "at": "back", "reason": reason}]})
    report = check(p, with_metrics=False)
    found = [f for f in report.findings if f.rule == "ping-pong"]
    assert [f.suppressed for f in found] == [reason]
    assert report.warnings == 0
    assert report.suppressed == 1
    assert f"accepted by the forum: {reason}" in found[0].format()
    assert found[0].format().startswith("test.yaml:")


def test_suppression_of_another_subject_does_not_apply() -> None:
    p = ping_pong(checks={"suppress": [{"rule": "ping-pong", "at": "close", "reason": "r"}]})
    found = [f for f in check(p).findings if f.rule == "ping-pong"]
    assert [f.suppressed for f in found] == [None]


def test_a_suppression_needs_a_reason() -> None:
    with pytest.raises(ValidationError):
        ChecksConfig.model_validate({"suppress": [{"rule": "ping-pong", "reason": ""}]})
    with pytest.raises(ValidationError):
        ChecksConfig.model_validate({"suppress": [{"rule": "ping-pong"}]})


def test_options_reach_the_rule() -> None:
    p = ping_pong()
    low = ChecksConfig.model_validate({"rules": {"max-handoffs": {"options": {"limit": 1}}}})
    found = [f for f in check(p, low).findings if f.rule == "max-handoffs"]
    assert len(found) == 1
    assert "more than 1 times" in found[0].message
    assert not [f for f in check(p).findings if f.rule == "max-handoffs"]


def test_project_config_from_toml(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[tool.pathways.checks]\npreset = "strict"\n'
        '[tool.pathways.checks.rules.ping-pong]\nseverity = "off"\n',
        encoding="utf-8",
    )
    nested = tmp_path / "pathways" / "area"
    nested.mkdir(parents=True)
    config = find_project_config(nested)
    assert config is not None
    assert config.preset == "strict"
    assert config.rules["ping-pong"].severity == "off"
    plain = tmp_path / "checks.toml"
    plain.write_text('preset = "recommended"\n[[suppress]]\nrule = "ping-pong"\n', "utf-8")
    with pytest.raises(DefinitionError, match="suppress"):
        read_config(plain)


def test_a_suppression_that_matches_nothing_is_a_warning_with_the_closest_name() -> None:
    p = ping_pong(checks={"suppress": [{"rule": "ping-pong", "at": "bakc", "reason": "r"}]})
    report = check(p, with_metrics=False)
    assert [f.suppressed for f in report.findings if f.rule == "ping-pong"] == [None]
    (unmatched,) = [f for f in report.findings if f.rule == "unmatched-suppression"]
    assert unmatched.severity is Severity.WARNING
    assert unmatched.message == (
        "the suppression of 'ping-pong' at 'bakc' matches no finding, so it hides nothing"
    )
    assert unmatched.hint == "did you mean 'back'?"


def test_a_suppression_of_a_rule_that_finds_nothing_says_to_remove_it() -> None:
    p = ping_pong(checks={"suppress": [{"rule": "no-dead-end", "reason": "r"}]})
    (unmatched,) = [f for f in check(p).findings if f.rule == "unmatched-suppression"]
    assert "remove the suppression of 'no-dead-end'" in (unmatched.hint or "")
    quiet = ping_pong(
        checks={
            "rules": {"no-dead-end": {"severity": "off"}},
            "suppress": [{"rule": "no-dead-end", "reason": "r"}],
        }
    )
    assert not [f for f in check(quiet).findings if f.rule == "unmatched-suppression"]


def test_a_ping_pong_is_suppressed_at_either_handoff_and_says_so() -> None:
    for at in ("refer", "back"):
        p = ping_pong(checks={"suppress": [{"rule": "ping-pong", "at": at, "reason": "r"}]})
        report = check(p, with_metrics=False)
        assert [f.suppressed for f in report.findings if f.rule == "ping-pong"] == ["r"]
        assert not [f for f in report.findings if f.rule == "unmatched-suppression"]
    (found,) = [f for f in check(ping_pong()).findings if f.rule == "ping-pong"]
    assert "suppress 'ping-pong' at 'refer' or 'back'" in (found.hint or "")


UNKNOWN_RULE = """id: test/unknown-rule
title: Unknown rule
area: Testshire
version: "1"
entry: start
roles: {first-responder: {title: First responder}}
agencies: {council: {name: Council, roles: [first-responder]}}
stages:
  start: {title: Start, owner: council, kind: identification}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  close: {from: start, to: done, by: [council]}
checks:
  rules:
    ping-pnog: {severity: "off"}
  suppress:
    - {rule: no-dead-end, reason: fine}
    - {rule: dead-hand-off, reason: fine}
"""


def test_an_unknown_rule_is_reported_where_it_is_written() -> None:
    from pathways.definition.loader import load_text

    pathway = load_text(UNKNOWN_RULE, path="unknown.yaml")
    with pytest.raises(DefinitionError) as caught:
        check(pathway)
    assert [p.format().splitlines()[0] for p in caught.value.problems] == [
        "unknown.yaml:15:5: error[unknown-rule]: checks: there is no rule 'ping-pnog'",
        "unknown.yaml:18:14: error[unknown-rule]: checks: there is no rule 'dead-hand-off'",
    ]
