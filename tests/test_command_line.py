"""One command line: one rate syntax, no abbreviations, --version, the same input options and
the same dates on every command that reads a structure (issue 15)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from establishment import VacancyFactor
from establishment.cli.main import build_parser, main
from establishment.errors import ValidationError
from establishment.model.rates import parse_rate
from tests.cli_run import run

FIXTURES = Path(__file__).parent / "fixtures"
SHORT_BREAKS = str(FIXTURES / "short-breaks-2018.toml")


@pytest.mark.parametrize("text", ["3%", "0.03", " 3 % ", Decimal("0.03")])
def test_a_rate_is_a_percentage_or_a_fraction(text):
    assert parse_rate(text, "rate") == Decimal("0.03")
    assert VacancyFactor(text).percent == 3


@pytest.mark.parametrize("text", ["3", 3, Decimal(3), "1", "100%", "-1%", "x%", 0.03, "nan"])
def test_a_bare_whole_number_or_a_float_is_refused(text):
    with pytest.raises(ValidationError, match=r"^'rate' must be a rate (such as|from 0%)"):
        parse_rate(text, "rate")
    with pytest.raises(ValidationError, match=r"^'vacancy factor' must be a rate "):
        VacancyFactor(text)


def test_zero_is_zero_either_way():
    assert parse_rate("0", "rate") == parse_rate("0%", "rate") == 0


@pytest.mark.parametrize("command", [["compare", SHORT_BREAKS, SHORT_BREAKS],
                                     ["project", SHORT_BREAKS, "--from", "2018-04"]])
def test_every_command_reads_a_rate_the_same_way(capsys, command):
    code, out, _ = run(capsys, *command, "--vacancy-factor", "3%")
    assert code == 0 and "acancy" in out
    code, _, err = run(capsys, *command, "--vacancy-factor", "3")
    assert code == 2 and "ambiguous" in err
    assert run(capsys, *command, "--vacancy-factor", "0.03")[0] == 0


def test_the_same_rate_gives_the_same_column(capsys):
    percent = run(capsys, "compare", SHORT_BREAKS, SHORT_BREAKS, "--vacancy-factor", "3%")
    fraction = run(capsys, "compare", SHORT_BREAKS, SHORT_BREAKS, "--vacancy-factor", "0.03")
    assert percent == fraction and percent[0] == 0


def test_no_abbreviation_anywhere():
    parser = build_parser()
    stack = [parser]
    while stack:
        current = stack.pop()
        assert current.allow_abbrev is False
        for action in current._actions:
            if isinstance(action.choices, dict):
                stack.extend(action.choices.values())
    code = None
    try:
        main(["cost", SHORT_BREAKS, "--form", "2018-07-01"])
    except SystemExit as exit_:
        code = exit_.code
    assert code == 2  # a typo of --from, not taken as --format


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("establishment 0.")


@pytest.mark.parametrize("command", ["cost", "check", "diff", "compare", "project",
                                     "staffing"])
def test_every_command_that_reads_a_structure_has_the_input_options(command):
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(getattr(a, "choices", None), dict))
    options = {o for a in sub.choices[command]._actions for o in a.option_strings}
    assert {"--columns", "--column", "--dates", "--input-format", "--encoding"} <= options


def test_period_dates_on_the_command_line_read_like_dates_in_files(capsys):
    iso = run(capsys, "cost", SHORT_BREAKS, "--from", "2018-07-01", "--to", "2019-03-31")
    uk = run(capsys, "cost", SHORT_BREAKS, "--from", "01/07/2018", "--to", "31/03/2019")
    assert iso == uk and iso[0] == 0
    code, _, err = run(capsys, "cost", SHORT_BREAKS, "--from", "01/07/2018", "--to",
                       "03/04/2019", "--dates", "strict")
    assert code == 2 and "ambiguous" in err


def test_diff_of_two_hr_exports_uses_the_column_map(tmp_path, capsys):
    header = "Position No,Job Title,FTE,Grade,SCP\n"
    before = tmp_path / "before.csv"
    after = tmp_path / "after.csv"
    before.write_text(header + "P1,Officer,1,Hay Band A,34\nP2,Officer,1,Hay Band A,34\n"
                      "P3,Assistant,1,Grade 5,20\n", encoding="utf-8")
    after.write_text(header + "P1,Officer,1,Hay Band A,34\nP3,Assistant,1,Grade 5,20\n",
                     encoding="utf-8")
    columns = tmp_path / "map.toml"
    columns.write_text('[columns]\n"Job Title" = "title"\n', encoding="utf-8")
    code, out, err = run(capsys, "diff", str(before), str(after), "--columns", str(columns),
                         "--rule", "council-2018", "--employer", "nottinghamshire",
                         "--pay-year", "2018/19", "--format", "csv")
    assert code == 0, err
    assert out.count("Disestablish") + out.count("disestablish") >= 1
    assert "P2" in out and "P3" not in out and "P1" not in out


def test_a_windows_1252_file_loads_with_a_note_and_encoding_forces(capsys):
    path = str(FIXTURES / "windows1252.csv")
    basis = ("--employer", "nottinghamshire", "--pay-year", "2018/19")
    code, _, err = run(capsys, "check", path, "--rule", "council-2018", *basis)
    assert code == 0 and "read as Windows-1252" in err
    code, out, _ = run(capsys, "check", path, "--rule", "council-2018", "--encoding", "utf-8",
                       *basis)
    assert code == 2 and "is not utf-8 text (byte 0xa3)" in out
    code, _, err = run(capsys, "check", path, "--encoding", "klingon")
    assert code == 2 and "unknown encoding" in err


@pytest.mark.parametrize("data, message", [
    (b"PK\x03\x04rest", "is a ZIP file"),
    (b"\xff\xfeP\x00", "is UTF-16 text"),
    (b"Post Title,FTE\nA\x00,1\n", ":2: contains a NUL byte"),
])
def test_bytes_that_are_not_text_are_refused(tmp_path, capsys, data, message):
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    code, out, _ = run(capsys, "check", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2018/19")
    assert code == 2 and message in out


@pytest.mark.parametrize("word, header, status", [
    ("Occupied", "Status", "filled"), ("FILLED", "Status", "filled"),
    ("vacant", "Status", "vacant"), ("Y", "Filled", "filled"), ("no", "Occupied", "vacant"),
    ("Y", "Vacant Y/N", "vacant"), ("N", "Vacant", "filled"), ("Temp", "Status", "filled"),
    ("Fixed Term", "Status", "filled"), ("Yes", "Status", "filled"),
])
def test_status_words_read_alike_in_csv_and_toml(tmp_path, word, header, status):
    from establishment.io import load_structure

    csv_file = tmp_path / "posts.csv"
    csv_file.write_text(f"Post Title,FTE,Grade,{header}\nOfficer,1,Hay Band A,{word}\n",
                        encoding="utf-8")
    assert load_structure(csv_file).posts[0].status == status
    if "vacan" not in header.lower() and header != "Filled" and header != "Occupied":
        toml_file = tmp_path / "posts.toml"
        toml_file.write_text(f'[[post]]\ntitle = "Officer"\nfte = 1\ngrade = "Hay Band A"\n'
                             f'status = "{word}"\nstart = "01/07/2018"\n', encoding="utf-8")
        post = load_structure(toml_file).posts[0]
        assert post.status == status
        assert str(post.start) == "2018-07-01"


def test_ten_problems_on_six_rows_in_one_run(tmp_path, capsys):
    path = tmp_path / "export.csv"
    path.write_text(
        "Ref,Title,FTE,Grade,SCP,Status,Funding,Start,End\n"
        "A,Officer,abc,Hay Band A,34,maybe,,,\n"                                 # fte, status
        "B,Officer,1,Hay Band A,33.5,,,01/04/2019,01/03/2019\n"                  # scp, end
        "C,Officer,1,Hay Band A,34,,Core 60%; Grant 30%,31/02/2019,\n"           # funding, start
        "D,Officer,1.0000000000001,,,Filled,,,\n"                                   # fte, grade
        "A,Officer,1,Hay Band A,34,,,,\n"                                         # duplicate
        "F,,1,Hay Band A,34,,,,\n",                                               # title
        encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path), "--rule", "council-2018",
                       "--employer", "nottinghamshire", "--pay-year", "2018/19")
    assert code == 2
    found = [(int(line.split(":")[2]), line.split("[")[1].split("]")[0])
             for line in out.splitlines()]
    assert sorted(found) == sorted([(2, "FTE"), (2, "Status"), (3, "SCP"), (3, "End"),
                                    (4, "Funding"), (4, "Start"), (5, "FTE"), (5, "Grade"),
                                    (6, "Ref"), (7, "Title")]), out
    assert [line for line, _ in found] == sorted(line for line, _ in found)  # by line


def test_a_toml_post_reports_every_problem_in_one_run(tmp_path, capsys):
    path = tmp_path / "posts.toml"
    path.write_text('[[post]]\nreference = "A"\ntitle = "Officer"\nfte = 1\n'
                    'grade = "Hay Band A"\n\n'
                    '[[post]]\nreference = "A"\ntitle = "Officer"\nfte = 1\n'
                    'grade = "Hay Band A"\nstatus = "maybe"\n'
                    'funding = { Core = 60, Grant = 30 }\nstart = "2019-13-01"\n'
                    'end = 2019-01-01\n', encoding="utf-8")
    code, out, _ = run(capsys, "check", str(path))
    assert code == 2
    fields = [line.split("[")[1].split("]")[0] for line in out.splitlines()]
    assert sorted(fields) == ["funding", "reference", "start", "status"], out


BASIS = ("--employer", "nottinghamshire", "--rule", "council-2018")
# each command that reads a structure, with what else it needs (two files, a first month)
READERS = {
    "cost": lambda f: ["cost", f, *BASIS, "--pay-year", "2018/19"],
    "check": lambda f: ["check", f, *BASIS, "--pay-year", "2018/19"],
    "diff": lambda f: ["diff", f, f, *BASIS, "--pay-year", "2018/19"],
    "compare": lambda f: ["compare", f, f, *BASIS, "--pay-year", "2018/19"],
    "project": lambda f: ["project", f, *BASIS, "--from", "2018-04", "--months", "1"],
    "staffing": lambda f: ["staffing", f, *BASIS, "--pay-year", "2018/19"],
}


@pytest.mark.parametrize("command", sorted(READERS))
def test_a_column_map_file_is_read_by_every_command_that_reads_a_structure(
        command, tmp_path, capsys):
    from tests.test_staffing import COLUMN_MAP, EXPORT

    export = tmp_path / "hr-export.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    columns = tmp_path / "map.toml"
    columns.write_text(COLUMN_MAP, encoding="utf-8")
    code, out, err = run(capsys, *READERS[command](str(export)))
    # unmapped, 'Emp Ref' is no person column: a file of posts (its Hours the posts' own),
    # where a job share's two rows are a duplicate reference, located
    assert code == 2 and "duplicate reference 'P09' (first at line 14)" in out + err
    code, out, err = run(capsys, *READERS[command](str(export)), "--columns", str(columns))
    assert code == 0, err
    assert "read as Windows-1252" in err


def test_check_prints_each_problem_as_every_other_command_does(capsys):
    bad = FIXTURES / "broken"
    path = str(next(p for p in sorted(bad.iterdir()) if p.suffix == ".csv"))
    code, out, _ = run(capsys, "check", path, *BASIS, "--pay-year", "2018/19")
    assert code == 2 and out.startswith(f"establishment: {path}")
    code, _, err = run(capsys, "cost", path, *BASIS, "--pay-year", "2018/19")
    assert code == 2
    said = [line for line in err.splitlines() if not line.startswith("establishment: note")]
    assert out.splitlines() == said


@pytest.mark.parametrize("option", [{"award": "3"}, {"vacancy_factor": "3"},
                                    {"vacancy_factor": 3}])
def test_a_bare_3_is_refused_by_the_api_as_by_the_command_line(option):
    from establishment import PayBasis, projection
    from establishment.io import load_structure

    structure = load_structure(SHORT_BREAKS)
    basis = PayBasis("nottinghamshire", pay_year=2018, rule="council-2018")
    with pytest.raises(ValidationError) as err:
        projection(structure, basis, "2018-04", 1, **option)
    assert "ambiguous" in str(err.value)


def test_a_bad_amount_names_its_field_not_money(tmp_path):
    from establishment import Post
    from establishment.errors import LoadError
    from establishment.io.changes_file import load_changes

    with pytest.raises(ValidationError) as err:
        Post("Officer", 1, "Hay Band A", salary_max="40,00")
    assert err.value.field == "salary_max" and "'salary_max' must be" in str(err.value)
    path = tmp_path / "changes.toml"
    path.write_text('[[change]]\nkind = "establish"\n[change.post]\nreference = "S"\n'
                    'title = "Officer"\nfte = 1\ngrade = "Hay Band A"\nsalary = "abc"\n',
                    encoding="utf-8")
    with pytest.raises(LoadError) as err:
        load_changes(path)
    shown = str(err.value.problems[0])
    assert "[salary] change 1: 'salary' must be an amount in pounds" in shown
    assert "money" not in shown


def test_register_init_reads_its_opening_structure_like_every_command(tmp_path, capsys):
    from tests.test_staffing import COLUMN_MAP, EXPORT

    export = tmp_path / "hr-export.csv"
    export.write_bytes(EXPORT.encode("cp1252"))
    columns = tmp_path / "map.toml"
    columns.write_text(COLUMN_MAP, encoding="utf-8")
    code, out, err = run(capsys, "register", "init", str(tmp_path / "r.db"), *BASIS,
                         "--pay-year", "2018/19", "--from", str(export), "--columns",
                         str(columns), "--on", "01/04/2018")
    assert code == 0, err
    assert "register opened on 2018-04-01 with 9 posts" in out
