"""Scenario files (`pathways.simulation.scenario.loader`): a complete scenario builds, `extends`,
and problems reported in pathway-file style. Durations, choices and seasonality have their own
test files."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import ROOT
from pathways.definition.loader import load_text
from pathways.errors import DefinitionError
from pathways.runtime.compiler import compile_pathway
from pathways.simulation import build_model, load_scenario, load_scenario_text

PATHWAY = """
id: test/small
title: Small
area: Test
version: "1"
entry: triage
profile:
  age_group: {values: [child, adult], changes: [{from: child, to: adult}]}
  needs_accommodation: {flag: true}
agencies:
  council: {name: Council}
  charity: {name: Charity}
stages:
  triage: {title: Triage, owner: council, kind: referral}
  housing: {title: Housing, owner: charity, kind: support}
  advice: {title: Advice, owner: charity, kind: support}
  done: {title: Done, owner: council, kind: outcome, outcome: supported}
handoffs:
  house: {from: triage, to: housing, by: council, when: needs_accommodation}
  advise: {from: triage, to: advice, by: council, when: not needs_accommodation}
  settled: {from: housing, to: done, by: charity}
  advised: {from: advice, to: done, by: charity}
"""

BASE = """
id: test/small
title: Small, base
pathway: test/small
start: 2024-01-01
horizon: 400 days
warm_up: 30 days
sources:
  S1: {title: A source, url: "https://example.org"}
arrivals: {per_year: 365.25, cites: [S1]}
profile:
  age_group: {child: 0.3, adult: 0.7}
  needs_accommodation: 0.4
durations:
  triage: {distribution: exponential, mean: 0.5, cites: [S1]}
  housing: 10 days
  advice: 2 working days
capacity:
  council: {caseworkers: 1}
"""


@pytest.fixture(scope="module")
def compiled():  # type: ignore[no-untyped-def]
    return compile_pathway(load_text(PATHWAY))


def problems(compiled, text: str) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    with pytest.raises(DefinitionError) as caught:
        build_model(compiled, load_scenario_text(text))
    return caught.value.codes


def test_a_complete_scenario_builds(compiled) -> None:  # type: ignore[no-untyped-def]
    model = build_model(compiled, load_scenario_text(BASE))
    assert [p.name for p in model.pools] == ["council"]
    assert model.pools[0].stages == (0,)
    assert len(model.profile_values) == 4


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (("pathway: test/small", "pathway: test/other"), "wrong-pathway"),
        (("cites: [S1]}", "cites: [S9]}"), "unknown-source"),
        (
            (
                "  council: {caseworkers: 1}",
                "  council: {caseworkers: 1, panel: {every: 1 week, cases: 2}}",
            ),
            "bad-capacity",
        ),
        (
            ("  council: {caseworkers: 1}", "  council: {panel: {every: 0 days, cases: 2}}"),
            "bad-capacity",
        ),
        (
            (
                "  council: {caseworkers: 1}",
                "  council: {panel: {every: 2 working days, cases: 2}}",
            ),
            "bad-capacity",
        ),
        (
            ("  triage: {distribution: exponential, mean: 0.5, cites: [S1]}\n", ""),
            "missing-duration",
        ),
        (("  needs_accommodation: 0.4\n", ""), "missing-probabilities"),
        (
            ("age_group: {child: 0.3, adult: 0.7}", "age_group: {kid: 0.3, adult: 0.7}"),
            "unknown-value",
        ),
        (("age_group: {child: 0.3, adult: 0.7}", "age_group: 0.3"), "bad-choice"),
        (("  housing: 10 days", "  done: 10 days"), "outcome-stage"),
        (("horizon: 400 days", "horizon: 20 days"), "bad-horizon"),
    ],
)
def test_each_mistake_is_reported_with_its_code(compiled, change, code: str) -> None:  # type: ignore[no-untyped-def]
    old, new = change
    assert old in BASE
    assert code in problems(compiled, BASE.replace(old, new))


def test_profile_changes_must_be_allowed_by_the_pathway(compiled) -> None:  # type: ignore[no-untyped-def]
    allowed = (
        BASE
        + "profile_changes:\n  - {attribute: age_group, from: child, to: adult, per_year: 0.5}\n"
    )
    model = build_model(compiled, load_scenario_text(allowed))
    assert len(model.changes) == 2  # the two child profiles may become adults
    refused = allowed.replace("from: child, to: adult", "from: adult, to: child")
    assert problems(compiled, refused) == ("change-not-allowed",)


def test_unknown_keys_and_missing_keys_are_reported_on_loading() -> None:
    with pytest.raises(DefinitionError) as caught:
        load_scenario_text(BASE.replace("warm_up:", "warmup:"))
    assert caught.value.codes == ("unknown-key",)
    assert "did you mean 'warm_up'?" in str(caught.value)
    with pytest.raises(DefinitionError) as caught:
        load_scenario_text(BASE.replace("start: 2024-01-01\n", ""))
    assert caught.value.codes == ("missing-key",)


def test_a_what_if_extends_its_base_and_changes_a_few_values(tmp_path: Path, compiled) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "test"
    folder.mkdir()
    (folder / "small.yaml").write_text(BASE, encoding="utf-8")
    (folder / "small-more.yaml").write_text(
        "id: test/small-more\ntitle: Two caseworkers\nextends: test/small\n"
        "capacity:\n  council: {caseworkers: 2}\n"
        "durations:\n  housing: {distribution: unknown}\n",
        encoding="utf-8",
    )
    with pytest.raises(DefinitionError) as caught:
        load_scenario(folder / "small-more.yaml")
    assert str(folder / "small-more.yaml") in str(caught.value)
    (folder / "small-more.yaml").write_text(
        "id: test/small-more\ntitle: Two caseworkers\nextends: test/small\n"
        "capacity:\n  council: {caseworkers: 2}\n",
        encoding="utf-8",
    )
    scenario = load_scenario(folder / "small-more.yaml")
    assert scenario.lineage == ("test/small-more", "test/small")
    assert scenario.document.capacity["council"].caseworkers == 2
    assert scenario.document.durations["housing"].expected == 10
    assert scenario.document.start is not None
    where = scenario.location("capacity", "council")
    assert where is not None
    assert where.path.endswith("small-more.yaml")
    where = scenario.location("durations", "housing")
    assert where is not None
    assert where.path.endswith("small.yaml")
    assert build_model(compiled, scenario).pools[0].size == (2,)


def test_extending_an_unknown_or_looping_base_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\ntitle: A\nextends: b\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("id: b\ntitle: B\nextends: a\n", encoding="utf-8")
    (tmp_path / "c.yaml").write_text("id: c\ntitle: C\nextends: nowhere\n", encoding="utf-8")
    with pytest.raises(DefinitionError) as caught:
        load_scenario(tmp_path / "a.yaml")
    assert caught.value.codes == ("extends-cycle",)
    with pytest.raises(DefinitionError) as caught:
        load_scenario(tmp_path / "c.yaml")
    assert caught.value.codes == ("unknown-base",)


def test_dated_changes_switch_arrivals_and_capacity(compiled) -> None:  # type: ignore[no-untyped-def]
    text = BASE + (
        "changes:\n"
        "  - from: 2024-07-01\n"
        "    arrivals: {per_year: 730.5}\n"
        "    capacity: {council: {caseworkers: 3}}\n"
    )
    model = build_model(compiled, load_scenario_text(text))
    assert [r.per_year for r in model.regimes] == [365.25, 730.5]
    assert model.regimes[1].starts == 182
    assert model.pools[0].size == (1, 3)
    assert model.pools[0].stages == (0,)


BUNDLED = sorted((ROOT / "scenarios").rglob("*.yaml"))


@pytest.mark.parametrize("file", BUNDLED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_bundled_scenarios_load_and_cite_their_sources(file: Path) -> None:
    scenario = load_scenario(file)
    document = scenario.document
    known = {*document.sources, *document.assumptions}
    cited = [c for spec in document.durations.values() for c in spec.cites]
    cited += [c for entry in document.capacity.values() for c in entry.cites]
    assert document.arrivals is not None
    cited += list(document.arrivals.cites)
    assert cited
    assert set(cited) <= known


@pytest.mark.parametrize(
    "file", [f for f in BUNDLED if "national" not in f.parts], ids=lambda p: p.stem
)
def test_bundled_area_scenarios_fit_their_pathways(file: Path) -> None:
    from pathways.definition.loader import load

    scenario = load_scenario(file)
    pathway = load(ROOT / "pathways" / f"{scenario.document.pathway}.yaml")
    model = build_model(compile_pathway(pathway), scenario)
    assert model.pools
