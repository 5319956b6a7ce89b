"""The explorer page as text: one file, a Content-Security-Policy whose hashes name exactly its
own style and script, data that cannot break out of its script element, and the command's
messages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.definition.schema import Pathway
from pathways.explorer import explore

HOSTILE = "</script><script>alert(1)</script><!--"


def sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def test_the_policy_allows_only_the_page_s_own_style_and_script(hull: Pathway) -> None:
    page = explore(hull)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    rules = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    styles = re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    scripts = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
    assert len(styles) == len(scripts) == 1
    assert rules["default-src"] == "'none'"
    assert rules["style-src"] == f"'{sha256(styles[0])}'"
    assert rules["script-src"] == f"'{sha256(scripts[0])}'"
    assert " style=" not in page  # no inline style attribute the policy would refuse
    assert not re.search(r"\son[a-z]+=", page)  # no inline event handler either


def test_words_from_the_file_cannot_break_out_of_the_page(hull: Pathway) -> None:
    first = next(iter(hull.stages))
    stages = dict(hull.stages)
    stages[first] = stages[first].model_copy(update={"title": HOSTILE})
    hostile = hull.model_copy(update={"title": HOSTILE, "stages": stages})
    page = explore(hostile)
    assert HOSTILE not in page
    assert page.count("<script") == 2  # the data block and the page's own script
    block = re.search(r'<script type="application/json" id="explorer-data">(.*?)</script>', page)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["title"] == HOSTILE
    assert data["stages"][0]["title"] == HOSTILE


def test_the_command_writes_the_file_and_refuses_without_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "hull.html"
    assert main(["explore", "humber/hull", "-o", str(target)]) == 0
    assert f"wrote {target.as_posix()}" in capsys.readouterr().err
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert main(["explore", "humber/hull"]) == 2
    assert "-o/--output FILE" in capsys.readouterr().err
    assert main(["explore", str(tmp_path / "missing.yaml"), "-o", str(target)]) == 2
    assert "no such file" in capsys.readouterr().err
