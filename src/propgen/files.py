"""Reading files propgen did not write itself (provenance, journals) without surprises.

A file in an output folder may be anything: a FIFO (``open`` blocks forever), a
symlink to ``/dev/zero`` (``read`` never ends), a 100,000-deep JSON document
(``RecursionError``). These helpers read only regular files, never follow a
symlink, stop at a size cap and refuse JSON nested beyond a small depth.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_JSON_DEPTH = 32
"""propgen's own JSON files are at most 5 levels deep."""


class UnreadableFile(Exception):
    """A file that is not a regular file, is too large, or is not the JSON expected."""


def _open_regular(path: Path) -> int:
    """A read-only descriptor of ``path``, a regular file and not a symlink."""
    try:
        # O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise
    except OSError as err:
        if path.is_symlink():
            raise UnreadableFile("is a symbolic link, not a regular file") from err
        raise UnreadableFile(f"cannot be read: {err.strerror}") from err
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise UnreadableFile("is not a regular file")
    return fd


def sha256_of(path: Path) -> str:
    """The sha256 of a regular file, read in chunks (any size, little memory).

    Raises:
        FileNotFoundError: there is no such file.
        UnreadableFile: it is not a regular file, or cannot be read.
    """
    digest = hashlib.sha256()
    with os.fdopen(_open_regular(path), "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def read_regular(path: Path, *, limit: int) -> bytes:
    """The bytes of ``path``, which must be a regular file (not a symlink) of at most
    ``limit`` bytes.

    Raises:
        FileNotFoundError: there is no such file.
        UnreadableFile: anything else that stops a plain read.
    """
    fd = _open_regular(path)
    with os.fdopen(fd, "rb") as handle:
        if os.fstat(fd).st_size > limit:
            raise UnreadableFile(f"is larger than {limit:,} bytes")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnreadableFile(f"is larger than {limit:,} bytes")
    return data


def read_json(path: Path, *, limit: int = MAX_JSON_BYTES) -> Any:
    """``path`` parsed as UTF-8 JSON, read as :func:`read_regular` does, nested at most
    :data:`MAX_JSON_DEPTH` deep.

    Raises:
        FileNotFoundError: there is no such file.
        UnreadableFile: not a regular file, too large, not JSON, or nested too deeply.
    """
    data = read_regular(path, limit=limit)
    try:
        value = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise UnreadableFile(f"is nested more than {MAX_JSON_DEPTH} levels deep") from None
    except (UnicodeDecodeError, ValueError) as err:
        raise UnreadableFile(f"is not JSON ({err})") from err
    if _depth(value) > MAX_JSON_DEPTH:
        raise UnreadableFile(f"is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in ``value`` (iteratively: no recursion limit)."""
    deepest = 0
    pending: list[tuple[Any, int]] = [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level > MAX_JSON_DEPTH:
                break
            children = item.values() if isinstance(item, dict) else item
            pending.extend((child, level + 1) for child in children)
    return deepest
