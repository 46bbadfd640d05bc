"""Budget profiles and the budget monitor (issue 22): a pay year shared across its months in
twelfths or by working days, and a monitor of 6 months of actuals with the forecast outturn,
each against a hand calculation.

Hand calculation (2025/26 NJC spine, employer NI 2025/26: 15% above £5,000; the 'njc' rule's
22.2%; a 3% vacancy factor as project applies it, on the pay-year amount rounded once):

* P1 Admin, Hay Band A scp 23, 1 fte: 34,434 + 15% x 29,434 (4,415.10) + 22.2% x 34,434
  (7,644.348) = 46,493.448 -> £46,493 a year; x 0.97 = 45,098.21 -> £45,098.
  Twelfths: 45,098 = 12 x 3,758 + 2: April and May £3,759, June to March £3,758.
* P2 Care, Hay Band B scp 30, 0.5 fte: 40,777 + 15% x 35,777 (5,366.55) + 22.2% x 40,777
  (9,052.494) = 55,196.044 -> £55,196; x 0.5 x 0.97 = 26,770.06 -> £26,770.
  Twelfths: 26,770 = 12 x 2,230 + 10: April to January £2,231, February and March £2,230.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from establishment import PayBasis, Post, Structure
from establishment.errors import LoadError
from establishment.io.actuals import parse_actuals_text
from establishment.operations.monitor import monitor
from establishment.operations.profile import month_weights, profile_amounts
from establishment.operations.projection import projection
from pay_scales.calendar import load_calendar
from pay_scales.errors import PayScaleError
from pay_scales.rounding import round_pounds
from tests.cli_run import run

BASIS = PayBasis("nottinghamshire", pay_year=2025)
STRUCTURE = Structure("s", [Post("Senior admin", 1, "Hay Band A", 23, team="Admin"),
                            Post("Team manager", Decimal("0.5"), "Hay Band B", 30,
                                 team="Care")])
ACTUALS = """month,amount,team
2025-04,3700,Admin
2025-05,3800,Admin
2025-06,3758.50,Admin
2025-07,3900,Admin
2025-08,3600,Admin
2025-09,3750,Admin
2025-04,2200,Care
2025-05,2250,Care
2025-06,2231,Care
2025-07,2300,Care
2025-08,2100,Care
2025-09,"£2,231.25",Care
"""
P1 = [3759, 3759] + [3758] * 10
P2 = [2231] * 10 + [2230] * 2


def test_the_hand_calculation():
    rule = lambda s: Fraction(s) + Fraction("0.15") * (s - 5000) + Fraction("0.222") * s  # noqa
    assert round_pounds(rule(34434)) == 46493 and round_pounds(rule(40777)) == 55196
    assert round_pounds(Fraction(46493) * Fraction("0.97")) == 45098
    assert round_pounds(Fraction(55196, 2) * Fraction("0.97")) == 26770
    assert sum(P1) == 45098 and sum(P2) == 26770


def budget():
    return projection(STRUCTURE, BASIS, "2025-04", 12, vacancy_factor="3%")


def test_a_twelfths_profile():
    result = budget()
    assert [int(v) for v in result.amounts.sum(axis=1)] == [45098, 26770]
    profiled = profile_amounts(result, "twelfths")
    assert profiled[0].tolist() == P1 and profiled[1].tolist() == P2
    days = profile_amounts(result, "days")  # the projection's own, by calendar days
    assert days[0].tolist() != P1 and int(days[0].sum()) == 45098


def test_a_part_month_is_that_share_of_a_twelfth():
    """A post starting 16 April 2025 (15 of 30 days): April weighs half a twelfth, so its
    year (346/365 of a full year) is shared 0.5 : 1 x 11."""
    result = projection(Structure("s", [Post("Late", 1, "Hay Band A", 23,
                                             start=dt.date(2025, 4, 16))]), BASIS, "2025-04", 12)
    year = int(result.amounts.sum())
    assert year == round_pounds(Fraction(46493 * 350, 365))  # 16 Apr to 31 Mar: 350 days
    months = profile_amounts(result, "twelfths")[0].tolist()
    exact = [Fraction(year, 23)] + [Fraction(2 * year, 23)] * 11  # weights 1/2, then 1 each
    assert sum(months) == year
    assert all(abs(m - e) < 1 for m, e in zip(months, exact))


def test_working_days_on_the_bank_holidays():
    """April 2025: 22 weekdays less Good Friday (18th) and Easter Monday (21st) = 20; the pay
    year 2025/26: 261 weekdays less 8 bank holidays = 253."""
    result = budget()
    weights = month_weights(result, "working-days")
    assert weights[0, 0] == 20 and int(weights[0].sum()) == 253
    months = profile_amounts(result, "working-days")[0]
    assert int(months.sum()) == 45098
    exact = [Fraction(45098 * int(w), 253) for w in weights[0]]
    assert all(abs(int(m) - e) < 1 for m, e in zip(months, exact))
    assert int(months[0]) == 3565  # 45,098 x 20 / 253 = 3,564.98


def test_another_calendar_from_a_file(tmp_path):
    path = tmp_path / "closures.csv"
    path.write_text("date,name\n2025-04-01,Closure day\n2026-03-31,Closure day\n",
                    encoding="utf-8")
    calendar = load_calendar(path)
    weights = month_weights(budget(), "working-days", calendar)
    assert weights[0, 0] == 21 and int(weights[0].sum()) == 259  # 261 less its two days
    short = tmp_path / "short.csv"
    short.write_text("date,name\n2025-12-25,Christmas\n", encoding="utf-8")
    with pytest.raises(PayScaleError, match="covers 2025 to 2025"):
        month_weights(budget(), "working-days", load_calendar(short))


def test_a_monitor_against_six_months_of_actuals():
    """To date (April to September): budget Admin 3,759 x 2 + 3,758 x 4 = 22,550, Care
    2,231 x 6 = 13,386; actuals Admin 22,508.50, Care 13,312.25; variance -41.50, -73.75.
    Outturn: Admin 22,508.50 + 3,758 x 6 = 45,056.50 (budget 45,098: -41.50); Care
    13,312.25 + 2,231 x 4 + 2,230 x 2 = 26,696.25 (budget 26,770: -73.75)."""
    found = monitor(budget(), parse_actuals_text(ACTUALS, "ledger.csv"), profile="twelfths")
    assert found.groups == ("Admin", "Care") and found.to_date == 6
    assert found.budget[0].tolist() == [p * 100 for p in P1]
    assert found.budget_to_date().tolist() == [2255000, 1338600]
    assert found.actual_to_date().tolist() == [2250850, 1331225]
    assert found.outturn().tolist() == [4505650, 2669625]
    assert (found.outturn() - found.budget_year()).tolist() == [-4150, -7375]
    assert found.forecast()[0].tolist() == [370000, 380000, 375850, 390000, 360000, 375000,
                                            *[375800] * 6]


def test_the_monitor_command(capsys, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text("reference,title,team,grade,scp,fte\nP1,Senior admin,Admin,Hay Band A,"
                     "23,1\nP2,Team manager,Care,Hay Band B,30,0.5\n", encoding="utf-8")
    ledger = tmp_path / "ledger.csv"
    ledger.write_text(ACTUALS, encoding="utf-8")
    code, out, err = run(capsys, "monitor", str(posts), "--employer", "nottinghamshire",
                         "--from", "2025-04", "--actuals", str(ledger),
                         "--vacancy-factor", "3%")
    assert code == 0, err
    assert "Budget monitor Apr 2025 to Mar 2026 (profile: twelfths" in out
    assert "Forecast outturn (profile: twelfths" in out
    assert "£45,056.50" in out and "£26,696.25" in out and "£71,752.75" in out
    assert "-£41.50" in out and "-£73.75" in out
    ledger.write_text("month,amount,team\n2025-13,10,Admin\n2025-04,x,Admin\n"
                      "2027-04,5,Admin\n", encoding="utf-8")
    code, _, err = run(capsys, "monitor", str(posts), "--employer", "nottinghamshire",
                       "--from", "2025-04", "--actuals", str(ledger))
    assert code == 2 and "ledger.csv:2" in err and "ledger.csv:3" in err


def test_actuals_outside_the_year_or_of_an_unknown_team_are_located():
    text = "month,amount,team\n2027-04,5,Admin\n2025-04,5,Nowhere\n"
    with pytest.raises(LoadError) as caught:
        monitor(budget(), parse_actuals_text(text, "ledger.csv"))
    lines = [(p.line, p.field) for p in caught.value.problems]
    assert lines == [(2, "month"), (3, "team")]


def test_project_names_its_profile(capsys, tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text("reference,title,team,grade,scp,fte\nP1,Senior admin,Admin,Hay Band A,"
                     "23,1\n", encoding="utf-8")
    code, out, err = run(capsys, "project", str(posts), "--employer", "nottinghamshire",
                         "--from", "2025-04", "--profile", "twelfths", "--vacancy-factor", "3%")
    assert code == 0, err
    assert "Monthly cost Apr 2025 to Mar 2026 (profile: twelfths" in out
    assert "£3,759" in out and "£45,098" in out
    assert "Months: profile: twelfths" in out  # a note said once for the tables it is on
    from establishment.tables.projection import projection_tables
    tables = projection_tables(budget(), profile="twelfths")
    assert all(any(n.startswith("Months: profile: twelfths") for n in t.notes)
               for t in tables) and len(tables) == 2
    code, out, _ = run(capsys, "project", str(posts), "--employer", "nottinghamshire",
                       "--from", "2025-04")
    assert code == 0 and "Months: profile: calendar days." in out



def test_a_monitor_by_cost_centre():
    """No vacancy factor: P1 £46,493 (Core) = 12 x 3,874 + 5: April £3,875; P2 £27,598 (Grant)
    = 12 x 2,299 + 10: April £2,300. Outturn: Core 3,700 + 46,493 - 3,875 = 46,318; Grant
    2,200 + 27,598 - 2,300 = 27,498."""
    structure = Structure("s", [Post("Senior admin", 1, "Hay Band A", 23, funding="Core"),
                                Post("Team manager", Decimal("0.5"), "Hay Band B", 30,
                                     funding="Grant")])
    result = projection(structure, BASIS, "2025-04", 12)
    ledger = "month,amount,cost centre\n2025-04,3700,Core\n2025-04,2200,Grant\n"
    found = monitor(result, parse_actuals_text(ledger, "ledger.csv"))
    assert found.by == "funding" and found.groups == ("Core", "Grant")
    assert found.budget[:, 0].tolist() == [387500, 230000]
    assert found.outturn().tolist() == [4631800, 2749800]
