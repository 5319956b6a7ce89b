"""Domain rules: facts from national guidance on modern slavery referrals (see
docs/national-baseline.md), applied to stages by their `tags` and agencies by their
`first_responder` and `public_authority` flags.

They run by default for the national baseline and for pathways that extend a baseline. The
victim profile attributes they read are options: `age_attribute` (default `age_group`) with
`adult`/`child` values, and `consent_attribute` (default `consent`) with `consent_given`.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.definition.durations import Duration
from pathways.definition.schema import Pathway
from pathways.graph.profile_graph import Edge
from pathways.graph.walks import Step, backward, forward, seeds_after

__all__ = ["applies"]

_PROFILE = {
    "age_attribute": "age_group",
    "adult": "adult",
    "child": "child",
    "consent_attribute": "consent",
    "consent_given": "given",
}


def applies(pathway: Pathway) -> bool:
    """Domain rules run by default for a baseline and for pathways that extend one."""
    return pathway.baseline or len(pathway.lineage) > 1


def _tagged(ctx: Context, tag: str) -> list[str]:
    return [n for n, s in ctx.pathway.stages.items() if tag in s.tags]


def _where(ctx: Context, attribute: str, value: str) -> int:
    """The profiles where an option-named attribute has an option-named value (0 if unknown)."""
    name = str(ctx.option(attribute, _PROFILE[attribute]))
    wanted = str(ctx.option(value, _PROFILE[value]))
    declared = ctx.pathway.profile.get(name)
    if declared is None or wanted not in declared.domain:
        return 0
    return int(ctx.graph.space.mask_where(name, wanted))


def _into(ctx: Context, stages: list[str]) -> list[Edge]:
    return [e for s in stages for e in ctx.graph.into[s]]


def _step(edge: Edge, bits: int) -> Step:
    return Step(edge.target, (bits & -bits).bit_length() - 1, handoff=edge.handoff)


@rule(
    "nrm-first-responder",
    "domain",
    "an NRM referral made or owned by an agency that is not a First Responder Organisation",
    Severity.ERROR,
)
def nrm_first_responder(ctx: Context) -> Iterator[Hit]:
    """Only First Responder Organisations may refer into the National Referral Mechanism.

    Example: `refer-to-nrm` into a stage tagged `nrm-referral` with `by: [housing-association]`,
    an agency without `first_responder: true`.
    """
    p = ctx.pathway
    if not p.agencies:
        return
    nrm = _tagged(ctx, "nrm-referral")
    for name in nrm:
        owners = [a for a in p.owner_agencies(p.stages[name].owner) if not _fro(p, a)]
        if owners:
            yield Hit(
                "stages",
                name,
                f"{ctx.stage_label(name)} is an NRM referral but may be owned by "
                f"{_names(p, owners)}, which is not a First Responder Organisation",
                at=("owner",),
                causes=_flags(owners),
            )
    for handoff in sorted({e.handoff for e in _into(ctx, nrm)}):
        actors = p.handoffs[handoff].by
        makers = sorted({a for actor in actors for a in p.owner_agencies(actor)})
        wrong = [a for a in makers if not _fro(p, a)]
        if wrong:
            yield Hit(
                "handoffs",
                handoff,
                f"handoff '{handoff}' refers into the NRM but may be made by {_names(p, wrong)}, "
                "which is not a First Responder Organisation",
                at=("by",),
                hint="only first responders may refer; hand to one first",
                causes=_flags(wrong),
            )


def _flags(agencies: list[str]) -> tuple[tuple[str, ...], ...]:
    """Where the agencies say whether they are First Responder Organisations."""
    return tuple(("agencies", a, "first_responder") for a in agencies)


def _fro(p: Pathway, agency: str) -> bool:
    return p.agencies[agency].first_responder


def _names(p: Pathway, agencies: list[str]) -> str:
    return ", ".join(p.agencies[a].name for a in agencies)


@rule(
    "nrm-adult-consent",
    "domain",
    "an adult referred into the NRM without their consent",
    Severity.ERROR,
)
def nrm_adult_consent(ctx: Context) -> Iterator[Hit]:
    """An adult may be referred into the NRM only with their informed consent.

    Example: `refer-to-nrm` into an `nrm-referral` stage with `when: age_group == 'adult'`,
    open to adults whose consent is declined.
    """
    adult = _where(ctx, "age_attribute", "adult")
    given = _where(ctx, "consent_attribute", "consent_given")
    if not adult or not given:
        return
    for edge in _into(ctx, _tagged(ctx, "nrm-referral")):
        bits = ctx.reach.at(edge.source) & edge.mask & adult & ~given
        if bits:
            yield Hit(
                "handoffs",
                edge.handoff,
                f"handoff '{edge.handoff}' refers {ctx.who(bits)} into "
                "the NRM, but an adult needs to have given consent",
                profiles=bits,
                route=(*ctx.route(edge.source, bits), _step(edge, bits)),
                at=("when",) if ctx.pathway.handoffs[edge.handoff].when else (),
                hint="add consent == 'given' to its condition, and a duty to notify route for "
                "adults who decline",
            )


@rule(
    "duty-to-notify-route",
    "domain",
    "an adult who declines consent has no route to a duty-to-notify report",
    Severity.ERROR,
)
def duty_to_notify_route(ctx: Context) -> Iterator[Hit]:
    """A public authority must notify the Home Office (MSA 2015 s52) when an adult declines an
    NRM referral, so adults who decline at a consent discussion need a route to one.

    Example: `consent-discussion` (owned by the police) with handoffs only for consent given.
    """
    p, graph = ctx.pathway, ctx.graph
    declined = _where(ctx, "age_attribute", "adult") & ~_where(
        ctx, "consent_attribute", "consent_given"
    )
    if not declined or not _where(ctx, "consent_attribute", "consent_given"):
        return
    notify = dict.fromkeys(_tagged(ctx, "duty-to-notify"), graph.full)
    can = backward(graph, notify, starts=True)
    for name in _tagged(ctx, "consent-discussion"):
        owners = p.owner_agencies(p.stages[name].owner)
        if p.agencies and not any(p.agencies[a].public_authority for a in owners):
            continue
        bits = ctx.reach.at(name) & declined & ~can.get(name, 0)
        if bits:
            yield Hit(
                "stages",
                name,
                f"{ctx.who(bits)} at {ctx.stage_label(name)} has no "
                "route to a duty-to-notify report",
                profiles=bits,
                route=ctx.route(name, bits),
                hint="add a handoff for adults who decline to a stage tagged duty-to-notify",
            )


@rule(
    "child-care-before-nrm",
    "domain",
    "a child referred into the NRM before children's social care",
    Severity.ERROR,
)
def child_care_before_nrm(ctx: Context) -> Iterator[Hit]:
    """A child must be referred to children's social care before (or without waiting for)
    their NRM referral.

    Example: `refer-to-nrm` open to children straight from `identification`, with the stage
    tagged `childrens-services-referral` only after the NRM referral.
    """
    child = _where(ctx, "age_attribute", "child")
    if not child:
        return
    care = set(_tagged(ctx, "childrens-services-referral"))
    graph = ctx.graph
    before = forward(
        graph, [(ctx.pathway.entry, graph.full, None)], stop=lambda stage: stage in care
    )
    for name in _tagged(ctx, "nrm-referral"):
        bits = before.at(name) & child
        if bits and name not in care:
            yield Hit(
                "stages",
                name,
                f"{ctx.who(bits)} can reach {ctx.stage_label(name)} "
                "without a referral to children's social care first",
                profiles=bits,
                route=ctx.route_via(before, name, bits),
                hint="refer children to children's social care before the NRM referral",
            )


@rule(
    "child-no-consent-gate",
    "domain",
    "a child's referral that depends on consent",
    Severity.ERROR,
)
def child_no_consent_gate(ctx: Context) -> Iterator[Hit]:
    """Children need no consent for an NRM referral or a referral to children's social care,
    so the conditions on those handoffs must treat children the same whatever their consent.

    Example: `refer-to-nrm` with `when: consent == 'given'`, open to children too.
    """
    child = _where(ctx, "age_attribute", "child")
    attribute = str(ctx.option("consent_attribute", _PROFILE["consent_attribute"]))
    declared = ctx.pathway.profile.get(attribute)
    if not child or declared is None:
        return
    space = ctx.graph.space
    slices = [int(space.mask_where(attribute, v)) for v in declared.domain]
    base = slices[0]
    targets = _tagged(ctx, "nrm-referral") + _tagged(ctx, "childrens-services-referral")
    for edge in _into(ctx, sorted(set(targets))):
        here = ctx.reach.at(edge.source) & child
        present = [_align(here & s, s, base) for s in slices]
        admitted = [_align(here & edge.mask & s, s, base) for s in slices]
        refused = 0
        for i, got in enumerate(admitted):
            for j, other in enumerate(present):
                if i != j:
                    refused |= _unalign(got & other & ~admitted[j], base, slices[j])
        if refused:
            yield Hit(
                "handoffs",
                edge.handoff,
                f"handoff '{edge.handoff}' depends on consent for children: "
                f"{ctx.who(refused)} cannot take it although other children can",
                profiles=refused,
                route=ctx.route(edge.source, refused),
                at=("when",),
                hint="children need no consent: remove the consent part for children",
            )


def _align(mask: int, source: int, target: int) -> int:
    shift = _low(target) - _low(source)
    return mask << shift if shift >= 0 else mask >> -shift


def _unalign(mask: int, source: int, target: int) -> int:
    return _align(mask, source, target) & target


def _low(mask: int) -> int:
    return (mask & -mask).bit_length() - 1


@rule(
    "nrm-and-duty-to-notify",
    "domain",
    "a route that files both an NRM referral and a duty-to-notify report",
    Severity.ERROR,
)
def nrm_and_duty_to_notify(ctx: Context) -> Iterator[Hit]:
    """A victim is either referred into the NRM or notified anonymously, never both.

    Example: `nrm-referral` followed by `notify-home-office` (tagged `duty-to-notify`) on one
    route for adults.
    """
    graph = ctx.graph
    nrm, notify = _tagged(ctx, "nrm-referral"), _tagged(ctx, "duty-to-notify")
    for first, second in ((nrm, notify), (notify, nrm)):
        edges = [e for s in first for e in graph.out[s]]
        walk = forward(graph, seeds_after(graph, edges, ctx.reach.masks))
        for name in second:
            bits = walk.at(name)
            if bits:
                yield Hit(
                    "stages",
                    name,
                    f"{ctx.who(bits)} can have both an NRM referral and "
                    f"a duty-to-notify report filed, reaching {ctx.stage_label(name)} after "
                    "the other",
                    profiles=bits,
                    route=ctx.route_via(walk, name, bits),
                    hint="make the two routes exclusive: consent given or declined",
                )


def _looser(local: Duration | None, national: Duration) -> bool:
    if local is None:
        return True
    if local.working == national.working:
        return local.days > national.days
    return _calendar_days(local) > _calendar_days(national)


def _calendar_days(duration: Duration) -> float:
    """Roughly how many calendar days a limit allows (five working days to the week)."""
    return duration.days * 7 / 5 if duration.working else duration.days


@rule(
    "local-time-limits",
    "domain",
    "a local time limit looser than the national one",
    Severity.ERROR,
)
def local_time_limits(ctx: Context) -> Iterator[Hit]:
    """A stage's `within` may not be longer than the same stage's in the baseline it extends.

    Example: the baseline's `rg-decision` has `within: 5 working days`; the area replaces it
    with `within: 10 working days`.
    """
    base = ctx.base
    if base is None:
        return
    for name, stage in ctx.pathway.stages.items():
        national = base.stages.get(name)
        if national is None or national.within is None:
            continue
        if _looser(stage.within, national.within):
            local = f"{stage.within}" if stage.within else "no time limit"
            yield Hit(
                "stages",
                name,
                f"{ctx.stage_label(name)} allows {local}, looser than the national "
                f"{national.within} in {base.id}",
                at=("within",) if stage.within else (),
                hint=f"use 'within: {national.within}' or less",
            )


@rule(
    "nrm-police-track",
    "domain",
    "an NRM referral whose case never reaches the police",
    Severity.WARNING,
)
def nrm_police_track(ctx: Context) -> Iterator[Hit]:
    """Every NRM referral should reach the police track (a track with a `crime-recorded`
    stage): the handoff into it, or one before or after it, starts that track.

    Example: `refer-to-nrm` with no `starts: [police]` anywhere on the route.
    """
    p, graph = ctx.pathway, ctx.graph
    police = _tracks_tagged(p, "crime-recorded")

    def quiet(edge: Edge) -> bool:
        return not police & set(edge.starts)

    before = forward(graph, [(p.entry, graph.full, None)], edge_ok=quiet)
    ends = {n: graph.full for n in graph.outcomes if p.stages[n].track == p.stages[p.entry].track}
    escape = backward(graph, ends, edge_ok=quiet)
    for name in _tagged(ctx, "nrm-referral"):
        arriving = 0
        for edge in graph.into[name]:
            if quiet(edge):
                arriving |= before.at(edge.source) & edge.mask
        bits = arriving & escape.get(name, 0)
        if bits:
            yield Hit(
                "stages",
                name,
                f"{ctx.who(bits)} can be referred into the NRM at "
                f"{ctx.stage_label(name)} and reach an outcome without the police track "
                "ever starting",
                profiles=bits,
                route=ctx.route_via(before, name, bits),
                hint="add 'starts: [police]' to the handoff into the NRM referral",
            )


def _tracks_tagged(p: Pathway, tag: str) -> set[str]:
    """The tracks with a stage tagged `tag` (one pass over the stages)."""
    return {s.track for s in p.stages.values() if tag in s.tags and s.track in p.tracks}
