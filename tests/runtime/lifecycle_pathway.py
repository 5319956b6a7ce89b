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


#: Two areas with the whole referral lifecycle: a referral the competent authority accepts or
#: declines, a support provider that accepts or declines a victim, paused clocks, withdrawal,
#: closing early, and transfers between the two areas.
AREA = """
id: test/{area}
title: Lifecycle area {area}
area: Area {area}
version: "1"
entry: identified
roles:
  first-responder: {{title: First responder}}
  competent-authority: {{title: Competent authority}}
  support-provider: {{title: Support provider}}
agencies:
  council: {{name: Council, roles: [first-responder]}}
  home-office: {{name: Home Office, roles: [competent-authority]}}
  charity: {{name: Support charity, roles: [support-provider]}}
profile:
  consent:
    values: [given, declined]
    changes: [{{from: declined, to: given, by: [first-responder]}}]
stages:
  identified: {{title: Identified, owner: first-responder, kind: identification}}
  referred:
    title: Referred
    owner: competent-authority
    kind: decision
    within: 5 working days
    pause: {{reasons: [victim-uncontactable]}}
  support:
    title: Support
    owner: support-provider
    kind: support
    within: 10 working days
    pause: {{reasons: [hospital-stay, victim-uncontactable]}}
  supported: {{title: Supported, owner: support-provider, kind: outcome, outcome: supported}}
  notified:
    {{title: Notified, owner: first-responder, kind: outcome, outcome: referred-elsewhere}}
handoffs:
  refer:
    from: identified
    to: referred
    by: [first-responder]
    when: consent == 'given'
    require: acceptance
    acceptance: {{reasons: [not-enough-information, duplicate-referral], within: 2 working days}}
  decide:
    from: referred
    to: support
    by: [competent-authority]
    require: acceptance
    acceptance: {{reasons: [no-capacity], declined_to: referred}}
  finish: {{from: support, to: supported, by: [support-provider]}}
  notify: {{from: identified, to: notified, by: [first-responder]}}
actions:
  withdraw: {{reasons: [victim-withdraws-consent]}}
  close: {{reasons: [duplicate-journey], by: [competent-authority]}}
transfers:
  move-to-{other}:
    to: test/{other}
    stages: {{identified: identified, referred: referred, support: support}}
    by: [first-responder]
"""

AREA_A = AREA.format(area="area-a", other="area-b")
AREA_B = AREA.format(area="area-b", other="area-a")
GIVEN = {"consent": "given"}
