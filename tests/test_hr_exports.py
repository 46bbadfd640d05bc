"""HR exports as they really come (issue 24): full-time hours from the pay data only, a
two-decimal post fte against the hours of the people in it, column mapping said out loud,
person rows read as people, and positions and people in two files."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from establishment import PayBasis, Post, Structure
from establishment.errors import CostingError, Location
from establishment.model.assignment import Assignment
from establishment.operations.staffing import staffing
from tests.cli_run import run

BASIS = PayBasis(employer="nottinghamshire", rule="council-2018", pay_year=2018)
HAY_A_34 = 40702  # cost per fte, 2018/19, council-2018, Hay Band A point 34 (whole pounds)


def pounds(exact: Fraction) -> int:
    """Whole pounds, half up (the one rounding rule)."""
    return int((Fraction(exact) + Fraction(1, 2)) // 1)


def post_of(fte: str, *people: Assignment) -> Structure:
    post = Post("Officer", fte, "Hay Band A", 34, reference="P1", team="T")
    return Structure("s", [post], assignments=people)


# -- full-time hours: the basis's, never 37 ---------------------------------------------------

def test_people_in_hours_need_the_pay_datas_full_time_hours():
    civil = PayBasis("civil-service", 2019, rule="salary-only")  # states no full-time hours
    post = Post("Analyst", 1, salary=30000, reference="A", team="T")
    person = Assignment(post="A", person="E1", hours="18",
                        source=Location("people.csv", 7))
    with pytest.raises(CostingError) as err:
        staffing(Structure("s", [post], assignments=[person]), civil)
    [problem] = err.value.problems
    assert (problem.file, problem.line, problem.field) == ("people.csv", 7, "hours")
    assert "states no full-time hours" in problem.message
    assert "37 is not assumed" in problem.message
    # people in fte need no full-time hours at all
    in_fte = Assignment(post="A", person="E1", fte="0.5")
    figures = staffing(Structure("s", [post], assignments=[in_fte]), civil).by_team.loc["T"]
    assert (figures["in_post"], figures["vacancy"]) == (15000, 15000)


# -- a two-decimal post fte against its people's hours ----------------------------------------

def test_a_two_decimal_post_fte_is_the_exact_fte_of_its_peoples_hours():
    # 0.61 is 22.5 hours of 37 (45/74 = 0.6081...) written to two places
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="22.5")),
                      BASIS)
    figures = result.by_team.loc["T"]
    exact = pounds(Fraction(45, 74) * HAY_A_34)
    assert exact == 24751 and pounds(Fraction("0.61") * HAY_A_34) == 24828  # £77 apart
    assert (figures["establishment"], figures["in_post"]) == (exact, exact)
    assert figures["vacancy"] == figures["hours"] == figures["pay_point"] == 0
    assert result.posts["state"].tolist() == ["filled"]
    assert result.posts["vacant_fte"].tolist() == [0] and not result.warnings
    assert result.notes == ("1 post(s) read at the exact fte of the hours of the people in "
                            "them over 37 full-time hours, which their stated fte rounds: "
                            "P1 0.61 as 45/74 = 0.608108",)


def test_a_rounding_above_the_post_fte_is_not_over_establishment():
    # 22.6 hours of 37 = 0.6108..., which is 0.61 to two places: not 0.0008 over
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="22.6")),
                      BASIS)
    assert result.posts["state"].tolist() == ["filled"] and not result.warnings
    figures = result.by_team.loc["T"]
    assert figures["establishment"] == figures["in_post"] == pounds(
        Fraction(226, 370) * HAY_A_34)


def test_a_post_fte_its_people_do_not_round_to_keeps_its_vacancy():
    # 20 hours of 37 = 0.5405...: not 0.61, so 0.61 - 20/37 is vacant
    result = staffing(post_of("0.61", Assignment(post="P1", person="E1", hours="20")), BASIS)
    assert result.posts["state"].tolist() == ["part vacant"] and not result.notes
    figures = result.by_team.loc["T"]
    assert figures["establishment"] == pounds(Fraction("0.61") * HAY_A_34)
    assert figures["vacancy"] == pounds((Fraction("0.61") - Fraction(20, 37)) * HAY_A_34)
    # a whole-number fte states no rounding: 36 hours leave 1/37 of a 1 fte post vacant
    whole = staffing(post_of("1", Assignment(post="P1", person="E1", hours="36")), BASIS)
    assert whole.posts["state"].tolist() == ["part vacant"] and not whole.notes
    assert whole.by_team.loc["T", "vacancy"] == pounds(Fraction(1, 37) * HAY_A_34)


# -- a synthetic export in the shape of a real one --------------------------------------------
# One row per person, as Excel saves "CSV (Comma delimited)" on a UK machine (Windows-1252:
# the é and the £ are single bytes), headers the HR system's own (no column map). The SCP,
# FTE, Start Date and End Date are each person's: they differ within the job shares P01 and
# P08. E06 acts up in P05 from P06 (held); E10 is in two posts (P09, P10: one head); P03 is a
# vacancy (its row keeps its SCP and FTE for the post); E04 is on 22.5 hours (0.61 fte of 37,
# the exact 45/74) in a post the export gives as 0.61.
HEADER = ("Position No,Job Title,Team,Grade,SCP,FTE,Employee No,Employee Name,"
          "Contracted Hours,Contract Type,Start Date,End Date")
ROWS = [
    "P01,Senior Practitioner,Children,Hay Band A,34,0.61,E01,Ann Able,22.5,Permanent,"
    "01/04/2015,",
    "P01,Senior Practitioner,Children,Hay Band A,32,0.39,E02,Renée Bell,14.5,Permanent,"
    "03/09/2017,",
    "P02,Practitioner,Children,Grade 5,28,1.00,E03,Cal Cole,37,Permanent,01/04/2015,",
    "P03,Practitioner,Children,Grade 5,28,1.00,,,,,,",
    "P04,Assistant,Children,Grade 4,22,0.61,E04,Dee Dunn,22.5,Permanent,01/04/2016,",
    "P05,Team Leader,Adults,Hay Band A,31,1.00,E06,Fay Ford,37,Acting,01/10/2018,31/03/2019",
    "P06,Practitioner,Adults,Grade 5,26,1.00,E06,Fay Ford,37,Permanent,01/04/2015,",
    "P07,Support Worker,Adults,Grade 3,17,1.00,E07,Gus Gray,37,Temp,01/10/2018,31/03/2019",
    "P08,Admin Officer,Adults,Grade 3,18,0.50,E08,Hal Hart,18.5,Permanent,01/04/2015,",
    "P08,Admin Officer,Adults,Grade 3,16,0.50,E09,Ian Ives,18.5,Fixed Term,01/01/2018,"
    "31/12/2018",
    "P09,Clerk,Adults,Grade 3,18,0.50,E10,Jo Jay,18.5,Permanent,01/04/2015,",
    "P10,Clerk,Adults,Grade 3,18,0.50,E10,Jo Jay,18.5,Permanent,01/04/2015,",
]
EXPORT = "\r\n".join([HEADER, *ROWS]) + "\r\n"
PARTS = ("in_post", "vacancy", "held", "pay_point", "hours")
# Cost per fte, 2018/19, council-2018, whole pounds: (grade, scp); a post with no scp (its
# people's points differ) is costed at the top of its grade (Hay Band A 34, Grade 5 28,
# Grade 4 23, Grade 3 18).
COST = {("Hay Band A", 34): 40702, ("Hay Band A", 32): 38389, ("Hay Band A", 31): 37254,
        ("Grade 5", 28): 33504, ("Grade 5", 26): 31332, ("Grade 4", 23): 28376,
        ("Grade 4", 22): 27535, ("Grade 3", 18): 23940, ("Grade 3", 17): 23527,
        ("Grade 3", 16): 23037}


def line_cost(fte: Fraction | str, grade: str, scp: int) -> int:
    return pounds(Fraction(fte) * COST[grade, scp])


def hand_calculation() -> dict[str, dict[str, int]]:
    """The five figures by hand: each line fte x cost per fte, whole pounds half up."""
    a, g5, g4, g3 = "Hay Band A", "Grade 5", "Grade 4", "Grade 3"
    e01, e02, e04 = Fraction(45, 74), Fraction(29, 74), Fraction(45, 74)  # 22.5, 14.5 of 37
    children_at_post = (line_cost(e01, a, 34) + line_cost(e02, a, 34) + line_cost(1, g5, 28)
                        + line_cost(e04, g4, 23))
    children = {
        # P01 1.00 at the top of Hay Band A; P02, P03 at 28; P04 read at 45/74, top of Grade 4
        "establishment": line_cost(1, a, 34) + 2 * line_cost(1, g5, 28)
        + line_cost(e04, g4, 23),
        "in_post": line_cost(e01, a, 34) + line_cost(e02, a, 32) + line_cost(1, g5, 28)
        + line_cost(e04, g4, 22),
        "vacancy": line_cost(1, g5, 28),  # P03
        "held": 0,
    }
    children["pay_point"] = children_at_post - children["in_post"]
    adults_at_post = (line_cost(1, a, 34) + line_cost(1, g3, 18) + 2 * line_cost("0.5", g3, 18)
                      + 2 * line_cost("0.5", g3, 18))
    adults = {
        "establishment": line_cost(1, a, 34) + line_cost(1, g5, 28) + 2 * line_cost(1, g3, 18)
        + 2 * line_cost("0.5", g3, 18),
        # E06 acting in P05 at 31 (paid there only); E07 at 17; E08 at 18 and E09 at 16 on
        # half each; E10 half in each of P09 and P10 at 18
        "in_post": line_cost(1, a, 31) + line_cost(1, g3, 17) + line_cost("0.5", g3, 18)
        + line_cost("0.5", g3, 16) + 2 * line_cost("0.5", g3, 18),
        "vacancy": 0,
        "held": line_cost(1, g5, 28),  # P06, held for E06
    }
    adults["pay_point"] = adults_at_post - adults["in_post"]
    for figures, at_post in ((children, children_at_post), (adults, adults_at_post)):
        figures["hours"] = (figures["establishment"] - figures["vacancy"] - figures["held"]
                            - at_post)
    return {"Children": children, "Adults": adults}


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "hr-export.csv"
    path.write_bytes(EXPORT.encode("cp1252"))
    return path


def staffing_args(*paths: str) -> list[str]:
    return ["staffing", *paths, "--employer", "nottinghamshire", "--rule", "council-2018",
            "--pay-year", "2018/19"]


def test_the_hand_calculation():
    figures = hand_calculation()
    assert figures["Children"] == {"establishment": 124966, "in_post": 90043,
                                   "vacancy": 33504, "held": 0, "pay_point": 1419, "hours": 0}
    assert figures["Adults"] == {"establishment": 146026, "in_post": 108210, "vacancy": 0,
                                 "held": 33504, "pay_point": 4312, "hours": 0}
    for team in figures.values():
        assert team["establishment"] == sum(team[p] for p in PARTS)


def test_a_real_shaped_export_loads_without_a_column_map(export):
    from establishment.io import read_structure

    loaded = read_structure(export)
    structure = loaded.structure
    posts = {p.reference: p for p in structure.posts}
    assert len(posts) == 10 and len(structure.assignments) == 11
    assert len({a.person for a in structure.assignments}) == 9
    # the job shares' own points and dates are the people's; the posts keep none of them
    assert (posts["P01"].scp, posts["P01"].start, posts["P01"].fte) == (None, None,
                                                                       Decimal("1.00"))
    assert posts["P03"].scp == 28 and posts["P03"].status == "vacant"  # no one: the post's
    people = {(a.person, a.post): a for a in structure.assignments}
    assert people["E02", "P01"].scp == 32
    assert people["E02", "P01"].start.isoformat() == "2017-09-03"
    assert people["E09", "P08"].end.isoformat() == "2018-12-31"
    assert people["E06", "P05"].kind == "acting"
    assert people["E06", "P05"].start.isoformat() == "2018-10-01"
    notes = "\n".join(loaded.notes)
    assert "read as each person's own" in notes and "'SCP' (person_scp)" in notes
    assert "Windows-1252" in notes
    # notes name headers and fields, never a person's name or number
    assert "Renée" not in notes and "E02" not in notes


def test_staffing_gives_the_hand_calculation(export, capsys):
    from establishment.cli.main import main

    assert main([*staffing_args(str(export)), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    rows = [r.split(",") for r in out.strip().splitlines()]
    by_team = {r[0]: dict(zip(rows[0], r)) for r in rows[1:]}
    columns = {"establishment": "Establishment", "in_post": "In post", "vacancy": "Vacancy",
               "held": "Held", "pay_point": "Pay-point variance", "hours": "Hours variance"}
    for team, figures in hand_calculation().items():
        assert {k: int(by_team[team][c]) for k, c in columns.items()} == figures
    assert int(by_team["Total"]["Headcount"]) == 9  # E10 in two posts counted once
    assert "P04 0.61 as 45/74" in err  # the post's two-decimal fte, read exactly
    assert "warning" not in err  # no over-establishment of a rounding


def test_show_mapping_prints_each_headers_field(export, capsys):
    from establishment.cli.main import main

    assert main([*staffing_args(str(export)), "--show-mapping"]) == 0
    err = capsys.readouterr().err
    for header, field in (("Position No", "reference"), ("Job Title", "title"),
                          ("Team", "team"), ("Grade", "grade"), ("SCP", "scp"),
                          ("FTE", "fte"), ("Employee No", "person"),
                          ("Employee Name", "name"), ("Contracted Hours", "hours"),
                          ("Contract Type", "contract"), ("Start Date", "start"),
                          ("End Date", "end")):
        assert f"  {header!r} -> {field} (" in err
    assert "'Team' -> team (the header is its name)" in err
    assert "'Position No' -> reference (guessed from the header)" in err
    assert "mapped by their header's likeness to a field" in err  # the note for guesses
    assert "Renée" not in err and "Ann Able" not in err and "E01" not in err


def salaried(path) -> None:
    """The export with a pro-rata "Annual Salary (£)" column, as many HR systems add."""
    lines = EXPORT.split("\r\n")
    rows = [lines[0] + ",Annual Salary (£)"] + [f"{row},{12345 + i}" for i, row in
                                                 enumerate(lines[1:-1])]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def test_a_salary_column_beside_grade_and_scp_is_an_error_naming_both(tmp_path, capsys):
    from establishment.cli.main import main

    path = tmp_path / "salaried.csv"
    salaried(path)
    assert main(staffing_args(str(path))) == 2
    err = capsys.readouterr().err
    assert f"{path}:1: [Annual Salary (£)] column 'Annual Salary (£)' (a salary) and columns " \
           "'Grade' and 'SCP' (a grade and point) both give each post's pay" in err
    assert "Traceback" not in err


def test_one_map_line_ignores_the_salary_and_gives_the_same_figures(export, tmp_path, capsys):
    from establishment.cli.main import main

    assert main([*staffing_args(str(export)), "--format", "csv", "--posts"]) == 0
    plain = capsys.readouterr().out
    path = tmp_path / "salaried.csv"
    salaried(path)
    columns = tmp_path / "map.toml"
    columns.write_text('"Annual Salary (£)" = "ignore"\n', encoding="utf-8")
    assert main([*staffing_args(str(path)), "--format", "csv", "--posts", "--columns",
                 str(columns), "--show-mapping"]) == 0
    out, err = capsys.readouterr()
    assert out == plain
    assert "'Annual Salary (£)' -> ignored by the column map" in err
    assert main([*staffing_args(str(path)), "--format", "csv", "--posts",
                 "--ignore-column", "Annual Salary (£)"]) == 0
    assert capsys.readouterr().out == plain


def test_an_acting_up_persons_dates_are_theirs_not_the_posts(tmp_path):
    from establishment.io import read_structure

    path = tmp_path / "acting.csv"
    path.write_text("Ref,Title,Team,Grade,SCP,FTE,Employee No,Contract Type,Start Date\n"
                    "P05,Team Leader,T,Hay Band A,34,1,E06,Acting,01/04/2019\n"
                    "P06,Practitioner,T,Grade 5,28,1,E06,Permanent,01/04/2015\n",
                    encoding="utf-8")
    structure = read_structure(path).structure
    posts = {p.reference: p for p in structure.posts}
    assert posts["P05"].start is None  # the acting-up from next April is E06's, not P05's
    assert posts["P06"].start.isoformat() == "2015-04-01"
    result = staffing(structure, BASIS)  # 2018/19: E06 is not acting yet, so is in P06
    states = dict(zip(result.posts["reference"], result.posts["state"]))
    assert states == {"P05": "vacant", "P06": "filled"}
    figures = result.by_team.loc["T"]
    assert (figures["establishment"], figures["vacancy"], figures["in_post"]) == (
        40702 + 33504, 40702, 33504)


def test_a_post_not_in_force_is_not_shown_filled_at_nothing():
    post = Post("Officer", 1, "Hay Band A", 34, reference="P1", team="T", start="2019-04-01")
    other = Post("Clerk", 1, "Grade 5", 28, reference="P2", team="T")
    structure = Structure("s", [post, other], assignments=[
        Assignment(post="P1", person="E1", fte="1"), Assignment(post="P2", person="E2",
                                                                 fte="1")])
    result = staffing(structure, BASIS)  # 2018/19: P1 starts the year after
    assert result.posts["reference"].tolist() == ["P2"]
    assert result.by_team.loc["T", "headcount"] == 1


# -- two files: positions and people ----------------------------------------------------------

def split_export(directory) -> tuple[str, str]:
    """The export's posts as a positions file (a post's own SCP only where no one is in it)
    and its people as a people file, as an HR system exports them apart."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(EXPORT)))
    index = {name: i for i, name in enumerate(rows[0])}
    fte = {"P01": "1.00", "P08": "1.00"}  # the job shares: the sum of their people's
    positions = ["Position No,Job Title,Team,Grade,SCP,FTE"]
    people = ["Employee No,Position No,Employee Name,SCP,FTE,Contracted Hours,Contract Type,"
              "Start Date,End Date"]
    seen = set()
    for row in rows[1:]:
        get = {name: row[i] for name, i in index.items()}
        if get["Position No"] not in seen:
            seen.add(get["Position No"])
            vacant = not get["Employee No"]
            positions.append(",".join([get["Position No"], get["Job Title"], get["Team"],
                                       get["Grade"], get["SCP"] if vacant else "",
                                       fte.get(get["Position No"], get["FTE"])]))
        if get["Employee No"]:
            people.append(",".join(get[name] for name in (
                "Employee No", "Position No", "Employee Name", "SCP", "FTE",
                "Contracted Hours", "Contract Type", "Start Date", "End Date")))
    folder = directory / "split"
    folder.mkdir()
    (folder / "hr-export.csv").write_bytes(("\r\n".join(positions) + "\r\n").encode("cp1252"))
    (folder / "people.csv").write_bytes(("\r\n".join(people) + "\r\n").encode("cp1252"))
    return str(folder / "hr-export.csv"), str(folder / "people.csv")


def test_positions_and_people_in_two_files_give_identical_staffing(export, tmp_path, capsys):
    from establishment.cli.main import main

    tail = ["--posts", "--people", "--format", "github"]
    assert main([*staffing_args(str(export)), *tail]) == 0
    one = capsys.readouterr().out
    positions, people = split_export(tmp_path)
    assert main([*staffing_args("--positions", positions, "--staff", people), *tail,
                 "--show-mapping"]) == 0
    two, err = capsys.readouterr()
    assert two == one
    assert "'SCP' -> person_scp (the header is its name)" in err  # the people file's
    assert "'Job Title' -> title" in err  # the positions file's


def test_the_api_reads_two_files_as_one_export(export, tmp_path):
    from establishment.io import read_structure
    from establishment.io.staff import read_staffing

    positions, people = split_export(tmp_path)
    joined = read_staffing(positions, people).structure
    assert joined == read_structure(export).structure
    assert staffing(joined, BASIS).by_team.equals(
        staffing(read_structure(export).structure, BASIS).by_team)


def test_people_in_unknown_posts_and_repeated_posts_are_located(tmp_path, capsys):
    from establishment.cli.main import main

    positions = tmp_path / "positions.csv"
    positions.write_text("Position No,Job Title,Team,Grade,FTE\nP1,Officer,T,Grade 5,1\n"
                         "P1,Officer,T,Grade 5,1\nP2,Clerk,T,Grade 3,1\n", encoding="utf-8")
    people = tmp_path / "people.csv"
    people.write_text("Employee No,Position No,SCP,Contracted Hours\nE1,P2,18,37\n"
                      "E2,P9,18,37\nE3,,18,37\nE1,P2,17,37\n", encoding="utf-8")
    args = staffing_args("--positions", str(positions), "--staff", str(people))
    assert main(args) == 2
    assert f"{positions}:3: [Position No] duplicate reference 'P1' (first at line 2)" in \
        capsys.readouterr().err
    positions.write_text("Position No,Job Title,Team,Grade,FTE\nP1,Officer,T,Grade 5,1\n"
                         "P2,Clerk,T,Grade 3,1\n", encoding="utf-8")
    assert main(args) == 2
    err = [line for line in capsys.readouterr().err.splitlines() if "note:" not in line]
    assert err == [
        f"establishment: {people}:3: [Position No] post 'P9' is not in {positions}: a person "
        "must be in one of its positions",
        f"establishment: {people}:4: [Position No] expected the reference of the person's "
        "post, found an empty cell",
        f"establishment: {people}:5: [Employee No] person 'E1' is in post 'P2' twice (first "
        "at line 2)"]
    assert main(staffing_args("--positions", str(positions))) == 2
    assert "--positions and --staff go together" in capsys.readouterr().err


# -- dates in changes files; did you mean -----------------------------------------------------

def test_changes_files_read_uk_dates_as_every_other_reader():
    import datetime as dt

    from establishment.errors import LoadError
    from establishment.io.changes_file import parse_changes_text

    text = ('[[change]]\nkind = "change-end"\ntarget = "P1"\nend = "31/03/2019"\n\n'
            '[[change]]\nkind = "establish"\n[change.post]\nreference = "P9"\n'
            'title = "Officer"\nfte = 1\ngrade = "Grade 5"\nstart = "01/07/2018"\n'
            'end = "31-Mar-2019"\n')
    entries = parse_changes_text(text, "c.toml").entries
    assert entries[0].change.end == dt.date(2019, 3, 31)
    assert (entries[1].change.post.start, entries[1].change.post.end) == (
        dt.date(2018, 7, 1), dt.date(2019, 3, 31))
    with pytest.raises(LoadError) as err:
        parse_changes_text(text + '\n[[change]]\nkind = "change-end"\ntarget = "P1"\n'
                           'end = "32/13/2019"\n', "c.toml")
    assert [str(p) for p in err.value.problems] == [
        "c.toml:16: [end] change 3: expected a date; '32/13/2019' is not a real date (read as "
        "day/month/year)"]


@pytest.mark.parametrize("words, said", [
    (["staffin", "x.csv"], "invalid choice: 'staffin' (choose from "),
    (["staffing", "x.csv", "--postz"], "establishment staffing: error: unrecognized "
     "arguments: --postz; did you mean --posts?"),
    (["staffing", "x.csv", "--show-maping", "--ignore-colum", "X"], "unrecognized arguments: "
     "--show-maping --ignore-colum X; did you mean --show-mapping --ignore-column?"),
    (["cost", "x.csv", "--format", "githb"], "; did you mean github?"),
])
def test_a_mistyped_command_or_flag_gets_did_you_mean(capsys, words, said):
    code, _, err = run(capsys, *words)
    assert code == 2 and said in err
    if words[0] == "staffin":
        assert err.rstrip().endswith("; did you mean staffing?")
    if "--postz" in words:
        assert "usage: establishment staffing" in err  # the command's usage, not the top's


def test_nothing_close_gets_no_guess(capsys):
    code, _, err = run(capsys, "staffing", "x.csv", "--zzzzzz")
    assert code == 2 and err.rstrip().endswith("unrecognized arguments: --zzzzzz")


# -- the export's "as at" date, on every table ------------------------------------------------

def dated(path, days: list[str]) -> None:
    lines = EXPORT.split("\r\n")
    rows = [lines[0] + ",As At"] + [f"{row},{day}" for row, day in zip(lines[1:-1], days)]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def test_the_exports_as_at_date_is_stated_on_every_table(tmp_path, capsys):
    path = tmp_path / "dated.csv"
    dated(path, ["31/03/2019"] * len(ROWS))
    code, out, _ = run(capsys, *staffing_args(str(path)), "--posts", "--people", "--format",
                       "github")
    assert code == 0
    assert out.count(", as at 2019-03-31 (the export's date)") == 3  # every table
    code, out, err = run(capsys, *staffing_args(str(path)), "--posts", "--format", "github",
                         "--on", "2018-12-01")
    assert code == 0 and out.count(", as at 2018-12-01 (--on)") == 2
    assert "the export is as at 2019-03-31" in err
    dated(path, ["31/03/2019"] * 3 + ["30/04/2019"] * (len(ROWS) - 3))
    code, _, err = run(capsys, *staffing_args(str(path)))
    assert code == 2
    assert f"{path}:5: [As At] the export's date is 2019-03-31 at line 2 and 2019-04-30 " \
           "here: one export is taken on one day" in err


def test_a_people_files_as_at_date_is_stated_too(tmp_path, capsys):
    positions, people = split_export(tmp_path)
    text = open(people, encoding="cp1252", newline="").read().split("\r\n")
    with open(people, "w", encoding="cp1252", newline="") as handle:
        handle.write("\r\n".join([text[0] + ",Report Date", *(f"{r},2019-03-31"
                                                               for r in text[1:-1])]) + "\r\n")
    code, out, _ = run(capsys, *staffing_args("--positions", positions, "--staff", people))
    assert code == 0 and ", as at 2019-03-31 (the export's date)" in out
