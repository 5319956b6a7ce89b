"""The words both kinds of paper use: a lawful basis, a sensitivity, the notes under each part.

```python
basis_words(LawfulBasis(article6="public-task"))
# 'UK GDPR Article 6(1)(e): a task in the public interest or in the exercise of official authority'
```
"""

from __future__ import annotations

from dataclasses import dataclass

from pathways.definition.lawful_basis import ARTICLE_6, ARTICLE_9, SCHEDULE_1, LawfulBasis
from pathways.definition.schema import Pathway, SourceRef
from pathways.papers.annex import Annex
from pathways.papers.duties import DutyLine, Place

__all__ = [
    "ANNEX_INTRO",
    "DUTIES_INTRO",
    "NO_BASIS",
    "SENSITIVITY",
    "TITLES",
    "Papers",
    "bases",
    "basis_parts",
    "basis_words",
    "limits",
    "status_words",
]

SENSITIVITY = {
    "low": "low",
    "personal": "personal data",
    "sensitive": "sensitive",
    "special-category": "special category data",
}
NO_BASIS = "none declared"
#: The papers, by the name of the file each is written to.
TITLES = {"sharing-annex": "Information sharing annex", "duties-map": "Statutory duties map"}

ANNEX_INTRO = (
    "For the partnership information sharing protocol: for every pair of agencies, the "
    "information that passes from the first to the second, the handoffs it passes along, how "
    "sensitive it is and the lawful basis the pathway declares for sharing it. Special "
    "category data needs a condition of UK GDPR Article 9 as well as a basis under Article 6, "
    "and Article 9(2)(b), (g), (h), (i) and (j) also need a condition of Schedule 1 to the "
    "Data Protection Act 2018 (its section 10); a Schedule 1 Part 2 condition needs an "
    "appropriate policy document. Each agency confirms its own basis when the protocol is "
    "agreed: a voluntary organisation may rely on legitimate interests, and the police share "
    "for law enforcement purposes under Part 3 of the Data Protection Act 2018."
)
DUTIES_INTRO = (
    "Each statutory duty on the pathway, the agencies that carry it, the stages where it is "
    "discharged and their time limits, for each local forum to confirm who owns what."
)


@dataclass(frozen=True, slots=True)
class Papers:
    """Everything `pathways papers` writes for one pathway."""

    pathway: Pathway
    annex: Annex
    duties: tuple[DutyLine, ...]


def status_words(pathway: Pathway) -> str:
    """What the papers are, given the pathway's status."""
    if pathway.status == "agreed":
        return "Made from the pathway the partnership has agreed."
    if pathway.status == "illustrative":
        return (
            "DRAFT: made from an illustrative model built from public national guidance, not "
            "from a pathway the partnership has agreed. For discussion only."
        )
    return "DRAFT: made from a pathway the partnership has not yet agreed. For discussion."


def basis_parts(basis: LawfulBasis) -> list[str]:
    """A basis as its parts in words: Article 6, then Article 9 and Schedule 1 if declared."""
    point, words = ARTICLE_6[basis.article6]
    parts = [f"UK GDPR {point}: {words}"]
    if basis.article9 is not None:
        point, words, _ = ARTICLE_9[basis.article9]
        parts.append(f"UK GDPR {point}: {words}")
    if basis.condition is not None:
        where, words, _ = SCHEDULE_1[basis.condition]
        parts.append(f"Data Protection Act 2018, Schedule 1 {where}: {words}")
    return parts


def basis_words(basis: LawfulBasis | None) -> str:
    """A basis in one line, or `NO_BASIS`."""
    return NO_BASIS if basis is None else "; ".join(basis_parts(basis))


def bases(papers: Papers) -> list[tuple[str, LawfulBasis, list[SourceRef]]]:
    """Each distinct basis the annex uses, with the items it is declared for and its sources."""
    found: dict[LawfulBasis, list[str]] = {}
    for pair in papers.annex.pairs:
        for passage in pair.passages:
            if passage.basis is not None:
                titles = found.setdefault(passage.basis, [])
                label = passage.title
                if passage.from_handoff:
                    label += f" (on {', '.join(passage.handoffs)})"
                if label not in titles:
                    titles.append(label)
    sources = papers.pathway.sources
    return [
        ("; ".join(titles), basis, [sources[key] for key in basis.cites if key in sources])
        for basis, titles in found.items()
    ]


def limits(place: Place) -> list[str]:
    """A stage's time limits in words: its own, its minimum and its handoffs' deadlines."""
    found = [f"within {place.within}"] if place.within else []
    if place.at_least:
        found.append(f"at least {place.at_least}")
    return found + list(place.deadlines)
