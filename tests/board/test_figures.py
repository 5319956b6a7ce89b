"""What a journey's events count for (`pathways.board.figures`): retellings follow what was
shared.
"""

from __future__ import annotations

from datetime import datetime

from board.helpers import LONDON
from pathways.board import (
    parse_period,
)
from pathways.board.figures import walk
from pathways.definition.loader import load_text
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.opening import start


def test_retellings_follow_what_was_actually_shared() -> None:
    pathway = load_text(RETELLING)
    compiled = compile_pathway(pathway)
    period = parse_period("2025-01-01..2025-12-31")
    at = datetime(2025, 3, 3, 9, 0, tzinfo=LONDON)
    for shares, expected in (([], 2), (["account"], 1)):
        journey = start(compiled, "T-1", {}, at, "council")
        journey.handoff("ask-again", by="council", at=at)  # 'second' asks again: 1
        journey.handoff("pass-on", by="council", at=at, shares=shares)
        journey.handoff("finish", by="council", at=at)
        facts = walk(compiled, journey.history, period)
        assert (facts.handoffs, facts.retellings) == (3, expected)


RETELLING = """
id: test/retell
title: Retelling test
area: Testshire
version: "1"
entry: first
roles:
  first-responder: {title: First responder}
agencies:
  council: {name: Council, roles: [first-responder]}
information:
  account: {title: Account, sensitivity: special-category}
stages:
  first: {title: First, owner: council, kind: identification, collects: [account]}
  second: {title: Second, owner: council, kind: safeguarding, collects: [account]}
  third: {title: Third, owner: council, kind: support, collects: [account]}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  ask-again: {from: first, to: second, by: [council]}
  pass-on: {from: second, to: third, by: [council], shares: [account]}
  finish: {from: third, to: done, by: [council]}
"""
