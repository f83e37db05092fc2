"""The library: industry templates, reusable sections, legal's clauses, the theme.

``Library`` (:mod:`propgen.library.store`, with the pydantic models that validate
library files) is imported on first use, so :mod:`propgen.library.files` — where a
library is, its content hash — stays light to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from propgen.library.files import bundled_library_root, default_library_root

if TYPE_CHECKING:
    from propgen.library.store import Library

__all__ = ["Library", "bundled_library_root", "default_library_root"]


def __getattr__(name: str) -> Any:
    if name == "Library":
        from propgen.library.store import Library

        return Library
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
