"""The caller's worklists over HTTP: `GET /worklist`, the open work of the key's agency.

Answered by the store's worklists in SQL (`JourneyStore.worklist`), without loading journeys:
one item per position (a track of a journey at a stage the agency owns), so a journey at two
stages owned by two agencies is on each one's list with its own due date. Filters:

- `overdue=true`: only what is overdue at `at` (default: now);
- `awaiting_acceptance=true`: only the referrals waiting for the agency to accept or decline;
- `stage=NAME`: one stage;
- `limit` (1 to 1000, default 100) and `after` (the `next` of the page before) to page.

Visibility needs no further check: an agency's list holds only positions at stages it owns, and
an agency that owns a stage a journey is at is one the journey involves (`service.visibility`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from pathways.service.keys import Credential
from pathways.service.problems import BASE
from pathways.service.refused import Refused
from pathways.store import JourneyStore

__all__ = ["WorkItemModel", "WorklistModel", "add_routes"]


class WorkItemModel(BaseModel):
    case_ref: str
    track: str
    stage: str
    since: str
    due: str | None = Field(description="when it becomes overdue; none while no limit runs")
    overdue_by_seconds: int | None = Field(description="how long it has been overdue at `at`")
    paused: bool
    awaiting_acceptance: bool
    referral: str | None = Field(description="the handoff whose referral waits for an answer")
    pathway: str
    version: str


class WorklistModel(BaseModel):
    items: list[WorkItemModel]
    next: str | None = Field(description="pass as `after` for the next page; none on the last")


def _text(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat().replace("+00:00", "Z")


#: A time with its zone, as RFC 3339 writes it (`2025-03-03T09:00:00Z`).
_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$"


def _when(at: str | None, path: str) -> datetime:
    if at is None:
        return datetime.now(UTC)
    try:
        return datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise Refused(
            422,
            {
                "type": BASE + "invalid",
                "title": "A value in the request is not valid",
                "status": 422,
                "detail": f"at: {at!r} is not a time",
                "instance": path,
            },
        ) from None


def add_routes(router: APIRouter, store: JourneyStore, caller: Any) -> None:
    """Add `GET /worklist` to `router`."""

    @router.get("/worklist", response_model=WorklistModel)
    def worklist(
        at: Annotated[
            str | None, Query(pattern=_TIME, description="a time with its zone; default: now")
        ] = None,
        overdue: Annotated[bool, Query(description="only what is overdue at `at`")] = False,
        awaiting_acceptance: Annotated[bool, Query(description="only referrals to answer")] = False,
        stage: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        after: Annotated[str | None, Query(min_length=3, max_length=250)] = None,
        who: Credential = caller,
    ) -> dict[str, Any]:
        page = store.worklist(
            who.agency,
            at=_when(at, "/worklist"),
            overdue=overdue,
            awaiting_acceptance=awaiting_acceptance,
            stage=stage,
            limit=limit,
            after=after,
        )
        return {
            "items": [
                {
                    "case_ref": i.case_ref,
                    "track": i.track,
                    "stage": i.stage,
                    "since": _text(i.since),
                    "due": _text(i.due),
                    "overdue_by_seconds": None
                    if i.overdue_by is None
                    else int(i.overdue_by.total_seconds()),
                    "paused": i.paused,
                    "awaiting_acceptance": i.awaiting_acceptance,
                    "referral": i.referral,
                    "pathway": i.pathway_id,
                    "version": i.version,
                }
                for i in page.items
            ],
            "next": page.next,
        }
