"""The standalone changes file: reader (located problems) and writer, round-tripping."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment.errors import LoadError
from establishment.io.changes_file import (
    ChangeEntry,
    changes_to_toml,
    load_changes,
    parse_changes_text,
    write_changes,
)
from establishment.io.toml_layout import scan
from establishment.model.post import Post
from establishment.operations.changes import (
    AddPayment,
    Amend,
    ChangeEnd,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Target,
)
from tests.strategies import fundings, payments, posts, titles

EVERY_KIND = [
    Establish(Post("Service Organiser", 4, "Grade 4", reference="SO4", team="C&P",
                   start=dt.date(2019, 6, 1), funding={"Core": 60, "Grant": 40})),
    Disestablish("CA", Decimal(4)),
    Disestablish(Target(team="C&P", title="Officer", occurrence=1)),
    Regrade("RO", "Hay Band B", 36),
    Regrade("X", "", cost_per_fte=Decimal("45000.50")),
    ChangeFte("AO", Decimal("1.5")),
    MakePermanent("CO"),
    ChangeEnd("CO", dt.date(2020, 3, 31)),
    Move("SO", team="ICDS", title="Senior Organiser"),
    Move("SO", team="ICDS"),
    ChangeFunding("SO", {"Core": Decimal("33.5"), "Grant": Decimal("66.5")}),
    Amend("SO", {"status": "vacant", "start": dt.date(2019, 1, 2), "notes": "x"}),
    RemovePayment("HON"),
]


def test_every_kind_round_trips_with_ids_and_notes():
    entries = [ChangeEntry(c, id=f"c{n}" if n % 2 else "", note="see para 3" if n == 3 else "")
               for n, c in enumerate(EVERY_KIND)]
    text = changes_to_toml(entries, description="Reorganisation")
    back = parse_changes_text(text, "x.toml")
    assert back.entries == tuple(entries)
    assert back.description == "Reorganisation"
    # each entry located on its own [[change]] header
    assert [e.source.line for e in back.entries] == scan(text).lines("change")
    assert [e.change.source.line for e in back.entries] == scan(text).lines("change")
    assert text.splitlines()[back.entries[1].source.line - 1] == "[[change]]"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(
    posts(reference="NEW").map(Establish),
    st.builds(Disestablish, st.sampled_from(["A", "B"]), st.none()),
    st.builds(ChangeFte, st.sampled_from(["A", "B"]),
              st.integers(1, 40).map(lambda n: Decimal(n) / 4)),
    st.builds(ChangeEnd, st.sampled_from(["A", "B"]), st.dates(dt.date(2018, 1, 1))),
    st.builds(ChangeFunding, st.sampled_from(["A", "B"]), fundings()),
    st.builds(Move, st.builds(Target, team=st.just("T"), title=titles), st.just("U"), titles),
    payments().map(AddPayment),
    st.builds(ChangePayment, st.just("P"), payments()),
), max_size=6))
def test_writing_then_reading_gives_the_same_changes(changes):
    assert parse_changes_text(changes_to_toml(changes)).changes == tuple(changes)


def test_every_bad_table_is_reported_at_once_on_its_line(tmp_path):
    text = '''description = """a note
[[change]]
that is not a table"""

[[change]]
kind = "establish"
[change.post]
title = "Officer"
fte = 1
grade = "Grade 4"

[[change]]
kind = "regrade"
target = "RO"

[[change]]
kind = "promote"
target = "RO"

[[change]]
kind = "change-fte"
target = "AO"
fte = "lots"
'''
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_changes(path)
    found = [(p.line, p.field) for p in caught.value.problems]
    assert found == [(12, "grade"), (16, "kind"), (20, "fte")]
    assert str(caught.value.problems[0]).startswith(f"{path}:12: [grade] change 2: 'grade'")


def test_unknown_keys_bad_toml_and_missing_file_are_located(tmp_path):
    with pytest.raises(LoadError, match="unknown top-level key 'post'"):
        parse_changes_text('[[post]]\ntitle = "x"\n')
    with pytest.raises(LoadError) as caught:
        parse_changes_text('[[change]]\nkind = \n', "c.toml")
    assert caught.value.problems[0].line == 2
    with pytest.raises(LoadError, match="no such file"):
        load_changes(tmp_path / "none.toml")
    with pytest.raises(LoadError, match=r"change must be an array of tables"):
        parse_changes_text('[change]\nkind = "make-permanent"\n')


def test_write_changes_is_read_back(tmp_path):
    path = tmp_path / "c.toml"
    write_changes(EVERY_KIND, path)
    assert load_changes(path).changes == tuple(EVERY_KIND)


@pytest.mark.parametrize("text, found", [
    ("x = " + "[" * 500 + "]" * 500 + "\n", "nested too deeply"),
    ("x = " + "9" * 4301 + "\n", "invalid TOML"),
    ("[[change]\n", "invalid TOML"),
])
def test_a_hostile_changes_file_is_a_located_problem_not_a_traceback(text, found):
    with pytest.raises(LoadError) as caught:
        parse_changes_text(text, "c.toml")
    assert [p.file for p in caught.value.problems] == ["c.toml"]
    assert found in str(caught.value)
