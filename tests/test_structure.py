"""Structure as a record: immutable, equal by its lines, post-backed or frame-backed."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given, settings

from establishment import PayBasis, Payment, Post, Structure, ValidationError
from establishment.engine.costing import cost
from tests.strategies import structures

BASIS = PayBasis("nottinghamshire", pay_year="2018/19", rule="council-2018")


def sample() -> Structure:
    return Structure("Team", [Post("A", 1, "Grade 4", 23, reference="A1"),
                              Post("B", "1.5", "Grade 5", 28, team="T")],
                     [Payment("Honorarium", 1200, reference="H1")], "a team")


class TestStructureRecord:
    def test_immutable(self):
        structure = sample()
        with pytest.raises(AttributeError, match="immutable"):
            structure.name = "Other"  # type: ignore[misc]

    def test_evolve_validates_again(self):
        structure = sample()
        assert structure.evolve(name="B").name == "B"
        with pytest.raises(ValidationError, match="'reference' must be unique among the posts"):
            structure.evolve(posts=[*structure.posts, Post("C", 1, "Grade 4", 23,
                                                           reference="A1")])

    def test_source_takes_no_part_in_equality(self):
        assert sample().evolve(source="a.toml:3") == sample()
        assert hash(sample().evolve(source="x")) == hash(sample())

    def test_pickles(self):
        structure = sample()
        assert pickle.loads(pickle.dumps(structure)) == structure

    def test_to_frame_is_a_copy(self):
        structure = sample()
        frame = structure.to_frame()
        frame.loc[0, "fte_e4"] = 99_990_000
        assert structure.to_frame().loc[0, "fte_e4"] == 10_000
        assert cost(structure, BASIS).full_year == cost(sample(), BASIS).full_year


class TestFrameBacked:
    def test_costs_the_frame_without_building_posts(self):
        structure = Structure.from_lines(sample().to_frame(), "Team", "a team")
        assert structure.frame_backed
        assert cost(structure, BASIS).full_year == cost(sample(), BASIS).full_year
        assert structure.fte == sample().fte
        assert structure.frame_backed  # still: nothing above needed a Post

    def test_posts_built_on_request_and_equal_to_the_post_backed(self):
        structure = Structure.from_lines(sample().to_frame(), "Team", "a team")
        assert structure.posts == sample().posts
        assert not structure.frame_backed
        assert structure == sample()

    def test_duplicate_references_refused(self):
        frame = sample().to_frame()
        frame.loc[1, "reference"] = "A1"
        with pytest.raises(ValidationError, match="'reference' must be unique among the posts"):
            Structure.from_lines(frame)

    def test_missing_columns_refused(self):
        with pytest.raises(ValidationError, match="'frame' must be the columns of"):
            Structure.from_lines(sample().to_frame().drop(columns=["grade"]))

    def test_renaming_keeps_it_frame_backed(self):
        structure = Structure.from_lines(sample().to_frame()).evolve(name="New")
        assert structure.frame_backed and structure.name == "New"

    @settings(max_examples=25, deadline=None)
    @given(structures(max_posts=8))
    def test_round_trip_through_lines(self, structure):
        backed = Structure.from_lines(structure.to_frame(), structure.name,
                                      structure.description)
        assert backed == structure
