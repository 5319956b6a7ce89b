"""Small pathways and a runner for one rule at a time, shared by the rule tests.

Imported as `checks.helpers` (`tests/` is on the path, and `tests/checks` has no `__init__.py`).
"""

from __future__ import annotations

from typing import Any

from pathways.checks import Finding, check
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.schema import Pathway
from strategies import build

C = "council"
P = "police"
H = "charity"


def run(pathway: Pathway, rule: str, base: Pathway | None = None) -> list[Finding]:
    """The findings of `rule` alone, at its strict severity so it is always on."""
    config = {"rules": {rule: {"severity": "error"}}}
    report = check(pathway, ChecksConfig.model_validate(config), base=base, with_metrics=False)
    return [f for f in report.findings if f.rule == rule]


def simple(**extra: Any) -> Pathway:
    """identification (council) -> support (charity) -> outcome (charity)."""
    return build(
        {
            "start": "identification",
            "help": {"kind": "support", "owner": H},
            "done": {"kind": "outcome", "owner": H},
        },
        {"refer": ("start", "help"), "close": ("help", "done")},
        **extra,
    )


def extra_stage(pathway: Pathway, **stages: Any) -> Pathway:
    return pathway.model_copy(update={"stages": {**pathway.stages, **stages}})
