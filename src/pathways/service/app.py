"""The journey service over HTTP: FastAPI's one home (`pip install 'referral-pathways[service]'`).

`create_app(store, keys)` gives an ASGI application over a `JourneyStore`. Every request but
`/health`, `/ready` and `/openapi.json` needs `Authorization: Bearer <key>` (an API key, or an
OpenID Connect token when the service accepts them: `service.auth`); the credential's agency
(and staff reference) act, never anything in the body (an unknown key such as `by` is refused).
A journey is seen only by the agencies it involves (see `service.visibility`); others get 404,
as for a journey that does not exist. Actions take `If-Match: "<revision>"` (the `ETag` of the
journey as last read) and `Idempotency-Key`, mapped to the store's own keys: a retried request is
applied once and its first answer given again, with `Idempotent-Replayed: true`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from pathways.errors import PathwayError
from pathways.service import actions, models, webhook_routes, worklists
from pathways.service.auth import caller_dependency
from pathways.service.keys import Credential, KeyRing
from pathways.service.oidc import TokenVerifier
from pathways.service.problems import not_found, problem_for
from pathways.service.refused import Refused
from pathways.service.request_log import RequestLog
from pathways.service.views import events_view, journey_view
from pathways.service.visibility import involved
from pathways.service.webhooks.dispatcher import Dispatcher
from pathways.store import JourneyStore

__all__ = ["PROBLEM", "create_app"]

PROBLEM = "application/problem+json"
_PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {
        "description": words,
        "content": {PROBLEM: {"schema": models.ProblemModel.model_json_schema()}},
    }
    for code, words in (
        (400, "the request body is not JSON"),
        (401, "no valid key or token"),
        (403, "your agency may not do that"),
        (404, "no such journey (or not one your agency is involved in)"),
        (409, "not possible where the journey is"),
        (412, "the journey changed since you read it"),
        (422, "a value is wrong"),
        (503, "the database failed"),
    )
}


def _problem(
    status: int, body: dict[str, Any], request_id: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        body,
        status_code=status,
        media_type=PROBLEM,
        headers={**(headers or {}), "X-Request-Id": request_id},
    )


def create_app(
    store: JourneyStore,
    keys: KeyRing,
    *,
    tokens: TokenVerifier | None = None,
    background: Any = None,
) -> FastAPI:
    """The service's application over `store`, accepting the keys in `keys` and, if given, the
    bearer tokens `tokens` verifies (OpenID Connect, see `service.oidc`).

    `background` (such as the webhook dispatcher) is started with the application and stopped
    when it shuts down: anything with `start()` and `stop()`.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if background is not None:
            background.start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()

    app = FastAPI(
        title="pathways journey service",
        version="1",
        summary="Run a partnership's referral pathway for victims of modern slavery over HTTP.",
        responses=_PROBLEMS,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.keys = keys

    app.add_middleware(RequestLog)

    @app.exception_handler(Refused)
    async def refused(request: Request, exc: Refused) -> JSONResponse:
        return _problem(exc.status, exc.body, request.state.request_id, exc.headers)

    @app.exception_handler(PathwayError)
    async def library_error(request: Request, exc: PathwayError) -> JSONResponse:
        status, body = problem_for(exc, request.url.path)
        return _problem(status, body, request.state.request_id)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "type": f"https://pathways-uk.github.io/pathways/service/#http-{exc.status_code}",
            "title": "The request cannot be answered",
            "status": exc.status_code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        headers = dict(exc.headers or {})
        if exc.status_code == 405:  # every method of the path, not only the first route's
            headers["Allow"] = _allowed(app, request)
        return _problem(exc.status_code, body, request.state.request_id, headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        words = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'body'}: {e['msg']}" for e in exc.errors()
        )
        body = {
            "type": "https://pathways-uk.github.io/pathways/service/#invalid",
            "title": "A value in the request is not valid",
            "status": 422,
            "detail": words or "the request does not match the API",
            "instance": request.url.path,
        }
        return _problem(422, body, request.state.request_id)

    @app.get("/health", tags=["service"], responses={200: {"description": "the process is up"}})
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", tags=["service"])
    def ready() -> dict[str, str]:
        store.case_refs(limit=1)  # a DatabaseFailure becomes 503
        return {"status": "ready"}

    app.include_router(_router(store, caller_dependency(keys, tokens), background))
    return app


def _allowed(app: FastAPI, request: Request) -> str:
    """The methods some route of `app` answers at the request's path."""
    methods: set[str] = set()
    for route in app.routes:
        if route.matches(request.scope)[0] != Match.NONE:
            methods |= getattr(route, "methods", None) or set()
    return ", ".join(sorted(methods))


def _router(
    store: JourneyStore, who_calls: Callable[..., Credential], background: Any
) -> APIRouter:
    router = APIRouter(tags=["journeys"])
    caller = Depends(who_calls)

    def visible(case_ref: str, who: Credential, path: str) -> Any:
        try:
            journey = store.load(case_ref)
        except PathwayError as exc:
            if type(exc).__name__ in ("JourneyNotFound", "InvalidCaseReference"):
                raise Refused(*not_found(case_ref, path)) from None
            raise
        if not involved(journey, who.agency):
            raise Refused(*not_found(case_ref, path))
        return journey

    @router.get("/pathways", response_model=list[models.PathwayModel])
    def pathways(who: Credential = caller) -> list[dict[str, Any]]:
        with store.reading() as conn:
            rows = store.versions.all(conn)
        return [{"id": r.pathway_id, "version": r.version, "area": r.area} for r in rows]

    @router.post("/journeys", status_code=201, response_model=models.JourneyModel)
    def start(
        body: models.StartJourney,
        response: Response,
        who: Credential = caller,
        idempotency_key: str | None = models.IDEMPOTENCY_KEY,
    ) -> dict[str, Any]:
        journey = store.create(
            body.case_ref,
            body.profile,
            at=body.at or datetime.now(UTC),
            by=who.agency,
            pathway=body.pathway,
            key=idempotency_key,
            staff=who.staff,
        )
        response.headers["ETag"] = f'"{store.revision(body.case_ref)}"'
        return journey_view(journey, store.revision(body.case_ref), who.agency)

    @router.get("/journeys/{case_ref}", response_model=models.JourneyModel)
    def get_journey(
        case_ref: str, request: Request, response: Response, who: Credential = caller
    ) -> dict[str, Any]:
        journey = visible(case_ref, who, request.url.path)
        revision = store.revision(case_ref)
        response.headers["ETag"] = f'"{revision}"'
        return journey_view(journey, revision, who.agency)

    @router.get("/journeys/{case_ref}/events", response_model=list[models.EventModel])
    def get_events(
        case_ref: str, request: Request, who: Credential = caller
    ) -> list[dict[str, Any]]:
        journey = visible(case_ref, who, request.url.path)
        return events_view(journey, who.agency)

    @router.get("/journeys/{case_ref}/available", response_model=list[models.OptionModel])
    def get_available(
        case_ref: str, request: Request, who: Credential = caller
    ) -> list[dict[str, Any]]:
        journey = visible(case_ref, who, request.url.path)
        return [
            {
                "handoff": o.trigger,
                "from_stage": o.from_stage,
                "to_stage": o.to_stage,
                "open": o.open,
                "reason": o.reason,
                "shares": list(o.shares),
            }
            for o in journey.available(by=who.agency)
        ]

    actions.add_routes(router, store, caller, visible)
    worklists.add_routes(router, store, caller)
    dispatcher = background if isinstance(background, Dispatcher) else Dispatcher(store)
    webhook_routes.add_routes(router, caller, dispatcher)
    return router
