"""Teams and splits: several pools of capacity at one stage, each taking a share of the cases.

An agency can have teams, each a `capacity` entry of its own with `agency:` naming the agency
(the entry's name is the team's), its own caseworkers or panel and, if need be, its own
`durations`. Two agencies that fill one role (the Single Competent Authority and the Immigration
Enforcement Competent Authority deciding NRM cases) are written the same way. `split` says, for
a stage served by several entries, which share of cases each takes, optionally by profile:

```yaml
capacity:
  sca: {agency: home-office, caseworkers: 120, stages: [rg-decision, cg-decision]}
  ieca:
    agency: home-office
    caseworkers: 30
    stages: [rg-decision, cg-decision]
    durations: {cg-decision: {distribution: lognormal, mean: 500, sd: 300}}
split:
  rg-decision: {sca: 0.81, ieca: 0.19}
  cg-decision:
    depends_on: age_group
    by: {child: {sca: 1}, adult: {sca: 0.78, ieca: 0.22}}
```

Which entry takes a case is drawn from the journey's own number of the stage's `agency` stream,
so the same victim goes to the same team in every what-if that keeps the shares.
"""

from __future__ import annotations

from pathways.definition.messages import did_you_mean, one_of
from pathways.definition.schema import Pathway
from pathways.errors import Location, Problem
from pathways.simulation.scenario.loader import Scenario
from pathways.simulation.scenario.mix import check_choice
from pathways.simulation.scenario.regimes import capacity_stages

__all__ = ["check_split"]


def _problem(message: str, at: Location | None, expected: str, hint: str) -> Problem:
    return Problem("bad-split", message, at, expected=expected, hint=hint)


def check_split(pathway: Pathway, scenario: Scenario) -> list[Problem]:
    """Problems with `split`: each stage must be served by exactly the entries it names."""
    document = scenario.document
    serving: dict[str, list[str]] = {}
    for pool, stages in capacity_stages(pathway, scenario).items():
        for stage in stages:
            serving.setdefault(stage, []).append(pool)
    problems: list[Problem] = []
    for stage, choice in document.split.items():
        at = scenario.location("split", stage) or scenario.location("split")
        if stage not in pathway.stages:
            problems.append(
                _problem(
                    f"split names '{stage}', which is not a stage",
                    at,
                    one_of(sorted(serving)),
                    did_you_mean(stage, pathway.stages) or "name a stage served by capacity",
                )
            )
            continue
        pools = tuple(serving.get(stage, ()))
        named = choice.names()
        missing = [pool for pool in pools if pool not in named]
        if len(pools) < 2 or missing:
            problems.append(
                _problem(
                    f"split.{stage} should share its cases between the capacity entries that "
                    f"serve it ({', '.join(pools) or 'none'})",
                    at,
                    "two or more capacity entries listing the stage, each given a share",
                    f"give a share to {', '.join(missing)}"
                    if missing
                    else f"list '{stage}' under 'stages' of each team that serves it",
                )
            )
            continue
        problems.extend(
            check_choice(choice, pools, f"split.{stage}", at, pathway.profile, flag=False)
        )
    return problems
