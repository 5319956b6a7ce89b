"""A small pathway for the referral-lifecycle tests (issue 15): a minimum stay, a timeout, a
profile change only one role may record. Imported as `runtime.lifecycle_pathway`."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
#: Monday 3 March 2025, 10:00 London time.
MONDAY = datetime(2025, 3, 3, 10, 0, tzinfo=LONDON)

TEXT = """
id: test/lifecycle
title: Lifecycle test pathway
area: Testshire
version: "1"
entry: referred
roles:
  first-responder: {title: First responder}
  support-provider: {title: Support provider}
agencies:
  council: {name: Testshire Council, roles: [first-responder]}
  charity: {name: Testshire Support, roles: [support-provider]}
profile:
  consent:
    values: [given, declined]
    changes: [{from: declined, to: given, by: [first-responder]}]
stages:
  referred: {title: Referred, owner: first-responder, kind: referral}
  recovery:
    {title: Recovery period, owner: support-provider, kind: support, at_least: 30 calendar days}
  lapsed: {title: Lapsed, owner: first-responder, kind: outcome, outcome: exited}
  moved-on: {title: Moved on, owner: support-provider, kind: outcome, outcome: moved-on}
handoffs:
  recover: {from: referred, to: recovery, by: [first-responder]}
  lapse: {from: referred, to: lapsed, by: [], within: 20 working days, timeout: true}
  move-on: {from: recovery, to: moved-on, by: [support-provider]}
"""

DECLINED = {"consent": "declined"}
