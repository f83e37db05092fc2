"""A batch job that also says which process ran it (imported by the workers, so
it stays light: no pytest, no test helpers)."""

from __future__ import annotations

import dataclasses
import os

from propgen import batch

_render = batch.run_job
"""The real job, kept before a test replaces ``batch.run_job`` with :func:`run_and_tell_pid`."""

PID_PREFIX = "pid:"


def run_and_tell_pid(job: batch.Job) -> batch.Outcome:
    outcome = _render(job)
    return dataclasses.replace(outcome, written=(*outcome.written, f"{PID_PREFIX}{os.getpid()}"))
