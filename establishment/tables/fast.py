"""Large tables written directly: the committee table of a costing as CSV or plain text,
built from the costing's columns without a Python pass over its cells.

The ordinary path (:func:`establishment.tables.committee.committee_table`, then a renderer)
makes a Python row per line and formats every cell; at a million lines that is most of the time
a user waits. Here every cell is formatted once per *distinct* value of its column (an export
has few distinct titles, bands, fte and costs; references are not shown) by the renderers' own
cell rules, spread to the rows by index, and the lines are joined by pyarrow's compute kernels
(without pyarrow: once per distinct line, then spread). The output is byte for byte what the
ordinary path writes (``tests/test_fast_output.py`` compares them); the command line uses it
for tables of :data:`LARGE` lines or more written to a file or a pipe.

The text comes back as a list of byte chunks (:class:`Written`), written one after another:
a million lines are never copied into one Python string.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from establishment.cells import neutralise
from establishment.engine.unpriced import unpriced_note
from establishment.model.frame import FTE_SCALE, NONE
from establishment.model.style import PLAIN, Style, format_day
from establishment.tables.committee import not_in_force_note, pay_band, period_label
from establishment.tables.markers import Mark, describe, labels
from establishment.tables.terminal import GAP
from pay_scales.dates import pay_year_label
from pay_scales.rounding import round_pounds

if TYPE_CHECKING:
    from establishment.engine.costing import Costing

LARGE = 2_000  # lines: below this the ordinary table is as quick and richer in formats
FAST_FORMATS = ("csv", "plain", "parquet")


def _csv_line(cells: Sequence[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(cells)  # as render_csv: quoting follows it
    return out.getvalue()[:-1]


class Coded:
    """A column of cells as ``codes`` into a ``table`` of distinct cell texts."""

    def __init__(self, codes: np.ndarray, table: list[str]) -> None:
        self.codes, self.table = codes, table


def per_value(values: np.ndarray, show: Callable[[Any], str]) -> Coded:
    """``show`` of every value, run once per distinct value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return Coded(codes, [show(None if _missing(v) else v) for v in uniques])


def combined(first: Coded, second: Coded, show: Callable[[str, str], str]) -> Coded:
    """One column from two: ``show`` of each distinct pair of cells."""
    key = first.codes.astype(np.int64) * (len(second.table) + 1) + second.codes
    codes, pairs = pd.factorize(key)
    width = len(second.table) + 1
    return Coded(codes, [show(first.table[k // width], second.table[k % width])
                         for k in pairs.tolist()])


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _fte_text(value: Any) -> str:
    return "" if value is None or value == NONE else \
        f"{(Decimal(int(value)) / FTE_SCALE).normalize():f}"


def _text(value: Any) -> str:
    """A text cell as the csv module writes it (neutralised, quoted when it must be)."""
    return "" if value is None or value == "" else _csv_line([neutralise(str(value))])


def _money(value: Any) -> str:
    return "" if value is None or value == NONE else str(int(value))


class Lines:
    """The columns of a costing's lines the committee table reads (arrays, not copied)."""

    def __init__(self, costing: Costing) -> None:
        self.costing = costing
        self.rows = len(costing)
        self.payment = self.column("kind") == "payment"
        self.in_force = self.column("in_force").astype(bool) if self.has("in_force") \
            else np.ones(self.rows, dtype=bool)
        self.codes = np.asarray(costing.units.codes, dtype=np.int64)
        self.units = costing.units.for_year(costing.basis.pay_year)

    def column(self, name: str) -> np.ndarray:
        return self.costing.column(name)

    def has(self, name: str) -> bool:
        try:
            self.costing.column(name)
        except KeyError:
            return False
        return True


def _bands(lines: Lines, show: Callable[[str], str]) -> Coded:
    """Each line's pay band from its unit cost (one per distinct unit and grade), or a
    payment's basis."""
    grade_codes, grades = pd.factorize(lines.column("grade"))
    payment = lines.payment
    total = payment & (lines.column("per") == "total")
    key = np.where(payment, -1 - total.astype(np.int64),
                   lines.codes * (len(grades) + 1) + grade_codes)
    band_codes, keys = pd.factorize(key)
    table = []
    for value in keys.tolist():
        if value < 0:
            table.append("lump sum" if value == -2 else "per year")
        else:
            unit = lines.units[value // (len(grades) + 1)]
            table.append(show(pay_band(unit.grade or grades[value % (len(grades) + 1)],
                                       unit.scp)))
    return Coded(band_codes, table)


UNPRICED_MARKS = {"not disclosed": "undisclosed", "none": "no-pay"}


def line_marks(lines: Lines) -> tuple[np.ndarray, list[tuple[Mark, ...]]]:
    """Each line's markers, as ``committee.line_marks`` gives them: codes into the distinct
    marker tuples, in order of first appearance (vacant, temporary until, not in force,
    unpriced, inferred, assumed)."""
    post = ~lines.payment
    vacant = post & (lines.column("status") == "vacant")
    ends = lines.column("end").astype("datetime64[D]")
    temporary = post & ~np.isnat(ends)
    days = np.where(temporary, ends.astype(np.int64), 0)
    inferred_unit = np.array([u.inferred for u in lines.units], dtype=bool)
    inferred = post & (inferred_unit[lines.codes] if len(lines.codes) else post)
    unpriced = np.zeros(lines.rows, dtype=np.int64)
    if lines.has("unpriced"):
        states = lines.column("unpriced")
        for number, state in enumerate(UNPRICED_MARKS, start=1):
            unpriced[states == state] = number
    assumed_unit = np.array([u.assumed for u in lines.units], dtype=bool)
    assumed = post & (assumed_unit[lines.codes] if len(lines.codes) else post)
    flags = (vacant * 1 + temporary * 2 + (~lines.in_force) * 4 + inferred * 8 + unpriced * 16
             + assumed * 64)
    key_codes, keys = pd.factorize(days * 128 + flags)
    year = pay_year_label(lines.costing.basis.pay_year)
    found = []
    for key in keys.tolist():
        day, flag = divmod(key, 128)
        marks = [Mark("vacant")] if flag & 1 else []
        if flag & 2:
            marks.append(Mark("temporary", format_day(
                np.datetime64(int(day), "D").astype(object))))
        if flag & 4:
            marks.append(Mark("not-in-force", year))
        if flag & 48:
            marks.append(Mark(list(UNPRICED_MARKS.values())[(flag & 48) // 16 - 1]))
        if flag & 8:
            marks.append(Mark("inferred"))
        if flag & 64:
            marks.append(Mark("assumed"))
        found.append(tuple(marks))
    return key_codes, found


class Figures:
    """How a format shows the committee table's figures: ``fte``, ``money`` (a Decimal or
    None) and text cells."""

    def __init__(self, fte: Callable[[Any], str], money: Callable[[Any], str],
                 text: Callable[[Any], str]) -> None:
        self.fte, self.money, self.text = fte, money, text


def csv_figures() -> Figures:
    return Figures(_fte_text, lambda v: "" if v is None else str(round_pounds(v)), _text)


def plain_figures(style: Style) -> Figures:
    from establishment.tables.render import format_cell

    return Figures(_fte_text, lambda v: format_cell(v, "money", style),
                   lambda v: format_cell(v, "text", style))


def figure_cells(lines: Lines, figures: Figures) -> list[Coded]:
    """fte, pay band, cost per fte, cost per annum (and of the period) of every line."""
    fte = np.where(lines.payment | ~lines.in_force, NONE, lines.column("fte_e4"))
    cost = Coded(np.where(lines.payment, len(lines.units), lines.codes),
                 [figures.money(u.cost) for u in lines.units] + [""])

    def pounds(value: Any) -> str:
        return figures.money(None if value is None or value == NONE else Decimal(int(value)))

    cells = [per_value(fte, figures.fte), _bands(lines, figures.text), cost,
             per_value(lines.column("full_year"), pounds)]
    if lines.costing.period is not None:
        cells.append(per_value(lines.column("period"), pounds))
    return cells


def committee_cells(costing: Costing, lines: Lines | None = None) -> list[Coded]:
    """The committee table's cells as CSV fields, by column (the Marks column last when any
    line is marked)."""
    lines = lines or Lines(costing)
    cells = [per_value(lines.column("title"), _text), *figure_cells(lines, csv_figures())]
    if lines.rows:
        codes, marks = line_marks(lines)
        texts = [_text(describe(m)) for m in marks]
        if any(texts):
            cells.append(Coded(codes, texts))
    return cells


def headers(costing: Costing) -> list[str]:
    year = pay_year_label(costing.basis.pay_year)
    found = ["Post details", "fte", "Pay band", "Cost per fte (full year)",
             f"Cost per annum ({year})"]
    if costing.period is not None:
        found.append(period_label(costing))
    return found


# --- joining the lines ------------------------------------------------------------------------

def _arrow_body(cells: list[Coded], separator: str, trim: bool) -> Any:
    """Every line's text and ``\n`` as one pyarrow buffer (None without pyarrow)."""
    try:
        import pyarrow as pa
        import pyarrow.compute as pc
    except ImportError:
        return None
    text = pa.large_string()
    # trailing spaces can only come from the last column (the others are followed by it)
    trim = trim and any(t[-1:].isspace() for t in cells[-1].table)
    if not trim:  # each line ends with its last cell: give that cell the line end
        cells = [*cells[:-1], Coded(cells[-1].codes, [t + "\n" for t in cells[-1].table])]
    columns = [pc.take(pa.array(c.table, text), pa.array(c.codes, pa.int32())) for c in cells]
    joined = pc.binary_join_element_wise(*columns, pa.scalar(separator, text))
    del columns
    if trim:
        joined = pc.utf8_rtrim(joined, characters=" ")
        joined = pc.binary_join_element_wise(joined, pa.scalar("", text), pa.scalar("\n", text))
    offsets = np.frombuffer(joined.buffers()[1], dtype=np.int64)
    first, last = int(offsets[joined.offset]), int(offsets[joined.offset + len(joined)])
    return joined.buffers()[2][first:last]


def body_lines(cells: list[Coded], rows: int, separator: str = ",", trim: bool = False
               ) -> list[str]:
    """Every line's text without pyarrow: each distinct combination of cells joined once,
    then spread."""
    key = np.zeros(rows, dtype=np.int64)
    for column in cells:
        key = pd.factorize(key * (len(column.table) + 1) + column.codes)[0].astype(np.int64)
    distinct = int(key.max()) + 1 if rows else 0
    first = np.zeros(distinct, dtype=np.int64)
    first[key[::-1]] = np.arange(rows - 1, -1, -1)
    table = np.empty(distinct, dtype=object)
    texts = [separator.join(c.table[c.codes[i]] for c in cells) for i in first.tolist()]
    table[:] = [t.rstrip(" ") for t in texts] if trim else texts
    return table[key].tolist()


def body(cells: list[Coded], rows: int, separator: str = ",", trim: bool = False) -> Any:
    """Every line's text, each ending with ``\\n``, as one bytes-like object."""
    if not rows:
        return b""
    found = _arrow_body(cells, separator, trim)
    if found is not None:
        return found
    return ("\n".join(body_lines(cells, rows, separator, trim)) + "\n").encode("utf-8")


class Written:
    """Output as byte chunks (bytes, or buffers such as pyarrow's), written in order."""

    def __init__(self, chunks: Sequence[Any]) -> None:
        self.chunks = list(chunks)

    def __bytes__(self) -> bytes:
        return b"".join(bytes(memoryview(c)) for c in self.chunks)

    def text(self) -> str:
        return bytes(self).decode("utf-8")


# --- CSV ----------------------------------------------------------------------------------

def committee_csv_chunks(costing: Costing) -> Written:
    """The committee table of ``costing`` as CSV (header, lines, total; no title or notes;
    ending with a newline), exactly as ``render(committee_table(costing), "csv")`` writes it."""
    header = headers(costing)
    lines = Lines(costing)
    cells = committee_cells(costing, lines)
    if len(cells) > len(header):
        header.append("Marks")
    total = ["Total", _fte_text(int(costing.fte * FTE_SCALE)), "", "",
             str(int(costing.full_year))]
    if costing.period is not None:
        total.append(str(int(costing.period_total)))
    total += [""] * (len(header) - len(total))
    head = _csv_line([neutralise(h) for h in header]) + "\n"
    return Written([head.encode("utf-8"), body(cells, lines.rows),
                    (_csv_line(total) + "\n").encode("utf-8")])


def committee_csv(costing: Costing) -> str:
    """:func:`committee_csv_chunks` as text, without the final newline (as ``render``)."""
    return committee_csv_chunks(costing).text()[:-1]


# --- plain text -----------------------------------------------------------------------------

def _notes(lines: Lines, legend: list[str]) -> list[str]:
    """The committee table's notes (``committee_table``'s) and the markers' legend."""
    costing = lines.costing
    notes = [f"Basis: {costing.basis.describe()}"]
    columns = {name: costing.column(name) for name in ("unpriced", "fte_e4")
               if lines.has(name)}
    unpriced = unpriced_note(pd.DataFrame(columns, copy=False))
    if unpriced:
        notes.append(unpriced)
    if costing.not_in_force:
        notes.append(not_in_force_note(costing))
    return notes + legend


def _plain_cells(lines: Lines, style: Style) -> tuple[list[Coded], list[str]] | None:
    """The plain table's cells by column (the title marked with its labels) and the legend;
    None when a cell could not be shown on one line as the ordinary renderer shows it."""
    figures = plain_figures(style)
    title = per_value(lines.column("title"), figures.text)
    codes, marks = line_marks(lines)
    row_labels, legend = labels(marks)
    labelled = combined(title, Coded(codes, row_labels),
                        lambda text, label: f"{text} [{label}]" if label else text)
    cells = [labelled, *figure_cells(lines, figures)]
    for column in cells:
        for text in column.table:
            # a cell of several lines, or ending with whitespace trimming would not see
            if "\n" in text or (text and text[-1].isspace() and text[-1] != " "):
                return None
    return cells, legend


def _pad(cell: Coded, width: int, right: bool) -> Coded:
    return Coded(cell.codes, [t.rjust(width) if right else t.ljust(width) for t in cell.table])


def committee_plain_chunks(costing: Costing, title: str = "", style: Style = PLAIN
                           ) -> Written | None:
    """The committee table of ``costing`` as plain text (``render(committee_table(costing,
    title), "plain", style)`` and a newline), or None when the ordinary renderer must write it
    (a cell of several lines, a width to wrap to)."""
    if style.width is not None:
        return None
    lines = Lines(costing)
    found = _plain_cells(lines, style)
    if found is None:
        return None
    cells, legend = found
    names = headers(costing)
    figures = plain_figures(style)
    total = ["Total", _fte_text(int(costing.fte * FTE_SCALE)), "", "",
             figures.money(costing.full_year)]
    if costing.period is not None:
        total.append(figures.money(costing.period_total))
    widths = [max([len(h), len(t), *(len(x) for x in c.table)])
              for h, t, c in zip(names, total, cells)]
    right = [False, True, False, True, True, True]
    gap = " " * GAP

    def line(texts: list[str]) -> str:
        return gap.join(t.rjust(w) if r else t.ljust(w)
                        for t, w, r in zip(texts, widths, right)).rstrip()

    head = ([title, ""] if title else []) + [line(names), gap.join("-" * w for w in widths)]
    padded = [_pad(c, w, r) for c, w, r in zip(cells, widths, right)]
    notes = _notes(lines, legend)
    tail = [line(total)] + ([""] + notes if notes else [])
    return Written([("\n".join(head) + "\n").encode("utf-8"),
                    body(padded, len(costing), gap, trim=True),
                    ("\n".join(tail) + "\n").encode("utf-8")])


def committee_chunks(costing: Costing, fmt: str, title: str = "", style: Style = PLAIN
                     ) -> Written | None:
    """The committee table in ``fmt`` (one of :data:`FAST_FORMATS`) written directly, or None
    when the ordinary table must write it (a small table, another format, figures to the
    penny, a cell the fast writer cannot show exactly)."""
    if len(costing) < LARGE or fmt not in FAST_FORMATS \
            or getattr(costing, "pence_per_unit", 100) != 100:
        return None
    if fmt == "csv":
        return committee_csv_chunks(costing)
    if fmt == "parquet":
        return committee_parquet(costing, title)
    return committee_plain_chunks(costing, title, style)


# --- Parquet --------------------------------------------------------------------------------

def _arrow_column(cells: Coded, values: list[Any], total: Any, arrow_type: Any) -> Any:
    """A column of the committee table: each distinct value (``values``, by ``cells``'
    codes) spread to the lines, then the total row's cell."""
    import pyarrow as pa
    import pyarrow.compute as pc

    body = pc.take(pa.array(values, arrow_type), pa.array(cells.codes, pa.int32()))
    return pa.concat_arrays([body, pa.array([total], arrow_type)])


def committee_parquet(costing: Costing, title: str = "") -> Written:
    """The committee table of ``costing`` as a Parquet file, the same table as
    ``establishment.tables.parquet.table_bytes(committee_table(costing, title))`` writes."""
    import pyarrow as pa

    from establishment.tables.parquet import arrow_bytes, metadata

    lines = Lines(costing)
    text = pa.string()
    none = Figures(lambda v: v, lambda v: v, lambda v: None if v in (None, "") else str(v))
    title_cells = per_value(lines.column("title"), none.text)
    fte = np.where(lines.payment | ~lines.in_force, NONE, lines.column("fte_e4"))
    fte_cells = per_value(fte, lambda v: None if v is None or v == NONE
                          else Decimal(int(v)) / FTE_SCALE)
    fte_total = costing.fte
    scale = max([0, *(-d.as_tuple().exponent for d in [*fte_cells.table, fte_total]
                      if d is not None)])
    quantum = Decimal(1).scaleb(-scale)
    fte_values = [None if d is None else d.quantize(quantum) for d in fte_cells.table]
    cost = Coded(np.where(lines.payment, len(lines.units), lines.codes),
                 [int(round_pounds(u.cost)) for u in lines.units] + [None])
    bands = _bands(lines, none.text)
    columns = [_arrow_column(title_cells, title_cells.table, "Total", text),
               _arrow_column(fte_cells, fte_values, fte_total.quantize(quantum),
                             pa.decimal128(38, scale)),
               _arrow_column(bands, bands.table, None, text),
               _arrow_column(cost, cost.table, None, pa.int64()),
               pa.array(np.append(lines.column("full_year"), int(costing.full_year)))]
    names = headers(costing)
    if costing.period is not None:
        columns.append(pa.array(np.append(lines.column("period"), int(costing.period_total))))
    codes, marks = line_marks(lines)
    words = [describe(m) or None for m in marks]
    if any(words):
        names.append("Marks")
        columns.append(_arrow_column(Coded(codes, words), words, None, text))
    notes = _notes(lines, [])
    table = pa.table(columns, names=names, metadata=metadata(title, notes))
    return Written([arrow_bytes(table)])
