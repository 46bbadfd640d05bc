"""The terminal policy: how plain output is shaped when a person reads it on a terminal.

One module for every rule that depends on "is this a terminal?", so commands agree:

- **Width** (:func:`output_width`): plain output written to a terminal fits its width, taken
  from ``COLUMNS`` when set, else from the terminal itself, else :data:`DEFAULT_WIDTH` (80).
  Output to a file or a pipe is never wrapped (``None``): a script reading it gets one line per
  row, and a file holds the whole figures.
- **Wrapping** (:func:`wrap_paragraph`, :func:`fit_widths`): basis lines and notes wrap at word
  boundaries; a table keeps every figure whole and wraps its long text cells (a post title, a
  header) inside their column, so no line is wider than the terminal.

- **Length** (:func:`shown_lines`): a table with more lines than the terminal's height less
  :data:`MARGIN` shows its first :data:`SHOWN` lines, its totals and ``N more: --all``; a file
  or a pipe gets every line (and ``--all`` asks for every line on a terminal too).

Other rules of the same kind belong here too, so they share :func:`is_terminal`.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

DEFAULT_WIDTH = 80
MIN_WIDTH = 20  # narrower than this nothing useful fits: wrap as if 20 wide
GAP = 2  # the spaces between two columns of a plain table


def is_terminal(stream: Any) -> bool:
    """True when ``stream`` is an interactive terminal (not a file, a pipe or a buffer)."""
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (ValueError, OSError):  # a closed stream
        return False


def terminal_width(environ: dict[str, str] | None = None) -> int:
    """The terminal's width: ``COLUMNS`` when it is a positive number, else the size the
    terminal reports, else :data:`DEFAULT_WIDTH`."""
    env = os.environ if environ is None else environ
    text = env.get("COLUMNS", "").strip()
    if text.isdigit() and int(text) > 0:
        return max(int(text), MIN_WIDTH)
    size = shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return max(size or DEFAULT_WIDTH, MIN_WIDTH)


SHOWN = 20  # lines of a long table shown on a terminal
MARGIN = 10  # a table may take the terminal's height less this before it is shortened


def terminal_height(environ: dict[str, str] | None = None) -> int:
    """The terminal's height: ``LINES`` when it is a positive number, else the size the
    terminal reports, else 24."""
    env = os.environ if environ is None else environ
    text = env.get("LINES", "").strip()
    if text.isdigit() and int(text) > 0:
        return int(text)
    return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).lines or 24


def shown_lines(lines: int, stream: Any, environ: dict[str, str] | None = None, *,
                everything: bool = False) -> int | None:
    """How many of a table's ``lines`` (its rows) to show on ``stream``: every one (None) to a
    file or a pipe, when asked (``--all``) or when the table fits the terminal's height less
    :data:`MARGIN`; else :data:`SHOWN`."""
    if everything or not is_terminal(stream):
        return None
    return SHOWN if lines > terminal_height(environ) - MARGIN else None


def output_width(stream: Any, environ: dict[str, str] | None = None) -> int | None:
    """The width plain output to ``stream`` must fit, or ``None`` (a file or a pipe: do not
    wrap)."""
    return terminal_width(environ) if is_terminal(stream) else None


def wrap_paragraph(text: str, width: int | None, indent: str = "") -> str:
    """``text`` wrapped at word boundaries to ``width`` (unchanged when ``width`` is None).
    Line breaks already in the text are kept; a word longer than the width is broken."""
    if width is None:
        return text
    lines = []
    for line in text.split("\n"):
        lines.extend(textwrap.wrap(line, width=max(width, MIN_WIDTH), subsequent_indent=indent,
                                   break_on_hyphens=False) or [""])
    return "\n".join(lines)


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=0)


def _natural(cells: Sequence[str]) -> int:
    return max((len(line) for cell in cells for line in cell.split("\n")), default=0)


def fit_widths(columns: Sequence[Sequence[str]], wrappable: Sequence[bool], width: int,
               gap: int = GAP) -> list[int] | None:
    """Widths for the columns of a table so that it fits ``width`` (``None`` when it already
    fits as it is). ``columns`` holds each column's cells, header first; a column that is not
    ``wrappable`` (figures) keeps its natural width, its header may wrap at spaces. Text columns
    get at least their longest word (or a share of what is left when even that is too wide),
    then the rest of the width in proportion to what they lack."""
    natural = [_natural(cells) for cells in columns]
    room = width - gap * (len(columns) - 1)
    if sum(natural) <= room:
        return None
    least = []
    for cells, can_wrap, full in zip(columns, wrappable, natural):
        if can_wrap:
            least.append(min(full, max(_longest_word(c) for c in cells)))
        else:  # a figure is never broken; only its header's words may go on several lines
            least.append(max(_natural(cells[1:]), _longest_word(cells[0]) if cells else 0))
    return _share(natural, least, wrappable, room)


def fit_layout(columns: Sequence[Sequence[str]], wrappable: Sequence[bool], width: int
               ) -> tuple[list[int] | None, int]:
    """Widths (as :func:`fit_widths`) and the gap between columns: two spaces, or one when
    only that keeps every word of the text columns whole (a word is broken only when even one
    space is too wide)."""
    widths = fit_widths(columns, wrappable, width, GAP)
    if widths is None or _words_whole(columns, wrappable, widths):
        return widths, GAP
    return fit_widths(columns, wrappable, width, 1), 1


def least_widths(columns: Sequence[Sequence[str]], wrappable: Sequence[bool]) -> list[int]:
    """Each column's narrowest width that keeps its words whole: a text column its longest
    word, a figure column its widest figure (or its header's longest word)."""
    return [max((_longest_word(c) for c in cells), default=0) if ok
            else max(_natural(cells[1:]), _longest_word(cells[0]) if cells else 0)
            for cells, ok in zip(columns, wrappable)]


def column_groups(columns: Sequence[Sequence[str]], wrappable: Sequence[bool], width: int
                  ) -> list[list[int]]:
    """The columns in groups that each fit ``width`` with every word whole, the first column
    (what a row is) repeated in each: one group when the table fits as it is. A table wider
    than the terminal whatever its text columns do (many figure columns) is printed in
    parts, as a printed wide table continues on the next page, never with a word cut."""
    least = least_widths(columns, wrappable)
    if sum(least) + (len(least) - 1) <= width or len(least) < 3:
        return [list(range(len(least)))]
    groups: list[list[int]] = []
    current = [0]
    for index in range(1, len(least)):
        used = sum(least[i] for i in current) + GAP * len(current)
        if len(current) > 1 and used + least[index] > width:
            groups.append(current)
            current = [0]
        current.append(index)
    groups.append(current)
    return groups


def _words_whole(columns: Sequence[Sequence[str]], wrappable: Sequence[bool],
                 widths: Sequence[int]) -> bool:
    return all(not ok or max((_longest_word(c) for c in cells), default=0) <= w
               for cells, ok, w in zip(columns, wrappable, widths))


def _share(natural: list[int], least: list[int], wrappable: Sequence[bool], room: int
           ) -> list[int]:
    """Give each column its least width, then share what is left in proportion to what each
    lacks of its natural width; when even the least widths are too wide, squeeze the text
    columns (their long words break)."""
    widths = list(least)
    spare = room - sum(widths)
    if spare < 0:
        text = [i for i, ok in enumerate(wrappable) if ok]
        for i in sorted(text, key=lambda i: -widths[i]):
            cut = min(-spare, widths[i] - 6)
            if cut > 0:
                widths[i] -= cut
                spare += cut
        return widths
    lacking = [n - w for n, w in zip(natural, widths)]
    total = sum(lacking)
    if total:
        extra = [spare * lack // total for lack in lacking]
        widths = [w + e for w, e in zip(widths, extra)]
    return widths


def wrap_cell(text: str, width: int) -> str:
    """A cell's text wrapped to ``width`` (lines joined by ``\\n``); short text is unchanged."""
    if all(len(line) <= width for line in text.split("\n")):
        return text
    return "\n".join(textwrap.fill(line, width=max(width, 1), break_on_hyphens=False)
                     for line in text.split("\n"))
