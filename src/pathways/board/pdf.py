"""The board report as a PDF, printed by headless Chromium (or Google Chrome) if installed.

```python
from pathways.board.pdf import write_pdf
write_pdf(to_html(report), Path("report.pdf"))
```

Chromium prints the page exactly as its print style sheet says (A4, page numbers, a
landscape page for each track's diagram), with its own header and footer turned off. This is
the one module that runs the browser. Without one, `PdfUnavailable` says what to install and
how to print the HTML file by hand instead.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from pathways.errors import PathwayError

__all__ = ["BROWSERS", "PdfUnavailable", "find_browser", "write_pdf"]

#: The programs tried, in this order, after the `PATHWAYS_CHROMIUM` environment variable.
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

_TIMEOUT = 120  # seconds: a report of a dozen pathways prints in a few


class PdfUnavailable(PathwayError, RuntimeError):
    """No browser to print with, or the browser failed; the message says what to do."""


def find_browser() -> str | None:
    """The Chromium or Chrome program to print with, or None when there is none."""
    named = os.environ.get("PATHWAYS_CHROMIUM")
    if named:
        return named if Path(named).is_file() else None
    for program in BROWSERS:
        found = shutil.which(program)
        if found:
            return found
    return None


def write_pdf(html: str, target: Path, *, browser: str | None = None) -> None:
    """Print the page `html` to the PDF file `target` with headless Chromium.

    Raises `PdfUnavailable` when no browser is found, or it fails or takes too long.
    """
    program = browser or find_browser()
    if program is None:
        raise PdfUnavailable(
            "writing a PDF needs Chromium or Google Chrome, and neither was found; install "
            "one (on Debian or Ubuntu: apt-get install chromium), or set PATHWAYS_CHROMIUM "
            "to the browser's program, or open the HTML report in a browser and print it "
            "to PDF on A4 paper"
        )
    with tempfile.TemporaryDirectory(prefix="pathways-pdf-") as folder:
        page = Path(folder) / "report.html"
        page.write_text(html, encoding="utf-8")
        printed = Path(folder) / "report.pdf"
        command = [
            program,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={printed}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium refuses to run as root otherwise
        try:
            done = subprocess.run(command, capture_output=True, timeout=_TIMEOUT, check=False)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PdfUnavailable(f"{program} could not print the report: {exc}") from None
        if done.returncode != 0 or not printed.is_file() or printed.stat().st_size == 0:
            said = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
            raise PdfUnavailable(
                f"{program} could not print the report (exit status {done.returncode}): "
                + (" / ".join(said) or "it said nothing")
            )
        target.write_bytes(printed.read_bytes())
