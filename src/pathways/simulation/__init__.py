"""Simulate journeys through a pathway: scenario files, a seeded discrete-event engine, results.

`load_scenario` reads a scenario file; `simulate` runs replications of it on a pathway and
returns `Results`; `report` and `charts` turn results into text, JSON, CSV and pictures.
See docs/simulation.md.
"""

from pathways.simulation.compare import Comparison, compare
from pathways.simulation.engine.build import build_model
from pathways.simulation.engine.loop import Engine
from pathways.simulation.engine.tables import SimModel
from pathways.simulation.parallel import replicate, run_model, simulate, trace
from pathways.simulation.results import ReplicationResult, Results, StageFigures
from pathways.simulation.scenario.distributions import DurationSpec
from pathways.simulation.scenario.loader import Scenario, load_scenario, load_scenario_text
from pathways.simulation.scenario.schema import Choice, ScenarioDocument
from pathways.simulation.stats import Estimate, estimate, student_t_quantile

__all__ = [
    "Choice",
    "Comparison",
    "DurationSpec",
    "Engine",
    "Estimate",
    "ReplicationResult",
    "Results",
    "Scenario",
    "ScenarioDocument",
    "SimModel",
    "StageFigures",
    "build_model",
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
