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
from pathways.definition.messages import did_you_mean
from pathways.definition.schema import ChecksConfig, Pathway, Suppression
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

    def suppression(self, rule: str, name: str) -> Suppression | None:
        """The suppression that covers a finding of `rule` about `name`, if any."""
        for entry in self.suppressions:
            if entry.rule == rule and entry.at in (None, name):
                return entry
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
    where = pathway.files[0] if pathway is not None and pathway.files else None
    for layer in layers:
        for rule_id, setting in layer.rules.items():
            if rule_id not in RULES:
                problems.append(_unknown(rule_id, where))
                continue
            named.add(rule_id)
            if setting.severity is not None:
                off = setting.severity == "off"
                severities[rule_id] = None if off else Severity(setting.severity)
            options[rule_id].update(setting.options)
        for entry in layer.suppress:
            if entry.rule not in RULES:
                problems.append(_unknown(entry.rule, where))
            suppressions.append(entry)
    if problems:
        raise DefinitionError(problems)
    return Settings(chosen, severities, options, tuple(suppressions), frozenset(named))


def _unknown(rule_id: str, where: str | None) -> Problem:
    return Problem(
        "unknown-rule",
        f"checks: there is no rule '{rule_id}'",
        Location(where, 1, 1) if where else None,
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
