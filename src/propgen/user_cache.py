"""propgen's folder in the user's cache: what a fresh process need not compute again
(compiled templates, the page numbers of a contents page).

Everything kept there is keyed by what it was computed from, so an entry is either
exactly what the computation would give or not found; a cache that cannot be created,
read or written is simply not used.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["CACHE_VARIABLE", "cache_folder"]

CACHE_VARIABLE = "PROPGEN_CACHE_DIR"
"""Where propgen keeps its cache between runs; set it empty to keep none."""


def cache_folder(name: str) -> Path | None:
    """The cache's subfolder ``name`` (created, private to the user), or ``None`` when
    caching is off (``PROPGEN_CACHE_DIR=""``) or the folder cannot be created."""
    configured = os.environ.get(CACHE_VARIABLE)
    if configured == "":
        return None
    if configured:
        base = Path(configured)
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "propgen"
    directory = base / name
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return directory
