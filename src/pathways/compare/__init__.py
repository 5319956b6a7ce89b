"""Compare two areas' pathways: what is written differently and where victims' routes differ.

```python
from pathways import load
from pathways.compare import compare
comparison = compare(load("pathways/humber/hull.yaml"), load("pathways/humber/east-riding.yaml"))
print(comparison.format())         # plain words; comparison.as_dict() for JSON
comparison.identical               # True when nothing differs
```

`compare` reports agencies, roles, profile attributes, tracks, stages, handoffs, conditions and
time limits present in one and not the other (or changed, old -> new), the check findings of
each (`with_findings=False` to skip running the checks), and the routes that differ for the
same victim (see `compare.profiles`). Descriptions and source citations are not compared.
"""

from __future__ import annotations

from pathways.compare.comparison import Comparison
from pathways.compare.elements import ASPECTS, Difference, element_differences
from pathways.compare.profiles import RouteDifference, route_differences, shared_space
from pathways.definition.schema import Pathway

__all__ = [
    "ASPECTS",
    "Comparison",
    "Difference",
    "RouteDifference",
    "compare",
    "element_differences",
    "route_differences",
    "shared_space",
]


def compare(a: Pathway, b: Pathway, *, with_findings: bool = True) -> Comparison:
    """Everything that differs between `a` and `b`; see the module docstring."""
    differences = element_differences(a, b)
    if with_findings:
        differences.extend(_finding_differences(a, b))
    space, left_out = shared_space(a, b)
    routes = route_differences(a, b, space)
    return Comparison(
        labels=_labels(a, b),
        files=(a.files[0] if a.files else "", b.files[0] if b.files else ""),
        differences=tuple(sorted(differences, key=Difference.sort_key)),
        routes=tuple(routes),
        compared_on=space.names,
        left_out=left_out,
    )


def _labels(a: Pathway, b: Pathway) -> tuple[str, str]:
    if a.area != b.area:
        return a.area, b.area
    if a.id != b.id:
        return a.id, b.id
    return "the first", "the second"


def _finding_differences(a: Pathway, b: Pathway) -> list[Difference]:
    from pathways.checks import check  # the checks are costly; import them only when asked

    def summaries(pathway: Pathway) -> dict[tuple[str, str, str], tuple[str, str | None]]:
        report = check(pathway, with_metrics=False)
        return {
            (f.rule, f.subject, f.message): (
                f"{'suppressed' if f.suppressed is not None else f.severity}[{f.rule}]: "
                f"{f.message}",
                f.suppressed,
            )
            for f in report.findings
        }

    left, right = summaries(a), summaries(b)
    found = [
        Difference("check finding", "finding", key[1] or key[0], key[0], "a", old=text)
        for key, (text, _) in left.items()
        if key not in right
    ]
    found.extend(
        Difference("check finding", "finding", key[1] or key[0], key[0], "b", new=text)
        for key, (text, _) in right.items()
        if key not in left
    )
    for key in left.keys() & right.keys():
        (text, old), (_, new) = left[key], right[key]
        if (old is None) != (new is None):
            found.append(
                Difference(
                    "check finding",
                    "finding",
                    key[1] or key[0],
                    f"accepted by the forum ({text})",
                    None,
                    _accepted(old),
                    _accepted(new),
                )
            )
    return found


def _accepted(reason: str | None) -> str:
    return "no" if reason is None else f"yes: {reason}"
