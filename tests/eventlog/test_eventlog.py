"""Event logs out of the journey store, read back by the tools analysts use (pandas, PM4Py), and
the Petri net export judged by PM4Py's token replay against `pathways conform`.

Skipped without the test extras pm4py, pandas and pyarrow (`--group test` installs them)."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from conformance.helpers import DRAFT_TEXT, fill, load
from pathways.cli import main
from pathways.conformance import conform_store
from pathways.diagram.pnml import pnml
from pathways.store import JourneyStore

pm4py = pytest.importorskip("pm4py", reason="the test extra pm4py reads the logs back")
pandas = pytest.importorskip("pandas", reason="the test extra pandas reads CSV and Parquet")
pytest.importorskip("pyarrow", reason="the test extra pyarrow writes Parquet")

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of 60 complete journeys, some with moves the draft has not (control flow only)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('eventlog') / 'journeys.db'}"
    with JourneyStore(url) as store:
        fill(store, count=60, seed=5, condition=False)
    return url


def _stored(url: str) -> dict[str, list[str]]:
    """Each journey's activities in order, from the store itself: the source of truth."""
    with JourneyStore(url, read_only=True) as store:
        refs = store.find(limit=1000).case_refs
        return {
            ref: ["start" if e.what == "started" else e.trigger or "" for e in store.events(ref)]
            for ref in refs
        }


def _follows(traces: dict[str, list[str]]) -> Counter[tuple[str, str]]:
    pairs: Counter[tuple[str, str]] = Counter()
    for activities in traces.values():
        pairs.update(itertools.pairwise(activities))
    return pairs


def _export(url: str, fmt: str, folder: Path, *extra: str) -> Path:
    target = folder / f"log.{fmt}"
    args = ["export", "example/small", "--db", url, "--format", fmt, "-o", str(target), "-q"]
    assert main([*args, *extra]) == 0
    return target


def _traces(frame: Any) -> dict[str, list[str]]:
    frame = frame.sort_values(["case:concept:name", "time:timestamp", "seq"], kind="stable")
    return {
        str(case): list(group["concept:name"])
        for case, group in frame.groupby("case:concept:name", sort=False)
    }


@pytest.mark.parametrize("fmt", ["xes", "csv", "parquet"])
def test_pm4py_reads_the_log_with_the_same_cases_events_and_order(
    store_url: str, tmp_path: Path, fmt: str
) -> None:
    target = _export(store_url, fmt, tmp_path, "--keep-case-refs")
    if fmt == "xes":
        frame = pm4py.read_xes(str(target))
    else:
        raw = (
            pandas.read_csv(target, dtype={"case": str})
            if fmt == "csv"
            else pandas.read_parquet(target)
        )
        raw["timestamp"] = pandas.to_datetime(raw["timestamp"], utc=True)
        frame = pm4py.format_dataframe(
            raw, case_id="case", activity_key="activity", timestamp_key="timestamp"
        )
    expected = _stored(store_url)
    got = _traces(frame)
    assert got == expected
    dfg, _, _ = pm4py.discover_dfg(frame)
    assert Counter(dfg) == _follows(expected)


def test_pm4py_reads_the_ocel_log_with_journeys_agencies_and_referrals(
    store_url: str, tmp_path: Path
) -> None:
    target = _export(store_url, "ocel", tmp_path)
    ocel = pm4py.read_ocel2_json(str(target))
    expected = _stored(store_url)
    assert len(ocel.events) == sum(len(t) for t in expected.values())
    kinds = Counter(ocel.objects["ocel:type"])
    assert kinds["journey"] == len(expected)
    assert kinds["referral"] == sum(len(t) - 1 for t in expected.values())
    assert kinds["agency"] == 2


def test_case_references_are_replaced_by_pseudonyms_that_change_with_each_export(
    store_url: str, tmp_path: Path
) -> None:
    first = _export(store_url, "csv", tmp_path).read_text(encoding="utf-8")
    (tmp_path / "again").mkdir()
    second = _export(store_url, "csv", tmp_path / "again").read_text(encoding="utf-8")
    assert "case-0001" not in first
    cases = {line.split(",")[0] for line in first.splitlines()[1:]}
    assert len(cases) == len(_stored(store_url))
    assert cases.isdisjoint({line.split(",")[0] for line in second.splitlines()[1:]})


def test_token_replay_on_the_petri_net_finds_the_same_journeys_off_the_pathway(
    store_url: str, tmp_path: Path
) -> None:
    net_file = tmp_path / "draft.pnml"
    net_file.write_text(pnml(load(DRAFT_TEXT)), encoding="utf-8")
    net, initial, final = pm4py.read_pnml(str(net_file))
    frame = pm4py.read_xes(str(_export(store_url, "xes", tmp_path, "--keep-case-refs")))
    moves = frame[frame["kind"].isin(["handoff", "timeout", "declined"])]
    log = pm4py.convert_to_event_log(moves)
    diagnostics = pm4py.conformance_diagnostics_token_based_replay(log, net, initial, final)
    unfit_pm4py = {
        trace.attributes["concept:name"]
        for trace, result in zip(log, diagnostics, strict=True)
        if not result["trace_is_fit"]
    }
    with JourneyStore(store_url, read_only=True) as store:
        _, against = conform_store(store, load(DRAFT_TEXT), now=NOW)
    ours = {journey.case_ref for journey in against.not_fitting}
    assert ours, "the generator injected no deviation: change the seed"
    assert unfit_pm4py == ours


@pytest.fixture(scope="module")
def mini_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The engine tests' small NRM-like pathway and scenario, as files in a library folder."""
    from simulation.engine.test_loop import PATHWAY, SCENARIO

    root = tmp_path_factory.mktemp("mini")
    (root / "test").mkdir()
    (root / "test" / "mini.yaml").write_text(PATHWAY, encoding="utf-8")
    (root / "scenario.yaml").write_text(SCENARIO, encoding="utf-8")
    return root


@pytest.mark.parametrize("fmt", ["xes", "csv", "ocel"])
def test_pm4py_reads_a_simulation_log_with_the_same_counts(
    mini_files: Path, tmp_path: Path, fmt: str
) -> None:
    from pathways.definition.loader import load_text
    from pathways.eventlog.simulated import simulated_rows
    from pathways.simulation import load_scenario
    from simulation.engine.test_loop import PATHWAY

    target = tmp_path / f"log.{fmt}"
    args = ["export", str(mini_files / "test" / "mini.yaml"), "--scenario"]
    args += [str(mini_files / "scenario.yaml"), "--replications", "2", "--seed", "4"]
    assert main([*args, "--format", fmt, "-o", str(target), "-q"]) == 0
    rows = list(
        simulated_rows(
            load_text(PATHWAY),
            load_scenario(mini_files / "scenario.yaml"),
            replications=2,
            seed=4,
        )
    )
    expected: dict[str, list[str]] = {}
    for row in rows:
        expected.setdefault(row.case, []).append(row.activity)
    if fmt == "ocel":
        ocel = pm4py.read_ocel2_json(str(target))
        assert len(ocel.events) == len(rows)
        assert Counter(ocel.objects["ocel:type"])["journey"] == len(expected)
        return
    if fmt == "xes":
        frame = pm4py.read_xes(str(target))
    else:
        raw = pandas.read_csv(target, dtype={"case": str})
        raw["timestamp"] = pandas.to_datetime(raw["timestamp"], utc=True)
        frame = pm4py.format_dataframe(
            raw, case_id="case", activity_key="activity", timestamp_key="timestamp"
        )
    assert _traces(frame) == expected
    assert {r.case for r in rows} >= {
        "r0-j" + c.split("-j")[1] for c in expected if c.startswith("r0")
    }
