"""Hypothesis strategies and a compact builder for the tests' pathways, loaded like a file.

Generated pathways. `pathway_data()` draws the plain data of a pathway (what a YAML file would
hold); `pathways()` loads it with `pathways.definition.loader.load_text`, so every pathway drawn
has passed the same checks as a file on disk. Drawn pathways have a profile of flags and small
value sets with some declared changes, roles and agencies (every role filled), information items,
parallel tracks with their own entry, outcome stages, and handoffs with conditions, sharing,
deadlines, timeouts, `starts:` and `waits_for:`. Names are short and predictable (`main-0`,
`police-1`, `r0`, `ag1`, `i0`).

Built pathways (for the checks' tests). `build(stages, handoffs, ...)` writes a pathway as a file
would hold it and loads it with the loader, filling in what every test would otherwise repeat:
three agencies (`council`, `police`, `charity`) that are also the stage owners, a profile of
`age_group` (child, adult) and `consent` (given, declined), and `by:` defaulting to the owner of
the handoff's first source stage. A stage is given as its kind (`"support"`, `"outcome"`) or as a
dict of its keys. `small_pathways()` draws pathways of that fixed profile and agencies, with
loops and dead ends allowed.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from pathways.definition.loader import load_text
from pathways.definition.schema import MAIN_TRACK, Pathway
from pathways.definition.vocabulary import OUTCOMES

__all__ = [
    "PROFILE",
    "build",
    "conditions",
    "data",
    "durations",
    "load_data",
    "pathway_data",
    "pathways",
    "small_pathways",
    "staffing",
]

_KINDS = ("identification", "safeguarding", "referral", "decision", "support", "investigation")
_TRACKS = ("police", "care", "housing")


@st.composite
def _profile(draw: st.DrawFn) -> dict[str, Any]:
    profile: dict[str, Any] = {}
    for index in range(draw(st.integers(1, 3))):
        name = f"attr{index}"
        if draw(st.booleans()):
            values: list[Any] = [False, True]
            entry: dict[str, Any] = {"flag": True}
        else:
            values = [f"v{i}" for i in range(draw(st.integers(2, 3)))]
            entry = {"values": values}
        pairs = [(a, b) for a in values for b in values if a != b]
        changes = draw(st.lists(st.sampled_from(pairs), unique=True, max_size=2))
        if changes:
            entry["changes"] = [{"from": a, "to": b} for a, b in changes]
        profile[name] = entry
    return profile


def _domain(entry: dict[str, Any]) -> list[Any]:
    return [False, True] if entry.get("flag") else list(entry["values"])


@st.composite
def _atom(draw: st.DrawFn, profile: dict[str, Any]) -> str:
    name = draw(st.sampled_from(sorted(profile)))
    entry = profile[name]
    if entry.get("flag"):
        return name if draw(st.booleans()) else f"not {name}"
    values = _domain(entry)
    if draw(st.booleans()):
        return f"{name} == '{draw(st.sampled_from(values))}'"
    chosen = draw(st.lists(st.sampled_from(values), min_size=1, unique=True))
    return f"{name} in [{', '.join(repr(v) for v in chosen)}]"


@st.composite
def _condition(draw: st.DrawFn, profile: dict[str, Any]) -> str:
    text = draw(_atom(profile))
    for _ in range(draw(st.integers(0, 2))):
        joined = f"{text} {draw(st.sampled_from(['and', 'or']))} {draw(_atom(profile))}"
        text = f"({joined})" if draw(st.booleans()) else joined
    return text


def conditions(profile: dict[str, Any]) -> st.SearchStrategy[str]:
    """Conditions over `profile` (as in pathway data): up to three atoms with and/or."""
    return _condition(profile)


def _duration(days: int, working: bool) -> str:
    return f"{days} working days" if working else f"{days} days"


durations = st.builds(_duration, st.integers(0, 10), st.booleans())
#: A timeout must give at least one day (the loader refuses `timeout-needs-time` otherwise).
timeout_durations = st.builds(_duration, st.integers(1, 10), st.booleans())


@st.composite
def pathway_data(
    draw: st.DrawFn, max_tracks: int = 2, max_stages: int = 4, max_agencies: int = 4
) -> dict[str, Any]:
    """The data of one small valid pathway, as a file would hold it."""
    profile = draw(_profile())
    roles = [f"r{i}" for i in range(draw(st.integers(1, 3)))]
    count = draw(st.integers(1, max_agencies))
    agencies: dict[str, Any] = {
        f"ag{i}": {"name": f"Agency {i}", "roles": [roles[i % len(roles)]]} for i in range(count)
    }
    for index, role in enumerate(roles):
        holder = agencies[f"ag{index % count}"]
        if role not in holder["roles"]:
            holder["roles"].append(role)
    for agency in agencies.values():
        extra = draw(st.lists(st.sampled_from(roles), unique=True, max_size=2))
        agency["roles"] = sorted({*agency["roles"], *extra})
    information = {
        f"i{i}": {"title": f"Item {i}", "sensitivity": "personal"}
        for i in range(draw(st.integers(0, 3)))
    }
    extra_tracks = list(_TRACKS[: draw(st.integers(0, max_tracks))])
    actors = st.sampled_from([*roles, *agencies])
    stages: dict[str, Any] = {}
    by_track: dict[str, list[str]] = {}
    for track in [MAIN_TRACK, *extra_tracks]:
        names = [f"{track}-{i}" for i in range(draw(st.integers(2, max_stages)))]
        by_track[track] = names
        for index, name in enumerate(names):
            outcome = index > 0 and draw(st.integers(0, 9)) < 4
            stage: dict[str, Any] = {
                "title": f"Stage {name}",
                "owner": draw(actors),
                "kind": "outcome" if outcome else draw(st.sampled_from(_KINDS)),
            }
            if outcome:
                stage["outcome"] = draw(st.sampled_from(OUTCOMES))
            elif draw(st.booleans()):
                stage["within"] = draw(durations)
            if track != MAIN_TRACK:
                stage["track"] = track
            stages[name] = stage
    handoffs: dict[str, Any] = {}
    for track, names in by_track.items():
        open_stages = [n for n in names if stages[n]["kind"] != "outcome"]
        for source in open_stages:
            for _ in range(draw(st.integers(0, 3))):
                name = f"h{len(handoffs)}"
                handoff: dict[str, Any] = {"from": [source], "to": draw(st.sampled_from(names))}
                also = draw(st.sampled_from([None, *open_stages]))
                if also is not None and also != source:
                    handoff["from"].append(also)
                timeout = draw(st.integers(0, 9)) < 3
                if timeout:
                    handoff["within"] = draw(timeout_durations)
                    handoff["timeout"] = True
                elif draw(st.booleans()):
                    handoff["within"] = draw(durations)
                by = draw(st.lists(actors, unique=True, min_size=0 if timeout else 1, max_size=2))
                handoff["by"] = by
                if draw(st.integers(0, 9)) < 6:
                    handoff["when"] = draw(conditions(profile))
                if information:
                    handoff["shares"] = draw(
                        st.lists(st.sampled_from(sorted(information)), unique=True)
                    )
                others = [t for t in extra_tracks if t != track]
                if others:
                    handoff["starts"] = draw(st.lists(st.sampled_from(others), unique=True))
                    handoff["waits_for"] = draw(
                        st.lists(st.sampled_from(others), unique=True, max_size=1)
                    )
                handoffs[name] = handoff
    return {
        "id": "test/generated",
        "title": "A generated pathway",
        "area": "Testshire",
        "version": "1",
        "entry": f"{MAIN_TRACK}-0",
        "roles": {role: {"title": f"Role {role}"} for role in roles},
        "agencies": agencies,
        "profile": profile,
        "information": information,
        "tracks": {t: {"title": f"{t.title()} work", "entry": f"{t}-0"} for t in extra_tracks},
        "stages": stages,
        "handoffs": handoffs,
    }


def load_data(data: dict[str, Any]) -> Pathway:
    """Load pathway data through the loader (JSON is YAML), as a file would be."""
    return load_text(json.dumps(data), path="<generated>")


@st.composite
def pathways(
    draw: st.DrawFn, max_tracks: int = 2, max_stages: int = 4, max_agencies: int = 4
) -> Pathway:
    """A small valid pathway, loaded and checked by the loader."""
    return load_data(draw(pathway_data(max_tracks, max_stages, max_agencies)))


# Built pathways: a fixed profile and agencies, for the checks' tests.
PROFILE: dict[str, Any] = {
    "age_group": {"values": ["child", "adult"]},
    "consent": {"values": ["given", "declined"]},
}

AGENCIES: dict[str, Any] = {
    "council": {"name": "Testshire Council", "roles": ["first-responder"], "first_responder": True},
    "police": {
        "name": "Testshire Police",
        "roles": ["first-responder"],
        "first_responder": True,
        "public_authority": True,
    },
    "charity": {"name": "Safe Haven Charity"},
}


def _stage(name: str, spec: str | dict[str, Any]) -> dict[str, Any]:
    stage: dict[str, Any] = {"kind": spec} if isinstance(spec, str) else dict(spec)
    stage.setdefault("kind", "referral")
    stage.setdefault("title", name.replace("-", " ").capitalize())
    stage.setdefault("owner", "council")
    if stage["kind"] == "outcome":
        stage.setdefault("outcome", "supported")
    return stage


def data(
    stages: dict[str, str | dict[str, Any]],
    handoffs: dict[str, tuple[str, str] | dict[str, Any]],
    *,
    entry: str | None = None,
    profile: dict[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The data of a test pathway (see "Built pathways" in the module docstring)."""
    built = {name: _stage(name, spec) for name, spec in stages.items()}
    moves: dict[str, Any] = {}
    for name, spec in handoffs.items():
        move = {"from": spec[0], "to": spec[1]} if isinstance(spec, tuple) else dict(spec)
        first = move["from"] if isinstance(move["from"], str) else move["from"][0]
        move.setdefault("by", [built[first]["owner"]])
        moves[name] = move
    result: dict[str, Any] = {
        "id": "test/checks",
        "title": "A test pathway",
        "area": "Testshire",
        "version": "1",
        "entry": entry or next(iter(stages)),
        "roles": {"first-responder": {"title": "First responder"}},
        "agencies": AGENCIES,
        "profile": PROFILE if profile is None else profile,
        "stages": built,
        "handoffs": moves,
    }
    result.update(extra)
    return result


def build(
    stages: dict[str, str | dict[str, Any]],
    handoffs: dict[str, tuple[str, str] | dict[str, Any]],
    **extra: Any,
) -> Pathway:
    """Load a test pathway through the loader, as a file would be."""
    return load_text(json.dumps(data(stages, handoffs, **extra)), path="test.yaml")


_VALUES: dict[str, list[Any]] = {"age_group": ["child", "adult"], "consent": ["given", "declined"]}


@st.composite
def _fixed_condition(draw: st.DrawFn) -> str | None:
    atoms = []
    for attribute, values in _VALUES.items():
        if draw(st.booleans()):
            value = draw(st.sampled_from(values))
            atoms.append(f"{attribute} == '{value}'")
    if not atoms:
        return None
    return f" {draw(st.sampled_from(['and', 'or']))} ".join(atoms)


@st.composite
def small_pathways(draw: st.DrawFn, max_stages: int = 6) -> Pathway:
    """A small random pathway: a main track and maybe a parallel track, profile changes,
    owners, conditions, information collected and shared, loops and dead ends allowed."""
    count = draw(st.integers(2, max_stages))
    names = [f"s{i}" for i in range(count)]
    police = [f"p{i}" for i in range(draw(st.sampled_from([0, 0, 2, 3])))]
    items = ["account", "address"]
    stages: dict[str, Any] = {}
    for name in names + police:
        kind = draw(st.sampled_from(["referral", "support", "outcome", "decision"]))
        if name in (names[0], *police[:1]):
            kind = "referral"
        spec: dict[str, Any] = {
            "kind": kind,
            "owner": draw(st.sampled_from(sorted(AGENCIES))),
            "collects": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
            "needs": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
        }
        if name in police:
            spec["track"] = "police"
        stages[name] = spec
    handoffs: dict[str, Any] = {}
    for group in (names, police):
        sources = [n for n in group if stages[n]["kind"] != "outcome"]
        for _ in range(draw(st.integers(0, 2 * len(group))) if sources else 0):
            move: dict[str, Any] = {
                "from": draw(st.sampled_from(sources)),
                "to": draw(st.sampled_from(group)),
                "shares": draw(st.lists(st.sampled_from(items), unique=True, max_size=1)),
            }
            condition = draw(_fixed_condition())
            if condition:
                move["when"] = condition
            if police and group is names and draw(st.integers(0, 4)) == 0:
                move["starts"] = ["police"]
            handoffs[f"h{len(handoffs)}"] = move
    changes = draw(st.sampled_from([[], [("child", "adult")]]))
    consent = draw(st.sampled_from([[], [("declined", "given")], [("given", "declined")]]))
    profile = {
        "age_group": {
            "values": _VALUES["age_group"],
            "changes": [{"from": a, "to": b} for a, b in changes],
        },
        "consent": {
            "values": _VALUES["consent"],
            "changes": [{"from": a, "to": b} for a, b in consent],
        },
    }
    extra: dict[str, Any] = {
        "information": {i: {"title": i.title(), "sensitivity": "personal"} for i in items}
    }
    if police:
        extra["tracks"] = {"police": {"title": "Police", "entry": police[0]}}
    return build(stages, handoffs, profile=profile, **extra)


#: A simulation scenario's knobs for capacity tests: caseworkers of two agencies (none is
#: allowed: cases then wait for good), the chance of the first branch, arrivals and seed.
staffing = st.fixed_dictionaries(
    {
        "council": st.integers(0, 2),
        "police": st.integers(0, 1),
        "first_branch": st.floats(0.0, 1.0).map(lambda p: round(p, 2)),
        "per_year": st.integers(20, 400),
        "seed": st.integers(0, 1000),
    }
)
