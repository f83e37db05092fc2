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
_UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def safe_name(reference: str) -> str:
    """``document.reference`` made safe as a file-name stem.

    Path separators, ``..``, control characters, leading dots and dashes and
    Windows device names cannot survive; the result is never empty and at most
    :data:`MAX_NAME` characters.
    """
    text = unicodedata.normalize("NFKC", reference)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("-", text)
    text = re.sub(r"\.{2,}", ".", text).strip(".-_ ")
    text = text[:MAX_NAME].rstrip(".-_ ")
    if not text or _RESERVED.match(text):
        text = f"document-{text}" if text else "document"
    return text


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half.

    A temporary file in the same folder is written, flushed to disk and renamed
    over the target.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_all(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Write every file atomically; names must stay inside ``out_dir``."""
    root = out_dir.resolve()
    for name, data in files.items():
        target = (root / name).resolve()
        if target.parent != root:
            raise InvalidInput(
                problems=[
                    Problem(
                        message=f"output name {name!r} leaves the output folder", file=str(out_dir)
                    )
                ]
            )
        write_atomic(target, data)


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
        except (ValueError, KeyError, TypeError) as err:
            raise InvalidInput(
                problems=[
                    Problem(message=f"not a propgen provenance file: {err}", file=str(record))
                ]
            ) from err
        for name, expected in outputs.items():
            path = out_dir / Path(name).name
            if not path.is_file():
                results.append((name, "missing"))
            else:
                status = "ok" if sha256(path.read_bytes()) == expected else "changed"
                results.append((name, status))
    return results
