"""The cyclic garbage collector around PDF layouts.

WeasyPrint's layout trees are cyclic garbage, so after every PDF
:func:`release_memory` runs a full collection and hands the freed heap back to the
system: a process rendering many documents then does not pile each one on the last
one's garbage (peak RSS over 40 documents: 261 MiB without it, 216 MiB with it).

That costs time twice per PDF: the full collection walks every object in the process
(the imported modules, the library, the parsed stylesheets and fonts, not only the
layout's garbage), and the automatic collections during layout walk the growing
layout tree again and again, one of them a full one. A process that only renders
(the workers of :mod:`propgen.parallel`, ``propgen worker``) declares so with
:func:`render_only`, and then:

* after its first PDF (the warm-up: imports, fonts, stylesheets and library caches
  are loaded), what survives the collection is frozen (:func:`gc.freeze`): later
  collections walk only what later documents create;
* while a PDF is laid out and written (:func:`collection_deferred`), no automatic
  collection runs; :func:`release_memory` collects once when it is done.

These settings are process-wide, so only such processes take them: the CLI rendering
in its own process and a program using propgen as a library keep the collector as
they have it. What the first document left alive in cycles when it was frozen (its
record, at most) is never collected; refcounting still frees everything else.
"""

from __future__ import annotations

import ctypes
import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

__all__ = ["collection_deferred", "release_memory", "render_only"]


class _State:
    """This process's settings, shared by its threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.render_only = False
        self.frozen = False
        self.deferring = 0  # PDFs being laid out now, in any thread
        self.was_enabled = True


_state = _State()


def render_only(enabled: bool = True) -> None:
    """Declare this process one that only renders (see the module docstring);
    ``False`` returns it to the collector's defaults (and unfreezes what was frozen)."""
    with _state.lock:
        _state.render_only = enabled
        if not enabled and _state.frozen:
            gc.unfreeze()
            _state.frozen = False


@contextmanager
def collection_deferred() -> Iterator[None]:
    """No automatic collection during the block, in a :func:`render_only` process
    (elsewhere the block runs as it is). Threads may nest it: the collector is on
    again, if it was on before, when the last of them leaves."""
    with _state.lock:
        deferring = _state.render_only
        if deferring:
            if _state.deferring == 0:
                _state.was_enabled = gc.isenabled()
                gc.disable()
            _state.deferring += 1
    try:
        yield
    finally:
        if deferring:
            with _state.lock:
                _state.deferring -= 1
                if _state.deferring == 0 and _state.was_enabled:
                    gc.enable()


def release_memory() -> None:
    """Give back what a finished layout left behind, before the next one starts: a
    full collection, then the freed heap to the system where the C library allows it.
    In a :func:`render_only` process, the first call also freezes what survives."""
    gc.collect()
    with _state.lock:
        if _state.render_only and not _state.frozen:
            gc.freeze()
            _state.frozen = True
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    try:
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only
        return trim
    except (OSError, AttributeError):
        return None
