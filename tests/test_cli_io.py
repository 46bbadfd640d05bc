"""The command line's files: the broken-file corpus, --output, '-', --verbose, the progress bar.

Every file in tests/fixtures/broken/ is deliberately wrong in one (or a few) ways; each must
give its located message (file:line: [column] message) and exit status 2, through main().
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import openpyxl
import pytest

from establishment.cli.main import main
from establishment.cli.progress import THRESHOLD, progress_for

BROKEN = Path(__file__).parent / "fixtures" / "broken"
SCENARIO = Path(__file__).parent / "fixtures" / "short-breaks-2018.toml"

# file -> the messages `establishment check` must print (after "<path>"), one per problem
EXPECTED = {
    "missing_title_column.csv": [":1: [title] missing required column 'title' (found columns: "
                                 "Post Ref, FTE, Grade, SCP)"],
    "fte_zero.csv": [":2: [FTE] expected fte > 0, found 0"],
    "fte_text.csv": [":2: [FTE] expected a positive number such as 1 or 0.5, found 'full'"],
    "unknown_grade.csv": [":3: [Grade] unknown grade 'Hay Band Q' for Nottinghamshire County "
                          "Council; did you mean 'Hay Band E' or 'Hay Band D' or 'Hay Band C'?"],
    "scp_outside_grade.csv": [":2: [SCP] scp 40 is outside Hay Band A (old spine scp 29-34"],
    "end_before_start.csv": [":2: [End Date] expected an end on or after the start "
                             "(2018-07-01), found 2018-03-31"],
    "duplicate_reference.csv": [":3: [Post Ref] duplicate reference 'RO1' (first at line 2)"],
    "impossible_date.csv": [":2: [End Date] expected a date; '31/02/2019' is not a real date"],
    "two_digit_year.csv": [":2: [Start Date] expected a date; '01/07/18' has a 2-digit year"],
    "partial_date.csv": [":2: [Start Date] expected a date; 'Jul 2018' is not a whole date"],
    "utf16.csv": [": is UTF-16 text (Excel's 'Unicode Text'), not a text file this reads: "
                  "save it as 'CSV UTF-8'"],
    "empty.csv": [": is empty: expected a header row"],
    "funding_not_100.csv": [":2: [Cost Centre] expected percentages summing to 100, found "
                            "'60 + 30 = 90'"],
    "unclosed_quote.csv": [":2: unreadable CSV: unexpected end of data"],
    "extra_cells.csv": [":2: 9 cells but the header has 8 columns"],
    "bad_status.csv": [":2: [Status] expected status 'filled' or 'vacant', found 'maybe'"],
    "scp_not_whole.csv": [":2: [SCP] expected a whole spinal column point such as 34, found "
                          "'33.5'"],
    "duplicate_columns.csv": [":1: [Job Title] column 'Job Title' and column 'Post Title' both "
                              "give 'title'"],
    "missing_grade.csv": [":2: [Grade] expected a grade (or a cost per fte or salary), found "
                          "an empty cell"],
    "many_problems.csv": [":2: [FTE] expected fte > 0, found -1",
                          ":3: [FTE] expected a positive number such as 1 or 0.5, found 'two'",
                          ":4: [Grade] unknown grade 'Grade 44'"],
    "toml_syntax.toml": [":6: invalid TOML"],
    "toml_fte_negative.toml": [":3: [fte] post 1: 'fte' must be > 0 (got Decimal('-1'))"],
    "toml_unknown_field.toml": [":3: [ftee] post 1: unknown field 'ftee'"],
    "toml_unknown_grade.toml": [":9: [grade] post Assessment Officer: unknown grade 'Grade 55'"],
    "toml_every_problem.toml": [":3: [fte] post 1: 'fte' must be > 0 (got Decimal('0'))",
                                ":9: [grade] post AO: unknown grade 'Grade 55'",
                                ":15: [scp] post ICDS / Service Organiser: scp 30 is outside "
                                "Grade 4"],
    "not_a_workbook.xlsx": [": is not an XLSX workbook (an .xlsx file is a zip archive"],
    "truncated.xlsx": [": is not a readable XLSX workbook (it is not a zip archive"],
    "xlsx_unknown_grade.xlsx": [":3: [Grade] unknown grade 'Hay Bnad A' for Nottinghamshire "
                                "County Council; did you mean 'Hay Band A'"],
    "xlsx_missing_fte_column.xlsx": [":1: [fte] missing required column 'fte'"],
    "xlsx_bad_date.xlsx": [":2: [End Date] expected a date; '31/13/2019' is not a real date"],
    "xlsx_fte_zero_and_scp.xlsx": [":2: [FTE] expected fte > 0, found 0",
                                   ":3: [SCP] scp 35 is outside Hay Band A"],
}

# no employer or pay year is assumed: every command names them (issue 10)
BASIS = ["--employer", "nottinghamshire", "--pay-year", "2018/19"]


def test_the_corpus_is_complete():
    files = {p.name for p in BROKEN.iterdir() if p.suffix in (".csv", ".xlsx", ".toml")}
    assert files == set(EXPECTED)
    assert len(files) >= 20
    assert {Path(f).suffix for f in files} == {".csv", ".xlsx", ".toml"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_prints_every_located_problem_and_exits_2(name, capsys):
    path = str(BROKEN / name)
    assert main(["check", path, *BASIS, "--rule", "council-2018"]) == 2
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == len(EXPECTED[name]), out
    for line, expected in zip(lines, EXPECTED[name]):
        assert line.startswith(f"establishment: {path}{expected}"), (line, expected)
    assert "Traceback" not in out + err


@pytest.mark.parametrize("name", ["fte_zero.csv", "toml_unknown_grade.toml",
                                  "xlsx_unknown_grade.xlsx", "truncated.xlsx"])
def test_cost_reports_the_same_problems_on_stderr_and_exits_2(name, capsys):
    path = str(BROKEN / name)
    assert main(["cost", path, *BASIS, "--rule", "council-2018"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"establishment: {path}")
    assert EXPECTED[name][0] in err


def test_check_of_a_sound_file_exits_0_with_counts(capsys, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("Post Title,FTE,Grade,SCP,Employee\nReviewing Officer,2,Hay Band A,34,Jo\n"
                    "\nAssessment Officer,1.5,Grade 5,28,Al\n", encoding="utf-8")
    assert main(["check", str(path), *BASIS, "--rule", "council-2018"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert ("3 rows read" not in err and "2 rows read: 2 posts, 0 payments, 0 rows with "
            "errors (0 problems); blank rows skipped: 1; columns ignored: Employee") in err


@pytest.mark.parametrize("option,field", [(["--rule", "nope"], "rule"),
                                          (["--rule", "council-2018", "--pay-year", "2050"],
                                           "pay_year")])
def test_a_bad_basis_is_one_problem_not_one_per_post(tmp_path, capsys, option, field):
    source = tmp_path / "posts.csv"
    source.write_text("Post Title,FTE,Grade,SCP\nA,1,Hay Band A,34\nB,1,Hay Band B,\n"
                      "C,1,Grade 5,\n")
    assert main(["check", str(source), *BASIS, *option]) == 2
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"establishment: {source}: [{field}] ")


def test_verbose_counts_every_row_even_on_failure(capsys):
    path = str(BROKEN / "many_problems.csv")
    assert main(["cost", path, *BASIS, "-v"]) == 2
    err = capsys.readouterr().err
    assert f"establishment: {path}: 3 rows read: 0 posts, 0 payments, 3 rows with errors " \
           "(3 problems)" in err


def _cost(args, capsys):
    status = main(["cost", str(SCENARIO), *BASIS, "--rule", "council-2018", *args])
    return status, capsys.readouterr()


@pytest.mark.parametrize("suffix,marker", [(".md", "| Post details"), (".html", "<table>"),
                                           (".tex", r"\begin{tabular}"),
                                           (".csv", "Post details,fte,Pay band"),
                                           (".txt", "Post details  ")])
def test_output_format_comes_from_the_extension(tmp_path, capsys, suffix, marker):
    target = tmp_path / f"table{suffix}"
    status, captured = _cost(["--output", str(target)], capsys)
    assert status == 0 and captured.out == ""
    assert marker in target.read_text(encoding="utf-8")
    assert "284,937" in target.read_text(encoding="utf-8") or \
        "284937" in target.read_text(encoding="utf-8")


def test_output_xlsx_is_a_workbook_with_numbers(tmp_path, capsys):
    target = tmp_path / "committee.xlsx"
    status, _ = _cost(["--output", str(target), "--by", "team"], capsys)
    assert status == 0
    book = openpyxl.load_workbook(target)
    assert len(book.worksheets) == 3 and book.sheetnames[-1] == "Notes"
    sheet = book.worksheets[0]
    assert sheet["A1"].value == "Post details" and sheet["A1"].font.bold
    assert sheet["E8"].value == 284937 and sheet["E8"].data_type == "n"


def test_explicit_format_beats_the_extension(tmp_path, capsys):
    target = tmp_path / "table.txt"
    status, _ = _cost(["--output", str(target), "--format", "csv"], capsys)
    assert status == 0
    assert target.read_text().startswith("Post details,fte,")


def test_unknown_output_extension_is_exit_2_without_writing(tmp_path, capsys):
    target = tmp_path / "table.odt"
    status, captured = _cost(["--output", str(target)], capsys)
    assert status == 2
    assert "cannot tell the format of" in captured.err
    assert not target.exists()


def test_output_onto_the_input_file_is_refused_and_the_input_kept(tmp_path, capsys):
    source = tmp_path / "posts.csv"
    text = "Post Title,FTE,Grade,SCP\nA,1,Hay Band A,34\n"
    source.write_text(text)
    assert main(["cost", str(source), *BASIS, "--output", str(tmp_path / "." / "posts.csv")]) == 2
    assert "is the input file" in capsys.readouterr().err
    assert source.read_text() == text


def test_dash_is_standard_output(capsys):
    status, captured = _cost(["--output", "-", "--format", "github"], capsys)
    assert status == 0
    assert "| Total" in captured.out and "£284,937" in captured.out


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def test_dash_reads_standard_input(monkeypatch, capsys):
    data = b"title,fte,grade,scp\nReviewing Officer,2,Hay Band A,34\n"
    monkeypatch.setattr(sys, "stdin", _Stdin(data))
    assert main(["cost", "-", *BASIS, "--input-format", "csv", "--rule", "council-2018", "-f",
                 "csv"]) == 0
    out = capsys.readouterr().out
    # the last column says in words what the line's markers mean (CSV has no legend)
    assert out.splitlines()[1] == ("Reviewing Officer,2,Hay Band A scp 34,40702,81404,"
                                   "rests on inferred pay data: treat the figure as provisional")


@pytest.mark.parametrize("command", [["diff", "-", "-"],
                                     ["compare", "-", str(SCENARIO), "-"]])
def test_standard_input_is_read_once_not_taken_as_an_empty_structure(monkeypatch, capsys,
                                                                     command):
    """The second '-' read an exhausted stdin: an empty structure, so `diff - -` reported
    every post removed and exited 0."""
    monkeypatch.setattr(sys, "stdin", _Stdin(SCENARIO.read_bytes()))
    assert main(command) == 2
    assert capsys.readouterr().err == ("establishment: error: standard input ('-') can be "
                                       "read only once: give the other structures as files\n")


def test_stdin_problems_are_located_at_stdin(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"title,fte,grade\nX,0,Hay Band A\n"))
    assert main(["check", "-", *BASIS, "--input-format", "csv"]) == 2
    assert capsys.readouterr().out == ("establishment: <stdin>:2: [fte] expected fte > 0, "
                                       "found 0\n")


def test_column_mapping_and_strict_dates_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text("Job Ref,Post Title,FTE,Grade,SCP,End Date\n"
                    "R1,Reviewing Officer,2,Hay Band A,34,03/04/2019\n", encoding="utf-8")
    assert main(["check", str(path), *BASIS, "--column", "Job Ref=reference", "--dates",
                 "strict"]) == 2
    out = capsys.readouterr().out
    assert ":2: [End Date] expected a date; '03/04/2019' is ambiguous" in out
    assert main(["check", str(path), *BASIS, "--column", "Job Ref=nonsense"]) == 2
    assert "unknown field" in capsys.readouterr().out


def test_explain_adds_an_explanation_table(capsys):
    status, captured = _cost(["--explain", "RO"], capsys)
    assert status == 0
    assert re.search(r"employer NI +£3,118\.25 +13\.8% x \(£30,756 - £8,160\)", captured.out)
    assert re.search(r"full-year cost +£81,404\.00 +2 fte x £40,702", captured.out)


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_for_large_work():
    terminal, pipe = _Terminal(), io.StringIO()
    with progress_for(THRESHOLD * 2, "reading", terminal) as bar:
        assert bar is not None
        bar(50_000)
    assert "reading [" in terminal.getvalue() and "50,000 of ~100,000 rows" in \
        terminal.getvalue()
    with progress_for(THRESHOLD * 2, "reading", pipe) as bar:
        assert bar is None
    with progress_for(THRESHOLD, "reading", _Terminal()) as bar:
        assert bar is None
    assert pipe.getvalue() == ""


def test_progress_of_unknown_size_counts_rows_only():
    terminal = _Terminal()
    with progress_for(THRESHOLD * 2, "reading", terminal, known=False) as bar:
        bar(20_000)
    assert "reading 20,000 rows" in terminal.getvalue() and "%" not in terminal.getvalue()


def test_xlsx_to_piped_standard_output_is_the_workbook(capsysbinary):
    assert main(["cost", str(SCENARIO), *BASIS, "--format", "xlsx"]) == 0
    data = capsysbinary.readouterr().out
    assert data[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["E8"].value == 284937
