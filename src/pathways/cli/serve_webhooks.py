"""`pathways serve webhooks add|list|remove|deliveries|replay`: an operator's webhook commands.

```text
pathways serve webhooks add --agency hull-city-council --url https://cms.example/hooks \\
    --events handoff,accepted            # prints the signing secret, once
pathways serve webhooks list [--agency X]
pathways serve webhooks remove SUB_ID
pathways serve webhooks deliveries [--dead] [--case REF]
pathways serve webhooks replay MSG_ID... | --dead [--case REF]
```

They open the store named by `--db` (or the configuration), as the service does. `replay`
sends each delivery once more now and records the attempt; exit status 1 if any failed.
"""

from __future__ import annotations

import argparse
from typing import Any

from pathways.cli._common import OK, PROBLEMS, USAGE, say, show
from pathways.errors import PathwayError

__all__ = ["register_options", "run_webhooks"]

_WORDS = (
    "'webhooks add --agency X --url URL [--events K,K]', 'webhooks list', 'webhooks remove ID', "
    "'webhooks deliveries' or 'webhooks replay ID...|--dead'"
)


def register_options(parser: argparse.ArgumentParser) -> None:
    """The options of the webhook commands, on `pathways serve`'s parser."""
    parser.add_argument("--url", help="webhooks add: the endpoint the events are sent to")
    parser.add_argument(
        "--events",
        action="append",
        default=[],
        metavar="KINDS",
        help="webhooks add: the kinds of event to send, comma-separated (default: every kind)",
    )
    parser.add_argument(
        "--dead", action="store_true", help="webhooks deliveries|replay: the dead-letter list"
    )
    parser.add_argument("--case", metavar="REF", help="webhooks deliveries|replay: one journey")


def run_webhooks(args: argparse.Namespace, config: Any) -> int:
    """Run `pathways serve webhooks ...` with the service's configuration."""
    from pathways.service.webhooks import subscribe
    from pathways.service.webhooks.dispatcher import Dispatcher
    from pathways.store import JourneyStore

    words = args.keys_command[1:]
    try:
        with JourneyStore(config.db, prefix=config.prefix) as store:
            dispatcher = Dispatcher(
                store,
                retries=config.webhooks.retries,
                timeout=config.webhooks.timeout,
                allow_private=config.webhooks.private,
            )
            records = dispatcher.records
            if words == ["add"] and args.agency and args.url:
                made, secret = subscribe.add(
                    records,
                    args.agency,
                    args.url,
                    args.events,
                    allow_private=config.webhooks.private,
                )
                show(secret)
                say(f"subscription {made.id} for {made.agency}: the secret is shown once")
                return OK
            if words == ["list"]:
                for s in records.subscriptions(args.agency, active=False):
                    show(f"{s.id}  {s.agency}  {s.state}  {','.join(s.events) or '*'}  {s.url}")
                return OK
            if len(words) == 2 and words[0] == "remove":
                records.set_state(words[1], "removed")
                say(f"subscription {words[1]} removed")
                return OK
            if words == ["deliveries"]:
                state = "dead" if args.dead else None
                for d in records.deliveries(state=state, case_ref=args.case):
                    show(f"{d.id}  {d.state}  {d.attempts}  {d.case_ref}  {d.seq}  {d.kind}")
                return OK
            if words[:1] == ["replay"] and (args.dead or len(words) > 1):
                return _replay(dispatcher, words[1:], args)
    except PathwayError as exc:
        say(f"pathways serve webhooks: {exc}")
        return USAGE
    say(f"pathways serve: expected {_WORDS}")
    return USAGE


def _replay(dispatcher: Any, ids: list[str], args: argparse.Namespace) -> int:
    records = dispatcher.records
    if ids:
        chosen = records.deliveries(ids=ids, case_ref=args.case)
        missing = set(ids) - {d.id for d in chosen}
        if missing:
            say(f"pathways serve webhooks: no delivery {', '.join(sorted(missing))}")
            return USAGE
    else:
        chosen = records.deliveries(state="dead", case_ref=args.case)
    failed = 0
    for delivery in dispatcher.replay(chosen):
        show(f"{delivery.id}  {delivery.state}  {delivery.attempts}")
        failed += delivery.state != "delivered"
    say(f"{len(chosen)} replayed, {failed} not delivered")
    return PROBLEMS if failed else OK
