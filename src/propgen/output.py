"""Output files: safe names, single-file atomic writes, provenance bytes.

A record's files are committed together by :mod:`propgen.commit`."""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

MAX_NAME = 80
"""Most characters in a file-name stem."""
MAX_NAME_BYTES = 120
"""Most UTF-8 bytes in a stem: with ``-proposal.docx`` and the temporary file's
prefix and suffix, a name stays well under the usual 255-byte limit."""
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_RESERVED = re.compile(
    r"^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)(\..*)?$", re.IGNORECASE
)
_TEMP_SUFFIX = ".tmp"


def safe_name(reference: str) -> str:
    """``document.reference`` made safe as a file-name stem.

    Path separators, ``..``, control and format characters, leading dots and
    dashes and Windows device names cannot survive; the result is never empty, at
    most :data:`MAX_NAME` characters and :data:`MAX_NAME_BYTES` UTF-8 bytes.
    """
    text = unicodedata.normalize("NFKC", reference)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text).strip(".-_ ")
    text = text[:MAX_NAME]
    while len(text.encode("utf-8")) > MAX_NAME_BYTES:
        text = text[:-1]
    text = text.rstrip(".-_ ")
    if not text or _RESERVED.match(text):
        text = f"document-{text}" if text else "document"
    return text


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _write_temp(path: Path, data: bytes) -> Path:
    """``data`` in a new, fsynced temporary file next to ``path``; returns its path."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=_TEMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            try:  # keep an existing file's permissions; else what a new file would get
                mode = path.stat().st_mode & 0o7777
            except OSError:
                mode = _new_file_mode()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    A temporary file in the same folder is written, flushed to disk and renamed
    over the target; on any failure it is removed and the target is untouched.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def provenance_bytes(provenance: Mapping[str, Any]) -> bytes:
    return (json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()
