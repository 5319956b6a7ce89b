"""Journeys from a spreadsheet: `pathways template`, `pathways import`, then `pathways report`.

The end-to-end test starts in an empty folder, as a partnership with no case system would: the
template is written, 30 rows are filled in (ten journeys of three events), the rows are
imported and the quarter's report is made from them. A wrong row is reported at its row and
column and nothing is imported, whether the problem is in a cell or in the journey it makes.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.helpers import LONDON
from pathways.board.cells import SheetError
from pathways.board.importing import build_journeys
from pathways.board.sheet import sheet_from_text
from pathways.cli import main
from pathways.definition.schema import Pathway
from pathways.errors import DuplicateJourney
from pathways.runtime.compiler import compile_pathway
from pathways.runtime.journey import Journey
from pathways.runtime.opening import start
from pathways.store import JourneyStore
from pathways.store.imports import store_all

COUNCIL = "hull-city-council"
HEADER = "case_ref,date,step,agency,shares,age_group,consent"


def _rows(count: int) -> list[str]:
    """`count` adults, each identified, assessed and taken to the consent discussion."""
    rows = []
    for n in range(count):
        ref, day = f"HU-{n:04d}", 1 + n
        rows += [
            f"{ref},2021-07-{day:02d},,{COUNCIL},,adult,given",
            f"{ref},2021-07-{day:02d} 10:00,start-assessment,Hull City Council,,,",
            f"{ref},2021-07-{day + 1:02d},consent-discussion,{COUNCIL},"
            "victim-account;immigration-status,,",
        ]
    return rows


@pytest.fixture
def empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _figures(path: Path) -> dict[tuple[str, str, str], str]:
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {(r["table"], r["row"], r["column"]): r["shown"] for r in rows}


def test_template_fill_import_report_from_an_empty_folder(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["template", "--pathway", "humber/hull", "-o", "journeys.csv"]) == 0
    template = (empty / "journeys.csv").read_text(encoding="utf-8")
    assert template.splitlines()[-1] == HEADER
    assert "refer-adult-to-nrm: consent-discussion -> nrm-referral" in template
    rows = _rows(10)
    assert len(rows) == 30
    with (empty / "journeys.csv").open("a", encoding="utf-8") as out:
        out.write("\n".join(rows) + "\n")
    db = f"sqlite:///{empty / 'journeys.sqlite3'}"
    assert main(["import", "journeys.csv", "--pathway", "humber/hull", "--db", db]) == 0
    assert "imported 10 journey(s) from 30 row(s)" in capsys.readouterr().err
    argv = ["report", "humber/hull", "--period", "2021Q3", "--db", db, "-o", "report.html"]
    assert main([*argv, "--no-diagram", "--csv", "figures.csv"]) == 0
    assert "<table" in (empty / "report.html").read_text(encoding="utf-8")
    figures = _figures(empty / "figures.csv")
    assert figures[("referrals", "opened", "journeys")] == "10"
    assert figures[("handoffs", "handoffs", "total")] == "20"
    assert main(["db", "verify", db]) == 0


def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _rows(3)
    rows[4] = rows[4].replace("start-assessment,Hull City Council", "start-assessment,Hull CC")
    rows[8] = rows[8].replace("consent-discussion", "nrm-referral")
    (empty / "j.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    db = f"sqlite:///{empty / 'j.sqlite3'}"
    assert main(["import", "j.csv", "--pathway", "humber/hull", "--db", db]) == 1
    err = capsys.readouterr().err
    assert "j.csv:6:4: error[unknown-agency]: row 6, agency: 'Hull CC' is not an agency" in err
    assert "j.csv:10:3: error[step-refused]: row 10, step: case HU-0002 is at " in err
    assert "no handoff from there goes to 'nrm-referral'" in err
    assert "nothing was imported" in err
    assert not (empty / "j.sqlite3").exists()


def test_a_case_stored_already_stops_the_whole_import(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (empty / "a.csv").write_text("\n".join([HEADER, *_rows(2)]) + "\n", encoding="utf-8")
    (empty / "b.csv").write_text("\n".join([HEADER, *_rows(3)]) + "\n", encoding="utf-8")
    db = f"sqlite:///{empty / 'j.sqlite3'}"
    assert main(["import", "a.csv", "--pathway", "humber/hull", "--db", db]) == 0
    assert main(["import", "b.csv", "--pathway", "humber/hull", "--db", db]) == 1
    assert "b.csv:2:1: error[already-stored]" in capsys.readouterr().err
    with JourneyStore(db) as store:
        assert [s.case_ref for s in store.find(pathway="humber/hull").items] == [
            "HU-0000",
            "HU-0001",
        ]


def test_store_all_is_one_transaction(tmp_path: Path, hull: Pathway) -> None:
    compiled = compile_pathway(hull)
    at = datetime(2021, 7, 1, 9, tzinfo=LONDON)
    profile = {"age_group": "adult", "consent": "given"}
    first, second = (start(compiled, ref, profile, at, COUNCIL) for ref in ("A-1", "A-2"))
    with JourneyStore(f"sqlite:///{tmp_path / 's.sqlite3'}") as store:
        store.create("A-2", profile, pathway=compiled, at=at, by=COUNCIL)
        with pytest.raises(DuplicateJourney, match="A-2"):
            store_all(store, [first, second])
        assert [s.case_ref for s in store.find(pathway=hull.id).items] == ["A-2"]


def _built(hull: Pathway, *rows: str) -> list[Journey]:
    text = "\n".join([HEADER, *rows]) + "\n"
    return list(build_journeys(sheet_from_text(text, "j.csv"), compile_pathway(hull)).journeys)


def _problems(hull: Pathway, *rows: str) -> list[str]:
    with pytest.raises(SheetError) as caught:
        _built(hull, *rows)
    return [p.format() for p in caught.value.problems]


def test_every_problem_is_reported_and_a_broken_case_only_once(hull: Pathway) -> None:
    found = _problems(
        hull,
        "HU-1,2021-07-01,,hull-city-council,,adult,maybe",
        "HU-1,2021-07-02,start-assessment,hull-city-council,,,",
        "HU-2,2021-13-01,,hull-city-council,,adult,given",
        "HU-3,2021-07-01,,hull-city-council,,child,given",
        "HU-3,2021-07-02,start-asessment,hull-city-council,cheese,,",
    )
    assert found == [
        "j.csv:2:7: error[bad-profile-value]: row 2, consent: 'maybe' is not a value of consent\n"
        "  expected: one of 'given' or 'declined'",
        "j.csv:4:2: error[bad-date]: row 4, date: '2021-13-01' is not a real date "
        "(month must be in 1..12)",
        "j.csv:6:5: error[unknown-information]: row 6, shares: 'cheese' is not an information "
        "item of this pathway\n  expected: one of 'age-information', 'consent-record', "
        "'decision-letter', 'dtn-report', 'immigration-status', 'nrm-referral-form', "
        "'recovery-needs-assessment' or 'victim-account'",
    ]


def test_columns_are_checked_before_rows(hull: Pathway) -> None:
    with pytest.raises(SheetError) as caught:
        build_journeys(
            sheet_from_text("case_ref,date,stepp,agency,age_group\n", "j.csv"),
            compile_pathway(hull),
        )
    problems = caught.value.problems
    assert [(p.code, p.location.column if p.location else 0) for p in problems] == [
        ("unknown-column", 3),
        ("missing-column", 6),
        ("missing-column", 6),
    ]
    assert problems[0].format().splitlines() == [
        "j.csv:1:3: error[unknown-column]: row 1, stepp: column 'stepp' is not a column of "
        "the template",
        "  expected: one of 'age_group', 'agency', 'case_ref', 'consent', 'date', 'shares' or "
        "'step'",
        "  hint: did you mean 'step'?",
    ]
    assert problems[2].message == "row 1: the spreadsheet has no 'step' column"


def test_a_stage_names_the_one_handoff_to_it_and_a_profile_change_is_recorded(
    hull: Pathway,
) -> None:
    (journey,) = _built(
        hull,
        "HU-1,2021-07-01,,hull-city-council,,child,given",
        "HU-1,2021-07-02,first-responder-assessment,hull-city-council,,,",
        "HU-1,2021-07-03,childrens-services-referral,hull-city-council,,,",
        "HU-1,2021-07-04,,hull-city-council,,adult,",
    )
    kinds = [(e.what, e.trigger) for e in journey.history]
    assert kinds == [
        ("started", None),
        ("handoff", "start-assessment"),
        ("handoff", "refer-child-to-childrens-services"),
        ("profile", None),
    ]
    assert journey.profile["age_group"] == "adult"


def test_a_case_reference_that_looks_personal_is_a_warning(hull: Pathway) -> None:
    sheet = sheet_from_text(
        "\n".join(
            [
                HEADER,
                "Jane.Smith,2021-07-01,,hull-city-council,,adult,given",
                "HU-01021990,2021-07-01,,hull-city-council,,adult,given",
                "HU-2021-0042,2021-07-01,,hull-city-council,,adult,given",
            ]
        ),
        "j.csv",
    )
    built = build_journeys(sheet, compile_pathway(hull))
    assert len(built.journeys) == 3
    assert [(p.severity, p.location.line if p.location else 0) for p in built.warnings] == [
        ("warning", 2),
        ("warning", 3),
    ]
    assert "looks like a name" in built.warnings[0].message
    assert "looks like a date of birth" in built.warnings[1].message


# The oracle: journeys a case system could record come back the same from their spreadsheet


def _walk(compiled_hull: object, seed: int, ref: str) -> tuple[Journey, list[list[str]]]:
    import random

    from pathways.runtime.compiler import CompiledPathway

    assert isinstance(compiled_hull, CompiledPathway)
    chooser = random.Random(seed)
    pathway = compiled_hull.pathway
    profile = {name: chooser.choice(attr.domain) for name, attr in pathway.profile.items()}
    at = datetime(2021, 7, 1, 9, tzinfo=LONDON)
    journey = start(compiled_hull, ref, profile, at, COUNCIL)
    rows = [[ref, at.strftime("%Y-%m-%d %H:%M"), "", COUNCIL, "", *map(str, profile.values())]]
    for _ in range(chooser.randint(0, 8)):
        at = at.replace(hour=at.hour + 1)  # within one day: no time limit runs out
        options = [
            (option, agency)
            for agency in pathway.agencies
            for option in journey.available(by=agency)
            if option.open and not pathway.handoffs[option.trigger].timeout
        ]
        if not options:
            break
        option, agency = chooser.choice(options)
        journey.handoff(option.trigger, by=agency, at=at, shares=option.shares)
        when = at.strftime("%Y-%m-%d %H:%M")
        rows.append([ref, when, option.trigger, agency, ";".join(option.shares), "", ""])
    return journey, rows


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=4))
def test_journeys_come_back_the_same_from_their_spreadsheet(
    hull: Pathway, seeds: list[int]
) -> None:
    compiled = compile_pathway(hull)
    walked = [_walk(compiled, seed, f"HU-{n}") for n, seed in enumerate(seeds)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER.split(","))
    for _, rows in walked:
        writer.writerows(rows)
    built = build_journeys(sheet_from_text(out.getvalue(), "j.csv"), compiled)
    assert [j.history for j in built.journeys] == [j.history for j, _ in walked]


REFERRED = (
    "HU-{n},2021-07-01,,hull-city-council,,adult,given",
    "HU-{n},2021-07-02,start-assessment,hull-city-council,,,",
    "HU-{n},2021-07-03,adult-to-consent-discussion,hull-city-council,,,",
    "HU-{n},2021-07-04,refer-adult-to-nrm,hull-city-council,,,",
    "HU-{n},2021-07-05,submit-adult-referral,hull-city-council,,,",
)


def _referred(n: int, *rows: str) -> list[str]:
    return [row.format(n=n) for row in (*REFERRED, *rows)]


def test_the_receiver_accepts_or_declines_a_referral_that_waits_for_an_answer(
    hull: Pathway,
) -> None:
    """A referral with `require: acceptance` is answered on a row of its own: 'accept', or
    'decline: REASON' (the runtime tells a forum lead that is what it waits for)."""
    accepted, declined = _built(
        hull,
        *_referred(1, "HU-1,2021-07-06,accept,single-competent-authority,,,"),
        *_referred(2, "HU-2,2021-07-06,decline: incomplete-referral,single-competent-authority,,,"),
        "HU-1,2021-07-08,rg-positive,single-competent-authority,,,",
    )
    assert [e.what for e in accepted.history][-2:] == ["accepted", "handoff"]
    assert accepted.positions["main"] == "recovery-period"
    last = declined.history[-1]
    assert (last.what, last.reason, last.to_stage) == (
        "declined",
        "incomplete-referral",
        "nrm-referral",
    )


def test_an_answer_with_nothing_waiting_or_an_undeclared_reason_is_refused(
    hull: Pathway,
) -> None:
    found = _problems(
        hull,
        "HU-1,2021-07-01,,hull-city-council,,adult,given",
        "HU-1,2021-07-02,accept,hull-city-council,,,",
        *_referred(2, "HU-2,2021-07-06,decline: too-busy,single-competent-authority,,,"),
    )
    assert found[0].startswith(
        "j.csv:3:3: error[step-refused]: row 3, step: case HU-1 has no referral waiting for "
        "an answer"
    )
    assert found[1].startswith("j.csv:9:3: error[step-refused]: row 9, step: ")
    assert "'too-busy' is not a reason 'submit-adult-referral' may be declined for" in found[1]
    assert "expected: one of 'incomplete-referral' or 'referred-in-error'" in found[1]


def test_report_finds_an_area_by_name_from_an_empty_folder(
    empty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--area Hull` with no ./pathways folder looks in the pathways installed with the
    package, as `extends:` and ids do."""
    (empty / "j.csv").write_text("\n".join([HEADER, *_rows(3)]) + "\n", encoding="utf-8")
    db = f"sqlite:///{empty / 'j.sqlite3'}"
    assert main(["import", "j.csv", "--pathway", "humber/hull", "--db", db]) == 0
    argv = ["report", "--area", "Hull", "--period", "2021Q3", "--db", db, "--no-diagram"]
    assert main([*argv, "-o", "report.html", "--csv", "figures.csv"]) == 0
    assert _figures(empty / "figures.csv")[("referrals", "opened", "journeys")] == "5"
    assert main([*argv, "--area", "Nowhere", "-o", "other.html"]) == 2
    assert "no pathway for area 'Nowhere'; expected one of: " in capsys.readouterr().err
