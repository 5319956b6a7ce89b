"""The bundled pathways pass `pathways check`: every finding is fixed or suppressed with its
reason in the file (a file that models a gap on purpose says so in its header and suppresses
it there too)."""

from __future__ import annotations

from pathlib import Path

import pytest

from paths import PATHWAYS
from pathways.checks import check
from pathways.definition.loader import Library, discover

BUNDLED = PATHWAYS
FILES = discover([BUNDLED]) if BUNDLED.is_dir() else []


@pytest.mark.skipif(not FILES, reason="the bundled pathways are not there yet")
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_bundled_pathway_has_no_open_findings(path: Path) -> None:
    library = Library()
    report = check(library.load(path), library=library)
    open_findings = [f.format() for f in report.findings if f.suppressed is None]
    assert open_findings == []
    for finding in report.findings:
        assert (finding.suppressed or "").strip(), "a suppression gives its reason"
