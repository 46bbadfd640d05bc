"""Large tables written directly (establishment.tables.fast) are byte for byte what the
ordinary table and renderer write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import PayBasis, Payment, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.model.style import Style
from establishment.tables import committee_table, fast, render
from establishment.tables.fast import committee_chunks, committee_csv

BASIS = PayBasis("nottinghamshire", pay_year="2018/19", rule="council-2018")


def structure() -> Structure:
    posts = [
        Post("Reviewing Officer", 2, "Hay Band A", scp=34, reference="R1"),
        Post('Officer, "senior"', Decimal("0.5"), "Grade 5", scp=22, status="vacant"),
        Post("=HYPERLINK(x)", Decimal("1.5"), "Hay Band B", team="ICDS",
             end=dt.date(2019, 1, 31)),
        Post("Team Manager", 1, "Hay Band D", start=dt.date(2019, 6, 1)),  # not in force
        Post("Consultant", 1, "", cost_per_fte=Decimal("50000.50")),
        Post("Top of grade", 1, "Grade 4"),
        Post("Line\nbreak", Decimal("0.25"), "Grade 3", scp=16, funding="Core 60%; Grant 40%"),
        Post("Temporary too", 1, "Grade 4", end=dt.date(2019, 2, 28), status="vacant"),
        Post("Undisclosed", 1, "Grade 4", unpriced="not disclosed"),
        Post("No pay", Decimal("0.5"), "Grade 4", unpriced="none"),
    ]
    payments = [Payment("Honorarium", Decimal("1200"), per="total", start=dt.date(2018, 7, 1),
                        end=dt.date(2018, 12, 31)),
                Payment("Allowance", Decimal("-300.50"))]
    return Structure("Team", posts, payments)


@pytest.mark.parametrize("period", [None, (dt.date(2018, 7, 1), dt.date(2019, 3, 31))])
@pytest.mark.parametrize("point", ["actual", "top"])
def test_the_fast_committee_csv_is_the_ordinary_one(period, point):
    costing = cost(structure(), BASIS.evolve(point=point), period=period)
    assert committee_csv(costing) == render(committee_table(costing, "Team"), "csv")


def one_line_structure() -> Structure:
    """The structure without its two-line title (the plain table wraps such a cell)."""
    whole = structure()
    return Structure("Team", [p for p in whole.posts if "\n" not in p.title], whole.payments)


@pytest.fixture
def small_is_large(monkeypatch):
    """The fast writers used for tables of any length."""
    monkeypatch.setattr(fast, "LARGE", 1)


@pytest.mark.parametrize("arrow", [True, False])
@pytest.mark.parametrize("period", [None, (dt.date(2018, 7, 1), dt.date(2019, 3, 31))])
@pytest.mark.parametrize("brackets", [False, True])
def test_the_fast_plain_table_is_the_ordinary_one(small_is_large, monkeypatch, period,
                                                   brackets, arrow):
    """Markers (two temporaries numbered t1 and t2, vacant, not in force, both unpriced
    kinds, inferred), the notes, the legend, negatives both ways, with and without pyarrow."""
    if not arrow:
        monkeypatch.setattr(fast, "_arrow_body", lambda *args: None)
    costing = cost(one_line_structure(), BASIS, period=period)
    style = Style(brackets=brackets)
    written = committee_chunks(costing, "plain", "Team", style)
    assert written is not None
    assert written.text() == render(committee_table(costing, "Team"), "plain", style) + "\n"
    csv_text = committee_chunks(costing, "csv").text()
    assert csv_text == render(committee_table(costing, "Team"), "csv") + "\n"


def test_the_fast_writers_leave_what_they_cannot_write_exactly(small_is_large):
    costing = cost(structure(), BASIS)
    assert committee_chunks(costing, "plain", "Team") is None  # a title of two lines
    assert committee_chunks(costing, "plain", "Team", Style(width=80)) is None  # a terminal
    assert committee_chunks(costing, "github") is None
    assert committee_chunks(costing, "csv") is not None


def test_small_tables_take_the_ordinary_writer():
    costing = cost(structure(), BASIS)
    assert committee_chunks(costing, "csv") is None


def test_the_command_line_writes_a_large_table_the_same_either_way(tmp_path, capsys,
                                                                      monkeypatch):
    """``cost`` of a structure of LARGE lines and more: the file and the piped text are
    byte for byte what the ordinary table and renderer write; CSV holds the committee table
    only, as it does for a small structure (``--by`` adds a table to plain text only)."""
    posts = [Post(f"Officer {i % 7}", Decimal(i % 4 + 1) / 4, "Grade 5", scp=20 + i % 3,
                  end=dt.date(2019, 1, 1 + i % 3) if i % 5 == 0 else None,
                  status="vacant" if i % 11 == 0 else "filled", team=f"T{i % 3}")
             for i in range(fast.LARGE + 5)]
    path = tmp_path / "big.toml"
    from establishment.io import write_structure

    write_structure(Structure("Big", posts), path)
    options = ["--employer", "nottinghamshire", "--pay-year", "2018/19",
               "--rule", "council-2018"]

    def outputs():
        got = {}
        for name, extra in (("csv", ["--output", str(tmp_path / "out.csv")]),
                            ("csv-by", ["--by", "team", "--output", str(tmp_path / "by.csv")]),
                            ("plain", ["--by", "team"])):
            assert main(["cost", str(path), *options, *extra]) == 0
            got[name] = capsys.readouterr().out
        got["csv"] = (tmp_path / "out.csv").read_bytes()
        got["csv-by"] = (tmp_path / "by.csv").read_bytes()
        return got

    written, chunks = [], fast.committee_chunks

    def spy(*args, **kwargs):
        found = chunks(*args, **kwargs)
        written.append(found is not None)
        return found

    monkeypatch.setattr(fast, "committee_chunks", spy)
    quick = outputs()
    assert written == [True, True, True]  # the fast writers wrote all three
    lines = fast.LARGE
    monkeypatch.setattr(fast, "LARGE", 10**9)  # the ordinary path
    ordinary = outputs()
    assert written[3:] == [False, False, False]
    assert quick == ordinary
    assert quick["csv"] == quick["csv-by"]
    assert quick["plain"].count("\n") > lines and "Cost by team" in quick["plain"]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B, c", "'x", "-1"]),
                          st.sampled_from(["1", "0.5", "0.3333", "2"]),
                          st.sampled_from([("Hay Band A", 30), ("Grade 5", None),
                                           ("Grade 4", 20)])), min_size=1, max_size=30))
def test_generated_costings_write_the_same_csv_both_ways(rows):
    posts = [Post(title, Decimal(fte), grade, scp=scp) for title, fte, (grade, scp) in rows]
    costing = cost(Structure("S", posts), BASIS)
    assert committee_csv(costing) == render(committee_table(costing), "csv")
    fast.LARGE, large = 1, fast.LARGE
    try:
        plain = committee_chunks(costing, "plain", "S").text()
    finally:
        fast.LARGE = large
    assert plain == render(committee_table(costing, "S"), "plain") + "\n"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([(), ("Core", 100), ("Core", 60, "Grant", 40),
                                           ("Grant", 33.33, "Core", 66.67), ("Grant", 100)]),
                          st.integers(-10**6, 10**6)), max_size=40), st.sampled_from([1, -1]))
def test_funding_totals_of_many_lines_are_those_of_each_line(lines, sign):
    """add_lines_by_source (grouped, vectorised) == add_by_source line by line: the same
    pence per source, in the same order."""
    from establishment.model.funding import add_by_source, add_lines_by_source, to_funding

    def funding(spec):
        return to_funding([(spec[i], Decimal(str(spec[i + 1]))) for i in range(0, len(spec), 2)])

    fundings = [funding(spec) for spec, _ in lines]
    amounts = [amount for _, amount in lines]
    one: dict[str, int] = {}
    for shares, amount in zip(fundings, amounts):
        add_by_source(one, shares, amount, sign)
    two: dict[str, int] = {}
    add_lines_by_source(two, fundings, amounts, sign)
    assert list(one.items()) == list(two.items())
