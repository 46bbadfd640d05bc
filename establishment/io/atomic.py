"""Atomic writes: a temporary file in the same folder, then a rename.

A failure part-way leaves any existing file untouched and no temporary file behind (the
temporary file is removed on every exit path; the command line turns SIGTERM into a normal
exit so that holds for a terminated run too). What the path names decides how it is written:

- a regular file (or a new name): temporary file beside it, then :func:`os.replace`;
- a **symbolic link**: the file it points to is replaced the same way, so the link stays a
  link (replacing the link itself would cut it off from its target without a word);
- a **character device or FIFO** (``/dev/null``, a named pipe, ``/dev/stdout``): written
  directly, since it cannot be renamed over (and as root that would replace ``/dev/full``).

Temporary names stay within the file system's name limit (``NAME_MAX``), so any name the file
system accepts can be written.

Two kinds of failure: a path that cannot be written (a missing folder, a folder, a name that
is too long, no permission) is a :class:`WriteError`, an
:class:`~establishment.errors.EstablishmentError` (bad input, exit 2 on the command line); an
I/O failure while writing (a full disk, a device error) is an
:class:`~establishment.errors.OutputError` (exit 74).
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from establishment.errors import EstablishmentError, OutputError

__all__ = ["OutputError", "WriteError", "atomic_write", "temp_name"]

# errors of the writing itself rather than of the path the user chose
IO_FAILURES = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EFBIG}
SUFFIX = ".tmp"


class WriteError(EstablishmentError, OSError):
    """A path that cannot be written. Also an OSError, so code that already catches OSError
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


def _name_max(folder: Path) -> int:
    try:
        return os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError):
        return 255


def temp_name(target: Path) -> Path:
    """A fresh temporary name beside ``target`` (``.NAME.XXXXXXXX.tmp``), the ``NAME`` part
    shortened so the whole stays within the folder's name limit."""
    folder = target.parent
    tag = secrets.token_hex(4)
    room = _name_max(folder) - len(tag) - len(SUFFIX) - 2
    name = target.name.encode()[:max(room, 1)].decode(errors="ignore")
    return folder / f".{name}.{tag}{SUFFIX}"


def _why(target: Path, err: OSError) -> str:
    """Why ``target`` cannot be written, in the user's terms (the temporary file's name in the
    OS message would only confuse). Never raises: it runs inside error handling."""
    folder = target.parent
    try:
        if err.errno == errno.ENAMETOOLONG:
            return f"the name is too long for the file system (at most {_name_max(folder)} " \
                   "bytes for each part of a path)"
        if not folder.exists():
            return f"the folder {str(folder)!r} does not exist"
        if not folder.is_dir():
            return f"{str(folder)!r} is not a folder"
        if target.is_dir():
            return "it is a folder"
    except OSError:
        pass
    return err.strerror or str(err)


def _refusal(target: Path, err: OSError) -> Exception:
    """The error to raise for ``err`` met while writing ``target``."""
    if err.errno in IO_FAILURES:
        return OutputError(f"cannot write {str(target)!r}: {err.strerror or err}")
    return WriteError(f"cannot write {str(target)!r}: {_why(target, err)}")


def _is_stream(target: Path) -> bool:
    """A character device or FIFO: written in place, never renamed over."""
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


@contextmanager
def _direct(target: Path, shown: Path, mode: str, **kwargs: object) -> Iterator[IO]:
    try:
        with open(target, mode, **kwargs) as stream:  # type: ignore[call-overload]
            yield stream
    except (WriteError, OutputError):
        raise
    except OSError as err:
        raise _refusal(shown, err) from err


@contextmanager
def atomic_write(path: str | Path, mode: str = "w", **kwargs: object) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` at once."""
    shown = Path(path)
    if str(shown) in ("", "."):
        raise WriteError(f"cannot write {str(path)!r}: it is a folder")
    # a symbolic link: write (and replace) the file it points to, so the link stays a link
    target = Path(os.path.realpath(shown)) if os.path.islink(shown) else shown
    if _is_stream(target):
        with _direct(target, shown, mode, **kwargs) as stream:
            yield stream
        return
    temp = temp_name(target)
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as err:
        raise _refusal(shown, err) from err
    os.close(fd)
    replaced = False
    try:
        with open(temp, mode, **kwargs) as stream:  # type: ignore[call-overload]
            yield stream
        os.chmod(temp, _mode_for(target))
        os.replace(temp, target)
        replaced = True
    except OSError as err:
        if not isinstance(err, WriteError):
            raise _refusal(shown, err) from err
        raise
    finally:  # whatever stopped the write (an error, Ctrl-C, SIGTERM): no temporary left
        if not replaced:
            with suppress(OSError):
                os.unlink(temp)
