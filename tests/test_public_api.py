"""The public API: what `import pathways` offers is listed, documented and importable."""

from __future__ import annotations

import inspect

import pathways
from pathways.errors import PathwayError


def test_all_is_sorted_unique_and_importable() -> None:
    names = list(pathways.__all__)
    assert names == sorted(set(names))
    for name in names:
        assert hasattr(pathways, name), name


def test_every_public_name_says_what_it_is() -> None:
    for name in pathways.__all__:
        value = getattr(pathways, name)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name} has no docstring"


def test_every_exception_is_rooted_at_pathway_error() -> None:
    errors = [
        getattr(pathways, name)
        for name in pathways.__all__
        if inspect.isclass(getattr(pathways, name))
        and issubclass(getattr(pathways, name), BaseException)
    ]
    assert len(errors) > 15
    for error in errors:
        assert issubclass(error, PathwayError), error


def test_the_main_entry_points_are_there() -> None:
    for name in ("load", "check", "compile_pathway", "start", "JourneyStore", "simulate"):
        assert name in pathways.__all__
