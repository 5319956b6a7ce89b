"""Roll a new version of a pathway out to the journeys already on it.

```python
plan = plan_rollout(store, new_version, {"nrm-referral": "referred"})   # dry run
for move in plan.moves:
    print(move.case_ref, move.track, move.from_stage, "->", move.to_stage)
for problem in plan.unmapped:
    print(problem.case_ref, problem.stage, problem.reason)
rollout(store, new_version, {"nrm-referral": "referred"}, at=now)       # all or nothing
```

The selected journeys are the open journeys on any other version of the same pathway id (or
just `case_refs`). Each started track's stage is mapped by `mapping` (a stage not in it keeps
its name), and must name a stage on the same track of the new version; the journey's profile
must fit the new version too. A dry run lists every move and every journey that cannot be
mapped. `rollout` plans again inside one transaction with the journeys locked, and moves
nothing unless every selected journey maps (`RolloutError` otherwise). Each move is recorded
in the journey's hash chain with both fingerprints and the stages, and bumps its revision;
arrival times are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, false, func, insert, select, update

from pathways.definition.schema import Pathway
from pathways.errors import ConcurrentUpdate, CorruptRecord, RolloutError
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.opening import bind
from pathways.store import audit
from pathways.store.arguments import check_case_ref, check_time
from pathways.store.failures import guarded
from pathways.store.rows import derived, position_rows, rollout_record

if TYPE_CHECKING:
    from pathways.store.journey_store import JourneyStore

__all__ = ["Move", "Plan", "Unmapped", "plan_rollout", "rollout"]


@dataclass(frozen=True, slots=True, order=True)
class Move:
    """One started track of one journey, and the stage it is at before and after."""

    case_ref: str
    track: str
    from_stage: str
    to_stage: str


@dataclass(frozen=True, slots=True, order=True)
class Unmapped:
    """A journey that cannot move, and why (the track and stage, when one is to blame)."""

    case_ref: str
    track: str | None
    stage: str | None
    reason: str


@dataclass(frozen=True, slots=True)
class Plan:
    """What a roll-out moves (or moved): every journey selected, every move, every refusal."""

    target: str
    journeys: tuple[str, ...]
    moves: tuple[Move, ...]
    unmapped: tuple[Unmapped, ...]
    applied: bool = False

    @property
    def ok(self) -> bool:
        """True when every selected journey maps."""
        return not self.unmapped


@guarded("plan_rollout")
def plan_rollout(
    store: JourneyStore,
    target: Pathway | CompiledPathway,
    mapping: Mapping[str, str],
    *,
    case_refs: Iterable[str] | None = None,
) -> Plan:
    """The dry run: what `rollout` would do now, changing nothing."""
    wanted = _wanted(case_refs)
    compiled = store.register(target)
    with store.reading() as conn:
        plan, _ = _plan(store, conn, compiled, mapping, wanted, lock=False)
    return plan


@guarded("rollout")
def rollout(
    store: JourneyStore,
    target: Pathway | CompiledPathway,
    mapping: Mapping[str, str],
    *,
    at: datetime,
    case_refs: Iterable[str] | None = None,
) -> Plan:
    """Move every selected journey to `target`, in one transaction; all or nothing."""
    check_time(at, "at", operation="rollout")
    wanted = _wanted(case_refs)
    compiled = store.register(target)
    with store.writing() as conn:
        plan, rows = _plan(store, conn, compiled, mapping, wanted, lock=True)
        if not plan.ok:
            shown = "; ".join(f"{u.case_ref}: {u.reason}" for u in plan.unmapped[:5])
            more = len(plan.unmapped) - 5
            raise RolloutError(
                f"{len(plan.unmapped)} journey(s) cannot move to {compiled.pathway.id} "
                f"version {compiled.pathway.version}, so none was moved: {shown}"
                + (f"; and {more} more" if more > 0 else "")
            )
        moves: dict[str, dict[str, list[str]]] = {}
        for move in plan.moves:
            moves.setdefault(move.case_ref, {})[move.track] = [move.from_stage, move.to_stage]
        for row in rows:
            _move(store, conn, row, compiled, moves[row.case_ref], at)
    return Plan(plan.target, plan.journeys, plan.moves, plan.unmapped, applied=True)


def _wanted(case_refs: Iterable[str] | None) -> list[str] | None:
    """The case references named, checked before any query, in order; None for all."""
    if case_refs is None:
        return None
    wanted = list(dict.fromkeys(case_refs))
    for case_ref in wanted:
        check_case_ref(case_ref)
    return sorted(wanted)


def _plan(
    store: JourneyStore,
    conn: Connection,
    compiled: CompiledPathway,
    mapping: Mapping[str, str],
    wanted: list[str] | None,
    *,
    lock: bool,
) -> tuple[Plan, list[Any]]:
    t = store.tables
    j, v = t.journeys, t.pathways
    query = (
        select(j)
        .join(v, v.c.fingerprint == j.c.fingerprint)
        .where(
            v.c.pathway_id == compiled.pathway.id,
            j.c.fingerprint != compiled.fingerprint,
            j.c.closed == false(),
        )
        .order_by(j.c.case_ref)
    )
    if wanted is not None:
        query = query.where(j.c.case_ref.in_(wanted))
    if lock:
        query = query.with_for_update(of=j)
    rows = list(conn.execute(query))
    moves: list[Move] = []
    unmapped: list[Unmapped] = []
    found = {row.case_ref for row in rows}
    for case_ref in wanted or ():
        if case_ref not in found:
            reason = f"not an open journey on another version of {compiled.pathway.id}"
            unmapped.append(Unmapped(case_ref, None, None, reason))
    for row in rows:
        snapshot = store.snapshot(conn, row)
        journey_moves, problems = _map(compiled, row.case_ref, snapshot, mapping)
        moves += journey_moves
        unmapped += problems
    plan = Plan(
        compiled.fingerprint,
        tuple(row.case_ref for row in rows),
        tuple(sorted(moves)),
        tuple(sorted(unmapped)),
    )
    return plan, rows


def _map(
    compiled: CompiledPathway,
    case_ref: str,
    snapshot: dict[str, Any],
    mapping: Mapping[str, str],
) -> tuple[list[Move], list[Unmapped]]:
    moves: list[Move] = []
    problems: list[Unmapped] = []
    version = compiled.pathway.version
    for track, place in sorted(snapshot["tracks"].items()):
        old = place["stage"]
        new = mapping.get(old, old)
        rule = compiled.stages.get(new)
        if rule is None:
            reason = f"version {version} has no stage '{new}'; map '{old}' to one of its stages"
            problems.append(Unmapped(case_ref, track, old, reason))
        elif rule.track != track:
            reason = f"'{new}' is on the {rule.track} track in version {version}, not {track}"
            problems.append(Unmapped(case_ref, track, old, reason))
        else:
            moves.append(Move(case_ref, track, old, new))
            place["stage"] = new
    if problems:
        return moves, problems
    snapshot.update(
        fingerprint=compiled.fingerprint,
        pathway=compiled.pathway.id,
        version=version,
    )
    try:
        bind(compiled, snapshot)
    except CorruptRecord as exc:
        problems.append(Unmapped(case_ref, None, None, str(exc)))
    return moves, problems


def _move(
    store: JourneyStore,
    conn: Connection,
    row: Any,
    compiled: CompiledPathway,
    moves: Mapping[str, list[str]],
    at: datetime,
) -> None:
    t = store.tables
    j, p, r = t.journeys, t.positions, t.rollouts
    case_ref = row.case_ref
    snapshot = store.snapshot(conn, row)
    for track, (_, new) in moves.items():
        snapshot["tracks"][track]["stage"] = new
    snapshot.update(
        fingerprint=compiled.fingerprint,
        pathway=compiled.pathway.id,
        version=compiled.pathway.version,
    )
    journey = bind(compiled, snapshot)
    number = conn.execute(select(func.count()).where(r.c.case_ref == case_ref)).scalar_one()
    record = rollout_record(row.event_count, at, row.fingerprint, compiled.fingerprint, moves)
    head = audit.chain(row.head_hash, audit.rollout_entry(case_ref, record))
    conn.execute(
        insert(r).values(
            case_ref=case_ref,
            number=number,
            seq=row.event_count,
            at=at,
            from_fingerprint=row.fingerprint,
            to_fingerprint=compiled.fingerprint,
            moves=dict(moves),
            hash=head,
        )
    )
    values = derived(journey, None)
    if values["closed"]:
        values["closed_at"] = at
    done = conn.execute(
        update(j)
        .where(j.c.case_ref == case_ref, j.c.revision == row.revision)
        .values(revision=row.revision + 1, head_hash=head)
        .values(**values)
    )
    if done.rowcount != 1:
        raise ConcurrentUpdate(f"Case {case_ref}: the journey changed during the roll-out")
    for place in position_rows(journey):  # moved stages, and every track's work state
        track, _ = place.pop("track"), place.pop("case_ref")
        conn.execute(update(p).where(p.c.case_ref == case_ref, p.c.track == track).values(place))
