"""Comparing options (scenarios.compare) and the diff / compare commands on files."""

from __future__ import annotations

import datetime as dt
import sys
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings

import scenarios
from establishment import PayBasis, Post, Structure, write_structure
from establishment.cli.main import main
from establishment.model.vacancy import VacancyFactor
from establishment.operations.changes import (
    ChangeError,
    ChangeFte,
    Disestablish,
    Establish,
    apply_changes,
)
from establishment.operations.diff import diff
from establishment.tables.comparison_table import options_table
from tests.strategies import structure_pairs

BASIS = PayBasis("nottinghamshire", pay_year="2019/20")


def base() -> Structure:
    return Structure("Current", [
        Post("Manager", 1, "Band D", reference="M", funding="Core"),
        Post("Assistant", 4, "Grade 3", reference="A", funding={"Core": 70, "Grant": 30}),
    ])


def test_options_as_change_lists_structures_and_diffs():
    option_b = apply_changes(base(), [ChangeFte("A", 2)])
    comparison = scenarios.compare(base(), {
        "A: regrade assistants": [Disestablish("A"),
                                  Establish(Post("Organiser", 4, "Grade 4", funding="Core"))],
        "B: fewer assistants": option_b,
        "C: as a diff": diff(base(), option_b, BASIS),
    }, BASIS)
    names = [o.name for o in comparison.options]
    assert names == ["Base", "A: regrade assistants", "B: fewer assistants", "C: as a diff"]
    b = comparison["B: fewer assistants"]
    assert b.full_year_change == b.full_year - comparison.base.full_year == -2 * 25402
    assert comparison["C: as a diff"].full_year == b.full_year
    assert comparison["A: regrade assistants"].full_year_change == 4 * (29357 - 25402)
    assert comparison.cheapest.name == "B: fewer assistants"
    table = options_table(comparison)
    assert [row[0] for row in table.rows] == names
    assert table.rows[0][3] == 0


def test_in_period_costs_and_funding_columns_reconcile():
    period = (dt.date(2019, 10, 1), dt.date(2020, 3, 31))
    comparison = scenarios.compare(base(), {"Half": [ChangeFte("A", 2)]}, BASIS, period=period)
    option = comparison["Half"]
    assert option.period_change == option.period - comparison.base.period
    for result in comparison.options:
        assert sum(result.by_funding().values(), Decimal(0)) == result.full_year
    headers = [c.name for c in options_table(comparison).columns]
    assert "Cost 1 Oct 2019 to 31 Mar 2020" in headers
    assert "Paid by Grant (full year)" in headers


def test_vacancy_factor_is_a_column_not_a_reduction():
    comparison = scenarios.compare(base(), {"Same": base()}, BASIS, vacancy=VacancyFactor("3%"))
    table = options_table(comparison)
    column = [c.name for c in table.columns].index("Vacancy factor (full year)")
    assert table.rows[0][2] == comparison.base.full_year
    expected = (comparison.base.full_year * 3 / 100).quantize(Decimal(1), ROUND_HALF_UP)
    assert table.rows[0][column] == -expected


def test_vacancy_factor_rounds_half_up_like_the_library():
    """10% of £12,345 is £1,234.50 exactly: half up gives £1,235 (half-even would give
    £1,234, so a half-even rounding anywhere on the way shows here)."""
    spot = Structure("Spot", [Post("Adviser", 1, "Spot", cost_per_fte=12345)])
    comparison = scenarios.compare(spot, {"Same": spot}, BASIS, vacancy=VacancyFactor("10%"))
    table = options_table(comparison)
    column = [c.name for c in table.columns].index("Vacancy factor (full year)")
    assert table.rows[0][2] == 12345
    assert table.rows[0][column] == -1235
    assert -1235 == -(Decimal(12345) / 10).quantize(Decimal(1), ROUND_HALF_UP)


def test_an_option_that_does_not_fit_names_the_option():
    with pytest.raises(ChangeError, match="option 'Bad'"):
        scenarios.compare(base(), {"Bad": [Disestablish("Nope")]}, BASIS)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structure_pairs())
def test_comparison_funding_splits_reconcile_to_the_penny(pair):
    before, after = pair
    comparison = scenarios.compare(before, {"after": after},
                                   PayBasis("nottinghamshire", pay_year="2018/19"))
    for option in comparison.options:
        assert sum(option.by_funding().values(), Decimal(0)) == option.full_year


# --- command line -------------------------------------------------------------------------

@pytest.fixture()
def files(tmp_path):
    before, after = tmp_path / "before.toml", tmp_path / "after.toml"
    write_structure(base(), before, BASIS)
    write_structure(apply_changes(base(), [ChangeFte("A", 2)]).evolve(name="Proposed"), after,
                    BASIS)
    return before, after


@pytest.mark.parametrize("fmt", ["plain", "github", "csv"])
def test_diff_command_formats(files, capsys, fmt):
    before, after = files
    assert main(["diff", str(before), str(after), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "change fte" in out
    if fmt == "csv":
        assert "Change,Post,What changes,Full-year effect" in out
        assert "Net change,,,-50804" in out
    else:
        assert "-£50,804" in out


@pytest.mark.parametrize("fmt", ["plain", "github", "csv"])
def test_compare_command_formats(files, capsys, fmt):
    before, after = files
    assert main(["compare", str(before), str(after), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "Proposed" in out and "Current" in out
    assert ("-50804" if fmt == "csv" else "-£50,804") in out


def test_compare_needs_two_files_and_bad_files_exit_2(files, tmp_path, capsys):
    before, _ = files
    assert main(["compare", str(before)]) == 2
    assert "at least two files" in capsys.readouterr().err
    missing = tmp_path / "missing.toml"
    assert main(["diff", str(before), str(missing)]) == 2
    assert "no such file" in capsys.readouterr().err


def test_chart_without_the_charts_module_is_a_clear_error(files, tmp_path, capsys,
                                                          monkeypatch):
    before, after = files
    monkeypatch.setitem(sys.modules, "establishment.tables.charts", None)
    code = main(["diff", str(before), str(after), "--chart", str(tmp_path / "w.png")])
    assert code == 2
    assert "--chart needs" in capsys.readouterr().err
    assert not (tmp_path / "w.png").exists()


def test_charts_are_written(files, tmp_path):
    pytest.importorskip("matplotlib")
    before, after = files
    assert main(["diff", str(before), str(after), "--chart", str(tmp_path / "w.png")]) == 0
    assert main(["compare", str(before), str(after), "--chart", str(tmp_path / "c.svg")]) == 0
    assert (tmp_path / "w.png").stat().st_size > 0
    assert (tmp_path / "c.svg").read_text().lstrip().startswith("<?xml")


def test_compare_a_file_with_itself(files, capsys):
    # it used to exit 2 with "'options' must be distinct names"
    before, _ = files
    assert main(["compare", str(before), str(before), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert f"{before} (2),5,159797,0," in out


@pytest.mark.parametrize("command", ["diff", "compare"])
def test_a_file_whose_basis_is_set_aside_is_said_so(files, tmp_path, capsys, command):
    # the second file's [basis] used to be ignored without a word
    before, _ = files
    other = tmp_path / "other.toml"
    write_structure(base().evolve(name="Other"), other,
                    PayBasis("nottinghamshire", pay_year="2018/19"))
    assert main([command, str(before), str(other), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert f"{other} names a different [basis]" in captured.err
    assert f"costed on {before}'s" in captured.err
    assert main([command, str(before), str(before), "--format", "csv"]) == 0
    assert capsys.readouterr().err == ""


def test_an_option_resting_on_an_assumed_award_is_marked_a(tmp_path, capsys):
    """A pay year past the data is costed on an assumed award: each option's row says [a] and
    the legend says what it means, as a cost line does; a year of published data has none."""
    from tests.cli_run import run

    later, known = tmp_path / "later.toml", tmp_path / "known.toml"
    post = [Post("Officer", 1, "Hay Band A", 28, team="T")]
    write_structure(Structure("Later", post), later,
                    PayBasis(employer="nottinghamshire", pay_year=2027, rule="njc"))
    write_structure(Structure("Known", post), known,
                    PayBasis(employer="nottinghamshire", pay_year=2019, rule="njc"))
    code, out, err = run(capsys, "compare", str(later), str(later), "--award", "3%")
    assert code == 0, err
    rows = [line for line in out.splitlines() if line.startswith(str(later))]
    assert len(rows) == 2 and all(f"{later} [a]" in r or f"{later} (2) [a]" in r for r in rows)
    assert "[a] rests on an assumed pay award (or rates carried forward): see the basis" in out
    code, out, err = run(capsys, "compare", str(known), str(known))
    assert code == 0, err
    assert "[a]" not in out
