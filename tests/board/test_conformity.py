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


def test_declines_withdrawals_and_pauses_are_counted(tmp_path: Path) -> None:
    from datetime import timedelta

    from conformance.test_lifecycle import _with_acceptance

    text = _with_acceptance().replace(
        "    kind: support\n", "    kind: support\n    pause: {reasons: [in-hospital]}\n", 1
    )
    url = f"sqlite:///{tmp_path / 'journeys.db'}"
    pathway = load(text)
    t0 = datetime(2025, 3, 3, 9, tzinfo=UTC)
    child = {"age_group": "child", "consent": "given"}
    with JourneyStore(url, pathways=[pathway]) as store:
        for n in range(12):
            ref = f"case-{n}"
            store.create(ref, child, at=t0, by="example-police")
            at = t0 + timedelta(hours=1)
            store.handoff(ref, "refer-for-support", by="example-police", at=at, shares=["account"])
            if n < 4:
                store.decline(
                    ref,
                    "refer-for-support",
                    reason="no-capacity",
                    by="example-charity",
                    at=at + timedelta(hours=1),
                )
                continue
            store.accept(ref, "refer-for-support", by="example-charity", at=at + timedelta(hours=1))
            store.pause(ref, reason="in-hospital", by="example-charity", at=at + timedelta(days=1))
            store.resume(ref, by="example-charity", at=at + timedelta(days=4))
            if n >= 10:
                store.withdraw(
                    ref, reason="victim-withdrew", by="example-charity", at=at + timedelta(days=5)
                )
        report = build_report(
            store, [pathway], parse_period("2025Q1"), at=t0 + timedelta(days=60), diagram=False
        )
    table = {t.key: t for t in report.sections[0].tables}["lifecycle"]
    cells = {row.key: row.cells for row in table.rows}
    assert cells["declined"][0].value == rounded(4)
    assert cells["withdrawn"][0].value == rounded(2)
    assert cells["paused"][0].value == rounded(8)
    assert cells["paused"][1].value == 3.0  # 8 pauses, published as 10: enough for a median
