"""Output that fits a terminal (COLUMNS), and is left whole in files and pipes; the marker
legend; one period style; bracketed negatives."""

from __future__ import annotations

import datetime as dt
import io
import os
import pty
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import scenarios
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.model.style import Style, format_day, format_period
from establishment.tables import Column, Table, committee_table, render
from establishment.tables.markers import MARKERS, Mark, labels, register_marker
from establishment.tables.terminal import fit_widths, output_width, terminal_width, wrap_paragraph

ROOT = Path(__file__).resolve().parent.parent


def _on_a_terminal(*args: str, columns: str = "80") -> str:
    """Run the CLI with its standard output on a pseudo-terminal, as a person at one sees it."""
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": columns, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "establishment", *args], stdout=follower,
                               stderr=subprocess.PIPE, env=env, cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_scenario_run_fits_an_80_column_terminal():
    text = _on_a_terminal("scenario", "run", "2018-short-breaks")
    lines = text.splitlines()
    assert len(lines) > 40 and "£284,937" in text and "£214,686" in text
    too_wide = [line for line in lines if len(line) > 80]
    assert too_wide == []
    # wrapped, not cut: the basis is all there, over several lines
    assert "22.2% of salary for other" in text.replace("\n  ", " ")


def test_a_pipe_gets_whole_lines(capsys):
    assert main(["scenario", "run", "2018-short-breaks"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) > 120  # nothing wrapped for a script
    assert any(line.startswith("Basis: Nottinghamshire")
               and line.endswith("other on-costs); NI per fte") for line in out.splitlines())


def test_width_comes_from_columns_else_80_and_none_for_files():
    assert output_width(io.StringIO()) is None
    assert terminal_width({"COLUMNS": "100"}) == 100
    assert terminal_width({"COLUMNS": "nonsense"}) >= 20

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert output_width(Tty(), {"COLUMNS": "72"}) == 72


def test_wrap_paragraph_keeps_every_word():
    text = "Basis: " + "word " * 60
    wrapped = wrap_paragraph(text.strip(), 40, "  ")
    assert max(len(line) for line in wrapped.splitlines()) <= 40
    assert wrapped.split() == text.split()
    assert wrap_paragraph(text, None) == text


titles = st.text(alphabet="abcdefghij ", min_size=1, max_size=60)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(titles, titles, st.integers(-10**7, 10**7)), min_size=1,
                max_size=6), st.integers(40, 120))
def test_a_plain_table_fits_any_width_and_keeps_figures_whole(rows, width):
    table = Table([Column("Post details of the line"), Column("Team or group name"),
                   Column("Cost per annum (full year)", "money")],
                  [[a, b, Decimal(n)] for a, b, n in rows], "A title " * 12,
                  ["Total", "", sum((Decimal(n) for *_, n in rows), Decimal(0))],
                  ["A note that is rather long " * 8])
    text = render(table, "plain", Style(width=width))
    assert max(len(line) for line in text.splitlines()) <= width
    for *_, n in rows:  # every figure printed whole on one line
        assert render(Table([Column("x", "money")], [[Decimal(n)]]), "plain").splitlines()[-1] \
            .strip() in text


def test_fit_widths_leaves_a_table_that_fits_alone():
    assert fit_widths([["a", "b"], ["c", "d"]], [True, True], 80) is None


def test_one_period_style_everywhere(capsys):
    assert format_day(dt.date(2020, 7, 1)) == "1 Jul 2020"
    assert format_period(dt.date(2020, 7, 1), dt.date(2021, 3, 31)) == "1 Jul 2020 to 31 Mar 2021"
    assert main(["scenario", "run", "2019-commissioning-reorganisation"]) in (0, 1)
    out = capsys.readouterr().out
    import re

    assert not re.search(r"\d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}", out)


def test_bracketed_negatives_are_an_option(capsys):
    assert main(["scenario", "run", "2018-short-breaks", "--negatives", "brackets"]) == 0
    out = capsys.readouterr().out
    assert "(£72)" in out and "-£72" not in out
    assert main(["scenario", "run", "2018-short-breaks"]) == 0
    assert "-£72" in capsys.readouterr().out


# --- markers ------------------------------------------------------------------------------

def test_a_line_carries_several_markers_and_the_legend_only_those_used():
    row_labels, legend = labels([(Mark("inferred"), Mark("temporary", "31 Mar 2019")),
                                 (), (Mark("vacant"),)])
    assert row_labels == ["t, i", "", "v"]
    assert legend == ["[v] vacant post", "[t] temporary post until 31 Mar 2019",
                      "[i] rests on inferred pay data: treat the figure as provisional"]


def test_temporary_posts_with_different_end_dates_get_distinct_labels():
    row_labels, legend = labels([(Mark("temporary", "31 Mar 2019"),),
                                 (Mark("temporary", "30 Sep 2019"),)])
    assert row_labels == ["t1", "t2"]
    assert legend == ["[t1] temporary post until 31 Mar 2019",
                      "[t2] temporary post until 30 Sep 2019"]


def test_other_modules_register_their_markers_but_not_a_taken_symbol():
    register_marker("seconded-test", "s", "seconded in from {detail}")
    try:
        assert labels([(Mark("seconded-test", "the NHS"),)])[1] == [
            "[s] seconded in from the NHS"]
        with pytest.raises(ValueError, match="taken"):
            register_marker("other", "s", "x")
    finally:
        MARKERS.pop("seconded-test")


def test_committee_table_marks_vacant_and_temporary_posts():
    result = scenarios.run_scenario("2018-short-breaks")
    structure = result.scenario.structure
    posts = [p.evolve(status="vacant") if p.reference == "SO" else p.evolve(end=None)
             if p.reference == "RO" else p for p in structure.posts]
    costing = cost(structure.with_posts(posts), result.primary.basis)
    text = render(committee_table(costing), "plain")
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "Reviewing Officer [i]" in lines  # permanent now: not temporary
    assert "Service Organiser [v, t, i]" in lines
    assert "[v] vacant post" in text and "[t] temporary post until 31 Mar 2019" in text
    assert "Honorarium (existing Commissioning Officer)" in lines  # a payment: unmarked


@pytest.mark.parametrize("fmt", ["plain", "github", "html", "latex", "csv"])
def test_committee_outputs_carry_no_command_line_text(fmt):
    result = scenarios.run_scenario("2018-short-breaks")
    text = render(committee_table(result.primary, "Committee"), fmt)
    assert "establishment " not in text and "--explain" not in text and "`" not in text


# --- CSV: one table per file ----------------------------------------------------------------

def test_csv_is_one_table_per_file_and_reads_with_the_right_dtypes(tmp_path, capsys):
    import pandas as pd

    assert main(["scenario", "run", "2018-short-breaks", "-f", "csv"]) == 0
    out = capsys.readouterr().out
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns[:2]) == ["Post details", "fte"]
    assert frame["fte"].dtype.kind == "f" and frame["Cost per annum (2018/19)"].dtype.kind == "i"
    assert frame["Cost per annum (2018/19)"].iloc[-1] == 284937 == \
        frame["Cost per annum (2018/19)"].iloc[:-1].sum()
    assert main(["scenario", "run", "2018-short-breaks", "-f", "csv", "--table", "totals"]) == 0
    totals = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert totals["Full-year cost"].tolist() == [281776, 3161, 284937]
    assert main(["scenario", "run", "2018-short-breaks", "--output",
                 f"{tmp_path}/tables/"]) == 0  # a directory: csv, one file per table
    names = sorted(p.name for p in (tmp_path / "tables").iterdir())
    assert "committee.csv" in names and "totals.csv" in names and len(names) >= 4
    for path in (tmp_path / "tables").iterdir():
        assert not pd.read_csv(path).empty


def test_an_unknown_table_name_lists_the_known_ones(capsys):
    assert main(["scenario", "run", "2018-short-breaks", "-f", "csv", "--table", "nope"]) == 2
    assert "choose one of committee, totals" in capsys.readouterr().err


def test_unpriced_posts_are_marked_pay_not_disclosed_or_no_pay():
    from establishment import PayBasis, Post, Structure

    posts = [Post("Director", 1, "Hay Band A", unpriced="not disclosed"),
             Post("Adviser", 1, "Hay Band A", unpriced="none"),
             Post("Officer", 1, "Hay Band A", scp=34)]
    costing = cost(Structure("s", posts), PayBasis("nottinghamshire", pay_year=2018,
                                                  rule="council-2018"))
    table = committee_table(costing).marked()
    assert [row[0] for row in table.rows] == ["Director [d]", "Adviser [u]", "Officer [i]"]
    assert "[d] pay not disclosed: counted in fte, not priced (£0)" in table.notes
    assert "[u] no pay published: counted in fte, not priced (£0)" in table.notes


# --- every table command at 80 columns (issue 23) -----------------------------------------

LONG_TEAMS = ("Integrated Children's Disability Service and Short Breaks Commissioning",
              "Adult Social Care Strategic Commissioning and Market Development")
FOUR_SOURCES = ('{ "Core budget" = 40, "Better Care Fund" = 30, "Public Health Grant" = 20, '
                '"Dedicated Schools Grant" = 10 }')
TITLES = ("Senior Commissioning Officer (Short Breaks and Transitions)",
          "Integrated Disability Practitioner", "Business Support Administrator")
BASIS_OPTIONS = ["--employer", "nottinghamshire", "--rule", "council-2018"]


def _post(number: int, title: str, fte: str = "1", scp: int = 34) -> str:
    return (f'[[post]]\nreference = "P{number}"\nteam = "{LONG_TEAMS[number % 2]}"\n'
            f'title = "{title}"\nfte = {fte}\ngrade = "Hay Band A"\nscp = {scp}\n'
            f"funding = {FOUR_SOURCES}\n")


@pytest.fixture(scope="module")
def wide_files(tmp_path_factory):
    """A newcomer's 15-post restructure: the current structure and two options, long team
    names and four funding sources; an HR export of long team names; a register."""
    folder = tmp_path_factory.mktemp("wide")
    posts = [_post(1000 + i, TITLES[i % 3]) for i in range(15)]
    (folder / "current.toml").write_text('name = "Current structure"\n' + "".join(posts))
    cut = [p.replace("fte = 1\n", "fte = 0.8\n") if i < 3 else p for i, p in enumerate(posts)]
    (folder / "option-a.toml").write_text('name = "Option A: reduce hours in commissioning"\n'
                                          + "".join(cut))
    (folder / "option-b.toml").write_text(
        'name = "Option B: add a transitions coordinator"\n' + "".join(posts)
        + _post(2000, "Transitions Coordinator", scp=32))
    from tests.test_staffing import COLUMN_MAP, EXPORT

    export = EXPORT.replace(",Children,", f",{LONG_TEAMS[0]},").replace(",Adults,",
                                                                         f",{LONG_TEAMS[1]},")
    (folder / "hr.csv").write_text(export, encoding="utf-8")
    (folder / "map.toml").write_text(COLUMN_MAP, encoding="utf-8")
    register = folder / "reg.db"
    assert main(["register", "init", str(register), *BASIS_OPTIONS, "--pay-year", "2018/19",
                 "--from", str(folder / "option-b.toml"), "--on", "2018-04-01"]) == 0
    return folder


def _words(text: str) -> set[str]:
    return {w.strip(".,;:()[]'") for w in text.split() if w.strip("-")} - {""}


@pytest.mark.parametrize("command", [
    ["compare", "current.toml", "option-a.toml", "option-b.toml", "--pay-year", "2018/19"],
    ["staffing", "hr.csv", "--columns", "map.toml", "--pay-year", "2018/19"],
    ["diff", "current.toml", "option-b.toml", "--pay-year", "2018/19"],
    ["project", "option-a.toml", "--from", "2018-04", "--months", "3"],
    ["register", "as-of", "reg.db", "2018-06-01"],
], ids=["compare", "staffing", "diff", "project", "register-as-of"])
def test_every_table_command_fits_80_columns_with_no_word_split(wide_files, command, capsys):
    """On a pseudo-terminal 80 wide: no line over 80 characters (counted as characters: £ is
    one), and every word is one the same command prints whole to a pipe (no word split)."""
    args = [str(wide_files / a) if (wide_files / a).exists() else a for a in command]
    if command[0] != "register":
        args += BASIS_OPTIONS
    shown = _on_a_terminal(*args)
    assert main(args) == 0
    whole = capsys.readouterr().out
    lines = shown.splitlines()
    assert len(lines) > 5
    assert [line for line in lines if len(line) > 80] == []
    assert _words(shown) - _words(whole) == set()
