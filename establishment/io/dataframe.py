"""An ordinary pandas DataFrame as a structure: the same columns, validation and located
problems as a CSV file, with the frame's index labels as the row numbers.

>>> import pandas as pd
>>> from establishment import structure_from_frame
>>> frame = pd.DataFrame({"Job Title": ["Officer"], "FTE": [1], "Grade": ["Hay Band A"]},
...                      index=[101])
>>> structure_from_frame(frame, columns={"Job Title": "title"}).posts[0].title
'Officer'

A bad cell is reported as ``<DataFrame>:101: [FTE] expected ...`` (row label 101). Empty
cells (None, NaN, NaT, pd.NA) are empty; numbers, Timestamps and dates are read as a typed
spreadsheet's cells are (:mod:`establishment.io.tabular`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import pandas as pd

from establishment.io.tabular import Loaded, rows_to_structure
from establishment.model.frame import posts_from_frame
from establishment.model.structure import Structure

WHERE = "<DataFrame>"


def _cell(value: Any) -> Any:
    if value is None or value is pd.NaT:
        return None
    try:
        if pd.isna(value):
            return None
    # Not validation (kept, allow-listed in tests/test_records.py): pd.isna of a list or an
    # array raises; such a cell is left to the field's own check, which refuses it, located
    except (TypeError, ValueError):
        return value
    if hasattr(value, "item") and not isinstance(value, pd.Timestamp):
        return value.item()  # numpy scalar -> int, float, bool
    return value


def _rows(frame: pd.DataFrame) -> Iterator[tuple[Any, list[Any]]]:
    for label, values in zip(frame.index, frame.itertuples(index=False, name=None)):
        yield label, [_cell(v) for v in values]


def read_frame(frame: pd.DataFrame, *, columns: Mapping[str, str] | None = None,
               name: str = "", where: str = WHERE, dayfirst: bool | None = True) -> Loaded:
    """Posts, payments and (with a person column) assignments from ``frame``'s rows: every
    problem of every row at once, as a :class:`~establishment.io.CountedLoadError` located by
    the index label."""
    header = [str(c) for c in frame.columns]
    return rows_to_structure(header, _rows(frame), where, name=name, columns=columns,
                             dayfirst=dayfirst, header_line=None)  # type: ignore[arg-type]


def structure_from_frame(frame: pd.DataFrame, name: str = "", description: str = "", *,
                         columns: Mapping[str, str] | None = None,
                         dayfirst: bool | None = True) -> Structure:
    """A structure from a DataFrame (the record does not read files or frames itself).

    A frame of ``Structure.to_frame()``'s own layout comes back exactly. Any other frame is
    read as an HR export is (:func:`read_frame`): its headers are matched to fields
    (``columns`` maps headers explicitly, e.g. ``{"Job Ref": "reference"}``), every cell is
    validated, and every problem is raised at once as a LoadError located by the frame's index
    labels (``<DataFrame>:101: [FTE] ...``)."""
    if {"kind", "fte_e4"} <= set(frame.columns) and columns is None:
        posts, payments = posts_from_frame(frame)
        return Structure(name, posts, payments, description)
    loaded = read_frame(frame, columns=columns, name=name, dayfirst=dayfirst)
    return loaded.structure.evolve(description=description)
