"""Hostile and broken input (issue 17): no traceback, no hang, no silent misread, no write
through the wrong file. Each test reproduces one finding of the adversarial run against the
earlier main; the exit codes are 0 ok, 1 a check failed, 2 bad input, 70 a bug, 74 an output
that could not be written."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
import signal
import stat
import subprocess
import sys
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from establishment import Post, Structure
from establishment.cells import neutralise, restore_text
from establishment.cli.main import main
from establishment.errors import LoadError
from establishment.io import parse_structure_bytes, read_structure
from establishment.io.atomic import atomic_write
from establishment.model.parse import NumberError, parse_number
from establishment.organogram.reading import parse_fte, parse_money
from establishment.tables.render import render
from establishment.tables.table import Column, Table
from tests.cli_run import run

ROOT = Path(__file__).parent.parent
FIXTURE = str(Path(__file__).parent / "fixtures" / "short-breaks-2018.toml")
ORGANOGRAMS = Path(__file__).parent / "fixtures" / "organograms"
FULL_WIDTH = "\uff1d\uff0b\uff0d\uff20"  # ＝＋－＠


def one_located_line(err: str, where: str) -> None:
    lines = err.strip().splitlines()
    assert lines and all(line.startswith(f"establishment: {where}") for line in lines), err
    assert "Traceback" not in err


# --- exit codes: each former traceback --------------------------------------------------


class TestNoTraceback:
    @pytest.mark.parametrize("option,value", [("--to", "9999-12-31"), ("--from", "0001-01-01")])
    def test_period_dates_out_of_range_are_bad_input(self, capsys, option, value):
        """year 10000 / year 0 out of range: a ValueError traceback, exit 1."""
        other = {"--to": ("--from", "2018-04-01"), "--from": ("--to", "2019-03-31")}[option]
        code, _, err = run(capsys, "cost", FIXTURE, option, value, *other)
        assert code == 2
        assert err.strip().startswith(f"establishment: error: {option}: ")
        assert err.strip().endswith(f"{value} is not between 1900-01-01 and 2199-12-31 (leave "
                                    "an end date empty for a permanent post)")

    def test_an_iso_week_date_is_not_a_period_date(self, capsys):
        code, _, err = run(capsys, "cost", FIXTURE, "--from", "2019-W13-1", "--to", "2020-01-01")
        assert code == 2 and err.startswith("establishment: error: --from: ")

    def test_toml_nested_500_deep(self, capsys, tmp_path):
        path = tmp_path / "deep.toml"
        path.write_text("a = " + "[" * 500 + "]" * 500 + "\n")
        code, _, err = run(capsys, "cost", str(path))
        assert code == 2
        one_located_line(err, f"{path}: invalid TOML: arrays or tables nested too deeply")

    def test_an_integer_of_4301_digits(self, capsys, tmp_path):
        path = tmp_path / "big.toml"
        path.write_text(f'[[post]]\ntitle = "A"\nfte = {"1" * 4301}\ngrade = "Grade 5"\n')
        code, _, err = run(capsys, "cost", str(path))
        assert code == 2
        one_located_line(err, f"{path}: invalid TOML: Exceeds the limit (4300 digits)")

    def test_an_employer_name_of_300_characters(self, capsys):
        code, _, err = run(capsys, "cost", FIXTURE, "--employer", "e" * 300)
        assert code == 2 and "unknown employer 'eee" in err and "Traceback" not in err

    def test_an_output_name_of_300_characters(self, capsys, tmp_path):
        target = tmp_path / ("o" * 300 + ".csv")
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(target))
        assert code == 2
        assert err.strip().endswith("the name is too long for the file system (at most 255 "
                                    "bytes for each part of a path)")
        assert list(tmp_path.iterdir()) == []

    @pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
    def test_standard_output_on_a_full_device_is_74(self):
        with open("/dev/full", "wb") as full:
            done = subprocess.run([sys.executable, "-m", "establishment", "cost", FIXTURE],
                                  stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                                  env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
        assert done.returncode == 74
        assert done.stderr.strip() == ("establishment: error: cannot write standard output: "
                                       "No space left on device")

    def test_a_full_disk_while_writing_is_74_and_leaves_the_old_file(self, capsys, monkeypatch,
                                                                    tmp_path):
        """(Not /dev/full itself: a regression would replace the shared device as root.)"""
        import errno

        from establishment.io import atomic

        def full(*args):
            raise OSError(errno.ENOSPC, "No space left on device")

        target = tmp_path / "out.csv"
        target.write_text("old")
        monkeypatch.setattr(atomic.os, "replace", full)
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(target))
        assert code == 74
        assert err == f"establishment: error: cannot write {str(target)!r}: No space left on " \
                      "device\n"
        assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
        assert target.read_text() == "old"

    def test_an_internal_error_is_70_in_one_line_traceback_only_with_debug(self, capsys,
                                                                           monkeypatch):
        from establishment.cli import cmd_cost

        def broken(args):
            raise ZeroDivisionError("a bug")

        monkeypatch.setattr(cmd_cost, "run", broken)
        code, _, err = run(capsys, "cost", FIXTURE)
        assert code == 70
        assert err == ("establishment: internal error (ZeroDivisionError: a bug); this is a bug "
                       "in establishment: rerun with --debug for the traceback\n")
        code, _, err = run(capsys, "--debug", "cost", FIXTURE)
        assert code == 70 and "Traceback (most recent call last)" in err
        code, _, err = run(capsys, "cost", FIXTURE, "--debug")  # anywhere on the line
        assert code == 70 and "Traceback (most recent call last)" in err

    def test_sigterm_during_a_write_leaves_no_temporary_file(self, capsys, monkeypatch,
                                                              tmp_path):
        from establishment.cli import cmd_cost

        target = tmp_path / "out.csv"
        target.write_text("old")

        def terminated(args):
            with atomic_write(target, "w") as handle:
                handle.write("new")
                os.kill(os.getpid(), signal.SIGTERM)
            return 0

        monkeypatch.setattr(cmd_cost, "run", terminated)
        with pytest.raises(SystemExit) as exit_:
            main(["cost", FIXTURE])
        assert exit_.value.code == 143
        assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
        assert target.read_text() == "old"
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


# --- output escaping ------------------------------------------------------------------------


class TestOutputEscaping:
    def test_a_carriage_return_cannot_start_an_unneutralised_row(self, capsys, tmp_path):
        source = tmp_path / "in.csv"
        source.write_bytes(b'title,fte,grade,scp\n"Officer\r=cmd|\' /C calc\'!A0",1,Grade 5,'
                           b'28\n')
        out = tmp_path / "out.csv"
        code, _, err = run(capsys, "cost", str(source), "--employer", "nottinghamshire",
                           "--pay-year", "2018/19", "--output", str(out))
        assert code == 0, err
        raw = out.read_bytes().decode("utf-8")
        assert '"Officer\r=cmd|\' /C calc\'!A0"' in raw
        rows = list(csv.reader(io.StringIO(raw, newline="")))
        assert rows[1][0] == "Officer\r=cmd|' /C calc'!A0"

    @pytest.mark.parametrize("trigger", list(FULL_WIDTH))
    def test_full_width_triggers_are_neutralised(self, trigger):
        assert neutralise(f"{trigger}1+1") == f"'{trigger}1+1"
        assert restore_text(f"'{trigger}1+1") == f"{trigger}1+1"

    def test_a_leading_apostrophe_is_stripped_only_before_a_trigger(self):
        assert restore_text("''") == "''"  # was read as "'"
        assert restore_text("'abc") == "'abc"
        assert restore_text("'=1") == "=1"
        assert restore_text("''=1") == "'=1"

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.sampled_from("'=+-@\t\r\nab;%\"" + FULL_WIDTH), max_size=8))
    def test_neutralise_is_undone_exactly(self, text):
        assert restore_text(neutralise(text)) == text
        assert not neutralise(text).startswith(("=", "+", "-", "@", "\t", "\r",
                                                *FULL_WIDTH))

    def test_github_markdown_escapes_html(self):
        table = Table([Column("<b>Post</b>")], [["<script>alert(1)</script>"]],
                      "<img src=x onerror=alert(1)>", notes=("a & <i>b</i>",))
        text = render(table, "github")
        assert "<script>" not in text and "<img" not in text and "<i>" not in text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
        assert "<b>" not in text and "a &amp; &lt;i&gt;b&lt;/i&gt;" in text

    def test_github_documents_escape_html_in_headings_and_paragraphs(self):
        from establishment.tables.document import Document, Heading, Paragraph, render_document

        document = Document("<script>t</script>", [Heading("<h>", 2), Paragraph("a <b> & c")])
        text = render_document(document, "github")
        assert "<" not in text.replace("&lt;", "")
        assert "&lt;script&gt;t&lt;/script&gt;" in text and "a &lt;b&gt; &amp; c" in text

    def test_html_escapes_html(self):
        table = Table([Column("Post")], [["<script>alert(1)</script>"]], "<t>", notes=("<n>",))
        text = render(table, "html")
        assert "<script>" not in text and "<t>" not in text and "<n>" not in text


# --- output paths ---------------------------------------------------------------------------


class TestOutputPaths:
    def test_a_symlink_stays_a_link_and_its_target_is_replaced(self, capsys, tmp_path):
        target = tmp_path / "real.csv"
        target.write_text("old")
        link = tmp_path / "link.csv"
        link.symlink_to(target)
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(link))
        assert code == 0, err
        assert link.is_symlink() and os.readlink(link) == str(target)
        assert target.read_text(encoding="utf-8-sig").startswith("Post")
        assert sorted(p.name for p in tmp_path.iterdir()) == ["link.csv", "real.csv"]

    def test_a_character_device_is_written_not_replaced(self, capsys, tmp_path):
        """(A null device made in tmp_path, never /dev/null itself: a regression replaced
        the device with a regular file as root.)"""
        device = tmp_path / "null"
        try:
            os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
        except (PermissionError, OSError):
            pytest.skip("cannot make a device node here")
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(device), "--format", "csv")
        assert code == 0, err
        assert stat.S_ISCHR(os.stat(device).st_mode)

    def test_a_fifo_is_written_directly(self, capsys, tmp_path):
        fifo = tmp_path / "pipe"
        os.mkfifo(fifo)
        received: list[bytes] = []
        reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()),
                                  daemon=True)
        reader.start()
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(fifo), "--format", "csv")
        if not received:  # a FIFO renamed over is never opened for writing: free the reader
            with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "wb"):
                pass
        reader.join(timeout=30)
        assert code == 0, err
        assert stat.S_ISFIFO(os.stat(fifo).st_mode)
        assert received and received[0].startswith(b"Post")

    def test_a_name_of_250_characters_is_written(self, capsys, tmp_path):
        """The temporary name added 14 characters: names of 236-255 were refused."""
        target = tmp_path / ("n" * 246 + ".csv")
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(target))
        assert code == 0, err
        assert [p.name for p in tmp_path.iterdir()] == [target.name]

    @pytest.mark.parametrize("where,why", [
        ("missing/out.csv", "the folder '{d}/missing' does not exist"),
        ("folder.md", "is a directory: only csv writes one file per table (give --format csv, "
                      "or a file name)")])
    def test_a_bad_output_path_is_bad_input(self, capsys, tmp_path, where, why):
        """(A folder named for CSV output takes one file per table: not tested here.)"""
        (tmp_path / "folder.md").mkdir()
        code, _, err = run(capsys, "cost", FIXTURE, "--output", str(tmp_path / where),
                           "--format", "github")
        assert code == 2
        assert err.strip().endswith(why.format(d=tmp_path))

    def test_an_exception_inside_the_write_removes_the_temporary_file(self, tmp_path):
        with pytest.raises(KeyboardInterrupt), atomic_write(tmp_path / "x.csv") as handle:
            handle.write("part")
            raise KeyboardInterrupt
        assert list(tmp_path.iterdir()) == []


# --- numbers, dates, types: read as a person reads them -------------------------------------


def _csv_problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse_structure_bytes(text.encode(), "csv", "in.csv")
    return [str(p) for p in caught.value.problems]


def _toml_problems(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse_structure_bytes(text.encode(), "toml", "in.toml")
    return [str(p) for p in caught.value.problems]


class TestNumbers:
    @pytest.mark.parametrize("text,kind", [
        ("1_5", "fte"), ("1_5", "scp"), ("40_000", "money"), ("1e3", "fte"), ("1E3", "money"),
        ("2 2", "money"), ("1,500", "fte"), ("£2", "fte"), ("£2", "scp"), ("30,00", "money"),
        ("0,5", "number"), ("NaN", "money"), ("Infinity", "fte"), ("", "fte"), ("1.2.3", "money"),
    ])
    def test_refused(self, text, kind):
        with pytest.raises(NumberError):
            parse_number(text, kind)

    @pytest.mark.parametrize("text,kind,value", [
        ("40,702.50", "money", "40702.50"), ("£40,702.50", "money", "40702.50"),
        ("-£12", "money", "-12"), (" 1.5 ", "fte", "1.5"), (".5", "fte", "0.5"),
        ("34.0", "scp", "34.0"), ("1,234", "number", "1234"), ("£ 45000", "money", "45000"),
    ])
    def test_read(self, text, kind, value):
        assert parse_number(text, kind) == Decimal(value)

    @pytest.mark.parametrize("column,value", [("fte", "1_5"), ("scp", "1_5"),
                                              ("salary", "40_000"), ("fte", "1,500"),
                                              ("fte", "£2"), ("fte", "1e3"), ("salary", "2 2")])
    def test_csv_cells(self, column, value):
        row = {"title": "A", "fte": "1", "grade": "Grade 5", "scp": "", "salary": ""}
        row[column] = value
        line = ",".join(f'"{v}"' for v in row.values())
        problems = _csv_problems(f"title,fte,grade,scp,salary\n{line}\n")
        assert len(problems) == 1 and problems[0].startswith(f"in.csv:2: [{column}] expected")

    @pytest.mark.parametrize("key,value", [("fte", '"1_5"'), ("scp", '"1_5"'),
                                           ("salary", '"40_000"'), ("fte", '"1,500"')])
    def test_toml_strings(self, key, value):
        fields = {"title": '"A"', "fte": "1", "grade": '"Grade 5"', key: value}
        text = "[[post]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())
        problems = _toml_problems(text)
        assert len(problems) == 1 and problems[0].startswith(f"in.toml:1: [{key}] post 1:")
        assert value.strip('"') in problems[0]

    @pytest.mark.parametrize("text", ["1e3", "1_5", "1,5", "£1", "2 2"])
    def test_organogram_fte(self, text):
        with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
            parse_fte(text)

    @pytest.mark.parametrize("text", ["2 2", "4_500", "1e3", "45,00"])
    def test_organogram_pay(self, text):
        with pytest.raises(ValueError, match=f"^{re.escape(text)}$"):
            parse_money(text)

    def test_a_csv_cell_of_two_apostrophes_is_read_as_written(self):
        loaded = parse_structure_bytes(b"title,fte,grade\n'',1,Grade 5\n", "csv", "in.csv")
        assert loaded.structure.posts[0].title == "''"


class TestTomlTypesAndDates:
    @pytest.mark.parametrize("key,value,kind", [("title", "[1, 2]", "array"),
                                                ("team", "true", "boolean"),
                                                ("notes", "{ a = 1 }", "table")])
    def test_a_text_field_of_another_type_is_a_located_problem(self, key, value, kind):
        fields = {"title": '"A"', "fte": "1", "grade": '"Grade 5"', key: value}
        text = "name = 'x'\n\n[[post]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())
        assert _toml_problems(text) == [f"in.toml:3: [{key}] post 1: {key!r} must be text in "
                                        f"quotes (got a TOML {kind})"]

    def test_an_iso_week_date_is_refused(self):
        text = '[[post]]\ntitle = "A"\nfte = 1\ngrade = "G"\nend = "2019-W13-1"\n'
        [problem] = _toml_problems(text)
        assert problem.startswith("in.toml:1: [end] post 1: 'end' must be a date such as ")
        assert "'2019-W13-1' is not a date such as 2019-03-31" in problem
        # nor when a program makes a Post from the text
        with pytest.raises(ValueError, match="must be an ISO date such as 2019-03-31 "
                           r"\(got '2019-W13-1'\)"):
            Post("A", 1, "G", end="2019-W13-1")

    def test_a_date_the_engine_cannot_cost_is_refused(self):
        text = '[[post]]\ntitle = "A"\nfte = 1\ngrade = "G"\nend = 9999-12-31\n'
        assert len(_toml_problems(text)) == 1

    @pytest.mark.parametrize("fmt,data", [("toml", b""), ("toml", b"\n  \n"), ("csv", b""),
                                          ("toml", b"\xef\xbb\xbf")])
    def test_empty_files_are_refused_alike(self, fmt, data):
        with pytest.raises(LoadError) as caught:
            parse_structure_bytes(data, fmt, f"in.{fmt}")
        [problem] = caught.value.problems
        assert str(problem).startswith(f"in.{fmt}: is empty: expected ")

    def test_empty_standard_input_is_refused(self, capsys, monkeypatch):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"")))
        code, _, err = run(capsys, "cost", "-")
        assert code == 2 and err.startswith("establishment: <stdin>: is empty")

    def test_a_byte_order_mark_is_accepted_in_toml(self):
        data = "\ufeff[[post]]\ntitle = 'A'\nfte = 1\ngrade = 'G'\n".encode()
        loaded = parse_structure_bytes(data, "toml", "in.toml")
        assert loaded.structure.posts[0].title == "A" and loaded.lines == (1,)

    def test_a_post_without_a_grade_reads_back_from_toml(self, tmp_path):
        structure = Structure("s", [Post("A", 1, "", cost_per_fte=Decimal(30000))])
        path = tmp_path / "s.toml"
        from establishment.io import write_structure

        write_structure(structure, path)
        assert read_structure(path).structure == structure


# --- second round (issue 27) ---------------------------------------------------------------

SEED_TOML = ('[[post]]\nreference = "RO"\ntitle = "Reviewing Officer"\nfte = 2\n'
             'grade = "Hay Band A"\nscp = 34\nteam = "ICDS"\n')


@pytest.fixture(scope="module")
def seed_register(tmp_path_factory):
    """A register of one post opened on 2018-04-01 with the 2018/19 NJC basis: it costs."""
    folder = tmp_path_factory.mktemp("seed")
    (folder / "posts.toml").write_text(SEED_TOML, encoding="utf-8")
    path = folder / "r.db"
    assert main(["register", "init", str(path), "--employer", "nottinghamshire", "--pay-year",
                 "2018/19", "--rule", "njc", "--from", str(folder / "posts.toml"), "--on",
                 "2018-04-01"]) == 0
    return path


class TestOneDateGrammar:
    """Every date a user types is read by establishment.io.dates.parse_date: options,
    FILE.db@DATE and files alike."""

    @pytest.mark.parametrize("text", ["2018-W27-1", "20190101", "9999-12-31", "1899-12-31",
                                      "2019-090", "２０１９-０３-３１", "٣١/٠٣/٢٠١٩"])
    def test_a_register_source_refuses_what_register_as_of_refuses(self, capsys,
                                                                    seed_register, text):
        code, _, as_of = run(capsys, "register", "as-of", str(seed_register), text)
        assert code == 2 and "Traceback" not in as_of
        code, out, err = run(capsys, "cost", f"{seed_register}@{text}")
        assert code == 2 and out == ""
        assert err.startswith("establishment: ") and "FILE.db@DATE" in err
        assert f"{text!r} is not" in err or f"{text} is not between" in err
        # the same words as the option's refusal
        assert as_of.strip().rsplit("; ", 1)[-1] in err

    @pytest.mark.parametrize("text", ["2018-10-01", "01/10/2018", "1 October 2018"])
    def test_a_register_source_reads_a_date_as_options_do(self, capsys, seed_register, text):
        code, out, _ = run(capsys, "cost", f"{seed_register}@{text}", "--format", "csv")
        assert code == 0 and out.splitlines()[-1].startswith("Total,2,")

    def test_month_first_applies_to_the_register_source(self, capsys, seed_register):
        day_first = run(capsys, "cost", f"{seed_register}@02/10/2018", "--format", "csv")
        month_first = run(capsys, "cost", f"{seed_register}@10/02/2018", "--format", "csv",
                          "--dates", "month-first")
        assert day_first[0] == month_first[0] == 0 and day_first[1] == month_first[1]

    @pytest.mark.parametrize("argv", [
        ("import", "organogram", str(ORGANOGRAMS / "natural_england-2011-03-31-senior.csv"),
         str(ORGANOGRAMS / "natural_england-2011-03-31-junior.csv"), "--output", "o.toml",
         "--date", "2011-W39-5"),
        ("project", FIXTURE, "--from", "2018-W27-1"),
        ("project", FIXTURE, "--from", "20180401"),
    ])
    def test_options_refuse_week_and_basic_dates(self, capsys, argv):
        code, _, err = run(capsys, *argv)
        assert code == 2 and "Traceback" not in err
        assert err.startswith(f"establishment: error: {argv[-2]}") or \
            err.startswith(f"establishment: {argv[-2]}"), err


class TestOneDigitRule:
    """Digits are ASCII 0-9 everywhere: '١٢' and '１' are refused, saying so."""

    @pytest.mark.parametrize("text,kind", [("١٢", "number"), ("１", "fte"),
                                           ("£４５０００", "money"), ("٢٨", "scp"),
                                           ("१", "headcount")])
    def test_the_number_grammar_refuses_other_digits(self, text, kind):
        with pytest.raises(NumberError, match="write digits as 0-9"):
            parse_number(text, kind)

    def test_headcount_is_a_kind_of_the_grammar(self):
        # Post's headcount asked parse_whole for a kind the grammar did not have: KeyError
        with pytest.raises(ValueError, match="'headcount' must be a whole number of people"):
            Post("A", 2, "Grade 5", 28, headcount="x")
        assert Post("A", 2, "Grade 5", 28, headcount="2").headcount == 2

    @pytest.mark.parametrize("column,value", [("fte", "１"), ("scp", "٢٨"), ("salary", "٣٠٠٠٠"),
                                              ("start", "٠١/٠٤/٢٠١٨")])
    def test_csv_cells(self, column, value):
        row = {"title": "A", "fte": "1", "grade": "Grade 5", "scp": "", "salary": "",
               "start": ""}
        row[column] = value
        problems = _csv_problems("title,fte,grade,scp,salary,start\n" + ",".join(row.values()))
        assert len(problems) == 1 and problems[0].startswith(f"in.csv:2: [{column}] expected")

    @pytest.mark.parametrize("key,value", [("fte", '"１"'), ("scp", '"٢٨"'),
                                           ("start", '"٠١/٠٤/٢٠١٨"')])
    def test_toml_strings(self, key, value):
        fields = {"title": '"A"', "fte": "1", "grade": '"Grade 5"', key: value}
        problems = _toml_problems("[[post]]\n" + "".join(f"{k} = {v}\n"
                                                         for k, v in fields.items()))
        assert len(problems) == 1 and problems[0].startswith(f"in.toml:1: [{key}] post 1:")

    @pytest.mark.parametrize("text", ["١٢٠٠٠", "４５０００"])
    def test_organogram_pay(self, text):
        with pytest.raises(ValueError):
            parse_money(text)


class TestNoExit70SecondRound:
    def test_a_report_of_a_structure_with_no_posts(self, capsys, tmp_path):
        """IndexError in the funding sentence of an empty structure's report."""
        (tmp_path / "h.csv").write_text("Post Title,FTE,Grade\n", encoding="utf-8")
        code, _, err = run(capsys, "report", str(tmp_path / "h.csv"), "--output",
                           str(tmp_path / "r.html"), "--employer", "nottinghamshire",
                           "--pay-year", "2018/19")
        assert code == 0 and "error" not in err  # a note on the mapped header at most
        html = (tmp_path / "r.html").read_text(encoding="utf-8")
        assert "It has no posts, so nothing is funded." in html

    @pytest.mark.parametrize("depth", [300, 600, 5000])
    @pytest.mark.parametrize("opening,closing", [("[", "]"), ("{a=", "}")])
    def test_a_changes_file_nested_deep(self, capsys, tmp_path, seed_register, depth,
                                        opening, closing):
        """A RecursionError from 500 deep (300 was already a clean exit 2)."""
        changes = tmp_path / "deep.toml"
        changes.write_text(f'[[change]]\nkind = "add"\nx = {opening * depth}1'
                           f'{closing * depth}\n', encoding="utf-8")
        code, _, err = run(capsys, "register", "record", str(seed_register), str(changes),
                           "--effective", "2018-07-01", "--approved", "2018-06-01",
                           "--approved-by", "C", "--reference", "R")
        assert code == 2
        one_located_line(err, str(changes))
        if depth > 500:
            assert err.strip().endswith("invalid TOML: arrays or tables nested too deeply "
                                        "to read")


def _frame_structure() -> Structure:
    from establishment import Payment

    return Structure("s", [
        Post("A", Decimal("1.5"), "Grade 5", 28, start=dt.date(2018, 4, 1), reference="R1",
             team="T"),
        Post("B", 1, "Grade 5", 28, status="vacant", cost_per_fte=Decimal("30000.50")),
        Post("C", None, "Grade 5", 28, hours=Decimal("18.5"), headcount=2, notes="x\ny",
             end=dt.date(2020, 1, 31), salary_min=Decimal(1), salary_max=Decimal("2.5")),
        Post("D", Decimal("0.540541"), "", salary=Decimal("40702.08"), reports_to="R1",
             increment_date=dt.date(2019, 4, 1)),
    ], [Payment("Bonus", Decimal("1000"), per="year", team="T")])


class TestParquetOfToFrame:
    def test_to_frame_to_parquet_reads_back_exactly(self, tmp_path):
        """ArrowNotImplementedError on the list-typed funding column."""
        structure = _frame_structure()
        path = tmp_path / "s.parquet"
        structure.to_frame().to_parquet(path)
        back = read_structure(path).structure
        assert back.posts == structure.posts and back.payments == structure.payments
        assert back.name == "s"

    def test_funding_shares_as_a_list_of_structs_read_back(self, tmp_path):
        import pyarrow as pa
        import pyarrow.parquet as pq

        structure = Structure("s", [Post("A", 1, "Grade 5", 28,
                                         funding={"Grant": 60, "Core": 40})])
        frame = structure.to_frame()
        frame["funding"] = [[{"source": s.source, "percent": str(s.percent)} for s in cell]
                            for cell in frame["funding"]]
        pq.write_table(pa.Table.from_pandas(frame), tmp_path / "f.parquet")
        assert read_structure(tmp_path / "f.parquet").structure.posts == structure.posts

    def test_a_list_column_in_another_file_is_refused_located(self, tmp_path, capsys):
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.table({"title": ["A"], "fte": [1], "grade": ["Grade 5"],
                                 "funding": [["Grant"]]}), tmp_path / "l.parquet")
        code, _, err = run(capsys, "cost", str(tmp_path / "l.parquet"))
        assert code == 2
        one_located_line(err, f"{tmp_path / 'l.parquet'}: column 'funding' holds lists")


class TestTextFieldsTakeTextOnly:
    """A TOML number, date or boolean where text is expected is refused, located: it was
    reformatted ('reference = 0x1F' became "31", 'title = 1e2' "1E+2")."""

    @pytest.mark.parametrize("key,value,kind,read", [
        ("reference", "0x1F", "integer", "31"), ("title", "1e2", "float", "1E+2"),
        ("team", "1_000", "integer", "1000"), ("grade", "inf", "float", "Infinity"),
        ("notes", "nan", "float", "NaN"), ("reports_to", "2019-01-01", "date", "2019-01-01"),
        ("reference", "2019-01-01T10:00:00", "date-time", "2019-01-01T10:00:00"),
        ("title", "10:30:00", "time", "10:30:00"), ("status", "0o17", "integer", "15"),
    ])
    def test_a_post(self, key, value, kind, read):
        fields = {"title": '"A"', "fte": "1", "grade": '"Grade 5"', key: value}
        text = "name = 'x'\n\n[[post]]\n" + "".join(f"{k} = {v}\n" for k, v in fields.items())
        assert _toml_problems(text) == [
            f"in.toml:3: [{key}] post 1: {key!r} must be text in quotes (got a TOML {kind}), "
            f"read as {read}; write it as \"{read}\" if that is the text you mean"]

    @pytest.mark.parametrize("table,key", [("payment", "per"), ("payment", "title"),
                                           ("assignment", "person"), ("basis", "employer"),
                                           ("basis", "rule")])
    def test_other_tables(self, table, key):
        tables = {
            "payment": {"title": '"Bonus"', "amount": "100", "per": '"year"'},
            "assignment": {"post": '"RO"', "person": '"P1"'},
            "basis": {"employer": '"nottinghamshire"'},
        }
        fields = {**tables[table], key: "1e3"}
        header = f"[{table}]" if table == "basis" else f"[[{table}]]"
        text = ('[[post]]\nreference = "RO"\ntitle = "A"\nfte = 1\ngrade = "Grade 5"\n\n'
                + header + "\n" + "".join(f"{k} = {v}\n" for k, v in fields.items()))
        problems = _toml_problems(text)
        assert len(problems) == 1 and problems[0].startswith("in.toml:7: "), problems
        assert f"[{key}]" in problems[0] and "must be text in quotes (got a TOML float), " \
            "read as 1E+3" in problems[0]

    @pytest.mark.parametrize("line,found", [
        ('target = 0x1F', "[target] change 1: 'target' must be text in quotes (got a TOML "
         "integer), read as 31"),
        ('target = { team = 7, title = "A" }', "[team] change 1: target: 'team' must be "
         "text"),
    ])
    def test_a_change(self, tmp_path, line, found):
        from establishment.io.changes_file import parse_changes_text

        with pytest.raises(LoadError) as caught:
            parse_changes_text(f'[[change]]\nkind = "disestablish"\n{line}\n', "c.toml")
        [problem] = caught.value.problems
        assert str(problem).startswith(f"c.toml:1: {found}")

    def test_quoted_text_is_read_as_written(self):
        text = '[[post]]\nreference = "0x1F"\ntitle = "1e2"\nfte = 1\ngrade = "Grade 5"\n'
        post = parse_structure_bytes(text.encode(), "toml", "in.toml").structure.posts[0]
        assert (post.reference, post.title) == ("0x1F", "1e2")


class TestOrganogramPayIsReadOrRefused:
    """Pay that is neither a sum, a word nor blank was 'not disclosed' (£0, exit 0 even in
    strict mode); '2 2' was refused. Strict import refuses it; lenient import lists it."""

    @pytest.mark.parametrize("text", ["1e3", "3e4", "30_000", "30000%", "''", "-", "£",
                                      "٣٠٠٠٠"])
    def test_parse_pay_refuses(self, text):
        from establishment.organogram.reading import parse_pay

        with pytest.raises(ValueError):
            parse_pay(text)

    @pytest.mark.parametrize("text,state", [("", "not disclosed"), ("N/D", "not disclosed"),
                                            ("withheld", "not disclosed"), ("N/A", "none"),
                                            ("£45,000", "given")])
    def test_parse_pay_reads(self, text, state):
        from establishment.organogram.reading import parse_pay

        assert parse_pay(text).state == state

    def _junior(self, tmp_path, pay: str) -> list[str]:
        senior = (ORGANOGRAMS / "natural_england-2011-03-31-senior.csv")
        text = (ORGANOGRAMS / "natural_england-2011-03-31-junior.csv").read_text(
            encoding="utf-8-sig")
        lines = text.splitlines()
        row = next(csv.reader([lines[1]]))
        header = next(csv.reader([lines[0]]))
        row[[h.strip() for h in header].index("Payscale Minimum (£)")] = pay
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerow(row)
        lines[1] = out.getvalue().rstrip("\n")
        junior = tmp_path / "junior.csv"
        junior.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return [str(senior), str(junior), "--output", str(tmp_path / "o.toml")]

    @pytest.mark.parametrize("pay", ["1e3", "30_000", "30000%", "''"])
    def test_strict_import_refuses_lenient_lists(self, capsys, tmp_path, pay):
        argv = self._junior(tmp_path, pay)
        code, _, err = run(capsys, "import", "organogram", *argv)
        assert code == 2 and not (tmp_path / "o.toml").exists()
        assert f"junior.csv:2: [Payscale Minimum (£)] must be a sum of money such as 45000, " \
            f"N/D or N/A (found {pay!r})" in err
        code, _, err = run(capsys, "import", "organogram", *argv, "--lenient")
        assert code == 0 and (tmp_path / "o.toml").exists()
        assert f"(found {pay!r})" in err


class TestXlsxOutputCompleteOrRefused:
    """The XLSX writers cut text over 32,767 characters to 32,767 with exit 0 (openpyxl
    does), while the reader refuses such a cell: now the write is refused, naming the cell,
    and nothing is written."""

    def test_a_structure_file(self, tmp_path):
        from establishment.io import write_structure

        path = tmp_path / "s.xlsx"
        path.write_bytes(b"old")
        structure = Structure("s", [Post("A", 1, "Grade 5", 28),
                                    Post("x" * 32_768, 1, "Grade 5", 28, notes="\x01" * 5000)])
        with pytest.raises(LoadError) as caught:
            write_structure(structure, path)
        assert [str(p) for p in caught.value.problems] == [
            f"{path}:3: [title] text of 32,768 characters: an XLSX cell holds at most 32,767; "
            "write CSV or TOML, which keep it whole",
            f"{path}:3: [notes] text of 5,000 characters (35,000 as stored: a control "
            "character is written _xHHHH_): an XLSX cell holds at most 32,767; write CSV or "
            "TOML, which keep it whole"]
        assert path.read_bytes() == b"old"

    def test_32767_characters_are_written_whole(self, tmp_path):
        from establishment.io import write_structure

        structure = Structure("s", [Post("y" * 32_767, 1, "Grade 5", 28)])
        write_structure(structure, tmp_path / "s.xlsx")
        assert read_structure(tmp_path / "s.xlsx").structure.posts == structure.posts

    def test_a_table(self, capsys, tmp_path):
        source = tmp_path / "long.toml"
        source.write_text(f'[[post]]\ntitle = "{"z" * 40_000}"\nfte = 1\ngrade = "Grade 5"\n'
                          'scp = 28\n', encoding="utf-8")
        output = tmp_path / "out.xlsx"
        code, out, err = run(capsys, "cost", str(source), "--output", str(output),
                             "--employer", "nottinghamshire", "--pay-year", "2018/19")
        assert code == 2 and not output.exists() and out == ""
        # the 'Post details' cell holds the title and its marks
        assert err == ("establishment: error: --format xlsx: table 'long', row 2, column "
                       "'Post details': text of 40,004 characters: an XLSX cell holds at most "
                       "32,767; write CSV or TOML, which keep it whole\n")


class TestMessagesNameAFileOrOption:
    def test_a_register_day_with_no_stored_basis_points_at_register_basis(self, capsys,
                                                                          seed_register):
        """It said "no employer given", naming nothing the user wrote."""
        code, out, err = run(capsys, "cost", f"{seed_register}@2030-01-01")
        assert (code, out) == (2, "")
        assert err == (f"establishment: error: {seed_register}@2030-01-01: the register stores "
                       "no pay basis for 2029/30 (the pay year of 2030-01-01): add one with "
                       f"'establishment register basis {seed_register} --employer EMPLOYER "
                       "--pay-year 2029/30', or give --employer and --pay-year here\n")
        code, out, _ = run(capsys, "cost", f"{seed_register}@2030-01-01", "--employer",
                           "nottinghamshire", "--pay-year", "2018/19", "--format", "csv")
        assert code == 0 and out.splitlines()[-1].startswith("Total,2,")

    @pytest.mark.parametrize("basis,option,said", [
        ('employer = "nowhere"', (), "[basis] employer: unknown employer 'nowhere'"),
        ('employer = "nottinghamshire"\nrule = "nope"', (),
         "[rule] unknown on-cost rule 'nope'"),
        ('employer = "nottinghamshire"', ("--employer", "nowhere"),
         "[basis] --employer: unknown employer 'nowhere'"),
    ])
    def test_an_unknown_employer_or_rule_says_where_it_was_given(self, capsys, tmp_path,
                                                                 basis, option, said):
        path = tmp_path / "b.toml"
        path.write_text(f'[basis]\n{basis}\npay_year = 2018\n\n[[post]]\ntitle = "A"\n'
                        'fte = 1\ngrade = "Grade 5"\nscp = 28\n', encoding="utf-8")
        code, _, err = run(capsys, "cost", str(path), *option)
        assert code == 2
        one_located_line(err, f"{path}: {said}")

    def test_an_unknown_rule_in_a_projection_is_located(self, capsys, tmp_path):
        path = tmp_path / "b.toml"
        path.write_text('[basis]\nemployer = "nottinghamshire"\nrule = "nope"\n\n[[post]]\n'
                        'title = "A"\nfte = 1\ngrade = "Grade 5"\nscp = 28\n', encoding="utf-8")
        code, _, err = run(capsys, "project", str(path), "--from", "2018-04", "--months", "2")
        assert code == 2
        one_located_line(err, f"{path}: [rule] unknown on-cost rule 'nope'")

    def test_a_damaged_workbook_is_said_in_words(self, capsys, tmp_path):
        path = tmp_path / "cut.xlsx"
        path.write_bytes(b"PK\x03\x04" + bytes(100))
        code, _, err = run(capsys, "cost", str(path))
        assert code == 2
        assert err == (f"establishment: {path}: is not a readable XLSX workbook (it is not a "
                       "zip archive, or a damaged one; open it in Excel and save it again)\n")

    def test_a_damaged_register_snapshot_names_the_register(self, capsys, tmp_path,
                                                            seed_register):
        import shutil
        import sqlite3

        path = tmp_path / "damaged.db"
        shutil.copyfile(seed_register, path)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE snapshot SET state = x'00ff'")
        code, _, err = run(capsys, "register", "cost", str(path), "--from", "2018-10-01",
                           "--to", "2019-03-31")
        assert code == 2
        assert err.startswith(f"establishment: error: {path}: damaged: snapshot 0 cannot be "
                              "read (")


class TestWriteStructureParquet:
    def test_a_structure_with_funding_writes_and_reads_back_exactly(self, tmp_path):
        """``to_frame().to_parquet()`` cannot hold funding shares; the writer can."""
        from establishment.io.parquet_file import write_structure_parquet

        structure = Structure("s", [*_frame_structure().posts,
                                    Post("E", 1, "Grade 5", 28, team="T",
                                         funding={"Grant": "62.5", "Core": "37.5"})],
                              _frame_structure().payments)
        path = tmp_path / "s.parquet"
        write_structure_parquet(structure, path)
        back = read_structure(path).structure
        assert back.posts == structure.posts and back.payments == structure.payments
        assert back.posts[-1].funding[0].percent == Decimal("62.5")
        assert [p.name for p in tmp_path.iterdir()] == ["s.parquet"]  # nothing half-written

    def test_no_funding_at_all_reads_back(self, tmp_path):
        from establishment.io.parquet_file import write_structure_parquet

        structure = Structure("s", [Post("A", 1, "Grade 5", 28, team="T")])
        write_structure_parquet(structure, tmp_path / "n.parquet")
        assert read_structure(tmp_path / "n.parquet").structure.posts == structure.posts
