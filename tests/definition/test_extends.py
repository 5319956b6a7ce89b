"""`extends:` (`pathways.definition.extends`): an area's file adds to, replaces and removes parts of
its base, and each mistake is refused with its own code.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from definition.helpers import EXAMPLE, area, codes
from pathways import DefinitionError, load, load_text


def test_extends_adds_to_the_base(tmp_path: Path) -> None:
    file = area(
        tmp_path,
        body="""
        stages:
          safe-house:
            title: Place of safety
            owner: charity
            kind: safeguarding
        handoffs:
          to-safe-house:
            from: start
            to: safe-house
            by: [police]
        """,
    )
    pathway = load(file)
    assert pathway.id == "area/town"
    assert pathway.lineage == ("area/town", "base/national")
    assert pathway.entry == "start"  # inherited
    assert list(pathway.stages) == ["start", "support", "done", "safe-house"]
    assert list(pathway.handoffs) == ["refer", "finish", "to-safe-house"]
    assert sorted(pathway.agencies) == ["charity", "police"]
    assert sorted(pathway.roles) == ["responder", "support-provider"]
    assert not pathway.baseline
    here = pathway.location("stages", "safe-house")
    there = pathway.location("stages", "start")
    assert here is not None
    assert here.path.endswith("area/town.yaml")
    assert there is not None
    assert there.path.endswith("base/national.yaml")


def test_adding_what_the_base_has_is_refused(tmp_path: Path) -> None:
    file = area(
        tmp_path,
        body="""
        stages:
          support:
            title: Local support
            owner: charity
            kind: support
        """,
    )
    with pytest.raises(DefinitionError) as info:
        load(file)
    assert codes(info.value) == {"already-defined"}


def test_replace_replaces_a_base_stage_and_handoff(tmp_path: Path) -> None:
    file = area(
        tmp_path,
        body="""
        replace:
          stages:
            support:
              title: Local support
              owner: charity
              kind: support
              within: 5 working days
          handoffs:
            refer:
              from: start
              to: support
              by: [police]
              within: 1 working day
        """,
    )
    pathway = load(file)
    support = pathway.stages["support"]
    assert support.title == "Local support"
    assert support.owner == "charity"
    assert str(support.within) == "5 working days"
    assert pathway.handoffs["refer"].by == ("police",)
    assert list(pathway.stages) == ["start", "support", "done"]  # order kept
    where = pathway.location("stages", "support", "title")
    assert where is not None
    assert where.path.endswith("area/town.yaml")


def test_replacing_what_the_base_lacks_is_refused(tmp_path: Path) -> None:
    file = area(
        tmp_path,
        body="""
        replace:
          stages:
            suport:
              title: Local support
              owner: charity
              kind: support
        """,
    )
    with pytest.raises(DefinitionError) as info:
        load(file)
    assert codes(info.value) == {"not-in-base"}
    assert info.value.problems[0].hint == "did you mean 'support'?"


def test_remove_removes_stages_and_handoffs(tmp_path: Path) -> None:
    file = area(
        tmp_path,
        body="""
        handoffs:
          straight-to-done:
            from: start
            to: done
            by: [police]
        remove:
          stages: [support]
          handoffs: [refer, finish]
        """,
    )
    pathway = load(file)
    assert list(pathway.stages) == ["start", "done"]
    assert list(pathway.handoffs) == ["straight-to-done"]
    assert pathway.location("stages", "support") is None


def test_removing_a_stage_but_not_its_handoffs_is_refused(tmp_path: Path) -> None:
    file = area(tmp_path, body="remove:\n  stages: [support]\n")
    with pytest.raises(DefinitionError) as info:
        load(file)
    assert codes(info.value) == {"dangling-handoff"}


def test_replace_without_extends_is_refused() -> None:
    text = EXAMPLE + "remove:\n  stages: [closed]\n"
    with pytest.raises(DefinitionError) as info:
        load_text(text)
    assert codes(info.value) == {"nothing-to-change"}


def test_the_base_is_found_through_the_search_folders(tmp_path: Path) -> None:
    file = area(tmp_path)
    text = file.read_text(encoding="utf-8")
    pathway = load_text(text, path="town.yaml", search=[tmp_path])
    assert pathway.lineage == ("area/town", "base/national")
    with pytest.raises(DefinitionError) as info:
        load_text(text, path="town.yaml")
    assert codes(info.value) == {"unknown-base"}


def test_removing_a_track_takes_one_round_of_edits(tmp_path: Path) -> None:
    # the first problem names everything the removal leaves behind; doing what its hint says
    # (and replacing the handoff that starts the track) gives a valid file, with no new
    # problem about what the removal left
    golden = Path(__file__).resolve().parents[1] / "golden" / "loader"
    base = tmp_path / "base" / "tracked.yaml"
    base.parent.mkdir()
    base.write_text((golden / "base" / "tracked.yaml").read_text("utf-8"), "utf-8")
    first = (golden / "track-in-use.yaml").read_text("utf-8")
    area = tmp_path / "area.yaml"
    area.write_text(first.replace("id: track-in-use", "id: area"), "utf-8")
    with pytest.raises(DefinitionError) as info:
        load(area)
    (problem,) = info.value.problems
    assert problem.hint == (
        "under 'remove:', add stages: [guardian-done, guardian-support] and handoffs: "
        "[end-guardian-support]; replace 'refer' (or remove it)"
    )
    area.write_text(
        area.read_text("utf-8")
        + "  stages: [guardian-done, guardian-support]\n"
        + "  handoffs: [end-guardian-support, refer]\n",
        "utf-8",
    )
    assert "guardian" not in load(area).tracks


def test_a_problem_found_in_the_base_points_at_the_area_first(tmp_path: Path) -> None:
    """Any problem the reference checks find in what the base wrote, with no key of the area
    to blame, is reported at the area's `extends:` line, the base's place second."""
    from pathways.definition.resolver import Resolver
    from pathways.errors import Location, Problem

    pathway = load(area(tmp_path))
    base_place = pathway.location("handoffs", "finish")
    assert base_place is not None
    assert base_place.path != pathway.files[0]
    resolver = Resolver(pathway, frozenset())
    own = pathway.location("agencies", "police")
    resolver.problems.extend([Problem("x", "in the base", base_place), Problem("y", "here", own)])
    resolver.inherited_first()
    moved, kept = resolver.problems
    extends = pathway.location("file", "extends")
    assert isinstance(extends, Location)
    assert extends.path == pathway.files[0]
    assert (moved.location, moved.inherited) == (extends, base_place)
    assert (kept.location, kept.inherited) == (own, None)
