"""Where a library is and which files it holds, and the hash of their content —
without parsing any of them, so a command that only needs to recognise a library
(``review`` with a cached basis) does not pay for the models that validate it."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from propgen.confined import confined_folder, read_confined

ENV_VAR = "PROPGEN_LIBRARY"


def bundled_library_root() -> Path:
    """The library shipped with propgen: inside the installed package, or the
    source checkout's root when running from a clone."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "_library"
    if (installed / "templates").is_dir():
        return installed
    return package.parents[1]


def default_library_root() -> Path:
    """``$PROPGEN_LIBRARY`` if set, else the bundled library."""
    configured = os.environ.get(ENV_VAR)
    return Path(configured) if configured else bundled_library_root()


def library_files(root: Path) -> list[Path]:
    """Every file of ``root``'s ``templates/`` and ``snippets/`` (and every link,
    which is not followed), in a stable order."""
    found: list[Path] = []
    for top in (root / "templates", root / "snippets"):
        paths = []
        for folder, dirs, names in os.walk(top):  # does not follow links to folders
            base = Path(folder)
            paths += [base / n for n in names]
            paths += [base / d for d in dirs if (base / d).is_symlink()]
        found += sorted(paths)
    return found


def content_sha256(root: Path) -> str:
    """The sha256 of the library's content: every file's path and sha256, in order.

    Raises:
        LibraryError: a file or link leads out of the library, or is too large.
    """
    digest = hashlib.sha256()
    for path in library_files(root):
        if path.is_symlink() and path.is_dir():  # its files are hashed where they are
            confined_folder(root, path)
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(read_confined(root, path)).digest())
    return digest.hexdigest()
