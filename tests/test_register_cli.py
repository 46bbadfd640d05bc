"""`establishment register ...` on the command line, and FILE.db@DATE as a structure."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from establishment.cli.main import main
from establishment.cli.register_demo import team_code
from establishment.register import Register

TEMPORARY_2018 = ["Commissioning Assistant", "Commissioning Officer", "Assessment Officer",
                  "Reviewing Officer", "Service Organiser"]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("register") / "demo.db"
    assert main(["register", "demo", str(path)]) == 0
    return path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def test_team_codes():
    assert team_code("Integrated Children's Disability Service") == "ICDS"
    assert team_code("ICDS Specialist Support Team") == "ICDSSST"
    assert team_code("Commissioning and Placements") == "CP"


def test_demo_expiring_lists_the_2018_temporary_posts_with_the_cost_of_making_them_permanent(
        demo, capsys):
    status, out, _ = run(capsys, "register", "expiring", demo, "--on", "2018-10-01",
                         "--within", "6m", "--format", "csv")
    assert status == 0
    rows = [line.split(",") for line in out.strip().splitlines()]
    assert rows[0][:2] == ["Reference", "Post"]
    assert [(r[0], r[1], r[5], r[6], r[7]) for r in rows[1:-1]] == [
        # full year 2019/20, NJC rule, points carried to the new spine
        ("CP-CA", "Commissioning Assistant", "2019-03-31", "2019/20", "38103"),
        ("CP-CO", "Commissioning Officer", "2019-03-31", "2019/20", "41473"),
        ("ICDS-AO", "Assessment Officer", "2019-03-31", "2019/20", "69200"),
        ("ICDS-RO", "Reviewing Officer", "2019-03-31", "2019/20", "82946"),
        ("ICDS-SO", "Service Organiser", "2019-03-31", "2019/20", "58714")]
    assert rows[-1][0] == "Total" and rows[-1][7] == "290436"


def test_demo_as_of_drops_the_temporary_posts_after_their_end(demo, capsys):
    def titles(day: str) -> set[str]:
        status, out, _ = run(capsys, "register", "as-of", demo, day, "--format", "csv")
        assert status == 0
        return {line.split(",")[1] for line in out.strip().splitlines()[1:-1]}

    autumn, spring = titles("2018-10-01"), titles("2019-04-01")
    assert set(TEMPORARY_2018) <= autumn
    # the 2015 posts were made permanent; the 2018 ones ended on 31 March 2019
    assert spring == {"Team Manager", "Personalisation Reviewing Officer",
                      "Personalisation Officer"}


def test_demo_history_log_and_verify(demo, capsys):
    status, out, _ = run(capsys, "register", "history", demo, "SBPS-TM", "--format", "csv")
    assert status == 0
    # entries 1 to 8 store the bases of 2014/15 to 2021/22; the decisions follow
    assert [line.split(",")[:3] for line in out.strip().splitlines()[1:]] == [
        ["2015-01-12", "created", "9"], ["2015-01-12", "changed", "10"]]
    status, out, _ = run(capsys, "register", "verify", demo)
    with Register.open(demo) as reg:
        assert [e.kind for e in reg.entries()] == ["basis"] * 8 + ["decision"] * 7
        assert out.strip() == f"{demo}: ok, 15 entries; head {reg.head()}"


def test_cost_and_diff_read_a_register_on_a_day(demo, capsys):
    status, out, _ = run(capsys, "cost", f"{demo}@2015-06-01", "--format", "csv")
    assert status == 0
    assert _total(out) == "273331"
    status, out, _ = run(capsys, "diff", f"{demo}@2015-01-01", f"{demo}@2015-03-01",
                         "--format", "csv")
    rows = [line.split(",") for line in out.strip().split("\n\n")[0].splitlines()]
    assert status == 0 and [r[:2] for r in rows[1:-1]] == [
        ["establish", "SBPS-TM"], ["establish", "SBPS-PRO"], ["establish", "SBPS-PO"]]
    # costed on the register's basis for 2014/15 (the report's: salary only, top of grade)
    _, cost, _ = run(capsys, "cost", f"{demo}@2015-03-01", "--format", "csv")
    assert rows[-1][-1] == _total(cost) == "206742"
    status, out, _ = run(capsys, "project", f"{demo}@2015-06-01", "--from", "2015-06",
                         "--months", "3", "--format", "csv")
    assert status == 0 and out.splitlines()[1].startswith("2015-06-01,")
    status, _, err = run(capsys, "cost", f"{demo}@2018-13-01")
    assert status == 2 and "FILE.db@DATE" in err


def _small(tmp_path, capsys):
    structure = tmp_path / "posts.toml"
    structure.write_text('[[post]]\nreference = "RO"\ntitle = "Reviewing Officer"\nfte = 2\n'
                         'grade = "Hay Band A"\nscp = 34\nteam = "ICDS"\n', encoding="utf-8")
    path = tmp_path / "r.db"
    assert run(capsys, "register", "init", path, "--employer", "nottinghamshire",
               "--pay-year", "2018/19", "--rule", "njc", "--from", structure,
               "--on", "2018-04-01")[0] == 0
    return path


def test_over_an_fte_limit_is_refused_with_exit_1_and_recorded_with_override(tmp_path,
                                                                           capsys):
    path = _small(tmp_path, capsys)
    assert run(capsys, "register", "limit", path, "--team", "ICDS", "--pay-year", "2018/19",
               "--fte", "2.5")[0] == 0
    changes = tmp_path / "more.toml"
    changes.write_text('[[change]]\nkind = "change-fte"\ntarget = "RO"\nfte = 3\n',
                       encoding="utf-8")
    decision = ["register", "record", path, changes, "--effective", "2018-07-01",
                "--approved", "2018-06-18", "--approved-by", "Committee", "--reference", "R1"]
    before = list(sqlite3.connect(path).iterdump())
    status, _, err = run(capsys, *decision)
    assert status == 1
    assert "team 'ICDS': fte limit 2.5 in 2018/19, fte 3: over by 0.5" in err
    assert list(sqlite3.connect(path).iterdump()) == before
    status, out, _ = run(capsys, *decision, "--override", "interim cover agreed")
    assert status == 0 and "limits overridden: interim cover agreed" in out
    status, out, err = run(capsys, "register", "check", path, "--on", "2018-08-01")
    assert status == 1 and "over fte limit" in out
    with Register.open(path) as reg:
        [basis, limit, decision] = reg.entries()
        assert (basis.kind, limit.kind, decision.override) == ("basis", "limit",
                                                              "interim cover agreed")
        assert reg.as_of(decision.effective).posts[0].fte == Decimal(3)


def test_a_conflicting_decision_exits_2_listing_the_conflicts(tmp_path, capsys):
    path = _small(tmp_path, capsys)
    changes = tmp_path / "c.toml"
    changes.write_text('[[change]]\nkind = "disestablish"\ntarget = "XX"\n\n[[change]]\n'
                       'kind = "make-permanent"\ntarget = "RO"\n', encoding="utf-8")
    status, _, err = run(capsys, "register", "record", path, changes, "--effective",
                         "2018-07-01", "--approved", "2018-06-18", "--approved-by", "C",
                         "--reference", "R1")
    assert status == 2
    assert "change 1: no post with reference 'XX'" in err
    assert "change 2: post RO is already permanent" in err
    status, _, err = run(capsys, "register", "as-of", tmp_path / "none.db", "2018-07-01")
    assert status == 2 and "no such register" in err


def test_export_writes_a_structure_file(tmp_path, capsys):
    path = _small(tmp_path, capsys)
    out = tmp_path / "out.toml"
    assert run(capsys, "register", "export", path, "2018-05-01", "--output", out)[0] == 0
    status, text, _ = run(capsys, "cost", out, "--format", "csv")
    assert status == 0 and "Reviewing Officer" in text


DOC = Path(__file__).resolve().parents[1] / "docs" / "register.md"


def test_the_docs_python_example_runs():
    text = DOC.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), {})


def test_the_docs_tables_are_what_the_demo_prints(demo, capsys):
    text = DOC.read_text(encoding="utf-8")
    for command in re.findall(r"^\$ establishment (register (?:expiring|as-of|history|cost) "
                              r"demo\.db .*--format github)$", text, re.M):
        argv = [str(demo) if word == "demo.db" else word for word in command.split()]
        status, out, _ = run(capsys, *argv)
        table = "\n".join(line for line in out.splitlines() if line.startswith("|"))
        assert status == 0 and table in text, command


def _total(csv_text: str) -> str:
    """The cost per annum of a cost table's total row, found by its header, not its position."""
    table = list(csv.reader(io.StringIO(csv_text.strip())))
    column = next(i for i, name in enumerate(table[0]) if name.startswith("Cost per annum"))
    return table[-1][column]
