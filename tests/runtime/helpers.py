"""The journey runtime tests' pathway (`TEXT`), profiles and times, and a child referred to the NRM.

Imported as `runtime.helpers` (`tests/` is on the path, and `tests/runtime` has no `__init__.py`);
the compiled pathway is the `compiled` fixture in `tests/runtime/conftest.py`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start

LONDON = ZoneInfo("Europe/London")
FRIDAY = datetime(2025, 12, 19, 10, 0, tzinfo=LONDON)  # the last Friday before Christmas 2025

TEXT = """
id: test/journeys
title: Testshire referral pathway
area: Testshire
version: "1"
entry: identified
roles:
  first-responder: {title: First responder}
  police: {title: Police}
  support-provider: {title: Support provider}
agencies:
  council: {name: Testshire Council, roles: [first-responder]}
  constabulary: {name: Testshire Police, roles: [police, first-responder]}
  charity: {name: Testshire Support, roles: [support-provider]}
profile:
  age_group:
    values: [child, adult]
    changes: [{from: child, to: adult, description: turns 18}]
  consent:
    values: [given, declined, unsure]
    changes: [{from: unsure, to: given}, {from: declined, to: given}]
  needs_accommodation: {flag: true}
information:
  account: {title: Account, sensitivity: special-category}
  consent-record: {title: Consent record, sensitivity: personal}
  address: {title: Address, sensitivity: personal}
tracks:
  police: {title: Police investigation, entry: crime-recorded}
stages:
  identified:
    {title: Potential victim identified, owner: first-responder, kind: identification,
     within: 2 working days}
  safe-house: {title: Place of safety, owner: support-provider, kind: safeguarding}
  nrm-referral:
    {title: NRM referral, owner: first-responder, kind: referral, within: 5 working days}
  notified:
    {title: Home Office notified, owner: council, kind: outcome, outcome: referred-elsewhere}
  supported: {title: Supported, owner: charity, kind: outcome, outcome: supported}
  crime-recorded:
    {title: Crime recorded, owner: police, kind: investigation, track: police, within: 30 days}
  charged: {title: Charged, owner: police, kind: outcome, outcome: charged, track: police}
  no-further-action:
    {title: No further action, owner: police, kind: outcome, outcome: no-further-action,
     track: police}
handoffs:
  to-safe-house:
    {from: identified, to: safe-house, by: [first-responder], when: needs_accommodation,
     shares: [address]}
  refer-to-nrm:
    from: [identified, safe-house]
    to: nrm-referral
    by: [first-responder]
    when: age_group == 'child' or consent == 'given'
    shares: [account, consent-record]
    starts: [police]
  notify:
    from: [identified, safe-house]
    to: notified
    by: [first-responder]
    when: age_group == 'adult' and consent in ['declined', 'unsure']
  leave-safe-house:
    {from: safe-house, to: identified, by: [], within: 3 working days, timeout: true}
  support: {from: nrm-referral, to: supported, by: [charity], waits_for: [police]}
  charge: {from: crime-recorded, to: charged, by: [police]}
  no-charge:
    {from: crime-recorded, to: no-further-action, by: [police], within: 30 days, timeout: true}
"""

ADULT_DECLINES = {"age_group": "adult", "consent": "declined", "needs_accommodation": False}
CHILD = {"age_group": "child", "consent": "unsure", "needs_accommodation": True}


def child_referred(compiled: CompiledPathway) -> Journey:
    journey = start(compiled, "TS-CHILD-1", CHILD, FRIDAY, "council")
    journey.handoff("refer-to-nrm", by="council", at=FRIDAY, shares=["account"])
    return journey
