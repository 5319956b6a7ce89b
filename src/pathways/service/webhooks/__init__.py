"""Webhooks from the store's outbox: each event the outbox carries is sent to the subscriptions
of the agencies allowed to see it, signed with the Standard Webhooks scheme, retried with
exponential back-off and jitter, every attempt recorded, and failed deliveries kept in a
dead-letter list an operator replays.

```text
signing.py     whsec_ secrets; webhook-id, webhook-timestamp, webhook-signature (v1, HMAC-SHA256)
targets.py     which URLs may be called: https, and no private or loopback address (SSRF)
sender.py      one bounded POST with the standard library: timeouts, no redirects followed
payloads.py    an event as the subscribing agency may see it; which subscriptions get it
dispatcher.py  the consumer of the outbox group `webhooks`, in each worker; retries, replays
subscribe.py   adding, listing and removing subscriptions (`pathways serve webhooks ...`)
```

See docs/service.md, "Webhooks", for subscribing, verifying a signature, retries and replay.
"""

__all__: list[str] = []
