"""`pathways conform`: stored journeys replayed against the version they ran on and a draft.

The store is filled by `helpers.fill` with journeys on an older version that has moves the draft
has not; the generator knows which journeys deviate and where, and the conformance must find
exactly those."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from conformance.helpers import DRAFT_TEXT, fill, load
from pathways.cli import main
from pathways.conformance import conform_store
from pathways.runtime.working_days import day_in_england, overdue_from
from pathways.store import JourneyStore

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, object]:
    url = f"sqlite:///{tmp_path_factory.mktemp('conform') / 'journeys.db'}"
    with JourneyStore(url) as store:
        made = fill(store, count=80, seed=11, condition=True)
    return url, made


def test_every_journey_fits_the_version_it_ran_on(filled: tuple[str, object]) -> None:
    url, _ = filled
    with JourneyStore(url, read_only=True) as store:
        own, _ = conform_store(store, load(DRAFT_TEXT), now=NOW)
    [(label, result)] = own.items()
    assert label == "example/small version 0"
    assert result.fitness == 1.0
    assert result.not_fitting == ()


def test_the_draft_finds_exactly_the_injected_deviations(filled: tuple[str, object]) -> None:
    url, made = filled
    with JourneyStore(url, read_only=True) as store:
        _, against = conform_store(store, load(DRAFT_TEXT), now=NOW)
    expected = {case: moves for case, moves in made.deviations.items() if moves}  # type: ignore[attr-defined]
    assert expected, "the generator injected no deviation: change the seed"
    found = {j.case_ref: [(d.seq, d.handoff) for d in j.deviations] for j in against.not_fitting}
    assert found == expected
    kinds = {d.handoff: d.kind for j in against.not_fitting for d in j.deviations}
    assert kinds["skip-to-supported"] == "unknown-handoff"
    assert kinds.get("refer-for-support", "condition") == "condition"
    moves = sum(len(m) for m in made.moves.values())  # type: ignore[attr-defined]
    deviating = sum(len(m) for m in expected.values())
    assert against.moves == moves
    assert against.fitness == pytest.approx((moves - deviating) / moves)
    counted = Counter(h for m in expected.values() for _, h in m)
    assert {(h, n) for h, _, _, n in against.not_in_pathway} <= set(counted.items()) | {
        (h, n) for h, n in counted.items()
    }
    assert sum(n for *_, n in against.not_in_pathway) == deviating


def test_moves_never_made_and_time_limits_agree_with_what_was_made(
    filled: tuple[str, object],
) -> None:
    url, made = filled
    with JourneyStore(url, read_only=True) as store:
        _, against = conform_store(store, load(DRAFT_TEXT), now=NOW)
    draft = load(DRAFT_TEXT)
    taken = {move for moves in made.moves.values() for move in moves}  # type: ignore[attr-defined]
    own = {(name, source) for name, h in draft.handoffs.items() for source in h.from_}
    assert set(against.never_taken) == own - taken
    [support] = [s for s in against.stage_limits if s.stage == "support"]
    limit = draft.stages["support"].within
    assert limit is not None
    visits = [(a, left) for stage, a, left in made.visits if stage == "support"]  # type: ignore[attr-defined]
    kept = sum(1 for a, left in visits if left < overdue_from(day_in_england(a), limit))
    assert (support.visits, support.kept, support.over) == (len(visits), kept, len(visits) - kept)


def _draft(folder: Path) -> Path:
    """The draft as a file whose path matches its id, `example/small`."""
    (folder / "example").mkdir()
    draft = folder / "example" / "small.yaml"
    draft.write_text(DRAFT_TEXT, encoding="utf-8")
    return draft


def test_the_command_line_in_every_format(
    filled: tuple[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, made = filled
    draft = _draft(tmp_path)
    assert main(["conform", str(draft), "--db", url]) == 1
    text = capsys.readouterr().out
    assert "Against the version they ran on (example/small version 0):\n  fitness 100.0%" in text
    assert "Moves journeys made that the pathway does not allow:" in text
    assert main(["conform", str(draft), "--db", url, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    unfit = {j["case_ref"] for j in data["against"]["journeys"] if j["deviations"]}
    assert unfit == {c for c, m in made.deviations.items() if m}  # type: ignore[attr-defined]
    assert main(["conform", str(draft), "--db", url, "--format", "csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("pathway,version,case_ref,moves,fitting,fitness")
    assert len(lines) == 1 + len(made.deviations)  # type: ignore[attr-defined]


def test_a_draft_every_journey_follows_exits_0(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'journeys.db'}"
    with JourneyStore(url) as store:
        store.register(load(DRAFT_TEXT))
        store.create(
            "case-1",
            {"age_group": "adult", "consent": "declined"},
            at=NOW,
            by="example-police",
            pathway=load(DRAFT_TEXT),
        )
        store.handoff("case-1", "close", by="example-police", at=NOW)
    draft = _draft(tmp_path)
    assert main(["conform", str(draft), "--db", url, "-q"]) == 0
