"""The register names posts by the one matching rule (engine/matching.py): a team + title
target (with its occurrence) resolved to a reference when a decision is recorded."""

from __future__ import annotations

import datetime as dt

import pytest

from establishment import PayBasis, Post, Structure
from establishment.operations.changes import ChangeFte, Establish, Target
from establishment.register import ConflictError, Register
from tests.cli_run import run

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
OPENED = dt.date(2018, 4, 1)


@pytest.fixture
def reg(tmp_path):
    opening = Structure("o", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A"),
                              Post("Officer", 1, "Grade 4", 20, team="T", reference="B"),
                              Post("Clerk", 1, "Grade 3", 18, team="T", reference="C")])
    with Register.create(tmp_path / "r.db", BASIS, opening=opening, opened_on=OPENED) as reg:
        yield reg


def decide(reg, changes, day=dt.date(2018, 5, 1)):
    return reg.record(changes, effective=day, approved=day, approved_by="Director",
                      reference="D")


def test_an_occurrence_names_the_nth_post_of_that_team_and_title(reg):
    entry = decide(reg, [ChangeFte(Target(team="T", title="Officer", occurrence=1), 2),
                         ChangeFte(Target(team="T", title="Clerk"), 3)])
    assert [c.target.reference for c in entry.changes] == ["B", "C"]


def test_a_post_established_earlier_in_the_list_is_named_too(reg):
    entry = decide(reg, [Establish(Post("Manager", 1, "Grade 5", 28, team="T")),
                         ChangeFte(Target(team="T", title="Manager"), 2)])
    assert entry.changes[1].target.reference == entry.changes[0].post.reference == "P000001"


def test_a_target_that_names_no_single_post_is_refused_saying_why(reg):
    with pytest.raises(ConflictError) as caught:
        decide(reg, [ChangeFte(Target(team="T", title="Officer"), 2),
                     ChangeFte(Target(team="T", title="Officer", occurrence=2), 2),
                     ChangeFte(Target(team="U", title="Officer"), 2)])
    assert [p.message for p in caught.value.problems] == [
        "change 1: 2 posts are titled 'Officer' in team 'T'; give occurrence (0 = first) or a "
        "reference",
        "change 2: post T / Officer (#3) not found: only 2 such rows",
        "change 3: no post titled 'Officer' in team 'U' (without a reference)"]


def test_a_target_structure_takes_the_references_its_team_and_title_name(reg):
    target = Structure("t", [Post("Officer", 1, "Grade 4", 20, team="T", reference="A"),
                             Post("Officer", 1, "Grade 4", 20, team="T"),  # B, the one left
                             Post("Clerk", 2, "Grade 3", 18, team="T")])  # C, fte 2
    entry = decide(reg, target)
    assert [(c.kind, str(c.label)) for c in entry.changes] == [("change fte", "C")]


def test_an_occurrence_that_is_not_a_number_is_a_located_error(reg, tmp_path, capsys):
    changes = tmp_path / "c.toml"
    changes.write_text('[[change]]\nkind = "change-fte"\n'
                       'target = { team = "T", title = "Officer", occurrence = "x" }\n'
                       'fte = 2\n', encoding="utf-8")
    reg.close()
    code, _, err = run(capsys, "register", "record", reg.path, str(changes), "--effective",
                       "2018-05-01", "--approved", "2018-05-01", "--approved-by", "D",
                       "--reference", "R")
    assert code == 2, err
    assert str(changes) in err and "occurrence" in err and "Traceback" not in err
