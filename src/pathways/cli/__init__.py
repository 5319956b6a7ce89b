"""The `pathways` command: thin subcommands over the public API, one module each.

Exit status: 0 when all is well, 1 when a pathway (or scenario) has problems, 2 for a usage
error (a missing file, a bad option). Each subcommand module has `register(subparsers)`,
which adds its parser and sets `run(args) -> int` as the handler.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from pathways.cli import (
    check,
    db,
    diagram,
    diff,
    init,
    report,
    schema,
    show,
    simulate,
    test,
    validate,
)

__all__ = ["main"]

_COMMANDS = (validate, check, show, schema, init, simulate, db, diagram, test, diff, report)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(
        prog="pathways",
        description="Write, check and run modern slavery referral pathways.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`pathways show ... | head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    return status
