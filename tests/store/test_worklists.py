"""Worklists in SQL, on SQLite and PostgreSQL: each position's stored due date, pause, referral
and owners equal the runtime's answer for it; `worklist` equals a brute-force filter over the
loaded journeys; `find(agency=..., overdue_at=...)` combines its filters stage by stage."""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.errors import InvalidRequest, PathwayError
from pathways.runtime.compiler import CompiledPathway
from pathways.store import JourneyStore, WorkItem, check_database
from runtime.lifecycle_pathway import MONDAY
from store.helpers import Database
from store.worklist_oracle import brute_worklist, runtime_positions, stored_positions
from store.worklist_pathway import act, compiled_worklists

DAY = timedelta(days=1)
AGENCIES = ("council", "constabulary", "home-office")
NOW = MONDAY + 400 * DAY


@pytest.fixture(scope="module")
def pathway() -> CompiledPathway:
    return compiled_worklists()


@pytest.fixture
def store(database: Database, pathway: CompiledPathway) -> Iterator[JourneyStore]:
    with JourneyStore(
        database.url, pathways=[pathway], prefix=database.prefix, clock=lambda: NOW
    ) as opened:
        yield opened


def _referred(store: JourneyStore, case_ref: str, *, accept: bool = True) -> None:
    store.create(case_ref, {"consent": "given"}, at=MONDAY, by="council")
    store.handoff(case_ref, "refer", by="council", at=MONDAY)
    if accept:
        store.accept(case_ref, "refer", by="home-office", at=MONDAY)


def _every(store: JourneyStore, agency: str, at: datetime, **options: object) -> list[WorkItem]:
    items: list[WorkItem] = []
    after = None
    while True:
        page = store.worklist(agency, at=at, limit=2, after=after, **options)  # type: ignore[arg-type]
        items += page.items
        if page.next is None:
            return items
        after = page.next


def test_a_journey_overdue_only_at_the_sca_is_not_overdue_for_the_council_or_police(
    store: JourneyStore,
) -> None:
    """Issue 16's regression: `find` combined `agency` and `overdue_at` journey by journey."""
    _referred(store, "WL-1")
    late = MONDAY + 10 * DAY  # the decision (5 working days) is overdue; the others are not
    assert store.find(overdue_at=late).case_refs == ("WL-1",)
    assert store.find(agency="home-office", overdue_at=late).case_refs == ("WL-1",)
    assert store.find(agency="council", overdue_at=late).case_refs == ()
    assert store.find(agency="constabulary", overdue_at=late).case_refs == ()
    assert store.find(agency="council").case_refs == ("WL-1",)  # it is the council's work
    assert store.find(stage="local-support", overdue_at=late).case_refs == ()
    assert store.find(stage="decision", overdue_at=late).case_refs == ("WL-1",)
    assert _every(store, "council", late, overdue=True) == []
    assert _every(store, "constabulary", late, overdue=True) == []
    [item] = _every(store, "home-office", late, overdue=True)
    assert (item.case_ref, item.track, item.stage, item.owner) == (
        "WL-1",
        "main",
        "decision",
        "home-office",
    )
    assert item.due is not None
    assert item.overdue_by == late - item.due
    assert item.overdue_by > timedelta(0)
    assert (item.pathway_id, item.version) == ("test/worklists", "1")
    # a month later, the council's local support (20 calendar days) is overdue too
    later = MONDAY + 30 * DAY
    assert [i.stage for i in _every(store, "council", later, overdue=True)] == ["local-support"]
    assert store.find(agency="council", overdue_at=later).case_refs == ("WL-1",)


def test_referrals_awaiting_acceptance_pauses_and_closed_journeys(store: JourneyStore) -> None:
    _referred(store, "WL-1", accept=False)
    _referred(store, "WL-2")
    store.pause("WL-2", reason="victim-uncontactable", by="home-office", at=MONDAY + DAY)
    _referred(store, "WL-3")
    store.withdraw("WL-3", reason="victim-withdraws-consent", by="council", at=MONDAY + DAY)
    at = MONDAY + 30 * DAY
    [waiting] = _every(store, "home-office", at, awaiting_acceptance=True)
    assert (waiting.case_ref, waiting.referral, waiting.awaiting_acceptance) == (
        "WL-1",
        "refer",
        True,
    )
    work = {i.case_ref: i for i in _every(store, "home-office", at)}
    assert sorted(work) == ["WL-1", "WL-2"]  # WL-3 was withdrawn: no one's work
    assert work["WL-2"].paused
    assert work["WL-2"].due is None
    assert work["WL-2"].overdue_by is None
    assert [i.case_ref for i in _every(store, "home-office", at, overdue=True)] == ["WL-1"]
    store.resume("WL-2", by="home-office", at=MONDAY + 8 * DAY)
    [resumed] = [i for i in _every(store, "home-office", at) if i.case_ref == "WL-2"]
    assert not resumed.paused
    assert resumed.due is not None
    assert resumed.due == store.load("WL-2").deadlines()[0].overdue_from
    assert [i.stage for i in _every(store, "constabulary", at, stage="investigation")] == [
        "investigation", "investigation",
    ]  # fmt: skip
    assert check_database(store) == []


def test_a_bad_cursor_or_agency_is_refused_before_any_query(store: JourneyStore) -> None:
    with pytest.raises(InvalidRequest, match="cursor"):
        store.worklist("council", at=MONDAY, after="no-track")
    with pytest.raises(InvalidRequest, match="agency"):
        store.worklist("\x00", at=MONDAY)
    with pytest.raises(InvalidRequest, match="limit"):
        store.worklist("council", at=MONDAY, limit=0)


_ACTIONS = (
    ("handoff", "refer", "council"),
    ("handoff", "refer", "constabulary"),
    ("accept", "refer", "home-office"),
    ("decline", "refer", "home-office"),
    ("pause", None, "home-office"),
    ("resume", None, "home-office"),
    ("handoff", "decide", "home-office"),
    ("handoff", "close-investigation", "constabulary"),
    ("handoff", "end-support", "council"),
    ("withdraw", None, "council"),
    ("profile", None, "council"),
)
_NUMBERS = itertools.count()


journeys = st.lists(
    st.tuples(
        st.sampled_from(["given", "declined"]),
        st.lists(st.tuples(st.sampled_from(_ACTIONS), st.integers(0, 150)), max_size=8),
    ),
    min_size=1,
    max_size=3,
)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(journeys=journeys, asked=st.integers(0, 80), agency=st.sampled_from(AGENCIES))
def test_stored_positions_and_worklists_equal_the_runtime(
    store: JourneyStore,
    journeys: list[tuple[str, list[tuple[tuple[str | None, ...], int]]]],
    asked: int,
    agency: str,
) -> None:
    for consent, actions in journeys:
        case_ref = f"PR-{next(_NUMBERS)}"
        at = MONDAY
        store.create(case_ref, {"consent": consent}, at=at, by="council")
        for action, hours in actions:
            at += timedelta(hours=hours)
            with contextlib.suppress(PathwayError):  # refused by the pathway: nothing written
                act(store, case_ref, action, at)
        assert stored_positions(store, case_ref) == runtime_positions(store.load(case_ref))
    loaded = [store.load(ref) for ref in store.case_refs()]
    at = MONDAY + asked * DAY
    for options in ({}, {"overdue": True}, {"awaiting_acceptance": True}, {"stage": "decision"}):
        found = [(i.case_ref, i.track, i.stage) for i in _every(store, agency, at, **options)]
        brute = brute_worklist(
            loaded, agency, at, overdue=bool(options.get("overdue")),
            awaiting=bool(options.get("awaiting_acceptance")), stage=options.get("stage"),  # type: ignore[arg-type]
        )  # fmt: skip
        assert found == brute
    overdue = sorted({ref for ref, _, _ in brute_worklist(loaded, agency, at, overdue=True)})
    assert list(store.find(agency=agency, overdue_at=at, limit=1000).case_refs) == overdue


def test_a_stage_whose_owner_changed_in_a_new_version_is_listed_by_version(
    store: JourneyStore,
) -> None:
    """Version 2 gives local support to the police: each journey is on its own version's list."""
    from pathways.definition.loader import load_text
    from pathways.runtime.compiler import compile_pathway
    from store.worklist_pathway import TEXT

    text = TEXT.replace('version: "1"', 'version: "2"').replace(
        "{title: Local support, owner: council,", "{title: Local support, owner: police,"
    )
    _referred(store, "V1-1")  # on version 1, the current version until version 2 is registered
    second = store.register(compile_pathway(load_text(text)))
    store.create("V2-1", {"consent": "given"}, at=MONDAY, by="council", pathway=second)
    store.handoff("V2-1", "refer", by="council", at=MONDAY)
    later = MONDAY + 30 * DAY
    loaded = [store.load("V1-1"), store.load("V2-1")]
    for agency in AGENCIES:
        for overdue in (False, True):
            found = [
                (i.case_ref, i.track, i.stage)
                for i in _every(store, agency, later, overdue=overdue)
            ]
            assert found == brute_worklist(loaded, agency, later, overdue=overdue)
    council = _every(store, "council", later, stage="local-support")
    assert [(i.case_ref, i.version) for i in council] == [("V1-1", "1")]
    police = _every(store, "constabulary", later, stage="local-support", overdue=True)
    assert [(i.case_ref, i.version) for i in police] == [("V2-1", "2")]


def test_a_version_registered_by_another_store_is_seen_at_once(
    store: JourneyStore, database: Database
) -> None:
    """The stages an agency owns are kept between calls; a version another process registers
    since (here a second store on the same tables) must still show on the next call, even when
    the stages kept still find some work."""
    from pathways.definition.loader import load_text
    from pathways.runtime.compiler import compile_pathway
    from store.worklist_pathway import TEXT

    _referred(store, "V1-1")
    _referred(store, "V1-2", accept=False)
    later = MONDAY + 30 * DAY
    before = _every(store, "home-office", later)
    assert before  # the stages kept find work
    text = TEXT.replace('version: "1"', 'version: "2"').replace(
        "{title: Local support, owner: council,", "{title: Local support, owner: home-office,"
    )
    with JourneyStore(database.url, prefix=database.prefix, clock=lambda: NOW) as other:
        second = other.register(compile_pathway(load_text(text)))
        other.create("V2-1", {"consent": "given"}, at=MONDAY, by="council", pathway=second)
        other.handoff("V2-1", "refer", by="council", at=MONDAY)
        other.accept("V2-1", "refer", by="home-office", at=MONDAY)
    loaded = [store.load(ref) for ref in ("V1-1", "V1-2", "V2-1")]
    everything = [(i.case_ref, i.track, i.stage) for i in _every(store, "home-office", later)]
    assert everything == brute_worklist(loaded, "home-office", later)
    assert ("V2-1", "local-support") in {(ref, stage) for ref, _, stage in everything}
