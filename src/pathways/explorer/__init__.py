"""The pathway explorer: one HTML file a forum or board can open offline to explore a pathway.

```python
from pathways import load
from pathways.explorer import explore
Path("hull.html").write_text(explore(load("pathways/humber/hull.yaml")), encoding="utf-8")
```

```text
model.py     the pathway as JSON-ready data: stages, handoffs, routes as profile bitmasks, findings
drawing.py   the diagram as SVG the page can highlight and a keyboard can walk
style.py     the page's style sheet (colour never the only signal)
page.py      the page: controls, route, findings, details, the pathway as text; strict CSP
explorer.js  the page's script: choose a victim, highlight the route, open a stage
```
"""

from __future__ import annotations

from pathways.explorer.page import explore

__all__ = ["explore"]
