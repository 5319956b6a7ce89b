"""`pathways schema`: every bundled file passes check-jsonschema, and a real editor agrees.

The editor is the YAML language server that VS Code's YAML extension runs (npm
`yaml-language-server`, installed into `.ci/node` by `.ci/run`), driven over stdio as an editor
would: with the schema associated in its settings, a bundled pathway shows no problems, keys
and enum values are completed, and a misspelt key is the one problem shown.
"""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bundled_files import ROOT, bundled
from pathways.cli import main
from pathways.cli.schema import KINDS, json_schema

SERVER = ROOT / ".ci" / "node" / "node_modules" / "yaml-language-server" / "bin"


def _write(kind: str, folder: Path) -> Path:
    target = folder / f"{kind}.schema.json"
    assert main(["schema", kind, "-o", str(target)]) == 0
    return target


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_check_jsonschema_accepts_every_bundled_file(kind: str, tmp_path: Path) -> None:
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test extra")
    files = bundled(kind)
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(_write(kind, tmp_path))]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "ok -- validation done" in run.stdout


def test_check_jsonschema_accepts_the_example_pathways(tmp_path: Path) -> None:
    """The tutorial's pathway and the valid pathways the golden tests extend or test."""
    pytest.importorskip("check_jsonschema", reason="check-jsonschema is in the test extra")
    tutorial = (ROOT / "docs" / "writing-a-pathway.md").read_text(encoding="utf-8")
    example = tmp_path / "small.yaml"
    example.write_text(max(re.findall(r"```yaml\n(.*?)```", tutorial, re.S), key=len))
    golden = ROOT / "tests" / "golden"
    files = [
        example,
        golden / "loader" / "base" / "national.yaml",
        golden / "loader" / "base" / "tracked.yaml",
        golden / "casetests" / "baseline" / "roles-only.yaml",
        golden / "casetests" / "example" / "small.yaml",
        golden / "casetests" / "plain" / "no-items.yaml",
    ]
    run = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(_write("pathway", tmp_path))]
        + [str(path) for path in files],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_the_default_kind_is_pathway(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == json_schema("pathway")


def _properties(schema: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property of every object in `schema`, with where it is (not the properties named
    in an object's own constraints, such as "not both `route` and `starts_with`")."""
    if isinstance(schema, dict):
        for name, value in schema.get("properties", {}).items():
            yield f"{path}.{name}", value
        constraints = ("anyOf", "oneOf", "not") if "properties" in schema else ()
        for key, value in schema.items():
            if key not in constraints:
                yield from _properties(value, f"{path}/{key}")
    elif isinstance(schema, list):
        for index, value in enumerate(schema):
            yield from _properties(value, f"{path}[{index}]")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_key_has_a_title_and_a_description(kind: str) -> None:
    schema = json_schema(kind)
    assert schema["$id"].endswith(f"/{kind}.schema.json")
    assert schema["title"]
    assert schema["description"]
    for where, prop in _properties(schema):
        if "$ref" in prop and len(prop) == 1:
            continue  # a reference only: the title and description are the model's
        assert prop.get("title"), f"{where} has no title"
        assert prop.get("description"), f"{where} has no description"
    for name, model in schema.get("$defs", {}).items():
        assert model.get("title"), f"$defs.{name} has no title"
        assert model.get("description"), f"$defs.{name} has no description"


class LanguageServer:
    """A YAML language server on stdio, spoken to in JSON-RPC as an editor does."""

    def __init__(self, command: list[str], settings: dict[str, Any]) -> None:
        self.settings = settings
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.diagnostics: dict[str, list[dict[str, Any]]] = {}
        self.next_id = 0
        self.last_message = time.monotonic()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while (line := stream.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            if not line:
                return
            self.messages.put(json.loads(stream.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: Any, timeout: float = 30) -> Any:
        self.next_id += 1
        wanted = self.next_id
        self.send({"id": wanted, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            message = self._handle(deadline)
            if message is not None and message.get("id") == wanted and "method" not in message:
                assert "error" not in message, message
                return message.get("result")
        raise AssertionError(f"no answer to {method} within {timeout} s")

    def _handle(self, deadline: float) -> dict[str, Any] | None:
        """Take one message: answer the server's requests, keep its diagnostics."""
        try:
            message = self.messages.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            return None
        self.last_message = time.monotonic()
        method = message.get("method")
        if method == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif method == "workspace/configuration":
            items = message["params"]["items"]
            answer = [self.settings if i.get("section") == "yaml" else None for i in items]
            self.send({"id": message["id"], "result": answer})
        elif method is not None and "id" in message:
            self.send({"id": message["id"], "result": None})
        return message

    def settle(self, uri: str, quiet: float = 3.0, timeout: float = 60) -> list[dict[str, Any]]:
        """The diagnostics of `uri` once the server has published some and gone quiet."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if uri in self.diagnostics and time.monotonic() - self.last_message > quiet:
                return self.diagnostics[uri]
            self._handle(min(deadline, time.monotonic() + 0.2))
        raise AssertionError(f"no diagnostics for {uri} within {timeout} s")

    def open(self, path: Path, text: str) -> str:
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.last_message = time.monotonic()  # its diagnostics are yet to come
        document = {"uri": uri, "languageId": "yaml", "version": 1, "text": text}
        self.notify("textDocument/didOpen", {"textDocument": document})
        return uri

    def complete(self, uri: str, line: int, character: int) -> set[str]:
        position = {"line": line, "character": character}
        result = self.request(
            "textDocument/completion", {"textDocument": {"uri": uri}, "position": position}
        )
        items = result["items"] if isinstance(result, dict) else result or []
        return {item["label"] for item in items}

    def close(self) -> None:
        try:
            self.request("shutdown", {}, timeout=10)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()


def _documented_settings() -> dict[str, Any]:
    """The `.vscode/settings.json` that docs/editors.md tells forum leads to write."""
    page = (ROOT / "docs" / "editors.md").read_text(encoding="utf-8")
    blocks = [json.loads(b) for b in re.findall(r"```json\n(.*?)```", page, re.DOTALL)]
    (settings,) = [b for b in blocks if "yaml.schemas" in b]
    return dict(settings)


@pytest.fixture
def language_server(tmp_path: Path) -> Iterator[tuple[LanguageServer, Path]]:
    """A YAML language server in a folder laid out as docs/editors.md says, with its settings."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the YAML language server needs it")
    if not (SERVER / "yaml-language-server").exists():
        pytest.skip("yaml-language-server is not installed: run .ci/run, or npm install it")
    for kind in KINDS:
        _write(kind, tmp_path / "schemas")
    documented = _documented_settings()
    settings = {key.removeprefix("yaml."): value for key, value in documented.items()}
    settings |= {"validate": True, "completion": True, "hover": True}
    settings["schemaStore"] = {"enable": False}  # no network in tests
    server = LanguageServer([node, str(SERVER / "yaml-language-server"), "--stdio"], settings)
    try:
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": tmp_path.as_uri(),
                "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": tmp_path.name}],
                "capabilities": {
                    "workspace": {"configuration": True, "workspaceFolders": True},
                    "textDocument": {"completion": {"completionItem": {"snippetSupport": True}}},
                },
            },
        )
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": {"yaml": settings}})
        yield server, tmp_path
    finally:
        server.close()


def _bundled_file(kind: str, name: str) -> Path:
    return next(path for path in bundled(kind) if path.name == name)


def test_the_yaml_language_server_agrees(language_server: tuple[LanguageServer, Path]) -> None:
    server, folder = language_server
    opened = {}
    for kind in KINDS:
        top = "scenarios" if kind == "scenario" else "pathways"
        for path in bundled(kind):
            place = folder / top / path.parent.name / path.name
            opened[server.open(place, path.read_text(encoding="utf-8"))] = (place, kind)
    for uri, (place, _) in opened.items():
        assert server.settle(uri) == [], place.relative_to(folder)
    for uri, (place, kind) in opened.items():
        # the settings gave the file the schema of its kind, and no other
        (schema,) = server.request("yaml/get/jsonSchema", uri)
        assert schema["uri"].endswith(f"/schemas/{kind}.schema.json"), (place, schema)

    text = _bundled_file("pathway", "hull.yaml").read_text(encoding="utf-8")
    assert "status: illustrative\n" in text
    misspelt = text.replace("status:", "stauts:", 1)
    uri = server.open(folder / "pathways" / "misspelt.yaml", misspelt)
    problems = server.settle(uri)
    assert len(problems) == 1, problems
    assert problems[0]["range"]["start"]["line"] == text.splitlines().index("status: illustrative")
    assert "stauts" in problems[0]["message"]

    new = server.open(folder / "pathways" / "new.yaml", "id: somewhere/new\n\n")
    assert {"title", "stages", "handoffs", "extends"} <= server.complete(new, 1, 0)
    kinds = server.open(folder / "pathways" / "kinds.yaml", "stages:\n  start:\n    kind: \n")
    assert {"identification", "outcome"} <= server.complete(kinds, 2, 10)


def test_the_modeline_works_outside_the_configured_folders(
    language_server: tuple[LanguageServer, Path],
) -> None:
    server, folder = language_server
    modeline = "# yaml-language-server: $schema=../schemas/pathway.schema.json\n"
    text = modeline + "id: elsewhere/draft\ntitle: A draft\narea: Testshire\nversion: '1'\n"
    good = server.open(folder / "elsewhere" / "draft.yaml", text)
    assert server.settle(good) == []
    bad = server.open(folder / "elsewhere" / "bad.yaml", text + "roles: {a b: {title: Police}}\n")
    (problem,) = server.settle(bad)
    assert problem["range"]["start"]["line"] == 5


def test_schema_is_json_schema_that_names_every_section(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    for key in ("id", "extends", "agencies", "profile", "stages", "handoffs", "replace"):
        assert key in schema["properties"]
