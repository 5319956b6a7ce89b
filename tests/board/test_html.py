"""The report page (`pathways.board.html`): it says the pathway is illustrative and fetches
nothing.
"""

from __future__ import annotations

import re

from board.helpers import MADE, Q3
from pathways.board import (
    BoardReport,
    to_html,
)


def test_the_page_says_prominently_that_the_pathway_is_illustrative(report: BoardReport) -> None:
    page = to_html(report)
    status = re.search(r'<p class="status" data-status="illustrative">(.*?)</p>', page)
    assert status is not None
    assert "not the partnership&#x27;s agreed pathway" in status[1]
    assert page.index('class="status"') < page.index("The quarter's figures")


def test_the_page_fetches_nothing() -> None:
    page = to_html(BoardReport(Q3, MADE, ()))
    assert "<script" not in page
    assert not re.search(r"(src|href)=", page)
    assert "default-src 'none'" in page
