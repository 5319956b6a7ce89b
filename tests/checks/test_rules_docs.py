"""docs/rules.md has one section per rule, and every example in it prints what it says.

Each rule's section holds its id as the heading, its severities, its one-line definition, a
small pathway (YAML) and the finding `pathways check` prints for it (text). The examples leave
out the keys every example shares; the first YAML block of the page lists them, and they are
added to an example that does not set them itself. A section with two YAML blocks checks the
second against the first as the baseline it extends.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pathways.checks import RULES, check
from pathways.checks.registry import Rule
from pathways.definition.checks_config import ChecksConfig
from pathways.definition.loader import load_text
from pathways.errors import DefinitionError

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
_BLOCK = re.compile(r"```(yaml|text)\n(.*?)```", re.DOTALL)
_KEY = re.compile(r"^([a-z_]+):", re.MULTILINE)


def sections(text: str) -> dict[str, str]:
    """The body of each `## heading` of the page, by heading."""
    found: dict[str, str] = {}
    for chunk in text.split("\n## ")[1:]:
        heading, _, body = chunk.partition("\n")
        found[heading.strip()] = body
    return found


def header(text: str) -> str:
    match = _BLOCK.search(text)
    assert match is not None, "the page opens with the shared keys"
    assert match.group(1) == "yaml"
    return match.group(2)


def complete(example: str, shared: str) -> str:
    """`example` with the shared top-level keys it does not set itself, added after it (so
    the example's own lines keep their numbers)."""
    own = set(_KEY.findall(example))
    chunks = re.split(r"(?m)^(?=[a-z_]+:)", shared)
    added = [c for c in chunks if (m := _KEY.match(c)) is not None and m.group(1) not in own]
    return example + "".join(added)


def severity_line(rule: Rule) -> str:
    recommended = str(rule.recommended) if rule.recommended else "off"
    return f"**Severity:** {recommended} (recommended), {rule.strict} (strict)"


def output(rule_id: str, examples: list[str], shared: str) -> str:
    """What `pathways check` prints for the rule on the section's example."""
    texts = [complete(e, shared) for e in examples]
    base = load_text(texts[0], path="baseline.yaml") if len(texts) > 1 else None
    try:
        pathway = load_text(texts[-1], path="example.yaml")
    except DefinitionError as exc:
        return "\n".join(problem.format() for problem in exc.problems)
    rule = RULES[rule_id]
    severity = rule.recommended or rule.strict
    config = ChecksConfig.model_validate({"rules": {rule_id: {"severity": str(severity)}}})
    report = check(pathway, config, base=base, with_metrics=False)
    return "\n".join(f.format() for f in report.findings if f.rule == rule_id)


def blocks(body: str, kind: str) -> list[str]:
    return [code for k, code in _BLOCK.findall(body) if k == kind]


PAGE = DOCS.read_text(encoding="utf-8")
SECTIONS = sections(PAGE)


def test_every_registered_rule_has_a_section() -> None:
    documented = {h for h in SECTIONS if re.fullmatch(r"[a-z]+(-[a-z]+)*", h)}
    assert sorted(documented) == sorted(RULES)


def test_each_rule_links_to_its_section() -> None:
    for rule_id, rule in RULES.items():
        path, _, anchor = rule.doc.partition("#")
        assert path == "docs/rules.md"
        assert anchor == rule_id
        assert anchor in SECTIONS


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_section_states_severity_definition_example_and_fix(rule_id: str) -> None:
    body, rule = SECTIONS[rule_id], RULES[rule_id]
    assert severity_line(rule) in body
    assert f"**Family:** {rule.family}" in body
    assert rule.summary[0].upper() + rule.summary[1:] + "." in body
    assert blocks(body, "yaml"), "an example"
    assert len(blocks(body, "text")) == 1, "the finding it prints"
    assert "**Fix:**" in body


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_example_prints_the_documented_finding(rule_id: str) -> None:
    body = SECTIONS[rule_id]
    printed = output(rule_id, blocks(body, "yaml"), header(PAGE))
    assert printed, f"the example of {rule_id} does not trigger it"
    assert printed + "\n" == blocks(body, "text")[0]
