"""Batches: a process pool that recycles workers, reports each file, never stalls."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import pytest

import worker_probe
from propgen import batch, parallel
from propgen.batch import Job, Outcome, run_batch
from propgen.library import bundled_library_root
from support import ROOT

SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"


def records(tmp_path: Path, count: int) -> list[Path]:
    text = SAMPLE.read_text(encoding="utf-8")
    reference = next(line for line in text.splitlines() if "reference:" in line)
    paths = []
    for n in range(count):
        path = tmp_path / f"deal-{n:02}.yaml"
        path.write_text(text.replace(reference, f"  reference: BATCH-{n:02}"), encoding="utf-8")
        paths.append(path)
    return paths


def test_pool_recycles_workers_and_finishes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = records(tmp_path, 9)
    paths.append(tmp_path / "missing.yaml")  # one bad file does not stop the others
    out = tmp_path / "out"
    jobs = [Job(p, out, ("html",), "proposal", False, bundled_library_root()) for p in paths]
    seen: list[int] = []

    def report(done: int, total: int, outcome: Outcome, elapsed: float) -> None:
        seen.append(done)
        assert total == len(jobs) and elapsed >= 0

    monkeypatch.setattr(batch, "run_job", worker_probe.run_and_tell_pid)
    # Two records per worker: the pool must replace workers four times over.
    outcomes = run_batch(jobs, 2, report, records_per_worker=2)
    assert seen == list(range(1, len(jobs) + 1))
    assert [o.needs for o in outcomes] == paths
    assert all(o.ok for o in outcomes[:-1])
    assert outcomes[-1].invalid and "cannot read file" in outcomes[-1].problems[0]
    assert len(list(out.glob("BATCH-*-proposal.html"))) == 9
    pids = Counter(
        name.removeprefix(worker_probe.PID_PREFIX)
        for o in outcomes[:-1]
        for name in o.written
        if name.startswith(worker_probe.PID_PREFIX)
    )
    # 9 records answered, at most 2 per worker: at least 5 processes, none did 3.
    assert sum(pids.values()) == 9 and len(pids) >= 5 and max(pids.values()) <= 2, pids
    assert str(os.getpid()) not in pids


def test_two_records_with_one_reference_do_not_overwrite_each_other(tmp_path: Path) -> None:
    first, second = records(tmp_path, 2)
    second.write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    jobs = [
        Job(p, out, ("html",), "proposal", False, bundled_library_root()) for p in (first, second)
    ]
    outcomes = run_batch(jobs, 2, lambda *_: None)
    assert outcomes[0].ok
    assert outcomes[1].invalid
    assert "names the same output files as" in outcomes[1].problems[0]
    assert str(first) in outcomes[1].problems[0]


def test_records_of_a_killed_worker_are_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies outright (here: exits instead of rendering) never answers;
    the batch must end and name the records, not wait for ever."""
    monkeypatch.setattr(batch, "run_job", sys.exit)
    monkeypatch.setattr(parallel, "patience", lambda documents: 3.0)
    paths = records(tmp_path, 2)
    jobs = [Job(p, tmp_path / "out", ("html",), None, False, bundled_library_root()) for p in paths]
    outcomes = run_batch(jobs, 2, lambda *_: None)
    assert [o.needs for o in outcomes] == paths
    assert all("worker process stopped" in o.problems[0] for o in outcomes)
