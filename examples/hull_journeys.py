"""Two journeys through the Hull pathway: an adult who declines consent, and a child.

Each journey is moved on by the agencies of the pathway: at every step an agency that owns the
stage (or, failing that, the first other agency that may) makes the first handoff the pathway
opens to it (in the order the pathway lists them),
shares everything that handoff may carry, and the step is printed with what the pathway refused
and why. When nothing can be done by hand, time moves on a working day and `tick` makes any
timeout that has run out. Times are passed in; nothing here reads the clock.

Run it with `python examples/hull_journeys.py`.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pathways.definition.loader import load
from pathways.runtime.compiler import CompiledPathway, compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start
from pathways.runtime.working_days import add_working_days, day_in_england

HULL = Path(__file__).resolve().parent.parent / "pathways" / "humber" / "hull.yaml"
LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2025, 3, 3, 9, 30, tzinfo=LONDON)
MAX_STEPS = 25


def profile_for(compiled: CompiledPathway, **chosen: str) -> dict[str, str | bool]:
    """The chosen values, and the first declared value of every other attribute."""
    profile: dict[str, str | bool] = {}
    for name, attribute in compiled.pathway.profile.items():
        profile[name] = chosen.get(name, attribute.domain[0])
    return profile


def next_morning(at: datetime) -> datetime:
    """09:30 on the next working day in England."""
    day = add_working_days(day_in_england(at), 1)
    return datetime(day.year, day.month, day.day, 9, 30, tzinfo=LONDON)


def step(journey: Journey, at: datetime) -> bool:
    """Make one handoff, printing it with what was refused; False if none was open."""
    compiled = journey.compiled
    for track, stage in journey.positions.items():
        rule = compiled.stages[stage]
        if rule.outcome:
            continue
        waiting = journey.awaiting().get(track)
        if waiting is not None:  # the receiving stage's owner accepts the referral
            journey.accept(waiting.handoff, by=rule.owners[0], at=at)
            print(f"  {at:%a %d %b %H:%M}  {compiled.agency_name(rule.owners[0])}: accepts "
                  f"{waiting.handoff} ({track}) at {stage}")  # fmt: skip
            return True
        others = sorted(a for a in compiled.pathway.agencies if a not in rule.owners)
        for agency in (*rule.owners, *others):
            options = [o for o in journey.available(by=agency, at=at) if o.from_stage == stage]
            chosen = next((o for o in options if o.open), None)
            if chosen is None:
                continue
            for option in options:
                if not option.open and option.reason and "may be made by" not in option.reason:
                    print(f"    not {option.trigger}: {option.reason}")
            event = journey.handoff(chosen.trigger, by=agency, at=at, shares=chosen.shares)
            shared = f", sharing {', '.join(event.shares)}" if event.shares else ""
            started = f"; starts {', '.join(event.started)}" if event.started else ""
            print(
                f"  {at:%a %d %b %H:%M}  {compiled.agency_name(agency)}: {event.trigger} "
                f"({track}) {event.from_stage} -> {event.to_stage}{shared}{started}"
            )
            return True
    return False


def walk(compiled: CompiledPathway, case_ref: str, profile: dict[str, str | bool]) -> None:
    """Open a journey and move it on until it closes (or MAX_STEPS steps)."""
    entry = compiled.entry
    opener = entry.owners[0]
    journey = start(compiled, case_ref, profile, MONDAY, opener)
    words = ", ".join(f"{k}={v}" for k, v in profile.items())
    print(f"Case {case_ref} ({words})")
    print(f"  opened by {compiled.agency_name(opener)} at {entry.stage.title} ({entry.name})")
    at = MONDAY
    for _ in range(MAX_STEPS):
        if journey.closed:
            break
        if not step(journey, at):
            at = next_morning(at)
            for event in journey.tick(at):
                print(
                    f"  {event.at:%a %d %b %H:%M}  time ran out: {event.trigger} "
                    f"{event.from_stage} -> {event.to_stage}"
                )
        at += timedelta(hours=2)
    for deadline in journey.overdue(at):
        print(f"  overdue: {deadline.stage} was due {deadline.due:%d %b %Y}")
    state = "closed" if journey.closed else "still open"
    print(f"  {state} at {', '.join(journey.positions.values())}; {len(journey.history)} events")
    print()


def main() -> None:
    compiled = compile_pathway(load(HULL))
    print(f"{compiled.pathway.title} (version {compiled.pathway.version})")
    print()
    walk(compiled, "HU-2025-0001", profile_for(compiled, age_group="adult", consent="declined"))
    walk(compiled, "HU-2025-0002", profile_for(compiled, age_group="child"))


if __name__ == "__main__":
    main()
