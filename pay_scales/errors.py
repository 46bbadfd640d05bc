"""The one error type of ``pay_scales``.

Pay data is looked up by date; a date with no data, an unknown grade or a malformed data file
is a :class:`PayScaleError` whose message names what was asked, what exists, and where the
data came from. It is never a silent fallback to the nearest year.
"""

from __future__ import annotations


class PayScaleError(LookupError):
    """A pay-data lookup or pay-data file that cannot be answered or read.

    ``field``, ``expected`` and ``found`` are kept as attributes so code can react to them;
    ``str(err)`` is the sentence a user reads.
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
