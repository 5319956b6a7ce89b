"""`pathways serve` as a real process on loopback: keys from the command line, the curl examples
of docs/service.md, structured logs, and a graceful stop on SIGTERM."""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from paths import HULL, ROOT

DOCS = ROOT / "docs" / "service.md"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _command(*args: str) -> list[str]:
    return [sys.executable, "-c", "from pathways.cli import main; raise SystemExit(main())", *args]


def _wait(url: str, seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:  # loopback
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the service did not answer {url} within {seconds} s")


def _curl_commands() -> list[str]:
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", text, re.DOTALL)
    return [
        c.strip()
        for block in blocks
        for c in block.replace("\\\n", " ").splitlines()
        if c.strip().startswith("curl")
    ]


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_the_documented_curl_examples_work_and_sigterm_stops_it_cleanly(tmp_path: Path) -> None:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    keys = str(tmp_path / "keys.json")
    made = subprocess.run(
        _command("serve", "keys", "add", "--agency", "hull-city-council", "--keys", keys),
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    key = made.stdout.strip()
    assert key.startswith("pw_")
    port = _free_port()
    server = subprocess.Popen(
        _command(
            "serve",
            "--port",
            str(port),
            "--db",
            f"sqlite:///{tmp_path / 'j.db'}",
            "--pathway",
            str(HULL),
            "--keys",
            keys,
        ),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
        cwd=tmp_path,
    )
    try:
        _wait(f"http://127.0.0.1:{port}/ready")
        commands = _curl_commands()
        assert len(commands) == 6
        for command in commands:
            done = subprocess.run(
                ["bash", "-c", command],
                capture_output=True,
                text=True,
                timeout=30,
                env={**environment, "SERVICE": f"http://127.0.0.1:{port}", "KEY": key},
            )
            assert done.returncode == 0, (command, done.stdout, done.stderr)
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=60)
    # uvicorn finishes the requests in flight, then ends by the signal it was sent
    assert server.returncode in (0, -signal.SIGTERM), err
    assert '"path": "/journeys/HULL-0001/handoffs", "status": 200' in err
