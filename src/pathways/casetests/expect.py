"""Judge a case's expectations against the routes the runner followed.

`reaches` holds when *some* route reaches the stage (meeting `within` and `passes_through`);
`always_reaches` when *every* route does. `never`, `never_handed_to` and the `asked_...`
limits hold when no route breaks them. A case whose given route cannot be followed fails,
whatever it expects, with the runtime's own reason.

*Handed to* a role or agency: the journey arrives (by a handoff, a timeout or a track starting)
at a stage owned by it; for a role, also a stage owned by an agency filling that role; for an
agency, also a stage owned by a role that only that agency fills. *Asked for* an item: the
journey arrives at a stage that `collects` it whose agency does not hold it yet (neither
collected it earlier on the journey nor received it along a handoff that shared it): the first
time the victim is asked, and every retelling, as `pathways.definition.retelling` defines it
for the `repeat-story` check, the board report and the simulation too.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from pathways.casetests.cases import Case, Expect
from pathways.casetests.names import account_item
from pathways.casetests.routes import Exploration, Run
from pathways.definition.durations import Duration
from pathways.definition.retelling import Sharing
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.runtime.working_days import day_in_england, due_date, is_working_day

__all__ = [
    "Arrival",
    "Outcome",
    "arrivals",
    "asked_for",
    "judge",
    "positions_after",
    "working_days",
]


@dataclass(frozen=True, slots=True)
class Arrival:
    """The journey arriving at `stage` with event `seq`; `timed` if limits bound every event
    up to it, `shared` the items that travelled with it."""

    seq: int
    stage: str
    at: datetime
    timed: bool
    shared: tuple[str, ...]


@dataclass(frozen=True)
class Outcome:
    """The verdict on one case: what was expected, what went wrong, and the route to show."""

    name: str
    case: Case
    passed: bool
    expected: tuple[str, ...]
    failures: tuple[str, ...]
    route: Run | None
    routes: int
    truncated: bool


def arrivals(run: Run, pathway: Pathway) -> list[Arrival]:
    """Every stage the run arrived at, in order, the opening stage first."""
    found: list[Arrival] = []
    timed = True
    for event, ok in zip(run.events, run.timed, strict=True):
        timed = timed and ok
        if event.what == "profile":
            continue
        if event.to_stage is not None:
            found.append(Arrival(event.seq, event.to_stage, event.at, timed, event.shares))
        for track in event.started:
            if track != MAIN_TRACK:
                entry = pathway.tracks[track].entry
                found.append(Arrival(event.seq, entry, event.at, timed, event.shares))
    return found


def asked_for(run: Run, pathway: Pathway, item: str) -> list[str]:
    """The stages at which the run asks the victim for `item`, in order (see the module
    docstring)."""
    memory = Sharing(pathway).memory()
    asked: list[str] = []
    for event in run.events:
        if event.what == "profile":
            continue
        entries = [pathway.tracks[t].entry for t in event.started if t != MAIN_TRACK]
        # the tracks a handoff starts are entered first, as the board report and the
        # simulation do
        lands = [*entries, *([event.to_stage] if event.to_stage is not None else [])]
        memory.hand(event.shares, event.from_stage, lands)
        for stage in lands:
            if item in memory.ask(stage)[0]:
                asked.append(stage)
    return asked


def positions_after(run: Run, pathway: Pathway) -> dict[str, str]:
    """Where each track of the run ended."""
    where: dict[str, str] = {}
    for arrival in arrivals(run, pathway):
        where[pathway.stages[arrival.stage].track] = arrival.stage
    return where


def working_days(start: date, day: date) -> int:
    """Working days after `start` up to and including `day`."""
    count = 0
    current = start
    while current < day:
        current = date.fromordinal(current.toordinal() + 1)
        count += is_working_day(current)
    return count


class _Judge:
    def __init__(self, name: str, case: Case, exploration: Exploration) -> None:
        self.name = name
        self.case = case
        self.expect: Expect = case.expect
        self.exploration = exploration
        self.pathway = exploration.compiled.pathway
        self.runs = exploration.runs
        self.target = self.expect.reaches or self.expect.always_reaches
        self.failures: list[str] = []
        self.route: Run | None = None

    def stage(self, name: str) -> str:
        stage = self.pathway.stages.get(name)
        return f"'{stage.title}' ({name})" if stage is not None else f"'{name}'"

    # what was expected, in words

    def expected(self) -> list[str]:
        e = self.expect
        lines = []
        if self.target is not None:
            some = "some route" if e.reaches else "every route"
            line = f"{some} reaches {self.stage(self.target)}"
            if e.within is not None:
                line += f" within {e.within}"
                if e.counting_from is not None:
                    line += f" of arriving at {self.stage(e.counting_from)}"
            if e.passes_through:
                line += " passing through " + ", ".join(map(self.stage, e.passes_through))
            lines.append(line)
        if e.never:
            lines.append("no route reaches or takes " + ", ".join(f"'{n}'" for n in e.never))
        if e.never_handed_to:
            lines.append("never handed to " + ", ".join(f"'{n}'" for n in e.never_handed_to))
        for item, limit in self.limits().items():
            times = f"at most {_times(limit)}" if limit else "never"
            lines.append(f"asked for '{item}' {times}")
        return lines

    def limits(self) -> dict[str, int]:
        limits = dict(self.expect.asked_at_most)
        if self.expect.asked_for_account_at_most is not None:
            item = account_item(self.pathway)
            if item is not None:
                limits[item] = self.expect.asked_for_account_at_most
        return limits

    # the verdict

    def judge(self) -> Outcome:
        refused = next((r for r in self.runs if r.ending == "refused"), None)
        if refused is not None:
            self.failures.append(f"step {(refused.step or 0) + 1} of the route: {refused.refusal}")
            self.route = refused
        else:
            if self.expect.reaches is not None:
                self.some_route()
            elif self.expect.always_reaches is not None:
                self.every_route(self.target_problem)
            self.every_route(self.rule_problem)
            universal = self.expect.always_reaches or self.has_rules()
            if self.exploration.truncated and universal and not self.failures:
                self.failures.append(
                    f"there are too many routes to check them all; only the first "
                    f"{len(self.runs)} were followed (give 'starts_with' or more of the "
                    "profile to narrow the case)"
                )
        if self.route is None and self.runs:
            self.route = self.runs[0]
        return Outcome(
            name=self.name,
            case=self.case,
            passed=not self.failures,
            expected=tuple(self.expected()),
            failures=tuple(self.failures),
            route=self.route,
            routes=len(self.runs),
            truncated=self.exploration.truncated,
        )

    def has_rules(self) -> bool:
        e = self.expect
        return bool(e.never or e.never_handed_to or self.limits())

    def some_route(self) -> None:
        best: tuple[int, datetime, Run] | None = None
        for run in self.runs:
            problem = self.target_problem(run)
            if problem is None:
                self.route = run
                return
        for index, run in enumerate(self.runs):
            arrival = self.first(run, self.target or "")
            if arrival is not None and (best is None or arrival.at < best[1]):
                best = (index, arrival.at, run)
        if best is not None:
            self.route = best[2]
            self.failures.append(f"no route does: {self.target_problem(best[2])}")
            return
        ends = Counter(self.ending(run) for run in self.runs)
        listed = "; ".join(f"{end} ({_routes(count)})" for end, count in sorted(ends.items()))
        self.failures.append(f"no route reaches {self.stage(self.target or '')}: {listed}")
        if self.exploration.truncated:
            self.failures.append(f"only the first {len(self.runs)} routes were followed")

    def every_route(self, check: object) -> None:
        assert callable(check)
        for run in self.runs:
            problem = check(run)
            if problem is not None:
                self.failures.append(f"a route does not: {problem}")
                self.route = self.route or run
                return

    def first(self, run: Run, stage: str) -> Arrival | None:
        return next((a for a in arrivals(run, self.pathway) if a.stage == stage), None)

    def target_problem(self, run: Run) -> str | None:
        target = self.target or ""
        reached = self.first(run, target)
        if reached is None:
            return f"it {self.ending(run)}, without reaching {self.stage(target)}"
        seen = {a.stage for a in arrivals(run, self.pathway) if a.seq <= reached.seq}
        missed = [s for s in self.expect.passes_through if s not in seen]
        if missed:
            return f"it reaches {self.stage(target)} without passing through " + ", ".join(
                map(self.stage, missed)
            )
        within = self.expect.within
        if within is None:
            return None
        since = run.events[0]
        if self.expect.counting_from is not None:
            begin = self.first(run, self.expect.counting_from)
            if begin is None or begin.seq > reached.seq:
                return (
                    f"it reaches {self.stage(target)} without first arriving at "
                    f"{self.stage(self.expect.counting_from)}, where the time is counted from"
                )
            since = run.events[begin.seq]
        between = zip(run.events, run.timed, strict=True)
        untimed = next(
            (e for e, ok in between if since.seq < e.seq <= reached.seq and not ok), None
        )
        if untimed is not None:
            where = self.stage(untimed.from_stage or "")
            return (
                f"it reaches {self.stage(target)}, but the pathway sets no time limit on "
                f"{where} (neither the stage nor '{untimed.trigger}' has 'within'), so it "
                "does not say when"
            )
        return self.late(since.at, reached, within)

    def late(self, start: datetime, reached: Arrival, within: Duration) -> str | None:
        opened = day_in_england(start)
        day = day_in_england(reached.at)
        due = due_date(opened, within)
        if day <= due:
            return None
        count = (
            f"working day {working_days(opened, day)}"
            if within.working
            else f"day {(day - opened).days}"
        )
        return (
            f"it reaches {self.stage(self.target or '')} on {count} ({_date(day)}) when every "
            f"stage takes the time it is allowed, after the {within} allowed (due {_date(due)})"
        )

    def rule_problem(self, run: Run) -> str | None:
        found = arrivals(run, self.pathway)
        for name in self.expect.never:
            if name in self.pathway.stages and any(a.stage == name for a in found):
                return f"it reaches {self.stage(name)}"
            if any(e.trigger == name for e in run.events):
                return f"it takes the handoff '{name}'"
        for actor in self.expect.never_handed_to:
            for arrival in found[1:]:
                if self.handed_to(arrival.stage, actor):
                    owner = self.pathway.stages[arrival.stage].owner
                    return f"it hands the victim to '{actor}' at {self.stage(arrival.stage)}" + (
                        f", owned by '{owner}'" if owner != actor else ""
                    )
        for item, limit in self.limits().items():
            asked = asked_for(run, self.pathway, item)
            if len(asked) > limit:
                stages = ", ".join(map(self.stage, asked))
                return f"it asks the victim for '{item}' {_times(len(asked))}: at {stages}"
        return None

    def handed_to(self, stage: str, actor: str) -> bool:
        owner = self.pathway.stages[stage].owner
        if owner == actor:
            return True
        agencies = self.pathway.agencies
        if actor in self.pathway.roles:
            return owner in agencies and actor in agencies[owner].roles
        return owner in self.pathway.roles and self.pathway.owner_agencies(owner) == (actor,)

    def ending(self, run: Run) -> str:
        where = positions_after(run, self.pathway)
        at = " and ".join(self.stage(s) for s in where.values())
        if run.ending == "closed":
            return f"ends at {at}"
        if run.ending == "stuck":
            return f"stops at {at}: no handoff from there is open to this victim"
        if run.ending == "loop":
            return f"goes round a loop at {at}"
        if run.ending == "stopped":
            return f"ends at {at} where the given route ends"
        if run.ending == "too-long":
            return f"is cut off at {at} after {len(run.events)} events"
        return f"cannot be followed: {run.refusal}"


def judge(name: str, case: Case, exploration: Exploration) -> Outcome:
    """The verdict on case `name` from the routes in `exploration`."""
    return _Judge(name, case, exploration).judge()


def _times(count: int) -> str:
    return {0: "never", 1: "once", 2: "twice"}.get(count, f"{count} times")


def _routes(count: int) -> str:
    return "1 route" if count == 1 else f"{count} routes"


def _date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"
