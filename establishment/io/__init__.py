"""Files in and out: structures as TOML (hand-written), CSV and XLSX (HR exports).

``load_structure(path)`` picks the reader by extension (``.toml``, ``.csv``, ``.xlsx``); every
reader collects all problems before raising one :class:`~establishment.errors.LoadError`
(``file:line: [column] message``). :func:`read_structure` also returns what happened to every
row (:class:`LoadCounts`) and, given a pay basis, checks grades and points against the
employer. ``write_structure(structure, path)`` writes any of the three, atomically.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from establishment.errors import EstablishmentError, LoadError, Problem
from establishment.io.atomic import atomic_write
from establishment.io.columns import ALIASES, FIELDS, map_columns
from establishment.io.csv_file import parse_csv_bytes, structure_to_csv, write_structure_csv
from establishment.io.dates import DateError, parse_date
from establishment.io.tabular import CountedLoadError, LoadCounts, Loaded, Progress
from establishment.io.text import decode_text
from establishment.io.toml_file import (
    StructureFile,
    TomlRead,
    parse_structure_text,
    read_structure_toml,
    structure_to_toml,
)
from establishment.io.toml_file import write_structure as write_structure_toml
from establishment.io.xlsx_file import parse_xlsx_bytes, structure_to_xlsx, write_structure_xlsx
from establishment.model.pay_basis import PayBasis
from establishment.model.post import PAY_FIELDS
from establishment.model.structure import Structure
from pay_scales.errors import PayScaleError

INPUT_FORMATS = ("toml", "csv", "xlsx", "parquet")
BasisChoice = PayBasis | Callable[[PayBasis | None], PayBasis] | None


def input_format(path: str | Path) -> str:
    """``toml``, ``csv``, ``xlsx`` or ``parquet`` from a file name; anything else is a
    LoadError."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix in INPUT_FORMATS:
        return suffix
    raise LoadError([Problem(str(path), None, f"cannot tell the file type from its extension "
                             f"{Path(path).suffix!r}: expected .toml, .csv, .xlsx or "
                             ".parquet")])


def read_bytes(path: str | Path) -> bytes:
    """A file's bytes; a missing or unreadable file is a located LoadError."""
    where = str(path)
    try:
        with open(path, "rb") as handle:
            zipped = handle.read(4) == b"PK\x03\x04"
        if zipped:  # a workbook: its limits from the zip directory before it is read
            _check_workbook(path, where)
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise LoadError([Problem(where, None, "no such file")]) from None
    except IsADirectoryError:
        raise LoadError([Problem(where, None, "is a folder, not a structure file")]) from None
    except OSError as err:
        raise LoadError([Problem(where, None, f"cannot read: {err.strerror}")]) from None


def _check_workbook(path: str | Path, where: str) -> None:
    from establishment.io.xlsx_read import XlsxRefused, check_workbook_file

    try:
        check_workbook_file(path)
    except XlsxRefused as err:
        raise LoadError([Problem(where, None, str(err))]) from None


def _toml_pay_problems(read: TomlRead, where: str, basis: BasisChoice) -> list[Problem]:
    """Grade and scp problems of the [[post]] tables whose pay fields are themselves sound,
    when other problems stop the file loading: so one run reports every problem. The file's
    values and places come from its one reading (``read``), never a second parse."""
    from establishment.io.tabular import BadCell, convert_cell
    from establishment.operations.check import PostChecker

    try:
        chosen = basis(read.basis) if callable(basis) else basis
        if chosen is None:  # no basis to check grades against (the caller says why)
            return []
        checker = PostChecker(chosen)  # type: ignore[arg-type]
    except EstablishmentError:  # PayScaleError included: the caller reports it
        return []
    tables = read.data.get("post", [])
    lines = read.layout.lines("post")
    flagged = {(p.line, p.field) for p in read.problems}
    problems = []
    for index, table in enumerate(tables if isinstance(tables, list) else []):
        line = lines[index] if index < len(lines) else None
        if (not isinstance(table, dict) or any((line, f) in flagged for f in PAY_FIELDS)
                or table.get("unpriced")):  # an unpriced post is priced at £0, not looked up
            continue
        try:
            values = {f: convert_cell(f, table.get(f), True) for f in PAY_FIELDS}
        except BadCell:  # the cell rule's refusal; the loader has reported it
            continue
        if not values["grade"] and values["cost_per_fte"] is None and values["salary"] is None:
            continue
        answer = checker.check(values)
        if answer is not None:
            team, title = str(table.get("team", "") or ""), str(table.get("title", ""))
            label = (f"post {table['reference']}" if table.get("reference")
                     else f"post {team + ' / ' if team else ''}{title}")
            problems.append(Problem(where, line, f"{label}: {answer[1]}", answer[0]))
    return problems


def _parse_toml(data: bytes, where: str, basis: BasisChoice = None,
                encoding: str | None = None) -> Loaded:
    decoded = decode_text(data, where, encoding)
    text = decoded.text
    notes = (decoded.note,) if decoded.note else ()
    read = read_structure_toml(text, where)
    if read.problems:
        problems = list(read.problems)
        if basis is not None:
            problems += _toml_pay_problems(read, where, basis)
            problems.sort(key=lambda p: p.line or 0)
        rows = sum(len(read.data[key]) for key in ("post", "payment")
                   if isinstance(read.data.get(key), list))
        bad = len({p.line for p in problems})
        raise CountedLoadError(problems, LoadCounts(rows=rows, error_rows=min(bad, rows),
                                                    problems=len(problems)))
    structure = read.structure
    counts = LoadCounts(len(structure.posts) + len(structure.payments), len(structure.posts),
                        len(structure.payments))
    lines = tuple(post.source.line if post.source else None for post in structure.posts)
    return Loaded(structure, read.basis, where, counts, lines, notes)


def parse_structure_bytes(data: bytes, fmt: str, where: str = "<stdin>", *,
                          columns: Mapping[str, str] | None = None,
                          dayfirst: bool | None = True, progress: Progress | None = None,
                          basis: BasisChoice = None, encoding: str | None = None) -> Loaded:
    """A structure from the bytes of a ``toml``, ``csv`` or ``xlsx`` file (see
    :func:`read_structure`)."""
    from establishment.operations.check import PostChecker, check_structure

    if fmt not in INPUT_FORMATS:
        raise LoadError([Problem(where, None, f"unknown input format {fmt!r}; expected "
                                 f"{', '.join(INPUT_FORMATS)}")])
    if fmt == "toml":
        loaded = _parse_toml(data, where, basis, encoding)
        if basis is None:
            return loaded
        chosen = basis(loaded.basis) if callable(basis) else basis
        if chosen is None:
            return loaded
    else:
        checker = None
        chosen = (basis(None) if callable(basis) else basis) if basis is not None else None
        if chosen is not None:
            try:
                checker = PostChecker(chosen).check
            except PayScaleError as err:
                raise LoadError([Problem(where, None, str(err), err.field or "employer")]
                                ) from None
        if fmt == "csv":
            return parse_csv_bytes(data, where, columns=columns, dayfirst=dayfirst,
                                   progress=progress, checker=checker, encoding=encoding)
        if fmt == "parquet":
            from establishment.io.parquet_file import parse_parquet_bytes

            return parse_parquet_bytes(data, where, columns=columns, dayfirst=dayfirst,
                                       progress=progress, checker=checker)
        return parse_xlsx_bytes(data, where, columns=columns, dayfirst=dayfirst,
                                progress=progress, checker=checker)
    problems = check_structure(loaded.structure, chosen, where=where, lines=loaded.lines)
    if problems:
        bad_posts = len({p.line for p in problems})
        counts = loaded.counts
        raise CountedLoadError(problems, LoadCounts(
            counts.rows, counts.posts - bad_posts, counts.payments, bad_posts, counts.blank_rows,
            len(problems), counts.ignored_columns))
    return loaded


def read_structure(path: str | Path, *, fmt: str | None = None,
                   columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                   progress: Progress | None = None, basis: BasisChoice = None,
                   encoding: str | None = None) -> Loaded:
    """Load a structure file with its counts; every problem is reported at once.

    ``columns`` maps an export's headers to post fields (:mod:`establishment.io.columns`);
    ``dayfirst`` how to read 03/04/2019 (True: 3 April; None: report it as ambiguous);
    ``basis`` (a PayBasis, or a function of the file's own basis) also checks every grade and
    scp against the employer (:func:`establishment.operations.check.check_structure`); ``encoding``
    forces a text file's encoding (default: UTF-8, else Windows-1252 with a note in
    ``Loaded.notes``).
    """
    kind = fmt or input_format(path)
    return parse_structure_bytes(read_bytes(path), kind, str(path), columns=columns,
                                 dayfirst=dayfirst, progress=progress, basis=basis,
                                 encoding=encoding)


def load_structure_file(path: str | Path, **options: object) -> StructureFile:
    """A structure file of any kind, with its basis defaults (TOML ``[basis]``)."""
    loaded = read_structure(path, **options)  # type: ignore[arg-type]
    return StructureFile(loaded.structure, loaded.basis, loaded.path)


def load_structure(path: str | Path, **options: object) -> Structure:
    """The structure in a ``.toml``, ``.csv`` or ``.xlsx`` file."""
    return read_structure(path, **options).structure  # type: ignore[arg-type]


def write_structure(structure: Structure, path: str | Path, basis: PayBasis | None = None
                    ) -> None:
    """Write a structure as ``.toml``, ``.csv`` or ``.xlsx`` (by extension), atomically.

    Only TOML can hold basis defaults and assignments (people in posts); asking for them in
    CSV or XLSX is an error, never a silent loss.
    """
    kind = Path(path).suffix.lower().lstrip(".")
    if kind == "toml":
        write_structure_toml(structure, path, basis)
        return
    if kind not in ("csv", "xlsx"):
        raise LoadError([Problem(str(path), None, "cannot tell the file type to write from the "
                                 "extension: expected .toml, .csv or .xlsx")])
    if basis is not None:
        raise LoadError([Problem(str(path), None, "a CSV or XLSX structure file cannot hold a "
                                 "pay basis; write .toml to keep it")])
    if structure.assignments:  # one row per post cannot hold its people: never drop them
        raise LoadError([Problem(str(path), None, f"a CSV or XLSX structure file of posts "
                                 f"cannot hold the {len(structure.assignments)} people in "
                                 "them; write .toml to keep them ([[assignment]] tables)")])
    if kind == "csv":
        write_structure_csv(structure, path)
    else:
        write_structure_xlsx(structure, path)


__all__ = ["ALIASES", "FIELDS", "INPUT_FORMATS", "CountedLoadError", "DateError", "LoadCounts",
           "Loaded", "StructureFile", "atomic_write", "input_format", "load_structure",
           "load_structure_file", "map_columns", "parse_date", "parse_structure_bytes",
           "parse_structure_text", "read_bytes", "read_structure", "structure_to_csv",
           "structure_to_toml",
           "structure_to_xlsx", "write_structure", "write_structure_csv",
           "write_structure_toml", "write_structure_xlsx"]
