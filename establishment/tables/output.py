"""Finished output as bytes, in every format: the one place that knows them all.

:func:`document_bytes` writes a :class:`~establishment.tables.document.Document` (text formats
UTF-8 with a final newline, HTML a standalone page, ``docx`` a Word document, ``xlsx`` a
workbook of its tables, ``parquet`` one table: :mod:`establishment.tables.parquet`);
:func:`tables_bytes` and :func:`write_tables` do the same for a list of tables.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING

from establishment.errors import EstablishmentError
from establishment.model.style import PLAIN, Style
from establishment.tables.document import Document, Paragraph, reference_line, render_document
from establishment.tables.render import FORMATS, format_for_path, render, tables_workbook
from establishment.tables.table import Table

if TYPE_CHECKING:
    from establishment.tables.word import WordSetup


def document_bytes(document: Document, fmt: str, style: Style = PLAIN, *,
                   word: WordSetup | None = None) -> bytes:
    """The document in ``fmt`` as bytes (``word``: the page and template of a .docx)."""
    if fmt == "xlsx":
        buffer = io.BytesIO()
        sources = [t for t in (document.title, reference_line(document)) if t]
        sources += [b.text for b in document.blocks if isinstance(b, Paragraph) and b.small]
        tables_workbook(document.tables, sources).save(buffer)
        return buffer.getvalue()
    if fmt == "docx":
        from establishment.tables.word import docx_bytes

        return docx_bytes(document, style, word)
    if fmt == "parquet":
        from establishment.tables.parquet import table_bytes

        if len(document.tables) > 1:
            raise EstablishmentError("a Parquet file holds one table: choose one (the CLI's "
                                     "--table NAME)")
        return table_bytes(document.tables[0] if document.tables else Table([], []))
    if fmt not in FORMATS:
        render(Table([], []), fmt)  # the one "unknown format" error
    text = render_document(document, fmt, style)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def tables_bytes(tables: Sequence[Table] | Table, fmt: str, style: Style = PLAIN,
                 title: str = "") -> bytes:
    """Tables in any format as bytes (text formats separated by a blank line; HTML a
    standalone page, docx a Word document, CSV exactly one table)."""
    items = [tables] if isinstance(tables, Table) else list(tables)
    return document_bytes(Document(title, tuple(items)), fmt, style)


def write_tables(tables: Sequence[Table] | Table, target: str | Path | IO[bytes],
                 fmt: str | None = None) -> None:
    """Write tables to a path (atomically; format from the extension unless given) or to a
    binary stream."""
    from establishment.io.atomic import atomic_write  # io loads pandas: only when writing

    if isinstance(target, (str, Path)):
        data = tables_bytes(tables, fmt or format_for_path(target))
        with atomic_write(target, "wb") as handle:
            handle.write(data)
    else:
        target.write(tables_bytes(tables, fmt or "plain"))
