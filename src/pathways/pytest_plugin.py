"""A pytest plugin: run the case tests beside pathways (`*.tests.yaml`) in any test suite.

Installed with the library (entry point `pytest11`), so a case system that keeps its pathways in
its repository runs their case tests with its own tests, one test item per case:

```sh
pytest tests pathways          # or add pathways to testpaths in the pytest configuration
```

A failing case shows the same plain report as `pathways test`: what was expected, what happened
instead and the route taken. A case-test file with problems is a collection error listing them
as `path:line:col: error[code]: message`. Turn the plugin off with `-p no:pathways`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pathways.casetests import SUFFIX, CaseSuite, Outcome, format_outcome, load_cases, run_case
from pathways.definition.loader import Library
from pathways.errors import DefinitionError

__all__ = ["CaseTestFailed", "CaseTestFile", "CaseTestItem", "pytest_collect_file"]

_LIBRARY = pytest.StashKey[Library]()


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    """Collect every `*.tests.yaml` file pytest meets as a file of case tests."""
    if file_path.name.endswith(SUFFIX):
        collector: CaseTestFile = CaseTestFile.from_parent(parent, path=file_path)
        return collector
    return None


class CaseTestFailed(AssertionError):
    """A case did not do what it expected; carries the outcome for the report."""

    def __init__(self, outcome: Outcome, report: str) -> None:
        self.outcome = outcome
        super().__init__(report)


class CaseTestFile(pytest.File):
    """A case-test file: one item per case, in the order written."""

    def collect(self) -> Iterator[pytest.Item]:
        stash = self.config.stash
        if _LIBRARY not in stash:
            stash[_LIBRARY] = Library()
        suite = load_cases(self.path, stash[_LIBRARY])
        for name in suite.cases:
            yield CaseTestItem.from_parent(self, name=name, suite=suite)

    def repr_failure(  # type: ignore[override]
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> str | Any:
        if isinstance(excinfo.value, DefinitionError):
            return str(excinfo.value)
        return super().repr_failure(excinfo)


class CaseTestItem(pytest.Item):
    """One case: passes when the pathway does what the case expects."""

    def __init__(self, *, suite: CaseSuite, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.suite = suite

    def runtest(self) -> None:
        outcome = run_case(self.suite, self.name)
        if not outcome.passed:
            raise CaseTestFailed(outcome, format_outcome(outcome, self.suite.pathway))

    def repr_failure(
        self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None
    ) -> str | Any:
        if isinstance(excinfo.value, CaseTestFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int, str]:
        location = self.suite.location(self.name)
        return self.path, location.line - 1, f"case {self.name}"
