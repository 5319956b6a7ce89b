"""The suppression rule (`pathways.board.suppress`): no count under five, and nothing that gives
one away.
"""

from __future__ import annotations

from pathways.board.suppress import Count, Group, Statistic, suppress


def test_counts_under_five_and_statistics_of_few_journeys_are_suppressed() -> None:
    values = {(0, 0): Count(4), (0, 1): Count(5), (0, 2): Count(0), (1, 0): Statistic(2.0, 4)}
    assert suppress(values) == {
        (0, 0): "fewer-than-5",
        (0, 1): "shown",
        (0, 2): "fewer-than-5",
        (1, 0): "fewer-than-5",
    }


def test_a_total_cannot_give_away_a_suppressed_count() -> None:
    # 3 + 9 + 20 = 32: hiding only the 3 would let 32 - 9 - 20 show it
    values = {(0, 0): Count(3), (1, 0): Count(9), (2, 0): Count(20), (3, 0): Count(32)}
    group = Group((3, 0), ((0, 0), (1, 0), (2, 0)))
    status = suppress(values, [group])
    assert status[(0, 0)] == "fewer-than-5"
    assert status[(1, 0)] == "not-shown"  # the smallest other count
    assert status[(2, 0)] == status[(3, 0)] == "shown"


def test_hidden_cells_together_hold_at_least_five() -> None:
    # 1 + 2 hidden would be 3 by subtraction: the 6 is hidden too
    values = {(0, 0): Count(1), (1, 0): Count(2), (2, 0): Count(6), (3, 0): Count(20)}
    values[(4, 0)] = Count(29)
    group = Group((4, 0), ((0, 0), (1, 0), (2, 0), (3, 0)))
    status = suppress(values, [group])
    assert [status[(r, 0)] for r in range(5)] == [
        "fewer-than-5",
        "fewer-than-5",
        "not-shown",
        "shown",
        "shown",
    ]


def test_a_hidden_total_cannot_be_added_up() -> None:
    values = {(0, 0): Count(7), (0, 1): Count(8), (1, 0): Count(15)}
    status = suppress(values, [Group((1, 0), ((0, 0), (0, 1)))], [])
    assert status[(1, 0)] == "shown"
    status = suppress({**values, (1, 0): Count(3)}, [Group((1, 0), ((0, 0), (0, 1)))])
    assert status[(1, 0)] == "fewer-than-5"
    assert sorted(status.values()).count("not-shown") == 1


def test_a_mean_is_hidden_with_its_total() -> None:
    values = {(0, 0): Count(3), (0, 1): Statistic(0.5, 6)}
    assert suppress(values, [], [((0, 1), (0, 0))])[(0, 1)] == "not-shown"
