"""The library's error types (the base and :class:`Problem` live in :mod:`pay_scales.errors`).

Every error a user can cause is an :class:`EstablishmentError`: the CLI prints its problems and
exits 2, never a traceback. An error carries :class:`Problem` values (location, field,
expected, found, message) in ``problems``, never a joined string to take apart. A
:class:`ValidationError` names the field, what was expected and what was found (attrs' style).
Loading collects many problems before failing with one :class:`LoadError`, as beancount does;
a :class:`CostingError` lists every line that cannot be costed.
"""

from __future__ import annotations

from collections.abc import Iterable

from pay_scales.errors import (
    EstablishmentError,
    Location,
    PayScaleError,
    Problem,
    data_fields,
    joined,
    source_field,
)

__all__ = ["CostingError", "EstablishmentError", "LoadError", "Location", "PayScaleError",
           "Problem", "ValidationError", "data_fields", "joined", "source_field"]


class OutputError(OSError):
    """An output that could not be written for a reason outside the input (a full disk, a
    device error): the command line exits 74 (``EX_IOERR``) with one line. Not an
    :class:`EstablishmentError`, which is bad input (exit 2)."""


class ValidationError(EstablishmentError, ValueError):
    """A record field that does not hold what it must.

    ``str(err)`` reads like ``'fte' must be > 0 (got Decimal('-1'))``.

    ``source``: where the record was read (its :class:`Location`), when it was: the error's
    problem is then located there (file, line, column), the record named in its message.
    """

    def __init__(self, field: str, expected: str, found: object, *, record: str = "",
                 source: Location | None = None) -> None:
        self.field = field
        self.expected = expected
        self.found = found
        self.record = record
        self.source = source
        where = f"{record}: " if record else ""
        at = f"{source}: " if source is not None else ""
        super().__init__(f"{at}{where}{field!r} must be {expected} (got {found!r})")

    def default_problems(self) -> list[Problem]:
        message = f"{self.field!r} must be {self.expected} (got {self.found!r})"
        if self.source is not None:
            return [Problem.at(self.source, f"{self.record}: {message}" if self.record
                               else message, self.field, expected=self.expected,
                               found=self.found)]
        return [Problem(self.record, None, message, self.field, expected=self.expected,
                        found=self.found)]


class LoadError(EstablishmentError):
    """Every problem found while loading one input, reported together."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class CostingError(EstablishmentError):
    """A structure that cannot be costed on a basis (unknown grade, scp out of range, no data).

    ``problems``: one :class:`Problem` per thing that cannot be costed, located at the lines
    it concerns (``file`` names them, e.g. ``post RO1, post RO2``; the message is the pay
    data's reason). Made from a message alone, it holds that one problem.
    """

    def __init__(self, problems: str | Iterable[Problem], intro: str = "") -> None:
        if isinstance(problems, str):
            super().__init__(problems)
            return
        self.problems = list(problems)
        super().__init__(joined(self.problems, intro))
