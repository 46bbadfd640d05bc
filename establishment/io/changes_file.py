"""Changes files: a standalone TOML list of changes, the records of a scenario's ``[[change]]``.

```toml
description = "Commissioning reorganisation, option A"   # optional

[[change]]
id = "establish-so"          # optional: a name for the change
note = "as paragraph 12"     # optional
kind = "establish"           # establish | disestablish | regrade | change-fte |
[change.post]                # make-permanent | change-end | move | change-funding |
reference = "SO4"            # amend | add-payment | remove-payment | change-payment
title = "Service Organiser"
fte = 4
grade = "Grade 4"

[[change]]
kind = "disestablish"
target = "CA"                # a reference, or { team = "...", title = "..." }
fte = 4                      # optional: part of a row
```

:func:`parse_changes_text` reads one, reporting every bad table at once with its line
(``file:line: [field] message``); :func:`changes_to_toml` writes one, and reading what it wrote
gives the same changes back. A register records decisions from these files.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

import tomli_w
from attrs import field, frozen

from establishment.errors import (
    LoadError,
    Location,
    Problem,
    ValidationError,
    source_field,
)
from establishment.io.atomic import atomic_write
from establishment.io.toml_file import (
    TEXT_KEYS,
    load_toml,
    not_text,
    payment_table,
    post_table,
    toml_words,
)
from establishment.io.toml_layout import scan
from establishment.model import checks
from establishment.model.post import text_of
from establishment.operations.changes import (
    AddPayment,
    Amend,
    Change,
    ChangeEnd,
    ChangeFte,
    ChangeFunding,
    ChangePayment,
    Disestablish,
    Establish,
    MakePermanent,
    Move,
    Regrade,
    RemovePayment,
    Target,
    change_from_mapping,
)

TOP_KEYS = {"description", "change"}


@frozen
class ChangeEntry:
    """One ``[[change]]`` table: the change, its optional ``id`` and ``note``, and where it
    was read (``source``, its table's place: not part of equality)."""

    change: Change = field(validator=checks.instance_of(Change, "a Change record"))
    id: str = field(default="", converter=text_of("id"))
    note: str = field(default="", converter=text_of("note"))
    source: Location | None = source_field()


@frozen
class ChangesFile:
    """A loaded changes file."""

    entries: tuple[ChangeEntry, ...] = field(
        converter=checks.as_tuple, validator=checks.tuple_of(ChangeEntry, "ChangeEntry"))
    description: str = field(default="", converter=text_of("description"))
    path: str = field(default="", validator=checks.text)

    @property
    def changes(self) -> tuple[Change, ...]:
        return tuple(e.change for e in self.entries)


def parse_changes_text(text: str, where: str = "<string>") -> ChangesFile:
    """The changes in a changes file's text; every problem located and raised together."""
    # the one TOML reader: invalid TOML, nesting too deep and over-long integers are located
    data = load_toml(text, where, allow_empty=True)
    layout = scan(text)  # where each [[change]] starts (a note holding one is no table)
    problems: list[Problem] = []
    for key in sorted(set(data) - TOP_KEYS):
        problems.append(Problem(where, layout.line(key), f"unknown top-level key {key!r}; a "
                                "changes file holds description and [[change]] tables", key))
    tables = data.get("change", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(where, layout.line("change"), "change must be an array of "
                                "tables, written [[change]]", "change"))
        tables = []
    places = layout.places("change")
    entries = []
    for index, table in enumerate(tables):
        line, column = places[index] if index < len(places) else (None, None)
        entry = _entry(table, Location(where, line, column), index, problems)
        if entry is not None:
            entries.append(entry)
    if problems:
        raise LoadError(problems)
    try:
        return ChangesFile(tuple(entries), data.get("description", ""), where)
    except ValidationError as err:
        raise LoadError([Problem(where, layout.line("description"), f"{err.field!r} must be "
                                 f"{err.expected} (got {err.found!r})", err.field)]) from None


def _dates_read(table: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The change's dates, and its post's and payment's, written as text (``end =
    "31/03/2019"``, day first) read as every other reader reads them
    (:func:`establishment.io.toml_file.toml_words`, :mod:`establishment.io.dates`): a
    changes file is no stricter than the structure it changes."""
    table, bad = toml_words(table, post=False)
    for key, post in (("post", True), ("payment", False)):
        if isinstance(table.get(key), dict):
            table[key], inner = toml_words(table[key], post=post)
            bad += [(f"{key}.{name}", message) for name, message in inner]
    return table, bad


def _entry(table: dict[str, Any], source: Location, index: int,
           problems: list[Problem]) -> ChangeEntry | None:
    """One ``[[change]]`` table's entry; a bad field is a located problem. Every field is
    validated by the records, so anything but a ValidationError here is a bug."""
    where, line = source.file, source.line
    wrong = _not_text(table, f"change {index + 1}", where, line)
    problems.extend(wrong)  # 'target = 0x1F' is not the post "31" (toml_file.not_text)
    table, bad = _dates_read(table)
    for key, message in bad:
        problems.append(Problem(where, line, f"change {index + 1}: expected a date; "
                                f"{message}", key))
    if bad or wrong:
        return None
    try:
        return ChangeEntry(change_from_mapping(table, source), table.get("id", ""),
                           table.get("note", ""), source=source)
    except ValidationError as err:
        problems.append(Problem(source.file, source.line, f"change {index + 1}: "
                                f"{err.field!r} must be {err.expected} (got {err.found!r})",
                                err.field))
        return None


CHANGE_TEXT_KEYS = ("kind", "title", "team", "grade", "id", "note")


def _not_text(table: dict[str, Any], label: str, where: str, line: int | None
              ) -> list[Problem]:
    """A text field of a change (or of the post, payment, target or fields table it holds)
    holding a number, date or boolean: located problems."""
    found = not_text(table, CHANGE_TEXT_KEYS, label, where, line)
    target = table.get("target")
    if isinstance(target, dict):
        found += not_text(target, ("team", "title", "reference"), f"{label}: target", where,
                          line)
    elif "target" in table:
        found += not_text(table, ("target",), label, where, line)
    for key in ("post", "payment", "fields"):
        if isinstance(table.get(key), dict):
            found += not_text(table[key], TEXT_KEYS, f"{label}: {key}", where, line)
    return found


def load_changes(path: str | Path) -> ChangesFile:
    """Read a changes file; a missing or unreadable file is a located LoadError."""
    from establishment.io import read_bytes

    where = str(path)
    try:
        text = read_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise LoadError([Problem(where, None, "is not UTF-8 text")]) from None
    return parse_changes_text(text, where)


def _target(target: Target) -> Any:
    if target.reference:
        return target.reference
    table: dict[str, Any] = {"team": target.team, "title": target.title}
    if target.occurrence is not None:
        table["occurrence"] = target.occurrence
    return table


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value
    return value


def _funding(shares: Iterable[Any]) -> Any:
    shares = tuple(shares)
    if len(shares) == 1 and shares[0].percent == 100:
        return shares[0].source
    return {s.source: _plain(s.percent) for s in shares}


def _fields(change: Change) -> dict[str, Any]:
    """The kind-specific fields of a change's table (target and kind apart)."""
    if isinstance(change, Establish):
        return {"post": post_table(change.post)}
    if isinstance(change, AddPayment):
        return {"payment": payment_table(change.payment)}
    if isinstance(change, ChangePayment):
        return {"payment": payment_table(change.payment)}
    if isinstance(change, Disestablish | ChangeFte):
        return {} if change.fte is None else {"fte": change.fte}
    if isinstance(change, Regrade):
        return {k: v for k, v in change.pay().items() if v is not None and v != ""} | {
            "grade": change.grade}
    if isinstance(change, ChangeEnd):
        return {"end": change.end}
    if isinstance(change, Move):
        return change.moved()
    if isinstance(change, ChangeFunding):
        return {"funding": _funding(change.funding)}
    if isinstance(change, Amend):
        return {"fields": {k: _plain(v) for k, v in change.fields if v is not None}}
    return {}


KINDS = {Establish: "establish", Disestablish: "disestablish", Regrade: "regrade",
         ChangeFte: "change-fte", MakePermanent: "make-permanent", ChangeEnd: "change-end",
         Move: "move", ChangeFunding: "change-funding", Amend: "amend",
         AddPayment: "add-payment", RemovePayment: "remove-payment",
         ChangePayment: "change-payment"}


def change_to_mapping(change: Change | ChangeEntry) -> dict[str, Any]:
    """A change as a ``[[change]]`` table: :func:`change_from_mapping` reads it back."""
    entry = change if isinstance(change, ChangeEntry) else ChangeEntry(change)
    kind = KINDS.get(type(entry.change))
    if kind is None:
        raise ValidationError("change", "one of the change records", type(change).__name__)
    table: dict[str, Any] = {}
    if entry.id:
        table["id"] = entry.id
    if entry.note:
        table["note"] = entry.note
    table["kind"] = kind
    target = getattr(entry.change, "target", None)
    if target is not None:
        table["target"] = _target(target)
    table.update({k: _plain(v) for k, v in _fields(entry.change).items()})
    return table


def changes_to_toml(changes: Iterable[Change | ChangeEntry], description: str = "") -> str:
    """The TOML text of a changes file: :func:`parse_changes_text` gives the changes back."""
    document: dict[str, Any] = {}
    if description:
        document["description"] = description
    document["change"] = [change_to_mapping(c) for c in changes]
    # every value is a validated record's (text, a number, a date): nothing to guard
    return tomli_w.dumps(document, multiline_strings=False)


def write_changes(changes: Iterable[Change | ChangeEntry], path: str | Path,
                  description: str = "") -> None:
    """Write a changes file atomically."""
    text = changes_to_toml(changes, description)
    with atomic_write(path, "w", encoding="utf-8") as handle:
        handle.write(text)
