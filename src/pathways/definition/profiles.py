"""Every kind of victim a pathway can meet, numbered, so a set of them is one integer.

A pathway's profile is a few attributes, each with a few values (age group: adult or child;
consent: given or declined; ...). Their combinations are finite, so the checks can ask "which
victims?" of the whole population at once: profile number `i` is a mixed-radix number whose
digits are the attributes' value positions, and a set of profiles is an `int` bitmask with bit
`i` set for each member. Changing one attribute from one value to another then moves every
profile by the same distance, which makes profile changes (a child turning 18) a bit shift.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence

__all__ = ["MAX_PROFILES", "ProfileSpace", "Value", "parse_profile"]

Value = str | bool
MAX_PROFILES = 65_536


class ProfileSpace:
    """The victim profiles of one pathway and bitmask sets of them."""

    def __init__(self, attributes: Mapping[str, Sequence[Value]]) -> None:
        self.names: tuple[str, ...] = tuple(attributes)
        self.domains: dict[str, tuple[Value, ...]] = {n: tuple(v) for n, v in attributes.items()}
        strides: dict[str, int] = {}
        size = 1
        for name in self.names:
            strides[name] = size
            size *= max(len(self.domains[name]), 1)
            if size > MAX_PROFILES:
                raise ValueError(f"the profile has more than {MAX_PROFILES:,} combinations")
        self.strides = strides
        self.size = size
        self.all_mask = (1 << size) - 1
        self._where: dict[tuple[str, Value], int] = {}
        for name in self.names:
            for position, value in enumerate(self.domains[name]):
                self._where[(name, value)] = self._slice(name, position)

    def _slice(self, name: str, position: int) -> int:
        """The mask of profiles whose digit for `name` is `position`."""
        stride, radix = self.strides[name], len(self.domains[name])
        block = ((1 << stride) - 1) << (position * stride)
        period = stride * radix
        mask = 0
        for start in range(0, self.size, period):
            mask |= block << start
        return mask

    def __len__(self) -> int:
        return self.size

    def __repr__(self) -> str:
        return f"ProfileSpace({self.domains!r})"

    def profile(self, index: int) -> dict[str, Value]:
        """Profile number `index` as attribute values."""
        if not 0 <= index < self.size:
            raise IndexError(f"no profile number {index} (there are {self.size})")
        return {
            name: self.domains[name][(index // self.strides[name]) % len(self.domains[name])]
            for name in self.names
        }

    def index(self, profile: Mapping[str, Value]) -> int:
        """The number of a profile that gives one declared value for every attribute."""
        total = 0
        for name in self.names:
            value = profile[name]
            domain = self.domains[name]
            position = _position(domain, value)
            if position < 0:
                raise ValueError(f"'{value}' is not a value of {name}")
            total += position * self.strides[name]
        return total

    def mask_where(self, name: str, values: Value | Iterable[Value]) -> int:
        """The profiles whose `name` is `values` (one value or several); 0 for unknown ones."""
        wanted = (values,) if isinstance(values, str | bool) else tuple(values)
        mask = 0
        for value in wanted:
            for known in self.domains.get(name, ()):
                if known == value and type(known) is type(value):
                    mask |= self._where[(name, known)]
        return mask

    def profiles(self, mask: int) -> Iterator[dict[str, Value]]:
        """The profiles in `mask`, in number order."""
        mask &= self.all_mask
        while mask:
            low = mask & -mask
            yield self.profile(low.bit_length() - 1)
            mask ^= low

    def count(self, mask: int) -> int:
        """How many profiles are in `mask`."""
        return (mask & self.all_mask).bit_count()

    def describe(self, mask: int) -> str:
        """The profiles in `mask` in plain words, as few phrases as the set allows.

        For example "age group adult and consent declined; or age group child". Attributes
        that do not matter to a phrase are left out; the whole space is "any victim"; the empty
        set is "no victim".
        """
        mask &= self.all_mask
        if mask == self.all_mask:
            return "any victim"
        if not mask:
            return "no victim"
        phrases = [self._phrase(cube) for cube in self.cover(mask)]
        return "; or ".join(phrases)

    def cover(self, mask: int) -> list[dict[str, tuple[Value, ...]]]:
        """Products of value sets (one set per attribute) whose union is exactly `mask`.

        Greedy: each grows from the lowest profile left, one value at a time, while it stays
        inside `mask`. Not always the fewest, but always exact.
        """
        left = mask
        cubes: list[dict[str, tuple[Value, ...]]] = []
        while left:
            seed = self.profile((left & -left).bit_length() - 1)
            cube: dict[str, tuple[Value, ...]] = {name: (seed[name],) for name in self.names}
            for name in self.names:
                for value in self.domains[name]:
                    if value in cube[name]:
                        continue
                    trial = {**cube, name: (*cube[name], value)}
                    if self._cube_mask(trial) & ~mask == 0:
                        cube = trial
            cubes.append(cube)
            left &= ~self._cube_mask(cube)
        return cubes

    def _cube_mask(self, cube: Mapping[str, Sequence[Value]]) -> int:
        mask = self.all_mask
        for name, values in cube.items():
            mask &= self.mask_where(name, values)
        return mask

    def _phrase(self, cube: Mapping[str, Sequence[Value]]) -> str:
        parts = []
        for name in self.names:
            values = cube[name]
            if len(values) == len(self.domains[name]):
                continue
            parts.append(describe_values(name, self.domains[name], values))
        return " and ".join(parts) if parts else "any victim"


def describe_values(name: str, domain: Sequence[Value], values: Sequence[Value]) -> str:
    """`consent declined`, `age group adult or child`, `needs accommodation` / `not ...`."""
    words = name.replace("_", " ").replace("-", " ")
    if set(domain) == {False, True} and len(values) == 1:
        return words if values[0] is True else f"not {words}"
    listed = " or ".join(str(v) for v in values)
    return f"{words} {listed}"


def _position(domain: Sequence[Value], value: Value) -> int:
    for position, known in enumerate(domain):
        if known == value and type(known) is type(value):
            return position
    return -1


def parse_profile(space: ProfileSpace, text: str) -> dict[str, Value]:
    """The attribute values written as "attr=value,attr=value" (`--profile` on the command line).

    Flags take true/false (or yes/no). Attributes left out are left out. Raises `ValueError`
    naming the attribute or value and what was expected.
    """
    found: dict[str, Value] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, written = (piece.strip() for piece in part.partition("="))
        if not sep or not name or not written:
            raise ValueError(f"'{part.strip()}' is not attribute=value (for example consent=given)")
        domain = space.domains.get(name)
        if domain is None:
            known = ", ".join(space.names) or "none are declared"
            raise ValueError(f"'{name}' is not a profile attribute (expected one of: {known})")
        value = _written(written, domain)
        if value is None:
            choices = ", ".join(str(v).lower() for v in domain)
            raise ValueError(f"{name} has no value '{written}' (expected one of: {choices})")
        found[name] = value
    return found


def _written(text: str, domain: Sequence[Value]) -> Value | None:
    if set(domain) == {False, True}:
        return {"true": True, "yes": True, "false": False, "no": False}.get(text.lower())
    return text if text in domain else None
