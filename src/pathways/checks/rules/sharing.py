"""The lawful basis for sharing (a domain rule): special category data shared on a handoff
needs a declared UK GDPR Article 6 basis, an Article 9 condition and, where that condition
needs one, a Data Protection Act 2018 Schedule 1 condition (`pathways.definition.lawful_basis`).

Like the other domain rules it runs by default for the national baseline and for pathways that
extend a baseline; the sharing annex of `pathways papers` prints what it checks.
"""

from __future__ import annotations

from collections.abc import Iterator

from pathways.checks.registry import Context, Hit, Severity, rule
from pathways.definition.lawful_basis import missing_part

__all__: list[str] = []

_HINT = (
    "declare 'lawful_basis:' under information.{item} (or on the handoff): 'article6', "
    "'article9' and, for Article 9(2)(b), (g), (h), (i) or (j), a DPA 2018 Schedule 1 "
    "'condition', such as safeguarding-of-children-and-individuals-at-risk"
)


@rule(
    "special-category-basis",
    "domain",
    "special category information shared on a handoff without a complete lawful basis",
    Severity.WARNING,
)
def special_category_basis(ctx: Context) -> Iterator[Hit]:
    """Special category data may be shared only with a lawful basis under UK GDPR Article 6, a
    condition under Article 9 and, for most Article 9 conditions, one from Schedule 1 to the
    Data Protection Act 2018.

    Example: `refer` shares `account` (sensitivity `special-category`), and neither the item
    nor the handoff declares a `lawful_basis`.
    """
    p = ctx.pathway
    for name, handoff in p.handoffs.items():
        for index, item in enumerate(handoff.shares):
            declared = p.information.get(item)
            if declared is None or declared.sensitivity != "special-category":
                continue
            basis = handoff.lawful_basis or declared.lawful_basis
            lacking = missing_part(basis)
            if lacking is None:
                continue
            yield Hit(
                "handoffs",
                name,
                f"handoff '{name}' shares '{declared.title}' ({item}), which is special "
                f"category data, but {lacking}",
                at=("shares", index),
                hint=_HINT.format(item=item),
            )
