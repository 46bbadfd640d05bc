"""The ``establishment`` command line: one module per command, registered in :mod:`.main`."""

from establishment.cli.main import main

__all__ = ["main"]
