"""Bytes to text for the text formats (CSV, TOML): what HR systems actually write.

UTF-8, with or without the byte-order mark Excel writes, is read as it is. A file that is not
UTF-8 is read as Windows-1252 (Excel's "CSV (Comma delimited)" on a UK machine: the £ sign is
byte 0xA3), and a note says so; ``encoding`` forces one. A file with a NUL byte, a UTF-16
byte-order mark ("Unicode Text") or a ZIP signature (a workbook named .csv) is refused as not
text, located, rather than decoded into nonsense.
"""

from __future__ import annotations

import codecs

from attrs import frozen

from establishment.errors import LoadError, Problem

ZIP = b"PK\x03\x04"
UTF16 = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
FALLBACK = "cp1252"


@frozen
class Decoded:
    """Text and, when the encoding was guessed rather than UTF-8, a note saying which."""

    text: str
    encoding: str
    note: str | None = None


def check_encoding(name: str | None) -> str | None:
    """A codec name from ``--encoding`` (e.g. ``utf-8``, ``windows-1252``), checked; an unknown
    one is a ValueError naming it."""
    if name is None:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}; expected e.g. utf-8 or "
                         "windows-1252") from None


def _refuse(where: str, line: int | None, message: str) -> LoadError:
    return LoadError([Problem(where, line, message)])


def not_text(data: bytes, where: str) -> LoadError | None:
    """The located refusal of bytes that are not a text file at all, or None."""
    if data.startswith(ZIP):
        return _refuse(where, None, "is a ZIP file (an XLSX workbook?), not text: give it "
                       "its .xlsx name or use --input-format xlsx")
    if data.startswith(UTF16):
        return _refuse(where, None, "is UTF-16 text (Excel's 'Unicode Text'), not a text "
                       "file this reads: save it as 'CSV UTF-8'")
    if b"\x00" in data:
        line = data[:data.index(b"\x00")].count(b"\n") + 1
        return _refuse(where, line, "contains a NUL byte: this is not a text file")
    return None


def decode_text(data: bytes, where: str, encoding: str | None = None) -> Decoded:
    """The text of ``data``: ``encoding`` if given, else UTF-8 (BOM or not), else
    Windows-1252 with a note. Every refusal is a located :class:`LoadError`."""
    refused = not_text(data, where)
    if refused is not None:
        raise refused
    codec = check_encoding(encoding) if encoding else None
    if codec is not None:
        try:
            text = data.decode("utf-8-sig" if codec == "utf-8" else codec)
        except UnicodeDecodeError as err:
            line = data[:err.start].count(b"\n") + 1
            raise _refuse(where, line, f"is not {encoding} text (byte "
                          f"0x{data[err.start]:02x})") from None
        return Decoded(text, codec)
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as err:
        first = err.start
    try:
        text = data.decode(FALLBACK)
    except UnicodeDecodeError as err:
        line = data[:err.start].count(b"\n") + 1
        raise _refuse(where, line, f"is neither UTF-8 nor Windows-1252 text (byte "
                      f"0x{data[err.start]:02x}); save it as 'CSV UTF-8' or give "
                      "--encoding") from None
    line = data[:first].count(b"\n") + 1
    return Decoded(text, FALLBACK, f"{where}: not UTF-8 (byte 0x{data[first]:02x} on line "
                   f"{line}): read as Windows-1252; give --encoding to choose another")
