"""The journey runtime: what a case system runs.

`guards` are the pathway's rules without a state machine, `compiler` builds the one shared
`transitions` machine, `journey` moves one victim's journey along (`journey_queries`: what it
is now and what can be done), `opening` starts, binds and replays journeys, `events` and
`snapshots` are what gets stored, `deadlines` and `working_days` work out time limits.
"""

__all__: list[str] = []
