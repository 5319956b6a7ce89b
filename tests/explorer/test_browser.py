"""The explorer opened in headless Chromium (see `tests/browser.py`): choosing a victim
highlights exactly the stages `pathways diagram --profile` draws for them, the page asks for
nothing but its own file, a keyboard alone can choose a victim and open a stage, and axe-core
finds no WCAG 2.2 AA violation. Screenshots go to `test-artefacts/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from browser import axe_violations, chromium
from paths import ROOT
from pathways.cli import main
from pathways.definition.schema import Pathway
from pathways.diagram import build

ARTEFACTS = ROOT / "test-artefacts"
ON_ROUTE = "() => Array.from(document.querySelectorAll('.stage.on')).map(g => g.dataset.stage)"


@pytest.fixture(scope="module")
def page_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("explorer") / "hull.html"
    assert main(["explore", "humber/hull", "-o", str(target), "-q"]) == 0
    return target


def choose(page: Any, attribute: str, value: str) -> None:
    page.check(f"input[name='attr-{attribute}'][value='{value}']")


def test_choosing_adult_consent_declined_highlights_what_diagram_profile_draws(
    page_file: Path, hull: Pathway
) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(page_file.as_uri())
        assert page.evaluate(ON_ROUTE) == []
        results = {}
        for age, consent in [("adult", "declined"), ("adult", "given"), ("child", "declined")]:
            choose(page, "age_group", age)
            choose(page, "consent", consent)
            results[(age, consent)] = sorted(page.evaluate(ON_ROUTE))
            if (age, consent) == ("adult", "declined"):
                route = page.inner_text("#route")
                ARTEFACTS.mkdir(exist_ok=True)
                page.screenshot(path=str(ARTEFACTS / "explorer.png"))
        choose(page, "age_group", "")
        choose(page, "consent", "")
        cleared = page.evaluate(ON_ROUTE)
    for (age, consent), shown in results.items():
        drawn = build(hull, profile=f"age_group={age},consent={consent}")
        assert shown == sorted(node.id for node in drawn.nodes)
    # the route is listed in the order a journey meets it, with its time limits
    lines = route.splitlines()
    assert lines[0].startswith("A concern is raised with a first responder")
    think = hull.stages["place-of-safety"]
    assert any(
        line.startswith(think.title) and f"leave within {think.within}" in line for line in lines
    )
    assert cleared == []


def test_the_page_loads_nothing_from_outside_its_file(page_file: Path) -> None:
    asked: list[str] = []

    def refuse(route: Any) -> None:
        asked.append(route.request.url)
        if route.request.url == page_file.as_uri():
            route.continue_()
        else:
            route.abort()

    with chromium() as browser:
        page = browser.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda error: problems.append(str(error)))
        page.route("**/*", refuse)
        page.goto(page_file.as_uri(), wait_until="networkidle")
        choose(page, "age_group", "child")
        page.click(".stage[data-stage='concern-raised']")
        page.click(".finding-link >> nth=0")
        details = page.inner_text("#details")
    assert asked == [page_file.as_uri()]
    assert problems == []
    assert details.strip()
    text = page_file.read_text(encoding="utf-8")
    assert "default-src 'none'" in text
    for reference in ("http://", "https://", " src=", "@import", "url(http"):
        assert reference not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_a_keyboard_alone_chooses_a_victim_and_opens_a_stage(
    page_file: Path, hull: Pathway
) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(page_file.as_uri())
        for _ in range(60):  # Tab to the first answer of the first question
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.name") == "attr-age_group":
                break
        page.keyboard.press("ArrowRight")  # any -> adult
        page.keyboard.press("Tab")  # to the consent question
        page.keyboard.press("ArrowRight")  # any -> given
        page.keyboard.press("ArrowRight")  # given -> declined
        for _ in range(200):  # Tab on to the first stage of the diagram
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.dataset.stage || ''"):
                break
        focused = page.evaluate("document.activeElement.dataset.stage")
        page.keyboard.press("Enter")
        heading = page.evaluate("document.activeElement.id")
        title = page.inner_text("#details-title")
        on = page.evaluate(ON_ROUTE)
    assert focused == "concern-raised"
    assert heading == "details-title"
    assert title == "A concern is raised with a first responder"
    assert sorted(on) == sorted(
        n.id for n in build(hull, profile="age_group=adult,consent=declined").nodes
    )


def test_axe_finds_no_wcag_22_aa_violation(page_file: Path) -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
        page.goto(page_file.as_uri())
        untouched = axe_violations(page)
        choose(page, "age_group", "adult")
        choose(page, "consent", "declined")
        page.click(".stage[data-stage='consent-discussion']")
        chosen = axe_violations(page)
    assert untouched == []
    assert chosen == []
