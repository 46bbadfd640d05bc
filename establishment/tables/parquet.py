"""Tables as Parquet (``--format parquet``; needs pyarrow, the ``[parquet]`` extra).

A Parquet file holds one table, as a CSV file does, with typed columns named by the table's
headers, the lines and then the total row (so what the file holds adds up, as every table
here does), and a ``Marks`` column in words when any line is marked. The table's title and
notes are kept in the schema's metadata (``title``, ``notes``: a JSON list).

Column types, from the column's kind:

- ``money``: whole pounds, ``int64`` (figures to the penny when the costing rounds to pence:
  ``decimal128(38, 2)``);
- ``fte``, ``percent``, ``number``: exact decimals, ``decimal128(38, s)`` with the fewest
  places ``s`` that hold every value (``number`` is ``int64`` when every value is whole);
- ``month``: ``date32``;
- text: Arrow ``string`` (UTF-8). Text is written as it is: a Parquet reader does not run
  formulas, so nothing is neutralised.

A blank cell is null. Read back with pandas 3 (``pandas.read_parquet``), text columns come
back as pandas' default string dtype (``str``, stored by pyarrow) and decimals as ``object``
columns of ``Decimal``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

from establishment.errors import EstablishmentError
from establishment.tables.table import Table

MISSING = ("pyarrow is needed to write Parquet: install the extra "
           "(pip install 'establishment[parquet]')")


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
    except ImportError:
        raise EstablishmentError(MISSING) from None
    return pa


def _places(values: list[Decimal]) -> int:
    return max([0, *(-v.as_tuple().exponent for v in values
                     if isinstance(v.as_tuple().exponent, int))])


def _decimals(values: list[Any], places: int | None = None) -> Any:
    pa = _pyarrow()
    exact = [None if v is None else Decimal(v) for v in values]
    given = [v for v in exact if v is not None]
    scale = _places(given) if places is None else places
    quantum = Decimal(1).scaleb(-scale)
    return pa.array([None if v is None else v.quantize(quantum) for v in exact],
                    pa.decimal128(38, scale))


def column_array(values: list[Any], kind: str) -> Any:
    """One column's cells (None or ``""`` blank) as a pyarrow array of the kind's type."""
    from pay_scales.rounding import round_pounds

    pa = _pyarrow()
    cells = [None if v is None or v == "" else v for v in values]
    if kind == "money":
        return pa.array([None if v is None else int(round_pounds(v)) for v in cells], pa.int64())
    if kind == "pence":
        return _decimals(cells, 2)
    if kind == "month":
        return pa.array([v if isinstance(v, dt.date) else None for v in cells], pa.date32())
    if kind in ("fte", "percent", "number"):
        numbers = [v if isinstance(v, (int, Decimal)) else None for v in cells]
        if kind == "number" and all(v is None or v == int(v) for v in numbers):
            return pa.array([None if v is None else int(v) for v in numbers], pa.int64())
        return _decimals(numbers)
    return pa.array([None if v is None else str(v) for v in cells], pa.string())


def table_arrow(table: Table) -> Any:
    """The table as a pyarrow Table (lines, then the total row)."""
    from establishment.tables.render import marks_column

    pa = _pyarrow()
    table = marks_column(table)
    rows = list(table.rows) + ([table.total] if table.total is not None else [])
    arrays = [column_array([row[index] for row in rows], column.kind)
              for index, column in enumerate(table.columns)]
    return pa.table(arrays, names=_names(table), metadata=metadata(table.title, table.notes))


def _names(table: Table) -> list[str]:
    """The headers, made unique (a Parquet schema may repeat a name, pandas may not)."""
    names: list[str] = []
    for column in table.columns:
        name, n = column.name or "column", 2
        while name in names:
            name, n = f"{column.name} ({n})", n + 1
        names.append(name)
    return names


def metadata(title: str, notes: Any) -> dict[str, str]:
    return {"title": title, "notes": json.dumps(list(notes))}


def arrow_bytes(arrow: Any) -> bytes:
    """A pyarrow Table as the bytes of a Parquet file."""
    import pyarrow.parquet as pq

    buffer = io.BytesIO()
    pq.write_table(arrow, buffer)
    return buffer.getvalue()


def table_bytes(table: Table) -> bytes:
    """The table as the bytes of a Parquet file."""
    return arrow_bytes(table_arrow(table))
