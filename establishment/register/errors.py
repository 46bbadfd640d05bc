"""The register's errors: bad input and time conflicts (exit 2), limits broken (exit 1)."""

from __future__ import annotations

from collections.abc import Iterable

from establishment.errors import EstablishmentError, Problem


class RegisterError(EstablishmentError):
    """A register that cannot be opened, read or written as asked; nothing was written.

    ``problems`` lists each reason as a :class:`Problem` located at the register (``where``,
    its path): a reason given as text becomes one. With no reasons listed, the message is the
    one problem."""

    def __init__(self, message: str, problems: Iterable[Problem | str] = (), *,
                 where: str = "") -> None:
        found = [p if isinstance(p, Problem) else Problem(where, None, p) for p in problems]
        if found:
            self.problems = found
        lines = "".join(f"\n  {p.message}" for p in found)
        super().__init__(f"{message}{lines}")


class ConflictError(RegisterError):
    """A decision (or revocation) that does not fit the register at its effective date, or
    that would leave a later decision unable to apply: nothing was written."""


class RegisterBusy(RegisterError):
    """Another process held the register for longer than the busy timeout."""


class LimitError(EstablishmentError):
    """A decision that would break a team's position-control limits (exit status 1 on the
    command line): nothing was written. Record it with an override reason to go ahead."""

    exit_status = 1

    def __init__(self, breaches: Iterable[str], where: str = "") -> None:
        self.breaches = list(breaches)
        self.problems = [Problem(where, None, breach) for breach in self.breaches]
        super().__init__("the decision breaks position-control limits; nothing was written "
                         "(record it with --override \"reason\" to go ahead):\n  "
                         + "\n  ".join(self.breaches))
