"""The definition language: what a forum lead writes, read safely and checked.

`yaml_reader` reads YAML with positions, `messages` turns validation failures into problems a
forum lead can act on, `profiles` numbers every kind of victim, `conditions` is the safe
condition language, `schema` the typed model of a pathway file, `references` checks that every
name resolves, `extends` lays an area's file over its base, and `loader` ties them together.
Nothing here knows about journeys, stores or simulations.
"""

__all__: list[str] = []
