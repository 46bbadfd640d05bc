"""The bundled committee decisions: every figure they claim reproduced, to the pound."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import scenarios
from establishment.cli.main import main
from establishment.errors import LoadError
from scenarios import run as run_module
from scenarios.run import changes_by_funding_table

SCENARIOS = ["2015-short-breaks-posts", "2018-short-breaks",
             "2019-commissioning-reorganisation", "2020-ess-remodelling"]


def figures(result) -> dict[str, tuple[Decimal, Decimal | None, str]]:
    return {r.figure.label: (r.figure.amount, r.ours, r.status) for r in result.reconciliations}


def test_scenario_list_holds_all_four(capsys):
    assert scenarios.list_scenarios() == SCENARIOS
    assert main(["scenario", "list"]) == 0
    out = capsys.readouterr().out
    for name in SCENARIOS:
        assert name in out


@pytest.mark.parametrize("name", SCENARIOS)
def test_every_scenario_runs_and_reconciles(name, capsys):
    result = scenarios.run_scenario(name)
    assert result.ok
    assert not any(r.failed for r in result.reconciliations)
    assert main(["scenario", "run", name, "--format", "github"]) == 0
    assert "Reconciliation with the published figures" in capsys.readouterr().out


def test_2015_top_of_scale_salaries_and_the_known_band_b_difference():
    result = scenarios.run_scenario("2015-short-breaks-posts")
    lines = dict(zip(result.primary.lines["reference"], result.primary.lines["full_year"]))
    assert lines == {"TM": 41140, "PRO": 67714, "PO": 97888}
    band_b = next(r for r in result.reconciliations if r.figure.line == "PRO")
    assert (band_b.figure.amount, band_b.ours, band_b.difference) == (67708, 67714, 6)
    assert band_b.status == "known difference" and not band_b.failed
    # making them permanent: no full-year change, a full 2015/16 in the period
    assert [c.change.kind for c in result.changes] == ["make permanent"] * 3
    assert [c.full_year for c in result.changes] == [0, 0, 0]
    assert sum(c.period for c in result.changes) == Decimal(206742)


def test_2019_change_list_and_budget():
    result = scenarios.run_scenario("2019-commissioning-reorganisation")
    changes = {c.id: c.full_year for c in result.changes}
    # 2019/20 new spine, top of grade, NJC rule: Band D £58,189, Grade 3 £25,402,
    # Grade 4 £29,357, Band B £47,679 per fte
    assert changes == {"disestablish-ccm": -58189, "establish-tm": 58189,
                       "disestablish-ca": -4 * 25402, "establish-so": 4 * 29357,
                       "disestablish-cosb": -47679}
    assert result.decided.fte == Decimal(6)
    assert sum(p.fte for p in result.decided.posts if p.title == "Service Organiser") == 5
    budget = result.budget("Staffing budget")
    assert (budget.cost, budget.budget.amount, budget.budget.temporary) == (1131750, 1084761,
                                                                            49800)
    assert budget.shortfall == Decimal(46989)
    status = {label: s for label, (_, _, s) in figures(result).items()}
    assert status["Shortfall against the annual budget"] == "match"
    assert status["Cost of the revised staffing structure"] == "input (taken as given)"
    assert status["Reduction in the overall cost of staffing (about)"] == (
        "not derivable from the text")


def test_2020_who_pays_and_the_grade_1_post_is_not_costed():
    result = scenarios.run_scenario("2020-ess-remodelling")
    costed = {c.id: c for c in result.changes}
    assert costed["establish-so"].full_year == 30176  # Grade 4 top, 2020/21
    assert costed["disestablish-tl"].full_year == -21123  # 0.7 x £30,176
    soa = costed["establish-soa"]
    assert not soa.costable and soa.full_year is None
    (post, reason), = result.uncosted
    assert post.grade == "Grade 1" and "Grade 1" in reason
    assert "SOA" not in set(result.primary.lines["reference"])
    assert "SOA" in {p.reference for p in result.decided.posts}
    tables = {t.title: t for t in result.tables()}
    who = tables["Who pays for the changes, by funding source"]
    rows = {row[0]: row for row in who.rows}
    assert rows["Specialist Support Team budget"][2] == Decimal(30176 - 21123)
    assert rows["ICDS Statutory Assessment Team budget"][3] == "SOA"
    budgets = {b.budget.name: b.budget.amount for b in result.budgets}
    assert budgets == {"Specialist Support Team budget": 1517960,
                       "Specialist Support Team staffing budget": 1212080,
                       "ICDS Statutory Assessment Team budget": 1494234}


def _copy(name: str, tmp_path: Path, old: str, new: str) -> Path:
    text = (scenarios.scenario.scenario_dir() / f"{name}.toml").read_text()
    assert old in text
    path = tmp_path / f"{name}.toml"
    path.write_text(text.replace(old, new, 1))
    return path


def test_a_mismatching_claimed_figure_exits_1(tmp_path, capsys):
    path = _copy("2019-commissioning-reorganisation", tmp_path, "amount = 46989",
                 "amount = 46990")
    assert main(["scenario", "run", str(path)]) == 1
    assert "MISMATCH" in capsys.readouterr().out


def test_a_change_that_does_not_fit_is_exit_2(tmp_path, capsys):
    path = _copy("2019-commissioning-reorganisation", tmp_path, 'target = "CA"\nfte = 4',
                 'target = "CA"\nfte = 5')
    assert main(["scenario", "run", str(path)]) == 2
    assert "cannot take 5 fte from a row of 4 fte" in capsys.readouterr().err


def test_a_bad_change_table_is_located(tmp_path):
    path = _copy("2015-short-breaks-posts", tmp_path, 'kind = "make-permanent"',
                 'kind = "make-permanant"')
    with pytest.raises(LoadError) as caught:
        scenarios.load_scenario(path)
    problem, = caught.value.problems
    assert problem.line is not None and problem.field == "kind"
    lines = path.read_text().splitlines()
    assert lines[problem.line - 1].strip() == "[[change]]"


def test_undeclared_uncostable_post_is_an_error_not_dropped(tmp_path, capsys):
    path = _copy("2020-ess-remodelling", tmp_path, 'not_costable = ["SOA"]', "not_costable = []")
    assert main(["scenario", "run", str(path)]) == 2
    assert "Grade 1" in capsys.readouterr().err


OPTIONS_SCENARIO = '''
name = "options"
title = "Two ways to save"
report = "test"
primary_basis = "b"

[bases.b]
employer = "nottinghamshire"
pay_year = "2019/20"

[[post]]
reference = "A"
title = "Assistant"
fte = 4
grade = "Grade 3"
funding = "Core"

[[post]]
reference = "M"
title = "Manager"
fte = 1
grade = "Band D"
funding = { Core = 50, Grant = 50 }

[[change]]
id = "cut"
kind = "change-fte"
target = "A"
fte = 3

[[option]]
name = "no-manager"
label = "Delete the manager"
[[option.change]]
kind = "disestablish"
target = "M"

[[budget]]
name = "Core budget"
amount = 150000
cost = "computed"
vacancy_factor = "2%"

[[published]]
label = "Option cost"
metric = "full_year"
of = "no-manager"
basis = "b"
amount = 101608

[[published]]
label = "Saving of the decision"
metric = "change_full_year"
line = "cut"
basis = "b"
amount = -25402

[[published]]
label = "Base cost"
metric = "full_year"
of = "base"
basis = "b"
amount = 159797
'''


def test_options_budgets_and_figures_of_base_and_option(tmp_path):
    path = tmp_path / "options.toml"
    path.write_text(OPTIONS_SCENARIO)
    result = scenarios.run_scenario(str(path))
    assert result.ok, [(r.figure.label, r.ours) for r in result.reconciliations]
    comparison = result.comparison()
    assert [row[0] for row in comparison.rows] == ["Before (base)", "Decided",
                                                   "Delete the manager"]
    budget = result.budget("Core budget")
    assert budget.cost == result.primary.full_year == Decimal(3 * 25402 + 58189)
    (label, amount), = budget.vacancy
    assert label == "Vacancy factor 2%" and amount == -Decimal(2688)  # 2% of £134,395 = £2,687.90
    titles = [t.title for t in result.tables()]
    assert "Budget comparison" in titles and "Before and after, side by side" in titles


def test_published_figure_of_an_unknown_option_is_located(tmp_path):
    path = tmp_path / "options.toml"
    path.write_text(OPTIONS_SCENARIO.replace('of = "no-manager"', 'of = "nope"'))
    with pytest.raises(LoadError) as caught:
        scenarios.load_scenario(path)
    assert [p.field for p in caught.value.problems] == ["of"]


def _problems(path: Path) -> list:
    """The problems loading a scenario file reports (it must not load)."""
    with pytest.raises(LoadError) as caught:
        scenarios.load_scenario(path)
    return caught.value.problems


@pytest.mark.parametrize(("name", "old", "new", "message"), [
    ("2019-commissioning-reorganisation", 'target = "CA"\nfte = 4', 'target = "CX"\nfte = 4',
     "no post with reference 'CX'"),
    ("2019-commissioning-reorganisation", 'target = "CA"\nfte = 4', 'target = "CA"\nfte = 5',
     "cannot take 5 fte from a row of 4 fte"),
])
def test_a_change_that_does_not_fit_is_located_at_its_change_table(tmp_path, name, old, new,
                                                                    message):
    # it used to surface only at run time, as an error naming neither the file nor the line
    path = _copy(name, tmp_path, old, new)
    problem, = _problems(path)
    assert message in problem.message and problem.message.startswith("change 3:")
    lines = path.read_text().splitlines()
    assert lines[problem.line - 1].strip() == "[[change]]"
    assert lines[problem.line].strip() == 'id = "disestablish-ca"'


def test_an_option_change_that_does_not_fit_names_the_option(tmp_path):
    path = tmp_path / "options.toml"
    path.write_text(OPTIONS_SCENARIO.replace('[[option.change]]\nkind = "disestablish"\n'
                                             'target = "M"', '[[option.change]]\nkind = '
                                             '"disestablish"\ntarget = "MX"'))
    assert 'target = "MX"' in path.read_text()
    with pytest.raises(LoadError, match="option 'no-manager' 1: no post with reference 'MX'"):
        scenarios.load_scenario(path)


def test_who_pays_moves_the_cost_of_a_change_of_funding(tmp_path):
    # each change's effect used to be split over its post's starting funding, so a change of
    # funding (no net effect) showed £0 for the source that stops paying and left out the
    # one that starts
    path = tmp_path / "options.toml"
    path.write_text(OPTIONS_SCENARIO.replace('kind = "change-fte"\ntarget = "A"\nfte = 3',
                                             'kind = "change-funding"\ntarget = "M"\n'
                                             'funding = "Grant"'))
    text = path.read_text()
    path.write_text(text[:text.index('[[published]]\nlabel = "Saving')])
    result = scenarios.run_scenario(str(path))
    who = {row[0]: row for row in changes_by_funding_table(result).rows}
    # half of the Band D manager's £58,189 in whole pounds (largest remainder): £29,095 and
    # £29,094, never £29,094.50 each
    assert who["Core"][2] == -who["Grant"][2]
    assert abs(who["Grant"][2]) in (Decimal(29094), Decimal(29095))
    assert who["Core"][1] == who["Grant"][1] == "M"
    assert changes_by_funding_table(result).total[2] == 0


def test_an_undeclared_uncostable_post_names_the_scenario_file(tmp_path, capsys):
    # the costing error used to name the post but not the file it came from
    path = _copy("2019-commissioning-reorganisation", tmp_path, 'grade = "Band D"\nteam',
                 'grade = "Band Q"\nteam')
    assert main(["scenario", "run", str(path)]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "unknown grade 'Band Q'" in err and "not_costable" in err


def test_a_published_figure_about_an_unknown_line_is_located(tmp_path):
    # only figures "of" the base were checked; the others failed at run time, unlocated
    path = _copy("2015-short-breaks-posts", tmp_path, 'line = "TM"', 'line = "TMX"')
    problem, = _problems(path)
    assert problem.field == "line" and "'TMX'" in problem.message
    assert path.read_text().splitlines()[problem.line - 1].strip() == "[[published]]"


def test_a_bad_budget_is_one_problem_not_one_per_figure_about_it(tmp_path):
    # each published figure naming the budget used to add "not the name of a budget"
    path = _copy("2019-commissioning-reorganisation", tmp_path, "temporary = 49800",
                 'temporary = "lots"')
    problem, = _problems(path)
    assert problem.field == "temporary" and "'lots'" in problem.message


@pytest.mark.parametrize(("old", "new", "columns"), [
    ("[[budget]]", "[budget]", ["budget"]),
    ("[[published]]", "[published]", ["published"]),
    ('[bases."2019/20"]', '[bases."2019/20".x]', ["x"]),
])
def test_a_scenario_table_of_the_wrong_shape_is_located_not_a_traceback(tmp_path, old, new,
                                                                        columns):
    # [budget] for [[budget]] (and the like) used to raise AttributeError out of the loader
    name = "2019-commissioning-reorganisation"
    text = (scenarios.scenario.scenario_dir() / f"{name}.toml").read_text()
    path = tmp_path / "shape.toml"
    if new.startswith("[published]"):  # a TOML table may be given once only
        head, _, rest = text.partition("[[published]]")
        text = head + "[[published]]" + rest.split("[[published]]")[0]
    path.write_text(text.replace(old, new))
    assert [p.field for p in _problems(path)] == columns


@pytest.mark.parametrize(("text", "columns"), [
    ("", ["bases"]),
    ("bases = 5\n", ["bases", "bases"]),
    ('[bases.a]\npay_year = "2019/20"\nperiod = 1\n', ["period"]),
    ("[bases]\na = 5\n", ["a"]),
])
def test_bad_bases_are_located_field_errors(tmp_path, text, columns):
    # these raised AttributeError, or reported "PayBasis.__init__() got an unexpected keyword
    # argument", then a second message about primary_basis
    path = tmp_path / "bases.toml"
    path.write_text(text)
    assert [p.field for p in _problems(path)] == columns


@pytest.mark.parametrize(("old", "new", "column"), [
    ('rule = "njc"', "rule = []", "rule"),
    ('pay_year = "2020/21"', "pay_year = -1", "pay_year"),
    ('basis = "2020/21"\namount = 1517960', 'basis = []\namount = 1517960', "basis"),
    ('line = "Specialist Support Team budget"', "line = {}", "line"),
])
def test_a_value_of_the_wrong_kind_is_a_located_problem(tmp_path, old, new, column):
    # each raised a Python error (unhashable type, year out of range) out of load or run
    path = _copy("2020-ess-remodelling", tmp_path, old, new)
    problems = _problems(path)
    assert [p.field for p in problems] == [column]
    # exactly the line of the table holding the bad value: the nearest header above it
    assert problems[0].line == _header_above(path.read_text(), new)


# A multi-line summary whose text holds table headers: lines a reader of raw lines would take
# for tables ([[published]], [bases."2020/21"]), so each later table's line moved up to one of
# these (a problem about the 2nd figure was reported at the summary's 2nd "[[published]]").
HEADERS_IN_SUMMARY = (
    'summary = """\nFigures as published:\n[[published]]\n[[published]]\n'
    '[bases."2020/21"]\n[[post]]\n\\"""  (a quoted delimiter)\n[[published]]\n"""'
)


def _header_above(text: str, new: str) -> int:
    """The number of the nearest line above ``new``'s first line that starts a table."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if line == new.splitlines()[0])
    return next(n + 1 for n in range(at, -1, -1) if lines[n].startswith("["))


@pytest.mark.parametrize(("old", "new", "column"), [
    ('rule = "njc"', "rule = []", "rule"),
    ('basis = "2020/21"\namount = 1517960', 'basis = []\namount = 1517960', "basis"),
    ('line = "Specialist Support Team budget"', "line = {}", "line"),
])
def test_a_multi_line_string_holding_headers_does_not_move_a_problem(tmp_path, old, new,
                                                                    column):
    path = _copy("2020-ess-remodelling", tmp_path, old, new)
    text = path.read_text()
    summary = next(line for line in text.splitlines() if line.startswith("summary = "))
    path.write_text(text.replace(summary, HEADERS_IN_SUMMARY))
    problems = _problems(path)
    assert [p.field for p in problems] == [column]
    assert problems[0].line == _header_above(path.read_text(), new)
    assert path.read_text().splitlines()[problems[0].line - 1] in (
        '[bases."2020/21"]', "[[published]]")


def test_a_budget_figure_about_a_budget_without_a_cost_is_located(tmp_path):
    # it loaded, then showed a blank library figure, "INPUT MISMATCH", and exit 1
    path = _copy("2019-commissioning-reorganisation", tmp_path, "cost = 1131750\n", "")
    problems = _problems(path)
    assert problems and all(p.field == "metric" and "has none" in p.message
                            for p in problems)
    assert all(path.read_text().splitlines()[p.line - 1].strip() == "[[published]]"
               for p in problems)


def test_a_change_to_a_post_established_in_the_list_names_its_funding(tmp_path):
    # it was looked for among the base's posts only and shown as "(unfunded)"
    path = tmp_path / "options.toml"
    path.write_text(OPTIONS_SCENARIO.replace(
        '[[option]]', '[[change]]\nkind = "establish"\n[change.post]\nreference = "N"\n'
        'title = "New"\nfte = 1\ngrade = "Grade 3"\nfunding = "Grant"\n\n[[change]]\n'
        'kind = "change-fte"\ntarget = "N"\nfte = 2\n\n[[option]]', 1))
    result = scenarios.run_scenario(str(path))
    rows = {row[0]: row for row in changes_by_funding_table(result).rows}
    assert "(unfunded)" not in rows
    assert rows["Grant"][1] == "N" and rows["Grant"][2] == Decimal(2 * 25402)
    funding = [row[3] for row in run_module.changes_table(result).rows if row[1] == "N"]
    assert funding == ["Grant", "Grant"]
