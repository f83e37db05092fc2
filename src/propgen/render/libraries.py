"""Importing WeasyPrint without its slow search for C libraries.

WeasyPrint opens Pango, HarfBuzz and fontconfig through cffi, trying several
names per library; cffi resolves each bare name with ``ctypes.util.find_library``,
which on Linux runs ``ldconfig -p`` and, for every name the linker cache does not
know (``libharfbuzz-0`` is a Windows name), ``gcc`` and ``ld`` as well: 22 lookups
and about a quarter of a second of every WeasyPrint import. :func:`import_weasyprint`
answers those lookups from one reading of the linker cache instead, the same way
``find_library`` reads it, and leaves ``find_library`` alone where there is no
linker cache (macOS, musl) or it lacks one of WeasyPrint's libraries.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from types import ModuleType

__all__ = ["harfbuzz_subset_available", "import_weasyprint", "linker_cache_lookup"]

_REQUIRED = ("gobject-2.0", "pango-1.0", "harfbuzz", "fontconfig", "pangoft2-1.0")
"""The libraries WeasyPrint cannot import without."""
_ABI = {
    "x86_64-64": "libc6,x86-64",
    "ppc64-64": "libc6,64bit",
    "sparc64-64": "libc6,64bit",
    "s390x-64": "libc6,64bit",
    "ia64-64": "libc6,IA-64",
}
"""How ``ldconfig -p`` names this machine's ABI (as ``ctypes.util`` maps it)."""


@functools.cache
def _linker_cache() -> str:
    """What ``ldconfig -p`` prints, or "" where there is no linker cache."""
    ldconfig = shutil.which("ldconfig") or shutil.which("ldconfig", path="/sbin:/usr/sbin")
    if not ldconfig or not sys.platform.startswith("linux"):
        return ""
    try:
        result = subprocess.run(
            [ldconfig, "-p"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
            env={"LC_ALL": "C", "LANG": "C"},
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return result.stdout if result.returncode == 0 else ""


def linker_cache_lookup(name: str) -> str | None:
    """The soname ``find_library(name)`` finds in the linker cache, without running
    a compiler for names the cache does not hold."""
    bits = 64 if sys.maxsize > 2**32 else 32
    abi = _ABI.get(f"{os.uname().machine}-{bits}", "libc6")
    found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", _linker_cache())
    return found.group(1) if found else None


@contextlib.contextmanager
def _lookups_from_linker_cache() -> Iterator[None]:
    if not all(linker_cache_lookup(name) for name in _REQUIRED):
        yield
        return
    original = ctypes.util.find_library
    ctypes.util.find_library = linker_cache_lookup
    try:
        yield
    finally:
        ctypes.util.find_library = original


@functools.cache
def import_weasyprint() -> ModuleType:
    """The ``weasyprint`` module, imported with fast library lookups."""
    with _lookups_from_linker_cache():
        import weasyprint  # type: ignore[import-untyped,unused-ignore]
    module: ModuleType = weasyprint
    return module


def harfbuzz_subset_available() -> bool:
    """Whether WeasyPrint will subset fonts with HarfBuzz (fast) rather than fontTools.

    WeasyPrint's own test — ``libharfbuzz-subset`` loads and HarfBuzz is at least
    4.1.0 — asked of the linker cache where there is one, so the answer costs no
    WeasyPrint import. Without it Chinese PDFs render 5-8x slower; Debian and
    Ubuntu ship it as ``libharfbuzz-subset0``.
    """
    if "weasyprint" in sys.modules or not _linker_cache():
        import_weasyprint()
        from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

        return harfbuzz_subset is not None and bool(harfbuzz.hb_version_atleast(4, 1, 0))
    subset, library = linker_cache_lookup("harfbuzz-subset"), linker_cache_lookup("harfbuzz")
    if not subset or not library:
        return False
    try:
        ctypes.CDLL(subset)
        return bool(ctypes.CDLL(library).hb_version_atleast(4, 1, 0))
    except (OSError, AttributeError):
        return False
