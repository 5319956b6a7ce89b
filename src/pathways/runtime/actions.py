"""Journey-level actions: withdrawing, closing early, and moving to another area's pathway.

A pathway declares them (`actions: {withdraw: ..., close: ...}`, each with its reasons and who
may take it; `transfers:`, each naming the other area's pathway and which stage there each
stage here maps to). `withdraw` and `close` end the whole journey wherever its tracks are
(events `withdrawn` and `closed-early`); `transfer` moves it onto the other pathway, track by
track as the map says, and it continues there (event `transferred`, whose detail names the
version it moved to and the moves, so that it can be done again).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, NoReturn

from pathways.definition.lifecycle import Action
from pathways.errors import ActionRefused, NotAuthorised
from pathways.runtime.compiler import CompiledPathway
from pathways.runtime.events import Event
from pathways.runtime.journey_base import JourneyBase
from pathways.runtime.journey_queries import check_staff

__all__ = ["JourneyActions"]

_ENDS = {"withdraw": "withdrawn", "close": "closed-early"}


class JourneyActions(JourneyBase):
    """`withdraw`, `close` and `transfer`: what happens to the whole journey."""

    __slots__ = ()

    def withdraw(self, *, reason: str, by: str, at: datetime, staff: str | None = None) -> Event:
        """End the journey because the victim withdraws, for a reason the pathway declares."""
        return self._end("withdraw", reason, by, at, staff)

    def close(self, *, reason: str, by: str, at: datetime, staff: str | None = None) -> Event:
        """Close the journey early, for a reason the pathway declares."""
        return self._end("close", reason, by, at, staff)

    def transfer(
        self,
        name: str,
        target: CompiledPathway,
        *,
        by: str,
        at: datetime,
        staff: str | None = None,
    ) -> Event:
        """Move the journey to `target` (another area's pathway) by the pathway's transfer
        `name`; it continues there at the stages the transfer maps its stages to.

        Refused with `ActionRefused` when the pathway has no such transfer, `target` is not
        the pathway it names, a stage the journey is at is not mapped (or maps to no stage of
        that track there), a referral awaits an answer or a clock is paused, or the profile
        does not fit `target`; `NotAuthorised` when `by` may not transfer."""
        instant = self._action_checks(name, by, at, staff)
        transfer = self.pathway.transfers.get(name)
        if transfer is None:
            self._refuse_action(
                f"{self.pathway.title} has no transfer '{name}'", tuple(self.pathway.transfers)
            )
        self._check_taker(name, transfer.by, by)
        if target.pathway.id != transfer.to:
            self._refuse_action(
                f"transfer '{name}' goes to {transfer.to}, not {target.pathway.id}", (transfer.to,)
            )
        if self._life.pending or self._life.paused:
            self._refuse_action(
                "a referral awaits an answer or a clock is paused; answer or resume it first", ()
            )
        moves: dict[str, list[str]] = {}
        for track, stage in self.positions.items():
            new = transfer.stages.get(stage)
            there = target.stages.get(new) if new is not None else None
            if there is None or there.track != track:
                self._refuse_action(
                    f"transfer '{name}' does not map {self.compiled.stages[stage].label} to a "
                    f"stage of the same track in {target.pathway.title}",
                    tuple(sorted(transfer.stages)),
                )
            moves[track] = [stage, there.name]
        if target.profile_problem(dict(self.profile)) is not None:
            self._refuse_action(f"the victim's profile does not fit {target.pathway.title}", ())
        before, source = self.stage, self.compiled.fingerprint
        self.compiled = target
        self.profile = target.profile(self.profile)
        self.machine_state = target.machine_state({t: m[1] for t, m in moves.items()})
        detail = {
            "pathway": target.pathway.id,
            "version": target.pathway.version,
            "fingerprint": target.fingerprint,
            "from": source,
            "moves": moves,
        }
        event = Event(
            self.event_count,
            "transferred",
            instant,
            by=by,
            trigger=name,
            from_stage=before,
            to_stage=self.stage,
            staff=staff,
            detail=tuple(sorted(detail.items())),
        )
        return self._record(event)

    def _end(
        self,
        key: Literal["withdraw", "close"],
        reason: str,
        by: str,
        at: datetime,
        staff: str | None,
    ) -> Event:
        instant = self._action_checks(key, by, at, staff)
        actions = self.pathway.actions
        action: Action | None = getattr(actions, key) if actions is not None else None
        if action is None:
            self._refuse_action(f"{self.pathway.title} declares no '{key}' action", ())
        self._check_taker(key, action.by, by)
        if reason not in action.reasons:
            self._refuse_action(
                f"'{reason}' is not a reason to {key} on {self.pathway.title}; the reasons are: "
                f"{', '.join(action.reasons)}",
                action.reasons,
            )
        what = _ENDS[key]
        self._life = self._life.ended_as(what, reason)
        event = Event(
            self.event_count,
            "withdrawn" if key == "withdraw" else "closed-early",
            instant,
            by=by,
            from_stage=self.stage,
            staff=staff,
            reason=reason,
        )
        return self._record(event)

    def _action_checks(self, what: str, by: str, at: datetime, staff: str | None) -> datetime:
        instant = self._check_time(at, what, by)
        check_staff(staff, self.case_ref, by)
        self._check_open(what, by)
        self._check_agency(by, what)
        return instant

    def _check_taker(self, what: str, actors: tuple[str, ...], by: str) -> None:
        pathway = self.pathway
        allowed = (
            tuple(sorted({a for actor in actors for a in pathway.owner_agencies(actor)}))
            if actors
            else tuple(sorted(pathway.agencies))
        )
        if by not in allowed:
            names = ", ".join(self.compiled.agency_name(a) for a in allowed)
            raise NotAuthorised(
                f"Case {self.case_ref}: {self.compiled.agency_name(by)} may not {what} this "
                f"journey; it may be done by: {names}",
                journey=self.case_ref,
                stage=self.stage,
                trigger=what,
                agency=by,
                allowed=allowed,
            )

    def _refuse_action(self, why: str, allowed: tuple[str, ...]) -> NoReturn:
        raise ActionRefused(
            f"Case {self.case_ref}: {why}", journey=self.case_ref, stage=self.stage, allowed=allowed
        )
