"""Time and memory limits around work a hostile input could make pathological.

:func:`limits` bounds a block of work (rendering one document, one library
template) by wall-clock time and by how much more address space the process may
take. Both limits raise :class:`ResourceLimit`, an :class:`~propgen.errors.InvalidInput`
(exit code 2), so a batch reports the record and goes on with the next one.

How, and where it cannot:

* Time uses ``SIGALRM`` (``setitimer``), which Python only allows in the main
  thread of the main interpreter. Elsewhere (a web server's worker thread) no
  timer is set; run propgen in a process you can kill, e.g. ``propgen render``
  with ``--jobs``. The exception is raised between Python bytecodes, so a single
  long C call (one enormous paragraph in Pango) finishes before it lands. Where
  Python would print it and drop it (a ``__del__`` method, a finalizer, a gc
  callback) it waits until that returns; anything else that swallows it gets a
  second ring.
* Memory is bounded first by :func:`check_size`: a document with more text or
  table cells than any real proposal is refused before layout (WeasyPrint needs
  roughly 300 bytes per character laid out). As a last resort the soft
  ``RLIMIT_AS`` is lowered to the current address space plus a budget and
  restored afterwards; a Python allocation beyond it raises :class:`MemoryError`,
  turned into :class:`ResourceLimit`. C libraries (libxml2, Pango) may instead
  fail harder when they hit it, which is why the budget is far above normal use
  and :func:`check_size` is what normally acts. POSIX only.
* Nested use keeps the outer, tighter limits.
* Between documents, :func:`propgen.collector.release_memory` hands back what a
  layout left, so one process rendering many documents does not pile each on the last
  one's garbage.

The defaults (``PROPGEN_TIME_LIMIT`` seconds, ``PROPGEN_MEMORY_LIMIT`` MiB) are
generous: the largest record the loader accepts (1,000 line items, 2 MiB of
text) renders in about a minute and a few hundred MiB.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any

from propgen.errors import Problem, ResourceLimit
from propgen.i18n import N_

if TYPE_CHECKING:
    from propgen.document import Document

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

__all__ = ["check_size", "limits"]

DEFAULT_SECONDS = 300.0
DEFAULT_MEGABYTES = 4096
MAX_CHARACTERS = 1_500_000
"""Most characters of text one document may have (about 600 pages)."""
MAX_CELLS = 60_000
"""Most table cells one document may have."""

_active = threading.local()


class _Expired(BaseException):
    """Raised by the alarm inside the limited block; becomes :class:`ResourceLimit`."""


def check_size(document: Document) -> None:
    """Refuse a document too large to lay out in reasonable time and memory.

    Raises:
        ResourceLimit: naming the document and what is too large.
    """
    # here, not at the top: the limits guard reviews too, which have no model
    from propgen.document import Heading, Paragraph, Table, inline_text, iter_blocks

    characters = cells = 0
    for block in iter_blocks((*document.preface, *document.blocks)):
        if isinstance(block, Heading | Paragraph):
            characters += len(inline_text(block.inlines))
        elif isinstance(block, Table):
            for row in (block.header, *block.rows, *block.footer):
                for cell in row.cells if row else ():
                    cells += 1
                    characters += len(inline_text(cell.inlines))
    what = N_("document {reference} ({document})").format(
        document=document.meta.kind, reference=document.meta.reference
    )
    if characters > MAX_CHARACTERS:
        raise _problem(
            N_(
                "{document}: has {characters:,} characters of text; "
                "propgen lays out at most {most:,}"
            ).format(document=what, characters=characters, most=MAX_CHARACTERS),
            N_("shorten the texts of the record"),
        )
    if cells > MAX_CELLS:
        raise _problem(
            N_("{document}: has {cells:,} table cells; propgen lays out at most {most:,}").format(
                document=what, cells=cells, most=MAX_CELLS
            ),
            N_("use fewer line items"),
        )


def time_limit() -> float:
    """Seconds one document may take (``$PROPGEN_TIME_LIMIT``, default 300)."""
    return _setting("PROPGEN_TIME_LIMIT", DEFAULT_SECONDS)


def _setting(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return value if value > 0 else default


def _address_space() -> int | None:
    """This process's current virtual size in bytes (Linux), or None."""
    try:
        with open("/proc/self/statm", "rb") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _timeout(what: str, seconds: float) -> ResourceLimit:
    return _problem(
        N_("{document}: took longer than {seconds:g} seconds and was stopped").format(
            document=what, seconds=seconds
        ),
        N_("shorten the record (fewer line items, shorter texts) or raise PROPGEN_TIME_LIMIT"),
    )


def _out_of_memory(what: str, megabytes: float) -> ResourceLimit:
    return _problem(
        N_("{document}: needed more than {megabytes:g} MiB of memory and was stopped").format(
            document=what, megabytes=megabytes
        ),
        N_("shorten the record or raise PROPGEN_MEMORY_LIMIT"),
    )


def _problem(message: str, hint: str) -> ResourceLimit:
    return ResourceLimit(problems=[Problem(message=message, hint=hint)])


@contextmanager
def limits(
    what: str, *, seconds: float | None = None, megabytes: float | None = None
) -> Iterator[None]:
    """Run the block with a time limit and a memory budget.

    Args:
        what: named in the error, e.g. ``"the PDF of PG-2026-0142 (proposal)"``.
        seconds: wall-clock limit (default ``$PROPGEN_TIME_LIMIT`` or 300).
        megabytes: extra address space allowed (default ``$PROPGEN_MEMORY_LIMIT``
            or 3072).

    Raises:
        ResourceLimit: the block ran out of time or memory.
    """
    if getattr(_active, "depth", 0):
        _active.depth += 1
        try:
            yield
        finally:
            _active.depth -= 1
        return
    seconds = seconds or time_limit()
    megabytes = megabytes or _setting("PROPGEN_MEMORY_LIMIT", DEFAULT_MEGABYTES)
    timed = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and signal.getitimer(signal.ITIMER_REAL)[0] == 0  # nobody else's alarm running
    )
    expired = False
    left = False  # the block has ended: a late ring is no longer about it

    def on_alarm(_signum: int, frame: FrameType | None) -> None:
        nonlocal expired
        if left:  # rang while the limit was being taken down (a busy machine)
            return
        expired = True
        if _dropped_if_raised_in(frame):  # ring again as soon as that has returned
            signal.setitimer(signal.ITIMER_REAL, 0.01)
            return
        # A BaseException, so library code's ``except Exception`` (WeasyPrint logs
        # and goes on after some errors) does not swallow it; ring again in case
        # something swallows even that.
        signal.setitimer(signal.ITIMER_REAL, 0.5)
        raise _Expired

    previous_handler: Any = None
    if timed:
        previous_handler = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    previous_limit = _lower_memory_limit(megabytes)
    _active.depth = 1
    try:
        try:
            yield
        finally:
            # From here on a ring is ignored: raised in the ``finally`` below, it would
            # leave this handler installed and the timer running, and ring in whatever
            # the process does next (a test runner's report, a server's next request).
            left = True
    except MemoryError:
        raise _out_of_memory(what, megabytes) from None
    except BaseException:
        if expired:
            raise _timeout(what, seconds) from None
        raise
    else:
        if expired:  # finished, but after swallowing the alarm somewhere: distrust it
            raise _timeout(what, seconds)
    finally:
        _active.depth = 0
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(
                signal.SIGALRM,
                previous_handler if previous_handler is not None else signal.SIG_DFL,
            )
        if previous_limit is not None and resource is not None:
            resource.setrlimit(resource.RLIMIT_AS, previous_limit)


def _dropped_if_raised_in(frame: FrameType | None) -> bool:
    """Whether Python would print an exception raised in ``frame`` and drop it: inside
    a ``__del__`` method, a ``weakref.finalize`` callback or one of the ``gc.callbacks``
    (a profiler's, a test plugin's)."""
    codes = {getattr(getattr(c, "__func__", c), "__code__", None) for c in gc.callbacks}
    codes.add(weakref.finalize.__call__.__code__)
    while frame is not None:
        if frame.f_code.co_name == "__del__" or frame.f_code in codes:
            return True
        frame = frame.f_back
    return False


def _lower_memory_limit(megabytes: float) -> tuple[int, int] | None:
    """Lower the soft address-space limit to now + ``megabytes``; the old limits."""
    if resource is None:
        return None
    current = _address_space()
    if current is None:
        return None
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        budget = current + int(megabytes * 1024 * 1024)
        if soft != resource.RLIM_INFINITY and soft <= budget:
            return None  # already tighter
        if hard != resource.RLIM_INFINITY and hard < budget:
            budget = hard
        resource.setrlimit(resource.RLIMIT_AS, (budget, hard))
    except (OSError, ValueError):
        return None
    return soft, hard
