"""`pathways diagram --format mermaid` drawn by the real Mermaid library in headless Chromium.

Every bundled pathway is drawn with a lane per agency and per track, with `--highlight-findings`,
and with `--profile` for every combination of its profile's values. Each drawing must parse and
render with no error, give an <svg>, and show every stage (title and detail line), every lane
title and every handoff label exactly as written, with the stages the checks found outlined.

Mermaid is the version pinned in tests/mermaid/package-lock.json, installed with `npm ci` on
first use into a cache outside the repository (`$PATHWAYS_MERMAID_CACHE`, else
`~/.cache/pathways-tests`), keyed by the lock file, so later runs and other clones reuse it.
Its `mermaid.min.js` is put into a local page; the page itself makes no network request. Skipped,
saying why, only when Chromium, Playwright or npm is not installed; a failed `npm ci` fails.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest

from paths import ROOT
from pathways.cli import main
from pathways.definition.loader import Library, discover
from pathways.definition.schema import Pathway
from pathways.diagram import Diagram, Lane, Link, Node, build, flagged_by_checks, mermaid
from pathways.diagram.mermaid import FINDING_COLOUR, escape, node_ids

PACKAGE = ROOT / "tests" / "mermaid"
CHROMIUM = os.environ.get("PATHWAYS_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
_ALL = sorted(discover([ROOT / "pathways"])) if (ROOT / "pathways").is_dir() else []
BUNDLED = [path for path in _ALL if not path.name.endswith(".tests.yaml")]

# --- Mermaid from npm --------------------------------------------------------------------------


def _cache_root() -> Path:
    given = os.environ.get("PATHWAYS_MERMAID_CACHE")
    if given:
        return Path(given)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "pathways-tests"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on `path`, so parallel runs install once (POSIX; else no lock)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: the atomic rename still keeps it whole
        yield
        return
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def mermaid_script() -> Path:
    """`mermaid.min.js` of the pinned version, installed by `npm ci` on first use."""
    files = [PACKAGE / "package.json", PACKAGE / "package-lock.json"]
    digest = hashlib.sha256(b"".join(f.read_bytes() for f in files)).hexdigest()[:16]
    root = _cache_root()
    target = root / f"mermaid-{digest}"
    script = target / "node_modules" / "mermaid" / "dist" / "mermaid.min.js"
    if script.is_file():
        return script
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed (apt-get install npm): cannot fetch Mermaid")
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f"mermaid-{digest}.lock"):
        if script.is_file():  # another run installed it while we waited
            return script
        work = Path(tempfile.mkdtemp(prefix=f"mermaid-{digest}.", dir=root))
        try:
            for file in files:
                shutil.copy2(file, work / file.name)
            env = {**os.environ, "NPM_CONFIG_UPDATE_NOTIFIER": "false"}
            command = [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"]
            result = subprocess.run(
                [*command, "--loglevel=error"],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            if result.returncode != 0:
                pytest.fail(
                    f"`{' '.join(command)}` in a copy of tests/mermaid failed "
                    f"({result.returncode}):\n{result.stdout[-2000:]}{result.stderr[-4000:]}",
                    pytrace=False,
                )
            work.rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    assert script.is_file(), f"npm ci did not install {script}"
    return script


# --- the page ----------------------------------------------------------------------------------

PAGE = (
    '<!doctype html>\n<html lang="en"><meta charset="utf-8"><title>Mermaid</title><body></body>\n'
)

#: Mermaid as a Markdown host sets it up: not on load, strict security, everything else default.
SETUP = "() => mermaid.initialize({startOnLoad: false, securityLevel: 'strict'})"

#: Parse and render one diagram, then read back what the SVG shows. Each label's text nodes are
#: joined with spaces, so a <br> between a stage's title and its detail reads as a space; the
#: invisible WORD JOINER (U+2060) the Mermaid writer puts into `$$` and `fa:fa-` is left out.
RENDER = r"""
async ([id, text]) => {
  const words = (el) => {
    const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walk.nextNode()) found.push(walk.currentNode.data);
    return found.join(' ').replace(/\u2060/g, '').replace(/\s+/g, ' ').trim();
  };
  let parsed;
  try {
    parsed = await mermaid.parse(text);
  } catch (error) {
    return {error: 'parse: ' + String((error && error.message) || error)};
  }
  let svg;
  try {
    ({svg} = await mermaid.render(id, text));
  } catch (error) {
    return {error: 'render: ' + String((error && error.message) || error)};
  }
  const holder = document.createElement('div');
  holder.innerHTML = svg;
  document.body.appendChild(holder);
  const root = holder.querySelector('svg');
  const all = (selector) => Array.from(holder.querySelectorAll(selector));
  const box = root ? root.getBoundingClientRect() : {width: 0, height: 0};
  const result = {
    type: parsed && parsed.diagramType,
    tag: root ? root.tagName : null,
    width: box.width,
    height: box.height,
    nodes: all('g.node').map((g) => [g.id, words(g), Array.from(g.classList)]),
    clusters: all('g.cluster').map((g) => [g.id, words(g)]),
    edges: all('g.edgeLabel').map(words),
    links: all('path.flowchart-link').map((path) => path.getAttribute('style') || ''),
    errors: all('.error-icon, .error-text').length,
    text: root ? words(root) : '',
  };
  holder.remove();
  return result;
}
"""


@dataclass
class MermaidPage:
    """One page in one headless Chromium, with Mermaid loaded, shared by the module's tests."""

    page: Any
    address: str
    requests: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    count: int = 0

    def render(self, text: str) -> dict[str, Any]:
        self.count += 1
        self.problems.clear()
        ident = f"diagram{self.count}"
        result: dict[str, Any] = self.page.evaluate(RENDER, [ident, text])
        assert "error" not in result, f"Mermaid could not draw it: {result['error']}\n{text}"
        assert self.problems == [], f"console errors while drawing: {self.problems}"
        assert self.requests == [self.address], "the page fetched something"
        result["id"] = ident
        return result


@pytest.fixture(scope="module")
def mermaid_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MermaidPage]:
    if not Path(CHROMIUM).is_file():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    script = mermaid_script()
    page_file = tmp_path_factory.mktemp("mermaid") / "render.html"
    page_file.write_text(PAGE, encoding="utf-8")
    options = ["--no-sandbox"] if hasattr(os, "geteuid") and os.geteuid() == 0 else []
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*options, "--disable-gpu"]
        )
        try:
            page = chromium.new_page(viewport={"width": 1280, "height": 900})
            session = MermaidPage(page, page_file.as_uri())
            page.on("request", lambda request: session.requests.append(request.url))
            page.on(
                "console",
                lambda message: (
                    session.problems.append(message.text) if message.type == "error" else None
                ),
            )
            page.on("pageerror", lambda error: session.problems.append(str(error)))
            page.goto(session.address, wait_until="load")
            page.add_script_tag(path=str(script))
            page.evaluate(SETUP)
            yield session
        finally:
            chromium.close()


# --- what each drawing must show ---------------------------------------------------------------


def _plain(text: str) -> str:
    return " ".join(text.split())


def _profiles(pathway: Pathway) -> list[str]:
    """Every combination of the profile's values, as `--profile` text."""
    names = list(pathway.profile)
    domains = [
        [str(v).lower() if isinstance(v, bool) else v for v in pathway.profile[n].domain]
        for n in names
    ]
    return [
        ",".join(f"{n}={v}" for n, v in zip(names, values, strict=True))
        for values in itertools.product(*domains)
    ]


@dataclass(frozen=True)
class Case:
    path: Path
    lanes: str = "agency"
    profile: str | None = None
    highlight: bool = False

    @property
    def argv(self) -> list[str]:
        argv = ["diagram", str(self.path), "--format", "mermaid", "--lanes", self.lanes]
        if self.profile is not None:
            argv += ["--profile", self.profile]
        if self.highlight:
            argv.append("--highlight-findings")
        return argv

    @property
    def name(self) -> str:
        words = [self.path.relative_to(ROOT / "pathways").with_suffix("").as_posix()]
        words.append(self.lanes)
        if self.profile is not None:
            words.append(self.profile)
        if self.highlight:
            words.append("findings")
        return ":".join(words)


def _cases() -> list[Case]:
    cases: list[Case] = []
    for path in BUNDLED:
        profiles = _profiles(Library().load(path))
        cases += [
            Case(path),
            Case(path, lanes="track"),
            Case(path, highlight=True),
            Case(path, lanes="track", highlight=True),
        ]
        cases += [Case(path, profile=profile) for profile in profiles]
        if profiles:
            cases.append(Case(path, lanes="track", profile=profiles[-1], highlight=True))
    return cases


def assert_shows(drawn: dict[str, Any], picture: Diagram, titles: dict[str, str]) -> None:
    """The drawing shows exactly the lanes, stages and handoff labels of `picture`.

    `titles` gives each stage's title as written in the pathway; `picture.highlighted` says the
    key should be there too; flagged stages must be outlined (Mermaid class "finding") and
    flagged handoffs drawn in red.
    """
    assert drawn["type"] == "flowchart-v2"
    assert drawn["tag"] == "svg"
    assert drawn["width"] > 100
    assert drawn["height"] > 100
    assert drawn["errors"] == 0
    assert "Syntax error" not in drawn["text"]
    prefix = f"{drawn['id']}-"
    ids = node_ids(picture)
    shown: dict[str, tuple[str, list[str]]] = {}
    for element, words, classes in drawn["nodes"]:
        match = re.fullmatch(rf"{re.escape(prefix)}flowchart-(\w+)-\d+", element)
        assert match, f"unexpected node element {element!r}"
        assert match[1] not in shown, f"{match[1]} drawn twice"
        shown[match[1]] = (words, classes)
    expected_nodes = {
        ids[node.id]: _plain(f"{titles[node.id]} {node.detail}") for node in picture.nodes
    }
    if picture.highlighted:
        expected_nodes["legend_finding"] = "Red outline: found by pathways check"
        expected_nodes["legend_outcome"] = "Rounded green: an outcome"
    assert {ident: words for ident, (words, _) in shown.items()} == expected_nodes
    flagged = {ids[node.id] for node in picture.nodes if node.flagged}
    if picture.highlighted:
        flagged.add("legend_finding")
    outlined = {ident for ident, (_, classes) in shown.items() if "finding" in classes}
    assert outlined == flagged
    clusters = dict(drawn["clusters"])
    expected_lanes = {prefix + lane: _plain(title) for lane, title in _lane_titles(picture)}
    if picture.highlighted:
        expected_lanes[prefix + "legend"] = "Key"
    assert clusters == expected_lanes
    assert len(drawn["links"]) == len(picture.links)
    red = [FINDING_COLOUR in style for style in drawn["links"]]
    assert red == [link.flagged for link in picture.links]
    assert Counter(drawn["edges"]) == Counter(_plain(" ".join(x.lines)) for x in picture.links)


def _lane_titles(picture: Diagram) -> list[tuple[str, str]]:
    return [
        (f"lane{index}_" + re.sub(r"[^A-Za-z0-9_]", "_", lane.id), lane.title)
        for index, lane in enumerate(picture.lanes, start=1)
    ]


# --- the tests ---------------------------------------------------------------------------------

CASES = _cases()


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bundled_pathway_renders_in_mermaid(
    case: Case, mermaid_page: MermaidPage, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(case.argv) == 0
    text = capsys.readouterr().out
    pathway = Library().load(case.path)
    marks = flagged_by_checks(pathway) if case.highlight else ()
    picture = build(pathway, lanes=case.lanes, profile=case.profile, flagged=marks)
    if case.highlight:  # the key is drawn even when the checks found nothing
        picture = replace(picture, highlighted=True)
    titles = {name: stage.title for name, stage in pathway.stages.items()}
    assert_shows(mermaid_page.render(text), picture, titles)


#: Titles that Mermaid, its Markdown and maths and icon syntax, or HTML could take for syntax.
NASTY = [
    'He said "end" [x] {y} (z) <b>a & b</b> | `c` #1; 50% \\',
    "<script>alert(1)</script> <img src=x onerror=alert(2)>",
    "#quot; and &amp; and &#60; and #35;",
    "%%{init: {'theme': 'dark'}}%%",
    "`md` **bold** _it_ ~~gone~~",
    "Pays $$5 and $$10, or $x^2$",
    "fa:fa-user victim, fab:fa-github and sofa:fa-car",
    "A --> B ==> C -.- D --o E --x F",
    "end",
    "click st_a call f()",
    "x:::finding; style x fill:red",
    "Lifestyle check (daily, 10:30)",
    "Lifestyle check at 10:30",
    "1. numbered",
    "- bullet",
    "Café \u2013 Ünïcödé “quotes” \u2018single\u2019 £5 · → ✓ 日本語",
    "https://example.org/a?b=c&d=e#top",
    "  spaced\tout\n  over lines  ",
]


def test_titles_mermaid_could_take_for_syntax_render_as_written(mermaid_page: MermaidPage) -> None:
    nodes = tuple(
        Node(
            f"s{i}",
            title,
            f"(by {title})",
            ("box", "decision", "outcome")[i % 3],
            f"l{i % 2}",
            entry=i == 0,
            flagged=i in (1, 6),
        )
        for i, title in enumerate(NASTY)
    )
    links = tuple(
        Link(
            f"h{i}",
            f"s{i}",
            f"s{i + 1}",
            (title, "if " + title),
            timeout=i % 2 == 1,
            flagged=i in (2, 7),
        )
        for i, title in enumerate(NASTY[:-1])
    )
    picture = Diagram(
        id="nasty",
        title=NASTY[0],
        lanes=(Lane("l0", NASTY[0]), Lane("l1", NASTY[6])),
        nodes=nodes,
        links=links,
        for_whom=NASTY[3],
        highlighted=True,
    )
    titles = {node.id: node.title for node in nodes}
    assert_shows(mermaid_page.render(mermaid(picture)), picture, titles)


def test_plain_text_mermaid_would_draw_as_maths_or_icons_is_broken_up() -> None:
    """Without a browser: what the test above relies on, in the Mermaid text itself."""
    assert escape("Pays $$5") == "Pays $\u2060$5"
    assert escape("fa:fa-user") == "fa:\u2060fa-user"
    assert escape("Lifestyle check (10:30)") == "Lifestyle check #40;10#58;30#41;"
    assert escape("outcome: supported") == "outcome: supported"
    picture = Diagram(
        "x", "X", (Lane("l", "L"),), (Node("n", "At 10:30", "(daily)", "box", "l"),), ()
    )
    assert 'st_n["At 10#58;30<br/>#40;daily#41;"]' in mermaid(picture)
