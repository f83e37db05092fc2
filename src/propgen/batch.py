"""Rendering many needs files at once: a process pool with progress and a summary.

Workers are recycled after a number of records to bound memory (WeasyPrint
grows in long-lived processes); one bad file is reported and the others go on.
"""

from __future__ import annotations

import multiprocessing
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from propgen.errors import InvalidInput, PropgenError

if TYPE_CHECKING:
    from propgen.document import DocumentKind
    from propgen.library import Library
    from propgen.render import Format
    from propgen.render.pdf_profile import PdfProfile

RECORDS_PER_WORKER = 10
DOCUMENTS_PER_RECORD = 4
"""At most: proposal and contract, each as DOCX and PDF (HTML is fast)."""


@dataclass(frozen=True)
class Job:
    needs: Path
    out_dir: Path
    formats: tuple[Format, ...]
    only: DocumentKind | None
    allow_draft: bool
    library_root: Path
    pdf_profile: PdfProfile = "standard"
    force: bool = False


@dataclass(frozen=True)
class Outcome:
    needs: Path
    written: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    invalid: bool = False
    """True when the file was rejected as invalid input (exit code 2)."""

    @property
    def ok(self) -> bool:
        return not self.problems


@cache
def _library(root: Path) -> Library:
    from propgen.library import Library

    return Library(root)


def run_job(job: Job) -> Outcome:
    """Render one record; never raises for a problem with that record."""
    from propgen.pipeline import render

    try:
        result = render(
            job.needs,
            job.out_dir,
            formats=job.formats,
            library=_library(job.library_root),
            only=job.only,
            allow_draft=job.allow_draft,
            pdf_profile=job.pdf_profile,
            force=job.force,
        )
    except InvalidInput as err:
        return Outcome(job.needs, problems=tuple(map(str, err.problems)), invalid=True)
    except PropgenError as err:
        return Outcome(job.needs, problems=(str(err),))
    from propgen.review.basis import keep_for_review

    keep_for_review(result.checked, job.formats)
    return Outcome(job.needs, written=tuple(str(p) for p in result.files.values()))


def run_batch(
    jobs: Sequence[Job],
    workers: int,
    report: Callable[[int, int, Outcome, float], None],
    *,
    records_per_worker: int = RECORDS_PER_WORKER,
) -> list[Outcome]:
    """Render ``jobs`` on ``workers`` processes; ``report(done, total, outcome, elapsed)``
    is called as each finishes."""
    start = time.monotonic()
    outcomes: list[Outcome] = []
    clashes = _same_outputs(jobs)
    for job in jobs:
        if job.needs in clashes:
            outcomes.append(clashes[job.needs])
            report(len(outcomes), len(jobs), outcomes[-1], time.monotonic() - start)
    jobs_to_run = [job for job in jobs if job.needs not in clashes]
    if workers <= 1 or len(jobs_to_run) <= 1:
        for job in jobs_to_run:
            outcomes.append(run_job(job))
            report(len(outcomes), len(jobs), outcomes[-1], time.monotonic() - start)
        return _in_order(outcomes, jobs)
    from propgen import parallel

    with parallel.pool(workers, parallel.RECORD_PIPELINE, records_per_worker) as pool:
        finished = pool.imap_unordered(run_job, jobs_to_run)
        for _ in jobs_to_run:
            try:
                outcome = finished.next(timeout=parallel.patience(DOCUMENTS_PER_RECORD))
            except multiprocessing.TimeoutError:
                break  # a worker died: what has not answered by now never will
            outcomes.append(outcome)
            report(len(outcomes), len(jobs), outcome, time.monotonic() - start)
    answered = {outcome.needs for outcome in outcomes}
    for job in jobs_to_run:
        if job.needs not in answered:
            outcomes.append(Outcome(job.needs, problems=(parallel.WORKER_LOST,)))
            report(len(outcomes), len(jobs), outcomes[-1], time.monotonic() - start)
    return _in_order(outcomes, jobs)


def _in_order(outcomes: list[Outcome], jobs: Sequence[Job]) -> list[Outcome]:
    order = {job.needs: index for index, job in enumerate(jobs)}
    return sorted(outcomes, key=lambda o: order[o.needs])


def _same_outputs(jobs: Sequence[Job]) -> dict[Path, Outcome]:
    """Records whose outputs would overwrite an earlier record's in the same batch."""
    from propgen.output import safe_name
    from propgen.source import SourceError, read_source

    first: dict[tuple[Path, str], Path] = {}
    clashes: dict[Path, Outcome] = {}
    for job in jobs:
        try:
            reference = read_source(job.needs).data["document"]["reference"]
        except (SourceError, KeyError, TypeError):
            continue  # the job itself reports what is wrong with the file
        key = (job.out_dir.resolve(), safe_name(str(reference)))
        if key in first:
            message = (
                f"{job.needs}: document.reference: {reference!r} names the same output "
                f"files as {first[key]} in this batch — give each deal its own reference"
            )
            clashes[job.needs] = Outcome(job.needs, problems=(message,), invalid=True)
        else:
            first[key] = job.needs
    return clashes


class Progress:
    """A one-line progress display on stderr, only when it is a terminal."""

    def __init__(self, enabled: bool | None = None) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled

    def __call__(self, done: int, total: int, outcome: Outcome, elapsed: float) -> None:
        if not self.enabled:
            return
        eta = elapsed / done * (total - done)
        line = f"[{done}/{total}] {outcome.needs.name[:40]:40} ETA {eta:5.0f}s"
        sys.stderr.write("\r" + line)
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()
