"""Bindings: can the pathway run in its area? Every role it uses is filled by one of the
area's agencies (a baseline speaks in roles and is exempt), and the profile is small enough to
reason about every victim at once.
"""

from __future__ import annotations

from pathways.definition.messages import singular
from pathways.definition.profiles import MAX_PROFILES
from pathways.definition.resolver import Resolver
from pathways.definition.schema import Pathway
from pathways.errors import Problem

__all__ = ["MAX_CHECK_WORK", "check_bindings"]

#: The most work `check` may be asked for: profiles x (stages + handoffs) x (agencies + roles).
#: Its walks follow every profile through every stage and handoff, once per pair of agencies,
#: so this bounds its time and memory (30 s and 1 GB; see benchmarks/bench_hostile.py). The
#: bundled pathways need about 10,000.
MAX_CHECK_WORK = 50_000_000


def check_bindings(r: Resolver) -> None:
    """Report a profile too large to reason about, and roles no agency of the area fills."""
    size = 1
    for attribute in r.p.profile.values():
        size *= max(1, len(attribute.domain))
    parts = len(r.p.stages) + len(r.p.handoffs)
    actors = max(1, len(r.p.agencies) + len(r.p.roles))
    if size <= MAX_PROFILES and size * parts * actors > MAX_CHECK_WORK:
        r.problems.append(
            Problem(
                "too-much-work",
                f"checking this pathway would follow {size:,} profiles through {parts:,} "
                f"stages and handoffs for {actors:,} agencies and roles: "
                f"{size * parts * actors:,} steps, more than the limit of {MAX_CHECK_WORK:,}",
                r.at("profile", next(iter(r.p.profile))) if r.p.profile else None,
                hint="keep the profile coarse (fewer attributes or values), or split the "
                "pathway into smaller ones",
            )
        )
    if size > MAX_PROFILES:
        r.problems.append(
            Problem(
                "profile-too-large",
                f"the profile has {size:,} combinations of values",
                r.at("profile", next(iter(r.p.profile))),
                expected=f"at most {MAX_PROFILES:,} combinations",
                hint="keep the profile coarse: fewer attributes or fewer values",
            )
        )
    if r.p.baseline:
        return
    for role, users in sorted(_role_users(r.p).items()):
        if role in r.p.agencies or r.p.owner_agencies(role):
            continue
        section, name = users[0]
        field = "by" if section == "handoffs" else "owner"
        at, inherited = r.p.fix_place(r.at(section, name, field), "agencies")
        r.problems.append(
            Problem(
                "role-unbound",
                f"role '{role}' is used by {_list_users(users)} but no agency in "
                f"{r.p.area} fills it",
                at,
                expected=f"an agency with 'roles: [{role}]' under agencies:",
                hint="add the agency that does this here, or replace or remove what uses the role",
                inherited=inherited,
            )
        )


def _role_users(pathway: Pathway) -> dict[str, list[tuple[str, str]]]:
    users: dict[str, list[tuple[str, str]]] = {}
    for name, stage in pathway.stages.items():
        if stage.owner in pathway.roles:
            users.setdefault(stage.owner, []).append(("stages", name))
    for name, handoff in pathway.handoffs.items():
        for actor in handoff.by:
            if actor in pathway.roles:
                users.setdefault(actor, []).append(("handoffs", name))
    for name, duty in pathway.duties.items():
        if duty.owner in pathway.roles:
            users.setdefault(duty.owner, []).append(("duties", name))
    return users


def _list_users(users: list[tuple[str, str]]) -> str:
    named = [f"{singular(section)} '{name}'" for section, name in users[:3]]
    more = f" and {len(users) - 3} more" if len(users) > 3 else ""
    return ", ".join(named) + more
