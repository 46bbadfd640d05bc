"""The library's error types.

Every error a user can cause is an :class:`EstablishmentError`: the CLI prints its message and
exits 2, never a traceback. A :class:`ValidationError` names the field, what was expected and
what was found (attrs' style), and keeps them as attributes for code. Loading collects many
:class:`Problem` values before failing with one :class:`LoadError`, as beancount does.
"""

from __future__ import annotations

from attrs import frozen


class EstablishmentError(Exception):
    """Base of every error this library raises for bad input."""


class OutputError(OSError):
    """An output that could not be written for a reason outside the input (a full disk, a
    device error): the command line exits 74 (``EX_IOERR``) with one line. Not an
    :class:`EstablishmentError`, which is bad input (exit 2)."""


class ValidationError(EstablishmentError, ValueError):
    """A record field that does not hold what it must.

    ``str(err)`` reads like ``'fte' must be > 0 (got Decimal('-1'))``.
    """

    def __init__(self, field: str, expected: str, found: object, *, record: str = "") -> None:
        self.field = field
        self.expected = expected
        self.found = found
        self.record = record
        where = f"{record}: " if record else ""
        super().__init__(f"{where}{field!r} must be {expected} (got {found!r})")


@frozen
class Problem:
    """One located problem in an input file: ``file:line: message``."""

    file: str
    line: int | None
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        column = f" [{self.column}]" if self.column else ""
        return f"{where}:{column} {self.message}"


class LoadError(EstablishmentError):
    """Every problem found while loading one input, reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CostingError(EstablishmentError):
    """A structure that cannot be costed on a basis (unknown grade, scp out of range, no data).

    Wraps the pay-data error with the post it concerns.
    """
