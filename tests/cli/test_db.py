"""`pathways db current|history|upgrade|downgrade|verify` on SQLite, and the stock `alembic`
command on the shipped migrations (given a URL on its command line or in an alembic.ini)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pathways.cli import main
from pathways.store.migrations import current, head, history

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cases.sqlite3'}"


def test_current_upgrade_downgrade_and_verify(
    url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for action in ("current", "verify", "history"):
        assert main(["db", action, url]) == 2  # a missing file is not created
        assert "no such database file" in capsys.readouterr().err
    assert not (tmp_path / "cases.sqlite3").exists()
    (tmp_path / "cases.sqlite3").touch()
    assert main(["db", "current", url]) == 1  # no store yet: behind the newest revision
    assert "no journey store" in capsys.readouterr().out
    assert main(["db", "upgrade", url]) == 0
    assert capsys.readouterr().out == f"upgraded from an empty database to revision {head()}\n"
    assert main(["db", "current", url]) == 0
    assert capsys.readouterr().out == f"{head()} (head)\n"
    assert main(["db", "verify", url, "-q"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    # with no audit key, even -q says the record is not protected
    assert "NOT protected against anyone with access to the database" in err
    assert main(["db", "downgrade", url, "base"]) == 0
    assert capsys.readouterr().out == f"downgraded from {head()} to revision base (no tables)\n"
    assert current(url) is None


def test_history_lists_every_revision_and_marks_the_store(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "history"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(history())
    assert lines[0].startswith(f"{history()[0].down or 'base'} -> {head()} (head): ")
    main(["db", "upgrade", url, "-q"])
    assert main(["db", "history", url]) == 0
    assert f"{head()} (head, current)" in capsys.readouterr().out


def test_a_revision_that_does_not_exist_is_a_usage_error(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["db", "upgrade", url, "-q"])
    assert main(["db", "downgrade", url, "nope"]) == 2
    captured = capsys.readouterr()
    assert "no revision 'nope'" in captured.err
    assert current(url) == head()


def _alembic(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
    }
    return subprocess.run(
        [sys.executable, "-m", "alembic", *args], cwd=cwd, env=env, capture_output=True, text=True
    )


def test_the_stock_alembic_command_with_a_url_on_its_command_line(tmp_path: Path, url: str) -> None:
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = pathways.store:migrations\n"
    )
    done = _alembic(tmp_path, "-x", f"url={url}", "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert current(url) == head()
    done = _alembic(tmp_path, "-x", f"url={url}", "-x", "prefix=other_", "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert current(url, "other_") == head()
    done = _alembic(tmp_path, "-x", f"url={url}", "current")
    assert f"{head()} (head)" in done.stdout
    done = _alembic(tmp_path, "-x", f"url={url}", "downgrade", "base")
    assert done.returncode == 0, done.stderr
    assert current(url) is None
    assert current(url, "other_") == head()


def test_the_stock_alembic_command_with_the_url_in_alembic_ini(tmp_path: Path, url: str) -> None:
    migrations = SRC / "pathways" / "store" / "migrations"
    (tmp_path / "alembic.ini").write_text(
        f"[alembic]\nscript_location = {migrations}\nsqlalchemy.url = {url}\n"
    )
    done = _alembic(tmp_path, "upgrade", "head")
    assert done.returncode == 0, done.stderr
    assert current(url) == head()


def test_the_stock_alembic_command_without_a_url_says_how_to_give_one(tmp_path: Path) -> None:
    (tmp_path / "alembic.ini").write_text(
        "[alembic]\nscript_location = pathways.store:migrations\n"
    )
    done = _alembic(tmp_path, "upgrade", "head")
    assert done.returncode != 0
    assert "-x url=URL" in done.stderr
