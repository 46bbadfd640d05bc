"""Money carries its unit (issue 21): under ``round_to = "penny"`` every command shows pence
as pence, and every total is the engine's lines at the basis's unit. Each test here is one of
the issue's reproductions (they failed on main: pence shown as pounds, 100x; compare in whole
pounds under a basis line saying "rounded to the penny"; report --against exiting 2; a post
given in hours making diff and report --against exit 70)."""

from __future__ import annotations

import ast
import re
from decimal import Decimal
from pathlib import Path

import pytest

from establishment import PayBasis, Post, Structure, compare, cost, cost_changes
from establishment.model.money import PENCE, POUNDS, MoneyUnit
from establishment.operations.budget import Budget, compare_budget
from establishment.operations.changes import Establish
from establishment.operations.diff import diff
from tests.cli_run import run

FIXTURE = Path(__file__).parent / "fixtures" / "short-breaks-2018.toml"
NEW = '''
[[post]]
reference = "NEW"
title = "New Officer"
{size}
grade = "Hay Band A"
scp = 34
team = "Integrated Children's Disability Service"
funding = "Contingency"
'''
PENNY = PayBasis("nottinghamshire", 2018, rule="council-2018", round_to="penny")
POUND = PayBasis("nottinghamshire", 2018, rule="council-2018")


@pytest.fixture
def files(tmp_path):
    """a.toml (the June 2018 posts, costed to the penny), b.toml (one more Hay Band A post,
    £40,702.08) and h.toml (the same post given only in hours: 18.5 of 37, £20,351.04)."""
    text = FIXTURE.read_text().replace('range_point = "midpoint"',
                                       'range_point = "midpoint"\nround_to = "penny"')
    paths = {}
    for name, extra in (("a", ""), ("b", NEW.format(size="fte = 1")),
                        ("h", NEW.format(size="hours = 18.5"))):
        paths[name] = tmp_path / f"{name}.toml"
        paths[name].write_text(text + extra)
    return {k: str(v) for k, v in paths.items()}


def test_diff_under_penny_shows_pence(capsys, files):
    code, out, err = run(capsys, "diff", files["a"], files["b"])
    assert code == 0, err
    assert "establish 1 fte New Officer (Hay Band A scp 34)        £40,702.08" in out
    assert "Full-year cost before £284,937.36, after £325,639.44: net £40,702.08" in out
    assert "Contingency           £40,702.08" in out
    assert "4,070,208" not in out


def test_diff_under_pound_shows_whole_pounds(capsys, files):
    code, out, _ = run(capsys, "diff", files["a"], files["b"], "--round-to", "pound")
    assert code == 0
    assert "Full-year cost before £284,937, after £325,639: net £40,702" in out


def test_compare_under_penny_shows_pence(capsys, files):
    code, out, _ = run(capsys, "compare", files["a"], files["b"])
    assert code == 0
    assert re.search(r"b\.toml\s+9\.5\s+£325,639\.44\s+£40,702\.08\s+£325,639\.44", out)


def test_report_against_reconciles_under_penny(capsys, files, tmp_path):
    target = tmp_path / "r.md"
    code, _, err = run(capsys, "report", files["b"], "--against", files["a"], "-o", str(target))
    assert code == 0, err
    text = target.read_text()
    assert "costs £325,639.44 in a full year" in text
    assert "(£284,937.36 a year) this is an increase of £40,702.08 a year" in text
    assert "|                £325,639.44 |" in text  # the totals table too


def test_a_post_in_hours_through_diff_and_report(capsys, files, tmp_path):
    code, out, err = run(capsys, "diff", files["a"], files["h"])
    assert code == 0, err
    assert "establish New Officer, 18.5 hours a week (Hay Band A scp 34)" in out
    assert "net £20,351.04; fte change 0.5." in out
    code, _, err = run(capsys, "report", files["h"], "--against", files["a"], "-o",
                       str(tmp_path / "r.md"))
    assert code == 0, err
    assert "an increase of £20,351.04 a year" in (tmp_path / "r.md").read_text()


def test_the_api_takes_pence_as_pence():
    before = Structure("b", [Post("Officer", 1, "Hay Band A", 34, team="T", funding="Fund")])
    new = Post("New", 1, "Hay Band A", 34, team="T", funding={"Fund": 50, "Other": 50})
    after = Structure("a", [*before.posts, new])
    result = diff(before, after, PENNY)
    assert result.net_full_year == Decimal("40702.08")
    assert result.before_full_year == Decimal("40702.08") == cost(before, PENNY).full_year
    assert result.after_full_year == Decimal("81404.16")
    assert [c.full_year for c in result.effects] == [Decimal("40702.08")]
    assert dict(result.by_funding()["full_year"]) == {"Fund": Decimal("20351.04"),
                                                      "Other": Decimal("20351.04")}
    costed = cost_changes(before, [Establish(new)], PENNY)
    assert [c.full_year for c in costed] == [Decimal("40702.08")]
    assert [c.full_year for c in cost_changes(before, [Establish(new)], POUND)] == \
        [Decimal("40702")]
    assert compare(before, {"more": after}, PENNY)["more"].full_year_change == \
        Decimal("40702.08")
    assert compare_budget(Budget("B", 50000), cost(after, PENNY)).unit == PENCE


def test_a_new_post_in_hours_is_costed_by_cost_changes():
    before = Structure("b", [Post("Officer", 1, "Hay Band A", 34, team="T")])
    new = Post("New", None, "Hay Band A", 34, team="T", hours=Decimal("18.5"))
    assert [c.full_year for c in cost_changes(before, [Establish(new)], PENNY)] == \
        [Decimal("20351.04")]


def test_the_money_unit():
    assert PENCE.pounds(4070208) == Decimal("40702.08")
    assert POUNDS.pounds(40702) == Decimal("40702")
    assert PENCE.total([1, 2, 3]) == Decimal("0.06") and POUNDS.total([]) == 0
    assert PENCE.format(Decimal("42625.5")) == "£42,625.50"
    assert POUNDS.format(Decimal("42625.5")) == "£42,626"
    assert (PENCE.kind, POUNDS.kind) == ("pence", "money")
    assert PENNY.unit == PENCE and POUND.unit == POUNDS
    with pytest.raises(ValueError):
        MoneyUnit("shilling")


ROOT = Path(__file__).parent.parent / "establishment"
SCANNED = ("operations", "tables", "cli", "register")


def _by_hand(text: str, name: str) -> list[str]:
    """Arithmetic that converts money by hand: a division (or floor division, modulo) by the
    literal 100, or any arithmetic on ``pence_per_unit``."""
    found = []
    for node in ast.walk(ast.parse(text)):
        if not isinstance(node, ast.BinOp):
            continue
        hundred = isinstance(node.right, ast.Constant) and node.right.value == 100 and \
            isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod))
        unit = any(isinstance(side, ast.Attribute) and side.attr == "pence_per_unit" or
                   isinstance(side, ast.Name) and side.id == "pence_per_unit"
                   for side in (node.left, node.right))
        if hundred or unit:
            found.append(f"{name}:{node.lineno}")
    return found


def test_no_consumer_converts_money_by_hand():
    """Money goes through MoneyUnit (model/money.py): no consumer divides by 100 or does
    arithmetic on pence_per_unit itself."""
    found = [hit for folder in SCANNED for path in sorted((ROOT / folder).rglob("*.py"))
             for hit in _by_hand(path.read_text(), str(path.relative_to(ROOT.parent)))]
    assert found == []


def test_the_scan_sees_a_consumer_converting_by_hand():
    assert _by_hand("total = Decimal(int(lines.sum())) / 100", "x") == ["x:1"]
    assert _by_hand("amount = value * costing.pence_per_unit", "x") == ["x:1"]
    assert _by_hand("share = rate * 100", "x") == []  # a percentage is not a conversion


def test_full_time_hours_unknown_is_one_located_error_in_every_command(capsys, tmp_path):
    """A post in hours under an employer whose pay data state no full-time hours: every
    command that needs its fte says so once, exit 2 (never a default of 37, never exit 70)."""
    text = ('name = "cs"\n[basis]\nemployer = "civil-service"\npay_year = 2018\n'
            '[[post]]\ntitle = "Officer"\n{size}\ngrade = "EO"\nsalary = 30000\n')
    fte, hours = tmp_path / "fte.toml", tmp_path / "hours.toml"
    fte.write_text(text.format(size="fte = 1"))
    hours.write_text(text.format(size="hours = 18.5"))
    for args in (("cost", str(hours)), ("diff", str(fte), str(hours)),
                 ("compare", str(fte), str(hours)),
                 ("project", str(hours), "--from", "2018-10", "--months", "3")):
        code, _, err = run(capsys, *args)
        assert code == 2, (args, err)
        assert err.count("states no full-time hours") == 1, err
        assert "post Officer: [hours]" in err
