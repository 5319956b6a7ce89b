"""How a pathway is checked: a preset, per-rule severity and options, and suppressions.

Settings come from, most specific last: the preset's defaults, a project config
(`[tool.pathways.checks]` in pyproject.toml, or a TOML file given with `--config`), then the
pathway file's own `checks:` section. A preset named on the command line wins over both.
Every suppression must give a reason; suppressed findings stay in the report with it.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from pathways.checks.registry import RULES, Option, Severity
from pathways.definition.checks_config import ChecksConfig, Suppression
from pathways.definition.messages import did_you_mean
from pathways.definition.schema import Pathway
from pathways.errors import DefinitionError, Location, Problem

__all__ = ["PRESETS", "Settings", "find_project_config", "read_config", "resolve"]

PRESETS = ("recommended", "strict")


@dataclass(frozen=True, slots=True)
class Settings:
    """The resolved configuration: severity (None for off) and options of every rule."""

    preset: str
    severities: Mapping[str, Severity | None]
    options: Mapping[str, Mapping[str, Option]]
    suppressions: tuple[Suppression, ...] = ()
    named: frozenset[str] = field(default_factory=frozenset)
    #: the number of the first suppression written in the pathway file (the project
    #: config's come first)
    first_own: int = 0

    def suppression(self, rule: str, *names: str) -> Suppression | None:
        """The suppression that covers a finding of `rule` about any of `names` (a ping-pong
        finding answers to both of its handoffs), if any."""
        index = self.suppression_index(rule, *names)
        return None if index is None else self.suppressions[index]

    def suppression_index(self, rule: str, *names: str) -> int | None:
        """The number of the suppression that covers the finding, if any."""
        for index, entry in enumerate(self.suppressions):
            if entry.rule == rule and (entry.at is None or entry.at in names):
                return index
        return None


def _defaults(preset: str) -> dict[str, Severity | None]:
    if preset == "strict":
        return {rule_id: rule.strict for rule_id, rule in RULES.items()}
    return {rule_id: rule.recommended for rule_id, rule in RULES.items()}


def resolve(
    pathway: Pathway | None = None,
    project: ChecksConfig | None = None,
    preset: str | None = None,
) -> Settings:
    """Combine the preset, the project config and the pathway's `checks:` into `Settings`."""
    layers = [c for c in (project, pathway.checks if pathway is not None else None) if c]
    chosen = preset or next((c.preset for c in reversed(layers) if c.preset), "recommended")
    if chosen not in PRESETS:
        raise DefinitionError([Problem("unknown-preset", f"there is no preset '{chosen}'")])
    severities = _defaults(chosen)
    options: dict[str, dict[str, Option]] = {r: dict(rule.options) for r, rule in RULES.items()}
    suppressions: list[Suppression] = []
    named: set[str] = set()
    problems: list[Problem] = []
    own = pathway.checks if pathway is not None else None
    first_own = 0
    for layer in layers:
        if layer is own:
            first_own = len(suppressions)
        for rule_id, setting in layer.rules.items():
            if rule_id not in RULES:
                at = _place(pathway, layer is own, f"rules.{rule_id}")
                problems.append(_unknown(rule_id, at))
                continue
            named.add(rule_id)
            if setting.severity is not None:
                off = setting.severity == "off"
                severities[rule_id] = None if off else Severity(setting.severity)
            options[rule_id].update(setting.options)
        for index, entry in enumerate(layer.suppress):
            if entry.rule not in RULES:
                at = _place(pathway, layer is own, f"suppress.{index}", "rule")
                problems.append(_unknown(entry.rule, at))
            suppressions.append(entry)
    if problems:
        raise DefinitionError(problems)
    return Settings(chosen, severities, options, tuple(suppressions), frozenset(named), first_own)


def _place(pathway: Pathway | None, own: bool, name: str, *rest: str) -> Location | None:
    """Where a `checks:` entry of the pathway file is written (a project config's entries
    have no place: its file is named by the message's caller)."""
    if pathway is None or not own:
        return None
    found = pathway.location("checks", name, *rest)
    if found is None and pathway.files:
        return Location(pathway.files[0], 1, 1)
    return found


def _unknown(rule_id: str, where: Location | None) -> Problem:
    return Problem(
        "unknown-rule",
        f"checks: there is no rule '{rule_id}'",
        where,
        expected="a rule id from docs/rules.md",
        hint=did_you_mean(rule_id, sorted(RULES)) or "run 'pathways check --help' for the list",
    )


def read_config(path: str | Path) -> ChecksConfig:
    """A project config from TOML: a `[tool.pathways.checks]` table, a `[checks]` table or
    the keys at the top level (`preset`, `rules`, `suppress`)."""
    data: dict[str, Any] = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    table: Any = data.get("tool", {}).get("pathways", {}).get("checks")
    if table is None:
        table = data.get("checks", data)
    try:
        return ChecksConfig.model_validate(table, strict=False)
    except ValidationError as exc:
        raise DefinitionError(
            [
                Problem(
                    "bad-config",
                    f"{'.'.join(str(p) for p in err['loc']) or 'checks'}: {err['msg']}",
                    Location(str(path), 1, 1),
                )
                for err in exc.errors()
            ]
        ) from None


def find_project_config(start: str | Path = ".") -> ChecksConfig | None:
    """The `[tool.pathways.checks]` table of the nearest pyproject.toml at or above `start`."""
    folder = Path(start).resolve()
    for candidate in (folder, *folder.parents):
        file = candidate / "pyproject.toml"
        if file.is_file():
            data = tomllib.loads(file.read_text(encoding="utf-8"))
            if data.get("tool", {}).get("pathways", {}).get("checks") is not None:
                return read_config(file)
            return None
    return None
