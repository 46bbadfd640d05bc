"""The long-table policy on a terminal (establishment.tables.terminal.shown_lines): more lines than
the terminal's height less 10 shows the first 20 lines, the totals and "N more: --all"; a file
or a pipe gets every line; --all asks for every line on a terminal."""

from __future__ import annotations

import io
import re
import sys

import pytest

from establishment.cli.main import main
from establishment.tables.terminal import MARGIN, SHOWN, shown_lines


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def cost(monkeypatch, tmp_path, rows: int, stream: io.StringIO, *extra: str) -> str:
    path = tmp_path / "posts.csv"
    path.write_text("title,fte,grade,scp\n" + "".join(
        f"Officer {i:03d},1,Hay Band A,34\n" for i in range(rows)))
    monkeypatch.setenv("LINES", "40")
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(sys, "stdout", stream)
    assert main(["cost", str(path), "--employer", "nottinghamshire", "--pay-year", "2018",
                 "--rule", "council-2018",
                 *extra]) == 0
    return stream.getvalue()


def test_a_long_table_on_a_terminal_shows_its_head_its_totals_and_how_many_more(
        monkeypatch, tmp_path):
    out = cost(monkeypatch, tmp_path, 50, Terminal())
    assert "Officer 019" in out and "Officer 020" not in out
    assert re.search(r"^Total +50 .*£2,035,100$", out, re.M)  # the totals of all 50 lines
    assert "30 more: --all" in out


def test_all_shows_every_line_on_a_terminal(monkeypatch, tmp_path):
    out = cost(monkeypatch, tmp_path, 50, Terminal(), "--all")
    assert "Officer 049" in out and "more: --all" not in out


def test_a_pipe_gets_every_line(monkeypatch, tmp_path):
    out = cost(monkeypatch, tmp_path, 50, io.StringIO())
    assert "Officer 049" in out and "more: --all" not in out


def test_a_table_that_fits_is_shown_whole(monkeypatch, tmp_path):
    out = cost(monkeypatch, tmp_path, 40 - MARGIN - 3, Terminal())
    assert "Officer 026" in out and "more: --all" not in out


@pytest.mark.parametrize(("lines", "height", "shown"), [(30, 40, None), (31, 40, SHOWN),
                                                         (1000, 24, SHOWN)])
def test_shown_lines(lines, height, shown):
    assert shown_lines(lines, Terminal(), {"LINES": str(height)}) == shown
    assert shown_lines(lines, io.StringIO(), {"LINES": str(height)}) is None
    assert shown_lines(lines, Terminal(), {"LINES": str(height)}, everything=True) is None
