"""One regime's table for the engine: its arrivals, channels, the profile mix of each channel
(with the unknown values a scenario declares), durations and the options at each stage, as plain
numbers."""

from __future__ import annotations

from collections.abc import Mapping

from pathways.definition.profiles import Value
from pathways.runtime.compiler import CompiledPathway
from pathways.simulation.engine.shares import cumulative
from pathways.simulation.engine.tables import Option, RegimeTable
from pathways.simulation.scenario.mix import joint
from pathways.simulation.scenario.regimes import Regime
from pathways.simulation.scenario.unknown import Unknown, with_unknown

__all__ = ["regime_table"]


def regime_table(
    regime: Regime,
    options: dict[int, Option],
    compiled: CompiledPathway,
    numbered: Mapping[tuple[Value, ...], int],
    hidden: Mapping[str, Unknown],
) -> RegimeTable:
    """One regime's table: arrivals, channels, the profile mix per channel, durations, options."""
    channel_names = tuple(regime.channel_shares)
    running, shares = 0.0, []
    for name in channel_names:
        running += regime.channel_shares[name]
        shares.append(running)
    profiles = []
    attributes = compiled.pathway.profile
    for name in channel_names:
        mix = with_unknown(joint(regime.mixes[name], attributes), hidden, attributes)
        numbers = tuple(numbered[values] for values in mix)
        profiles.append((numbers, cumulative(list(mix.values()))))
    return RegimeTable(
        starts=regime.starts,
        per_year=regime.per_year,
        monthly=regime.monthly,
        channels=channel_names,
        channel_cumulative=tuple(c / running for c in shares),
        profiles=tuple(profiles),
        durations=tuple(regime.durations.get(name) for name in compiled.stages),
        options=options,
    )
