"""Writing outputs: safe file names, atomic writes, provenance, verification."""

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

from propgen.errors import InvalidInput, Problem

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


def write_all(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write a record's files together: all of them, or (on failure) none.

    Every file is first written to a temporary file in ``out_dir`` and synced; only
    when all are on disk are they renamed over the targets, so a failed or
    interrupted run leaves the previous files intact and no temporary file behind.
    Names must stay inside ``out_dir``. A provenance file already there for a
    *different* reference is not overwritten (two references that differ only in
    characters a file name cannot hold).

    Raises:
        InvalidInput: a name leaves the folder, the names collide with another
            deal's outputs, or the folder cannot be written.
    """
    root = out_dir.resolve()
    targets: list[tuple[Path, bytes]] = []
    for name, data in files.items():
        # Not resolved: a symlink at a target is replaced, never written through.
        target = root / name
        if name in ("", ".", "..") or "/" in name or "\\" in name or target.name != name:
            raise InvalidInput(
                problems=[
                    Problem(
                        message=f"output name {name!r} leaves the output folder", file=str(out_dir)
                    )
                ]
            )
        targets.append((target, data))
    for target, data in targets:
        if target.name.endswith(".provenance.json"):
            _check_same_reference(target, data, out_dir)
    written: list[tuple[Path, Path]] = []
    try:
        root.mkdir(parents=True, exist_ok=True)
        for target, data in targets:
            written.append((_write_temp(target, data), target))
        for tmp, target in written:
            os.replace(tmp, target)
    except OSError as err:
        raise InvalidInput(
            problems=[
                Problem(
                    message=f"cannot write the output files: {err.strerror or err}",
                    file=str(err.filename or out_dir),
                    hint="choose an output folder you can write to (-o)",
                )
            ]
        ) from err
    finally:
        for tmp, _target in written:
            tmp.unlink(missing_ok=True)
    _fsync_dir(root)


def _check_same_reference(target: Path, data: bytes, out_dir: Path) -> None:
    try:
        old = json.loads(target.read_text(encoding="utf-8")).get("reference")
        new = json.loads(data.decode("utf-8")).get("reference")
    except (OSError, ValueError, AttributeError):
        return
    if isinstance(old, str) and isinstance(new, str) and old != new:
        raise InvalidInput(
            problems=[
                Problem(
                    message=f"{target.name} already holds the documents of {old!r}; "
                    f"{new!r} would overwrite them (both make the file name "
                    f"{target.name.removesuffix('.provenance.json')!r})",
                    file=str(out_dir),
                    hint="give one of them a distinct reference, or use another -o folder",
                )
            ]
        )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def provenance_bytes(provenance: Mapping[str, Any]) -> bytes:
    return (json.dumps(provenance, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


def verify(out_dir: Path) -> list[tuple[str, str]]:
    """Recompute the hashes recorded in every provenance file of ``out_dir``.

    Returns:
        ``(file, status)`` pairs where status is ``ok``, ``changed`` or ``missing``.
    """
    results: list[tuple[str, str]] = []
    for record in sorted(out_dir.glob("*.provenance.json")):
        try:
            data = json.loads(record.read_text(encoding="utf-8"))
            outputs = data["outputs"]
            if not isinstance(outputs, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()
            ):
                raise TypeError("'outputs' must map file names to hashes")
        except (OSError, ValueError, KeyError, TypeError) as err:
            raise InvalidInput(
                problems=[
                    Problem(message=f"not a propgen provenance file: {err}", file=str(record))
                ]
            ) from err
        for name, expected in outputs.items():
            path = out_dir / Path(name).name  # never outside out_dir, whatever the name
            if not Path(name).name or not path.is_file():
                results.append((name, "missing"))
            else:
                status = "ok" if sha256(path.read_bytes()) == expected else "changed"
                results.append((name, status))
    return results
