"""One pricing path (issue 10): projection and explanations take every cost per fte from the
engine, group keys never collide, and credits (negative payments) cost everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np

from establishment import PayBasis, Payment, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.operations.explain import explain_line
from establishment.operations.projection import distinct_rows, projection
from scenarios import load_scenario

NJC_2019 = PayBasis(employer="nottinghamshire", pay_year=2019, rule="njc")


def _posts_with_increment_days(count: int) -> list[Post]:
    """``count`` Grade 5 posts at different points, each with its own increment day."""
    first = dt.date(2000, 1, 1)
    return [Post(title=f"Officer {i}", reference=f"P{i}", fte=Decimal("0.5") + i % 3,
                 grade="Grade 5", scp=15 + i % 8,
                 increment_date=first + dt.timedelta(days=4 * i)) for i in range(count)]


def test_eighty_increment_days_each_post_costs_what_it_costs_alone():
    posts = _posts_with_increment_days(80)
    together = projection(Structure("team", posts), NJC_2019, "2019-04", 24)
    for index in range(0, 80, 7):
        alone = projection(Structure("one", [posts[index]]), NJC_2019, "2019-04", 24)
        assert (together.amounts[index] == alone.amounts[0]).all()


def test_cli_project_eighty_increment_days_no_traceback(tmp_path, capsys):
    rows = ["[basis]", 'employer = "nottinghamshire"', "pay_year = 2019", 'rule = "njc"', ""]
    for post in _posts_with_increment_days(80):
        rows += ["[[post]]", f'reference = "{post.reference}"', f'title = "{post.title}"',
                 f'fte = "{post.fte}"', f'grade = "{post.grade}"', f"scp = {post.scp}",
                 f"increment_date = {post.increment_date.isoformat()}", ""]
    path = tmp_path / "team.toml"
    path.write_text("\n".join(rows))
    assert main(["project", str(path), "--from", "2019-04", "--months", "24"]) == 0
    assert "Traceback" not in capsys.readouterr().err


def test_distinct_rows_uses_the_actual_counts_not_bit_widths():
    columns = [np.array([0, 1, 1, 0]), np.array([70, 70, 5, 70]), np.array([3, 0, 0, 3])]
    rows, inverse = distinct_rows(columns)
    assert rows.tolist() == [[0, 70, 3], [1, 5, 0], [1, 70, 0]]
    assert inverse.tolist() == [0, 2, 1, 0]
    huge = [np.array([2 ** 40, 1]), np.array([2 ** 40, 2 ** 40])]
    rows, inverse = distinct_rows(huge)  # the radix would overflow: np.unique on the stack
    assert rows.tolist() == [[1, 2 ** 40], [2 ** 40, 2 ** 40]] and inverse.tolist() == [1, 0]


def test_projection_honours_rates_on_as_the_engine_does():
    scenario = load_scenario("2015-short-breaks-posts")
    basis = scenario.basis  # 2014/15, rates on 12 January 2015, top of grade, salary only
    engine = cost(scenario.structure, basis, period=(dt.date(2014, 4, 1), dt.date(2015, 3, 31)))
    months = projection(scenario.structure, basis, "2014-04", 12, increments=False)
    assert months.amounts.sum(axis=1).tolist() == engine.lines["period"].tolist()


def test_a_credit_costs_everywhere():
    team = Structure("team", [Post(title="Officer", fte=1, grade="Grade 5", scp=20)],
                     [Payment(title="Recharge to health", amount="-5000.00",
                              start=dt.date(2018, 4, 1), end=dt.date(2019, 3, 31)),
                      Payment(title="Refund", amount="-1200.50", per="total",
                              start=dt.date(2018, 4, 1), end=dt.date(2018, 9, 30))])
    basis = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
    costing = cost(team, basis, period=(dt.date(2018, 4, 1), dt.date(2019, 3, 31)))
    officer = int(costing.lines["full_year"].iloc[0])
    assert costing.lines["full_year"].tolist() == [officer, -5000, -1201]
    assert costing.lines["period"].tolist() == [officer, -5000, -1201]
    months = projection(team, basis, "2018-04", 12)
    assert months.amounts.sum(axis=1).tolist() == [officer, -5000, -1201]
    assert explain_line(costing, 2, period=True).result == Decimal(-1201)


def test_explain_a_lump_sum_period_is_its_share_of_its_own_days():
    team = Structure("team", [], [Payment(title="Project fee", amount="4200", per="total",
                                          start=dt.date(2019, 1, 1), end=dt.date(2019, 6, 30))])
    basis = PayBasis(employer="nottinghamshire", pay_year=2018, rule="njc")
    costing = cost(team, basis, period=(dt.date(2018, 4, 1), dt.date(2019, 3, 31)))
    explanation = explain_line(costing, 0, period=True)
    # 90 of the payment's 181 days fall in 2018/19: 4200 x 90 / 181 = 2088.40 -> £2,088
    assert explanation.result == Decimal(2088) == int(costing.lines["period"].iloc[0])
    shown = [line.amount for line in explanation.lines if "segment" in line.label
             or "share" in line.label]
    assert shown == [Decimal("2088.40")]


# -- posts in force ----------------------------------------------------------------------------

def _outside_2020() -> Structure:
    return Structure("team", [
        Post(title="Officer", reference="IN", fte=1, grade="Grade 5", scp=20),
        Post(title="Ended", reference="OLD", fte=1, grade="Grade 5", scp=20,
             end=dt.date(2019, 3, 31)),
        Post(title="Later", reference="NEW", fte="0.5", grade="Grade 5", scp=20,
             start=dt.date(2022, 4, 1))])


def test_posts_wholly_outside_the_pay_year_cost_nothing_in_it():
    basis = PayBasis(employer="nottinghamshire", pay_year=2020, rule="njc")
    costing = cost(_outside_2020(), basis)
    alone = cost(Structure("one", [_outside_2020().posts[0]]), basis)
    assert costing.lines["full_year"].tolist() == [int(alone.full_year), 0, 0]
    assert costing.lines["in_force"].tolist() == [True, False, False]
    assert costing.full_year == alone.full_year
    assert costing.fte == Decimal(1) and costing.not_in_force == 2
    assert costing.by("team")["fte"].tolist() == [Decimal(1)]


def test_committee_table_marks_and_notes_lines_not_in_force():
    from establishment.tables.committee import committee_table

    basis = PayBasis(employer="nottinghamshire", pay_year=2020, rule="njc")
    table = committee_table(cost(_outside_2020(), basis))
    # each line carries every marker that applies (the 22.2% on-cost rate is inferred data)
    assert [row[0] for row in table.marked().rows] == ["Officer [i]", "Ended [t, n, i]",
                                                       "Later [n, i]"]
    assert "[n] not in force in 2020/21" in table.marked().notes
    assert [row[4] for row in table.rows][1:] == [Decimal(0), Decimal(0)]
    assert any("2 lines not in force in 2020/21" in note for note in table.notes)
    assert table.column_total(1) == table.total[1] == Decimal(1)


def test_diff_follows_the_pay_year_a_post_ending_before_it_changes_nothing():
    from establishment.operations.diff import diff

    basis = PayBasis(employer="nottinghamshire", pay_year=2020, rule="njc")
    before = _outside_2020()
    after = before.with_posts(before.posts[:1])
    result = diff(before, after, basis)
    assert result.net_full_year == 0 and result.fte_change == 0


def test_check_warns_about_lines_not_in_force(tmp_path, capsys):
    path = tmp_path / "team.toml"
    path.write_text('[basis]\nemployer = "nottinghamshire"\npay_year = 2020\nrule = "njc"\n\n'
                    '[[post]]\nreference = "OLD"\ntitle = "Ended"\nfte = 1\n'
                    'grade = "Grade 5"\nscp = 20\nend = 2019-03-31\n')
    assert main(["check", str(path)]) == 0
    err = capsys.readouterr().err
    assert f"establishment: warning: {path}: 1 line not in force in 2020/21" in err
    assert "OLD" in err


# -- no silent basis ---------------------------------------------------------------------------

def _freeze(monkeypatch, day: dt.date) -> None:
    import establishment.model.pay_basis

    monkeypatch.setattr(establishment.model.pay_basis, "today", lambda: day)


def test_no_employer_is_an_error_listing_the_bundled_ones():
    import pytest

    from establishment.errors import ValidationError

    team = Structure("team", [Post(title="Officer", fte=1, grade="Grade 5", scp=20)])
    for call in (lambda: cost(team), lambda: cost(team, PayBasis(pay_year=2019)),
                 lambda: projection(team, None, "2019-04", 12)):
        with pytest.raises(ValidationError, match="civil-service, nottinghamshire"):
            call()


def test_no_pay_year_is_todays_when_the_data_cover_it(monkeypatch):
    _freeze(monkeypatch, dt.date(2024, 11, 29))
    team = Structure("team", [Post(title="Officer", fte=1, grade="Grade 5", scp=20)])
    costing = cost(team, PayBasis(employer="nottinghamshire", rule="njc"))
    assert costing.basis.pay_year == 2024 and costing.basis.pay_year_today
    assert "pay year 2024/25 (not given, today's)" in costing.basis.describe()
    given = cost(team, PayBasis(employer="nottinghamshire", rule="njc", pay_year=2024))
    assert costing.full_year == given.full_year and not given.basis.pay_year_today


def test_no_pay_year_beyond_the_data_names_the_latest_and_how_to_give_one(monkeypatch):
    import pytest

    from establishment.errors import ValidationError

    _freeze(monkeypatch, dt.date(2026, 11, 29))
    team = Structure("team", [Post(title="Officer", fte=1, grade="Grade 5", scp=20)])
    with pytest.raises(ValidationError) as caught:
        cost(team, PayBasis(employer="nottinghamshire"))
    message = str(caught.value)
    assert "2026/27" in message and "end in 2025/26" in message
    assert "--pay-year 2025/26" in message and "PayBasis(pay_year=\"2025/26\")" in message


def test_cli_without_employer_or_pay_year(monkeypatch, tmp_path, capsys):
    path = tmp_path / "posts.toml"
    path.write_text('[[post]]\ntitle = "Officer"\nfte = 1\ngrade = "Grade 5"\nscp = 20\n')
    assert main(["cost", str(path)]) == 2
    err = capsys.readouterr().err
    assert "no employer given" in err and "civil-service, nottinghamshire" in err
    _freeze(monkeypatch, dt.date(2026, 5, 1))
    assert main(["cost", str(path), "--employer", "nottinghamshire"]) == 2
    err = capsys.readouterr().err
    assert "no pay year given" in err and "--pay-year 2025/26" in err
    _freeze(monkeypatch, dt.date(2025, 5, 1))
    assert main(["cost", str(path), "--employer", "nottinghamshire"]) == 0
    out, err = capsys.readouterr()
    assert "pay year 2025/26: not given, today's" in err
    assert "pay year 2025/26 (not given, today's)" in out
