"""The profile space: numbering every kind of victim, and sets of them as bitmasks."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pathways.definition.profiles import MAX_PROFILES, ProfileSpace


@st.composite
def spaces(draw: st.DrawFn) -> ProfileSpace:
    attributes: dict[str, tuple[str | bool, ...]] = {}
    for index in range(draw(st.integers(1, 4))):
        if draw(st.booleans()):
            attributes[f"flag{index}"] = (False, True)
        else:
            attributes[f"attr{index}"] = tuple(f"v{i}" for i in range(draw(st.integers(2, 4))))
    return ProfileSpace(attributes)


@given(spaces(), st.data())
def test_numbers_and_profiles_are_inverse(space: ProfileSpace, data: st.DataObject) -> None:
    index = data.draw(st.integers(0, space.size - 1))
    assert space.index(space.profile(index)) == index


@given(spaces())
def test_the_value_slices_of_an_attribute_partition_the_space(space: ProfileSpace) -> None:
    for name, domain in space.domains.items():
        slices = [space.mask_where(name, value) for value in domain]
        assert sum(space.count(s) for s in slices) == space.size
        union = 0
        for piece in slices:
            assert union & piece == 0
            union |= piece
        assert union == space.all_mask


@given(spaces(), st.data())
def test_changing_one_value_is_a_shift_of_its_slice(
    space: ProfileSpace, data: st.DataObject
) -> None:
    name = data.draw(st.sampled_from(space.names))
    before, after = data.draw(st.permutations(space.domains[name]))[:2]
    source, target = space.mask_where(name, before), space.mask_where(name, after)
    shift = (target & -target).bit_length() - (source & -source).bit_length()
    moved = source << shift if shift >= 0 else source >> -shift
    assert moved == target
    for profile in space.profiles(source):
        changed = {**profile, name: after}
        assert (moved >> space.index(changed)) & 1


@given(spaces(), st.data())
def test_the_cover_used_in_words_is_exactly_the_set(
    space: ProfileSpace, data: st.DataObject
) -> None:
    mask = data.draw(st.integers(0, space.all_mask))
    union = 0
    for cube in space.cover(mask):
        piece = space.all_mask
        for name, values in cube.items():
            piece &= space.mask_where(name, values)
        assert piece & ~mask == 0
        union |= piece
    assert union == mask
    assert space.describe(mask)


def test_sets_of_victims_in_plain_words() -> None:
    space = ProfileSpace(
        {
            "age_group": ("adult", "child"),
            "consent": ("given", "declined"),
            "homeless": (False, True),
        }
    )
    adult = space.mask_where("age_group", "adult")
    declined = space.mask_where("consent", "declined")
    child = space.mask_where("age_group", "child")
    assert space.describe(space.all_mask) == "any victim"
    assert space.describe(0) == "no victim"
    assert space.describe(adult & declined) == "age group adult and consent declined"
    assert space.describe(adult & declined | child) == ("age group child; or consent declined")
    assert space.describe(child & ~space.mask_where("homeless", True)) == (
        "age group child and not homeless"
    )


def test_unknown_names_and_values_select_nobody() -> None:
    space = ProfileSpace({"age_group": ("adult", "child")})
    assert space.mask_where("age", "adult") == 0
    assert space.mask_where("age_group", "elder") == 0
    assert space.mask_where("age_group", True) == 0
    with pytest.raises(ValueError, match="not a value of age_group"):
        space.index({"age_group": "elder"})


def test_a_profile_too_large_to_check_is_refused() -> None:
    with pytest.raises(ValueError, match="combinations"):
        ProfileSpace({f"a{i}": (False, True) for i in range(MAX_PROFILES.bit_length())})
