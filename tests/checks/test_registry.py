"""The rule registry (`pathways.checks.registry.RULES`): every rule is there, and none of the
structure or profile rules finds anything in a clean pathway.

Each rule's own tests (a small pathway that triggers it, and one that must not) are in
`tests/checks/rules/`, one file per rule module."""

from __future__ import annotations

import pytest

from checks.helpers import run, simple
from pathways.checks import RULES


def test_every_rule_is_tested_here_or_in_the_other_rule_files() -> None:
    assert len(RULES) >= 27


@pytest.mark.parametrize("rule", sorted(RULES))
def test_clean_pathway_has_no_structure_or_profile_findings(rule: str) -> None:
    if RULES[rule].family in ("structure", "profiles"):
        assert not run(simple(), rule)
