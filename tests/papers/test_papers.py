"""`pathways papers`: the information sharing annex and the statutory duties map.

Hull's papers are golden files (`tests/golden/papers/hull/`, rewritten with
`PATHWAYS_UPDATE_GOLDEN=1`); small pathways built by hand show who sends what to whom, which
basis is printed and where a gap is marked.
"""

from __future__ import annotations

import os
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from paths import HULL, ROOT
from pathways.cli import main
from pathways.definition.loader import Library
from pathways.definition.schema import Pathway
from pathways.papers import TITLES, duties_map, make_papers, sharing_annex, to_html, to_markdown
from strategies import build

GOLDEN = ROOT / "tests" / "golden" / "papers" / "hull"
UPDATE = os.environ.get("PATHWAYS_UPDATE_GOLDEN") == "1"
SAFEGUARDING = {
    "article6": "public-task",
    "article9": "substantial-public-interest",
    "condition": "safeguarding-of-children-and-individuals-at-risk",
}


@pytest.mark.parametrize("suffix", [".md", ".html"])
@pytest.mark.parametrize("paper", sorted(TITLES))
def test_hulls_papers_are_as_golden(paper: str, suffix: str) -> None:
    papers = make_papers(Library().load(HULL))
    text = (to_markdown if suffix == ".md" else to_html)(papers, paper)
    golden = GOLDEN / f"{paper}{suffix}"
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_hulls_papers_are_complete() -> None:
    papers = make_papers(Library().load(HULL))
    assert papers.annex.gaps == ()
    pairs = {(p.sender.key, p.receiver.key) for p in papers.annex.pairs}
    assert ("hull-city-council", "single-competent-authority") in pairs
    assert ("hull-city-council", "hull-child-panel") in pairs
    assert all(sender != receiver for sender, receiver in pairs)
    duties = {line.key: line for line in papers.duties}
    assert duties["duty-to-notify"].owners == ("Hull City Council", "Humberside Police")
    assert [p.stage for p in duties["duty-to-notify"].stages] == ["duty-to-notify"]
    recovery = duties["recovery-support"].stages[0]
    assert (recovery.stage, recovery.at_least) == ("recovery-period", "30 calendar days")


def test_the_cli_writes_both_papers_from_an_id(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["papers", "humber/hull", "-o", "out", "--format", "markdown"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "duties-map.md",
        "sharing-annex.md",
    ]
    written = (tmp_path / "out" / "sharing-annex.md").read_text(encoding="utf-8")
    assert written == (GOLDEN / "sharing-annex.md").read_text(encoding="utf-8")
    assert "wrote out/sharing-annex.md" in capsys.readouterr().err


def _two_agencies(**handoff: Any) -> Pathway:
    refer = {"from": "start", "to": "help", "by": ["council"], "shares": ["account", "address"]}
    refer.update(handoff)
    return build(
        {
            "start": {"kind": "identification", "collects": ["account", "address"]},
            "help": {"kind": "support", "owner": "charity"},
            "done": {"kind": "outcome", "owner": "charity"},
        },
        {"refer": refer, "close": {"from": "help", "to": "done", "by": ["charity"]}},
        information={
            "account": {
                "title": "The account",
                "sensitivity": "special-category",
                "lawful_basis": SAFEGUARDING,
            },
            "address": {"title": "An address", "sensitivity": "personal"},
        },
    )


def test_information_passes_from_the_stages_owner_to_the_next_stages_owner() -> None:
    (pair,) = sharing_annex(_two_agencies()).pairs
    assert (pair.sender.key, pair.receiver.key) == ("council", "charity")
    assert [(x.item, x.handoffs, x.lacking) for x in pair.passages] == [
        ("account", ("refer",), None),
        ("address", ("refer",), None),
    ]
    assert pair.passages[1].basis is None


def test_a_handoffs_own_basis_is_printed_and_a_gap_is_marked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pathway = _two_agencies(lawful_basis={"article6": "public-task"})
    (pair,) = sharing_annex(pathway).pairs
    account = pair.passages[0]
    assert account.from_handoff
    assert account.lacking is not None
    assert "no Article 9 condition" in account.lacking
    text = to_markdown(make_papers(pathway), "sharing-annex")
    assert "**Special category data shared without a complete lawful basis:**" in text
    assert "\\(on refer\\)" in text
    (tmp_path / "test").mkdir()
    file = tmp_path / "test" / "checks.yaml"
    file.write_text(pathway.model_dump_json(by_alias=True, exclude_none=True), encoding="utf-8")
    assert main(["papers", str(file), "-o", str(tmp_path / "out"), "-q"]) == 1
    assert "but its lawful basis gives Article 6" in capsys.readouterr().err


def test_a_role_no_agency_fills_stands_for_itself() -> None:
    pathway = build(
        {"start": "identification", "done": {"kind": "outcome", "owner": "responder"}},
        {"go": {"from": "start", "to": "done", "by": ["council"], "shares": ["account"]}},
        roles={"first-responder": {"title": "First responder"}, "responder": {"title": "Helper"}},
        information={"account": {"title": "The account", "sensitivity": "personal"}},
        baseline=True,
    )
    (pair,) = sharing_annex(pathway).pairs
    assert (pair.receiver.key, pair.receiver.name) == ("responder", "Helper")


def test_a_duty_lists_its_owners_stages_and_time_limits() -> None:
    pathway = build(
        {
            "start": {"kind": "identification", "basis": ["notify"], "within": "2 working days"},
            "done": "outcome",
        },
        {"go": {"from": "start", "to": "done", "by": ["council"], "within": "5 calendar days"}},
        duties={"notify": {"title": "Notify", "statute": "An Act, s1", "owner": "council"}},
    )
    (line,) = duties_map(pathway)
    assert (line.title, line.statute, line.owners) == ("Notify", "An Act, s1", (line.owner,))
    (place,) = line.stages
    assert (place.within, place.deadlines) == ("2 working days", ("go within 5 calendar days",))


class _Strict(HTMLParser):
    """Fails on an end tag that closes something not open (a sign of broken escaping)."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("meta", "br"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open, tag
        assert self.open.pop() == tag, tag


def test_text_from_the_file_cannot_break_the_page_or_the_table() -> None:
    pathway = _two_agencies()
    hostile = pathway.model_copy(
        update={"area": "<script>x</script> | [a](b)", "title": "A | B </td>"}
    )
    papers = make_papers(hostile)
    page = to_html(papers, "sharing-annex")
    assert "<script>" not in page
    parser = _Strict()
    parser.feed(page)
    assert parser.open == []
    text = to_markdown(papers, "sharing-annex")
    assert "<script>" not in text
    assert "\\[a\\]\\(b\\)" in text
    assert "A \\| B" in text
