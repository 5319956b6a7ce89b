"""The papers a partnership agrees, made from its pathway so that they cannot drift from it.

```python
from pathways.papers import make_papers, to_html, to_markdown
papers = make_papers(pathway)
for paper in TITLES:   # sharing-annex, duties-map
    Path(f"{paper}.md").write_text(to_markdown(papers, paper), encoding="utf-8")
```

```text
annex.py     the sharing annex: what passes between each pair of agencies, and on what basis
duties.py    the duties map: each statutory duty, its owners, its stages and time limits
words.py     a lawful basis and a sensitivity in words; the notes both outputs print
markdown.py  the papers as Markdown
html.py      the papers as one printable HTML page (inline CSS, nothing fetched)
```
"""

from __future__ import annotations

from pathways.definition.schema import Pathway
from pathways.papers.annex import Annex, Pair, Party, Passage, sharing_annex
from pathways.papers.duties import DutyLine, Place, duties_map
from pathways.papers.html import to_html
from pathways.papers.markdown import to_markdown
from pathways.papers.words import TITLES, Papers

__all__ = [
    "TITLES",
    "Annex",
    "DutyLine",
    "Pair",
    "Papers",
    "Party",
    "Passage",
    "Place",
    "duties_map",
    "make_papers",
    "sharing_annex",
    "to_html",
    "to_markdown",
]


def make_papers(pathway: Pathway) -> Papers:
    """The sharing annex and the duties map of `pathway`."""
    return Papers(pathway, sharing_annex(pathway), duties_map(pathway))
