"""The actions on a journey, one route each, all the same shape: the caller's agency and staff
reference act, `If-Match` carries the revision the caller last read, `Idempotency-Key` the
store's idempotency key; the answer is the journey after the action and the events it recorded.

A handoff, an acceptance and a declining are tried first and the journey's visibility checked
only if the library refuses them: the library allows them only to an agency the pathway lets
act from where the journey is (which the journey therefore involves, `service.visibility`), so
an agency the journey does not involve still gets 404 and learns nothing, and the usual request
reads the journey once, after the change, instead of three times. The other actions check
visibility first, as the reads do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Header, Request, Response
from pydantic import BaseModel

from pathways.errors import PathwayError
from pathways.service import models
from pathways.service.keys import Credential
from pathways.service.problems import BASE
from pathways.service.refused import Refused
from pathways.service.views import events_view, journey_view
from pathways.store import JourneyStore
from pathways.store.changes import Applied

__all__ = ["ActionResult", "add_routes"]


class ActionResult(BaseModel):
    journey: models.JourneyModel
    events: list[models.EventModel]
    replayed: bool


def _expected(if_match: str | None, path: str) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise Refused(
            412,
            {
                "type": BASE + "changed-meanwhile",
                "title": "The journey changed since you read it",
                "status": 412,
                "detail": f"If-Match must be the journey's ETag, such as '\"3\"', not {if_match!r}",
                "instance": path,
            },
        )
    return int(text)


def add_routes(
    router: APIRouter,
    store: JourneyStore,
    caller: Any,
    visible: Callable[[str, Credential, str], Any],
) -> None:
    """Add every action's route to `router`."""

    def act(
        case_ref: str,
        request: Request,
        response: Response,
        who: Credential,
        if_match: str | None,
        key: str | None,
        do: Callable[[dict[str, Any]], Applied],
        first: bool,
    ) -> dict[str, Any]:
        path = request.url.path
        if not first:
            visible(case_ref, who, path)
        try:
            common = {
                "by": who.agency,
                "staff": who.staff,
                "key": key,
                "expected": _expected(if_match, path),
            }
            applied = do(common)
        except (PathwayError, Refused):
            if first:
                visible(case_ref, who, path)  # 404 for a journey this agency may not see
            raise
        journey = store.load(case_ref, history=False)
        response.headers["ETag"] = f'"{applied.revision}"'
        if applied.replayed:
            response.headers["Idempotent-Replayed"] = "true"
        events = events_view(journey, who.agency, applied.events)
        return {
            "journey": journey_view(journey, applied.revision, who.agency),
            "events": events,
            "replayed": applied.replayed,
        }

    def now(at: datetime | None) -> datetime:
        return at or datetime.now(UTC)

    def route(
        path: str,
        body_type: type[Any],
        call: Callable[[str, Any, dict[str, Any]], Applied],
        first: bool = False,
    ) -> None:
        def endpoint(
            case_ref: str,
            body: Any,
            request: Request,
            response: Response,
            who: Credential = caller,
            if_match: str | None = Header(default=None),
            idempotency_key: str | None = models.IDEMPOTENCY_KEY,
        ) -> dict[str, Any]:
            return act(
                case_ref,
                request,
                response,
                who,
                if_match,
                idempotency_key,
                lambda common: call(case_ref, body, common),
                first,
            )

        endpoint.__annotations__["body"] = body_type
        endpoint.__name__ = path.strip("/").replace("/", "_").replace("-", "_")
        router.add_api_route(
            f"/journeys/{{case_ref}}/{path}",
            endpoint,
            methods=["POST"],
            response_model=ActionResult,
            name=endpoint.__name__,
        )

    route(
        "handoffs",
        models.HandoffRequest,
        lambda c, b, k: store.handoff(c, b.handoff, at=now(b.at), shares=b.shares, **k),
        first=True,
    )
    route(
        "accept",
        models.Answer,
        lambda c, b, k: store.accept(c, b.handoff, at=now(b.at), **k),
        first=True,
    )
    route(
        "decline",
        models.Decline,
        lambda c, b, k: store.decline(c, b.handoff, reason=b.reason, at=now(b.at), **k),
        first=True,
    )
    route(
        "profile",
        models.ProfileChangeRequest,
        lambda c, b, k: store.update_profile(c, b.attribute, b.value, at=now(b.at), **k),
    )
    route(
        "pause",
        models.Pause,
        lambda c, b, k: store.pause(c, reason=b.reason, track=b.track, at=now(b.at), **k),
    )
    route(
        "resume", models.Resume, lambda c, b, k: store.resume(c, track=b.track, at=now(b.at), **k)
    )
    route(
        "withdraw",
        models.Reasoned,
        lambda c, b, k: store.withdraw(c, reason=b.reason, at=now(b.at), **k),
    )
    route(
        "close",
        models.Reasoned,
        lambda c, b, k: store.close_early(c, reason=b.reason, at=now(b.at), **k),
    )
    route(
        "transfer",
        models.Transfer,
        lambda c, b, k: store.transfer(
            c, b.transfer, store.versions.choose(b.pathway), at=now(b.at), **k
        ),
    )
    route(
        "void",
        models.Void,
        lambda c, b, k: store.void(c, b.event, reason=b.reason, at=now(b.at), **k),
    )
    route(
        "amend", models.Amend, lambda c, b, k: store.amend(c, b.event, to=b.to, at=now(b.at), **k)
    )
