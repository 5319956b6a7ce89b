"""The definition language: what a forum lead writes, read safely and checked.

`yaml_reader` reads YAML (building the tree with `tree_builder` and reading plain values by the
rules of `scalars`) into `located` data that knows where each key and value is written;
`messages` turns validation failures into problems a forum lead can act on, `profiles` numbers
every kind of victim, `conditions` is the safe condition language (read by `condition_parser`),
`schema` the typed model of a pathway file (with time limits in `durations` and the national
words of `vocabulary`), `references` checks that every name resolves (with `resolver`,
`handoff_references` and `bindings`), `extends` lays an area's file over its base (found by
`bases`, which scenario files share), and `loader` ties them together.
Nothing here knows about journeys, stores or simulations.
"""

__all__: list[str] = []
