"""What a sweep records of each replication: named figures, numbers only.

| name | the figure |
| --- | --- |
| `journeys`, `closed`, `unfinished` | journeys counted, closed, still open at the end |
| `support_share` | share of closed journeys that reached support |
| `days_to_support`, `days_to_close` | mean days from arrival |
| `handoffs`, `retellings` | per closed journey |
| `share:<stage>` | share of counted journeys that ended at that outcome stage |
| `visits:<stage>`, `wait:<stage>` | visits to a stage, and their mean wait in days |
| `utilisation:<agency>` | the share of an agency's capacity in use |

With no `outputs:` in the sweep file, `DEFAULT` and a `share:` for every outcome stage.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from pathways.simulation.engine.tables import SimModel
from pathways.simulation.results import ReplicationResult

__all__ = ["DEFAULT", "OutputError", "output_names", "read_outputs"]

DEFAULT = ("journeys", "closed", "support_share", "days_to_support")

_PLAIN: dict[str, Callable[[ReplicationResult], float]] = {
    "journeys": lambda r: float(r.journeys),
    "closed": lambda r: float(r.closed),
    "unfinished": lambda r: float(r.unfinished),
    "support_share": lambda r: r.support_share,
    "days_to_support": lambda r: r.to_support.mean,
    "days_to_close": lambda r: r.to_close.mean,
    "handoffs": lambda r: r.handoffs,
    "retellings": lambda r: r.retellings,
}


class OutputError(ValueError):
    """An output name the sweep cannot record for this pathway."""


def output_names(model: SimModel, asked: Sequence[str]) -> tuple[str, ...]:
    """The outputs asked for (checked), or the defaults for `model`."""
    if not asked:
        outcomes = [f"share:{s.name}" for s in model.stages if s.outcome is not None]
        return (*DEFAULT, *outcomes)
    for name in asked:
        _reader(model, name)
    return tuple(asked)


def _reader(model: SimModel, name: str) -> Callable[[ReplicationResult], float]:
    if name in _PLAIN:
        return _PLAIN[name]
    kind, _, subject = name.partition(":")
    stages = [s.name for s in model.stages]
    pools = [p.name for p in model.pools]
    if kind in ("share", "visits", "wait") and subject in stages:
        i = stages.index(subject)
        if kind == "share":
            return lambda r: r.outcomes[i] / r.journeys if r.journeys else math.nan
        if kind == "visits":
            return lambda r: float(r.stages[i].visits)
        return lambda r: r.stages[i].wait.mean
    if kind == "utilisation" and subject in pools:
        j = pools.index(subject)
        return lambda r: r.utilisation[j]
    known = ", ".join([*_PLAIN, "share:<stage>", "visits:<stage>", "wait:<stage>"])
    raise OutputError(f"'{name}' is not an output this sweep can record (expected: {known})")


def read_outputs(
    model: SimModel, names: Sequence[str], result: ReplicationResult
) -> tuple[float, ...]:
    """The named figures of one replication."""
    return tuple(_reader(model, name)(result) for name in names)
