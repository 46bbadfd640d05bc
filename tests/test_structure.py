"""Structure as a record: immutable, equal by its lines, post-backed or frame-backed."""

from __future__ import annotations

import pickle

import attrs
import pytest
from hypothesis import given, settings

from establishment import PayBasis, Payment, Post, Structure, ValidationError
from establishment.engine.costing import cost
from establishment.errors import Location
from establishment.model import frame as frame_module
from tests.strategies import structures

BASIS = PayBasis("nottinghamshire", pay_year="2018/19", rule="council-2018")


def sample() -> Structure:
    return Structure("Team", [Post("A", 1, "Grade 4", 23, reference="A1"),
                              Post("B", "1.5", "Grade 5", 28, team="T")],
                     [Payment("Honorarium", 1200, reference="H1")], "a team")


class TestStructureRecord:
    def test_immutable(self):
        structure = sample()
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            structure.name = "Other"  # type: ignore[misc]

    def test_evolve_validates_again(self):
        structure = sample()
        assert structure.evolve(name="B").name == "B"
        with pytest.raises(ValidationError, match="'reference' must be unique among the posts"):
            structure.evolve(posts=[*structure.posts, Post("C", 1, "Grade 4", 23,
                                                           reference="A1")])

    def test_source_takes_no_part_in_equality(self):
        assert sample().evolve(source=Location("a.toml", 3)) == sample()
        assert hash(sample().evolve(source=Location("x"))) == hash(sample())

    def test_pickles(self):
        structure = sample()
        assert pickle.loads(pickle.dumps(structure)) == structure

    def test_an_attrs_record_built_positionally_or_by_name(self):
        assert attrs.has(Structure)
        by_name = Structure(name="Team", posts=sample().posts, payments=sample().payments,
                            description="a team")
        assert by_name == sample() and by_name.posts == sample().posts
        assert [f.alias for f in attrs.fields(Structure) if f.init][:5] == [
            "name", "posts", "payments", "description", "assignments"]
        with pytest.raises(ValidationError, match="'posts' must be Post records"):
            Structure("Team", ["not a post"])

    def test_the_frame_is_built_once_and_kept_out_of_equality(self, monkeypatch):
        structure = sample()
        calls = []
        real = frame_module.lines_frame
        monkeypatch.setattr("establishment.model.structure.lines_frame",
                            lambda *a: calls.append(1) or real(*a))
        structure.to_frame()
        structure.to_frame()
        assert calls == [1]
        assert structure == sample() and hash(structure) == hash(sample())
        assert "cache" not in repr(structure)

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

    def test_pickles_frame_backed_without_building_posts(self):
        structure = Structure.from_lines(sample().to_frame(), "Team", "a team",
                                         source=Location("posts.csv"), lines=[2, 3, 4])
        back = pickle.loads(pickle.dumps(structure))
        assert back.frame_backed and structure.frame_backed
        assert back == sample()
        assert [p.source for p in back.posts] == [Location("posts.csv", 2),
                                                  Location("posts.csv", 3)]

    def test_as_of_and_with_posts_of_a_frame_backed_structure(self):
        import datetime as dt
        structure = Structure.from_lines(sample().to_frame(), "Team", "a team")
        assert structure.as_of(dt.date(2019, 1, 1)) == sample()
        assert structure.with_posts(sample().posts[:1]).posts == sample().posts[:1]

    def test_renaming_keeps_it_frame_backed(self):
        structure = Structure.from_lines(sample().to_frame()).evolve(name="New")
        assert structure.frame_backed and structure.name == "New"

    @settings(max_examples=25, deadline=None)
    @given(structures(max_posts=8))
    def test_round_trip_through_lines(self, structure):
        backed = Structure.from_lines(structure.to_frame(), structure.name,
                                      structure.description)
        assert backed == structure
