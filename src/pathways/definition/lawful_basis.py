"""The lawful basis declared for sharing an information item: UK GDPR and the DPA 2018.

```yaml
information:
  victim-account:
    title: What the person says happened to them
    sensitivity: special-category
    lawful_basis:
      article6: public-task
      article9: substantial-public-interest
      condition: safeguarding-of-children-and-individuals-at-risk
```

Sharing personal data needs a lawful basis under UK GDPR Article 6(1). Special category data
(health, sex life, racial or ethnic origin and the other kinds Article 9(1) lists) also needs
one of the conditions of Article 9(2), and five of them, (b), (g), (h), (i) and (j), are met
only with a condition of Schedule 1 to the Data Protection Act 2018 (its section 10): Part 1
for (b), (h), (i) and (j), Part 2 for (g), substantial public interest, where paragraph 18 is
the safeguarding of children and of individuals at risk. A basis is declared on an
information item (it holds wherever the item is shared) or on a handoff (it holds for
everything that handoff shares, in place of the item's own). The words are this library's;
the sources are legislation.gov.uk (UK GDPR Articles 6 and 9; DPA 2018 section 10 and
Schedule 1) and the Information Commissioner's guidance on lawful basis and on special
category data. The `special-category-basis` check says when one is missing or incomplete.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from pathways.definition.naming import Names

__all__ = [
    "ARTICLE_6",
    "ARTICLE_9",
    "SCHEDULE_1",
    "Article6",
    "Article9",
    "LawfulBasis",
    "Schedule1",
    "WithLawfulBasis",
    "missing_part",
    "needs_condition",
]

#: UK GDPR Article 6(1): each basis, its point and what it means in a few words.
ARTICLE_6 = {
    "consent": ("Article 6(1)(a)", "the person has given consent"),
    "contract": ("Article 6(1)(b)", "a contract with the person"),
    "legal-obligation": ("Article 6(1)(c)", "a legal obligation of the organisation"),
    "vital-interests": ("Article 6(1)(d)", "to protect someone's life"),
    "public-task": (
        "Article 6(1)(e)",
        "a task in the public interest or in the exercise of official authority",
    ),
    "legitimate-interests": ("Article 6(1)(f)", "legitimate interests"),
}
Article6 = Literal[
    "consent",
    "contract",
    "legal-obligation",
    "vital-interests",
    "public-task",
    "legitimate-interests",
]

#: UK GDPR Article 9(2): each condition, its point, its words, and the Schedule 1 part (if
#: any) whose condition it needs (DPA 2018 section 10).
ARTICLE_9 = {
    "explicit-consent": ("Article 9(2)(a)", "the person's explicit consent", None),
    "employment-and-social-protection": (
        "Article 9(2)(b)",
        "employment, social security and social protection law",
        "Part 1",
    ),
    "vital-interests": (
        "Article 9(2)(c)",
        "to protect someone's life when they cannot consent",
        None,
    ),
    "not-for-profit-body": ("Article 9(2)(d)", "a not-for-profit body's own members", None),
    "made-public": ("Article 9(2)(e)", "made public by the person", None),
    "legal-claims": ("Article 9(2)(f)", "legal claims, or courts acting judicially", None),
    "substantial-public-interest": (
        "Article 9(2)(g)",
        "reasons of substantial public interest",
        "Part 2",
    ),
    "health-or-social-care": ("Article 9(2)(h)", "health or social care", "Part 1"),
    "public-health": ("Article 9(2)(i)", "public health", "Part 1"),
    "archiving-research-statistics": (
        "Article 9(2)(j)",
        "archiving, research or statistics",
        "Part 1",
    ),
}
Article9 = Literal[
    "explicit-consent",
    "employment-and-social-protection",
    "vital-interests",
    "not-for-profit-body",
    "made-public",
    "legal-claims",
    "substantial-public-interest",
    "health-or-social-care",
    "public-health",
    "archiving-research-statistics",
]

#: DPA 2018 Schedule 1: the conditions a referral pathway is likely to use, with where each is
#: and the Article 9(2) condition it goes with.
SCHEDULE_1 = {
    "employment-social-security-social-protection": (
        "Part 1, paragraph 1",
        "employment, social security and social protection",
        "employment-and-social-protection",
    ),
    "health-or-social-care-purposes": (
        "Part 1, paragraph 2",
        "health or social care purposes",
        "health-or-social-care",
    ),
    "public-health": ("Part 1, paragraph 3", "public health", "public-health"),
    "research": (
        "Part 1, paragraph 4",
        "research, statistics and archiving",
        "archiving-research-statistics",
    ),
    "statutory-and-government-purposes": (
        "Part 2, paragraph 6",
        "statutory and government purposes",
        "substantial-public-interest",
    ),
    "administration-of-justice": (
        "Part 2, paragraph 7",
        "administration of justice",
        "substantial-public-interest",
    ),
    "preventing-or-detecting-unlawful-acts": (
        "Part 2, paragraph 10",
        "preventing or detecting unlawful acts",
        "substantial-public-interest",
    ),
    "counselling": ("Part 2, paragraph 17", "counselling", "substantial-public-interest"),
    "safeguarding-of-children-and-individuals-at-risk": (
        "Part 2, paragraph 18",
        "safeguarding of children and of individuals at risk",
        "substantial-public-interest",
    ),
    "safeguarding-of-economic-well-being": (
        "Part 2, paragraph 19",
        "safeguarding of economic well-being of certain individuals",
        "substantial-public-interest",
    ),
}
Schedule1 = Literal[
    "employment-social-security-social-protection",
    "health-or-social-care-purposes",
    "public-health",
    "research",
    "statutory-and-government-purposes",
    "administration-of-justice",
    "preventing-or-detecting-unlawful-acts",
    "counselling",
    "safeguarding-of-children-and-individuals-at-risk",
    "safeguarding-of-economic-well-being",
]


def needs_condition(article9: str) -> str | None:
    """The part of Schedule 1 whose condition `article9` needs, or None if it needs none."""
    return ARTICLE_9[article9][2] if article9 in ARTICLE_9 else None


class LawfulBasis(BaseModel):
    """Why an item may lawfully be shared: its Article 6 basis, and for special category
    data its Article 9 condition with, where that needs one, a DPA 2018 Schedule 1 condition."""

    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)

    article6: Article6 = Field(description="the UK GDPR Article 6(1) basis, such as public-task")
    article9: Article9 | None = Field(
        default=None,
        description="for special category data: the UK GDPR Article 9(2) condition, such as "
        "substantial-public-interest",
    )
    condition: Schedule1 | None = Field(
        default=None,
        description="the Data Protection Act 2018 Schedule 1 condition that Article 9(2)(b), "
        "(g), (h), (i) or (j) needs, such as safeguarding-of-children-and-individuals-at-risk",
    )
    description: str = Field(default="", description="free text, shown in the sharing annex")
    cites: Names = Field(default=(), description="keys of `sources` that back this up")


class WithLawfulBasis(BaseModel):
    """For a model with a `lawful_basis` field: leaves it out of a dump when none is declared,
    so a pathway written before the key existed dumps, and so fingerprints, as it did then
    (a journey store can still read the versions it stored)."""

    @model_serializer(mode="wrap")
    def _without_undeclared_basis(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        if isinstance(data, dict) and data.get("lawful_basis", "") is None:
            del data["lawful_basis"]
        return data


def missing_part(basis: LawfulBasis | None) -> str | None:
    """What a special category item's basis lacks, in words, or None when it is complete."""
    if basis is None:
        return "no lawful basis is declared for it"
    if basis.article9 is None:
        return (
            f"its lawful basis gives Article 6 ({basis.article6}) but no Article 9 condition, "
            "which special category data needs as well"
        )
    point = ARTICLE_9[basis.article9][0]
    part = needs_condition(basis.article9)
    if part is not None and basis.condition is None:
        return f"{point} ({basis.article9}) needs a condition of DPA 2018 Schedule 1 {part}"
    if basis.condition is not None:
        where, _, goes_with = SCHEDULE_1[basis.condition]
        if goes_with != basis.article9:
            return (
                f"its Schedule 1 condition '{basis.condition}' ({where}) goes with "
                f"{ARTICLE_9[goes_with][0]} ({goes_with}), not with {point} ({basis.article9})"
            )
    return None
