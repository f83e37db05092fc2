"""The library: industry templates, reusable sections, legal's clauses, the theme."""

from propgen.library.store import Library, bundled_library_root, default_library_root

__all__ = ["Library", "bundled_library_root", "default_library_root"]
