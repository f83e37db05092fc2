"""Expensive test artefacts made once per test run and shared read-only.

Rendering a sample (DOCX and PDF) costs seconds and opening LibreOffice costs more, so
the artefacts many test modules read — every sample rendered, the reference records
rendered, those DOCX files converted by LibreOffice — are made once per run, by
whichever pytest process (or pytest-xdist worker) asks first; the others wait for it
and reuse the result. Fixtures in ``conftest.py`` hand them to tests.

A test reads these files; a test that changes one copies it first.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from support import require_tool


def shared_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder of this test run that every xdist worker of the run sees.

    Without xdist it is the run's own base temp folder; with xdist each worker has
    ``…/pytest-N/popen-gwK`` and the parent, ``…/pytest-N``, is the run's.
    """
    base = tmp_path_factory.getbasetemp()
    root = (base.parent if "PYTEST_XDIST_WORKER" in os.environ else base) / "shared"
    root.mkdir(exist_ok=True)
    return root


def made_once(root: Path, name: str, make: Callable[[Path], None]) -> Path:
    """``root/name``, made by ``make(folder)`` in the first process that asks.

    ``make`` fills an empty staging folder; it becomes ``root/name`` only when complete,
    so a process never sees a half-made folder, and a failed ``make`` leaves nothing
    (the next process to ask tries again and fails the same way).
    """
    target = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not target.is_dir():
            staging = root / f"{name}.making"
            shutil.rmtree(staging, ignore_errors=True)
            staging.mkdir()
            make(staging)
            staging.rename(target)
    return target


def render_into(*args: str | Path) -> Callable[[Path], None]:
    """A ``make`` for :func:`made_once`: ``propgen render ARGS -o FOLDER`` in-process."""

    def make(folder: Path) -> None:
        from propgen.cli import main

        code = main(["render", *map(str, args), "-o", str(folder)])
        assert code == 0, f"propgen render {' '.join(map(str, args))} exited {code}"

    return make


def libreoffice_convert(
    sources: list[Path], to: str, out: Path, *, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    """``soffice --headless --convert-to TO`` of every source in one LibreOffice run
    (one process for many files: its start-up costs more than a conversion), with a
    fresh user profile beside ``out``. The caller checks the return code and the files."""
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    out.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation={out.with_name(out.name + '.profile').as_uri()}",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
