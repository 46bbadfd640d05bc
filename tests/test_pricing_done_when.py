"""Issue 10's named checks that are not properties (``establishment project`` on 80 posts with
80 distinct increment days gives each post the cost it has alone), and regressions for what the
properties of tests/test_properties_pricing.py found."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pay_scales
from establishment import PayBasis, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.operations.projection import projection

# (grade, new-spine points it holds in 2019/20 to 2021/22) of the bundled Nottinghamshire data
GRADES = [("Grade 4", range(8, 15)), ("Grade 5", range(15, 23)), ("Hay Band A", range(23, 29)),
          ("Hay Band B", range(28, 34)), ("Hay Band C", range(34, 39))]


def _post_rows(index: int) -> list[str]:
    """Post ``index``: its own team (so ``--by team`` shows its line), a grade and point, an
    fte with up to 4 decimals, its own increment day, sometimes a start or end inside the
    window."""
    grade, points = GRADES[index % len(GRADES)]
    scp = points[index % len(points)]
    fte = Decimal(1 + (index * 37) % 12_000) / 10_000 if index % 3 else Decimal(1)
    increment = dt.date(2000, 1, 3) + dt.timedelta(days=4 * index + index % 3)
    rows = ["[[post]]", f'reference = "P{index:02d}"', f'team = "P{index:02d}"',
            'title = "Officer"', f'fte = "{fte}"', f'grade = "{grade}"', f"scp = {scp}",
            f"increment_date = {increment.isoformat()}"]
    if index % 7 == 3:
        rows.append(f"start = {(dt.date(2019, 6, 1) + dt.timedelta(days=9 * index)).isoformat()}")
    if index % 11 == 5:
        rows.append(f"end = {(dt.date(2020, 2, 1) + dt.timedelta(days=5 * index)).isoformat()}")
    return rows + [""]


HEADER = ["[basis]", 'employer = "nottinghamshire"', 'rule = "njc"', ""]
ARGS = ["--from", "2019-04", "--months", "36", "--vacancy-factor", "3%", "--by", "team",
        "--format", "csv", "--table", "monthly"]


def _project(path, capsys) -> dict[str, list[dict[str, str]]]:
    """Run ``establishment project`` on ``path``: each team's monthly rows (every column)."""
    capsys.readouterr()
    code = main(["project", str(path), *ARGS])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Traceback" not in err
    rows = list(csv.reader(io.StringIO(out)))
    header = rows[0]
    assert header[:2] == ["Month", "Team"]
    by_team: dict[str, list[dict[str, str]]] = {}
    for row in rows[1:]:
        if row and row[0] != "Total":
            by_team.setdefault(row[1], []).append(dict(zip(header, row)))
    return by_team


def test_cli_project_80_posts_80_increment_days_each_costs_what_it_costs_alone(tmp_path,
                                                                              capsys):
    count = 80
    together_file = tmp_path / "team.toml"
    together_file.write_text("\n".join(HEADER + [r for i in range(count)
                                                 for r in _post_rows(i)]))
    together = _project(together_file, capsys)
    assert sorted(together) == [f"P{i:02d}" for i in range(count)]
    assert len({r for i in range(count) for r in _post_rows(i)
                if r.startswith("increment_date")}) == count
    for index in range(count):
        alone_file = tmp_path / f"p{index}.toml"
        alone_file.write_text("\n".join(HEADER + _post_rows(index)))
        alone = _project(alone_file, capsys)
        assert together[f"P{index:02d}"] == alone[f"P{index:02d}"], index


def test_a_projection_on_a_penny_basis_is_in_pence_like_the_engine():
    """Found by the projection-equals-period property: a basis with ``round_to = "penny"``
    was projected in whole pounds (a 2019/20 half-time post at SCP 20: £12,648 beside
    £12,647.50)."""
    basis = PayBasis("nottinghamshire", pay_year=2019, rule="salary-only", round_to="penny")
    post = Post(title="Officer", fte="0.5", grade="Grade 5", scp=20)
    result = projection(Structure("one", [post]), basis, "2019-04", 12, increments=False)
    salary = pay_scales.load_employer("nottinghamshire").spine.point(20, dt.date(2019, 4, 1))
    expected = (salary.salary / 2).quantize(Decimal("0.01"))
    assert result.pay_year_total(2019) == expected == Decimal("12647.50")
    period = (dt.date(2019, 4, 1), dt.date(2020, 3, 31))
    assert cost(Structure("one", [post]), basis, period=period).period_total == expected
    assert sum(result.monthly()["total"], Decimal(0)) == expected
