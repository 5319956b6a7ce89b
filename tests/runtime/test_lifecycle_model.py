"""Random journeys with accepts, declines, pauses, withdrawals, transfers and corrections,
against a plain reference model of the two lifecycle test areas: they agree on every step.

The model (`_fold`) is the pathway written out by hand as a few dictionaries, and a journey's
state is the fold of the operations still in force over it, so a void is "the same list
without that operation". The runtime must accept exactly what the model accepts, end in the
state the model gives, and replay and rebind to itself.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.errors import JourneyError
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import bind, replay, start
from runtime.lifecycle_pathway import AREA_A, AREA_B, GIVEN, MONDAY

COMPILED = {c.pathway.id: c for c in map(compile_pathway, map(load_text, (AREA_A, AREA_B)))}
BY_PRINT = {c.fingerprint: c for c in COMPILED.values()}
AGENCIES = ("council", "home-office", "charity")

# The pathway, by hand.
HANDOFFS = {  # name: (from, to, by)
    "refer": ("identified", "referred", "council"),
    "decide": ("referred", "support", "home-office"),
    "finish": ("support", "supported", "charity"),
    "notify": ("identified", "notified", "council"),
}
OWNER = {"identified": "council", "referred": "home-office", "support": "charity"}
DECLINE = {  # referral: (reasons, where a decline goes)
    "refer": (("not-enough-information", "duplicate-referral"), "identified"),
    "decide": (("no-capacity",), "referred"),
}
PAUSE = {
    "referred": ("victim-uncontactable",),
    "support": ("hospital-stay", "victim-uncontactable"),
}
OUTCOMES = {"supported", "notified"}
MAPPED = {"identified", "referred", "support"}


class Refused(Exception):
    """The model refuses the operation."""


@dataclass(frozen=True)
class State:
    area: str = "test/area-a"
    stage: str = "identified"
    pending: str | None = None
    paused: bool = False
    ended: str | None = None

    @property
    def closed(self) -> bool:
        return self.ended is not None or self.stage in OUTCOMES


Op = tuple[str, ...]


def _step(s: State, op: Op) -> State:  # one branch per operation
    kind = op[0]
    if s.closed:
        raise Refused
    if kind == "handoff":
        source, target, by = HANDOFFS[op[1]]
        if s.stage != source or op[2] != by or s.pending or s.paused:
            raise Refused
        return replace(s, stage=target, pending=op[1] if op[1] in DECLINE else None)
    if kind in ("accept", "decline"):
        if s.pending != op[1] or op[-1] != OWNER.get(s.stage):
            raise Refused
        if kind == "accept":
            return replace(s, pending=None)
        reasons, back = DECLINE[op[1]]
        if op[2] not in reasons:
            raise Refused
        return replace(s, stage=back, pending=None, paused=False)
    if kind == "pause":
        if s.paused or op[-1] != OWNER.get(s.stage) or op[1] not in PAUSE.get(s.stage, ()):
            raise Refused
        return replace(s, paused=True)
    if kind == "resume":
        if not s.paused or op[-1] != OWNER.get(s.stage):
            raise Refused
        return replace(s, paused=False)
    if kind == "withdraw":
        if op[1] != "victim-withdraws-consent":
            raise Refused
        return replace(s, ended="withdrawn")
    if kind == "close":
        if op[1] != "duplicate-journey" or op[2] != "home-office":
            raise Refused
        return replace(s, ended="closed-early")
    if kind == "transfer":
        if op[1] != "council" or s.pending or s.paused or s.stage not in MAPPED:
            raise Refused
        other = "test/area-b" if s.area == "test/area-a" else "test/area-a"
        return replace(s, area=other)
    raise AssertionError(op)


def _fold(ops: list[Op]) -> State:
    state = State()
    for op in ops:
        state = _step(state, op)
    return state


_NAMES = st.sampled_from(sorted(HANDOFFS))
_WHO = st.sampled_from(AGENCIES)
_REASONS = st.sampled_from(
    [
        "not-enough-information",
        "no-capacity",
        "hospital-stay",
        "victim-uncontactable",
        "victim-withdraws-consent",
        "duplicate-journey",
        "bad",
    ]
)
#: Operations with the right agency and a declared reason, so that long journeys happen often.
_LIKELY = st.sampled_from(
    [
        ("handoff", "refer", "council"),
        ("accept", "refer", "home-office"),
        ("decline", "refer", "not-enough-information", "home-office"),
        ("handoff", "decide", "home-office"),
        ("accept", "decide", "charity"),
        ("decline", "decide", "no-capacity", "charity"),
        ("handoff", "finish", "charity"),
        ("pause", "victim-uncontactable", "home-office"),
        ("pause", "hospital-stay", "charity"),
        ("resume", "home-office"),
        ("resume", "charity"),
        ("transfer", "council"),
        ("withdraw", "victim-withdraws-consent", "council"),
        ("void",),
    ]
)
_ANY = st.one_of(
    st.tuples(st.just("handoff"), _NAMES, _WHO),
    st.tuples(st.just("accept"), st.sampled_from(sorted(DECLINE)), _WHO),
    st.tuples(st.just("decline"), st.sampled_from(sorted(DECLINE)), _REASONS, _WHO),
    st.tuples(st.just("pause"), _REASONS, _WHO),
    st.tuples(st.just("resume"), _WHO),
    st.tuples(st.just("withdraw"), _REASONS, _WHO),
    st.tuples(st.just("close"), _REASONS, _WHO),
    st.tuples(st.just("transfer"), _WHO),
    st.tuples(st.just("void")),
)
_OPS = st.one_of(_LIKELY, _LIKELY, _LIKELY, _ANY)


def _do(journey: Journey, op: Op, at: object) -> None:  # one call per operation
    kind = op[0]
    if kind == "handoff":
        journey.handoff(op[1], by=op[2], at=at)  # type: ignore[arg-type]
    elif kind == "accept":
        journey.accept(op[1], by=op[2], at=at)  # type: ignore[arg-type]
    elif kind == "decline":
        journey.decline(op[1], reason=op[2], by=op[3], at=at)  # type: ignore[arg-type]
    elif kind == "pause":
        journey.pause(reason=op[1], by=op[2], at=at)  # type: ignore[arg-type]
    elif kind == "resume":
        journey.resume(by=op[1], at=at)  # type: ignore[arg-type]
    elif kind == "withdraw":
        journey.withdraw(reason=op[1], by=op[2], at=at)  # type: ignore[arg-type]
    elif kind == "close":
        journey.close(reason=op[1], by=op[2], at=at)  # type: ignore[arg-type]
    elif kind == "transfer":
        other = "test/area-b" if journey.pathway.id == "test/area-a" else "test/area-a"
        journey.transfer(f"move-to-{other[5:]}", COMPILED[other], by=op[1], at=at)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@example(
    ops=[
        ("handoff", "refer", "council"),
        ("accept", "refer", "home-office"),
        ("pause", "victim-uncontactable", "home-office"),
        ("resume", "home-office"),
        ("handoff", "decide", "home-office"),
        ("decline", "decide", "no-capacity", "charity"),
        ("transfer", "council"),
        ("void",),
        ("withdraw", "victim-withdraws-consent", "council"),
    ],
    gaps=[60] * 9,
)
@example(
    ops=[
        ("handoff", "notify", "council"),
        ("void",),
        ("handoff", "refer", "council"),
        ("decline", "refer", "not-enough-information", "home-office"),
        ("void",),
        ("void",),
        ("close", "duplicate-journey", "home-office"),
        ("void",),
    ],
    gaps=[60] * 8,
)
@given(
    ops=st.lists(_OPS, min_size=4, max_size=30), gaps=st.lists(st.integers(0, 4320), max_size=30)
)
def test_journeys_agree_with_the_reference_model(ops: list[Op], gaps: list[int]) -> None:
    journey = start(COMPILED["test/area-a"], "MODEL-1", GIVEN, MONDAY, "council")
    in_force: dict[int, Op] = {}  # event number -> the operation that recorded it
    voided: set[int] = set()
    transferred = False
    at = MONDAY
    for number, op in enumerate(ops):
        at += timedelta(minutes=gaps[number] if number < len(gaps) else 60)
        effective = [o for seq, o in sorted(in_force.items()) if seq not in voided]
        if op[0] == "void":
            candidates = [seq for seq in in_force if seq not in voided]
            if not candidates:
                continue
            seq = max(candidates)
            try:
                expected: State | None = (
                    None
                    if transferred
                    else _fold(
                        [o for n, o in sorted(in_force.items()) if n not in voided and n != seq]
                    )
                )
            except Refused:
                expected = None
            by = journey.history[seq].by or "council"
            try:
                journey.void(seq, reason="recorded-in-error", by=by, at=at)
                done = True
            except JourneyError:
                done = False
            assert done == (expected is not None), (op, seq, effective)
            if done:
                voided.add(seq)
        else:
            try:
                expected = _step(_fold(effective), op)
            except Refused:
                expected = None
            try:
                _do(journey, op, at)
                done = True
            except JourneyError:
                done = False
            assert done == (expected is not None), (op, effective)
            if done:
                in_force[journey.event_count - 1] = op
                transferred = transferred or op[0] == "transfer"
        state = _fold([o for n, o in sorted(in_force.items()) if n not in voided])
        assert journey.pathway.id == state.area
        assert journey.stage == state.stage
        assert [p.handoff for p in journey.awaiting().values()] == (
            [state.pending] if state.pending else []
        )
        assert bool(journey.lifecycle.paused) == state.paused
        assert journey.closed == state.closed
        assert (journey.lifecycle.ended or (None,))[0] == state.ended
    again = replay(COMPILED["test/area-a"], "MODEL-1", journey.history, BY_PRINT.__getitem__)
    assert again == journey
    assert bind(journey.compiled, journey.snapshot(), journey.history) == journey
