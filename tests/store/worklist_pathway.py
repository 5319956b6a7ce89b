"""A pathway for the worklist tests: a referral the Single Competent Authority accepts and
decides (its clock can be paused), a police investigation and local support on tracks of their
own, each owned by another agency. Imported as `store.worklist_pathway`."""

from __future__ import annotations

from pathways.definition.loader import load_text
from pathways.runtime.compiler import CompiledPathway, compile_pathway

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
