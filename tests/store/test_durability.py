"""A store that never lies about durability (issue 14), through the public API.

One test per hole: a SQLite file deleted or replaced while the store is open; files readable
by anyone; a case reference or idempotency key with a trailing newline; a read-only database
that could not be read; driver exceptions escaping as something other than `PathwayError`; a
database URL's password in a message. On SQLite and, where it applies, PostgreSQL.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from pathways.cli import main
from pathways.errors import (
    DatabaseFailure,
    DatabaseFileLost,
    InvalidCaseReference,
    InvalidRequest,
    InvalidTime,
    PathwayError,
    ReadOnlyStore,
    StoreError,
)
from pathways.runtime.opening import start
from pathways.store import JourneyStore, create_engine, retry, scan
from pathways.store.migrations import current
from store import helpers
from store.helpers import ADULT, MONDAY, PATHWAY, Database, compiled_v1

NAIVE = MONDAY.replace(tzinfo=None)
SECRET = "s3cret-pw-41"


def opened(path: Path) -> JourneyStore:
    """A store on `path` with one journey, changed once (so the fast path holds a connection)."""
    store = JourneyStore(f"sqlite:///{path}", pathways=[compiled_v1()])
    store.create("X-1", ADULT, at=MONDAY, by="council")
    store.handoff("X-1", "assess", by="council", at=MONDAY)
    return store


# A deleted or replaced file


@pytest.mark.parametrize("files", ["the file", "the file, its -wal and its -shm"])
def test_deleting_the_open_file_makes_every_later_change_fail(tmp_path: Path, files: str) -> None:
    path = tmp_path / "cases.sqlite3"
    store = opened(path)
    path.unlink()
    if "-wal" in files:
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink()
    with pytest.raises(DatabaseFileLost, match="deleted or replaced"):
        store.handoff("X-1", "reconsider", by="council", at=MONDAY)
    for change in (
        lambda: store.handoff("X-1", "reconsider", by="council", at=MONDAY),
        lambda: store.tick("X-1", MONDAY, key="tick-1"),
        lambda: store.create("X-2", ADULT, at=MONDAY, by="council"),
    ):
        with pytest.raises(DatabaseFileLost):
            change()
    store.close()
    assert not path.exists()  # and nothing was created in its place


def test_deleting_the_file_is_caught_on_the_sqlalchemy_path_too(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite3"
    store = JourneyStore(f"sqlite:///{path}", pathways=[compiled_v1()])
    store.create("X-1", ADULT, at=MONDAY, by="council")  # a pooled connection is open
    path.unlink()
    with pytest.raises(DatabaseFileLost):
        store.create("X-2", ADULT, at=MONDAY, by="council")
    store.close()


def test_replacing_the_open_file_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite3"
    store = opened(path)
    copy = tmp_path / "copy.sqlite3"
    with sqlite3.connect(path) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.replace(copy, path)  # the same journeys, but another file
    with pytest.raises(DatabaseFileLost):
        store.handoff("X-1", "reconsider", by="council", at=MONDAY)
    with pytest.raises(DatabaseFileLost):
        store.create("X-2", ADULT, at=MONDAY, by="council")
    store.close()


def test_changes_while_the_file_stays_are_stored(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite3"
    with opened(path) as store:
        for number in range(30):
            store.handoff("X-1", "assess" if number % 2 else "reconsider", by="council",
                          at=MONDAY)  # fmt: skip
    with JourneyStore(f"sqlite:///{path}", read_only=True) as again:
        assert again.revision("X-1") == 32


# Private files


def test_new_files_are_readable_by_their_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "cases.sqlite3"
        store = opened(path)
        modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in tmp_path.iterdir()}
        store.close()
    finally:
        os.umask(old)
    assert modes == {
        "cases.sqlite3": 0o600,
        "cases.sqlite3-wal": 0o600,
        "cases.sqlite3-shm": 0o600,
    }


def test_the_command_line_creates_private_files_too(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite3"
    assert main(["db", "upgrade", f"sqlite:///{path}"]) == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


# A trailing newline


def test_a_trailing_newline_is_no_case_reference(store: JourneyStore) -> None:
    store.create("X-1", ADULT, at=MONDAY, by="council")
    with pytest.raises(InvalidCaseReference):
        store.create("X-1\n", ADULT, at=MONDAY, by="council")
    with pytest.raises(InvalidCaseReference):
        start(compiled_v1(), "X-1\n", ADULT, MONDAY, "council")
    for read in (store.load, store.draft, store.revision, store.events, store.verify):
        with pytest.raises(InvalidCaseReference):
            read("X-1\n")
    with pytest.raises(InvalidCaseReference):
        store.handoff("X-1\n", "assess", by="council", at=MONDAY)
    assert store.find().case_refs == ("X-1",)


def test_a_trailing_newline_is_no_idempotency_key(store: JourneyStore) -> None:
    store.create("X-1", ADULT, at=MONDAY, by="council", key="open-1")
    with pytest.raises(InvalidRequest, match="idempotency key"):
        store.create("X-2", ADULT, at=MONDAY, by="council", key="open-1\n")
    with pytest.raises(InvalidRequest, match="idempotency key"):
        store.handoff("X-1", "assess", by="council", at=MONDAY, key="move-1\n")
    assert store.find().case_refs == ("X-1",)
    assert store.revision("X-1") == 1


# Arguments checked before any query


class NoQueries:
    """An engine that fails the test if the store asks it anything."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the store used its engine ({name}) before checking arguments")


BAD_CALLS: list[tuple[str, Callable[[JourneyStore], object], type[PathwayError]]] = [
    ("case reference", lambda s: s.create("X 1", ADULT, at=MONDAY, by="council"),
     InvalidCaseReference),
    ("naive time", lambda s: s.create("X-2", ADULT, at=NAIVE, by="council"), InvalidTime),
    ("key", lambda s: s.handoff("X-1", "assess", by="council", at=MONDAY, key="k\n"),
     InvalidRequest),
    ("handoff time", lambda s: s.handoff("X-1", "assess", by="council", at=NAIVE), InvalidTime),
    ("tick time", lambda s: s.tick("X-1", NAIVE), InvalidTime),
    ("surrogate", lambda s: s.load("\ud800"), InvalidCaseReference),
    ("limit", lambda s: s.find(limit=0), InvalidRequest),
    ("stage surrogate", lambda s: s.find(stage="\ud800"), InvalidRequest),
    ("stage NUL", lambda s: s.find(stage="a\x00b"), InvalidRequest),
    ("opened naive", lambda s: s.find(opened=(NAIVE, NAIVE)), InvalidTime),
    ("overdue naive", lambda s: s.overdue(NAIVE), InvalidTime),
    ("timeouts naive", lambda s: s.timeouts_due(NAIVE), InvalidTime),
    ("after NUL", lambda s: s.case_refs(after="\x00"), InvalidRequest),
]  # fmt: skip


@pytest.mark.parametrize(("what", "call", "error"), BAD_CALLS, ids=[c[0] for c in BAD_CALLS])
def test_arguments_are_checked_before_any_query(
    store: JourneyStore,
    monkeypatch: pytest.MonkeyPatch,
    what: str,
    call: Callable[[JourneyStore], object],
    error: type[PathwayError],
) -> None:
    store.create("X-1", ADULT, at=MONDAY, by="council")
    monkeypatch.setattr(store, "engine", NoQueries())
    monkeypatch.setattr(store, "writer", NoQueries())
    monkeypatch.setattr(store, "fast", NoQueries())
    with pytest.raises(error):
        call(store)


# Driver exceptions


@pytest.mark.parametrize("what", ["surrogate", "NUL", "naive"])
def test_bad_values_were_driver_errors_and_are_store_errors_now(
    store: JourneyStore, what: str
) -> None:
    # Before: UnicodeEncodeError (SQLite), DataError (PostgreSQL), StatementError (both).
    call = {
        "surrogate": lambda: store.find(area="\ud800"),
        "NUL": lambda: store.find(pathway="a\x00"),
        "naive": lambda: store.find(closed=(NAIVE, MONDAY)),
    }[what]
    with pytest.raises(PathwayError):
        call()


def test_a_plain_value_error_is_a_store_error_now() -> None:
    with pytest.raises(InvalidRequest):
        retry(lambda: None, attempts=0)
    with pytest.raises(InvalidRequest):
        JourneyStore("sqlite://", prefix="Not A Prefix")


def test_a_failing_database_names_the_operation(database: Database, store: JourneyStore) -> None:
    store.create("X-1", ADULT, at=MONDAY, by="council")
    engine = create_engine(database.url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {database.prefix}requests"))
    engine.dispose()
    with pytest.raises(DatabaseFailure) as caught:
        store.handoff("X-1", "assess", by="council", at=MONDAY, key="move-1")
    assert caught.value.operation == "handoff"
    assert "handoff" in str(caught.value)
    with engine.begin() as conn:
        conn.execute(text(f"DROP TABLE {database.prefix}events"))
    engine.dispose()
    with pytest.raises(DatabaseFailure) as caught:
        store.events("X-1")
    assert caught.value.operation == "events"
    assert isinstance(caught.value.__cause__, Exception)


# Read-only


def read_only_copy(source: Path) -> Iterator[Path]:
    """A copy of `source` (closed cleanly), mode 0444, in a folder of mode 0555 that anyone may
    enter (so a process of another user can read it); made writable again afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="pathways-ro-"))
    copy = folder / "cases.sqlite3"
    shutil.copyfile(source, copy)
    copy.chmod(0o444)
    folder.chmod(0o555)
    try:
        yield copy
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


@pytest.fixture
def copy(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "cases.sqlite3"
    with opened(path) as store:
        store.create("X-2", ADULT, at=MONDAY, by="council")
    yield from read_only_copy(path)


def fingerprint(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def read_everything(path: Path) -> tuple[str, ...]:
    """Read through a read-only store; check that every change is refused."""
    with JourneyStore(f"sqlite:///{path}", pathways=[compiled_v1()], read_only=True) as store:
        assert store.load("X-1").stage == "assessment"
        assert len(store.verify("X-1")) == 2
        assert list(scan(store)) == []
        with pytest.raises(ReadOnlyStore):
            store.handoff("X-1", "reconsider", by="council", at=MONDAY)
        with pytest.raises(ReadOnlyStore):
            store.create("X-3", ADULT, at=MONDAY, by="council")
        return store.find().case_refs


def test_a_read_only_copy_can_be_read(copy: Path) -> None:
    before = fingerprint(copy.parent)
    assert read_everything(copy) == ("X-1", "X-2")
    assert fingerprint(copy.parent) == before  # nothing written, nothing created beside it


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to drop privileges")
def test_a_read_only_copy_can_be_read_by_a_user_who_cannot_write_it(copy: Path) -> None:
    read_everything(copy)  # imports everything the child needs before it may not read them
    if os.geteuid() != 0:
        return  # the copy is read-only for us already: the test above is the test
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover (the child reports through the pipe)
        os.close(reader)
        try:
            os.setgid(65534)
            os.setuid(65534)  # nobody: the file and its folder cannot be written
            found = ",".join(read_everything(copy))
        except BaseException as exc:
            found = f"{type(exc).__name__}: {exc}"
        os.write(writer, found.encode())
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as pipe:
        found = pipe.read().decode()
    os.waitpid(child, 0)
    assert found == "X-1,X-2"


def test_a_read_only_store_does_not_register_a_new_version(copy: Path) -> None:
    other = compiled_v1().pathway.model_copy(update={"version": "9"})
    with pytest.raises(ReadOnlyStore):
        JourneyStore(f"sqlite:///{copy}", pathways=[other], read_only=True)


def test_the_board_report_is_made_from_a_read_only_copy(
    copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = tmp_path / "library" / "test"
    library.mkdir(parents=True)
    (library / "store.yaml").write_text(PATHWAY, encoding="utf-8")
    before = fingerprint(copy.parent)
    out = tmp_path / "report.html"
    args = ["report", str(library / "store.yaml"), "--db", f"sqlite:///{copy}"]
    assert main([*args, "--period", "2025Q1", "-o", str(out), "--no-diagram"]) == 0
    assert "board report for 2025Q1" in capsys.readouterr().err
    assert out.exists()
    assert fingerprint(copy.parent) == before
    assert main(["db", "verify", f"sqlite:///{copy}"]) == 0
    assert "ok: 2 journey(s) verified" in capsys.readouterr().out


@pytest.mark.postgres
def test_a_read_only_store_on_postgresql_writes_nothing() -> None:
    url = helpers.postgres_url()
    prefix = f"ro{uuid.uuid4().hex[:12]}_"
    try:
        with JourneyStore(url, pathways=[compiled_v1()], prefix=prefix) as writer:
            writer.create("X-1", ADULT, at=MONDAY, by="council")
        with JourneyStore(url, prefix=prefix, read_only=True) as reader:
            assert reader.load("X-1").stage == "identified"
            with pytest.raises(ReadOnlyStore):
                reader.handoff("X-1", "assess", by="council", at=MONDAY)
            refused = pytest.raises(Exception, match="read-only transaction")
            with refused, reader.engine.begin() as conn:
                conn.execute(text(f"DELETE FROM {prefix}requests"))
            assert reader.revision("X-1") == 1
    finally:
        helpers.drop_prefix(url, prefix)


# Passwords


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql+psycopg://cases:{SECRET}@127.0.0.1:1/cases",  # nobody listens on port 1
        f"postgresql://cases:{SECRET}@127.0.0.1:notaport/cases",  # not a URL
        f"postgresql//cases:{SECRET}@127.0.0.1/cases",  # not a URL either
    ],
)
def test_no_message_shows_a_password(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(StoreError) as caught:
        JourneyStore(url)
    assert SECRET not in str(caught.value)
    with pytest.raises(StoreError) as caught:
        current(url)
    assert SECRET not in str(caught.value)
    pathway = tmp_path / "test" / "store.yaml"
    pathway.parent.mkdir()
    pathway.write_text(PATHWAY, encoding="utf-8")
    out = str(tmp_path / "r.html")
    assert main(["report", str(pathway), "--db", url, "--period", "2025Q1", "--out", out]) == 2
    assert main(["db", "verify", url]) == 2
    assert main(["db", "upgrade", url]) == 2
    shown = capsys.readouterr()
    assert SECRET not in shown.out + shown.err
