"""Case-test results in plain words: PASS or FAIL per case, why, and the route taken.

```text
PASS adult-consents: an adult found by the police who consents
  route: concern-raised -> support (day 2) -> supported
FAIL any-adult
  expected: every route reaches 'Supported' (supported)
  instead: a route does not: it ends at 'Closed without support' (closed), without reaching ...
  route (age_group=adult, consent=declined):
    1. Mon 6 Jan 2025: Exampleshire Police opens the journey at 'Concern raised' (concern-raised)
    2. no time limit: Exampleshire Police makes 'close' to 'Closed without support' (closed)
    then: the journey closes at 'Closed without support' (closed)
  (2 routes checked)
```
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from pathways.casetests.expect import Outcome, positions_after, working_days
from pathways.casetests.routes import Run
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.events import Event
from pathways.runtime.working_days import day_in_england

__all__ = ["describe_route", "format_outcome", "format_summary", "route_line"]


def format_outcome(outcome: Outcome, pathway: Pathway, verbose: bool = False) -> str:
    """One case's result: a PASS line with the route in brief, or a FAIL with the whole story."""
    title = f" {outcome.case.description}" if outcome.case.description else ""
    head = f"{'PASS' if outcome.passed else 'FAIL'} {outcome.name}:{title}".rstrip(":")
    lines = [head]
    if outcome.passed and not verbose:
        if outcome.route is not None:
            expect = outcome.case.expect
            until = expect.reaches or expect.always_reaches
            lines.append(f"  route: {route_line(outcome.route, pathway, until)}")
        if outcome.routes > 1:
            lines.append(f"  ({outcome.routes} routes checked)")
        return "\n".join(lines)
    for expected in outcome.expected:
        lines.append(f"  expected: {expected}")
    for failure in outcome.failures:
        lines.append(f"  instead: {failure}")
    if outcome.route is not None:
        lines.extend(f"  {line}" for line in describe_route(outcome.route, pathway))
    if outcome.routes > 1:
        lines.append(f"  ({outcome.routes} routes checked)")
    return "\n".join(lines)


def format_summary(outcomes: Sequence[Outcome], files: int) -> str:
    """The last line: how many cases passed and failed."""
    failed = sum(not o.passed for o in outcomes)
    passed = len(outcomes) - failed
    noun = "file" if files == 1 else "files"
    return f"{passed} passed, {failed} failed, in {files} {noun}"


def _stage(pathway: Pathway, name: str | None) -> str:
    stage = pathway.stages.get(name or "")
    return f"'{stage.title}' ({name})" if stage is not None else f"'{name}'"


def route_line(run: Run, pathway: Pathway, until: str | None = None) -> str:
    """The stages of a route on one line, with the working day each time limit ran to.

    Stages on other tracks are shown as `+stage` where the track starts; with `until`, the
    line stops at the first arrival there.
    """
    opened = day_in_england(run.opened)
    parts = []
    for event, timed in zip(run.events, run.timed, strict=True):
        if event.what == "profile" and event.change is not None:
            parts.append(f"[{event.change.attribute} becomes {_word(event.change.after)}]")
            continue
        if event.to_stage is None or pathway.stages[event.to_stage].track != MAIN_TRACK:
            continue
        day = working_days(opened, day_in_england(event.at))
        when = f" (day {day})" if timed and event.seq and event.what != "profile" else ""
        parts.append(f"{event.to_stage}{when}")
        parts.extend(f"+{pathway.tracks[t].entry}" for t in event.started if t != MAIN_TRACK)
        if event.to_stage == until:
            if event.seq < run.events[-1].seq:
                parts.append("...")
            break
    return " -> ".join(parts)


def describe_route(run: Run, pathway: Pathway) -> list[str]:
    """The route step by step: when, who, which handoff and where to."""
    values = ", ".join(f"{k}={_word(v)}" for k, v in run.profile.items())
    lines = [f"route ({values}):" if values else "route:"]
    opened = day_in_england(run.opened)
    for number, (event, timed) in enumerate(zip(run.events, run.timed, strict=True), 1):
        lines.append(f"  {number}. {_when(event, timed, opened)}: {_what(event, pathway)}")
    where = " and ".join(_stage(pathway, s) for s in positions_after(run, pathway).values())
    endings = {
        "closed": f"the journey closes at {where}",
        "stuck": f"the journey stops at {where}: no handoff is open to this victim",
        "loop": f"every way on from {where} goes back to where the journey has been",
        "stopped": f"the given route ends here, at {where}",
        "refused": f"step {(run.step or 0) + 1} of the route cannot be made: {run.refusal}",
        "too-long": f"the route is cut off after {len(run.events)} events, at {where}",
    }
    lines.append(f"  then: {endings[run.ending]}")
    return lines


def _when(event: Event, timed: bool, opened: date) -> str:
    day = day_in_england(event.at)
    text = f"{day:%a} {day.day} {day:%b %Y}"
    if event.seq == 0:
        return text
    if event.what == "profile":
        return f"then, {text}"
    if not timed:
        return "no time limit"
    return f"by {text} (working day {working_days(opened, day)})"


def _what(event: Event, pathway: Pathway) -> str:
    agency = pathway.agencies.get(event.by or "")
    who = agency.name if agency is not None else (event.by or "")
    started = [pathway.tracks[t] for t in event.started if t != MAIN_TRACK]
    also = "".join(
        f"; starts the {track.title} track at {_stage(pathway, track.entry)}" for track in started
    )
    if event.what == "started":
        return f"{who} opens the journey at {_stage(pathway, event.to_stage)}"
    if event.what == "profile" and event.change is not None:
        change = event.change
        return (
            f"{who} records that {change.attribute} changes from {_word(change.before)} "
            f"to {_word(change.after)}"
        )
    if event.what == "timeout":
        return (
            f"'{event.trigger}' happens by itself when its time runs out, to "
            f"{_stage(pathway, event.to_stage)}{also}"
        )
    shared = f", sharing {', '.join(event.shares)}" if event.shares else ""
    return f"{who} makes '{event.trigger}' to {_stage(pathway, event.to_stage)}{shared}{also}"


def _word(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
