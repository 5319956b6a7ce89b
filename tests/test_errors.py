"""The exception tree (`pathways.errors`): how a problem reads, what a `DefinitionError` holds, the
attributes a `JourneyError` carries, and the built-in exceptions a caller may catch instead."""

from __future__ import annotations

import pickle

import pytest

from pathways.definition.condition_parser import ConditionSyntaxError
from pathways.errors import (
    CorruptRecord,
    DefinitionError,
    DuplicateJourney,
    InvalidTime,
    JourneyError,
    JourneyNotFound,
    Location,
    NotAuthorised,
    PathwayError,
    Problem,
    SharingNotPermitted,
    StoreError,
)

HERE = Location("area/town.yaml", 12, 5)


def test_a_location_reads_as_editors_write_it() -> None:
    assert str(HERE) == "area/town.yaml:12:5"
    assert Location("a.yaml", 2, 1) < Location("a.yaml", 10, 1) < Location("b.yaml", 1, 1)


def test_a_problem_says_where_what_what_was_expected_and_a_hint() -> None:
    problem = Problem(
        "unknown-value",
        "'suport' is not a stage kind",
        HERE,
        expected="one of: referral, support",
        hint="did you mean 'support'?",
    )
    assert str(problem) == (
        "area/town.yaml:12:5: error[unknown-value]: 'suport' is not a stage kind\n"
        "  expected: one of: referral, support\n"
        "  hint: did you mean 'support'?"
    )
    assert Problem("empty-file", "the file is empty").format() == (
        "error[empty-file]: the file is empty"
    )
    assert Problem("x", "y", severity="warning").format() == "warning[x]: y"


def test_a_definition_error_holds_every_problem_in_file_order() -> None:
    late = Problem("unknown-key", "late", Location("a.yaml", 9, 1))
    early = Problem("missing-key", "early", Location("a.yaml", 2, 3))
    nowhere = Problem("empty-file", "nowhere")
    error = DefinitionError([late, early, nowhere])
    assert error.problems == (nowhere, early, late)
    assert error.codes == ("empty-file", "missing-key", "unknown-key")
    assert str(error).splitlines()[-1] == "3 problems found"
    assert str(DefinitionError([late])).endswith("\n1 problem found")


def test_a_definition_error_needs_a_problem() -> None:
    with pytest.raises(ValueError, match="at least one problem"):
        DefinitionError([])


def test_a_journey_error_names_the_journey_stage_trigger_and_agency() -> None:
    error = NotAuthorised(
        "police may not refer",
        journey="TS-1",
        stage="assessment",
        trigger="refer",
        agency="police",
        allowed=["council", "charity"],
    )
    assert (error.journey, error.stage, error.trigger, error.agency) == (
        "TS-1",
        "assessment",
        "refer",
        "police",
    )
    assert error.allowed == ("council", "charity")
    assert str(error) == "police may not refer"
    bare = JourneyError("no", journey="TS-2")
    assert (bare.stage, bare.trigger, bare.agency, bare.allowed) == (None, None, None, ())


@pytest.mark.parametrize(
    ("error", "also"),
    [
        (DefinitionError([Problem("x", "y")]), ValueError),
        (NotAuthorised("no", journey="J"), PermissionError),
        (SharingNotPermitted("no", journey="J"), PermissionError),
        (InvalidTime("no", journey="J"), ValueError),
        (JourneyNotFound("J"), LookupError),
        (DuplicateJourney("J"), ValueError),
        (CorruptRecord("bad"), ValueError),
    ],
)
def test_errors_can_be_caught_as_the_built_in_exception_they_are(
    error: PathwayError, also: type[Exception]
) -> None:
    assert isinstance(error, PathwayError)
    with pytest.raises(also):
        raise error


def test_journey_and_store_errors_are_separate_branches() -> None:
    assert issubclass(NotAuthorised, JourneyError)
    assert not issubclass(NotAuthorised, StoreError)
    assert issubclass(CorruptRecord, StoreError)
    assert not issubclass(CorruptRecord, JourneyError)
    assert not issubclass(DefinitionError, JourneyError | StoreError)


def test_a_definition_error_crosses_a_process_boundary_whole() -> None:
    """Pickled and read back (as a worker process sends it), a `DefinitionError` and a subclass
    with arguments of its own keep their problems, message and attributes."""
    error = DefinitionError([Problem("endless-loop", "goes round", HERE, "a way out", "add one")])
    again = pickle.loads(pickle.dumps(error))
    assert type(again) is DefinitionError
    assert again.problems == error.problems
    assert str(again) == str(error)
    syntax = ConditionSyntaxError("bad-condition", "cannot read it", 4, 2, hint="quote it")
    back = pickle.loads(pickle.dumps(syntax))
    assert type(back) is ConditionSyntaxError
    assert (back.offset, back.length, back.problems) == (4, 2, syntax.problems)
    assert str(back) == str(syntax)
