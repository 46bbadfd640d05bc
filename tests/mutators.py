"""Deterministic mutators for the fuzz test (tests/test_fuzz.py).

Each mutator takes bytes and a ``random.Random`` and returns damaged bytes: the kinds of damage
an adversarial run found (digits swapped for ``1_5`` or ``1e3``, separators and quotes, lone
carriage returns, formula triggers, deep nesting, huge numbers, truncation, bit flips, lines
duplicated or dropped). Text mutators work on UTF-8 text; a workbook is mutated inside its
sheet XML (and as raw zip bytes).
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], bytes]

SNIPPETS = [b"1_5", b"1e3", b"1,500", b"\xc2\xa32", b"2 2", b"NaN", b"-0", b"9" * 40,
            b"\r", b"\n", b'"', b"'", b",", b";", b"%", b"=", b"\xef\xbc\x9d", b"\t",
            b"[[post]]", b"[", b"]", b"{", b"}", b"\x00", b"\xff", b"9999-12-31",
            b"0001-01-01", b"2019-W13-1", b"true", b"[1, 2]", b"\"\"", b"=cmd|' /C calc'!A0",
            b"<script>", b"1" * 5000, b"\xef\xbb\xbf"]


def flip(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1:]


def insert(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(SNIPPETS) + data[at:]


def replace_number(data: bytes, rng: random.Random) -> bytes:
    numbers = list(re.finditer(rb"\d+(\.\d+)?", data))
    if not numbers:
        return insert(data, rng)
    match = rng.choice(numbers)
    return data[:match.start()] + rng.choice(SNIPPETS[:8] + [b"", b"-5", b"0"]) + \
        data[match.end():]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[:rng.randrange(len(data) + 1)]


def lines(data: bytes, rng: random.Random) -> bytes:
    parts = data.split(b"\n")
    at = rng.randrange(len(parts))
    if rng.random() < 0.5:
        parts.insert(at, parts[rng.randrange(len(parts))])
    else:
        del parts[at]
    return b"\n".join(parts)


def nest(data: bytes, rng: random.Random) -> bytes:
    depth = rng.choice([10, 600])
    return data + b"\nx = " + b"[" * depth + b"]" * depth + b"\n"


def empty(data: bytes, rng: random.Random) -> bytes:
    return rng.choice([b"", b"\n", b"\xef\xbb\xbf", b"   \n\n"])


TEXT_MUTATORS: list[Mutator] = [flip, insert, insert, replace_number, replace_number,
                                truncate, lines, nest, empty]


def mutate_text(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(1, 3)):
        data = rng.choice(TEXT_MUTATORS)(data, rng)
    return data


def mutate_xlsx(data: bytes, rng: random.Random) -> bytes:
    """Mutate the sheet XML (and shared strings) inside the zip, or the zip bytes themselves."""
    if rng.random() < 0.2:
        return rng.choice([flip, truncate])(data, rng)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            part = source.read(info.filename)
            if info.filename.startswith(("xl/worksheets/", "xl/sharedStrings")):
                for _ in range(rng.randint(1, 2)):
                    part = rng.choice([flip, insert, replace_number, xml_value])(part, rng)
            target.writestr(info.filename, part)
    return out.getvalue()


def xml_value(data: bytes, rng: random.Random) -> bytes:
    """A cell value replaced by a hostile one, or a cell moved far away."""
    values = list(re.finditer(rb"<v>([^<]*)</v>|<t>([^<]*)</t>", data))
    if rng.random() < 0.2 or not values:
        return data.replace(b'r="A2"', rng.choice([b'r="XFD1048576"', b'r="ZZ9"', b'r="A0"']),
                            1)
    match = rng.choice(values)
    tag = b"v" if match.group(0).startswith(b"<v") else b"t"
    new = rng.choice(SNIPPETS + [b"_x0007_", b"1E+400", b"-1e-999"]).replace(b"<", b"&lt;")
    return data[:match.start()] + b"<" + tag + b">" + new + b"</" + tag + b">" + \
        data[match.end():]
