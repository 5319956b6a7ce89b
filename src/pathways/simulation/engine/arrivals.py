"""Who arrives and when: Poisson arrival times, profiles and the profile changes drawn on arrival.

Arrival times come from the replication's arrivals stream; each victim's channel, profile and
profile changes from their own numbers in the `channel`, `profile` and `profile-changes`
streams (`streams.Streams`). So two scenarios run with the same seed see the same victims at
the same times wherever their arrival values agree, and the same victim gets the same profile
wherever the profile mix agrees.

The arrival rate is constant within each piece of time between month starts and regime
changes: `per_year / 365.25` times the month's seasonal weight. Arrivals are drawn by walking
through the pieces with exponentially distributed amounts of *expected arrivals* (the standard
inversion of a piecewise-constant Poisson process), which is exact and needs no thinning.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections.abc import Iterator, Mapping
from math import log

from pathways.simulation.engine.clock import Clock
from pathways.simulation.engine.tables import RegimeTable, SimModel

__all__ = ["MAX_CHANGES", "arrival_times", "draw_changes", "draw_profile"]

#: At most this many profile changes are drawn for one journey.
MAX_CHANGES = 8


def arrival_times(model: SimModel, clock: Clock, rng: random.Random) -> Iterator[float]:
    """Poisson arrival times from day 0 to the horizon."""
    starts = [r.starts for r in model.regimes]
    bounds = sorted({0.0, *clock.month_starts(model.horizon), *starts[1:], model.horizon})
    bounds = [b for b in bounds if 0.0 <= b <= model.horizon]
    rates = []
    for low in bounds[:-1]:
        regime = model.regimes[bisect_right(starts, low) - 1]
        month = clock.date_of(low).month - 1
        rates.append(regime.per_year / 365.25 * regime.monthly[month])
    segment, time, draw = 0, 0.0, rng.random
    while segment < len(rates):
        need = -log(1.0 - draw())  # `rng.expovariate(1.0)`, without the call
        while segment < len(rates):
            end, rate = bounds[segment + 1], rates[segment]
            if rate * (end - time) >= need:
                time += need / rate
                yield time
                break
            need -= rate * (end - time)
            time = end
            segment += 1


def draw_profile(regime: RegimeTable, channel_draw: float, profile_draw: float) -> int:
    """An arrival's entry channel and then its profile, as a profile number, from two uniform
    numbers (the journey's own, from the `channel` and `profile` streams)."""
    channel = 0
    if len(regime.channels) > 1:
        channel = min(
            bisect_right(regime.channel_cumulative, channel_draw), len(regime.channels) - 1
        )
    numbers, cumulative = regime.profiles[channel]
    if len(numbers) == 1:
        return numbers[0]
    return numbers[bisect_right(cumulative, profile_draw)]


def draw_changes(
    changes: Mapping[int, tuple[tuple[float, int], ...]],
    rng: random.Random,
    profile: int,
    arrived: float,
) -> tuple[tuple[float, int], ...]:
    """The times and new profiles of a journey's profile changes, competing at their rates."""
    time = arrived
    found: list[tuple[float, int]] = []
    while profile in changes and len(found) < MAX_CHANGES:
        options = changes[profile]
        total = math.fsum(rate for rate, _ in options)
        time += rng.expovariate(total)
        pick = rng.random() * total
        chosen = options[-1][1]
        for rate, target in options:
            pick -= rate
            if pick < 0.0:
                chosen = target
                break
        profile = chosen
        found.append((time, profile))
    return tuple(found)
