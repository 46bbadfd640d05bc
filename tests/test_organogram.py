"""Organogram returns: banded on-costs, robust reading, conversion, tables and diffs."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pay_scales
from establishment.cli.main import main
from establishment.engine.costing import cost as cost_of
from establishment.engine.unpriced import unpriced_note
from establishment.errors import LoadError
from establishment.io import load_structure_file
from establishment.operations.diff import diff
from establishment.operations.explain import explain_line
from establishment.organogram import (
    import_organogram,
    junior_reference,
    return_pay_year,
)
from establishment.organogram.reading import parse_money, parse_pay
from establishment.organogram.tables import (
    diff_unit_table,
    grouped_table,
    rollup_table,
)
from establishment.tables.totals import adds_up
from pay_scales.errors import PayScaleError
from pay_scales.rules import OnCost, RateBand, parse_rule

D = Decimal


class TestBandedOnCost:
    """The civil service's one on-cost rule: ASLC bands and rates as dated data (aslc.csv),
    employer NI by tax year, the apprenticeship levy from 2017/18."""

    @pytest.fixture
    def civil(self):
        return pay_scales.load_employer("civil-service")

    @pytest.mark.parametrize(("salary", "cost", "band"), [
        # 2013/14: NI 13.8% above £7,696; ASLC bands 21,500 / 44,500 / 74,500 (EPN350)
        ("20000", 25038, "16.7% x £20,000 (band up to £21,500, rates from 2013-04-01)"),
        ("21500", 26995, "16.7% x £21,500 (band up to £21,500, rates from 2013-04-01)"),
        ("21501", 27448, "18.8% x £21,501 (band over £21,500 up to £44,500, rates from "
                         "2013-04-01)"),
        ("48000", 64026, "21.8% x £48,000 (band over £44,500 up to £74,500, rates from "
                         "2013-04-01)"),
        ("90000", 123228, "24.3% x £90,000 (band over £74,500, rates from 2013-04-01)"),
    ])
    def test_2013(self, civil, salary, cost, band):
        unit = civil.cost_of_salary(D(salary), 2013)
        assert unit.cost == cost and unit.rule == "pcsps"
        ni, pension = unit.components
        assert ni.formula == f"13.8% x (£{int(salary):,} - £7,696)"
        assert pension.formula == band
        assert pension.name == "Civil Service pension employer contribution (ASLC)"

    @pytest.mark.parametrize(("year", "ni", "aslc", "levy", "cost"), [
        # £50,000 each year, by hand: NI rate x (50,000 - threshold) + ASLC band 3 rate x
        # 50,000 (+ 0.5% levy from 2017/18), rounded to £1 once
        (2010, "12.8% x (£50,000 - £5,715)", "21.8%", False, 66568),  # 5,668.48 + 10,900
        (2011, "13.8% x (£50,000 - £7,072)", "21.8%", False, 66824),  # 5,924.06 + 10,900
        (2012, "13.8% x (£50,000 - £7,488)", "21.8%", False, 66767),
        (2014, "13.8% x (£50,000 - £7,956)", "21.8%", False, 66702),
        (2015, "13.8% x (£50,000 - £8,112)", "22.1%", False, 66831),  # EPN420
        (2016, "13.8% x (£50,000 - £8,112)", "22.1%", False, 66831),
        (2017, "13.8% x (£50,000 - £8,164)", "22.1%", True, 67073),  # 5,773.37+11,050+250
        (2018, "13.8% x (£50,000 - £8,424)", "22.1%", True, 67037),
        (2019, "13.8% x (£50,000 - £8,632)", "27.9%", True, 69909),  # EPN567: 5,708.78+13,950+250
    ])
    def test_every_year_one_rule(self, civil, year, ni, aslc, levy, cost):
        unit = civil.cost_of_salary(D("50000"), year)
        assert unit.components[0].formula == ni
        assert unit.components[1].formula.startswith(f"{aslc} x £50,000")
        assert [c.name for c in unit.components][2:] == (["apprenticeship levy"] if levy else [])
        assert unit.cost == cost

    def test_2019_bands(self, civil):
        """EPN567: 26.6% / 27.1% / 27.9% / 30.3% on bands 23,000 / 45,500 / 77,000."""
        rates = [civil.cost_of_salary(D(s), 2019).components[1].formula.split(" x ")[0]
                 for s in ("23000", "23001", "45500", "45501", "77000", "77001")]
        assert rates == ["26.6%", "27.1%", "27.1%", "27.9%", "27.9%", "30.3%"]

    def test_inferred_years_say_so(self, civil):
        assert civil.cost_of_salary(D("20000"), 2011).inferred  # April 2010 bands assumed
        assert civil.cost_of_salary(D("20000"), 2014).inferred  # 2013 bands and rates assumed
        assert not civil.cost_of_salary(D("20000"), 2015).inferred

    @pytest.mark.parametrize("year", [2009, 2020])
    def test_a_year_without_data_names_the_years_covered(self, civil, year):
        with pytest.raises(PayScaleError, match=r"is for pay year 2010/11 to 2019/20 only, "
                           rf"not {year}/{(year + 1) % 100:02d}"):
            civil.cost_of_salary(D("20000"), year)

    def test_every_band_has_a_source(self, civil):
        oncost = civil.rule("pcsps").oncosts[0]
        assert [d.effective_from.year for d in oncost.schedule] == list(range(2010, 2020))
        assert all(b.source for d in oncost.schedule for b in d.bands)

    def test_bands_file_problems_are_located(self, tmp_path):
        (tmp_path / "b.csv").write_text("effective_from,up_to,rate,basis,source\n"
                                        "2015-04-01,100,0.1,published,\n", encoding="utf-8")
        with pytest.raises(PayScaleError, match=r"b.csv:2: band has no source"):
            parse_rule("r", {"oncosts": [{"name": "p", "bands_file": "b.csv"}]},
                       str(tmp_path / "employer.toml"))

    def test_flat_rate_rules_unchanged(self):
        rule = parse_rule("r", {"oncosts": [{"name": "pension", "rate": "0.222"}]}, "x")
        assert rule.oncosts[0] == OnCost("pension", D("0.222"))
        council = pay_scales.load_employer("nottinghamshire")
        assert council.unit_cost("Hay Band A", 34, 2018, rule="council-2018").cost == 40702

    def test_parse_bands(self):
        rule = parse_rule("r", {"oncosts": [{"name": "p", "bands": [
            {"up_to": "100", "rate": "0.1"}, {"rate": "0.2"}]}]}, "f.toml")
        assert rule.oncosts[0].bands == (RateBand(D("100"), D("0.1")), RateBand(None, D("0.2")))
        assert rule.oncosts[0].rate is None

    @pytest.mark.parametrize(("oncost", "message"), [
        ({"name": "p"}, "each oncost needs a name and a rate"),
        ({"name": "p", "bands": [{"up_to": 0.5, "rate": "0.1"}]}, "quoted decimals"),
        ({"name": "p", "bands": [{"rate": "0.1"}, {"up_to": "5", "rate": "0.2"}]},
         "bands must rise, with only the last open"),
        ({"name": "p", "bands": [{"up_to": "9", "rate": "0.1"}, {"up_to": "5", "rate": "0.2"}]},
         "bands must rise"),
        ({"name": "p", "rate": "0.1", "bands": [{"rate": "0.2"}]}, "one of 'rate', 'bands'"),
    ])
    def test_bad_bands(self, oncost, message):
        with pytest.raises(PayScaleError, match=message) as err:
            parse_rule("r", {"oncosts": [oncost]}, "f.toml")
        assert str(err.value).startswith("f.toml: rule 'r':")

    def test_salary_above_a_closed_top_band(self):
        rule = parse_rule("r", {"ni": False, "oncosts": [{"name": "p", "bands": [
            {"up_to": "100", "rate": "0.1"}]}]}, "f")
        with pytest.raises(PayScaleError, match="above the top band"):
            rule.oncosts[0].component(D("101"), "r")


# --- reading returns -------------------------------------------------------------------------

FIXTURES = Path(__file__).parent / "fixtures" / "organograms"
SYNTHETIC = FIXTURES / "synthetic"


@pytest.fixture
def in_synthetic(monkeypatch):
    """Run in the synthetic fixtures' folder, so messages name files as short paths."""
    monkeypatch.chdir(SYNTHETIC)


def pair(name: str) -> tuple[str, str]:
    return f"{name}-2013-09-30-senior.csv", f"{name}-2013-09-30-junior.csv"


def real(name: str) -> tuple[Path, Path]:
    return FIXTURES / f"{name}-senior.csv", FIXTURES / f"{name}-junior.csv"


def messages(name: str) -> list[str]:
    with pytest.raises(LoadError) as err:
        import_organogram(*pair(name))
    return [str(p) for p in err.value.problems]


class TestValues:
    @pytest.mark.parametrize(("text", "amount", "reformatted"), [
        ("45000", D("45000"), False), ("£45,000", D("45000"), True),
        ("45,000.50", D("45000.50"), True), (" 45000 ", D("45000"), False),
    ])
    def test_money(self, text, amount, reformatted):
        money = parse_money(text)
        assert (money.amount, money.reformatted, money.not_disclosed) == (amount, reformatted,
                                                                          False)

    @pytest.mark.parametrize("text", ["N/D", "nd", "n/d"])
    def test_not_disclosed(self, text):
        assert parse_money(text).not_disclosed and parse_money(text).amount is None

    @pytest.mark.parametrize("text", ["abc", "45k", "-5", "1.234", "£", "45,00", "4,5000"])
    def test_not_money(self, text):
        """A comma that does not separate thousands ('45,00') was dropped: read as 4500."""
        with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
            parse_money(text)

    def test_fte_decimal_comma_is_not_read(self):
        """'0,5' (a decimal comma) was read as 5 posts."""
        from establishment.organogram.reading import parse_fte

        with pytest.raises(ValueError, match="^0,5$"):
            parse_fte("0,5")
        # never a thousands comma in fte: 1,000 posts is a typo
        with pytest.raises(ValueError, match="^1,000$"):
            parse_fte("1,000")
        assert parse_fte("24.1") == D("24.1")

    def test_pay_year_of_a_return(self):
        """The pay year the return's date falls in: 31 March 2016 is in 2015/16."""
        assert return_pay_year(dt.date(2011, 3, 31)) == 2010
        assert return_pay_year(dt.date(2011, 9, 30)) == 2011
        assert return_pay_year(dt.date(2016, 3, 31)) == 2015
        assert return_pay_year(dt.date(2016, 4, 1)) == 2016


class TestSynthetic:
    """One made-up return per problem; exact messages, strict and lenient."""

    def test_figures_too_large_to_cost_are_located_problems(self, tmp_path):
        """An fte of 1e20 (a typo for 1.20) used to pass the reader and then fail in Post with
        an unlocated error, even in lenient mode, which should skip the row."""
        import csv

        senior, junior = (SYNTHETIC / name for name in pair("agency"))
        rows = list(csv.reader(junior.read_text(encoding="utf-8-sig").splitlines()))
        header = rows[0]
        rows[1][header.index("Number of Posts in FTE")] = "100000000000000000000"
        rows[2][header.index("Payscale Maximum (£)")] = "9999999999999999999"
        with open(tmp_path / "big-2013-09-30-junior.csv", "w", newline="",
                  encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
        (tmp_path / "big-2013-09-30-senior.csv").write_bytes(senior.read_bytes())
        files = (tmp_path / "big-2013-09-30-senior.csv", tmp_path / "big-2013-09-30-junior.csv")
        expected = [
            f"{files[1]}:2: [Number of Posts in FTE] must be at most 1,000,000 (found "
            "'100000000000000000000')",
            f"{files[1]}:3: [Payscale Maximum (£)] must be at most £1,000,000,000,000 (found "
            "'9999999999999999999')"]
        with pytest.raises(LoadError) as err:
            import_organogram(*files)
        assert [str(p) for p in err.value.problems] == expected
        lenient = import_organogram(*files, strict=False)
        assert [str(p) for p in lenient.report.problems] == expected

    def test_a_workbook_or_a_semicolon_csv_is_named_as_such(self, tmp_path):
        """The cp1252 fallback decoded a workbook's zip bytes into one garbled header."""
        senior, junior = (SYNTHETIC / name for name in pair("agency"))
        workbook = tmp_path / "s-2013-09-30-senior.csv"
        workbook.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
        with pytest.raises(LoadError) as err:
            import_organogram(workbook, junior)
        assert [str(p) for p in err.value.problems] == [
            f"{workbook}: is an Excel workbook, not a CSV text file: save the senior sheet as "
            "CSV UTF-8"]
        semicolons = tmp_path / "j-2013-09-30-junior.csv"
        semicolons.write_text(junior.read_text(encoding="utf-8-sig").replace(",", ";"),
                              encoding="utf-8")
        with pytest.raises(LoadError) as err:
            import_organogram(senior, semicolons)
        assert str(err.value.problems[0]).endswith(
            "; the header is one column separated by ';': expected commas")

    def test_clean_return_costs_exactly(self, in_synthetic):
        imported = import_organogram(*pair("agency"))
        costing = cost_of(imported.structure, imported.basis)
        # 2013/14, midpoints, NI 13.8% above £7,696, ASLC by band (EPN350), by hand:
        # S1 £142,499.50 -> 195,730; S2 £97,499.50 -> 133,585; S3 N/D -> 0;
        # G7 £55,000 -> 73,518; 2.5 x HEO £32,500 (42,033) -> 105,083; EO £22,500 -> 28,773
        assert list(costing.lines["full_year"]) == [195730, 133585, 0, 73518, 105083, 28773,
                                                    42033]
        assert costing.full_year == 578722
        assert imported.basis.rule is None  # the default: pcsps
        assert imported.basis.range_point == "midpoint"
        senior = imported.structure.posts[0]
        assert (senior.reference, senior.grade, senior.team, senior.reports_to,
                senior.salary_min, senior.salary_max) == ("S1", "SCS3", "Board", None,
                                                          D("140000"), D("144999"))
        vacant = imported.structure.posts[2]
        assert (vacant.status, vacant.cost_per_fte, vacant.reports_to) == ("vacant", None, "S2")
        junior = imported.structure.posts[4]
        assert (junior.reference, junior.fte, junior.reports_to) == (
            "S2 | Finance | HEO | Accountant", D("2.5"), "S2")
        assert imported.structure.name == "Test Agency organogram 2013-09-30"

    def test_range_points(self, in_synthetic):
        floor = import_organogram(*pair("agency"), range_point="floor")
        ceiling = import_organogram(*pair("agency"), range_point="ceiling")
        low = cost_of(floor.structure, floor.basis).full_year
        high = cost_of(ceiling.structure, ceiling.basis).full_year
        assert low < 578722 < high

    def test_rollup_beside_published(self, in_synthetic):
        imported = import_organogram(*pair("agency"))
        table = rollup_table(imported.organogram, cost_of(imported.structure, imported.basis))
        # S1's reports: the G7 adviser (£55,000) and senior post S2 (£97,500 at midpoint)
        assert [list(r) for r in table.rows] == [
            ["S1", "Chief Executive", "Board", D("8.5"), D("578722"), D("2"), D("152500"),
             D("55000"), D("60000"), D("-92500"), "juniors only"],
            ["S2", "Director of Finance", "Finance", D("6.5"), D("309474"), D("4.5"),
             D("103750"), D("103750"), D("90000"), D("-13750"), "neither nearer"],
            ["S3", "Head of Audit", "Audit", D("2"), D("42033"), D("1"), D("32500"),
             D("32500"), D("30000"), D("-2500"), "both (no senior posts beneath)"],
        ]
        assert "salary only" in table.notes[1] and "senior posts beneath" in table.notes[1]

    def test_by_unit_adds_up(self, in_synthetic):
        imported = import_organogram(*pair("agency"))
        table = grouped_table(cost_of(imported.structure, imported.basis), "team")
        assert [list(r) for r in table.rows] == [
            ["Board", D("2"), D("197500"), D("269248"), 0, D(0), 0, D(0)],
            ["Finance", D("4.5"), D("201250"), D("267441"), 0, D(0), 0, D(0)],
            ["Audit", D("2"), D("32500"), D("42033"), 1, D(1), 0, D(0)]]
        assert adds_up(table) and table.total[3] == 578722
        assert table.notes[1] == ("Unpriced: 1 post (1 fte) with pay not disclosed: counted in "
                                  "fte, not priced (£0), so the totals leave out their pay.")

    def test_nd_or_blank_pay_is_kept_unpriced(self, in_synthetic):
        """A blank or N/D junior pay was a problem that dropped the row; it is pay not
        disclosed: the row is loaded, counted in fte, not priced, and noted."""
        imported = import_organogram(*pair("nd-pay"))
        assert [str(n) for n in imported.report.notes][1:] == [
            "nd-pay-2013-09-30-junior.csv:4: [Payscale Minimum (£)] pay not disclosed ('' to "
            "'25000'): the row is kept and not priced",
            "nd-pay-2013-09-30-junior.csv:5: [Payscale Minimum (£)] pay not disclosed "
            "('30000' to 'N/D'): the row is kept and not priced"]
        posts = imported.structure.posts
        assert [p.unpriced for p in posts] == ["", "", "not disclosed", "", "",
                                               "not disclosed", "not disclosed"]
        assert cost_of(imported.structure, imported.basis).fte == D("8.5")

    def test_senior_nd_is_a_note(self, in_synthetic):
        notes = [str(n) for n in import_organogram(*pair("agency")).report.notes]
        assert notes == ["agency-2013-09-30-senior.csv:4: [Actual Pay Floor (£)] pay not "
                         "disclosed ('N/D' to 'N/D'): post S3 is kept and not priced"]

    def test_blank_or_zero_fte(self, in_synthetic):
        """Each row's own problems only: a parent that was skipped is a note, not a problem
        (it used to add a 'not a senior post' problem to every junior row beneath)."""
        assert messages("fte") == [
            "fte-2013-09-30-senior.csv:3: [FTE] must be above 0 (found '0'): no post to load",
            "fte-2013-09-30-junior.csv:3: [Number of Posts in FTE] is blank: expected a "
            "number of posts in fte above 0",
            "fte-2013-09-30-junior.csv:4: [Number of Posts in FTE] must be above 0 (found "
            "'0'): no post to load"]

    def test_unit_spaces_and_case(self, in_synthetic):
        imported = import_organogram(*pair("units"))
        assert [str(n) for n in imported.report.notes[1:]] == [
            "units-2013-09-30-junior.csv:3: [Unit] 'Finance ' read as 'Finance' (stray "
            "spaces)",
            "units-2013-09-30-junior.csv:4: [Unit] 'finance' read as 'Finance' (the spelling "
            "first used at units-2013-09-30-senior.csv:3)",
            "units-2013-09-30-junior.csv:5: [Unit] '  Audit' read as 'Audit' (stray spaces)"]
        assert imported.structure.teams == ["Board", "Finance", "Audit"]
        clean = import_organogram(*pair("agency"))
        assert imported.structure.posts == clean.structure.posts  # the returns match

    def test_extra_unnamed_and_reordered_columns(self, in_synthetic):
        imported = import_organogram(*pair("columns"))
        notes = [str(n) for n in imported.report.notes]
        assert notes[0] == ("columns-2013-09-30-senior.csv: ignored column(s) '' (unnamed, "
                            "column 12), 'source_file'")
        assert notes[2] == "columns-2013-09-30-junior.csv: ignored column(s) 'source_line'"
        clean = import_organogram(*pair("agency"))
        assert imported.structure.posts == clean.structure.posts

    def test_missing_column_fails_in_both_modes(self, in_synthetic):
        expected = ("missing-column-2013-09-30-junior.csv:1: not a junior organogram file: "
                    "missing column(s) 'Grade'; the header has 'Organisation', 'Unit', "
                    "'Reporting Senior Post', 'Payscale Minimum (£)', 'Payscale Maximum (£)', "
                    "'Generic Job Title', 'Number of Posts in FTE', "
                    "'Professional/Occupational Group'")
        assert messages("missing-column") == [expected]
        with pytest.raises(LoadError, match="missing column"):
            import_organogram(*pair("missing-column"), strict=False)

    def test_duplicate_reference(self, in_synthetic):
        assert messages("duplicate") == [
            "duplicate-2013-09-30-senior.csv:5: [Post Unique Reference] 'S2' is a duplicate "
            "of line 3: references must be unique (rows that differ only in name, contact "
            "details and notes are a job share)"]
        lenient = import_organogram(*pair("duplicate"), strict=False)
        assert lenient.report.counts() == ("senior: 4 rows, 3 loaded, 0 excluded, 1 skipped; "
                                           "junior: 4 rows, 4 loaded, 0 excluded, 0 skipped; "
                                           "1 problems, 1 notes")
        assert lenient.structure.posts[1].title == "Director of Finance"  # the first S2 kept

    def test_junior_pointing_at_missing_senior_is_loaded_with_a_note(self, in_synthetic):
        imported = import_organogram(*pair("orphan"))
        assert str(imported.report.notes[-1]) == (
            "orphan-2013-09-30-junior.csv:5: [Reporting Senior Post] reports to 'S9', which is "
            "not a post in orphan-2013-09-30-senior.csv: kept as given (a post outside the "
            "return)")
        assert imported.structure.posts[-1].reports_to == "S9"

    def test_minimum_above_maximum(self, in_synthetic):
        assert messages("min-above-max")[:2] == [
            "min-above-max-2013-09-30-senior.csv:3: [Actual Pay Floor (£)] £100,000 is above "
            "'Actual Pay Ceiling (£)' £99,999: a pay minimum cannot exceed its maximum",
            "min-above-max-2013-09-30-junior.csv:3: [Payscale Minimum (£)] £36,000 is above "
            "'Payscale Maximum (£)' £35,000: a pay minimum cannot exceed its maximum"]

    def test_commas_and_pounds(self, in_synthetic):
        imported = import_organogram(*pair("commas"))
        clean = import_organogram(*pair("agency"))
        assert imported.structure.posts == clean.structure.posts
        assert "written '£50,000': read as 50000" in str(imported.report.notes[2])

    @pytest.mark.parametrize(("name", "counts"), [
        ("nd-pay", (3, 3, 4, 4)), ("fte", (3, 2, 4, 2)), ("duplicate", (4, 3, 4, 4)),
        ("orphan", (3, 3, 4, 4)), ("min-above-max", (3, 2, 4, 3)), ("agency", (3, 3, 4, 4)),
    ])
    def test_lenient_accounts_for_every_row(self, in_synthetic, name, counts):
        report = import_organogram(*pair(name), strict=False).report
        assert (report.senior_rows, report.senior_loaded, report.junior_rows,
                report.junior_loaded) == counts
        assert report.accounted
        assert len(report.skipped_lines) == counts[0] - counts[1] + counts[2] - counts[3]
        assert {(p.file, p.line) for p in report.problems} == set(report.skipped_lines)

    def test_date_from_argument(self, tmp_path, in_synthetic):
        senior, junior = tmp_path / "s.csv", tmp_path / "j.csv"
        senior.write_bytes(Path(pair("agency")[0]).read_bytes())
        junior.write_bytes(Path(pair("agency")[1]).read_bytes())
        with pytest.raises(LoadError, match="the return's date is not in the file names"):
            import_organogram(senior, junior)
        found = import_organogram(senior, junior, date=dt.date(2013, 9, 30))
        assert found.organogram.date == dt.date(2013, 9, 30)


class TestJuniorReferences:
    def test_unique_keys_are_references(self):
        assert junior_reference([("a", "x"), ("b", "x")]) == ["a", "b"]

    def test_duplicates_by_group_then_order(self):
        rows = [("k", "Finance"), ("k", "Audit"), ("k", "Finance"), ("m", "")]
        assert junior_reference(rows) == ["k [Finance]", "k [Audit]", "k [Finance] #2", "m"]


class TestPublishedReturns:
    """The four shared returns (copied into tests/fixtures/organograms)."""

    @pytest.mark.parametrize(("name", "counts", "notes"), [
        ("natural_england-2011-03-31", (24, 24, 234, 234), 21),
        ("natural_england-2011-09-30", (23, 23, 155, 155), 21),
        ("department_for_international_development-2013-09-30", (89, 89, 371, 371), 7),
    ])
    def test_clean_returns_import_strict(self, name, counts, notes):
        report = import_organogram(*real(name)).report
        assert (report.senior_rows, report.senior_loaded, report.junior_rows,
                report.junior_loaded) == counts
        assert len(report.notes) == notes and report.accounted

    def test_dfid_march_2013_needs_lenient(self):
        name = "department_for_international_development-2013-03-31"
        senior = str(real(name)[0])
        with pytest.raises(LoadError) as err:
            import_organogram(*real(name))
        assert [str(p) for p in err.value.problems][::2] == [
            f"{senior}:71: [Post Unique Reference] 'B72' is a duplicate of line 70: "
            "references must be unique (rows that differ only in name, contact details and "
            "notes are a job share)",
            f"{senior}:76: [Post Unique Reference] 'A16' is a duplicate of line 75: "
            "references must be unique (rows that differ only in name, contact details and "
            "notes are a job share)"]
        report = import_organogram(*real(name), strict=False).report
        assert report.counts() == ("senior: 77 rows, 75 loaded, 0 excluded, 2 skipped; junior: "
                                   "303 rows, 303 loaded, 0 excluded, 0 skipped; 4 problems, "
                                   "60 notes")
        assert report.skipped_lines == ((senior, 71), (senior, 76))

    def test_natural_england_september_costed(self):
        imported = import_organogram(*real("natural_england-2011-09-30"))
        costing = cost_of(imported.structure, imported.basis)
        assert imported.basis.rule is None and imported.basis.pay_year == 2011
        assert costing.fte == D("2183.63")
        assert costing.full_year == 82747053
        table = grouped_table(costing, "team")
        assert adds_up(table) and table.total[4] == 18

    def test_natural_england_diff_march_to_september(self):
        march = import_organogram(*real("natural_england-2011-03-31"))
        september = import_organogram(*real("natural_england-2011-09-30"))
        found = diff(march.structure, september.structure, september.basis)
        assert found.before_full_year == 96196505
        assert found.after_full_year == 82747053
        assert found.net_full_year == 82747053 - 96196505
        table = diff_unit_table(found)
        assert adds_up(table)
        assert table.total[-1] == found.net_full_year
        assert table.total[-2] == D("2183.63") - D("2527.92")

    def test_written_file_round_trips(self, tmp_path):
        out = tmp_path / "ne.toml"
        imported = import_organogram(*real("natural_england-2011-09-30"), output=out)
        loaded = load_structure_file(out)
        assert loaded.structure == imported.structure
        assert loaded.basis.rule is None and loaded.basis.range_point == "midpoint"


class TestCommand:
    def test_strict_failure_writes_nothing(self, tmp_path, capsys):
        out = tmp_path / "d.toml"
        name = "department_for_international_development-2013-03-31"
        assert main(["import", "organogram", *map(str, real(name)), "--output", str(out)]) == 2
        assert not out.exists()
        assert "'B72' is a duplicate of line 70" in capsys.readouterr().err

    def test_lenient_writes_and_reports(self, tmp_path, capsys):
        out = tmp_path / "d.toml"
        name = "department_for_international_development-2013-03-31"
        assert main(["import", "organogram", *map(str, real(name)), "--output", str(out),
                     "--lenient"]) == 0
        err = capsys.readouterr().err
        assert ("senior: 77 rows, 75 loaded, 0 excluded, 2 skipped; junior: 303 rows, 303 "
                "loaded, 0 excluded, 0 skipped; 4 problems, 60 notes") in err
        assert err.count("establishment: skipped: ") == 4
        assert "... and 40 more notes" in err
        assert load_structure_file(out).structure.posts[0].reference == "B102"

    def test_output_into_a_missing_folder_is_exit_2_without_a_traceback(self, tmp_path,
                                                                         capsys, in_synthetic):
        out = tmp_path / "missing" / "a.toml"
        assert main(["import", "organogram", *pair("agency"), "-o", str(out)]) == 2
        assert f"cannot write {str(out)!r}: the folder" in capsys.readouterr().err

    @pytest.mark.parametrize("name", ["a.xlsx", "a.csv", "a"])
    def test_output_other_than_toml_is_refused_before_writing(self, tmp_path, capsys,
                                                              in_synthetic, name):
        out = tmp_path / name
        assert main(["import", "organogram", *pair("agency"), "-o", str(out)]) == 2
        assert "an imported return is written as a .toml structure file" in \
            capsys.readouterr().err
        assert not out.exists()

    def test_swapped_files_are_named_as_swapped(self, tmp_path, capsys):
        senior, junior = real("natural_england-2011-09-30")
        out = tmp_path / "a.toml"
        assert main(["import", "organogram", str(junior), str(senior), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.startswith(f"establishment: {junior}:1: not a senior organogram file")
        assert err.rstrip().endswith("; this is a junior file: give the senior file first, then "
                                     "the junior file")
        assert main(["import", "organogram", str(senior), str(senior), "-o", str(out)]) == 2
        assert "; this is a senior file: give the senior file first" in capsys.readouterr().err
        assert not out.exists()

    def test_tables(self, tmp_path, capsys, in_synthetic):
        out = tmp_path / "a.toml"
        assert main(["import", "organogram", *pair("agency"), "-o", str(out), "--tables",
                     "--format", "github"]) == 0
        text = capsys.readouterr().out
        assert "| Total   |   8.5 | £431,250 |         £578,722 |                 1 |" in text
        assert "reporting trees" in text

    def test_imported_file_costs_with_cost_command(self, tmp_path, capsys, in_synthetic):
        out = tmp_path / "a.toml"
        assert main(["import", "organogram", *pair("agency"), "-o", str(out)]) == 0
        assert main(["cost", str(out)]) == 0
        assert "£578,722" in capsys.readouterr().out


def test_since_prints_changes_by_unit(tmp_path, capsys):
    march, september = tmp_path / "m.toml", tmp_path / "s.toml"
    assert main(["import", "organogram", *map(str, real("natural_england-2011-03-31")),
                 "-o", str(march)]) == 0
    assert main(["import", "organogram", *map(str, real("natural_england-2011-09-30")),
                 "-o", str(september), "--since", str(march)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Changes by unit from Natural England organogram 2011-03-31 to "
                          "Natural England organogram 2011-09-30")
    assert "Total" in out and "-£13,449,452" in out


FTE_CELLS = st.sampled_from(["1", "0.5", "2.25", "0", "", "x", "-1", "1.00001", "3"])
PAY_CELLS = st.sampled_from(["20000", "£21,000", "25,000.00", "", "N/D", "abc", "99999"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(FTE_CELLS, PAY_CELLS, PAY_CELLS, st.sampled_from(["S1", "S2", "S9"])),
                min_size=1, max_size=12))
def test_every_junior_row_is_loaded_or_skipped(tmp_path_factory, rows):
    """Lenient: loaded + skipped = read, the loaded fte is the sum of the sound rows' fte, a
    row is skipped exactly when strict mode reports a problem on its line, and never because
    of its parent (S9 is not in the file)."""
    folder = tmp_path_factory.mktemp("prop")
    senior = folder / "p-2013-09-30-senior.csv"
    senior.write_bytes((SYNTHETIC / "agency-2013-09-30-senior.csv").read_bytes())
    lines = ['"Unit","Reporting Senior Post","Grade","Payscale Minimum (£)",'
             '"Payscale Maximum (£)","Generic Job Title","Number of Posts in FTE"']
    for n, (fte, low, high, boss) in enumerate(rows):
        lines.append(f'"Unit {n % 3}","{boss}","G{n}","{low}","{high}","Officer","{fte}"')
    junior = folder / "p-2013-09-30-junior.csv"
    junior.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = import_organogram(senior, junior, strict=False).report
    assert report.accounted and report.junior_rows == len(rows)

    def sound(fte, low, high, boss):
        try:
            value, lo, hi = D(fte), parse_pay(low).amount, parse_pay(high).amount
        except (ArithmeticError, ValueError):
            return False
        return ((lo is None or hi is None or lo <= hi) and value > 0
                and value.as_tuple().exponent >= -12)  # an fte is exact to 12 places

    assert report.junior_loaded == sum(sound(*r) for r in rows)
    loaded_fte = sum((D(r[0]) for r in rows if sound(*r)), D(0))
    assert sum((p.fte for p in report_posts(senior, junior)), D(0)) == loaded_fte
    bad = {line for path, line in report.skipped_lines if path == str(junior)}
    try:
        import_organogram(senior, junior)
        assert not bad
    except LoadError as err:
        assert {p.line for p in err.problems} == bad


def report_posts(senior, junior):
    """The junior posts of a lenient import."""
    return import_organogram(senior, junior, strict=False).organogram.junior


# --- every row accounted for: synthetic returns for each case of the schema -----------------

SENIOR_HEADER = ["Post Unique Reference", "Name", "Grade (or equivalent)", "Job Title", "Unit",
                 "Reports to Senior Post", "Salary Cost of Reports (£)", "FTE",
                 "Actual Pay Floor (£)", "Actual Pay Ceiling (£)", "Organisation", "Notes"]
JUNIOR_HEADER = ["Unit", "Reporting Senior Post", "Grade", "Payscale Minimum (£)",
                 "Payscale Maximum (£)", "Generic Job Title", "Number of Posts in FTE"]


def senior_row(ref, boss="XX", fte="1", low="90000", high="94999", name="[redacted]",
               grade="SCS1", unit="Policy", notes=""):
    return [ref, name, grade, f"Director {ref}", unit, boss, "", fte, low, high, "Synthetic",
            notes]


def junior_row(boss, fte="1", low="30000", high="35000", grade="HEO", title="Officer",
               unit="Policy"):
    return [unit, boss, grade, low, high, title, fte]


def write_return(folder, date, seniors, juniors, name="synthetic"):
    """A return's two CSV files in ``folder``; returns their paths."""
    import csv

    paths = (folder / f"{name}-{date}-senior.csv", folder / f"{name}-{date}-junior.csv")
    for path, header, rows in ((paths[0], SENIOR_HEADER, seniors),
                               (paths[1], JUNIOR_HEADER, juniors)):
        with open(path, "w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows([header, *rows])
    return paths


def check_accounted(imported, seniors, juniors):
    """Every row has one fate; loaded + excluded + skipped = the file's rows and fte; the
    loaded posts' fte is the loaded rows' fte."""
    report = imported.report
    assert report.accounted
    tally = report.tally()
    assert sum(t[1] for t in tally) == len(seniors) == report.senior_rows
    assert sum(t[4] for t in tally) == len(juniors) == report.junior_rows

    def readable(rows, at):
        total = D(0)
        for row in rows:
            try:
                total += D(row[at])
            except ArithmeticError:
                pass
        return total

    assert sum((t[2] for t in tally), D(0)) == readable(seniors, 7)
    assert sum((t[5] for t in tally), D(0)) == readable(juniors, 6)
    loaded = sum((t[2] + t[5] for t in tally if t[0].startswith("loaded")), D(0))
    assert sum((p.fte for p in imported.structure.posts), D(0)) == loaded
    return report


class TestEveryRowAccounted:
    def test_senior_with_blank_pay_and_50_juniors(self, tmp_path):
        seniors = [senior_row("S1"), senior_row("S2", "S1", low="", high="")]
        juniors = [junior_row("S2", fte=str(n % 3 + 1)) for n in range(50)]
        imported = import_organogram(*write_return(tmp_path, "2014-03-31", seniors, juniors))
        report = check_accounted(imported, seniors, juniors)
        assert report.junior_loaded == 50 and not report.problems
        assert [t[0] for t in report.tally()] == ["loaded", "loaded, pay not disclosed"]
        s2 = imported.structure.posts[1]
        assert (s2.reference, s2.unpriced, s2.cost_per_fte) == ("S2", "not disclosed", None)
        costing = cost_of(imported.structure, imported.basis)
        assert costing.fte == 2 + sum(n % 3 + 1 for n in range(50))
        assert unpriced_note(costing.lines) == (
            "Unpriced: 1 post (1 fte) with pay not disclosed: counted in fte, not priced (£0), "
            "so the totals leave out their pay.")

    def test_blank_senior_fte_skips_it_but_not_its_juniors(self, tmp_path):
        seniors = [senior_row("S1"), senior_row("S2", "S1", fte=""), senior_row("S3", "S2")]
        juniors = [junior_row("S2") for _ in range(5)] + [junior_row("S1", fte="2")]
        files = write_return(tmp_path, "2014-03-31", seniors, juniors)
        imported = import_organogram(*files, strict=False)
        report = check_accounted(imported, seniors, juniors)
        assert report.summary() == [
            "loaded: senior 2 rows, 2 fte; junior 6 rows, 7 fte",
            "skipped: blank fte: senior 1 row, fte unknown",
            "= the files: senior 3 rows, 2 fte (+1 row, fte unknown); junior 6 rows, 7 fte"]
        notes = [str(n) for n in report.notes]
        assert f"{files[0]}:4: [Reports to Senior Post] reports to 'S2', which was skipped " \
               "(line 3)" in notes
        assert sum("reports to 'S2', which was skipped (line 3)" in n for n in notes) == 6
        assert report.junior_loaded == 6
        with pytest.raises(LoadError) as err:  # strict: the one problem, counted
            import_organogram(*files)
        assert [str(p) for p in err.value.problems] == [
            f"{files[0]}:3: [FTE] is blank: expected a number of posts in fte above 0"]

    @pytest.mark.parametrize(("low", "high", "state"), [
        ("0", "0", "none"), ("N/A", "N/A", "none"), ("N/D", "N/D", "not disclosed"),
        ("", "", "not disclosed"), ("ns", "ns", "not disclosed"), ("0", "N/A", "none"),
    ])
    def test_pay_none_or_not_disclosed(self, tmp_path, low, high, state):
        seniors = [senior_row("S1"), senior_row("S2", "S1", low=low, high=high)]
        juniors = [junior_row("S1", low=low, high=high, fte="3"), junior_row("S2")]
        imported = import_organogram(*write_return(tmp_path, "2015-09-30", seniors, juniors))
        report = check_accounted(imported, seniors, juniors)
        outcome = {"none": "loaded, no pay", "not disclosed": "loaded, pay not disclosed"}[state]
        assert [t[:3] for t in report.tally()] == [("loaded", 1, D(1)), (outcome, 1, D(1))]
        posts = imported.structure.posts
        assert [p.unpriced for p in posts] == ["", state, state, ""]
        costing = cost_of(imported.structure, imported.basis)
        assert list(costing.lines["full_year"])[1:3] == [0, 0]
        why = {"none": "no pay", "not disclosed": "pay not disclosed"}[state]
        assert unpriced_note(costing.lines).startswith(f"Unpriced: 2 posts (4 fte) with {why}")
        explained = explain_line(costing, "S2")
        assert "explicit" not in str(explained) and f"not priced: {why}" in str(explained)

    def test_eliminated_post_is_excluded_and_disestablished(self, tmp_path):
        before = [senior_row("S1"), senior_row("S2", "S1")]
        after = [senior_row("S1"), senior_row("S2", "S1", name="Eliminated", fte="1")]
        juniors = [junior_row("S1")]
        old = import_organogram(*write_return(tmp_path, "2014-03-31", before, juniors))
        new = import_organogram(*write_return(tmp_path, "2014-09-30", after, juniors))
        report = check_accounted(new, after, juniors)
        assert [t[:3] for t in report.tally()] == [("loaded", 1, D(1)),
                                                    ("excluded: eliminated", 1, D(1))]
        assert [p.reference for p in new.structure.posts] == ["S1", "S1 | Policy | HEO | Officer"]
        found = diff(old.structure, new.structure, new.basis)
        assert [c.kind for c in found.changes] == ["disestablish"]
        assert found.changes[0].target.reference == "S2"

    def test_reference_0_rows_are_people_outside_posts(self, tmp_path):
        seniors = [senior_row("S1"), senior_row("0", "S1"), senior_row("0", "S1", fte="0.5")]
        juniors = [junior_row("S1")]
        imported = import_organogram(*write_return(tmp_path, "2014-03-31", seniors, juniors))
        report = check_accounted(imported, seniors, juniors)
        assert imported.organogram.people_outside_posts == 2
        assert [t[:3] for t in report.tally()][-1] == (
            "excluded: people outside posts (reference 0)", 2, D("1.5"))
        assert [p.reference for p in imported.structure.posts][0] == "S1"
        assert len(imported.structure.posts) == 2

    def test_job_share_is_one_post_with_two_people(self, tmp_path):
        seniors = [senior_row("S1"), senior_row("S2", "S1", fte="0.5", name="A", notes="x"),
                   senior_row("S2", "S1", fte="0.5", name="B", notes="job share")]
        juniors = [junior_row("S2")]
        imported = import_organogram(*write_return(tmp_path, "2014-03-31", seniors, juniors))
        report = check_accounted(imported, seniors, juniors)
        assert not report.problems
        post = imported.structure.posts[1]
        assert (post.reference, post.fte) == ("S2", D(1))
        assert "job share: 2 people (lines 3, 4)" in post.notes
        assert imported.organogram.senior[1].people == 2
        assert [t[:2] for t in report.tally()] == [
            ("loaded", 2), ("loaded, job share (another person in a post above)", 1)]

    def test_case_only_dangling_reference_gets_did_you_mean(self, tmp_path):
        seniors = [senior_row("ABC-001"), senior_row("ABC-002", "abc-001")]
        juniors = [junior_row("Abc-002"), junior_row("ZZZ")]
        files = write_return(tmp_path, "2014-03-31", seniors, juniors)
        imported = import_organogram(*files)
        check_accounted(imported, seniors, juniors)
        assert [str(n) for n in imported.report.notes] == [
            f"{files[0]}:3: [Reports to Senior Post] reports to 'abc-001', which is not a post "
            f"in {files[0]}: did you mean 'ABC-001'?",
            f"{files[1]}:2: [Reporting Senior Post] reports to 'Abc-002', which is not a post "
            f"in {files[0]}: did you mean 'ABC-002'?",
            f"{files[1]}:3: [Reporting Senior Post] reports to 'ZZZ', which is not a post in "
            f"{files[0]}: kept as given (a post outside the return)"]

    def test_strict_counts_every_problem_and_shows_20(self, tmp_path, capsys):
        seniors = [senior_row("S1")]
        juniors = [junior_row("S1", fte="x") for _ in range(25)]
        files = write_return(tmp_path, "2014-03-31", seniors, juniors)
        out = tmp_path / "r.toml"
        assert main(["import", "organogram", *map(str, files), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert "25 problems" in err.splitlines()[0]
        assert err.count("must be a number of posts in fte") == 20
        assert "... and 5 more problems (--verbose lists them all)" in err
        assert not out.exists()
        assert main(["import", "organogram", *map(str, files), "-o", str(out), "-v"]) == 2
        assert capsys.readouterr().err.count("must be a number of posts in fte") == 25
        assert main(["import", "organogram", *map(str, files), "-o", str(out),
                     "--lenient"]) == 0
        err = capsys.readouterr().err
        assert err.splitlines()[1] == ("establishment:   loaded: senior 1 row, 1 fte")
        assert "skipped: fte not a number: junior 25 rows, fte unknown" in err


def consecutive_returns(folder):
    """Four returns of one body, 2014 to 2019: posts come, go, change pay and fte."""
    dates = ["2014-03-31", "2015-09-30", "2017-03-31", "2019-03-31"]
    versions = [
        ([senior_row("S1", low="120000", high="124999"), senior_row("S2", "S1")],
         [junior_row("S1"), junior_row("S2", fte="4")]),
        ([senior_row("S1", low="120000", high="124999"), senior_row("S2", "S1", low="N/D",
                                                                   high="N/D"),
          senior_row("S3", "S1")],
         [junior_row("S1"), junior_row("S2", fte="5"), junior_row("S3", grade="EO",
                                                                 low="22000", high="25000")]),
        ([senior_row("S1", low="125000", high="129999"), senior_row("S2", "S1"),
          senior_row("S3", "S1", name="Eliminated")],
         [junior_row("S1"), junior_row("S2", fte="5", low="31000", high="36000")]),
        ([senior_row("S1", low="125000", high="129999", grade="SCS2"),
          senior_row("S2", "S1", low="95000", high="99999")],
         [junior_row("S1"), junior_row("S2", fte="6", low="31000", high="36000")]),
    ]
    return [write_return(folder, d, *v, name="body") for d, v in zip(dates, versions)]


def test_consecutive_returns_import_cost_and_diff_with_no_options(tmp_path, capsys):
    """2014-03-31, 2015-09-30, 2017-03-31, 2019-03-31: each imports, costs and diffs
    against the one before with exit 0 and no options but the files."""
    written = []
    for n, (senior, junior) in enumerate(consecutive_returns(tmp_path)):
        out = tmp_path / f"r{n}.toml"
        assert main(["import", "organogram", str(senior), str(junior), "-o", str(out)]) == 0
        assert main(["cost", str(out)]) == 0
        if written:
            assert main(["diff", str(written[-1]), str(out)]) == 0
        written.append(out)
    text = capsys.readouterr()
    for year in ("2013/14", "2015/16", "2016/17", "2018/19"):
        assert f"costed in pay year {year} (the pay year of the return's date" in text.err
    assert "pay range" in text.out and "disestablish" in text.out
    assert ("Unpriced posts (counted in fte, not priced): before none; after 1 (1 fte) with "
            "pay not disclosed; the cost effects leave out their pay.") in text.out
    assert ("Unpriced: 1 post (1 fte) with pay not disclosed: counted in fte, not priced (£0), "
            "so the totals leave out their pay.") in text.out


def test_pay_range_within_grade_is_not_a_regrade(tmp_path):
    """diff labelled a new pay range in the same grade 'regrade X to <same grade>'."""
    folder = tmp_path
    old = import_organogram(*write_return(folder, "2014-03-31", [senior_row("S1")],
                                          [junior_row("S1")]))
    new = import_organogram(*write_return(folder, "2014-09-30", [
        senior_row("S1", low="95000", high="99999")], [junior_row("S1", grade="SEO")]))
    found = diff(old.structure, new.structure, new.basis)
    assert sorted(found.kinds()) == ["disestablish", "establish", "pay range"]
    change = next(c for c in found.changes if c.kind == "pay range")
    assert change.describe() == "change the pay of S1 within SCS1 to £95,000-£99,999"


def test_unpriced_posts_round_trip_through_toml_and_csv(tmp_path):
    """An unpriced post keeps its state in every structure format (a CSV export lost it:
    the post came back as an explicit cost of £0)."""
    from establishment.io.csv_file import structure_to_csv
    from establishment.model.post import Post

    seniors = [senior_row("S1"), senior_row("S2", "S1", low="N/D", high="N/D")]
    juniors = [junior_row("S1", low="0", high="0")]
    imported = import_organogram(*write_return(tmp_path, "2014-03-31", seniors, juniors),
                                 output=tmp_path / "r.toml")
    csv_path = tmp_path / "r.csv"
    csv_path.write_text(structure_to_csv(imported.structure), encoding="utf-8")
    for path in (tmp_path / "r.toml", csv_path):
        posts = load_structure_file(path).structure.posts
        assert [p.unpriced for p in posts] == ["", "not disclosed", "none"]
        assert posts == imported.structure.posts
    with pytest.raises(ValueError, match="salary_min"):
        Post("Director", 1, "SCS1", salary_min=1, salary_max=2, unpriced="none")
    with pytest.raises(ValueError, match="unpriced"):
        Post("Director", 1, "SCS1", unpriced="unknown")


def test_docs_python_example_runs(monkeypatch):
    """docs/organograms.md's Python example runs as written (from the repository root)."""
    import re

    root = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(root)
    text = (root / "docs" / "organograms.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, "docs/organograms.md", "exec"), {})  # noqa: S102
