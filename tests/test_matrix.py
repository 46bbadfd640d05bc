"""Every option through every command (issue 21), as a property.

Hypothesis draws one combination of the options users mix: ``round_to`` {pound, penny} x
``ni_basis`` {fte, person} x posts given in {fte, hours, both} x ``whole_pay_bill`` x {a full
year, a period across 1 April}; each command that prints money is run on it in-process
(``tests/cli_run.py``) and checked against the engine:

- every total it prints is the engine's figure at the basis's unit (``£42,625.50`` under
  penny, ``£42,626`` under pound), and the engine's totals are the sums of its lines;
- diff's (and a scenario's) net is cost(after) - cost(before);
- no exit other than 0, 1 or 2 (70 is a bug).

The budget is small in CI (``MATRIX_EXAMPLES``, default 3 per command: about 15 s of CPU for
the file); for a heavier search run
``MATRIX_EXAMPLES=200 python -m pytest tests/test_matrix.py``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from establishment import apply_changes, cost, diff
from establishment.io import load_structure_file
from establishment.io.changes_file import parse_changes_text
from tests.cli_run import run

EXAMPLES = int(os.environ.get("MATRIX_EXAMPLES", 3))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
PERIOD = (dt.date(2018, 10, 1), dt.date(2019, 6, 30))  # across 1 April 2019
BASIS_ARGS = ("--employer", "nottinghamshire", "--pay-year", "2018/19", "--rule", "njc")

OPTIONS = st.fixed_dictionaries({
    "round_to": st.sampled_from(["pound", "penny"]),
    "ni_basis": st.sampled_from(["fte", "person"]),
    "posts": st.sampled_from(["fte", "hours", "both"]),
    "whole_pay_bill": st.booleans(),
    "period": st.booleans(),
})

# (reference, title, grade, scp, fte, hours, headcount, funding); hours of 37 a week
BEFORE = [("A", "Officer", "Hay Band A", 34, "1", "37", None, "Core"),
          ("B", "Assistant", "Grade 5", 28, "0.5", "18.5", None, {"Core": 50, "Grant": 50}),
          ("C", "Worker", "Grade 3", 18, "2", "74", 2, "Core")]
AFTER = [("B", "Assistant", "Grade 5", 28, "0.54", "20", None, {"Core": 50, "Grant": 50}),
         ("C", "Worker", "Grade 4", 23, "2", "74", 2, "Core"),
         ("D", "Organiser", "Hay Band B", 36, "0.57", "21", None, "Grant")]


def _post(row: tuple, given: str) -> str:
    reference, title, grade, scp, fte, hours, heads, funding = row
    lines = [f'reference = "{reference}"', f'title = "{title}"', f'grade = "{grade}"',
             f"scp = {scp}", 'team = "Team"']
    if given in ("fte", "both"):
        lines.append(f"fte = {fte}")
    if given in ("hours", "both"):
        lines.append(f"hours = {hours}")
    if heads:
        lines.append(f"headcount = {heads}")
    if isinstance(funding, dict):
        lines.append("funding = {" + ", ".join(f'"{k}" = {v}' for k, v in funding.items())
                     + "}")
    else:
        lines.append(f'funding = "{funding}"')
    return "[[post]]\n" + "\n".join(lines) + "\n"


def _basis(options: dict) -> str:
    return (f'employer = "nottinghamshire"\npay_year = "2018/19"\nrule = "njc"\n'
            f'round_to = "{options["round_to"]}"\nni_basis = "{options["ni_basis"]}"\n'
            f'whole_pay_bill = {str(options["whole_pay_bill"]).lower()}\n')


def _people(rows: list[tuple], given: str) -> str:
    """One person in each post (at its own fte or hours), for staffing."""
    out = []
    for number, row in enumerate(rows):
        size = f"hours = {row[5]}" if given == "hours" else f"fte = {row[4]}"
        if row[6]:  # a line of two people: each at half
            size = (f"hours = {Decimal(row[5]) / 2}" if given == "hours"
                    else f"fte = {Decimal(row[4]) / 2}")
            out += [f'[[assignment]]\npost = "{row[0]}"\nperson = "P{number}b"\n{size}\n']
        out.append(f'[[assignment]]\npost = "{row[0]}"\nperson = "P{number}"\n{size}\n')
    return "\n".join(out)


def _structure(name: str, rows: list[tuple], options: dict, people: bool = False) -> str:
    text = f'name = "{name}"\n\n[basis]\n{_basis(options)}\n'
    text += "\n".join(_post(row, options["posts"]) for row in rows)
    text += ('\n[[payment]]\nreference = "HON"\ntitle = "Honorarium"\namount = 1234.57\n'
             'per = "total"\nteam = "Team"\nfunding = "Core"\nstart = 2018-10-01\n'
             'end = 2019-03-31\n')
    return text + ("\n" + _people(rows, options["posts"]) if people else "")


class Case:
    """One drawn combination, written as files, with the engine's own figures."""

    def __init__(self, options: dict, folder: Path) -> None:
        self.options, self.folder = options, folder
        self.a, self.b = folder / "a.toml", folder / "b.toml"
        self.a.write_text(_structure("Before", BEFORE, options))
        self.b.write_text(_structure("After", AFTER, options))
        loaded = [load_structure_file(p) for p in (self.a, self.b)]
        self.basis = loaded[0].basis.resolved()
        self.unit = self.basis.unit
        self.period = PERIOD if options["period"] else None
        self.structures = [item.structure for item in loaded]
        self.before, self.after = (cost(s, self.basis, period=self.period)
                                   for s in self.structures)

    @property
    def period_args(self) -> tuple[str, ...]:
        if self.period is None:
            return ()
        return ("--from", self.period[0].isoformat(), "--to", self.period[1].isoformat())

    def money(self, amount: Decimal) -> str:
        return self.unit.format(amount)

    def net(self) -> Decimal:
        return self.after.full_year - self.before.full_year


def _lines_add_up(costing) -> None:
    """The engine's totals are the sums of its lines at the basis's unit."""
    allowance = costing.levy_allowance
    assert costing.full_year == costing.unit.total(costing.full_year_lines) + (
        allowance.full_year if allowance else 0)
    if costing.period is not None:
        assert costing.period_total == costing.unit.total(costing.period_lines) + (
            allowance.period if allowance else 0)


def _shown_at_the_unit(case: Case, text: str) -> None:
    """Every amount printed is at the basis's unit: pence under penny, none under pound."""
    amounts = re.findall(r"£[\d,]+(?:\.\d+)?", text)
    assert amounts
    with_pence = [a for a in amounts if "." in a]
    if case.unit.round_to == "pound":
        assert with_pence == [], with_pence
    else:
        assert len(with_pence) == len(amounts), [a for a in amounts if "." not in a]


def _case(options: dict):
    folder = tempfile.TemporaryDirectory()
    return folder, Case(options, Path(folder.name))


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code, out, err = run(capsys, *args)
    assert code in (0, 1, 2), (code, err)
    return code, out, err


@SETTINGS
@given(OPTIONS)
def test_cost(capsys, options):
    folder, case = _case(options)
    with folder:
        _lines_add_up(case.before)
        _lines_add_up(case.after)
        code, out, err = _run(capsys, "cost", str(case.b), *case.period_args)
        assert code == 0, err
        assert case.money(case.after.full_year) in out
        if case.period:
            assert case.money(case.after.period_total) in out


@SETTINGS
@given(OPTIONS)
def test_diff(capsys, options):
    folder, case = _case(options)
    with folder:
        result = diff(*case.structures, case.basis, period=case.period)
        assert result.net_full_year == case.net()
        assert result.before_full_year == case.before.full_year
        assert sum(result.by_funding()["full_year"]) + result.allowance_change() == case.net()
        assert sum((c.full_year for c in result.effects), Decimal(0)) \
            + result.allowance_change() == case.net()
        if case.period:
            assert result.net_period == case.after.period_total - case.before.period_total
        code, out, err = _run(capsys, "diff", str(case.a), str(case.b), *case.period_args)
        assert code == 0, err
        assert (f"Full-year cost before {case.money(case.before.full_year)}, after "
                f"{case.money(case.after.full_year)}: net {case.money(case.net())}") in out
        _shown_at_the_unit(case, out.split("Basis:")[0])


@SETTINGS
@given(OPTIONS)
def test_compare(capsys, options):
    folder, case = _case(options)
    with folder:
        code, out, err = _run(capsys, "compare", str(case.a), str(case.b), *case.period_args)
        assert code == 0, err
        row = next(line for line in out.splitlines() if line.startswith(("After", str(case.b))))
        assert case.money(case.after.full_year) in row and case.money(case.net()) in row
        _shown_at_the_unit(case, out.split("Base:")[0])
        # a vacancy factor is its own line, 3% of the posts' cost at the basis's unit (it once
        # read pence as pounds: -£317,458.00 for -£3,174.58)
        code, out, err = _run(capsys, "compare", str(case.a), str(case.b), "--vacancy-factor",
                              "3%")
        assert code == 0, err
        saving = case.after.posts_full_year * Decimal("0.03")
        step = Decimal(1) if case.unit.round_to == "pound" else Decimal("0.01")
        expected = -saving.quantize(step, rounding="ROUND_HALF_UP")
        row = next(line for line in out.splitlines() if line.startswith(("After", str(case.b))))
        assert case.money(expected) in row, (expected, row)


@SETTINGS
@given(OPTIONS)
def test_report(capsys, options):
    folder, case = _case(options)
    with folder:
        target = case.folder / "report.md"
        code, _, err = _run(capsys, "report", str(case.b), "--against", str(case.a),
                            "-o", str(target), *case.period_args)
        assert code == 0, err
        text = target.read_text()
        assert f"costs {case.money(case.after.full_year)} in a full year" in text
        word = "an increase" if case.net() > 0 else "a saving"
        assert f"{word} of {case.money(abs(case.net()))} a year" in text


@SETTINGS
@given(OPTIONS)
def test_staffing(capsys, options):
    folder, case = _case(options)
    with folder:
        path = case.folder / "people.toml"
        path.write_text(_structure("Staffed", AFTER, options, people=True))
        code, out, err = _run(capsys, "staffing", str(path))
        assert code == 0, err
        full_year = cost(load_structure_file(path).structure, case.basis).posts_full_year
        assert case.money(full_year) in out
        _shown_at_the_unit(case, out.split("Full-year costs,")[0])


@SETTINGS
@given(OPTIONS)
def test_project(capsys, options):
    folder, case = _case(options)
    with folder:
        code, out, err = _run(capsys, "project", str(case.b), "--from", "2018-10",
                              "--months", "12", "--years-only")
        if options["ni_basis"] == "person":  # a projection is per fte: a located refusal
            assert code == 2 and "ni_basis" in err
            return
        assert code == 0, err
        _shown_at_the_unit(case, out.split("Basis:")[0])


@SETTINGS
@given(OPTIONS)
def test_monitor(capsys, options):
    """The budget monitor's year is the engine's cost of the pay year at the basis's unit,
    and the outturn is the actuals to date plus the budget of the months after."""
    folder, case = _case(options)
    with folder:
        actuals = case.folder / "actuals.csv"
        actuals.write_text("month,amount\n2018-04,8500.25\n2018-05,8600.10\n")
        code, out, err = _run(capsys, "monitor", str(case.b), "--actuals", str(actuals),
                              "--from", "2018-04", "--format", "csv", "--table", "outturn")
        if options["ni_basis"] == "person":  # a projection is per fte: a located refusal
            assert code == 2 and "ni_basis" in err
            return
        assert code == 0, err
        year = cost(case.structures[1], case.basis,
                    period=(dt.date(2018, 4, 1), dt.date(2019, 3, 31))).period_total
        total = next(line for line in out.splitlines() if line.startswith("Total"))
        cells = [Decimal(c) for c in total.split(",")[1:6]]
        budget, to_date, actual, variance, outturn = cells
        assert budget == year, (budget, year)
        assert actual == Decimal("17100.35") and variance == actual - to_date
        assert outturn == actual + budget - to_date


SCENARIO = '''name = "matrix"
title = "Matrix"
report = "none"
decided = 2018-06-18
primary_basis = "x"
{period}
[bases.x]
label = "x"
{basis}
{posts}
[[change]]
id = "gone"
kind = "disestablish"
target = "A"

[[change]]
id = "new"
kind = "establish"
[change.post]
{new}
'''


@SETTINGS
@given(OPTIONS)
def test_scenario_run(capsys, options):
    folder, case = _case(options)
    with folder:
        period = (f"[period]\nstart = {PERIOD[0].isoformat()}\nend = {PERIOD[1].isoformat()}\n"
                  if case.period else "")
        new = _post(AFTER[2], options["posts"]).replace("[[post]]\n", "")
        path = case.folder / "scenario.toml"
        path.write_text(SCENARIO.format(period=period, basis=_basis(options), new=new,
                                        posts="\n".join(_post(r, options["posts"])
                                                        for r in BEFORE)))
        code, out, err = _run(capsys, "scenario", "run", str(path))
        assert code == 0, err
        before = load_structure_file(case.a).structure.evolve(payments=[])
        changes = parse_changes_text(_changes_text(new)).changes
        after = apply_changes(before, changes)
        net = cost(after, case.basis).full_year - cost(before, case.basis).full_year
        assert case.money(net) in out


def _changes_text(new: str) -> str:
    return ('[[change]]\nkind = "disestablish"\ntarget = "A"\n\n[[change]]\n'
            f'kind = "establish"\n[change.post]\n{new}')


@settings(SETTINGS, phases=[Phase.explicit, Phase.reuse, Phase.generate])  # no shrinking
@given(OPTIONS)
def test_register(capsys, options):
    """The register opened from the file costs as the file does: the period's cost, the
    establishment on a day and the limits check, on the file's whole basis."""
    folder, case = _case(options)
    with folder:
        db = str(case.folder / "r.db")
        code, _, err = _run(capsys, "register", "init", db, *BASIS_ARGS, "--from",
                            str(case.a), "--on", "2018-04-01")
        assert code == 0, err
        # the second year on the same options (a year's basis is stored whole, never inherited)
        same = ["--round-to", options["round_to"], "--ni-basis", options["ni_basis"],
                *(["--whole-pay-bill"] if options["whole_pay_bill"] else [])]
        code, _, err = _run(capsys, "register", "basis", db, *BASIS_ARGS[:2], "--pay-year",
                            "2019/20", *BASIS_ARGS[4:], *same)
        assert code == 0, err
        # the 2019 NJC spine restructure: the register records the move of its posts to the
        # new points (old scp 34 is new 28) on 1 April 2019, as a council did; the engine
        # carries the points itself over a period costed on the 2018/19 basis
        code, _, err = _run(capsys, "register", "assimilate", db, "--pay-year", "2019/20",
                            "--approved", "2019-03-01", "--approved-by", "Personnel Committee",
                            "--reference", "NJC pay spine 2019")
        assert code == 0, err
        start, end = case.period or (dt.date(2018, 4, 1), dt.date(2019, 3, 31))
        code, out, err = _run(capsys, "register", "cost", db, "--from", start.isoformat(),
                              "--to", end.isoformat())
        assert code == 0, err
        # the register costs each pay year's days on their own (a segment per pay year, each
        # line's period cost rounded in it), so the engine's figure is the sum of the same parts
        parts = [(start, end)] if end < dt.date(2019, 4, 1) else [
            (start, dt.date(2019, 3, 31)), (dt.date(2019, 4, 1), end)]
        expected = sum(cost(case.structures[0], case.basis, period=part).period_total
                       for part in parts)
        assert case.money(expected) in out
        code, _, err = _run(capsys, "register", "as-of", db, "2018-06-01")
        assert code == 0, err
        code, _, err = _run(capsys, "register", "check", db)
        assert code in (0, 1), err
