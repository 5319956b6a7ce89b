"""The case-test tests' timed pathway and two shorthands: run cases, and report an outcome.

Imported as `casetests.helpers` (`tests/` is on the path, and `tests/casetests` has no
`__init__.py`); the loaded pathways are fixtures in `tests/casetests/conftest.py`.
"""

from __future__ import annotations

from pathways.casetests import Outcome, format_outcome, load_cases_text, run_suite
from pathways.definition.schema import Pathway

#: A pathway with a time limit, a deadline, a timeout, a parallel police track that the main
#: track waits for, and a loop (a decision that can be reconsidered).
TIMED = """
id: test/timed
title: Timed pathway
area: Testshire
version: "1"
entry: found
roles:
  first-responder: {title: First responder}
  police: {title: Police}
  decider: {title: Decider}
agencies:
  council: {name: Test Council, roles: [first-responder]}
  force: {name: Test Police, roles: [police, first-responder]}
  authority: {name: Test Authority, roles: [decider]}
profile:
  age_group: {values: [adult, child], changes: [{from: child, to: adult}]}
  urgent: {flag: true}
information:
  account: {title: The account, sensitivity: special-category}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  found: {title: Found, owner: first-responder, kind: identification, collects: [account]}
  referral: {title: Referral, owner: first-responder, kind: referral, within: 2 working days}
  decision: {title: Decision, owner: decider, kind: decision, within: 5 working days}
  review: {title: Review, owner: decider, kind: decision, collects: [account]}
  support: {title: Support, owner: first-responder, kind: support}
  supported: {title: Supported, owner: first-responder, kind: outcome, outcome: supported}
  closed: {title: Closed, owner: first-responder, kind: outcome, outcome: closed-without-support}
  crime-recorded: {title: Crime recorded, owner: police, kind: investigation, track: police}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
handoffs:
  refer: {from: found, to: referral, by: [first-responder], shares: [account]}
  submit: {from: referral, to: decision, by: [first-responder], shares: [account]}
  report-crime:
    from: found
    to: referral
    by: [police]
    when: urgent
    starts: [police]
  positive: {from: decision, to: support, by: [decider]}
  negative: {from: decision, to: review, by: [decider]}
  lapse: {from: decision, to: closed, within: 10 working days, timeout: true, by: []}
  reconsider: {from: review, to: decision, by: [decider]}
  give-up: {from: review, to: closed, by: [decider]}
  finish: {from: support, to: supported, by: [first-responder], waits_for: [police]}
  charge: {from: crime-recorded, to: charged, by: [police]}
"""


def run(pathway: Pathway, cases: str) -> dict[str, Outcome]:
    suite = load_cases_text(cases, pathway, path="cases.tests.yaml")
    return {o.name: o for o in run_suite(suite)}


def report(outcome: Outcome, pathway: Pathway) -> str:
    return format_outcome(outcome, pathway)
