"""Column-wise loading: an export's columns read straight into the engine's frame.

The object path (:func:`establishment.io.tabular.rows_to_structure`) turns each row into a
:class:`~establishment.model.post.Post`, validating it as it is made: exact, but a million rows
take a
minute. This path gives the same structure and the same problems (same messages, same lines)
with the same rules, applied a column at a time:

1. Each mapped column is converted once per *distinct* cell value by the object path's own
   cell rule (:func:`~establishment.io.tabular.convert_cell`), and each distinct value is
   checked by the :class:`Post` record itself (a post made with that value and sound
   defaults); an HR export has few distinct grades, points, dates, fte and funding texts.
   Text columns (titles, references) are only stripped, as the cell rule does.
2. The rules that join fields are checked on whole columns: a title and an fte, a grade (or a
   cost or salary), an end on or after the start, salary_min <= salary_max, unique references,
   no cells beyond the header, and the pay-data check (once per distinct grade, point and
   explicit cost).
3. A row is *sound* when every check passes; sound rows go into the frame as they are. Every
   other row (a payment, a bad cell, a rule broken, a field this path does not know) is given
   to the object path's row rule (:func:`~establishment.io.tabular.row_record`), in line
   order, which reports its problems or makes its record exactly as before.

So the two paths cannot disagree about a row the column path is unsure of; the tests compare
them on the broken-file corpus and on generated files (``tests/test_columnar.py``).

**Feeding it** (a reader of another format, e.g. the XLSX reader): call
:func:`columns_to_structure` with the header row's cells, one sequence per sheet column
(all the same length, one item per row after the header; a column past the header is
allowed and its non-empty cells are reported as extra cells), each row's line or sheet row
number, and the same options as :func:`~establishment.io.tabular.rows_to_structure`. Cells
may be ``str``, ``None``, numbers, dates/datetimes or
:class:`~establishment.io.tabular.Uncomputed`, as the object path accepts; a pyarrow array is
taken as it is (dictionary-encoded by pyarrow). See ``docs/performance.md``.

String dtype: this path does not use pandas' string dtype. Text columns are pyarrow string
arrays, their distinct cells Python ``str``; the frame the engine gets holds text as ``object``
columns of Python ``str`` (``None`` for an absent reference), as
:func:`establishment.model.frame.lines_frame` does, whatever pandas' default string storage is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import zip_longest
from typing import Any

import attrs
import numpy as np
import pandas as pd

from establishment.errors import Location, Problem, ValidationError
from establishment.io.columns import ColumnMap, guess_note, map_columns, pay_conflict
from establishment.io.tabular import (
    BadCell,
    Checker,
    CountedLoadError,
    LoadCounts,
    Loaded,
    convert_cell,
    row_record,
    rows_to_structure,
)
from establishment.model.frame import (
    NONE,
    POST_COLUMNS,
    common_denominator,
    fte_e4,
    lines_frame,
    pence,
)
from establishment.model.post import MONEY_KEYS, PAY_FIELDS, Payment, Post
from establishment.model.structure import Structure

TEXT_FIELDS = ("reference", "title", "grade", "team", "reports_to", "notes")
VALUE_FIELDS = ("kind", "fte", "scp", "funding", "start", "end", "status", "cost_per_fte",
                "salary", "salary_min", "salary_max", "increment_date")
MONEY = MONEY_KEYS
DATES = ("start", "end", "increment_date")
PAY_KEY = PAY_FIELDS
SOUND = {"title": "t", "fte": Decimal(1), "grade": "g"}  # a post every rule accepts
DEFAULTS = {"funding": (), "status": "filled"}


class Encoded:
    """A column as its distinct cells (``uniques``) and each row's ``codes`` into them: every
    rule below runs once per distinct cell and is spread to the rows by ``codes``."""

    def __init__(self, codes: np.ndarray, uniques: list[Any], *, text: bool = False,
                 quoted: bool | None = None, edges: np.ndarray | None = None) -> None:
        self.codes = codes
        self.uniques = uniques
        self.text = text  # every distinct cell is a str or None
        self.quoted = quoted  # any begins with ' (None: not known)
        self.edges = edges  # per distinct cell: may begin or end with a space, or be empty

    def __len__(self) -> int:
        return len(self.codes)

    def per_cell(self, test: Callable[[Any], bool]) -> np.ndarray:
        """``test`` of every cell (run once per distinct cell)."""
        table = np.array([bool(test(v)) for v in self.uniques], dtype=bool)
        return table[self.codes] if len(self.codes) else np.zeros(0, dtype=bool)

    def mapped(self, convert: Callable[[Any], Any]) -> Encoded:
        """The column with every distinct cell replaced by ``convert`` of it."""
        return Encoded(self.codes, [convert(v) for v in self.uniques])

    def cells(self, rows: np.ndarray) -> list[Any]:
        return [self.uniques[code] for code in self.codes[rows].tolist()]


def _arrow_encoded(array: Any) -> Encoded | None:
    """A pyarrow string column, dictionary-encoded (one dictionary across its chunks); a
    column read dictionary-encoded already (Parquet) keeps its dictionary."""
    import pyarrow as pa

    if isinstance(array, pa.Array):
        array = pa.chunked_array([array])
    if pa.types.is_dictionary(array.type):
        return _dictionary_encoded(array)
    encoded = array.dictionary_encode(null_encoding="encode")  # a null is a cell (None)
    if not encoded.num_chunks:
        return Encoded(np.zeros(0, dtype=np.intp), [])
    final = encoded.chunks[-1].dictionary
    # the memo grows across chunks, so a chunk whose dictionary is as long is the same one
    if any(len(chunk.dictionary) != len(final) for chunk in encoded.chunks):
        return None
    codes = np.concatenate([c.indices.to_numpy(zero_copy_only=False) for c in encoded.chunks])
    return _with_dictionary(codes, final)


def _dictionary_encoded(array: Any) -> Encoded | None:
    """A dictionary-typed column: its chunks' dictionaries unified into one (distinct
    values), a null a cell of its own (None, after the dictionary's values)."""
    import pyarrow as pa

    array = array.unify_dictionaries()
    if not array.num_chunks:
        return Encoded(np.zeros(0, dtype=np.intp), [])
    final = array.chunks[0].dictionary
    if final.null_count:
        return None
    missing = len(final)
    codes = np.concatenate([c.indices.fill_null(missing).to_numpy(zero_copy_only=False)
                            for c in array.chunks]).astype(np.intp)
    if array.null_count:
        final = pa.concat_arrays([final, pa.nulls(1, final.type)])
    return _with_dictionary(codes, final)


def _with_dictionary(codes: np.ndarray, final: Any) -> Encoded:
    """An :class:`Encoded` of ``codes`` into the pyarrow array ``final`` (distinct values)."""
    import pyarrow as pa

    if not pa.types.is_string(final.type) and not pa.types.is_large_string(final.type):
        return Encoded(codes, final.to_pylist())
    import pyarrow.compute as pc

    # what Python's str.strip could change: a first or last character that is not visible
    # ASCII (every whitespace character is one), or nothing at all; those few are stripped by
    # Python itself, the rest are already stripped (a null is no text: not an edge)
    edges = pc.fill_null(pc.match_substring_regex(final, r"^[^\x21-\x7e]|[^\x21-\x7e]$|^$"),
                         False)
    return Encoded(codes, final.to_pylist(), text=True,
                   quoted=bool(pc.any(pc.starts_with(final, "'")).as_py()),
                   edges=edges.to_numpy(zero_copy_only=False))


def encode(column: Any) -> Encoded:
    """Any column (an :class:`Encoded`, a pyarrow string array, a pandas Series, a list of
    cells) as an :class:`Encoded`; None and NaN are cells like any other."""
    if isinstance(column, Encoded):
        return column
    if type(column).__module__.startswith("pyarrow"):
        found = _arrow_encoded(column)
        if found is not None:
            return found
        column = column.to_pylist()
    if isinstance(column, pd.Series):
        column = column.to_numpy(dtype=object)
    found = _one_type_encoded(column)
    if found is not None:
        return found
    # keyed by type too: True, 1 and 1.0 are equal in Python but not the same cell here
    index: dict[tuple[type, Any], int] = {}
    codes = np.fromiter((index.setdefault((type(v), v), len(index)) for v in column),
                        dtype=np.intp, count=len(column))
    return Encoded(codes, [value for _, value in index])


ONE_TYPE = (str, float, int, dt.datetime, dt.date)


def _one_type_encoded(column: Sequence[Any]) -> Encoded | None:
    """A column whose cells are of one type (and None), hashed by pandas in one pass (a
    workbook's column: text, or numbers); None when types mix (True, 1 and 1.0 are equal in
    Python but not the same cell here) or a float is NaN."""
    types = set(map(type, column))
    types.discard(type(None))
    if not types:  # every cell empty
        return Encoded(np.zeros(len(column), dtype=np.intp), [None] if len(column) else [])
    if len(types) != 1 or next(iter(types)) not in ONE_TYPE:
        return None
    cells = np.empty(len(column), dtype=object)
    cells[:] = column
    empty = cells == None  # noqa: E711 - elementwise
    codes = np.full(len(cells), -1, dtype=np.intp)
    given, uniques = pd.factorize(cells[~empty], use_na_sentinel=True)
    if (given < 0).any():  # NaN: a cell of its own, as the general path keeps it
        return None
    codes[~empty] = given
    table = list(uniques)
    if empty.any():
        codes[empty] = len(table)
        table.append(None)
    return Encoded(codes, table)


def _restored(column: Encoded, text_cell: Callable[[str], str]) -> Encoded:
    """``text_cell`` (undoing export neutralising, which only touches text beginning with
    ``'``) applied to the text cells."""
    if text_cell is str or column.quoted is False:
        return column
    marked = [i for i, v in enumerate(column.uniques) if type(v) is str and v[:1] == "'"]
    if not marked:
        return column
    uniques = list(column.uniques)
    for index in marked:
        uniques[index] = text_cell(uniques[index])
    return Encoded(column.codes, uniques)


def is_empty(value: Any) -> bool:
    """A cell the object path counts as empty: None, or text of spaces only."""
    return value is None or (isinstance(value, str) and not value.strip())


def _objects(values: list[Any]) -> np.ndarray:
    table = np.empty(len(values), dtype=object)
    table[:] = values
    return table


class Field:
    """One mapped column, converted once per distinct cell: ``codes`` (a row's distinct cell)
    into ``table`` (the value a Post holds, None where absent), ``given`` (the cell gave a
    value) and ``refused`` (the cell rule or the Post record refused it)."""

    def __init__(self, codes: np.ndarray, table: np.ndarray, refused: np.ndarray, *,
                 distinct: bool = False) -> None:
        self.codes, self.table, self.refused = codes, table, refused
        self.given = table != None  # noqa: E711 - elementwise
        self.distinct = distinct  # the table's values (None aside) are known all different

    @property
    def values(self) -> np.ndarray:
        return self.table[self.codes]

    @property
    def present(self) -> np.ndarray:
        return self.given[self.codes]

    @property
    def bad(self) -> np.ndarray:
        return self.refused[self.codes]

    def mapped(self, convert: Callable[[Any], Any], dtype: Any) -> np.ndarray:
        """``convert`` of every distinct value, per row."""
        table = np.array([convert(v) for v in self.table.tolist()], dtype=dtype)
        return table[self.codes] if len(self.codes) else np.empty(0, dtype=dtype)


def _accepted(field: str, raw: Any, dayfirst: bool | None) -> tuple[Any, bool]:
    """One distinct cell: (the value a Post would hold, sound?) by the object path's rules."""
    try:
        value = convert_cell(field, raw, dayfirst)
    except BadCell:  # the cell rule's refusal
        return None, False
    if value is None or field in ("kind", *DATES):
        return value, field != "kind" or value in (None, "post")
    if field in TEXT_FIELDS:
        return value, True
    try:
        post = Post(**{**SOUND, field: value})
    except ValidationError:  # the record's refusal (its fields are validated: nothing else)
        return None, False
    return getattr(post, field), True


def convert_field(name: str, column: Encoded, dayfirst: bool | None) -> Field:
    """A column converted once per distinct cell (text stripped, values by the cell rule and
    the Post record)."""
    if name in TEXT_FIELDS and column.text and column.edges is not None:
        # the cell rule for text: stripped, None when empty (references: a million of them,
        # already stripped but for the few ``edges`` marks)
        table = _objects(column.uniques)
        changed = False  # a cell stripped to other text (not to None) may equal another
        for index in np.flatnonzero(column.edges).tolist():
            table[index] = stripped = table[index].strip() or None
            changed |= stripped is not None and stripped != column.uniques[index]
        return Field(column.codes, table, np.zeros(len(table), dtype=bool),
                     distinct=not changed)
    if name in TEXT_FIELDS and all(type(v) is str for v in column.uniques):
        table = _objects([v.strip() or None for v in column.uniques])
        return Field(column.codes, table, np.zeros(len(table), dtype=bool))
    answers = [_accepted(name, raw, dayfirst) for raw in column.uniques]
    table = _objects([value for value, _ in answers])
    sound = np.array([ok for _, ok in answers], dtype=bool)
    return Field(column.codes, table, ~sound)


def _missing(value: Any) -> bool:
    """None (pandas' factorize may give it back as NaN)."""
    return value is None or (isinstance(value, float) and value != value)


class Columns:
    """The converted fields of a table, by name (a field not in the file is all absent)."""

    def __init__(self, rows: int, fields: dict[str, Field]) -> None:
        self.rows = rows
        self.fields = fields
        self.cache: dict[str, np.ndarray] = {}

    def get(self, name: str) -> Field:
        found = self.fields.get(name)
        if found is None:
            found = Field(np.zeros(self.rows, dtype=np.intp), _objects([None]),
                          np.zeros(1, dtype=bool))
        return found

    def ints(self, name: str, convert: Callable[[Any], int]) -> np.ndarray:
        if name not in self.cache:
            self.cache[name] = self.get(name).mapped(
                lambda v: NONE if _missing(v) else convert(v), np.int64)
        return self.cache[name]

    def dates(self, name: str) -> np.ndarray:
        if name not in self.cache:
            self.cache[name] = self.get(name).mapped(
                lambda v: np.datetime64("NaT") if _missing(v) else np.datetime64(v, "D"),
                "datetime64[s]")
        return self.cache[name]


def _duplicated(field: Field) -> np.ndarray:
    """Rows whose (stripped) value another row also holds."""
    if field.distinct:  # one value per table entry: a value is repeated when its code is
        counts = np.bincount(field.codes, minlength=len(field.table))
        return ((counts > 1) & field.given)[field.codes]
    same, _ = pd.factorize(field.table, use_na_sentinel=True)  # distinct stripped values
    code = same[field.codes]
    counts = np.bincount(code[code >= 0], minlength=len(field.table))
    return (code >= 0) & (counts[np.maximum(code, 0)] > 1)


def _cross_field_sound(cols: Columns) -> np.ndarray:
    """The rules that join fields, on whole columns."""
    ok = cols.get("title").present & cols.get("fte").present
    ok &= cols.get("grade").present | cols.get("cost_per_fte").present \
        | cols.get("salary").present
    start, end = cols.dates("start"), cols.dates("end")
    ok &= ~(end < start)  # NaT compares False either way
    low, high = cols.ints("salary_min", pence), cols.ints("salary_max", pence)
    ok &= ~((low != NONE) & (high != NONE) & (low > high))
    ok &= ~_duplicated(cols.get("reference"))
    return ok


def _pay_sound(cols: Columns, rows: np.ndarray, checker: Checker) -> np.ndarray:
    """The pay-data check, once per distinct (grade, scp, explicit cost) key of ``rows``."""
    ok = np.ones(cols.rows, dtype=bool)
    chosen = np.flatnonzero(rows)
    if not len(chosen):
        return ok
    key = np.zeros(len(chosen), dtype=np.int64)
    for name in PAY_KEY:  # renumbered at each step, so the key never overflows
        field = cols.get(name)
        key = pd.factorize(key * (len(field.table) + 1) + field.codes[chosen])[0]
    distinct = int(key.max()) + 1
    firsts = np.zeros(distinct, dtype=np.int64)
    firsts[key[::-1]] = np.arange(len(key) - 1, -1, -1)  # each key's first row
    failed = np.zeros(distinct, dtype=bool)
    for number, first in enumerate(firsts.tolist()):
        row = chosen[first]
        values = {name: cols.get(name).table[cols.get(name).codes[row]] for name in PAY_KEY}
        failed[number] = checker({k: v for k, v in values.items() if v is not None}) is not None
    ok[chosen] = ~failed[key]
    return ok


def sound_rows(cols: Columns, unknown: np.ndarray, checker: Checker | None) -> np.ndarray:
    """Rows every rule accepts: they need no row-by-row pass."""
    ok = ~unknown
    for field in cols.fields.values():
        ok &= ~field.bad
    ok &= _cross_field_sound(cols)
    if checker is not None:
        ok &= _pay_sound(cols, ok, checker)
    return ok


def _with_default(field: Field, default: Any) -> np.ndarray:
    """The field's table with ``default`` where the cell gave no value."""
    if default is None:
        return field.table
    table = field.table.copy()
    for index in np.flatnonzero(~field.given).tolist():  # one by one: () is a value here
        table[index] = default
    return table


def _repeated(value: Any, count: int) -> np.ndarray:
    one = np.empty(1, dtype=object)
    one[0] = value  # a tuple too (funding)
    return one[np.zeros(count, dtype=np.intp)]


def _frame(cols: Columns, rows: np.ndarray) -> pd.DataFrame:
    """The engine frame (:mod:`establishment.model.frame` layout) of the sound ``rows``: text
    columns of ``object`` dtype (never pandas' inferred string dtype), arrays not copied."""
    count = int(rows.sum())
    take = None if count == cols.rows else np.flatnonzero(rows)

    def pick(values: np.ndarray) -> np.ndarray:
        return values if take is None else values[take]

    def objects(values: np.ndarray) -> pd.Series:
        return pd.Series(values, dtype=object, copy=False)

    def text(name: str, default: Any = None) -> pd.Series:
        field = cols.get(name)
        return objects(_with_default(field, default)[pick(field.codes)])

    data = {
        "kind": objects(_repeated("post", count)),
        "reference": text("reference"),
        "title": text("title"),
        "team": text("team", ""),
        "grade": text("grade", ""),
        "scp": pick(cols.ints("scp", int)),
        **{name: pick(values) for name, values in _fte_columns(cols).items()},
        "funding": text("funding", ()),
        "status": text("status", "filled"),
        "reports_to": text("reports_to"),
        "notes": text("notes", ""),
        "per": objects(_repeated("", count)),
    }
    for name in DATES:
        data[name] = pd.Series(pick(cols.dates(name)), dtype="datetime64[s]", copy=False)
    for name in MONEY:
        data[f"{name}_pence"] = pick(cols.ints(name, pence))
    # a column of the frame this path does not fill (a field no export column gives, such as
    # one added to Post later): a sound row left it unset, so it holds a plain post's default
    plain = lines_frame([Post(**SOUND)])
    for column in POST_COLUMNS:
        if column not in data:
            data[column] = pd.Series(_repeated(plain[column].iloc[0], count),
                                     dtype=plain[column].dtype, copy=False)
    return pd.DataFrame({column: data[column] for column in POST_COLUMNS}, copy=False)


def _fte_columns(cols: Columns) -> dict[str, np.ndarray]:
    """The exact fte of every row: numerators over the lcm of ten-thousandths and the
    distinct values' denominators, and the display ten-thousandths (rounded half up)."""
    field = cols.get("fte")
    common = common_denominator(v for v in field.table.tolist() if not _missing(v))
    return {"fte_num": field.mapped(lambda v: 0 if _missing(v) else int(v * common), np.int64),
            "fte_den": np.full(cols.rows, common, dtype=np.int64),
            "fte_e4": field.mapped(lambda v: 0 if _missing(v) else fte_e4(v), np.int64)}


class Rows:
    """The raw cells of the rows the object path's rule must read (only those are taken out
    of the columns)."""

    def __init__(self, columns: list[Encoded], indexes: np.ndarray) -> None:
        self.position = {int(i): n for n, i in enumerate(indexes.tolist())}
        self.columns = [c.cells(indexes) for c in columns]

    def cells(self, index: int) -> list[Any]:
        at = self.position[index]
        return [column[at] for column in self.columns]


def _convert_all(cmap: ColumnMap, columns: list[Encoded], rows: int, dayfirst: bool | None
                 ) -> tuple[Columns, np.ndarray]:
    """Every mapped column converted; ``unknown`` marks rows holding a field this path does
    not convert (a payment's amount, a field added later), which the row rule then reads."""
    fields: dict[str, Field] = {}
    unknown = np.zeros(rows, dtype=bool)
    for index, name in cmap.fields.items():
        if index >= len(columns):
            continue
        if name in TEXT_FIELDS or name in VALUE_FIELDS:
            fields[name] = convert_field(name, columns[index], dayfirst)
        else:
            unknown |= ~columns[index].per_cell(is_empty)
    return Columns(rows, fields), unknown


class Outcome:
    """What the rows made: records from the row rule, problems, counts."""

    def __init__(self) -> None:
        self.posts: list[tuple[int, Post]] = []
        self.payments: list[Payment] = []
        self.problems: list[Problem] = []
        self.error_rows = 0


def _row_by_row(cmap: ColumnMap, raw: Rows, indexes: np.ndarray, lines: np.ndarray,
                where: str, options: Mapping[str, Any]) -> Outcome:
    outcome = Outcome()
    problems = outcome.problems
    seen: dict[str, int] = {}
    for index in indexes.tolist():
        before = len(problems)
        line = int(lines[index])
        record = row_record(cmap, raw.cells(index), line, where, options["dayfirst"],
                            options["text_cell"], problems, options["checker"], seen)
        if len(problems) > before:
            outcome.error_rows += 1
        elif isinstance(record, Post):
            outcome.posts.append((line, record))
        elif isinstance(record, Payment):
            outcome.payments.append(record)
    return outcome


def structure_of(frame: pd.DataFrame, name: str, where: str = "",
                 lines: np.ndarray | None = None) -> Structure:
    """A frame-backed structure (Post objects made on request, each then given its source:
    ``where`` and its row's entry in ``lines``)."""
    return Structure.from_lines(frame, name, source=Location(where), lines=lines)


def _assemble(cols: Columns, sound: np.ndarray, lines: np.ndarray, outcome: Outcome
              ) -> tuple[pd.DataFrame, np.ndarray]:
    """Sound rows and the row rule's posts, in line order, then the payments; and the line
    of each row of that frame."""
    frame = _frame(cols, sound)
    post_lines = lines[sound]
    if outcome.posts:
        extra = lines_frame([post for _, post in outcome.posts])
        frame = pd.concat([frame, extra], ignore_index=True)
        post_lines = np.concatenate([post_lines, [line for line, _ in outcome.posts]])
        order = np.argsort(post_lines, kind="stable")
        frame, post_lines = frame.iloc[order].reset_index(drop=True), post_lines[order]
    row_lines = post_lines
    if outcome.payments:
        frame = pd.concat([frame, lines_frame([], outcome.payments)], ignore_index=True)
        paid = [p.source.line if p.source is not None else 0 for p in outcome.payments]
        row_lines = np.concatenate([post_lines, np.asarray(paid, dtype=np.int64)])
    return frame, row_lines


def _blank_rows(columns: list[Encoded], rows: int) -> np.ndarray:
    blank = np.ones(rows, dtype=bool)
    for column in columns:  # only rows still blank are looked at: one column usually settles it
        maybe = np.flatnonzero(blank)
        if not len(maybe):
            break
        empty = np.array([is_empty(v) for v in column.uniques], dtype=bool)
        blank[maybe] = empty[column.codes[maybe]]
    return blank


def columns_to_structure(header: list[Any], columns: Sequence[Any], lines: Sequence[int],
                         where: str, *, name: str = "",
                         columns_map: Mapping[str, str] | None = None,
                         dayfirst: bool | None = True, text_cell: Callable[[str], str] = str,
                         header_line: int = 1, checker: Checker | None = None,
                         progress: Callable[[int], None] | None = None,
                         blank_rows: int = 0) -> Loaded:
    """:func:`~establishment.io.tabular.rows_to_structure` from columns (see the module
    docstring): the same :class:`Loaded` or the same :class:`CountedLoadError`.
    ``blank_rows`` counts blank rows the reader left out of the columns (empty lines)."""
    encoded = [_restored(encode(c), text_cell) for c in columns]
    if isinstance(columns, list) and columns and type(columns[0]).__module__.startswith(
            "pyarrow"):
        columns.clear()  # the reader's arrays are encoded now: free them (memory)
    line_numbers = np.asarray(lines, dtype=np.int64)
    options = {"dayfirst": dayfirst, "text_cell": str, "checker": checker}
    cmap = map_columns(header, columns_map)
    present = cmap.present
    if cmap.problems or not {"title", "fte"} <= present or present & {"person", "hours",
                                                                       "headcount",
                                                                       "annual_hours"} \
            or not present & {"grade", "cost_per_fte", "salary", "salary_min"} \
            or pay_conflict(cmap):
        # a wrong header, one row per person in post, or posts in hours (few, hand-made
        # files): the object path reads it
        raw = Rows(encoded, np.arange(len(line_numbers)))
        try:
            loaded = rows_to_structure(header, ((int(line_numbers[i]), raw.cells(i))
                                                for i in range(len(line_numbers))), where,
                                       name=name, columns=columns_map,
                                       header_line=header_line, progress=progress, **options)
        except CountedLoadError as err:  # the blank lines the reader left out count too
            raise CountedLoadError(err.problems, attrs.evolve(
                err.counts, blank_rows=err.counts.blank_rows + blank_rows)) from None
        return attrs.evolve(loaded, counts=attrs.evolve(
            loaded.counts, blank_rows=loaded.counts.blank_rows + blank_rows))
    blank = _blank_rows(encoded, len(line_numbers))
    cols, unknown = _convert_all(cmap, encoded, len(line_numbers), dayfirst)
    for column in encoded[len(cmap.headers):]:
        unknown |= ~column.per_cell(lambda v: v is None or v == "")
    sound = sound_rows(cols, unknown, checker) & ~blank
    unsure = np.flatnonzero(~sound & ~blank)
    outcome = _row_by_row(cmap, Rows(encoded, unsure), unsure, line_numbers, where, options)
    rows = int((~blank).sum())
    if progress is not None:
        progress(rows)
    posts = int(sound.sum()) + len(outcome.posts)
    counts = LoadCounts(rows, posts, len(outcome.payments), outcome.error_rows,
                        int(blank.sum()) + blank_rows, len(outcome.problems), cmap.ignored,
                        mapping=cmap.shown())
    if outcome.problems:
        outcome.problems.sort(key=lambda p: p.line or 0)  # as the object path orders them
        raise CountedLoadError(outcome.problems, counts)
    frame, row_lines = _assemble(cols, sound, line_numbers, outcome)
    post_lines = tuple(row_lines[:posts].tolist())
    try:
        structure = structure_of(frame, name, where, row_lines)
    except ValidationError as err:  # two payments sharing a reference: located, as row by row
        raise CountedLoadError([Problem(where, None, str(err), err.field)],
                               LoadCounts(rows, posts, len(outcome.payments), 0,
                                          int(blank.sum()) + blank_rows, 1, cmap.ignored,
                                          mapping=cmap.shown())
                               ) from None
    note = guess_note(cmap, where)
    return Loaded(structure, None, where, counts, post_lines, (note,) if note else ())


def rows_column_wise(header: list[Any], rows: Iterable[tuple[int, Sequence[Any]]], where: str,
                     *, columns: Mapping[str, str] | None = None, **options: Any) -> Loaded:
    """:func:`~establishment.io.tabular.rows_to_structure`'s signature, read column-wise: the
    rows (of a sheet, or of a CSV the fast reader left to the row reader) are turned into
    columns and given to :func:`columns_to_structure`."""
    body = list(rows)
    lines = np.array([line for line, _ in body], dtype=np.int64)
    width = max([len(header), *(len(cells) for _, cells in body)])
    cells = list(zip_longest(*(cells for _, cells in body), fillvalue=None))
    table = [list(column) for column in cells] + [[None] * len(body)] * (width - len(cells))
    return columns_to_structure(header, table, lines, where, columns_map=columns, **options)


# --- CSV --------------------------------------------------------------------------------------

# a quoted field in its place: after a separator or a line start, closed before the next one
QUOTED = re.compile(r'(?<![^,\n\r])"(?:[^"]|"")*"(?![^,\n\r])')


def plain_csv(data: bytes) -> bool:
    """True when a CSV's rows are its physical lines and every quote is a whole quoted field,
    so a fast parser reads it exactly as Python's ``csv`` module (strict) does: no line
    break inside a quoted field, no lone carriage return, no stray quote."""
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    if b'"' not in data:
        return True
    text = data.decode("utf-8")
    for match in QUOTED.finditer(text):
        if "\n" in match.group() or "\r" in match.group():
            return False
    return '"' not in QUOTED.sub("", text)


def line_numbers(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The numbers of the lines that are not empty (a parser skipping empty lines gives one
    row per such line) and of those that are."""
    if data and not data.startswith((b"\n", b"\r\n")) and b"\r" not in data[-1:] \
            and b"\n\n" not in data and b"\n\r\n" not in data:  # no empty line: count them
        count = data.count(b"\n") + (data[-1:] != b"\n")
        return np.arange(1, count + 1, dtype=np.int64), np.zeros(0, dtype=np.int64)
    buffer = np.frombuffer(data, dtype=np.uint8)
    step = 1 << 24  # a chunk at a time: no byte-sized mask of the whole file
    ends = np.concatenate([np.flatnonzero(buffer[at:at + step] == 10) + at
                           for at in range(0, len(buffer), step)] or [np.zeros(0, np.intp)])
    if len(data) and data[-1:] != b"\n":
        ends = np.append(ends, len(data))
    starts = np.concatenate([[0], ends[:-1] + 1]).astype(np.int64)
    length = ends - starts
    carriage = np.zeros(len(ends), dtype=bool)
    some = length == 1
    carriage[some] = buffer[starts[some]] == 13
    empty = (length == 0) | carriage
    return np.flatnonzero(~empty) + 1, np.flatnonzero(empty) + 1


class CsvColumns:
    """A plain CSV read column-wise: the header row, its line, the columns below it (pyarrow
    string arrays), each row's line and how many empty lines follow the header."""

    def __init__(self, header: list[str], header_line: int, columns: list[Any],
                 lines: np.ndarray, empty_lines: int) -> None:
        self.header, self.header_line, self.columns = header, header_line, columns
        self.lines, self.empty_lines = lines, empty_lines


def _width(data: bytes) -> int | None:
    """The number of cells in the first non-empty line (None: no such line)."""
    import csv

    for raw in data.split(b"\n", 64)[:64]:
        line = raw.rstrip(b"\r")
        if line:
            return len(next(csv.reader([line.decode("utf-8")])))
    return None


def _arrow_table(data: bytes, width: int, skip: int = 0) -> Any:
    import pyarrow as pa
    from pyarrow import csv as pacsv

    names = [f"c{i}" for i in range(width)]
    try:
        return pacsv.read_csv(
            pa.py_buffer(data).slice(skip),  # without the byte-order mark, not copied
            read_options=pacsv.ReadOptions(column_names=names),
            parse_options=pacsv.ParseOptions(newlines_in_values=False),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError, ValueError):
        return None


def read_csv_columns(data: bytes) -> CsvColumns | None:
    """A plain CSV (see :func:`plain_csv`) read by pyarrow, column-wise; None when the file
    needs the exact row reader (quotes spanning lines, rows of different lengths, a blank
    first row, one column, no pyarrow): that reader then reports what is wrong."""
    try:
        import pyarrow  # noqa: F401 - the parquet/test extra
    except ImportError:
        return None
    if not plain_csv(data):
        return None
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0  # line numbers are the same either way
    width = _width(data[bom:bom + (1 << 16)])
    table = _arrow_table(data, width, bom) if width and width > 1 else None
    if table is None:
        return None
    full, empty = line_numbers(data)
    if table.num_rows != len(full) or table.num_rows == 0:
        return None
    header = [table.column(i)[0].as_py() for i in range(table.num_columns)]
    if not any(cell.strip() for cell in header):
        return None
    columns = [table.column(i).slice(1) for i in range(table.num_columns)]
    return CsvColumns(header, int(full[0]), columns, full[1:], int((empty > full[0]).sum()))


def load_csv(data: bytes, where: str, *, name: str = "", columns: Mapping[str, str] | None
             = None, dayfirst: bool | None = True, progress: Callable[[int], None] | None = None,
             checker: Checker | None = None, text_cell: Callable[[str], str] = str
             ) -> Loaded | None:
    """A CSV's structure read column-wise, or None when it needs the row reader."""
    read = read_csv_columns(data)
    if read is None:
        return None
    header = [text_cell(h) for h in read.header]
    arrays, read.columns = read.columns, []  # columns_to_structure frees them once encoded
    return columns_to_structure(header, arrays, read.lines, where, name=name,
                                columns_map=columns, dayfirst=dayfirst, text_cell=text_cell,
                                header_line=read.header_line, checker=checker,
                                progress=progress, blank_rows=read.empty_lines)
