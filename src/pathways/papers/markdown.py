"""The papers as Markdown: the sharing annex and the duties map, ready to print or paste.

```python
text = to_markdown(make_papers(pathway))
```

Everything quoted from the pathway file is escaped (`pathways.checks.output.escape_markdown`),
so a title cannot add links, HTML or table cells.
"""

from __future__ import annotations

from pathways.checks.output import escape_markdown as md
from pathways.papers.annex import Pair
from pathways.papers.duties import Place
from pathways.papers.words import (
    ANNEX_INTRO,
    DUTIES_INTRO,
    SENSITIVITY,
    TITLES,
    Papers,
    bases,
    basis_words,
    limits,
    status_words,
)

__all__ = ["to_markdown"]


def to_markdown(papers: Papers, paper: str) -> str:
    """One paper (`sharing-annex` or `duties-map`) as a Markdown document."""
    p = papers.pathway
    lines = [
        f"# {TITLES[paper]}: {md(p.area)}",
        "",
        f"From the pathway *{md(p.title)}* ({md(p.id)}, version {md(p.version)}). "
        f"**{md(status_words(p))}**",
        "",
        "Made by `pathways papers` from the pathway file, so it says what the pathway says; "
        "change the pathway, not the paper.",
        "",
    ]
    if paper == "duties-map":
        lines += [DUTIES_INTRO, "", *_duties(papers)]
        return "\n".join(lines).rstrip("\n") + "\n"
    lines += [ANNEX_INTRO, ""]
    if not papers.annex.pairs:
        lines += ["No handoff of this pathway shares information between agencies.", ""]
    for pair in papers.annex.pairs:
        lines += _pair(pair)
    lines += _gaps(papers)
    lines += _bases(papers)
    return "\n".join(lines).rstrip("\n") + "\n"


def _pair(pair: Pair) -> list[str]:
    lines = [
        f"## From {md(pair.sender.name)} to {md(pair.receiver.name)}",
        "",
        "| information | sensitivity | passes along | lawful basis |",
        "| --- | --- | --- | --- |",
    ]
    for x in pair.passages:
        along = ", ".join(f"`{h}`" for h in x.handoffs)
        basis = md(basis_words(x.basis))
        if x.lacking is not None:
            basis += f" (**incomplete**: {md(x.lacking)})"
        lines.append(
            f"| {md(x.title)} (`{x.item}`) | {SENSITIVITY.get(x.sensitivity, x.sensitivity)} "
            f"| {along} | {basis} |"
        )
    return [*lines, ""]


def _gaps(papers: Papers) -> list[str]:
    gaps = papers.annex.gaps
    if not gaps:
        return ["Every special category item shared has a complete lawful basis declared.", ""]
    lines = ["**Special category data shared without a complete lawful basis:**", ""]
    for pair, x in gaps:
        lines.append(
            f"- {md(x.title)} from {md(pair.sender.name)} to {md(pair.receiver.name)}: "
            f"{md(x.lacking or '')}"
        )
    return [*lines, ""]


def _bases(papers: Papers) -> list[str]:
    found = bases(papers)
    if not found:
        return []
    lines = ["## The lawful bases declared", ""]
    for items, basis, sources in found:
        lines.append(f"- **{md(items)}**: {md(basis_words(basis))}.")
        if basis.description:
            lines.append(f"  {md(basis.description)}")
        for source in sources:
            where = f" <{source.url}>" if source.url else ""
            lines.append(f"  - {md(source.title)}{where}")
    return [*lines, ""]


def _duties(papers: Papers) -> list[str]:
    if not papers.duties:
        return ["The pathway declares no statutory duties.", ""]
    lines = [
        "| duty | legislation | owned by | carried by | applies at | time limit |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for line in papers.duties:
        carriers = ", ".join(md(n) for n in line.owners) or "no agency fills this role"
        stages = "<br>".join(f"{md(s.title)} (`{s.stage}`)" for s in line.stages) or "no stage"
        limits = "<br>".join(_limit(s) for s in line.stages) or "none"
        lines.append(
            f"| {md(line.title)} | {md(line.statute)} | {md(line.owner)} | {carriers} "
            f"| {stages} | {limits} |"
        )
    return [*lines, ""]


def _limit(place: Place) -> str:
    return "; ".join(md(part) for part in limits(place)) or "none"
