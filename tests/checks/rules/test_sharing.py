"""special-category-basis: special category data shared on a handoff needs a complete lawful
basis (UK GDPR Article 6, Article 9 and, where Article 9 needs one, a DPA 2018 Schedule 1
condition), declared on the item or on the handoff."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checks.helpers import H, run
from paths import PATHWAYS
from pathways.checks import check
from pathways.definition.lawful_basis import (
    ARTICLE_6,
    ARTICLE_9,
    SCHEDULE_1,
    LawfulBasis,
    missing_part,
    needs_condition,
)
from pathways.definition.loader import Library, discover
from pathways.definition.schema import Pathway
from strategies import build

RULE = "special-category-basis"
SAFEGUARDING = {
    "article6": "public-task",
    "article9": "substantial-public-interest",
    "condition": "safeguarding-of-children-and-individuals-at-risk",
}


def sharing(
    item_basis: dict[str, Any] | None = None,
    handoff_basis: dict[str, Any] | None = None,
    sensitivity: str = "special-category",
) -> Pathway:
    item: dict[str, Any] = {"title": "The account", "sensitivity": sensitivity}
    if item_basis is not None:
        item["lawful_basis"] = item_basis
    refer: dict[str, Any] = {"from": "start", "to": "done", "by": ["council"]}
    refer["shares"] = ["account"]
    if handoff_basis is not None:
        refer["lawful_basis"] = handoff_basis
    return build(
        {"start": {"kind": "identification", "collects": ["account"]},
         "done": {"kind": "outcome", "owner": H}},
        {"refer": refer},
        information={"account": item},
        baseline=True,
    )  # fmt: skip


def messages(pathway: Pathway) -> list[str]:
    return [f.message for f in run(pathway, RULE)]


def test_a_special_category_item_shared_without_a_basis_is_a_finding() -> None:
    (finding,) = run(sharing(), RULE)
    assert finding.subject == "handoff refer"
    assert finding.message == (
        "handoff 'refer' shares 'The account' (account), which is special category data, but "
        "no lawful basis is declared for it"
    )
    assert finding.location is not None


@pytest.mark.parametrize(
    ("basis", "lacking"),
    [
        ({"article6": "public-task"}, "no Article 9 condition"),
        (
            {"article6": "public-task", "article9": "substantial-public-interest"},
            "Article 9(2)(g) (substantial-public-interest) needs a condition of DPA 2018 "
            "Schedule 1 Part 2",
        ),
        (
            {**SAFEGUARDING, "article9": "health-or-social-care"},
            "its Schedule 1 condition 'safeguarding-of-children-and-individuals-at-risk' (Part "
            "2, paragraph 18) goes with Article 9(2)(g) (substantial-public-interest), not with "
            "Article 9(2)(h) (health-or-social-care)",
        ),
    ],
)
def test_an_incomplete_basis_says_what_it_lacks(basis: dict[str, Any], lacking: str) -> None:
    (message,) = messages(sharing(basis))
    assert lacking in message


def test_a_complete_basis_on_the_item_or_the_handoff_is_enough() -> None:
    assert messages(sharing(SAFEGUARDING)) == []
    assert messages(sharing(handoff_basis=SAFEGUARDING)) == []
    assert messages(sharing({"article6": "public-task", "article9": "vital-interests"})) == []


def test_the_handoffs_basis_replaces_the_items() -> None:
    assert len(messages(sharing(SAFEGUARDING, {"article6": "public-task"}))) == 1


def test_items_that_are_not_special_category_need_no_article_9() -> None:
    assert messages(sharing(sensitivity="sensitive")) == []


def test_it_runs_by_default_only_where_domain_rules_do() -> None:
    report = check(sharing(), with_metrics=False)
    assert [f.rule for f in report.findings if f.rule == RULE] == [RULE]


def test_the_bundled_pathways_declare_every_basis() -> None:
    library = Library()
    for file in discover([PATHWAYS]):
        report = check(library.load(file), with_metrics=False)
        assert [f.format() for f in report.findings if f.rule == RULE] == [], file


bases = st.builds(
    LawfulBasis,
    article6=st.sampled_from(sorted(ARTICLE_6)),
    article9=st.none() | st.sampled_from(sorted(ARTICLE_9)),
    condition=st.none() | st.sampled_from(sorted(SCHEDULE_1)),
)


@given(bases)
def test_a_basis_is_complete_exactly_when_the_law_says_so(basis: LawfulBasis) -> None:
    """The oracle, written from the law: Article 9 is needed, a Schedule 1 condition is needed
    when Article 9(2)(b), (g), (h), (i) or (j) is relied on, and a condition given must belong
    to the Article 9 condition (Part 1 to (b), (h), (i), (j); Part 2 to (g))."""
    letter = ARTICLE_9[basis.article9][0][-2] if basis.article9 else None
    needs = letter in ("b", "g", "h", "i", "j")
    belongs = basis.condition is None or SCHEDULE_1[basis.condition][2] == basis.article9
    complete = letter is not None and (basis.condition is not None or not needs) and belongs
    assert (missing_part(basis) is None) == complete
    if basis.article9 is not None:
        assert (needs_condition(basis.article9) is not None) == needs
