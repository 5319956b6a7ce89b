"""An agency's own webhooks over HTTP: its subscriptions and what was sent to them.

- `GET /webhooks/subscriptions`: the key's agency's subscriptions (never their secrets);
- `POST /webhooks/subscriptions` with `url` and `events` (default every kind): a new
  subscription, answered once with its signing secret;
- `DELETE /webhooks/subscriptions/{id}`: stop one (404 for another agency's, as for one that
  does not exist);
- `GET /webhooks/deliveries`: the deliveries to its subscriptions (`state`, `case_ref`,
  `limit`), the latest attempted first, for finding what failed;
- `POST /webhooks/deliveries/{id}/replay`: send one again now (one attempt, recorded).

An agency sees and changes only its own subscriptions; the rules on endpoints (`https://`,
public addresses) are the same as for `pathways serve webhooks add`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from pathways.service.keys import Credential
from pathways.service.problems import BASE
from pathways.service.refused import Refused
from pathways.service.webhooks import subscribe
from pathways.service.webhooks.dispatcher import Dispatcher
from pathways.store.webhooks import Delivery, Subscription

__all__ = ["DeliveryModel", "NewSubscription", "SubscriptionModel", "add_routes"]


class NewSubscription(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=8, max_length=2000, description="an https:// endpoint")
    events: list[str] = Field(default_factory=list, max_length=20, description="default: all")


class SubscriptionModel(BaseModel):
    id: str
    url: str
    events: list[str]
    state: str
    created_at: str
    secret: str | None = Field(default=None, description="only when it is made: keep it")


class DeliveryModel(BaseModel):
    id: str
    subscription_id: str
    case_ref: str
    seq: int
    kind: str
    state: str
    attempts: int
    updated_at: str


def _subscription(s: Subscription, secret: str | None = None) -> dict[str, Any]:
    return {
        "id": s.id,
        "url": s.url,
        "events": list(s.events),
        "state": s.state,
        "created_at": s.created_at.isoformat(),
        "secret": secret,
    }


def _delivery(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "subscription_id": d.subscription_id,
        "case_ref": d.case_ref,
        "seq": d.seq,
        "kind": d.kind,
        "state": d.state,
        "attempts": d.attempts,
        "updated_at": d.updated_at.isoformat(),
    }


def _missing(what: str, ident: str, path: str) -> Refused:
    return Refused(
        404,
        {
            "type": BASE + "not-found",
            "title": f"No such {what}",
            "status": 404,
            "detail": f"no {what} '{ident}' of your agency",
            "instance": path,
        },
    )


def add_routes(router: APIRouter, caller: Any, dispatcher: Dispatcher) -> None:
    """Add the webhook routes to `router` (see the module's docstring)."""
    records = dispatcher.records

    def own(ident: str, who: Credential, path: str) -> Subscription:
        mine = {s.id: s for s in records.subscriptions(who.agency, active=False)}
        if ident not in mine or mine[ident].state == "removed":
            raise _missing("subscription", ident, path)
        return mine[ident]

    @router.get(
        "/webhooks/subscriptions", response_model=list[SubscriptionModel], tags=["webhooks"]
    )
    def listed(who: Credential = caller) -> list[dict[str, Any]]:
        return [_subscription(s) for s in records.subscriptions(who.agency, active=False)]

    @router.post(
        "/webhooks/subscriptions",
        status_code=201,
        response_model=SubscriptionModel,
        tags=["webhooks"],
    )
    def add(body: NewSubscription, who: Credential = caller) -> dict[str, Any]:
        made, secret = subscribe.add(
            records, who.agency, body.url, body.events, allow_private=dispatcher.allow_private
        )  # a refused URL or kind of event is a PathwayError: 422 (`service.problems`)
        return _subscription(made, secret)

    @router.delete("/webhooks/subscriptions/{ident}", status_code=204, tags=["webhooks"])
    def remove(ident: str, who: Credential = caller) -> Response:
        own(ident, who, f"/webhooks/subscriptions/{ident}")
        records.set_state(ident, "removed")
        return Response(status_code=204)

    @router.get("/webhooks/deliveries", response_model=list[DeliveryModel], tags=["webhooks"])
    def deliveries(
        state: Annotated[Literal["pending", "delivered", "dead"] | None, Query()] = None,
        case_ref: Annotated[str | None, Query(min_length=1, max_length=128)] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        who: Credential = caller,
    ) -> list[dict[str, Any]]:
        mine = {s.id for s in records.subscriptions(who.agency, active=False)}
        found: list[dict[str, Any]] = []
        for ident in sorted(mine):
            chosen = records.deliveries(
                state=state, case_ref=case_ref, subscription_id=ident, limit=limit
            )
            found += [_delivery(d) for d in chosen]
        found.sort(key=lambda d: (d["updated_at"], d["id"]), reverse=True)
        return found[:limit]

    @router.post(
        "/webhooks/deliveries/{ident}/replay", response_model=DeliveryModel, tags=["webhooks"]
    )
    def replay(ident: str, who: Credential = caller) -> dict[str, Any]:
        path = f"/webhooks/deliveries/{ident}/replay"
        found = records.deliveries(ids=[ident[:120]])
        if not found:
            raise _missing("delivery", ident, path)
        own(found[0].subscription_id, who, path)
        (done,) = dispatcher.replay(found)
        return _delivery(done)
