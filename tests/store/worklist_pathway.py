"""A pathway for the worklist tests: a referral the Single Competent Authority accepts and
decides (its clock can be paused), a police investigation and local support on tracks of their
own, each owned by another agency. Imported as `store.worklist_pathway`."""

from __future__ import annotations

from datetime import datetime

from pathways.definition.loader import load_text
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.store import JourneyStore

TEXT = """
id: test/worklists
title: Worklists test pathway
area: Workshire
version: "1"
entry: identified
roles:
  first-responder: {title: First responder}
  competent-authority: {title: Single Competent Authority}
  police: {title: Police}
agencies:
  council: {name: Workshire Council, roles: [first-responder]}
  constabulary: {name: Workshire Police, roles: [police, first-responder]}
  home-office: {name: Single Competent Authority, roles: [competent-authority]}
profile:
  consent:
    values: [given, declined]
    changes: [{from: declined, to: given, by: [first-responder]}]
tracks:
  police: {title: Police investigation, entry: investigation}
  support: {title: Local support, entry: local-support}
stages:
  identified:
    {title: Identified, owner: first-responder, kind: identification, within: 2 working days}
  decision:
    title: Reasonable grounds decision
    owner: competent-authority
    kind: decision
    within: 5 working days
    pause: {reasons: [victim-uncontactable]}
  decided: {title: Decided, owner: competent-authority, kind: outcome, outcome: supported}
  investigation:
    {title: Investigation, owner: police, kind: investigation, within: 60 working days,
     track: police}
  investigated:
    {title: Investigated, owner: police, kind: outcome, outcome: no-further-action,
     track: police}
  local-support:
    {title: Local support, owner: council, kind: support, within: 20 calendar days,
     track: support}
  supported-locally:
    {title: Supported locally, owner: council, kind: outcome, outcome: supported,
     track: support}
handoffs:
  refer:
    from: identified
    to: decision
    by: [first-responder]
    when: consent == 'given'
    require: acceptance
    acceptance: {reasons: [not-enough-information], within: 2 working days}
    starts: [police, support]
  decide: {from: decision, to: decided, by: [competent-authority]}
  close-investigation: {from: investigation, to: investigated, by: [police]}
  end-support: {from: local-support, to: supported-locally, by: [council]}
actions:
  withdraw: {reasons: [victim-withdraws-consent]}
"""


def compiled_worklists() -> CompiledPathway:
    return compile_pathway(load_text(TEXT))


def act(store: JourneyStore, case_ref: str, action: tuple[str | None, ...], at: datetime) -> None:
    """Make one of the worklist tests' actions, `(what, trigger, by)`, on the stored journey."""
    what, trigger, by = action
    assert by is not None
    if what == "handoff":
        assert trigger is not None
        store.handoff(case_ref, trigger, by=by, at=at)
    elif what == "accept":
        store.accept(case_ref, "refer", by=by, at=at)
    elif what == "decline":
        store.decline(case_ref, "refer", reason="not-enough-information", by=by, at=at)
    elif what == "pause":
        store.pause(case_ref, reason="victim-uncontactable", by=by, at=at)
    elif what == "resume":
        store.resume(case_ref, by=by, at=at)
    elif what == "withdraw":
        store.withdraw(case_ref, reason="victim-withdraws-consent", by=by, at=at)
    else:
        store.update_profile(case_ref, "consent", "given", by=by, at=at)
