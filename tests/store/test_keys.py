"""Audit keys from a file or the environment, and the commands that use them."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.errors import AuditKeyError
from pathways.runtime.compiler import CompiledPathway
from pathways.store import AuditKey, AuditKeys, JourneyStore, audit_keys, check_database
from pathways.store.keys import FILE_VARIABLE, KEY_VARIABLE
from store.helpers import CHILD, MONDAY, Database

A = "a" * 40
B = "b" * 64


def test_a_key_file_lists_keys_oldest_first_and_the_last_signs(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"# audit keys\n\n2026-01 {A}\n2026-07   {B}\n")
    keys = audit_keys(path)
    assert keys is not None
    assert keys.ids == ("2026-01", "2026-07")
    assert keys.current.id == "2026-07"
    assert keys.secret("2026-01") == A.encode()
    assert keys.secret(None) is None
    assert B not in repr(keys)
    assert B not in repr(keys.current)


def test_the_environment_gives_a_file_or_the_keys(tmp_path: Path) -> None:
    path = tmp_path / "keys"
    path.write_text(f"f1 {A}\n")
    from_file = audit_keys(environ={FILE_VARIABLE: str(path), KEY_VARIABLE: f"e1 {B}"})
    assert from_file is not None
    assert from_file.ids == ("f1",)
    from_text = audit_keys(environ={KEY_VARIABLE: f"e1 {A}; e2 {B}"})
    assert from_text is not None
    assert (from_text.ids, from_text.current.id) == (("e1", "e2"), "e2")
    assert audit_keys(environ={}) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no audit key in it"),
        (f"k1 {A} extra", "entry 1 is not '<key id> <secret>'"),
        ("k1 short", "shorter than 32 characters"),
        (f"-bad {A}", "is not allowed"),
        (f"k1 {A}\nk1 {B}", "listed twice with different secrets"),
    ],
)
def test_a_bad_key_file_is_refused_saying_why(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "keys"
    path.write_text(text)
    with pytest.raises(AuditKeyError, match=message):
        audit_keys(path)


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(AuditKeyError, match="cannot read the audit key file"):
        audit_keys(tmp_path / "nowhere")
    with pytest.raises(AuditKeyError, match="not among the keys given"):
        AuditKeys([AuditKey("k1", A.encode())]).secret("k0")


def test_a_store_with_no_key_warns_that_the_record_is_not_protected(
    database: Database, compiled: CompiledPathway, caplog: pytest.LogCaptureFixture
) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="pathways.store"),
        JourneyStore(database.url, pathways=[compiled], prefix=database.prefix),
    ):
        pass
    assert "NOT a rewrite by anyone with access to the database" in caplog.text


def test_new_key_prints_a_line_for_the_key_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "new-key", "2026-12"]) == 0
    line = capsys.readouterr().out
    path = tmp_path / "keys"
    path.write_text(line)
    keys = audit_keys(path)
    assert keys is not None
    assert keys.current.id == "2026-12"
    assert len(keys.current.secret) == 64
    assert main(["db", "new-key", "2026-12"]) == 0
    assert capsys.readouterr().out != line  # a new secret each time


def test_rekey_and_late_on_the_command_line(
    database: Database,
    compiled: CompiledPathway,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with JourneyStore(database.url, pathways=[compiled], prefix=database.prefix) as store:
        store.create("CL-1", CHILD, at=MONDAY, by="council", staff="sw-3")
        store.create("CL-2", CHILD, at=datetime.now(UTC) - timedelta(minutes=1), by="council")
    keys = tmp_path / "keys"
    keys.write_text(f"k1 {A}\n")
    db = [database.url, "--prefix", database.prefix]
    assert main(["db", "rekey", *db]) == 2  # no key given
    assert "this needs the audit key" in capsys.readouterr().err
    assert main(["db", "rekey", *db, "--audit-key-file", str(keys)]) == 0
    assert "2 journey(s) moved to audit key k1; 0 refused" in capsys.readouterr().out
    with JourneyStore(database.url, prefix=database.prefix, audit_key=audit_keys(keys)) as store:
        assert check_database(store) == []
    assert main(["db", "late", *db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "case\tevent\twhat\tby\tstaff\tat\trecorded at\tlate by"
    assert out[1].startswith("CL-1\t0\tstarted\tcouncil\tsw-3\t2025-03-03T09:00:00+00:00\t")
    assert out[2] == "1 event(s) recorded more than 24 hours after their time"
    assert main(["db", "late", *db, "--hours", "0.001", "-q"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3  # the header and both journeys
    assert main(["db", "late", *db, "--agency", "charity"]) == 0
    assert "no event recorded more than 24 hours" in capsys.readouterr().out
