"""pathways: a partnership's agreed referral pathway for victims of modern slavery, as a file
that validates, checks itself, runs in a case system and can be simulated.

The public API is listed in `__all__`; everything else is private and may change. The main
entry points, by user:

- forum leads' tools: `load` a pathway file (with what it `extends`) and `check` it;
- case systems: `compile_pathway`, then `start` / `bind` / `replay` a `Journey`, kept in a
  `JourneyStore`;
- analysts: `load_scenario` and `simulate`.

Subpackages (`pathways.checks`, `pathways.store`, `pathways.simulation`, `pathways.diagram`,
`pathways.casetests`, `pathways.compare`, `pathways.board`) hold the rest of each feature.

Only `pathways.errors` is imported with the package; every other name is imported the first
time it is used (PEP 562 `__getattr__`), so `import pathways` and the forum-lead commands never
load the journey store's database libraries or the drawing library. Type checkers and editors
see every name through the `TYPE_CHECKING` imports below.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from pathways.errors import (
    AuditFailure,
    AuditKeyError,
    ConcurrentUpdate,
    ConditionNotMet,
    CorruptRecord,
    DatabaseFailure,
    DatabaseFileLost,
    DefinitionError,
    DuplicateJourney,
    HandoffNotAvailable,
    HistoryNotLoaded,
    IdempotencyConflict,
    InvalidCaseReference,
    InvalidProfile,
    InvalidRequest,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    JourneyNotFound,
    Location,
    NotAuthorised,
    PathwayError,
    Problem,
    ProfileChangeRefused,
    ReadOnlyStore,
    RolloutError,
    SharingNotPermitted,
    StoreError,
    WaitingForTrack,
)

if TYPE_CHECKING:
    from pathways.checks import CheckReport, Finding, check
    from pathways.definition.durations import Duration
    from pathways.definition.loader import Library, discover, dump, load, load_text
    from pathways.definition.schema import Pathway
    from pathways.runtime.compiler import CompiledPathway, compile_pathway, fingerprint
    from pathways.runtime.events import Event
    from pathways.runtime.journey import Journey
    from pathways.runtime.opening import bind, replay, start
    from pathways.simulation import load_scenario, simulate
    from pathways.store import JourneyStore

__version__ = "0.1.0"

# Where each lazily exported name lives: imported on first use by `__getattr__`.
_LAZY: dict[str, str] = {
    "CheckReport": "pathways.checks",
    "CompiledPathway": "pathways.runtime.compiler",
    "Duration": "pathways.definition.durations",
    "Event": "pathways.runtime.events",
    "Finding": "pathways.checks",
    "Journey": "pathways.runtime.journey",
    "JourneyStore": "pathways.store",
    "Library": "pathways.definition.loader",
    "Pathway": "pathways.definition.schema",
    "bind": "pathways.runtime.opening",
    "check": "pathways.checks",
    "compile_pathway": "pathways.runtime.compiler",
    "discover": "pathways.definition.loader",
    "dump": "pathways.definition.loader",
    "fingerprint": "pathways.runtime.compiler",
    "load": "pathways.definition.loader",
    "load_scenario": "pathways.simulation",
    "load_text": "pathways.definition.loader",
    "replay": "pathways.runtime.opening",
    "simulate": "pathways.simulation",
    "start": "pathways.runtime.opening",
}


def __getattr__(name: str) -> Any:
    """Import a lazily exported name from its home module on first use, then keep it."""
    home = _LAZY.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """Every name of the module, the lazily exported ones included."""
    return sorted({*globals(), *_LAZY})


__all__ = [
    "AuditFailure",
    "AuditKeyError",
    "CheckReport",
    "CompiledPathway",
    "ConcurrentUpdate",
    "ConditionNotMet",
    "CorruptRecord",
    "DatabaseFailure",
    "DatabaseFileLost",
    "DefinitionError",
    "DuplicateJourney",
    "Duration",
    "Event",
    "Finding",
    "HandoffNotAvailable",
    "HistoryNotLoaded",
    "IdempotencyConflict",
    "InvalidCaseReference",
    "InvalidProfile",
    "InvalidRequest",
    "InvalidTime",
    "Journey",
    "JourneyClosed",
    "JourneyError",
    "JourneyNotFound",
    "JourneyStore",
    "Library",
    "Location",
    "NotAuthorised",
    "Pathway",
    "PathwayError",
    "Problem",
    "ProfileChangeRefused",
    "ReadOnlyStore",
    "RolloutError",
    "SharingNotPermitted",
    "StoreError",
    "WaitingForTrack",
    "__version__",
    "bind",
    "check",
    "compile_pathway",
    "discover",
    "dump",
    "fingerprint",
    "load",
    "load_scenario",
    "load_text",
    "replay",
    "simulate",
    "start",
]
