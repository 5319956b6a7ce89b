"""The `checks:` section of a pathway file: which rules run, how serious each is, and the
findings the forum has accepted (suppressions, each with its reason)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from pathways.definition.naming import list_as_tuple

__all__ = ["ChecksConfig", "RuleSetting", "Suppression"]


class _Model(BaseModel):
    model_config = ConfigDict(strict=True, frozen=True, extra="forbid", populate_by_name=True)


class RuleSetting(_Model):
    """Severity and options of one check rule."""

    severity: Literal["error", "warning", "info", "off"] | None = Field(
        default=None, description="how serious a finding of this rule is; off turns it off"
    )
    options: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="the rule's own settings (see the rules page)"
    )


class Suppression(_Model):
    """A finding the forum has accepted, with the reason shown in every report."""

    rule: str = Field(description="the rule's id, such as 'unreachable-stage'")
    at: str | None = Field(default=None, description="the stage or handoff it applies to")
    reason: str = Field(min_length=1, description="why the forum accepts it")


class ChecksConfig(_Model):
    """How `pathways check` judges this pathway."""

    preset: Literal["recommended", "strict"] | None = Field(
        default=None, description="the set of rules to start from"
    )
    rules: dict[str, RuleSetting] = Field(
        default_factory=dict, description="settings of single rules, by rule id"
    )
    suppress: Annotated[tuple[Suppression, ...], BeforeValidator(list_as_tuple)] = Field(
        default=(), description="findings the forum has accepted"
    )
