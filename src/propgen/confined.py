"""Reading a semi-trusted folder's files (the library, its theme) without leaving it.

A hostile library may hold a link to ``/etc/passwd`` named ``print.css``, a FIFO
that blocks every reader, or a link to a 1.5 GB file. Every read of a library file
goes through :func:`read_confined`: the path must resolve inside the folder, be a
regular file and be no larger than a cap; otherwise a
:class:`~propgen.errors.LibraryError` names the file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from propgen.errors import LibraryError, Problem
from propgen.i18n import N_

MAX_FILE_BYTES = 32 * 1024 * 1024
"""The largest file a library may hold (a frame, a logo, a font)."""

_OUTSIDE = N_("leads outside the library (a symbolic link)")
_INSIDE = N_("library files must be inside the library folder")
_LARGER = N_("is larger than {size}")


def _refuse(path: Path, message: str, hint: str = "") -> LibraryError:
    return LibraryError(problems=[Problem(message=message, file=str(path), hint=hint)])


def confined_path(root: Path, path: Path) -> Path:
    """``path`` resolved, checked to be a regular file inside ``root``.

    Raises:
        LibraryError: it is missing, leads outside ``root`` or is not a regular file.
    """
    base = root.resolve()
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        raise _refuse(path, N_("is missing")) from None
    except (OSError, RuntimeError) as err:  # a symlink loop, a permission problem
        raise _refuse(path, N_("cannot be read: {reason}").format(reason=err)) from None
    if not resolved.is_relative_to(base):
        raise _refuse(
            path,
            _OUTSIDE,
            _INSIDE,
        )
    mode = resolved.stat().st_mode
    if not stat.S_ISREG(mode):
        raise _refuse(path, N_("is not a regular file"))
    return resolved


def confined_folder(root: Path, path: Path) -> Path:
    """``path`` (a folder, or a link to one) resolved, checked to be inside ``root``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise _refuse(
            path,
            _OUTSIDE,
            _INSIDE,
        )
    return resolved


def read_confined(root: Path, path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of ``path``, a regular file inside ``root`` of at most ``max_bytes``.

    Raises:
        LibraryError: naming the file and what is wrong with it.
    """
    resolved = confined_path(root, path)
    try:
        fd = os.open(resolved, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as err:
        raise _refuse(path, N_("cannot be read: {reason}").format(reason=err.strerror)) from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped since it was resolved
            raise _refuse(path, N_("is not a regular file"))
        if info.st_size > max_bytes:
            raise _refuse(path, _LARGER.format(size=_size(max_bytes)))
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _refuse(path, _LARGER.format(size=_size(max_bytes)))
    return data


def check_confined(root: Path, path: Path, *, max_bytes: int = MAX_FILE_BYTES) -> Path:
    """Like :func:`read_confined` without reading: the resolved path, checked."""
    resolved = confined_path(root, path)
    if resolved.stat().st_size > max_bytes:
        raise _refuse(path, _LARGER.format(size=_size(max_bytes)))
    return resolved


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MiB" if n >= 1024 * 1024 else f"{n // 1024} KiB"
