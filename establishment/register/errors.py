"""The register's errors: bad input and time conflicts (exit 2), limits broken (exit 1)."""

from __future__ import annotations

from collections.abc import Iterable

from establishment.errors import EstablishmentError


class RegisterError(EstablishmentError):
    """A register that cannot be opened, read or written as asked; nothing was written.
    ``problems`` lists each reason (one line each)."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        self.problems = list(problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
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

    def __init__(self, breaches: Iterable[str]) -> None:
        self.breaches = list(breaches)
        super().__init__("the decision breaks position-control limits; nothing was written "
                         "(record it with --override \"reason\" to go ahead):\n  "
                         + "\n  ".join(self.breaches))
