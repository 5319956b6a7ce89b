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
"""

from pathways.checks import Finding, Report, check
from pathways.definition.loader import Library, discover, dump, load, load_text
from pathways.definition.schema import Duration, Pathway
from pathways.errors import (
    AuditFailure,
    ConcurrentUpdate,
    ConditionNotMet,
    CorruptRecord,
    DefinitionError,
    DuplicateJourney,
    HandoffNotAvailable,
    HistoryNotLoaded,
    IdempotencyConflict,
    InvalidCaseReference,
    InvalidProfile,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    JourneyNotFound,
    Location,
    NotAuthorised,
    PathwayError,
    Problem,
    ProfileChangeRefused,
    RolloutError,
    SharingNotPermitted,
    StoreError,
    WaitingForTrack,
)
from pathways.runtime.compiler import CompiledPathway, compile_pathway, fingerprint
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, replay, start
from pathways.simulation import load_scenario, simulate
from pathways.store import JourneyStore

__version__ = "0.1.0"

__all__ = [
    "AuditFailure",
    "CompiledPathway",
    "ConcurrentUpdate",
    "ConditionNotMet",
    "CorruptRecord",
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
    "Report",
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
