"""The words of a problem message (`pathways.definition.messages`): where in the file, the choices
there were, and the closest known name when a forum lead mistypes one."""

from __future__ import annotations

import pytest

from pathways.definition.messages import did_you_mean, dotted, one_of, singular


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (("stages", "triage", "within"), "stages.triage.within"),
        (("handoffs", "refer", "by", 0), "handoffs.refer.by[1]"),
        (("stages", 2), "stages[3]"),
        ((), "the file"),
    ],
)
def test_a_place_reads_as_a_forum_lead_would_write_it(
    path: tuple[str | int, ...], words: str
) -> None:
    assert dotted(path) == words


def test_choices_read_as_a_list_in_words() -> None:
    assert one_of([]) == "nothing is declared yet"
    assert one_of([], none="no stages") == "no stages"
    assert one_of(["police"]) == "'police'"
    assert one_of(["a", "b", "c"]) == "one of 'a', 'b' or 'c'"


def test_a_long_list_of_choices_is_cut_and_says_how_many_more() -> None:
    words = one_of([f"s{i}" for i in range(25)], limit=3)
    assert words == "one of 's0', 's1', 's2' or ... (22 more)"


def test_one_entry_of_a_section_is_named_in_the_singular() -> None:
    assert singular("stages") == "stage"
    assert singular("agencies") == "agency"
    assert singular("profile") == "profile attribute"
    assert singular("extends") == "extends"


def test_a_close_name_is_suggested_and_a_distant_one_is_not() -> None:
    assert did_you_mean("suport", ["referral", "support", "outcome"]) == "did you mean 'support'?"
    assert did_you_mean(12, [12, 13]) == "did you mean '12'?"
    assert did_you_mean("housing", ["referral", "support"]) is None
    assert did_you_mean("anything", []) is None
