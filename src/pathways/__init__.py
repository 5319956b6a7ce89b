"""pathways: a partnership's agreed referral pathway for victims of modern slavery, as a file
that validates, checks itself, runs in a case system and can be simulated.

The public API is listed in `__all__`; everything else is private and may change.
"""

from pathways.errors import (
    AuditFailure,
    ConcurrentUpdate,
    ConditionNotMet,
    CorruptRecord,
    DefinitionError,
    DuplicateJourney,
    HandoffNotAvailable,
    HistoryNotLoaded,
    InvalidCaseReference,
    InvalidProfile,
    InvalidTime,
    JourneyClosed,
    JourneyError,
    JourneyNotFound,
    Location,
    MigrationError,
    NotAuthorised,
    PathwayError,
    Problem,
    ProfileChangeRefused,
    SharingNotPermitted,
    StoreError,
    WaitingForTrack,
)
from pathways.loader import Library, discover, dump, load, load_text
from pathways.schema import Pathway

__version__ = "0.1.0"

__all__ = [
    "AuditFailure",
    "ConcurrentUpdate",
    "ConditionNotMet",
    "CorruptRecord",
    "DefinitionError",
    "DuplicateJourney",
    "HandoffNotAvailable",
    "HistoryNotLoaded",
    "InvalidCaseReference",
    "InvalidProfile",
    "InvalidTime",
    "JourneyClosed",
    "JourneyError",
    "JourneyNotFound",
    "Library",
    "Location",
    "MigrationError",
    "NotAuthorised",
    "Pathway",
    "PathwayError",
    "Problem",
    "ProfileChangeRefused",
    "SharingNotPermitted",
    "StoreError",
    "WaitingForTrack",
    "__version__",
    "discover",
    "dump",
    "load",
    "load_text",
]
