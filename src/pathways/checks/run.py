"""How `check` runs: the rules enabled for a pathway, one after another on one profile graph,
then the metrics; each rule's hits made into findings (`pathways.checks.findings`).

The rule families register themselves in `RULES` when imported here. Python's cycle collector
is paused for the run, and the profile graph is released as soon as it is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from pathways.checks.config import Settings, resolve
from pathways.checks.findings import CheckReport, Finding
from pathways.checks.metrics import metrics
from pathways.checks.registry import RULES, Context, Hit, Rule, Severity
from pathways.checks.routes import route_lines
from pathways.checks.rules import (
    declines,
    domain,
    handoffs,
    information,
    profiles,
    sharing,
    structure,
)
from pathways.checks.rules.suppressions import UNMATCHED, Unmatched
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError
from pathways.graph.profile_graph import ProfileGraph

__all__ = ["check"]

_FAMILIES = (structure, profiles, handoffs, declines, information, domain, sharing)


def check(
    pathway: Pathway,
    config: ChecksConfig | None = None,
    *,
    preset: str | None = None,
    base: Pathway | None = None,
    library: Library | None = None,
    with_metrics: bool = True,
) -> CheckReport:
    """Run every enabled rule on `pathway` and work out its metrics.

    `config` is a project-wide configuration, under the pathway's own `checks:`; `preset`
    overrides both. `base` is the pathway it extends (loaded with `library` when not given),
    used by `local-time-limits`. Raises `DefinitionError` for an unknown rule in the config.
    """
    settings = resolve(pathway, config, preset)
    if base is None and len(pathway.files) > 1:
        base = _load_base(pathway, library or Library())
    with _no_cycle_collection():
        return _check(pathway, settings, base, with_metrics)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The walks allocate millions of small ints and tuples and make no reference cycles, so
    Python's cycle collector would only rescan the growing heap (a quarter of the time on
    100,000 stages). It is paused for one check and restored as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check(
    pathway: Pathway, settings: Settings, base: Pathway | None, with_metrics: bool
) -> CheckReport:
    graph = ProfileGraph(pathway)
    try:
        return _run_rules(graph, settings, base, with_metrics)
    finally:
        graph.release()


def _run_rules(
    graph: ProfileGraph, settings: Settings, base: Pathway | None, with_metrics: bool
) -> CheckReport:
    pathway = graph.pathway
    shared = Context(pathway, graph, base=base)
    findings: list[Finding] = []
    located = bool(pathway.files)
    found: dict[str, list[str]] = {}  # the names each rule that ran found
    for rule_id in (*sorted(set(RULES) - {UNMATCHED}), UNMATCHED):
        rule = RULES[rule_id]
        severity = settings.severities.get(rule_id)
        if severity is None:
            continue
        if rule.domain and not domain.applies(pathway) and rule_id not in settings.named:
            continue
        if rule_id == UNMATCHED:
            graph.memo["unmatched-suppressions"] = _unmatched(settings, found)
        ctx = shared.with_options(settings.options.get(rule_id, {}))
        names = found.setdefault(rule_id, [])
        for hit in rule.run(ctx):
            names.extend((hit.name, *hit.also))
            findings.append(_finding(ctx, rule, severity, hit, settings, located))
    findings.sort(key=Finding.sort_key)
    figures = metrics(shared) if with_metrics else None
    path = pathway.files[0] if pathway.files else "<pathway>"
    return CheckReport(pathway.id, pathway.title, path, settings.preset, tuple(findings), figures)


def _unmatched(settings: Settings, found: dict[str, list[str]]) -> tuple[Unmatched, ...]:
    """The suppressions of rules that ran that match none of their findings."""
    unmatched = []
    for index, entry in enumerate(settings.suppressions):
        names = found.get(entry.rule)
        if names is None or (names and (entry.at is None or entry.at in names)):
            continue
        own = index - settings.first_own if index >= settings.first_own else None
        unmatched.append(Unmatched(own, entry, tuple(sorted(set(names)))))
    return tuple(unmatched)


def _load_base(pathway: Pathway, library: Library) -> Pathway | None:
    try:
        return library.load(pathway.files[1])
    except (DefinitionError, OSError):
        return None


def _finding(
    ctx: Context, rule: Rule, severity: Severity, hit: Hit, s: Settings, located: bool
) -> Finding:
    p = ctx.pathway
    location = inherited = None
    if hit.section and located:  # a pathway made in Python has no file positions
        location = p.location(hit.section, hit.name, *hit.at) or p.location(hit.section, hit.name)
        # written in the baseline: point at the area file, where it is fixed
        fix = "agencies" if hit.section == "roles" else "extends"
        location, inherited = p.fix_place(location, fix, hit.causes)
    accepted = s.suppression(rule.id, hit.name, *hit.also)
    route = route_lines(ctx, hit.route, hit.profiles)
    route_for = ctx.who(1 << hit.route[0].profile) if hit.route else None
    return Finding(
        rule=rule.id,
        severity=severity,
        message=hit.message,
        location=location,
        subject=f"{_SUBJECTS.get(hit.section, hit.section)} {hit.name}".strip(),
        profiles=ctx.describe(hit.profiles) if hit.profiles else None,
        route=route,
        route_for=route_for,
        hint=hit.hint or None,
        suppressed=accepted.reason if accepted is not None else None,
        inherited=inherited,
    )


_SUBJECTS = {
    "stages": "stage",
    "handoffs": "handoff",
    "tracks": "track",
    "roles": "role",
    "duties": "duty",
}
