"""`pathways check`: find every victim who falls through a gap, every handoff that happens twice
and every place a victim must retell their story, each with a route that shows it.

```python
from pathways.checks import check
report = check(pathway)            # a CheckReport: findings (sorted) and metrics
for finding in report.findings:
    print(finding.format())
```

Rules live in one module per family (`structure`, `profiles`, `handoffs`,
`information`, `domain`) and register themselves in `RULES`; `docs/rules.md` explains each.
`run` holds how `check` runs them, `findings` what it returns, `config` the presets and the
project configuration, `metrics` the figures, and `output` the report as text, JSON, SARIF or
Markdown. This module is the public surface.
"""

from __future__ import annotations

from pathways.checks.config import PRESETS, Settings, find_project_config, read_config, resolve
from pathways.checks.findings import CheckReport, Finding
from pathways.checks.metrics import Metrics, ProfileMetrics
from pathways.checks.registry import RULES, Rule, Severity
from pathways.checks.run import check

__all__ = [
    "PRESETS",
    "RULES",
    "CheckReport",
    "Finding",
    "Metrics",
    "ProfileMetrics",
    "Rule",
    "Settings",
    "Severity",
    "check",
    "find_project_config",
    "read_config",
    "resolve",
]
