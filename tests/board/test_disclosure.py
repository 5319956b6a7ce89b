"""The attacker: no hidden count can be pinned down from everything the board report publishes.

A generated store holds small counts for three calendar quarters that straddle a calendar
year and a financial year (2021Q4, 2022Q1 and 2022Q2): journeys opened, with handoffs and
retellings, referrals, outcomes of two kinds on either track, and decisions pending and
overdue. They are turned into journeys' facts and fed through the real report-building code
(`pathways.board.figures.figures`) for every period the tool can publish that touches them:
each quarter, the half-years 2021H2 and 2022H1, the calendar years 2021 and 2022 and the
financial years FY2021-22 and FY2022-23. Everything published (every count, whether each
median or mean is shown, every mean worked out from counts, which rows appear, and what each
table says it hides and why) is the attacker's evidence.

For each hidden count (each quarter's count of each kind) the attacker looks for another
store that differs in that count by one, and in nothing else but what that count forces
(journeys with a handoff cannot outnumber journeys), and publishes exactly the same figures.
When there is one, the published figures cannot tell the two apart, however they are set
against each other: the count is not pinned to one value, and is not told apart from its
neighbour; nor is any total it is part of. When there is none, the count is pinned or told
apart from its neighbours, and the test fails, as it does for the rule the report used
before (`test_the_old_rule_pins_two_counts_under_5_that_add_up_to_8`).

The medians (of days to referral and of handoffs per journey) are left out of the evidence:
a generated store has no days or handoffs per journey to vary them by, and a median is only
shown when its count is published as 10 or more.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import combinations, product

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from board.helpers import LONDON
from paths import HULL
from pathways.board import Period, parse_period
from pathways.board.figures import REFERRAL_TAGS, Facts, figures
from pathways.board.suppress import Count, Draft, Table
from pathways.definition.loader import Library
from pathways.definition.schema import MAIN_TRACK

QUARTERS = tuple(parse_period(label) for label in ("2021Q4", "2022Q1", "2022Q2"))
PERIODS = (
    *QUARTERS,
    *(parse_period(t) for t in ("2021H2", "2022H1", "2021", "2022", "FY2021-22", "FY2022-23")),
)
KINDS = ("supported", "referred-elsewhere")
SIDES = ("main", "other")
STAGES = ("rg-decision", "child-rg-decision")
#: Journeys that carry referrals, outcomes and decisions were opened before any period here.
LONG_AGO = datetime(2019, 5, 1, 9, 0, tzinfo=LONDON)
#: Statistics whose value the attacker does not see (see the module's docstring).
MEDIANS = ("median", "median-days")

Key = tuple[str, ...]
Store = dict[Key, int]
Published = dict[tuple[str, str, str, str], str]


HULL_PATHWAY = Library().load(HULL)


# A store: counts by kind and quarter


def stores() -> st.SearchStrategy[Store]:
    """Small counts, around 5 where rounding and suppression decide most."""

    @st.composite
    def build(draw: st.DrawFn) -> Store:
        small = st.integers(0, 9)
        store: Store = {}
        for q in range(len(QUARTERS)):
            opened = draw(st.integers(0, 12))
            store[("opened", str(q))] = opened
            for what in ("handoffs", "retellings"):
                some = draw(st.integers(0, opened))
                store[(what, "some", str(q))] = some
                store[(what, "total", str(q))] = some + draw(small) if some else 0
            for tag in REFERRAL_TAGS:
                store[("referred", tag, str(q))] = draw(small)
            for kind, side in product(KINDS, SIDES):
                store[("outcome", kind, side, str(q))] = draw(small)
        for stage in STAGES:
            pending = draw(small)
            store[("pending", stage)] = pending
            store[("overdue", stage)] = draw(st.integers(0, pending))
        return store

    return build()


def possible(store: Store) -> bool:
    """Whether journeys could have given these counts."""
    for key, n in store.items():
        if n < 0:
            return False
        if key[0] in ("handoffs", "retellings") and key[1] == "some":
            total = store[(key[0], "total", key[2])]
            if n > store[("opened", key[2])] or n > total or (total > 0) != (n > 0):
                return False
    return all(store[("overdue", s)] <= store[("pending", s)] for s in STAGES)


def journeys(store: Store) -> list[Facts]:
    """Journeys' facts that add up to the counts in `store`."""
    found: list[Facts] = []
    for q, piece in enumerate(QUARTERS):
        middle = piece.start + timedelta(days=40, hours=12)
        cohort = [Facts(opened=middle) for _ in range(store[("opened", str(q))])]
        for what in ("handoffs", "retellings"):
            some, total = store[(what, "some", str(q))], store[(what, "total", str(q))]
            for index in range(some):
                extra = total - some if index == 0 else 0
                cohort[index] = replace(cohort[index], **{what: 1 + extra})
        found += cohort
        for tag in REFERRAL_TAGS:
            for _ in range(store[("referred", tag, str(q))]):
                found.append(Facts(opened=LONG_AGO, referred={tag: middle}))
        carrier = Facts(opened=LONG_AGO)
        for kind, side in product(KINDS, SIDES):
            track = MAIN_TRACK if side == "main" else "police"
            carrier.outcomes += [(track, kind, middle)] * store[("outcome", kind, side, str(q))]
        found.append(carrier)
    for stage in STAGES:
        title = HULL_PATHWAY.stages[stage].title
        late = store[("overdue", stage)]
        for index in range(store[("pending", stage)]):
            found.append(Facts(opened=LONG_AGO, deciding=[(stage, title, index < late)]))
    return found


def publish(store: Store, periods: tuple[Period, ...] = PERIODS) -> Published:
    """Everything the report publishes for `periods`, as the attacker reads it."""
    facts = journeys(store)
    published: Published = {}
    for period in periods:
        for table in figures(HULL_PATHWAY, facts, period):
            for row in table.rows:
                for cell in row.cells:
                    shown = "shown" if cell.column in MEDIANS and cell.status == "shown" else None
                    published[(period.label, table.key, row.key, cell.column)] = shown or cell.text
            for index, words in enumerate(table.hidden):
                published[(period.label, table.key, "hidden", str(index))] = words
    return published


# The attacker


def _coupled(key: Key) -> tuple[Key, ...]:
    """The counts that `key` is tied to: journeys with a handoff and the journeys opened,
    the handoffs and the journeys with one, and the decisions overdue and pending."""
    if key[0] == "opened":
        return tuple((what, "some", key[1]) for what in ("handoffs", "retellings"))
    if key[0] in ("handoffs", "retellings"):
        other = "total" if key[1] == "some" else "some"
        return ((key[0], other, key[2]),) + ((("opened", key[2]),) if key[1] == "some" else ())
    if key[0] in ("pending", "overdue"):
        return (("overdue" if key[0] == "pending" else "pending", key[1]),)
    return ()


def _forced(key: Key) -> tuple[Key, ...]:
    """The counts that may have to move with `key` for the store to stay possible."""
    found = [key]
    for each in found:
        found += [tied for tied in _coupled(each) if tied not in found]
    return tuple(found[1:])


def neighbours(
    store: Store, key: Key, allowed: Callable[[Store], bool]
) -> Iterator[tuple[int, Store]]:
    """Stores in which `key` is one more or one less, moving only what it forces."""
    forced = _forced(key)
    for step in (1, -1):
        for size in range(len(forced) + 1):
            for moved in combinations(forced, size):
                other = dict(store)
                for each in (key, *moved):
                    other[each] += step
                if allowed(other):
                    yield store[key] + step, other


def _touched(key: Key) -> tuple[Period, ...]:
    """The periods whose figures a count can change: those holding its quarter (a count of
    decisions pending, for want of a quarter, changes them all)."""
    if not key[-1].isdigit():
        return PERIODS
    piece = QUARTERS[int(key[-1])]
    return tuple(period for period in PERIODS if piece in period.quarters)


def indistinguishable(
    store: Store,
    publish: Callable[[Store, tuple[Period, ...]], Published],
    allowed: Callable[[Store], bool] = possible,
) -> dict[Key, int]:
    """For each count, a neighbouring value the published figures cannot rule out (a count
    missing from the answer is pinned, or told apart from both its neighbours)."""
    found: dict[Key, int] = {}
    seen: dict[tuple[Period, ...], Published] = {}
    for key in store:
        periods = _touched(key)
        if periods not in seen:
            seen[periods] = publish(store, periods)
        for value, other in neighbours(store, key, allowed):
            if publish(other, periods) == seen[periods]:
                found[key] = value
                break
    return found


@settings(
    max_examples=500,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(stores())
@example(
    {
        **{("opened", str(q)): 0 for q in range(3)},
        **{
            (w, p, str(q)): 0
            for w in ("handoffs", "retellings")
            for p in ("some", "total")
            for q in range(3)
        },
        **{("referred", t, str(q)): 0 for t in REFERRAL_TAGS for q in range(3)},
        **{("outcome", k, s, str(q)): 0 for k in KINDS for s in SIDES for q in range(3)},
        ("outcome", "supported", "main", "1"): 4,
        ("outcome", "referred-elsewhere", "main", "1"): 4,
        **{("pending", s): 4 for s in STAGES},
        **{("overdue", s): 4 for s in STAGES},
    }
)
def test_no_published_figure_pins_a_count(store: Store) -> None:
    assert possible(store)
    found = indistinguishable(store, publish)
    pinned = sorted(set(store) - set(found))
    assert not pinned, f"pinned or told apart from its neighbours: {pinned}"


# The rule the report used before, on the board's own case


def _old_rule(counts: tuple[int, int]) -> Published:
    """Two outcome counts and their total as the old rule published them: under 5 "fewer
    than 5", the total shown, no more hidden (the hidden counts already held 8)."""
    shown = [str(n) if n >= 5 else "fewer than 5" for n in (*counts, sum(counts))]
    if shown[0] == "fewer than 5" and shown[1] != "fewer than 5" and sum(counts) >= 5:
        shown[1] = "not shown"
    if shown[1] == "fewer than 5" and shown[0] != "fewer than 5" and sum(counts) >= 5:
        shown[0] = "not shown"
    return {("2022Q1", "outcomes", str(r), "main"): text for r, text in enumerate(shown)}


def _every_store(
    publish: Callable[[tuple[int, int]], Published], seen: tuple[int, int]
) -> set[tuple[int, int]]:
    """Brute force: every pair of counts up to 20 that publishes what `seen` publishes."""
    target = publish(seen)
    return {pair for pair in product(range(21), repeat=2) if publish(pair) == target}


def test_the_old_rule_pins_two_counts_under_5_that_add_up_to_8() -> None:
    # "fewer than 5", "fewer than 5", total 8: each is at most 4, so both are exactly 4
    assert set(_old_rule((4, 4)).values()) == {"fewer than 5", "8"}
    assert _every_store(_old_rule, (4, 4)) == {(4, 4)}
    store = {("a",): 4, ("b",): 4}

    def old(store: Store, periods: tuple[Period, ...]) -> Published:
        return _old_rule((store[("a",)], store[("b",)]))

    def anything(store: Store) -> bool:
        return min(store.values()) >= 0

    # the attacker of the property test finds both pinned
    assert indistinguishable(store, old, anything) == {}


def test_the_new_rule_leaves_the_same_case_open() -> None:
    def new(pair: tuple[int, int]) -> Published:
        draft = Draft("outcomes", "Outcomes", "", (("main", "main"),))
        draft.row("0", "supported", Count((pair[0],)))
        draft.row("1", "referred-elsewhere", Count((pair[1],)))
        draft.row("2", "all", Count(pair))
        table: Table = draft.finish()
        return {("2022Q1", table.key, r.key, "main"): r.cells[0].text for r in table.rows}

    assert [new((4, 4))[("2022Q1", "outcomes", r, "main")] for r in "012"] == ["5", "5", "10"]
    every = _every_store(new, (4, 4))
    assert {a for a, _ in every} == {b for _, b in every} == {3, 4, 5, 6, 7}
    assert {a + b for a, b in every} == set(range(6, 15))
