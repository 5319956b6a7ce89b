"""Properties of the case-test runner on random pathways (tests/strategies.py).

Every route the runner reports was made by the real runtime, so it must replay as a valid
journey (`pathways.runtime.opening.replay` does every event again and refuses any the pathway would
not
have recorded exactly so); and how the runner says a route ended must match the journey.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pathways.casetests import Case, Expect, explore
from pathways.casetests.expect import positions_after
from pathways.casetests.routes import CASE_REF
from pathways.definition.schema import Pathway
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.opening import replay
from strategies import pathways


@st.composite
def pathway_and_profile(draw: st.DrawFn) -> tuple[Pathway, dict[str, str | bool]]:
    pathway = draw(pathways(max_tracks=2, max_stages=4, max_agencies=3))
    names = draw(st.lists(st.sampled_from(sorted(pathway.profile)), unique=True))
    profile = {name: draw(st.sampled_from(pathway.profile[name].domain)) for name in names}
    return pathway, profile


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pathway_and_profile(), st.data())
def test_every_route_replays_as_a_valid_journey(
    drawn: tuple[Pathway, dict[str, str | bool]], data: st.DataObject
) -> None:
    pathway, profile = drawn
    found_by = data.draw(st.sampled_from(sorted(pathway.agencies)))
    case = Case(profile=profile, found_by=found_by, expect=Expect(reaches=pathway.entry))
    exploration = explore(pathway, case)
    compiled = compile_pathway(pathway)
    assert exploration.runs
    for run in exploration.runs:
        journey = replay(compiled, CASE_REF, run.events)
        assert journey.history == run.events
        assert len(run.timed) == len(run.events)
        assert all(run.profile[name] == value for name, value in profile.items())
        assert positions_after(run, pathway) == journey.positions
        if run.ending == "closed":
            assert journey.closed
        elif run.ending == "stuck":
            assert not journey.closed
            assert not any(
                option.open for a in pathway.agencies for option in journey.available(by=a)
            )
