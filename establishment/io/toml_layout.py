"""Where each table of a TOML file starts: a small scanner for table headers.

``tomllib`` gives the values of a TOML file but not where they were written. A record read
from a file carries its source (file, line, column) as beancount's entries carry ``meta``,
so a problem is reported where it is. :func:`scan` walks the text once, line by line, and
notes the line and column of every table header (``[basis]``, ``[[post]]``,
``[bases."2019/20"]``, ``[[option.change]]``) and of every key set before the first header
(``primary_basis = ...``). It understands what could hide a header from a line-by-line
reader: multi-line basic and literal strings (``\"\"\"`` and ``'''``, escapes included),
one-line strings, comments, and arrays or inline tables spread over several lines, so a
``notes`` string holding ``[[post]]`` is never taken for a table.

It is meant for text ``tomllib`` has already read (the values come from there, once): it
never raises, and on text that is not valid TOML its answer is only a best guess. Most lines
(``key = "value"``) hold none of ``[``, ``{``, ``\"\"\"`` or ``'''`` and are passed over
with a few substring tests, so the scan costs a small fraction of ``tomllib``'s parse.
"""

from __future__ import annotations

import tomllib

from attrs import frozen

Key = tuple[str, ...]
Place = tuple[int, int]  # (line, column), both 1-based

BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
SPECIAL = ("[", "{", '"""', "'''")


@frozen
class TomlLayout:
    """The places of a TOML file's table headers and top-level keys.

    ``tables`` maps a header's key (``("post",)``, ``("option", "change")``) to the place of
    each header with that key, in file order: one per ``[[post]]`` table, one for ``[basis]``.
    ``keys`` maps each key set before the first header to its place (a dotted key
    ``a.b = 1`` is noted as ``("a", "b")`` and, when first seen, as ``("a",)``).
    """

    tables: dict[Key, list[Place]]
    keys: dict[Key, Place]

    def places(self, *key: str) -> list[Place]:
        """The place of every ``[[key]]`` (or ``[key]``) header, in file order."""
        return self.tables.get(key, [])

    def lines(self, *key: str) -> list[int]:
        """The line of every ``[[key]]`` (or ``[key]``) header, in file order."""
        return [line for line, _ in self.tables.get(key, [])]

    def line(self, *key: str, index: int = 0) -> int | None:
        """The line of the ``index``-th header ``key``; else of the top-level key set by
        ``key = ...``; else None."""
        found = self.tables.get(key)
        if found is not None:
            return found[index][0] if index < len(found) else None
        place = self.keys.get(key) if index == 0 else None
        return place[0] if place is not None else None


def scan(text: str) -> TomlLayout:
    """The layout of TOML ``text`` (see :class:`TomlLayout`)."""
    reader = _Reader(text)
    reader.run()
    return TomlLayout(reader.tables, reader.keys)


class _Reader:
    """The scan's state. Lines are read one by one until the first header (to note the
    top-level keys) and while a multi-line string, array or inline table is open; otherwise
    it jumps (with ``str.find``) to the next line holding ``[``, ``{``, ``\"\"\"`` or
    ``'''``, since no other line can open anything or be a header."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.tables: dict[Key, list[Place]] = {}
        self.keys: dict[Key, Place] = {}
        self.quote: str | None = None  # the multi-line string open at the end of a line
        self.depth = 0  # arrays and inline tables open at the end of a line
        self.root = True  # no header seen yet
        self.marks = [-1] * len(SPECIAL)  # where each mark is next found (-1: not looked)

    def run(self) -> None:
        text, n = self.text, len(self.text)
        pos, number = 0, 1
        while pos <= n:
            if not self.root and self.quote is None and self.depth == 0:
                special = self.next_mark(pos)
                if special > n:
                    return
                before = text.rfind("\n", pos, special)
                start = pos if before < 0 else before + 1
                number += text.count("\n", pos, start)
                pos = start
            end = text.find("\n", pos)
            end = n if end < 0 else end
            self.line(number, text[pos:end])
            number, pos = number + 1, end + 1

    def next_mark(self, pos: int) -> int:
        """The first place at or after ``pos`` of a mark that can open something (past the
        end of the text when there is none)."""
        marks = self.marks
        for index in range(len(marks)):
            if marks[index] < pos:
                found = self.text.find(SPECIAL[index], pos)
                marks[index] = len(self.text) + 1 if found < 0 else found
        return min(marks)

    def line(self, number: int, line: str) -> None:
        start = 0
        if self.quote is not None:
            start, self.quote = _close(line, 0, self.quote)
            if self.quote is not None:
                return
        elif self.depth == 0:
            body = line.lstrip()
            if not body or body[0] == "#":
                return
            column = len(line) - len(body) + 1
            if body[0] == "[":
                header = _header(body)
                if header is not None:
                    self.tables.setdefault(header, []).append((number, column))
                    self.root = False
                return
            if self.root:
                _note_key(body, number, column, self.keys)
        self.quote, self.depth = _rest(line, start, self.depth)


def _note_key(body: str, number: int, column: int, keys: dict[Key, Place]) -> None:
    key, _ = _key(body, 0)
    if key:
        keys.setdefault(key, (number, column))
        keys.setdefault(key[:1], (number, column))


def _header(body: str) -> Key | None:
    """The key of a table header line (``[a.b]`` or ``[[a.b]]``), or None."""
    array = body.startswith("[[")
    close = body.find("]")
    inner = body[2 if array else 1:close]
    if close > 0 and BARE.issuperset(inner):  # [[post]]: the usual header, read at once
        return (inner,) if inner and body.startswith("]]" if array else "]", close) else None
    key, end = _key(body, 2 if array else 1)
    return key if key and body.startswith("]]" if array else "]", end) else None


def _key(text: str, i: int) -> tuple[Key, int]:
    """A (dotted) key starting at ``text[i]`` (spaces around parts allowed) and the index
    after it; an empty key when there is none."""
    parts: list[str] = []
    n = len(text)
    while True:
        while i < n and text[i] in " \t":
            i += 1
        if i >= n:
            return tuple(parts), i
        if text[i] in "\"'":
            end = _string_end(text, i, text[i])
            parts.append(_unquote(text[i:end]))
            i = end
        else:
            j = i
            while j < n and text[j] in BARE:
                j += 1
            if j == i:
                return tuple(parts), i
            parts.append(text[i:j])
            i = j
        while i < n and text[i] in " \t":
            i += 1
        if i < n and text[i] == ".":
            i += 1
            continue
        return tuple(parts), i


def _unquote(quoted: str) -> str:
    """A quoted key's text: a literal key as written, a basic one with its escapes read."""
    if quoted[:1] == "'" or "\\" not in quoted:
        return quoted[1:-1]
    try:
        return str(tomllib.loads(f"k = {quoted}")["k"])
    except tomllib.TOMLDecodeError:
        return quoted[1:-1]


def _string_end(line: str, i: int, mark: str) -> int:
    """The index after the one-line string opening at ``line[i]`` (the line's end if it is
    not closed there)."""
    j = line.find(mark, i + 1)
    while mark == '"' and j > 0 and _escaped(line, j):
        j = line.find(mark, j + 1)
    return len(line) if j < 0 else j + 1


def _escaped(line: str, j: int) -> bool:
    """True when ``line[j]`` follows an odd number of backslashes."""
    count = 0
    while j - count - 1 >= 0 and line[j - count - 1] == "\\":
        count += 1
    return count % 2 == 1


def _close(line: str, i: int, quote: str) -> tuple[int, str | None]:
    """Where the open multi-line string ``quote`` closes in ``line`` (the index after it,
    None) or that it is still open (the line's end, ``quote``)."""
    j = line.find(quote, i)
    while j >= 0 and quote == '"""' and _escaped(line, j):
        j = line.find(quote, j + 1)
    if j < 0:
        return len(line), quote
    end = j + 3
    while end < len(line) and end - j < 5 and line[end] == quote[0]:
        end += 1  # up to two quotes just before the delimiter belong to the string
    return end, None


def _rest(line: str, i: int, depth: int) -> tuple[str | None, int]:
    """Scan ``line`` from ``i``, skipping strings and a comment: the multi-line string left
    open at its end (or None) and the depth of arrays and inline tables then."""
    n = len(line)
    while i < n:
        char = line[i]
        if char == "#":
            break
        if char in "\"'":
            if line.startswith(char * 3, i):
                i, quote = _close(line, i + 3, char * 3)
                if quote is not None:
                    return quote, depth
            else:
                i = _string_end(line, i, char)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}" and depth:
            depth -= 1
        i += 1
    return None, depth
