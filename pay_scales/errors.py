"""The one error hierarchy of the distribution, and the :class:`Problem` values errors carry.

It lives here, in the package that depends on nothing of ours, so ``pay_scales``,
``establishment`` and ``scenarios`` all raise errors of one family without an arrow pointing
the wrong way (``establishment.errors`` re-exports these names):

- :class:`EstablishmentError` is the base of every error raised for bad input or data: the
  command line prints its problems and exits 2, never a traceback. Its ``problems`` are
  :class:`Problem` values (where, which field, what was expected, what was found, and the
  sentence a user reads), so code reacts to the fields, never by parsing a message.
- :class:`PayScaleError`: pay data that cannot answer a question (a date with no data, an
  unknown grade, a malformed data file). Never a silent fallback to the nearest year.

A :class:`Location` says where a record or a problem comes from (file, line, column), as
beancount's entries carry ``meta``; records keep it out of equality.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs
from attrs import frozen


@frozen
class Location:
    """Where something was read: ``file`` (a path, or a label such as ``<stdin>``), ``line``
    (1-based, or None for the file as a whole) and ``column`` (1-based character, when
    known)."""

    file: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def source_field() -> Any:
    """The ``source`` field of a record (a :class:`Location`, or None for a record made in
    code): keyword-only, left out of equality, hashing and ``repr``, so two records with the
    same data are equal wherever they were read."""
    return attrs.field(default=None, eq=False, repr=False, kw_only=True,
                       validator=check_location, metadata={"source": True})


def check_location(instance: Any, attribute: Any, value: Any) -> None:
    """A record's ``source``: a :class:`Location`, or None (made in code)."""
    if value is not None and not isinstance(value, Location):
        raise EstablishmentError(f"{type(instance).__name__}: {attribute.name!r} must be a "
                                 f"Location or None (got {value!r})")


def data_fields(kind: type) -> tuple[str, ...]:
    """The names of an attrs record's data fields: every field but its ``source``."""
    return tuple(f.name for f in attrs.fields(kind) if not f.metadata.get("source"))


@frozen
class Problem:
    """One located problem: ``file:line: [field] message`` (``file:line:column:`` when the
    character column is known).

    ``file``, ``line`` and ``column`` (1-based character, when known) are its location
    (``location`` gives them as a :class:`Location`); ``field`` names the field, key or column
    header at fault; ``expected`` and ``found`` say what it should hold and what it held, when
    that is known; ``message`` is the sentence a user reads.
    """

    file: str
    line: int | None
    message: str
    field: str | None = None
    expected: str | None = attrs.field(default=None, kw_only=True)
    found: Any = attrs.field(default=None, kw_only=True)
    column: int | None = attrs.field(default=None, kw_only=True)

    @classmethod
    def at(cls, source: Location | None, message: str, field: str | None = None,
           **details: Any) -> Problem:
        """A problem located at ``source`` (file, line and column; None: nowhere)."""
        if source is None:
            return cls("", None, message, field, **details)
        return cls(source.file, source.line, message, field, column=source.column, **details)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line, self.column)

    def __str__(self) -> str:
        where = str(self.location) if self.line is not None else self.file
        column = f" [{self.field}]" if self.field else ""
        if not where:  # a problem with no location reads as its message
            return f"{column.strip()} {self.message}".strip()
        return f"{where}:{column} {self.message}"


class EstablishmentError(Exception):
    """Base of every error raised for bad input or data, in all three packages.

    ``problems`` holds the :class:`Problem` values the error reports (one, made from the
    message, unless a subclass keeps several).
    """

    @property
    def problems(self) -> list[Problem]:
        kept = self.__dict__.get("kept_problems")
        return list(kept) if kept is not None else self.default_problems()

    @problems.setter
    def problems(self, value: Iterable[Problem]) -> None:
        self.__dict__["kept_problems"] = list(value)

    def default_problems(self) -> list[Problem]:
        """The problems of an error made from a message alone: one, holding the message."""
        return [Problem("", None, str(self))]


class PayScaleError(EstablishmentError):
    """A pay-data lookup or pay-data file that cannot be answered or read.

    ``field``, ``expected`` and ``found`` are kept as attributes so code can react to them;
    ``str(err)`` is the sentence a user reads; ``problems`` gives the same as one Problem.
    """

    def __init__(self, message: str, *, field: str | None = None, expected: object = None,
                 found: object = None, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.expected = expected
        self.found = found
        self.source = source

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message

    def default_problems(self) -> list[Problem]:
        expected = None if self.expected is None else str(self.expected)
        return [Problem(self.source or "", None, self.message, self.field, expected=expected,
                        found=self.found)]


def joined(problems: Iterable[Problem], intro: str = "") -> str:
    """Problems as text, one per line (indented under ``intro`` when there is one)."""
    lines = [str(p) for p in problems]
    if not intro:
        return "\n".join(lines)
    return intro + ":\n  " + "\n  ".join(lines)
