"""Headless Chromium for the tests that open a page in a real browser: Debian's `chromium`
package driven by Playwright over the DevTools protocol (no browser download), and axe-core
(npm, installed into `.ci/node` by `.ci/run`) to check a page against WCAG 2.2 AA.

Imported by name (`from browser import chromium`): pytest puts `tests/` on the path. Each
helper skips the test, saying what to install, when its tool is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from paths import ROOT

__all__ = ["AXE", "AXE_TAGS", "CHROMIUM", "axe_violations", "chromium"]

CHROMIUM = os.environ.get("PATHWAYS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
#: axe-core's browser build, as `npm install --prefix .ci/node axe-core` leaves it.
AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA: what the Public Sector Bodies Accessibility
#: Regulations 2018 ask of councils and police forces.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@contextmanager
def chromium() -> Iterator[Any]:
    """A headless Chromium browser (Playwright's `Browser`), closed afterwards."""
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    options = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*options, "--disable-gpu"]
        )
        try:
            yield browser
        finally:
            browser.close()


def axe_violations(page: Any) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on `page`, one line each (rule, impact, where).

    The page must have been opened with `bypass_csp=True`: a page that allows no script but
    its own would refuse axe's.
    """
    if not AXE.is_file():
        pytest.skip(f"axe-core is not installed at {AXE} (npm install --prefix .ci/node axe-core)")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
    ]
