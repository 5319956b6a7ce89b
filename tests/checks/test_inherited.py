"""Problems caused by an area file point at the area file, where a forum lead fixes them, with
the baseline's place as the second location ("inherited from"), in text, JSON and SARIF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pathways import DefinitionError, load
from pathways.checks import check
from pathways.checks.output import json_report
from pathways.checks.sarif import sarif

BASE = """\
id: base/national
title: National baseline
area: England
version: "1"
baseline: true
entry: start
roles:
  responder: {title: First responder}
  support-provider: {title: Support provider}
information:
  account: {title: The account, sensitivity: special-category}
stages:
  start: {title: Concern raised, owner: responder, kind: identification, collects: [account]}
  support: {title: Support, owner: support-provider, kind: support, collects: [account]}
  done: {title: Supported, owner: support-provider, kind: outcome, outcome: supported}
handoffs:
  refer: {from: start, to: support, by: [responder]}
  finish: {from: support, to: done, by: [support-provider]}
"""

AREA = """\
id: area/town
title: An area
area: Town
version: "1"
extends: base/national
agencies:
  police: {name: Town Police, roles: [responder]}
  charity: {name: Town Charity, roles: [{roles}]}
"""


def _area(tmp_path: Path, roles: str) -> Path:
    (tmp_path / "base").mkdir()
    (tmp_path / "area").mkdir()
    (tmp_path / "base" / "national.yaml").write_text(BASE, encoding="utf-8")
    area = tmp_path / "area" / "town.yaml"
    area.write_text(AREA.replace("{roles}", roles), encoding="utf-8")
    return area


def test_an_unbound_role_points_at_the_area_agencies_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DefinitionError) as caught:
        load(_area(tmp_path, "responder"))
    (problem,) = [p for p in caught.value.problems if p.code == "role-unbound"]
    lines = problem.format().splitlines()
    assert lines[0].startswith("area/town.yaml:6:1: error[role-unbound]: role 'support-provider'")
    assert lines[1] == "  inherited from base/national.yaml:14:36"


def test_a_finding_on_what_the_baseline_wrote_points_at_the_extends_line(
    tmp_path: Path,
) -> None:
    pathway = load(_area(tmp_path, "support-provider"))
    report = check(pathway, with_metrics=False)
    (found,) = [f for f in report.findings if f.rule == "repeat-story-every-route"]
    area, base = str(tmp_path / "area" / "town.yaml"), str(tmp_path / "base" / "national.yaml")
    assert str(found.location) == f"{area}:5:1"
    assert str(found.inherited) == f"{base}:14:80"
    assert found.format().splitlines()[1] == f"  inherited from {base}:14:80"
    (listed,) = [
        f
        for f in json.loads(json_report([report]))["pathways"][0]["findings"]
        if f["rule"] == "repeat-story-every-route"
    ]
    assert (listed["path"], listed["line"]) == (area, 5)
    assert listed["inherited_from"] == {"path": base, "line": 14, "column": 80}
    log = json.loads(sarif([report], version="test"))
    (result,) = [r for r in log["runs"][0]["results"] if r["ruleId"] == "repeat-story-every-route"]
    (related,) = result["relatedLocations"]
    assert related["message"]["text"] == f"inherited from {base}:14:80"
    assert related["physicalLocation"]["region"] == {"startLine": 14, "startColumn": 80}


def test_init_placeholders_point_at_the_area_agency_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """`pathways init` writes placeholder agencies that are not First Responder Organisations:
    the NRM findings on the baseline's stages point at the placeholder's `first_responder:`
    in the area file, where the forum lead fixes it, then at the baseline."""
    from pathways.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["init", "City of York", "--extends", "national/england", "-o", "york.yaml"]) == 0
    capsys.readouterr()
    pathway = load(tmp_path / "york.yaml")
    lines = (tmp_path / "york.yaml").read_text(encoding="utf-8").splitlines()
    agency = lines.index("  first-responder-agency:")
    flag = next(i for i in range(agency, len(lines)) if "first_responder:" in lines[i])
    found = [f for f in check(pathway).findings if f.rule == "nrm-first-responder"]
    assert found
    for finding in found:
        assert finding.location is not None
        assert finding.inherited is not None
        assert finding.location.path == pathway.files[0]
        assert (finding.location.line, finding.location.column) == (
            flag + 1,
            lines[flag].index("false") + 1,
        )
        assert finding.inherited.path.endswith("national/england.yaml")
