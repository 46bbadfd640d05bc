"""Structures in Parquet: a columnar export read straight into the column-wise path.

Reading needs pyarrow (``pip install 'establishment[parquet]'``). A Parquet file is a table
with named columns: its column names are the header (mapped like a CSV's, see
:mod:`establishment.io.columns`), and each column goes to
:func:`establishment.io.columnar.columns_to_structure` as it is, so the same rules give the
same problems. Columns may be text (as an export writes them) or typed (integers, decimals,
floats, dates), read like the typed cells of a workbook. A Parquet file has no lines: a problem
names the row as a spreadsheet would, the header being row 1 and the first post row 2.

A file of :meth:`Structure.to_frame`'s own layout (``df.to_parquet()`` of it: the columns of
:data:`establishment.model.frame.POST_COLUMNS`, exact integer pence, fte numerators and
denominators) is read back exactly through :func:`establishment.model.frame.posts_from_frame`,
as :func:`establishment.structure_from_frame` reads the frame itself. Its ``funding`` column
is a list column (``list<null>`` when no post names a source, ``list<struct<source,
percent>>`` otherwise). A list or struct column in any other file is refused, located, rather
than handed to the column-wise loader, which reads plain cells only.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from establishment.errors import EstablishmentError, Problem
from establishment.io.tabular import Checker, CountedLoadError, LoadCounts, Loaded, Progress
from establishment.model.frame import POST_COLUMNS

FIRST_ROW = 2  # the header is row 1


def _fail(where: str, message: str) -> CountedLoadError:
    return CountedLoadError([Problem(where, None, message)], LoadCounts(problems=1))


def read_parquet_table(data: bytes, where: str) -> Any:
    """The pyarrow table in ``data``; a missing pyarrow or a file that is not Parquet is a
    located error."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise _fail(where, "reading Parquet needs pyarrow: pip install "
                    "'establishment[parquet]'") from None
    if not data.startswith(b"PAR1"):
        raise _fail(where, "is not a Parquet file (it does not begin with 'PAR1')")
    try:
        # text columns dictionary-encoded as they are read (an export's are few distinct
        # values): the column-wise path takes the dictionary as it is
        schema = pq.read_schema(io.BytesIO(data))
        text = [field.name for field in schema
                if pa.types.is_string(field.type) or pa.types.is_large_string(field.type)]
        if len(set(schema.names)) != len(schema.names):  # a name twice: read as it is
            text = []
        return pq.read_table(io.BytesIO(data), read_dictionary=text or None)
    except (pa.ArrowException, OSError, ValueError) as err:
        raise _fail(where, f"is not a readable Parquet file ({err})") from None


def parse_parquet_bytes(data: bytes, where: str = "<bytes>", *, name: str = "",
                        columns: Mapping[str, str] | None = None, dayfirst: bool | None = True,
                        progress: Progress | None = None, checker: Checker | None = None
                        ) -> Loaded:
    """A structure from a Parquet file's bytes, or a CountedLoadError with every problem."""
    import numpy as np

    from establishment.io.columnar import columns_to_structure

    table = read_parquet_table(data, where)
    if table.num_columns == 0:
        raise _fail(where, "has no columns: expected title, fte, grade, ...")
    if sorted(table.column_names) == sorted(POST_COLUMNS) and not columns:
        return _frame_layout(table, where, name or Path(where).stem)
    nested = [f.name for f in table.schema if _nested(f.type)]
    if nested:
        raise _fail(where, f"column {nested[0]!r} holds lists or tables of values: expected "
                    "one value a cell (text, a number or a date)")
    rows = np.arange(FIRST_ROW, FIRST_ROW + table.num_rows, dtype=np.int64)
    return columns_to_structure(list(table.column_names), list(table.columns), rows, where,
                                name=name or Path(where).stem, columns_map=columns,
                                dayfirst=dayfirst, header_line=1, checker=checker,
                                progress=progress)


def _nested(kind: Any) -> bool:
    import pyarrow as pa

    return bool(pa.types.is_nested(kind))


def _shares(cell: Any) -> tuple[Any, ...]:
    """A funding cell of the frame layout: a list of {source, percent} (None or [] when the
    post names no source)."""
    from decimal import Decimal

    from establishment.model.funding import FundingShare

    return tuple(FundingShare(str(share["source"]), Decimal(str(share["percent"])))
                 for share in (cell or ()))


def _frame_layout(table: Any, where: str, name: str) -> Loaded:
    """A structure from a Parquet file of ``Structure.to_frame()``'s own layout, exactly."""
    import pandas as pd

    from establishment.model.frame import posts_from_frame
    from establishment.model.structure import Structure

    rows = table.num_rows
    frame = pd.DataFrame({column: table.column(column).to_pylist() for column in POST_COLUMNS})
    try:
        frame["funding"] = [_shares(cell) for cell in frame["funding"]]
        posts, payments = posts_from_frame(frame)
        structure = Structure(name, posts, payments)
    except (EstablishmentError, TypeError, ValueError, KeyError, ArithmeticError) as err:
        raise _fail(where, f"is in Structure.to_frame()'s layout but a line is not a valid "
                    f"record: {err}") from None
    counts = LoadCounts(rows=rows, posts=len(posts), payments=len(payments))
    return Loaded(structure, None, where, counts,
                  lines=tuple(range(FIRST_ROW, FIRST_ROW + len(posts))))


def write_structure_parquet(structure: Any, path: str | Path) -> None:
    """Write ``structure``'s posts and payments as a Parquet file of
    :meth:`Structure.to_frame`'s own layout, atomically: read back exactly (the same records)
    by :func:`establishment.read_structure`. ``df.to_parquet()`` of the frame itself cannot hold
    funding shares (records pyarrow does not know), so here each post's funding is a list of
    ``{source, percent}`` (the percent as text, exact). The name is the file's stem when read
    back, and a pay basis is not part of the layout (write a TOML file for that). Needs
    pyarrow (``pip install 'establishment[parquet]'``)."""
    from establishment.io.atomic import WriteError, atomic_write

    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise WriteError(f"{path}: writing Parquet needs pyarrow: pip install "
                         "'establishment[parquet]'") from None
    frame = structure.to_frame()[list(POST_COLUMNS)]
    frame["funding"] = [[{"source": share.source, "percent": str(share.percent)}
                         for share in (cell or ())] for cell in frame["funding"]]
    table = pa.Table.from_pandas(frame, preserve_index=False)
    with atomic_write(path, "wb") as handle:
        pq.write_table(table, handle)

