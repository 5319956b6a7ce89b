"""The board report's tables on keeping to the agreed pathway: the same replay as `pathways
conform`, counted a quarter at a time and rounded like every other figure."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from conformance.helpers import DRAFT_TEXT, fill, load
from pathways.board import build_report, parse_period
from pathways.board.suppress import rounded
from pathways.conformance import conform_store
from pathways.store import JourneyStore


def test_the_tables_count_what_conform_finds(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'journeys.db'}"
    with JourneyStore(url) as store:
        fill(store, count=40, seed=3, condition=False)
    draft = load(DRAFT_TEXT)
    period = parse_period("2025")
    with JourneyStore(url, read_only=True) as store:
        report = build_report(
            store, [draft], period, at=datetime(2026, 1, 5, tzinfo=UTC), diagram=False
        )
        _, against = conform_store(store, draft, now=datetime(2026, 1, 5, tzinfo=UTC))
    tables = {t.key: t for t in report.sections[0].tables}
    rows = {row.key: row.cells[0].value for row in tables["conformance"].rows}

    def by_quarter(times: list[datetime]) -> int:
        parts = [0] * 4
        for at in times:
            if at.year == 2025:
                parts[(at.month - 1) // 3] += 1
        return sum(rounded(p) for p in parts)

    steps = [step for j in against.journeys for step in j.steps]
    assert rows["moves"] == by_quarter([at for _, at, _ in steps])
    assert rows["allowed"] == by_quarter([at for _, at, fits in steps if fits])
    firsts = [next(at for _, at, fits in j.steps if not fits) for j in against.not_fitting]
    assert rows["off"] == by_quarter(firsts)
    assert rows["off"] > 0
    assert "time-limits-kept" in tables
