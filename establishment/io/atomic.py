"""Atomic writes: a temporary file in the same folder, then a rename.

A failure part-way leaves any existing file untouched and no temporary file behind. A file
system refusal (a missing folder, no permission, a full disk) is a :class:`WriteError`: an
:class:`~establishment.errors.EstablishmentError`, so every caller (tables, charts, structure
files, organogram imports) reports it as bad input with the path, never as a traceback.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from establishment.errors import EstablishmentError


class WriteError(EstablishmentError, OSError):
    """A file that cannot be written. Also an OSError, so code that already catches OSError
    around a write keeps working."""


def _mode_for(target: Path) -> int:
    """The permissions a plain ``open(target, "w")`` would give: the existing file's, else
    0o666 less the umask (mkstemp's temporary file is 0o600, private to its owner)."""
    try:
        return target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _refusal(target: Path, err: OSError) -> WriteError:
    """Say why ``target`` cannot be written in the user's terms (the temporary file's name
    in the OS message would only confuse)."""
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.exists():
        why = f"the folder {str(folder)!r} does not exist"
    elif not folder.is_dir():
        why = f"{str(folder)!r} is not a folder"
    elif target.is_dir():
        why = "it is a folder"
    else:
        why = err.strerror or str(err)
    return WriteError(f"cannot write {str(target)!r}: {why}")


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` at once."""
    target = Path(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent or ".")
    except OSError as err:
        raise _refusal(target, err) from err
    os.close(handle)
    try:
        with open(temp, mode, **kwargs) as stream:  # type: ignore[call-overload]
            yield stream
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
    except BaseException as err:
        try:
            os.unlink(temp)
        except OSError:
            pass
        if isinstance(err, OSError) and not isinstance(err, WriteError):
            raise _refusal(target, err) from err
        raise
