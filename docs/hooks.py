"""MkDocs hooks for the docs site (named in mkdocs.yml; not a page).

The guides cite their sources as `[S5][S7]`, which Markdown leaves as text but mkdocs-autorefs
(brought in by mkdocstrings for the API reference) reads as a cross-reference to an object
named `S7`, and fails to find. Outside the API reference there are no cross-references, so
there the hook gives such text back as written.
"""

from __future__ import annotations

import re
from typing import Any

API_PAGES = "reference/api"
AUTOREF = re.compile(
    r'<autoref [^>]*?\bidentifier="(?P<identifier>[^"]*)"[^>]*>(?P<text>.*?)</autoref>'
)


def on_page_content(html: str, page: Any, **_: Any) -> str:
    """Outside the API reference, turn autorefs' tags back into the `[text][label]` written."""
    if page.file.src_uri.startswith(API_PAGES):
        return html
    return AUTOREF.sub(lambda match: f"[{match['text']}][{match['identifier']}]", html)
