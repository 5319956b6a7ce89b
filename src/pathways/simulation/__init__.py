"""Simulate journeys through a pathway: scenario files, a seeded discrete-event engine, results.

`load_scenario` reads a scenario file; `simulate` runs replications of it on a pathway and
returns `Results` (with `periods="quarter"` and so on, figures by calendar period too:
`Results.periods()`, see `period_stats`); `summary`, `compare_output` and `charts` turn
results into text, JSON, CSV and pictures.
See docs/simulation.md.
"""

from pathways.simulation.compare import Comparison, compare
from pathways.simulation.engine.build import build_model
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.parallel import replicate, run_model, simulate, trace
from pathways.simulation.period_stats import PeriodTable
from pathways.simulation.periods import GRIDS, Period, calendar_periods
from pathways.simulation.results import ReplicationResult, Results, StageFigures
from pathways.simulation.scenario.distributions import DurationSpec
from pathways.simulation.scenario.loader import Scenario, load_scenario, load_scenario_text
from pathways.simulation.scenario.schema import Choice, ScenarioDocument
from pathways.simulation.stats import Estimate, estimate, student_t_quantile

__all__ = [
    "GRIDS",
    "Choice",
    "Comparison",
    "DurationSpec",
    "Engine",
    "Estimate",
    "Period",
    "PeriodTable",
    "ReplicationResult",
    "Results",
    "Scenario",
    "ScenarioDocument",
    "SimModel",
    "StageFigures",
    "build_model",
    "calendar_periods",
    "compare",
    "estimate",
    "load_scenario",
    "load_scenario_text",
    "replicate",
    "run_model",
    "simulate",
    "student_t_quantile",
    "trace",
]
