"""`pathways serve`: the journey service over HTTP; `pathways serve keys add|list|revoke`;
`pathways serve webhooks add|list|remove|deliveries|replay` (`.serve_webhooks`).

`pathways serve [--host H] [--port P] [--db URL] [--pathway FILE...] [--path DIR] [--config FILE]
[--workers N] [--keys FILE]` runs the service until stopped. `pathways serve keys add --agency X
[--staff REF]` prints a new key once (only its hash is kept); `keys list` shows the keys without
secrets; `keys revoke ID` stops one working. Exit status 0 when done, 2 for a usage error.
"""

from __future__ import annotations

import argparse
from typing import Any

from pathways.cli._common import OK, USAGE, say, show
from pathways.cli.serve_webhooks import register_options, run_webhooks

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the journey service over HTTP (and issue its API keys)",
        description="Run the journey service: the journey store over HTTP for case systems in "
        "any language (see docs/service.md). With 'keys add|list|revoke', manage the API keys "
        "that name each caller's agency; with 'webhooks add|list|remove|deliveries|replay', "
        "the webhook subscriptions and deliveries. Exit status 0 when done, 1 when a replay "
        "was not delivered, 2 for a usage error.",
    )
    parser.add_argument(
        "keys_command", nargs="*", metavar="keys ...|webhooks ...", help="see below"
    )
    parser.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, help="port (default 8000)")
    parser.add_argument("--db", help="the journey store's URL (default sqlite:///journeys.db)")
    parser.add_argument(
        "--pathway", action="append", default=[], metavar="FILE", help="a pathway to serve"
    )
    parser.add_argument("--path", action="append", default=[], metavar="DIR", help="library")
    parser.add_argument("--config", metavar="FILE", help="a service configuration file")
    parser.add_argument("--workers", type=int, help="worker processes (PostgreSQL only)")
    parser.add_argument("--keys", metavar="FILE", help="the key file (default keys.json)")
    parser.add_argument("--prefix", help="the store's table-name prefix (default pathways_)")
    parser.add_argument("--agency", help="keys add: the agency the key acts for")
    parser.add_argument("--staff", help="keys add: an opaque staff reference")
    register_options(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from pathways.service.server import load_config

    try:
        config = load_config(
            args.config,
            {
                "host": args.host,
                "port": args.port,
                "db": args.db,
                "pathways": tuple(args.pathway),
                "path": tuple(args.path),
                "workers": args.workers,
                "keys": args.keys,
                "prefix": args.prefix,
            },
        )
    except (OSError, ValueError) as exc:
        say(f"pathways serve: {exc}")
        return USAGE
    if args.keys_command[:1] == ["webhooks"]:
        return run_webhooks(args, config)
    if args.keys_command:
        return _keys(args, config.keys)
    if config.workers > 1 and config.db.startswith("sqlite"):
        say("pathways serve: several workers need PostgreSQL; SQLite serves one worker")
        return USAGE
    from pathways.service.server import run as serve

    serve(config)
    return OK


def _keys(args: argparse.Namespace, file: str) -> int:
    from pathways.service.keys import KeyFileError, KeyRing

    words = args.keys_command
    try:
        ring = KeyRing(file)
        if words == ["keys", "add"] and args.agency:
            credential, key = ring.add(args.agency, args.staff)
            show(key)
            say(f"key {credential.id} for {credential.agency}: shown once; keep it secret")
            return OK
        if words == ["keys", "list"]:
            for c in ring.keys.values():
                state = "revoked" if c.revoked else "active"
                show(f"{c.id}  {c.agency}  {c.staff or '-'}  {c.created}  {state}")
            return OK
        if len(words) == 3 and words[:2] == ["keys", "revoke"]:
            ring.revoke(words[2])
            say(f"key {words[2]} revoked")
            return OK
    except KeyFileError as exc:
        say(f"pathways serve keys: {exc}")
        return USAGE
    say("pathways serve: expected 'keys add --agency X', 'keys list' or 'keys revoke ID'")
    return USAGE
