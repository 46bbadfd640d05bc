"""Posts given in hours through the register: init, record, as-of, cost, export, check (the
fte of hours is the engine's: hours / the basis's full-time hours, exactly)."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction

import pytest

from establishment import PayBasis, Post, Structure
from establishment.engine.costing import CostingError
from establishment.engine.costing import cost as cost_of
from establishment.operations.changes import Establish
from establishment.register import Limit, Register, in_force, limit_checks, period_cost
from tests.cli_run import run

BASIS = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")  # 37 full-time hours
OPENED = dt.date(2018, 4, 1)


def opening() -> Structure:
    return Structure("hours", [
        Post("Clerk", None, "Grade 4", 23, team="T", reference="H", hours=Decimal(20)),
        Post("Officer", 1, "Grade 5", 28, team="T", reference="F")])


@pytest.fixture
def path(tmp_path):
    path = tmp_path / "h.db"
    Register.create(path, BASIS, opening=opening(), opened_on=OPENED).close()
    return path


def test_as_of_cost_and_check_use_the_exact_fte_of_hours(path):
    found = in_force(path, dt.date(2018, 5, 1))
    assert found.ftes == (Fraction(20, 37), Fraction(1))
    assert found.fte == Decimal("1.5405")  # 0.5405 + 1, as tables show it
    segments = period_cost(path, OPENED, dt.date(2018, 6, 30))
    assert [s.cost for s in segments] == [cost_of(opening(), BASIS, period=(
        OPENED, dt.date(2018, 6, 30))).period_total]
    assert segments[0].fte == Decimal("1.5405")
    with Register.open(path) as reg:
        reg.set_limit(Limit("T", 2018, fte=Decimal("1.5405"), headcount=2))
    # the limit is compared with the exact 57/37 = 1.54054..., over 1.5405
    [check] = limit_checks(path, dt.date(2018, 5, 1))
    assert (check.fte, check.headcount) == (Decimal("1.5405"), 2)
    assert [b.what for b in check.breaches] == ["fte"]


def test_recording_a_post_in_hours_and_the_commands(path, tmp_path, capsys):
    with Register.open(path) as reg:
        reg.record([Establish(Post("Assistant", None, "Grade 3", 18, team="T", reference="N",
                                   hours=Decimal("18.5")))],
                   effective=dt.date(2018, 6, 1), approved=dt.date(2018, 5, 20),
                   approved_by="Director", reference="DEC-1")
    code, out, err = run(capsys, "register", "as-of", str(path), "2018-06-01", "--format",
                         "csv")
    assert (code, err) == (0, "")
    assert out.splitlines()[1:4] == [
        "H,Clerk,T,0.5405,Grade 4 scp 23,,,", "F,Officer,T,1,Grade 5 scp 28,,,",
        "N,Assistant,T,0.5,Grade 3 scp 18,,,"]
    assert out.splitlines()[4] == "Total,3 rows,,2.0405,,,,"
    code, out, err = run(capsys, "register", "cost", str(path), "--from", "2018-04-01", "--to",
                         "2019-03-31", "--format", "csv")
    assert (code, err) == (0, "")
    whole = cost_of(opening(), BASIS, period=(OPENED, dt.date(2018, 5, 31))).period_total + \
        cost_of(opening().evolve(posts=[*opening().posts, Post(
            "Assistant", None, "Grade 3", 18, team="T", reference="N", hours=Decimal("18.5"))]),
            BASIS, period=(dt.date(2018, 6, 1), dt.date(2019, 3, 31))).period_total
    assert out.splitlines()[-1] == f"Total,,,,{whole}"
    exported = tmp_path / "e.toml"
    code, out, err = run(capsys, "register", "export", str(path), "2018-06-01", "--output",
                         str(exported))
    assert code == 0 and err.strip() == f"{exported}: 3 posts, 2.0405 fte"
    posts = tomllib.loads(exported.read_text())["post"]
    assert [(p.get("fte"), p.get("hours")) for p in posts] == [(None, 20), (1, None),
                                                               (None, 18.5)]
    code, out, err = run(capsys, "register", "limit", str(path), "--team", "T", "--pay-year",
                         "2018/19", "--fte", "2")
    assert code == 0
    code, out, err = run(capsys, "register", "check", str(path), "--on", "2018-06-01")
    assert code == 1
    assert err.strip() == ("establishment: breach: team 'T': fte limit 2 in 2018/19, fte "
                           "2.0405: over by 0.0405")


def test_hours_under_an_employer_without_full_time_hours_is_one_located_error(tmp_path,
                                                                              capsys):
    civil = PayBasis(employer="civil-service", pay_year=2018)
    structure = Structure("cs", [Post("Clerk", None, salary=20000, team="T", reference="H",
                                      hours=Decimal(20))])
    with pytest.raises(CostingError, match="post H: .*states no full-time hours"):
        Register.create(tmp_path / "cs.db", civil, opening=structure, opened_on=OPENED)
    assert not (tmp_path / "cs.db").exists()
    source = tmp_path / "cs.toml"
    source.write_text('name = "cs"\n[[post]]\nreference = "H"\ntitle = "Clerk"\nhours = 20\n'
                      'salary = 20000\nteam = "T"\n')
    code, out, err = run(capsys, "register", "init", str(tmp_path / "cs.db"), "--employer",
                         "civil-service", "--pay-year", "2018/19", "--from", str(source),
                         "--on", "2018-04-01")
    assert code == 2
    assert "post H: [hours] UK civil service states no full-time hours" in err
    assert "Traceback" not in err and not (tmp_path / "cs.db").exists()
