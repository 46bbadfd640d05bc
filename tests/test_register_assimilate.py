"""A register across a new pay spine (the 1 April 2019 NJC restructure): its posts' points
move as a recorded decision (`register assimilate`), and a cost that meets old points on the
new spine says how to record the move."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from establishment import PayBasis, Post, Structure, cost
from establishment.operations.changes import Regrade
from establishment.register import Register
from establishment.register.queries import assimilation, period_cost
from tests.cli_run import run

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
OPENING = Structure("o", [
    Post("Officer", 1, "Hay Band A", 34, team="T", reference="A"),
    Post("Assistant", Decimal("0.5"), "Grade 5", 28, team="T", reference="B"),
    Post("Worker", 2, "Grade 3", 18, team="T", reference="C", headcount=2),
    Post("Agreed", 1, "Grade 5", 28, team="T", reference="D", cost_per_fte=Decimal(30000)),
    Post("Leaving", 1, "Grade 5", 28, team="T", reference="E", end=dt.date(2019, 3, 31)),
])


def _register(tmp_path):
    path = tmp_path / "r.db"
    with Register.create(path, BASIS, opening=OPENING, opened_on=dt.date(2018, 4, 1)) as reg:
        reg.set_basis(PayBasis(employer="nottinghamshire", pay_year=2019, rule="njc"))
    return path


def test_the_move_is_each_post_to_its_published_new_point(tmp_path):
    """Old 34, 28 and 18 are new 28, 22 and 7; a stated cost keeps its pay and a post ending
    on 31 March is not moved."""
    path = _register(tmp_path)
    assert assimilation(str(path), 2019) == [Regrade("A", "Hay Band A", 28),
                                             Regrade("B", "Grade 5", 22),
                                             Regrade("C", "Grade 3", 7)]
    assert assimilation(str(path), 2018) == []  # 2017/18 to 2018/19: the same spine


def test_a_cost_on_old_points_says_how_to_record_the_move(tmp_path, capsys):
    path = _register(tmp_path)
    code, _, err = run(capsys, "register", "cost", str(path), "--from", "2019-04-01",
                       "--to", "2019-06-30")
    assert code == 2
    assert ("cannot cost 2019/20: the pay spine changed on 1 April 2019 and 3 posts are at "
            "points of the old one; record their move with `establishment register "
            f"assimilate {path} --pay-year 2019/20") in err
    assert "scp 34 is outside Hay Band A" in err


def test_assimilate_records_one_decision_then_costs_each_year_on_its_spine(tmp_path, capsys):
    path = _register(tmp_path)
    code, out, err = run(capsys, "register", "assimilate", str(path), "--pay-year", "2019/20",
                         "--approved", "2019-03-01", "--approved-by", "Personnel Committee",
                         "--reference", "NJC 2019")
    assert code == 0, err
    assert ("recorded decision 3, effective 2019-04-01: 3 posts to their 2019/20 points "
            "(A scp 28, B scp 22, C scp 7)") in out
    with Register.open(path) as reg:
        assert [p.scp for p in reg.as_of(dt.date(2019, 4, 1)).posts] == [28, 22, 7, 28]
        assert [p.scp for p in reg.as_of(dt.date(2019, 3, 31)).posts] == [34, 28, 18, 28, 28]
    # the register's 2019/20 days equal the engine's, which carries the points itself
    segments = period_cost(str(path), dt.date(2019, 4, 1), dt.date(2019, 6, 30))
    after = Structure("o", [p for p in OPENING.posts if p.reference != "E"])
    expected = cost(after, BASIS, period=(dt.date(2019, 4, 1), dt.date(2019, 6, 30)))
    assert [s.cost for s in segments] == [expected.period_total]
    # recorded once: a second run finds nothing to move
    code, out, err = run(capsys, "register", "assimilate", str(path), "--pay-year", "2019/20",
                         "--approved", "2019-03-01", "--approved-by", "P", "--reference", "R")
    assert code == 0, err
    assert "no post needs a new point for 2019/20" in out and "nothing recorded" in out
    with Register.open(path) as reg:
        assert len(reg.entries()) == 3


def test_assimilate_needs_the_new_years_basis(tmp_path, capsys):
    path = tmp_path / "r.db"
    Register.create(path, BASIS, opening=OPENING, opened_on=dt.date(2018, 4, 1)).close()
    code, _, err = run(capsys, "register", "assimilate", str(path), "--pay-year", "2019/20",
                       "--approved", "2019-03-01", "--approved-by", "P", "--reference", "R")
    assert code == 2
    assert "no pay basis stored for 2019/20" in err
