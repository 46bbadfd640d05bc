"""Staff in post against the establishment (issue 15): assignments, job shares, HR exports
with one row per person, and ``establishment staffing``."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from establishment import PayBasis, Post, Structure
from establishment.cli.main import main
from establishment.engine.costing import cost
from establishment.errors import LoadError, ValidationError
from establishment.io import read_structure
from establishment.io.dataframe import structure_from_frame
from establishment.model.assignment import Assignment
from establishment.operations.staffing import occupancy, staffing

# An HR export as Excel writes "CSV (Comma delimited)" on a UK machine: Windows-1252 (the £
# and the é are single bytes), UK dates, the HR system's own words. 12 people in 9 posts: two
# job shares (P01, P07), a vacancy (P03), an over-establishment (P04: 1.5 fte in a 1 fte
# post), an acting-up (E06 acts up in P05 from their own post P06, which is held), a
# temporary post with a Temp person (P08), and two 2-fte posts with two people each.
EXPORT = """\
Position No,Job Title,Team,Grade,Post SCP,Post FTE,Emp Ref,Employee Name,Contracted Hours,\
Actual SCP,Status,Contract Type,Start Date,End Date,Notes
P01,Senior Practitioner,Children,Hay Band A,34,1,E01,Ann Able,18.5,34,Occupied,Permanent,\
01/04/2015,,
P01,Senior Practitioner,Children,Hay Band A,34,1,E02,Renée Bell,18.5,32,Occupied,Permanent,\
01/04/2015,,
P02,Practitioner,Children,Grade 5,28,2,E03,Cal Cole,37,28,Occupied,Permanent,01/04/2015,,
P02,Practitioner,Children,Grade 5,28,2,E11,Kim Kerr,37,27,occupied,Permanent,01/04/2015,,
P03,Practitioner,Children,Grade 5,28,1,,,,,Vacant,,01/04/2015,,"Advertised, £500 relocation"
P04,Assistant,Children,Grade 4,23,1,E04,Dee Dunn,37,22,Occupied,Permanent,01/04/2015,,
P04,Assistant,Children,Grade 4,23,1,E05,Eve Ely,18.5,23,Occupied,Permanent,01/04/2015,,
P05,Team Leader,Adults,Hay Band A,34,1,E06,Fay Ford,37,31,Occupied,Acting,01/04/2015,,
P06,Practitioner,Adults,Grade 5,28,1,E06,Fay Ford,37,26,Occupied,Permanent,01/04/2015,,
P07,Practitioner,Adults,Grade 5,28,1,E07,Gus Gray,22.2,28,Occupied,Permanent,01/04/2015,,
P07,Practitioner,Adults,Grade 5,28,1,E08,Hal Hart,14.8,26,Occupied,Permanent,01/04/2015,,
P08,Support Worker,Adults,Grade 3,18,1,E09,Ian Ives,37,17,Temp,,01/10/2018,31/03/2019,
P09,Admin Officer,Adults,Grade 3,18,2,E10,Jo Jay,37,18,OCCUPIED,Permanent,01/04/2015,,
P09,Admin Officer,Adults,Grade 3,18,2,E12,Lee Lam,37,16,Occupied,Permanent,01/04/2015,,
"""
COLUMN_MAP = '[columns]\n"Post SCP" = "scp"\n"Post FTE" = "fte"\n"Emp Ref" = "person"\n'
BASIS = PayBasis(employer="nottinghamshire", rule="council-2018", pay_year=2018)

# Cost per fte, 2018/19, the council's 2018 rule (whole pounds, from the NJC spine):
U = {("Hay Band A", 34): 40702, ("Hay Band A", 32): 38389, ("Hay Band A", 31): 37254,
     ("Grade 5", 28): 33504, ("Grade 5", 27): 32407, ("Grade 5", 26): 31332,
     ("Grade 4", 23): 28376, ("Grade 4", 22): 27535,
     ("Grade 3", 18): 23940, ("Grade 3", 17): 23527, ("Grade 3", 16): 23037}


def line(grade: str, scp: int, fte: str) -> int:
    """fte x cost per fte, whole pounds half up (the one rule)."""
    exact = Decimal(fte) * U[grade, scp]
    return int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


def hand_calculation() -> dict[str, dict[str, int]]:
    a, g5, g4, g3 = "Hay Band A", "Grade 5", "Grade 4", "Grade 3"
    children = {
        "establishment": line(a, 34, "1") + line(g5, 28, "2") + line(g5, 28, "1")
        + line(g4, 23, "1"),
        # E01 0.5 @34, E02 0.5 @32; E03 1 @28, E11 1 @27; E04 1 @22, E05 0.5 @23
        "in_post": line(a, 34, "0.5") + line(a, 32, "0.5") + line(g5, 28, "1")
        + line(g5, 27, "1") + line(g4, 22, "1") + line(g4, 23, "0.5"),
        "vacancy": line(g5, 28, "1"),  # P03
        "held": 0,
        # the people in post at their posts' points less at their own
        "pay_point": (line(a, 34, "0.5") * 2 - line(a, 34, "0.5") - line(a, 32, "0.5"))
        + (line(g5, 28, "1") - line(g5, 27, "1")) + (line(g4, 23, "1") - line(g4, 22, "1")),
        "hours": -line(g4, 23, "0.5"),  # P04: half an fte beyond the post, at its point
    }
    adults = {
        "establishment": line(a, 34, "1") + line(g5, 28, "1") * 2 + line(g3, 18, "1")
        + line(g3, 18, "2"),
        # E06 acting in P05 @31 (paid there only); E07 0.6 @28, E08 0.4 @26; E09 @17;
        # E10 @18, E12 @16
        "in_post": line(a, 31, "1") + line(g5, 28, "0.6") + line(g5, 26, "0.4")
        + line(g3, 17, "1") + line(g3, 18, "1") + line(g3, 16, "1"),
        "vacancy": 0,
        "held": line(g5, 28, "1"),  # P06, held for E06
        "pay_point": (line(a, 34, "1") - line(a, 31, "1"))
        + (line(g5, 28, "0.4") - line(g5, 26, "0.4"))
        + (line(g3, 18, "1") - line(g3, 17, "1")) + (line(g3, 18, "1") - line(g3, 16, "1")),
        "hours": 0,
    }
    return {"Children": children, "Adults": adults}


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "hr-export.csv"
    path.write_bytes(EXPORT.encode("cp1252"))
    columns = tmp_path / "map.toml"
    columns.write_text(COLUMN_MAP, encoding="utf-8")
    return path, columns


def test_the_hand_calculation_adds_up():
    for figures in hand_calculation().values():
        parts = ("in_post", "vacancy", "held", "pay_point", "hours")
        assert figures["establishment"] == sum(figures[p] for p in parts)


def test_a_windows_1252_export_of_people_loads_as_posts_and_assignments(export):
    path, _ = export
    loaded = read_structure(path, columns={"Post SCP": "scp", "Post FTE": "fte",
                                           "Emp Ref": "person"})
    structure = loaded.structure
    assert len(structure.posts) == 9
    assert len({a.person for a in structure.assignments}) == 12
    assert any("Windows-1252" in note for note in loaded.notes)
    posts = {p.reference: p for p in structure.posts}
    assert posts["P03"].status == "vacant" and posts["P03"].notes == "Advertised, £500 relocation"
    assert posts["P08"].end.isoformat() == "2019-03-31"  # Temp with an end date: temporary
    people = {(a.person, a.post): a for a in structure.assignments}
    assert people["E09", "P08"].kind == "fixed-term"
    assert people["E09", "P08"].end.isoformat() == "2019-03-31"
    assert people["E06", "P05"].kind == "acting"
    assert people["E02", "P01"].name == "Renée Bell"
    assert posts["P01"].start.isoformat() == "2015-04-01"  # UK date, day first


def test_occupancy_per_post(export):
    path, _ = export
    structure = read_structure(path, columns={"Post SCP": "scp", "Post FTE": "fte",
                                              "Emp Ref": "person"}).structure
    frame = occupancy(structure, BASIS.full_time_hours()).set_index("reference")
    assert frame.loc["P01", "headcount"] == 2 and frame.loc["P01", "vacant_fte"] == 0
    assert frame.loc["P03", "state"] == "vacant" and frame.loc["P03", "vacant_fte"] == 1
    assert frame.loc["P04", "over_fte"] == Decimal("0.5")
    assert frame.loc["P04", "state"] == "over-established"
    assert frame.loc["P05", "headcount"] == 0  # E06 is counted once, at their own post
    assert frame.loc["P06", "headcount"] == 1 and frame.loc["P06", "state"] == "held"
    assert frame.loc["P06", "vacant_fte"] == 0 and frame.loc["P06", "occupied_fte"] == 0
    assert frame["headcount"].sum() == 12


def test_staffing_per_team_equals_the_hand_calculation(export):
    path, _ = export
    structure = read_structure(path, columns={"Post SCP": "scp", "Post FTE": "fte",
                                              "Emp Ref": "person"}).structure
    result = staffing(structure, BASIS)
    expected = hand_calculation()
    for team, figures in expected.items():
        for name, value in figures.items():
            assert result.by_team.loc[team, name] == value, (team, name)
    assert result.total["establishment"] == cost(structure, BASIS).posts_full_year
    assert [w.message.split(":")[0] for w in result.warnings] == ["post P04"]


def test_establishment_staffing_command(export, capsys):
    path, columns = export
    code = main(["staffing", str(path), "--columns", str(columns), "--pay-year", "2018/19",
                 "--employer", "nottinghamshire",
                 "--rule", "council-2018", "--format", "csv"])
    out, err = capsys.readouterr()
    assert code == 0, err
    rows = [r.split(",") for r in out.strip().splitlines()]
    header = rows[0]
    table = {r[0]: dict(zip(header, r)) for r in rows[1:]}
    expected = hand_calculation()
    names = {"Establishment": "establishment", "In post": "in_post", "Vacancy": "vacancy",
             "Held": "held", "Pay-point variance": "pay_point", "Hours variance": "hours"}
    for team in ("Children", "Adults"):
        for column, key in names.items():
            assert Decimal(table[team][column]) == expected[team][key], (team, column)
    for column, key in names.items():
        assert Decimal(table["Total"][column]) == sum(f[key] for f in expected.values())
    assert table["Total"]["Headcount"] == "12"
    assert "read as Windows-1252" in err
    assert f"{path}:7: [fte] post P04: over-established: 1.5 fte assigned to a 1 fte post" in err
    assert "Renée" not in out and "Ann Able" not in out  # names never shown unless asked


def test_names_only_when_asked(export, capsys):
    path, columns = export
    args = ["staffing", str(path), "--columns", str(columns), "--rule", "council-2018",
            "--employer", "nottinghamshire", "--pay-year", "2018/19", "--people"]
    assert main(args) == 0
    out, _ = capsys.readouterr()
    assert "E02" in out and "Renée" not in out
    assert main(args + ["--names"]) == 0
    assert "Renée Bell" in capsys.readouterr()[0]


def test_staffing_needs_people(capsys, tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("Title,FTE,Grade\nOfficer,1,Hay Band A\n", encoding="utf-8")
    assert main(["staffing", str(path), "--employer", "nottinghamshire",
                 "--pay-year", "2018/19"]) == 2
    assert "no staff in post" in capsys.readouterr()[1]


def test_repeated_reference_without_a_person_column_is_a_duplicate(tmp_path):
    path = tmp_path / "posts.csv"
    path.write_text("Ref,Title,FTE,Grade\nP1,Officer,1,Hay Band A\nP1,Officer,1,Hay Band A\n",
                    encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_structure(path)
    assert "duplicate reference 'P1' (first at line 2)" in str(err.value)


def test_a_job_share_must_agree_on_the_post(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Ref,Title,FTE,Grade,Employee No,Hours\n"
                    "P1,Officer,1,Hay Band A,E1,18.5\nP1,Officer,1,Grade 5,E2,18.5\n"
                    "P2,Clerk,1,Grade 3,E3,37\nP2,Clerk,1,Grade 3,E3,37\n", encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_structure(path)
    messages = [str(p) for p in err.value.problems]
    assert messages[0].endswith(":3: [Grade] duplicate reference 'P1' (first at line 2): "
                                "grade 'Grade 5' here, 'Hay Band A' there; a job share's rows "
                                "must agree on the post")
    assert "person 'E3' is in post 'P2' twice (first at line 4)" in messages[1]


def test_without_a_post_fte_column_a_post_is_the_sum_of_its_people(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Ref,Title,Grade,Employee No,Hours\n"
                    "P1,Officer,Hay Band A,E1,18.5\nP1,Officer,Hay Band A,E2,22.2\n",
                    encoding="utf-8")
    loaded = read_structure(path)
    # the people's exact hours, for the engine to resolve with the basis's full-time hours
    # (no 37 assumed while reading): 40.7 hours of 37 is 1.1 fte
    post = loaded.structure.posts[0]
    assert (post.fte, post.hours) == (None, Decimal("40.7"))
    assert any("sum of its people" in note for note in loaded.notes)
    assert cost(loaded.structure, BASIS).lines["fte_e4"].tolist() == [11000]


def test_people_in_fte_and_in_hours_with_no_post_fte_is_a_located_problem(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("Ref,Title,Grade,Employee No,Hours,Person FTE\n"
                    "P1,Officer,Hay Band A,E1,18.5,\nP1,Officer,Hay Band A,E2,,0.5\n",
                    encoding="utf-8")
    with pytest.raises(LoadError) as err:
        read_structure(path)
    assert [str(p) for p in err.value.problems] == [
        f"{path}:2: [Hours] post 'P1' has people in fte and people in hours and no post fte "
        "column: give every person of one post the same one, or add the post's fte"]


def test_assignment_records_are_validated():
    with pytest.raises(ValidationError):
        Assignment(post="P1", person="E1")  # neither fte nor hours
    with pytest.raises(ValidationError):
        Assignment(post="P1", person="E1", fte="1", kind="casual")
    post = Post("Officer", 1, "Hay Band A", 34, reference="P1")
    with pytest.raises(ValidationError):
        Structure("s", [post], assignments=[Assignment(post="P2", person="E1", fte="1")])
    # a disestablished post's people leave with it
    kept = Structure("s", [post], assignments=[Assignment(post="P1", person="E1", fte="1")])
    assert kept.with_posts([]).assignments == ()


def test_toml_assignments_round_trip(tmp_path):
    from establishment.io import load_structure, write_structure

    post = Post("Officer", 1, "Hay Band A", 34, reference="P1")
    structure = Structure("s", [post], assignments=[
        Assignment(post="P1", person="E1", hours="18.5", scp=33, kind="fixed-term",
                   end="2019-03-31")])
    path = tmp_path / "s.toml"
    write_structure(structure, path)
    assert load_structure(path) == structure


def test_from_frame_reads_an_ordinary_dataframe_with_located_errors():
    import pandas as pd

    frame = pd.DataFrame({"Job Title": ["Officer", "Clerk"], "FTE": [1, 0.5],
                          "Grade": ["Hay Band A", "Grade 3"], "SCP": [34, None],
                          "End": [pd.Timestamp("2019-03-31"), pd.NaT]}, index=[101, 7])
    structure = structure_from_frame(frame, columns={"Job Title": "title"})
    assert [p.title for p in structure.posts] == ["Officer", "Clerk"]
    assert structure.posts[1].fte == Decimal("0.5") and structure.posts[1].scp is None
    assert structure.posts[0].end.isoformat() == "2019-03-31"
    bad = pd.DataFrame({"Title": ["A", "", "C"], "FTE": ["x", 1, 1],
                        "Grade": ["Hay Band A", "Hay Band A", ""],
                        "Status": ["maybe", "vacant", "filled"]}, index=["r1", "r2", "r3"])
    with pytest.raises(LoadError) as err:
        structure_from_frame(bad)
    shown = [str(p) for p in err.value.problems]
    assert [s.split(": [")[0] for s in shown] == ["<DataFrame>:r1", "<DataFrame>:r1",
                                                   "<DataFrame>:r2", "<DataFrame>:r3"]
    assert structure_from_frame(structure.to_frame()) == structure  # own layout: exact


def test_the_docs_python_example_runs():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "docs" / "staffing.md").read_text(
        encoding="utf-8")
    code = text.split("```python\n")[1].split("```")[0]
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 - the documentation's own example
    assert namespace["structure"].posts[0].title == "Officer"


def test_an_xlsx_export_reads_people_and_words_as_csv_does(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in csv.reader(EXPORT.splitlines()):
        sheet.append(row)
    path = tmp_path / "export.xlsx"
    book.save(path)
    columns = {"Post SCP": "scp", "Post FTE": "fte", "Emp Ref": "person"}
    from_xlsx = read_structure(path, columns=columns).structure
    csv_path = tmp_path / "export.csv"
    csv_path.write_bytes(EXPORT.encode("cp1252"))
    from_csv = read_structure(csv_path, columns=columns).structure
    assert from_xlsx.posts == from_csv.posts
    assert from_xlsx.assignments == from_csv.assignments


def test_staffing_on_a_day_leaves_out_ended_people(export, capsys):
    path, columns = export
    base = ["staffing", str(path), "--columns", str(columns), "--rule", "council-2018",
            "--employer", "nottinghamshire", "--pay-year", "2018/19", "--posts"]
    assert main(base + ["--on", "30/09/2018"]) == 0
    out = capsys.readouterr()[0]
    assert "P08" not in out  # the temporary post starts on 1 October 2018
    assert main(base + ["--on", "2018-10-01"]) == 0
    assert "P08" in capsys.readouterr()[0]


def test_people_are_never_dropped_when_writing(tmp_path):
    from establishment.io import write_structure

    post = Post("Officer", 1, "Hay Band A", 34, reference="P1")
    structure = Structure("s", [post], assignments=[Assignment(post="P1", person="E1",
                                                               fte="1")])
    for suffix in ("csv", "xlsx"):
        with pytest.raises(LoadError) as err:
            write_structure(structure, tmp_path / f"s.{suffix}")
        assert "write .toml to keep them" in str(err.value)
        assert not (tmp_path / f"s.{suffix}").exists()


HAY_A_34 = U["Hay Band A", 34]  # cost per fte of P1 below (2018/19, council-2018)


def one_post(*people: Assignment, scp: int = 34) -> Structure:
    post = Post("Officer", 1, "Hay Band A", scp, reference="P1", team="T")
    return Structure("s", [post], assignments=people)


def pounds(exact) -> int:
    """Whole pounds, half up, from an exact Fraction (the one rounding rule)."""
    from fractions import Fraction

    value = Fraction(exact)
    return int((value + Fraction(1, 2)) // 1)


def test_a_persons_hours_are_priced_exactly_not_at_four_places():
    from fractions import Fraction

    result = staffing(one_post(Assignment(post="P1", person="E1", hours="20")), BASIS)
    figures = result.by_team.loc["T"]
    # 20 of 37 hours is 20/37 fte (0.54054...), not 0.5405: £22,001, not £21,999
    assert figures["in_post"] == pounds(Fraction(20, 37) * HAY_A_34) == 22001
    assert figures["vacancy"] == pounds(Fraction(17, 37) * HAY_A_34) == 18701
    assert figures["hours"] == HAY_A_34 - 22001 - 18701 == 0
    assert figures["pay_point"] == 0
    posts = result.posts.set_index("reference")
    assert posts.loc["P1", "occupied_fte"] == Decimal("0.5405")  # shown to 4 places
    assert posts.loc["P1", "state"] == "part vacant"


def test_a_job_share_of_37_hours_fills_the_post_exactly():
    shared = one_post(Assignment(post="P1", person="E1", hours="20"),
                      Assignment(post="P1", person="E2", hours="17", scp=32))
    result = staffing(shared, BASIS)
    figures = result.by_team.loc["T"]
    assert result.posts["state"].tolist() == ["filled"] and figures["vacancy"] == 0
    from fractions import Fraction

    in_post = pounds(Fraction(20, 37) * HAY_A_34) + pounds(Fraction(17, 37) * U["Hay Band A", 32])
    at_post = pounds(Fraction(20, 37) * HAY_A_34) + pounds(Fraction(17, 37) * HAY_A_34)
    assert figures["in_post"] == in_post
    assert figures["pay_point"] == at_post - in_post
    assert figures["hours"] == HAY_A_34 - at_post  # line rounding only
    assert sum(figures[f] for f in ("in_post", "vacancy", "held", "pay_point", "hours")) \
        == figures["establishment"] == HAY_A_34


def test_a_fixed_term_person_occupies_the_post_until_their_end_date():
    ended = Assignment(post="P1", person="E1", fte="1", kind="fixed-term", end="2018-03-31")
    result = staffing(one_post(ended), BASIS)  # 2018/19: the contract ended before it
    figures = result.by_team.loc["T"]
    assert (figures["in_post"], figures["vacancy"]) == (0, HAY_A_34)
    assert result.posts["state"].tolist() == ["vacant"]
    running = Assignment(post="P1", person="E1", fte="1", kind="fixed-term", end="2018-09-30")
    figures = staffing(one_post(running), BASIS).by_team.loc["T"]
    assert (figures["in_post"], figures["vacancy"]) == (HAY_A_34, 0)  # in force in 2018/19


def test_a_secondment_out_holds_the_post_and_costs_only_its_recharge():
    away = Assignment(post="P1", person="E1", fte="1", kind="secondment-out",
                      recharge="10000")
    result = staffing(one_post(away), BASIS)
    figures = result.by_team.loc["T"]
    assert result.posts["state"].tolist() == ["held"]
    assert result.posts["headcount"].tolist() == [1]
    assert figures["in_post"] == 10000  # the recharge
    assert figures["held"] == HAY_A_34 - 10000
    assert figures["vacancy"] == figures["pay_point"] == figures["hours"] == 0
    unpaid = Assignment(post="P1", person="E1", fte="1", kind="secondment-out")
    figures = staffing(one_post(unpaid), BASIS).by_team.loc["T"]
    assert (figures["in_post"], figures["held"]) == (0, HAY_A_34)


def test_toml_assignments_take_contract_words_and_uk_dates(tmp_path):
    from establishment.io import load_structure

    path = tmp_path / "people.toml"
    path.write_text('[[post]]\nreference = "P1"\ntitle = "Officer"\nfte = 1\n'
                    'grade = "Hay Band A"\nscp = 34\n\n'
                    '[[assignment]]\npost = "P1"\nperson = "E1"\nfte = 0.5\nkind = "Temp"\n'
                    'end = "31/03/2019"\n\n'
                    '[[assignment]]\npost = "P1"\nperson = "E2"\nhours = 18.5\n'
                    'kind = "Fixed Term"\n', encoding="utf-8")
    people = load_structure(path).assignments
    assert [a.kind for a in people] == ["fixed-term", "fixed-term"]
    assert people[0].end.isoformat() == "2019-03-31"


def test_staffing_rounds_to_the_penny_when_the_basis_says_so():
    from fractions import Fraction

    penny = BASIS.evolve(round_to="penny")
    shared = one_post(Assignment(post="P1", person="E1", hours="20"),
                      Assignment(post="P1", person="E2", hours="10"))
    unit = Fraction(int(cost(shared, penny).lines["unit_pence"][0]), 100)  # to the penny
    assert unit != HAY_A_34 and abs(unit - HAY_A_34) < 1

    def pence(exact: Fraction) -> Decimal:
        return Decimal(int((exact * 100 + Fraction(1, 2)) // 1)) / 100

    figures = staffing(shared, penny).by_team.loc["T"]
    assert figures["in_post"] == pence(Fraction(20, 37) * unit) + pence(Fraction(10, 37) * unit)
    assert figures["vacancy"] == pence(Fraction(7, 37) * unit)
    assert figures["establishment"] == pence(unit)
    parts = ("in_post", "vacancy", "held", "pay_point", "hours")
    assert sum(figures[p] for p in parts) == figures["establishment"]


def test_full_time_hours_come_from_the_basis():
    shared = one_post(Assignment(post="P1", person="E1", hours="18.5"))
    assert staffing(shared, BASIS).by_team.loc["T", "in_post"] == HAY_A_34 / 2  # 0.5 fte
    figures = staffing(shared, BASIS, full_time_hours=Decimal("37.5")).by_team.loc["T"]
    assert figures["in_post"] == pounds(Decimal("18.5") / Decimal("37.5") * HAY_A_34)


def test_the_command_shows_pence_under_round_to_penny(export, capsys):
    path, columns = export
    assert main(["staffing", str(path), "--columns", str(columns), "--pay-year", "2018/19",
                 "--employer", "nottinghamshire", "--rule", "council-2018", "--round-to",
                 "penny", "--format", "csv"]) == 0
    rows = [r.split(",") for r in capsys.readouterr()[0].strip().splitlines()]
    total = dict(zip(rows[0], rows[-1]))
    figures = [Decimal(total[c]) for c in ("In post", "Vacancy", "Held", "Pay-point variance",
                                           "Hours variance")]
    assert all(f.as_tuple().exponent == -2 for f in figures)  # pounds and pence
    assert sum(figures) == Decimal(total["Establishment"])


def test_a_post_given_in_hours_is_filled_by_people_given_in_hours():
    from fractions import Fraction

    post = Post("Officer", None, "Hay Band A", 34, reference="P1", team="T", hours="37")
    structure = Structure("s", [post], assignments=[
        Assignment(post="P1", person="E1", hours="20"),
        Assignment(post="P1", person="E2", hours="17", scp=32)])
    result = staffing(structure, BASIS)
    figures = result.by_team.loc["T"]
    assert result.posts["state"].tolist() == ["filled"] and figures["fte"] == 1
    in_post = pounds(Fraction(20, 37) * HAY_A_34) + pounds(Fraction(17, 37) * U["Hay Band A", 32])
    assert (figures["establishment"], figures["in_post"], figures["vacancy"]) == (
        HAY_A_34, in_post, 0)
    parts = ("in_post", "vacancy", "held", "pay_point", "hours")
    assert sum(figures[p] for p in parts) == figures["establishment"]


def test_in_post_cost_takes_ni_per_person_when_the_rule_says_so():
    """Under ``ni_basis = "person"`` a 20-hour person's in-post cost is their own cost (NI on
    their own pay above the whole threshold), the engine's figure for that person alone, and
    less than the per-fte convention's."""
    person = BASIS.evolve(ni_basis="person")
    one = one_post(Assignment(post="P1", person="E1", hours="20"))
    in_post = staffing(one, person).by_team.loc["T"]["in_post"]
    alone = cost(Structure("s", [Post("Officer", hours=20, grade="Hay Band A", scp=34)]), person)
    assert in_post == alone.full_year
    per_fte = staffing(one, BASIS).by_team.loc["T"]["in_post"]
    assert per_fte == 22001 and in_post < per_fte
