"""The command line of the foundation: scenario list/run and cost, and bad input (exit 2)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli_run import run


def test_scenario_list_names_the_bundled_scenarios(capsys):
    code, out, _ = run(capsys, "scenario", "list")
    assert code == 0
    for name in ("2015-short-breaks-posts", "2018-short-breaks",
                 "2019-commissioning-reorganisation", "2020-ess-remodelling"):
        assert name in out


def test_scenario_run_prints_the_committee_table_and_both_totals(capsys):
    code, out, _ = run(capsys, "scenario", "run", "2018-short-breaks", "--format", "github")
    assert code == 0
    # printed in the 2018 committee report (seed 000): oracles
    for figure in ("£40,702", "£33,504", "£28,376", "£23,940", "£3,161", "£284,937"):
        assert figure in out
    # the report's own arithmetic (fte x its cost per fte), not printed in it
    for figure in ("£81,404", "£67,008", "£56,752", "£35,910"):
        assert figure in out
    # not in the report: the library's own sums and period figures, kept as regression values
    # (the period rule itself is checked against a Fraction oracle in the property tests)
    for figure in ("£281,776", "£211,525", "£214,686"):
        assert figure in out
    assert "Cost 1 Jul 2018 to 31 Mar 2019" in out
    assert "Full-year cost" in out
    assert "| match" in out and "MISMATCH" not in out


def test_scenario_whose_claim_fails_exits_1(capsys, tmp_path):
    from scenarios.scenario import scenario_dir

    text = (scenario_dir() / "2018-short-breaks.toml").read_text()
    broken = tmp_path / "wrong.toml"
    broken.write_text(text.replace("amount = 284937", "amount = 284938"))
    code, out, _ = run(capsys, "scenario", "run", str(broken))
    assert code == 1
    assert "MISMATCH" in out


@pytest.mark.parametrize("args, message", [
    (("scenario", "run", "2018-short-break"), "unknown scenario '2018-short-break'; did you "
     "mean '2018-short-breaks'?"),
    (("cost", "no-such-file.toml"), "no-such-file.toml: no such file"),
])
def test_bad_input_is_one_message_and_exit_2(capsys, args, message):
    code, out, err = run(capsys, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err and out == ""


def test_bad_toml_names_its_line(capsys, tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text('name = "x"\n\n[[post]]\ntitle = "Officer"\nfte = \n')
    code, _, err = run(capsys, "cost", str(path))
    assert code == 2
    assert f"{path}:5:" in err and "invalid TOML" in err


def test_every_bad_post_is_reported_with_its_line(capsys, tmp_path):
    path = tmp_path / "posts.toml"
    path.write_text('[[post]]\ntitle = "A"\nfte = 0\ngrade = "Grade 3"\n\n'
                    '[[post]]\ntitle = "B"\nfte = 1\ngrade = "Grade 3"\nend = 2018-01-01\n'
                    'start = 2018-02-01\n')
    code, _, err = run(capsys, "cost", str(path))
    assert code == 2
    assert f"{path}:1:" in err and "'fte' must be > 0" in err
    assert f"{path}:6:" in err and "'end' must be on or after start (2018-02-01)" in err


def test_unknown_format_exits_2(capsys):
    code, _, err = run(capsys, "scenario", "list", "--format", "pdf")
    assert code == 2
    assert "invalid choice: 'pdf'" in err


def test_cost_options(capsys, tmp_path):
    path = tmp_path / "posts.toml"
    path.write_text('[[post]]\nreference = "RO"\ntitle = "Reviewing Officer"\nfte = 2\n'
                    'grade = "Band A"\nscp = 34\n')
    code, out, _ = run(capsys, "cost", str(path), "--employer", "nottinghamshire", "--pay-year",
                       "2018/19", "--rule", "council-2018", "--from", "2018-07-01", "--to",
                       "2019-03-31")
    assert code == 0
    assert "£81,404" in out and "£61,109" in out  # 81,404 x 274/365 = 61,108.6
    code, _, err = run(capsys, "cost", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2018", "--from", "2018-07-01")
    assert code == 2 and "--from and --to go together" in err
    code, _, err = run(capsys, "cost", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2018/20")
    assert code == 2 and "--pay-year: pay year must look like 2018 or 2018/19" in err
    code, _, err = run(capsys, "cost", str(path), "--employer", "nottinghamshire",
                       "--pay-year", "2030")
    assert code == 2 and "no NJC pay spine for 2030/31" in err


def test_python_dash_m_works():
    done = subprocess.run([sys.executable, "-m", "establishment", "scenario", "run",
                           "2018-short-breaks"], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "£284,937" in done.stdout
