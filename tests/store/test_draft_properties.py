"""Properties of `save(draft)`: it stores exactly what the runtime did, and nothing else.

- For any sequence of runtime actions on drafts (handoffs, answers to referrals, profile
  changes, pauses and resumes, withdrawals, early closes, transfers, voids, amendments and
  ticks; the ones the runtime refuses are left out), saving and loading gives exactly the
  journey the runtime produced, event for event.
- For any tampering with a draft's journey (a profile, stage, arrival time or lifecycle state
  set directly; an event forged with an invented agency or handoff, renumbered or back-dated;
  the case reference switched), the save is refused with `DraftRefused` and the stored journey
  is unchanged.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import DraftRefused, JourneyError
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.events import Event
from pathways.runtime.journey import Journey
from pathways.store import JourneyStore
from pathways.store.rebuild import check_journey
from runtime.lifecycle_pathway import AREA_A, AREA_B, GIVEN, MONDAY

AREAS = {"test/area-a": compile_pathway(load_text(AREA_A)),
         "test/area-b": compile_pathway(load_text(AREA_B))}  # fmt: skip
AGENCIES = ["council", "home-office", "charity"]
NOW = datetime(2026, 1, 1, tzinfo=UTC)
_NUMBERS = itertools.count()

action = st.one_of(
    st.tuples(st.just("handoff"), st.sampled_from(["refer", "decide", "finish", "notify"]),
              st.sampled_from(AGENCIES)),
    st.tuples(st.just("accept"), st.sampled_from(["refer", "decide"]), st.sampled_from(AGENCIES)),
    st.tuples(st.just("decline"), st.sampled_from(["refer", "decide"]),
              st.sampled_from(["not-enough-information", "no-capacity"])),
    st.tuples(st.just("pause"), st.sampled_from(["victim-uncontactable", "hospital-stay"]),
              st.sampled_from(AGENCIES)),
    st.tuples(st.just("resume"), st.just(""), st.sampled_from(AGENCIES)),
    st.tuples(st.just("end"), st.sampled_from(["withdraw", "close"]), st.sampled_from(AGENCIES)),
    st.tuples(st.just("transfer"), st.just(""), st.sampled_from(AGENCIES)),
    st.tuples(st.just("profile"), st.just("consent"), st.sampled_from(AGENCIES)),
    st.tuples(st.just("tick"), st.just(""), st.just("")),
    st.tuples(st.just("void"), st.integers(1, 8), st.sampled_from(AGENCIES)),
    st.tuples(st.just("amend"), st.integers(1, 8), st.sampled_from(AGENCIES)),
)  # fmt: skip
Action = tuple[str, Any, str]
#: How far apart actions are: minutes to weeks, so timeouts and limits fall due in between.
gaps = st.lists(st.sampled_from([0, 1, 60, 60 * 24, 60 * 24 * 9]), min_size=12, max_size=12)


@pytest.fixture(scope="module")
def store() -> Iterator[JourneyStore]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'drafts.sqlite3'}"
        with JourneyStore(url, pathways=[AREAS["test/area-a"]], clock=lambda: NOW) as opened:
            yield opened


def _do(journey: Journey, act: Action, at: datetime) -> None:
    """Do one action on a journey in memory, as a case system would (refusals pass through)."""
    kind, what, by = act
    if kind == "handoff":
        journey.handoff(what, by=by, at=at)
    elif kind == "accept":
        journey.accept(what, by=by, at=at)
    elif kind == "decline":
        owners = journey.compiled.stages[journey.stage].owners
        journey.decline("decide" if what == "no-capacity" else "refer", reason=what,
                        by=owners[0], at=at)  # fmt: skip
    elif kind == "pause":
        journey.pause(reason=what, by=by, at=at)
    elif kind == "resume":
        journey.resume(by=by, at=at)
    elif kind == "end":
        reason = "victim-withdraws-consent" if what == "withdraw" else "duplicate-journey"
        (journey.withdraw if what == "withdraw" else journey.close)(reason=reason, by=by, at=at)
    elif kind == "transfer":
        other = "test/area-b" if journey.pathway.id == "test/area-a" else "test/area-a"
        journey.transfer(f"move-to-{other[5:]}", AREAS[other], by=by, at=at)
    elif kind == "profile":
        journey.update_profile(what, "given", by=by, at=at)
    elif kind == "tick":
        journey.tick(at)
    elif kind == "void":
        journey.void(what, reason="recorded-in-error", by=by, at=at)
    else:
        journey.amend(what, to=at - timedelta(minutes=1), by=by, at=at)


def _session(
    store: JourneyStore, case_ref: str, acts: list[Action], gaps: list[int], start: datetime
) -> tuple[Any, datetime]:
    """A draft with its history, and the actions the runtime allows done on it in memory."""
    draft = store.draft(case_ref, history=True)
    at = start
    for act, gap in zip(acts, gaps, strict=False):
        at += timedelta(minutes=gap)
        with contextlib.suppress(JourneyError):
            _do(draft.journey, act, at)
    return draft, at


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(
    sessions=st.lists(st.lists(action, max_size=8), min_size=1, max_size=3),
    gaps=gaps,
    profile=st.sampled_from([GIVEN, {"consent": "declined"}]),
)
def test_saving_then_loading_gives_the_journey_the_runtime_produced(
    store: JourneyStore, sessions: list[list[Action]], gaps: list[int], profile: dict[str, Any]
) -> None:
    case_ref = f"DP-{next(_NUMBERS)}"
    store.create(case_ref, profile, at=MONDAY, by="council", pathway="test/area-a")
    at = MONDAY
    for acts in sessions:
        draft, at = _session(store, case_ref, acts, gaps, at)
        applied = store.save(draft)
        for done in applied.events:
            event(f"saved {done.what}")
        assert applied.events == draft.journey.events_since(draft.saved)
        loaded = store.load(case_ref)
        assert loaded.snapshot() == draft.journey.snapshot()
        assert loaded.history == draft.journey.history
    assert check_journey(store, case_ref) == []  # the row, positions and events agree


def _forge(journey: Journey, at: datetime, **fields: Any) -> None:
    event = Event(journey.event_count, "handoff", at, **fields)
    journey._record(event)


def _tamper(journey: Journey, how: str, at: datetime, saved: int) -> bool:
    """Tamper with a draft's journey as `how` says; False if this journey gives no way to."""
    compiled = journey.compiled
    new = journey.events_since(saved)
    if how == "profile":
        flipped = "declined" if journey.profile["consent"] == "given" else "given"
        journey.profile = compiled.profile({"consent": flipped})
    elif how == "stage":
        others = [s for s, rule in compiled.stages.items() if s != journey.stage]
        journey.machine_state = compiled.machine_state({"main": others[0]})
    elif how == "arrival":
        journey._arrivals["main"] = journey.arrived() - timedelta(hours=1)
    elif how == "lifecycle":
        journey._life = journey._life.ended_as("withdrawn", "tampered")
    elif how == "agency":
        _forge(journey, at, by="agency-x", trigger="refer", from_stage=journey.stage,
               to_stage="referred")  # fmt: skip
    elif how == "handoff":
        _forge(journey, at, by="council", trigger="jump", from_stage=journey.stage,
               to_stage="supported")  # fmt: skip
    elif how in ("renumber", "back-date") and new:
        last = new[-1]
        changed = (dataclasses.replace(last, seq=last.seq + 1) if how == "renumber"
                   else dataclasses.replace(last, at=MONDAY - timedelta(days=400)))  # fmt: skip
        journey._events[-1] = changed
    elif how == "case":
        journey.case_ref = journey.case_ref + "-other"
    else:
        return False
    return True


HOW = ["profile", "stage", "arrival", "lifecycle", "agency", "handoff", "renumber", "back-date",
       "case"]  # fmt: skip


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(acts=st.lists(action, max_size=8), gaps=gaps, how=st.sampled_from(HOW))
def test_a_tampered_draft_is_refused_and_nothing_changes(
    store: JourneyStore, acts: list[Action], gaps: list[int], how: str
) -> None:
    case_ref = f"DT-{next(_NUMBERS)}"
    store.create(case_ref, GIVEN, at=MONDAY, by="council", pathway="test/area-a")
    before = store.load(case_ref)
    draft, at = _session(store, case_ref, acts, gaps, MONDAY)
    if not _tamper(draft.journey, how, at, draft.saved):
        return
    event(f"tampered: {how}")
    with pytest.raises(DraftRefused) as caught:
        store.save(draft, key=f"{case_ref}-save")
    assert caught.value.journey == case_ref
    assert store.load(case_ref) == before
    assert store.revision(case_ref) == 1
