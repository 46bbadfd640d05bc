"""A progress bar for long work, on a terminal only.

Loading (or costing) more than :data:`THRESHOLD` rows takes seconds; a person at a terminal
should see it move. When standard error is not a terminal (piped, redirected, in CI) nothing
is written, so logs and pipes stay clean.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

THRESHOLD = 50_000
WIDTH = 30


class ProgressBar:
    """``reading [##########          ]  33% 100,000 of ~300,000 rows`` on one line."""

    def __init__(self, total: int | None, label: str, stream: TextIO) -> None:
        self.total = None if total is None else max(total, 1)
        self.label = label
        self.stream = stream
        self.shown = 0.0

    def __call__(self, done: int) -> None:
        now = time.monotonic()
        if now - self.shown < 0.1:
            return
        self.shown = now
        if self.total is None:  # size unknown (a compressed workbook): count only
            self.stream.write(f"\r{self.label} {done:,} rows")
            self.stream.flush()
            return
        share = min(done / self.total, 1.0)
        filled = int(share * WIDTH)
        self.stream.write(f"\r{self.label} [{'#' * filled}{' ' * (WIDTH - filled)}] "
                          f"{share:4.0%} {done:,} of ~{self.total:,} rows")
        self.stream.flush()

    def close(self) -> None:
        self.stream.write("\r" + " " * (WIDTH + 60) + "\r")
        self.stream.flush()


@contextmanager
def progress_for(total: int, label: str, stream: TextIO | None = None, *,
                 known: bool = True) -> Iterator[Callable[[int], None] | None]:
    """A progress callback for ``total`` rows, or None when the work is small or the output
    is not a terminal. ``known=False``: ``total`` is only an estimate of the size, so the bar
    counts rows without a percentage."""
    out = stream if stream is not None else sys.stderr
    if total <= THRESHOLD or not getattr(out, "isatty", lambda: False)():
        yield None
        return
    bar = ProgressBar(total if known else None, label, out)
    try:
        yield bar
    finally:
        bar.close()
