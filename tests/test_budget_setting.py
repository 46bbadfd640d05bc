"""Setting next year's budget (issue 22): pay-award assumptions as data, chained from the last
published spine year, the same through every money command; a published award replaces an
assumption; one error per missing year of data.

The hand calculations use the 2025/26 NJC spine (pay_scales/data/njc_pay_spine.csv), employer
NI of 2026/27 (15% above £5,000 a year, employer_ni.csv) and the Nottinghamshire 'njc' rule
(22.2% of salary for pension and other on-costs): cost per fte = salary + 15% x (salary -
£5,000) + 22.2% x salary, rounded to £1 half up once.
"""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import pay_scales
from establishment import PayBasis, Post, Structure
from establishment.engine.costing import cost
from establishment.errors import CostingError
from establishment.operations.projection import projection
from pay_scales.awards import Award, parse_award
from pay_scales.errors import PayScaleError
from pay_scales.rounding import round_pounds
from tests.cli_run import run

POSTS_CSV = """reference,title,team,grade,scp,fte
P1,Senior admin,Admin,Hay Band A,23,1
P2,Team manager,Care,Hay Band B,30,0.5
P3,Service manager,Care,Hay Band C,38,1
"""


def per_fte(salary: int, ni_rate: str = "0.15", threshold: int = 5000) -> int:
    """The rule by hand: salary + NI above the threshold + 22.2% on-costs, rounded to £1."""
    exact = (Fraction(salary) + Fraction(ni_rate) * (salary - threshold)
             + Fraction("0.222") * salary)
    return int(round_pounds(exact))


# 2025/26 spine -> 2026/27 at an assumed 3.2%, rounded to £1 half up:
#   scp 23: 34,434 x 1.032 = 35,535.888 -> 35,536
#   scp 30: 40,777 x 1.032 = 42,081.864 -> 42,082
#   scp 38: 49,282 x 1.032 = 50,859.024 -> 50,859
# cost per fte: 35,536 + 15% x 30,536 (4,580.40) + 22.2% x 35,536 (7,888.992) = 48,005.392
#   -> £48,005; 42,082 + 5,562.30 + 9,342.204 = 56,986.504 -> £56,987 (x 0.5 = 28,493.5 ->
#   £28,494); 50,859 + 6,878.85 + 11,290.698 = 69,028.548 -> £69,029
HAND_2026 = {"P1": 48005, "P2": 28494, "P3": 69029}


def test_the_hand_calculation_is_the_rule():
    assert [per_fte(35536), per_fte(42082), per_fte(50859)] == [48005, 56987, 69029]
    assert round_pounds(Fraction(34434) * Fraction("1.032")) == 35536


@pytest.fixture
def posts(tmp_path) -> Path:
    path = tmp_path / "posts.csv"
    path.write_text(POSTS_CSV, encoding="utf-8")
    return path


def test_cost_next_year_on_an_assumed_award(capsys, posts):
    code, out, err = run(capsys, "cost", str(posts), "--employer", "nottinghamshire",
                         "--pay-year", "2026/27", "--award", "2026/27=3.2%")
    assert code == 0, err
    assert "Senior admin [i, a]" in out and "£48,005" in out
    assert "Team manager [i, a]" in out and "£28,494" in out
    assert "Service manager [i, a]" in out and "£69,029" in out
    assert "£145,528" in out  # 48,005 + 28,494 + 69,029
    assert ("beyond the pay data: 2026/27 3.2% (assumed) award on the 2025/26 NJC spine [a]"
            in out)
    assert "[a] rests on an assumed pay award" in out


def test_the_same_figures_from_the_api_and_a_structure_basis(tmp_path):
    basis = PayBasis("nottinghamshire", pay_year="2026/27", awards=("2026/27=3.2%",))
    structure = Structure("s", [Post("Senior admin", 1, "Hay Band A", 23, reference="P1"),
                                Post("Team manager", Decimal("0.5"), "Hay Band B", 30,
                                     reference="P2"),
                                Post("Service manager", 1, "Hay Band C", 38, reference="P3")])
    costing = cost(structure, basis)
    assert [int(v) for v in costing.full_year_lines] == list(HAND_2026.values())
    assert all(costing.unit_cost(i).assumed for i in range(3))
    assert "2026/27 3.2% (assumed)" in basis.describe()
    path = tmp_path / "posts.toml"
    path.write_text('[basis]\nemployer = "nottinghamshire"\npay_year = "2026/27"\n'
                    'awards = ["2026/27=3.2%"]\n\n' + "".join(
                        f'[[post]]\nreference = "{p.reference}"\ntitle = "{p.title}"\n'
                        f'grade = "{p.grade}"\nscp = {p.scp}\nfte = {p.fte}\n\n'
                        for p in structure.posts), encoding="utf-8")
    from establishment.io import load_structure_file
    loaded = load_structure_file(path)
    assert loaded.basis.awards == (Award(2026, rate=Decimal("0.032")),)
    again = cost(loaded.structure, loaded.basis)
    assert [int(v) for v in again.full_year_lines] == list(HAND_2026.values())


def test_a_missing_year_is_one_located_error_not_one_per_post(capsys, posts):
    code, _, err = run(capsys, "cost", str(posts), "--employer", "nottinghamshire",
                       "--pay-year", "2026/27")
    assert code == 2
    assert err.count("no NJC pay spine") == 1
    assert "no NJC pay spine for 2026/27: the pay data end in 2025/26" in err
    assert "--award 2026/27=3%" in err


def test_an_award_grammar():
    assert parse_award("3.2%") == Award(None, rate=Decimal("0.032"))
    assert parse_award("2026/27=£1,925") == Award(2026, flat=Decimal(1925))
    assert parse_award("2026/27=3.2% agreed").status == "agreed"
    assert parse_award("2026/27=£1,925").describe() == "2026/27 £1,925 a point (assumed)"
    for bad in ("3", "two", "2026/28=3%", "", "2026/27=x%"):
        with pytest.raises(PayScaleError):
            parse_award(bad)


def test_a_flat_award_and_a_table_of_points():
    flat = Award(2026, flat=Decimal(1925))
    assert flat.salary(23, Decimal(34434)) == 36359
    table = Award(2026, rate=Decimal("0.03"), points=((2, Decimal(26000)),))
    assert table.salary(2, Decimal(25185)) == 26000
    assert table.salary(23, Decimal(34434)) == round_pounds(Fraction(34434) * Fraction("1.03"))
    basis = PayBasis("nottinghamshire", pay_year=2026,
                     awards=({"pay_year": "2026/27", "award": "£1,925"},))
    structure = Structure("s", [Post("Senior admin", 1, "Hay Band A", 23)])
    assert int(cost(structure, basis).full_year) == per_fte(34434 + 1925)


def published_fixture(tmp_path: Path, salary: int) -> Path:
    """The Nottinghamshire folder with a published 2026/27 row for scp 23 (its own
    spine.csv adds the year, as the bundled data will when the award is published)."""
    folder = tmp_path / "notts"
    shutil.copytree(Path(pay_scales.__file__).parent / "data" / "employers" / "nottinghamshire",
                    folder)
    (folder / "spine.csv").write_text(
        "pay_year_start,spine,scp,annual_salary,source,basis\n"
        f"2026-04-01,new,23,{salary},test fixture: the 2026/27 award published,published\n",
        encoding="utf-8")
    return folder


def test_a_published_award_replaces_the_assumption(capsys, tmp_path):
    folder = published_fixture(tmp_path, 35700)
    path = tmp_path / "one.csv"
    path.write_text("reference,title,grade,scp,fte\nP1,Senior admin,Hay Band A,23,1\n",
                    encoding="utf-8")
    code, out, err = run(capsys, "cost", str(path), "--employer", str(folder),
                         "--pay-year", "2026/27", "--award", "2026/27=3.2%")
    assert code == 0, err
    assert "Senior admin [i]" in out and "[i, a]" not in out  # the marker changes
    assert f"£{per_fte(35700):,}" in out and "£48,005" not in out  # and the figure
    assert ("the 2026/27 award is published in the pay data: the 2026/27 3.2% (assumed) "
            "award is not used" in out)


# -- a two-year chain, projected ----------------------------------------------------------------

def test_a_two_year_chain_projected_equals_the_hand_calculation():
    """2026/27 at 3.2% then 2027/28 at 2.5%, each year's salary rounded to £1 before the next
    award; increments on 1 April (P1, P2) and on 1 October (P3); NI of 2027/28 carried
    forward from 2026/27 (15% above £5,000).

    P1 Hay Band A scp 23 (range 23-28): 2026/27 at scp 23: £48,005 (above). 2027/28 at scp 24:
      35,412 x 1.032 = 36,545.184 -> 36,545; x 1.025 = 37,458.625 -> 37,459;
      37,459 + 15% x 32,459 (4,868.85) + 22.2% x 37,459 (8,315.898) = 50,643.748 -> £50,644.
    P2 Hay Band B scp 30, 0.5 fte (top 33): 2026/27: 0.5 x 56,987 = £28,494. 2027/28 scp 31:
      41,771 x 1.032 = 43,107.672 -> 43,108; x 1.025 = 44,185.7 -> 44,186;
      44,186 + 5,877.90 + 9,809.292 = 59,873.192 -> 59,873; x 0.5 = 29,936.5 -> £29,937.
    P3 Hay Band C scp 37, increment 1 October (top 38): 2026/27 scp 37 to 30 September
      (183 days), scp 38 from 1 October (182 days): 48,226 x 1.032 = 49,769.232 -> 49,769;
      49,769 + 6,715.35 + 11,048.718 = 67,533.068 -> 67,533; scp 38: 69,029;
      (67,533 x 183 + 69,029 x 182) / 365 = 24,921,817 / 365 = 68,278.95 -> £68,279.
      2027/28 at the top, 38: 50,859 x 1.025 = 52,130.475 -> 52,130;
      52,130 + 7,069.50 + 11,572.86 = 70,772.36 -> £70,772.
    """
    assert per_fte(37459) == 50644 and per_fte(44186) == 59873 and per_fte(49769) == 67533
    assert per_fte(52130) == 70772
    assert round_pounds(Fraction(67533 * 183 + 69029 * 182, 365)) == 68279
    basis = PayBasis("nottinghamshire", pay_year=2026, awards=("2026/27=3.2%", "2027/28=2.5%"))
    structure = Structure("s", [
        Post("Senior admin", 1, "Hay Band A", 23, reference="P1"),
        Post("Team manager", Decimal("0.5"), "Hay Band B", 30, reference="P2"),
        Post("Service manager", 1, "Hay Band C", 37, reference="P3",
             increment_date=dt.date(2020, 10, 1))])
    result = projection(structure, basis, "2026-04", 24)
    by_line = [[int(result.amounts[i, :12].sum()), int(result.amounts[i, 12:].sum())]
               for i in range(3)]
    assert by_line == [[48005, 50644], [28494, 29937], [68279, 70772]]
    assert result.approximate.all()
    notes = " ".join(result.assumptions)
    assert "2026/27 3.2% (assumed) award on the 2025/26 NJC spine [a]" in notes
    assert "2027/28 2.5% (assumed) award on the 2026/27 NJC spine [a]" in notes
    assert "employer NI for 2027/28 carried forward from 2026/27 (15% above £5,000) [a]" in notes


def test_a_chain_with_a_gap_is_an_error_naming_the_year():
    basis = PayBasis("nottinghamshire", pay_year=2026, awards=("2026/27=3.2%",))
    structure = Structure("s", [Post("Senior admin", 1, "Hay Band A", 23)])
    with pytest.raises(CostingError, match="no pay data for 2027/28 .* no assumed award"):
        projection(structure, basis, "2026-04", 24)


# -- every money command takes the same assumptions ---------------------------------------------

AWARD = ("--employer", "nottinghamshire", "--pay-year", "2026/27", "--award", "2026/27=3.2%")
NAMED = "2026/27 3.2% (assumed) award on the 2025/26 NJC spine [a]"


def test_compare_report_and_staffing_take_the_award(capsys, posts, tmp_path):
    code, out, err = run(capsys, "compare", str(posts), str(posts), *AWARD)
    assert code == 0 and NAMED in out and "£145,528" in out, err
    report = tmp_path / "report.md"
    code, _, err = run(capsys, "report", str(posts), *AWARD, "--output", str(report))
    assert code == 0, err
    text = report.read_text(encoding="utf-8")
    assert NAMED in text and "145,528" in text
    people = tmp_path / "people.csv"
    people.write_text("reference,title,team,grade,scp,fte,person,person scp\n"
                      "P1,Senior admin,Admin,Hay Band A,23,1,E1,23\n", encoding="utf-8")
    code, out, err = run(capsys, "staffing", str(people), *AWARD)
    assert code == 0 and NAMED in out and "£48,005" in out, err


def test_a_scenario_takes_the_award_on_each_basis(capsys, tmp_path):
    """A scenario of 2026/27 (its own basis has no award): --award costs it."""
    path = tmp_path / "decision.toml"
    path.write_text('''name = "budget-2026"
title = "Next year's admin post"
report = "none"
decided = 2026-12-01
primary_basis = "budget"

[bases.budget]
employer = "nottinghamshire"
pay_year = "2026/27"

[[post]]
reference = "P1"
title = "Senior admin"
team = "Admin"
grade = "Hay Band A"
scp = 23
fte = 1
''', encoding="utf-8")
    code, _, err = run(capsys, "scenario", "run", str(path))
    assert code == 2 and "no NJC pay spine for 2026" in err
    code, out, err = run(capsys, "scenario", "run", str(path), "--award", "2026/27=3.2%")
    assert code in (0, 1), err
    assert "£48,005" in out and NAMED in out


# -- the register: the assumption is part of the stored basis ------------------------------------

def test_a_register_holding_the_assumption_costs_the_same(capsys, posts, tmp_path):
    db = tmp_path / "council.db"
    code, _, err = run(capsys, "register", "init", str(db), "--employer", "nottinghamshire",
                       "--pay-year", "2026/27", "--award", "2026/27=3.2%", "--from",
                       str(posts), "--on", "2026-04-01")
    assert code == 0, err
    from establishment.register import Register
    with Register.open(db) as reg:
        assert reg.basis_for(2026).awards == (Award(2026, rate=Decimal("0.032")),)
    code, out, err = run(capsys, "cost", f"{db}@2026-04-01")
    assert code == 0, err
    assert "Senior admin [i, a]" in out and "£48,005" in out and "£145,528" in out
    assert NAMED in out


def test_register_basis_refuses_a_year_with_no_data_and_no_assumption(capsys, tmp_path):
    db = tmp_path / "council.db"
    assert run(capsys, "register", "init", str(db), "--employer", "nottinghamshire",
               "--pay-year", "2025/26")[0] == 0
    code, _, err = run(capsys, "register", "basis", str(db), "--employer", "nottinghamshire",
                       "--pay-year", "2030/31")
    assert code == 2 and "no NJC pay spine for 2030/31" in err
    code, out, err = run(capsys, "register", "basis", str(db), "--employer",
                         "nottinghamshire", "--pay-year", "2026/27", "--award", "2026/27=3.2%")
    assert code == 0, err


def test_register_expiring_names_a_year_with_no_basis_instead_of_failing(capsys, tmp_path):
    structure = tmp_path / "posts.toml"
    structure.write_text('[[post]]\nreference = "T1"\ntitle = "Project officer"\n'
                         'grade = "Hay Band A"\nscp = 23\nfte = 1\nend = 2026-03-31\n',
                         encoding="utf-8")
    db = tmp_path / "council.db"
    assert run(capsys, "register", "init", str(db), "--employer", "nottinghamshire",
               "--pay-year", "2025/26", "--from", str(structure), "--on", "2025-04-01")[0] == 0
    code, out, err = run(capsys, "register", "expiring", str(db), "--on", "2026-01-01")
    assert code == 0, err
    assert "Project officer" in out and "No pay basis is stored for 2026/27" in out
    assert run(capsys, "register", "basis", str(db), "--employer", "nottinghamshire",
               "--pay-year", "2026/27", "--award", "2026/27=3.2%")[0] == 0
    code, out, err = run(capsys, "register", "expiring", str(db), "--on", "2026-01-01")
    assert code == 0 and "£48,005" in out, err


def test_an_explanation_warns_of_the_assumed_award(capsys, posts):
    code, out, err = run(capsys, "cost", str(posts), *AWARD, "--explain", "P1")
    assert code == 0, err
    assert "NJC new spine scp 23 in force 2026-04-01 (award 2026/27 3.2% (assumed)): £35,536" \
        in out
    assert "Warning: award 2026/27 3.2% (assumed): assumed" in out
