"""Errors as RFC 9457 problem details, carrying what the library's exceptions carry.

Every refusal is `application/problem+json` with `type` (a stable URI per kind of problem),
`title`, `status` and `detail` (the library's own message), and for a journey's refusal also
`journey`, `stage`, `handoff`, `agency` and `allowed`: what *would* have been allowed. Statuses:

| status | when |
| --- | --- |
| 401 | no key, or a key that is unknown or revoked |
| 403 | the caller's agency may not do that (`NotAuthorised`, `SharingNotPermitted`) |
| 404 | no such journey, or one the caller's agency is not involved in (the same answer) |
| 409 | the journey is not where that can happen (not available, closed, waiting, refused) |
| 412 | `If-Match` names a revision the journey is no longer at |
| 422 | a value is wrong (a time, a profile, a case reference, an idempotency key reused) |
| 503 | the database failed; try again |
"""

from __future__ import annotations

from typing import Any

from pathways.errors import (
    ActionRefused,
    AwaitingAcceptance,
    ConcurrentUpdate,
    ConditionNotMet,
    DatabaseFailure,
    DuplicateJourney,
    HandoffNotAvailable,
    IdempotencyConflict,
    JourneyClosed,
    JourneyError,
    JourneyNotFound,
    NotAuthorised,
    PathwayError,
    SharingNotPermitted,
    TooEarly,
    WaitingForTrack,
)

__all__ = ["BASE", "Problem", "not_found", "problem_for", "unauthorised"]

#: Where the problem types are documented.
BASE = "https://pathways-uk.github.io/pathways/service/#"

Problem = tuple[int, dict[str, Any]]

_KINDS: tuple[tuple[type[Exception], int, str, str], ...] = (
    (JourneyNotFound, 404, "not-found", "No such journey"),
    (NotAuthorised, 403, "not-authorised", "Your agency may not do that"),
    (SharingNotPermitted, 403, "sharing-not-permitted", "That information may not travel there"),
    (HandoffNotAvailable, 409, "not-available", "That cannot happen from where the journey is"),
    (ConditionNotMet, 409, "condition-not-met", "The victim's profile does not meet the condition"),
    (WaitingForTrack, 409, "waiting-for-track", "Another track must reach an outcome first"),
    (JourneyClosed, 409, "journey-closed", "The journey has closed"),
    (AwaitingAcceptance, 409, "awaiting-acceptance", "The referral is waiting for an answer"),
    (TooEarly, 409, "too-early", "Too early: a minimum time has not passed"),
    (ActionRefused, 409, "action-refused", "The pathway does not allow that here"),
    (DuplicateJourney, 409, "duplicate-journey", "A journey with that case reference exists"),
    (ConcurrentUpdate, 412, "changed-meanwhile", "The journey changed since you read it"),
    (IdempotencyConflict, 422, "idempotency-key-reused", "That key was used for another request"),
    (DatabaseFailure, 503, "database-unavailable", "The journey store is not available"),
)


def problem_for(exc: PathwayError, instance: str) -> Problem:
    """The status and problem details for one of the library's exceptions."""
    status, kind, title = 422, "invalid", "A value in the request is not valid"
    for cls, code, name, words in _KINDS:
        if isinstance(exc, cls):
            status, kind, title = code, name, words
            break
    body: dict[str, Any] = {
        "type": BASE + kind,
        "title": title,
        "status": status,
        "detail": str(exc) if status != 503 else "the database failed; try again shortly",
        "instance": instance,
    }
    if isinstance(exc, JourneyError):
        body.update(
            journey=exc.journey,
            stage=exc.stage,
            handoff=exc.trigger,
            agency=exc.agency,
            allowed=list(exc.allowed),
        )
    return status, body


def not_found(case_ref: str, instance: str) -> Problem:
    """404 for a journey that does not exist or that the caller may not see: the same words."""
    return 404, {
        "type": BASE + "not-found",
        "title": "No such journey",
        "status": 404,
        "detail": f"no journey '{case_ref}' that your agency is involved in",
        "instance": instance,
    }


def unauthorised(instance: str) -> Problem:
    return 401, {
        "type": BASE + "unauthorised",
        "title": "A valid API key is needed",
        "status": 401,
        "detail": "send 'Authorization: Bearer <key>' with a key from 'pathways serve keys add'",
        "instance": instance,
    }
