"""Reading a committee report into a scenario (issue 26): the reports in
tests/fixtures/reports/ are written for the project in the style of council reports as a
PDF-to-text step leaves them (wrapped lines, odd bullets, blank lines inside paragraphs)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from establishment.reading import read_report, scenario_toml
from scenarios import load_scenario, run_scenario
from tests.cli_run import run

REPORTS = Path(__file__).parent / "fixtures" / "reports"
FAMILY = REPORTS / "family-support-2018.txt"
REORG = REPORTS / "reorganisation-2019.txt"


def posts_of(reading):
    return [(p.kind, p.title, p.fte, p.grade, p.scp, p.status, p.start, p.end)
            for p in reading.posts]


def test_posts_payments_and_targets_of_a_temporary_establishment():
    reading = read_report(FAMILY)
    assert reading.date == dt.date(2018, 5, 14)
    assert reading.effective == dt.date(2018, 8, 1)
    start, end = dt.date(2018, 8, 1), dt.date(2019, 7, 31)
    assert posts_of(reading) == [
        ("establish", "Family Support Worker", Decimal(3), "Grade 4", 23, None, start, end),
        ("establish", "Practice Lead", Decimal(1), "Hay Band A", 34, None, start, end),
        ("establish", "Business Support Officer", Decimal("0.5"), "Grade 3", 18, None, start,
         end)]
    # the body and the recommendation name the same posts: one post, both sources
    assert [s.paragraph for s in reading.posts[0].sources] == ["para 3", "recommendation 1"]
    assert reading.posts[0].sources[0].line == 31
    assert [(p.title, p.amount, p.per) for p in reading.payments] == [
        ("Market supplement", Decimal(2000), "year")]
    assert [(f.metric, f.amount, f.expect) for f in reading.figures] == [
        ("unit_cost", 28376, "match"), ("unit_cost", 40702, "match"),
        ("unit_cost", 23940, "match"), ("line_full_year", 2000, "match"),
        ("full_year", 139800, "match"), ("budget_amount", 1250000, "input")]


def test_the_scenario_written_reconciles_every_figure(tmp_path):
    path = tmp_path / "family.toml"
    path.write_text(scenario_toml(read_report(FAMILY), "nottinghamshire", rule="council-2018"))
    result = run_scenario(load_scenario(path))
    assert result.ok
    assert [(r.figure.amount, r.ours, r.status) for r in result.reconciliations][:5] == [
        (28376, 28376, "match"), (40702, 40702, "match"), (23940, 23940, "match"),
        (2000, 2000, "match"), (139800, 139800, "match")]
    assert load_scenario(path).period == (dt.date(2018, 8, 1), dt.date(2019, 3, 31))


def test_every_money_figure_is_a_target_or_listed_as_unread():
    """Nothing is dropped silently: the £ figures of the text, counted independently, are each
    read (and then a target, payment or budget) or listed with their paragraph."""
    for report in (FAMILY, REORG):
        reading = read_report(report)
        in_text = re.findall(r"£[\d,]+", report.read_text())
        assert len(reading.money) == len(in_text)
        targets = {f.amount for f in reading.figures} | {-f.amount for f in reading.figures}
        for money in reading.money:
            if money.fate == "read":
                assert money.amount in targets
            else:
                assert any(money.written in n.message and n.source.paragraph ==
                           money.source.paragraph for n in reading.unread)
    unread = [m for m in read_report(FAMILY).money if m.fate == "unread"]
    assert [(m.written, m.source.paragraph) for m in unread] == [("£1,250", "para 2")]


def test_ambiguity_is_stated_not_resolved_silently():
    reading = read_report(FAMILY)
    messages = [(n.source.paragraph, n.message) for n in reading.ambiguities]
    assert ("para 3", "£28,376 read as the cost per fte: it sits in the brackets with the "
            "grade, which describe one post; the text does not say per fte or for the line") \
        in messages
    assert any("£139,800 is read as a full year's cost" in m for _, m in messages)


def test_deletions_regradings_budgets_and_what_the_text_does_not_give():
    reading = read_report(REORG)
    assert [(p.kind, p.title, p.fte, p.grade, p.status) for p in reading.posts] == [
        ("disestablish", "Data Manager", 1, "Band C", "vacant"),
        ("establish", "Performance Analyst", 1, "Grade 5", None),
        ("disestablish", "Clerk", 2, "Grade 2", None),
        ("establish", "Business Support Officer", 2, "Grade 3", None),
        # "giving a total of 3 such posts": one is already there
        ("existing", "Business Support Officer", 1, "Grade 3", None)]
    assert [(b.name, b.amount, b.temporary, b.cost) for b in reading.budgets] == [
        ("Staffing budget", 398000, 12000, 402500)]
    figures = {f.metric: (f.amount, f.expect) for f in reading.figures}
    assert figures["budget_shortfall"] == (4500, "match")
    # the saving covers the whole structure, which is in Appendix 1: its own status
    assert figures["changes_full_year"] == (-8000, "not-derivable")
    saving = next(f for f in reading.figures if f.metric == "changes_full_year")
    assert "Appendix 1" in saving.note


def test_the_change_list_scenario_runs(tmp_path):
    path = tmp_path / "reorg.toml"
    path.write_text(scenario_toml(read_report(REORG), "nottinghamshire"))
    scenario = load_scenario(path)
    assert [c.change.kind for c in scenario.changes] == [
        "disestablish", "establish", "disestablish", "establish"]
    assert sorted(p.title for p in scenario.structure.posts) == [
        "Business Support Officer", "Clerk", "Data Manager"]
    result = run_scenario(scenario)
    assert result.ok
    assert {r.figure.metric: r.status for r in result.reconciliations}["changes_full_year"] \
        == "not derivable from the text"


def test_the_date_can_be_overridden():
    reading = read_report(FAMILY, date=dt.date(2019, 5, 14))
    assert reading.date == dt.date(2019, 5, 14)
    assert reading.date_source == "given"
    assert "pay year 2019/20" in scenario_toml(reading, "nottinghamshire")


def test_council_spellings_are_pattern_data(tmp_path):
    """'FTE', 'spinal point', 'Band' without 'Hay': the bundled pattern data reads them; a
    spelling the data lack is added in a pattern file, not in code."""
    report = tmp_path / "r.txt"
    report.write_text("1 March 2019\n\n1. Approval is sought to establish 2 FTE Clerks "
                      "(Grade 2 spinal point 5 - £20,000) and 1 WTE Manager (Band C).\n")
    reading = read_report(report)
    assert [(p.title, p.fte, p.grade, p.scp) for p in reading.posts] == [
        ("Clerk", 2, "Grade 2", 5), ("Manager", 1, "Band C", None)]
    odd = tmp_path / "odd.txt"
    odd.write_text("1 March 2019\n\n1. Approval is sought to establish 2 headcount Clerks "
                   "(Grade 2).\n")
    assert read_report(odd).posts == ()
    patterns = Path("establishment/reading/patterns.toml").read_text()
    mine = tmp_path / "mine.toml"
    mine.write_text(patterns.replace('"wte"]', '"wte", "headcount"]'))
    assert [p.fte for p in read_report(odd, patterns=mine).posts] == [2]


def test_read_on_the_command_line(capsys, tmp_path):
    out = tmp_path / "s.toml"
    code, _, err = run(capsys, "read", str(FAMILY), "--employer", "nottinghamshire",
                       "--rule", "council-2018", "-o", str(out))
    assert code == 0
    assert "3 statements, 1 payments" in err
    assert "NOT READ (para 2, line 24): £1,250 not read" in err
    text = out.read_text()
    assert "# para 3, line 31: 3 fte Family Support Workers (Grade 4 scp 23 - £28,376" in text
    assert load_scenario(out).name == "family-support-2018"


def test_read_without_an_employer_the_report_names_is_a_clear_error(capsys, tmp_path):
    code, _, err = run(capsys, "read", str(FAMILY), "-o", str(tmp_path / "s.toml"))
    assert code == 2
    assert "names no employer the pay data know: give --employer" in err
    code, _, err = run(capsys, "read", str(tmp_path / "missing.txt"))
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize("text", ["", "no date here\n\n1. Nothing.\n"])
def test_a_report_with_no_date_asks_for_one(capsys, tmp_path, text):
    report = tmp_path / "r.txt"
    report.write_text(text)
    code, _, err = run(capsys, "read", str(report), "--employer", "nottinghamshire")
    assert code == 2 and "give --date" in err


def test_regrade_extension_fte_change_and_a_post_in_hours(tmp_path):
    reading = read_report(REPORTS / "changes-2021.txt")
    assert [(p.kind, p.title, p.fte, p.hours, p.grade, p.new_grade, p.new_fte, p.new_end,
             p.start, p.end) for p in reading.posts] == [
        ("regrade", "Senior Practitioner", 1, None, "Grade 5", "Band A", None, None, None, None),
        ("extend", "Family Worker", 2, None, "Grade 4", None, None, dt.date(2022, 3, 31), None,
         None),
        ("change-fte", "Clerk", Decimal("0.5"), None, "Grade 2", None, Decimal("0.8"), None,
         None, None),
        # the extension's date is its own sentence's, not the establishment's
        ("establish", "Receptionist", None, Decimal("18.5"), "Grade 3", None, None, None,
         dt.date(2021, 4, 1), None)]
    path = tmp_path / "changes.toml"
    path.write_text(scenario_toml(reading, "nottinghamshire"))
    scenario = load_scenario(path)
    assert [(c.change.kind, c.id) for c in scenario.changes] == [
        ("regrade", "SP"), ("change end", "FW"), ("change fte", "C"), ("establish", "R")]
    assert scenario.not_costable == ("C",)  # Grade 2 has no known points: named, not priced
    assert run_scenario(scenario).ok


def test_a_change_the_text_does_not_complete_is_listed_not_guessed(tmp_path):
    report = tmp_path / "r.txt"
    report.write_text("1 March 2021\n\n1. Approval is sought to regrade the 1 fte Team "
                      "Leader (Grade 5).\n")
    reading = read_report(report)
    assert [(p.kind, p.title) for p in reading.posts] == [("existing", "Team Leader")]
    assert [(n.source.paragraph, n.message) for n in reading.unread] == [
        ("para 1", "Team Leader: regrade with no new grade the reader can find: the post is "
         "kept as it is, the change is not read")]


def test_a_date_that_names_no_day_is_not_a_date(capsys, tmp_path):
    """'31 February 2018' is words, not a date: not a crash (it was exit 70), and the report's
    date and each end date are found as if it were not there."""
    text = FAMILY.read_text().replace("until 31 July 2019", "until 31 February 2019")
    report = tmp_path / "r.txt"
    report.write_text(text.replace("14 May 2018", "31 February 2018\n14 May 2018", 1))
    code, _, err = run(capsys, "read", str(report), "--employer", "nottinghamshire",
                       "--rule", "council-2018", "-o", str(tmp_path / "s.toml"))
    assert code in (0, 1, 2) and "internal error" not in err, err
    assert read_report(report).date == dt.date(2018, 5, 14)
