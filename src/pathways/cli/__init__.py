"""The `pathways` command: thin subcommands over the public API, one module each.

Exit status, the same for every command: 0 when all is well, 1 when problems were found (in a
pathway, a scenario, a case test or a journey store), 2 for a usage error (a missing file, a
bad option, a database that cannot be used). Results go to standard output, everything else
to standard error. Each subcommand module has `register(subparsers)`, which adds its parser
and sets `run(args) -> int` as the handler.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from pathways import __version__

__all__ = ["build_parser", "main"]

# The subcommands in the order `pathways --help` lists them; each is the module
# `pathways.cli.<name>`, imported only when it is needed, so that `pathways validate` never
# loads what `pathways db` or `pathways report` needs (the database or drawing libraries).
_COMMANDS = (
    "validate",
    "check",
    "show",
    "schema",
    "init",
    "simulate",
    "sweep",
    "db",
    "worklist",
    "diagram",
    "explore",
    "test",
    "walk",
    "diff",
    "conform",
    "export",
    "report",
    "template",
    "import",
    "papers",
    "serve",
    "completion",
)
#: Commands whose module is not named as the command is (`import` is a Python keyword).
_MODULES = {"import": "import_journeys"}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: with `command`, only that subcommand's; otherwise every one."""
    parser = argparse.ArgumentParser(
        prog="pathways",
        description="Write, check and run modern slavery referral pathways.",
    )
    parser.add_argument("--version", action="version", version=f"pathways {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in _COMMANDS if command is None else (command,):
        importlib.import_module(f"pathways.cli.{_MODULES.get(name, name)}").register(subparsers)
    return parser


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand `argv` starts with, or None (no command, an option such as --help)."""
    if argv and argv[0] in _COMMANDS:
        return argv[0]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    given = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(_command_in(given))
    args = parser.parse_args(given)
    try:
        status: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`pathways show ... | head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status
