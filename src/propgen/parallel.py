"""The worker processes that render in parallel, for one record or many.

Workers fork from a *forkserver* that has already imported the renderers
(WeasyPrint above all), so a worker starts in milliseconds instead of re-importing
them, and no worker inherits the parent's threads or open files. :func:`warm_up`
starts that server before the parent checks the record: the imports (most of a
second) then run on the second core while the first one validates the input.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.forkserver
import os
from collections.abc import Iterable
from multiprocessing.pool import AsyncResult, Pool
from typing import TypeVar

from propgen.errors import PropgenError

T = TypeVar("T")

__all__ = [
    "RECORD_PIPELINE",
    "RENDERERS",
    "WORKER_LOST",
    "available_cores",
    "patience",
    "pool",
    "renders_pdf_in_workers",
    "results",
    "warm_up",
    "worker_started",
]

RENDERERS = ("propgen.render.pdf",)
"""What a worker needs to render the PDFs of a record another process checked."""
RECORD_PIPELINE = (*RENDERERS, "propgen.render.docx", "propgen.pipeline")
"""What a worker needs to check, assemble and render whole records."""

_context = multiprocessing.get_context("forkserver")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity, not the machine's count)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def renders_pdf_in_workers(workers: int, formats: Iterable[str]) -> bool:
    """Whether one record's PDFs render in worker processes: only they are slow
    enough to pay for a worker (whose WeasyPrint import then overlaps the check)."""
    return workers > 1 and "pdf" in formats


def warm_up(preload: tuple[str, ...]) -> None:
    """Start the forkserver now, importing ``preload`` in the background.

    Only the first call in a process chooses what is preloaded. The server also
    preloads :mod:`propgen.forkserver_exit`, so it leaves at once when done.
    """
    _context.set_forkserver_preload([*preload, "propgen.forkserver_exit"])
    multiprocessing.forkserver.ensure_running()


def pool(workers: int, preload: tuple[str, ...], tasks_per_worker: int | None = None) -> Pool:
    """A pool of ``workers`` processes, each replaced after ``tasks_per_worker`` tasks.

    ``multiprocessing.Pool``, not ``ProcessPoolExecutor``: the executor's
    ``max_tasks_per_child`` stops replacing workers on Python < 3.13 (gh-115634).
    """
    warm_up(preload)
    return _context.Pool(workers, worker_started, maxtasksperchild=tasks_per_worker)


WORKER_LOST = (
    "a worker process stopped without finishing (out of memory?); "
    "run again with -j 1 to see the error"
)


def patience(documents: int) -> float:
    """Seconds to wait for a worker's answer covering ``documents`` documents.

    A live worker stops itself at the time limit per document; a worker killed
    outright (the kernel's OOM killer, a crash in a C library) is replaced by the
    pool and its task never answers, so waiting must end.
    """
    from propgen.guard import time_limit

    return time_limit() * documents + 60


def results(pending: AsyncResult[T], documents: int) -> T:
    """The answer of ``pending``, or :class:`PropgenError` if no worker gives it."""
    try:
        return pending.get(timeout=patience(documents))
    except multiprocessing.TimeoutError:
        raise PropgenError(WORKER_LOST) from None


def worker_started() -> None:
    """Each worker's first step: what the server imported moves out of the
    collector's sight, so collections stay cheap and never touch (so never copy)
    the memory the workers share; and the worker, which only renders, takes the
    collector settings of :func:`propgen.collector.render_only`."""
    from propgen.collector import render_only

    gc.freeze()
    render_only()
