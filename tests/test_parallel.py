"""One record's files rendered side by side in worker processes: same bytes, same errors."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from propgen import parallel
from propgen.errors import EnvironmentProblem, LibraryError, Problem, PropgenError, ResourceLimit
from propgen.library import Library
from propgen.pipeline import check, render
from propgen.render import render_document
from support import ROOT, SAMPLES


def test_workers_write_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    record = SAMPLES[0]
    serial = render(record, tmp_path / "serial", workers=1)
    parallel = render(record, tmp_path / "parallel", workers=2)
    assert list(serial.files) == list(parallel.files)  # same names, same order
    for name, path in serial.files.items():
        assert path.read_bytes() == parallel.files[name].read_bytes(), name


def test_a_pdf_worker_loads_the_renderer_not_the_pipeline() -> None:
    """Unpickling a PDF task must not import the checking stack into the worker (it
    would cost each worker half a second before its PDF starts)."""
    checked = check(SAMPLES[0], only="proposal")
    document = checked.documents["proposal"]
    task = (render_document, (document, checked.library.theme_dir, "pdf"))
    probe = (
        "import pickle, sys\n"
        f"import {', '.join(parallel.RENDERERS)}\n"
        "function, arguments = pickle.loads(sys.stdin.buffer.read())\n"
        "print(sorted({'propgen.pipeline', 'pydantic', 'markdown_it', 'yaml'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], input=pickle.dumps(task), capture_output=True, check=True
    )
    assert result.stdout.decode().strip() == "[]"


def test_a_worker_failure_keeps_its_type_and_writes_nothing(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", library / "templates")
    shutil.copytree(ROOT / "snippets", library / "snippets")
    (library / "templates" / "theme" / "print.css").unlink()  # fails in the PDF worker
    out = tmp_path / "out"
    with pytest.raises(EnvironmentProblem, match="no stylesheet"):
        render(SAMPLES[0], out, library=Library(library), workers=2)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize(
    "error",
    [
        LibraryError(problems=[Problem("bad", file="a.yaml", line=3, field="x", hint="fix")]),
        ResourceLimit(problems=[Problem("too long")]),
        EnvironmentProblem(message="install fonts-noto-cjk"),
    ],
)
def test_errors_cross_process_boundaries(error: Exception) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    assert getattr(copy, "problems", None) == getattr(error, "problems", None)


def test_a_killed_worker_is_reported_not_waited_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "patience", lambda documents: 3.0)
    with parallel.pool(1, ()) as pool:
        pending = pool.starmap_async(os._exit, [(3,)])  # the worker dies without answering
        with pytest.raises(PropgenError, match="worker process stopped"):
            parallel.results(pending, 1)


EXIT_PROBE = """
import atexit, sys

def exit_with_5_after_the_exit_handlers() -> None:
    atexit._run_exitfuncs()  # what the forkserver runs once its last client has gone
    sys.exit(5)
"""


def test_the_forkserver_leaves_without_tearing_down(tmp_path: Path) -> None:
    """Workers fork from the server, exit handlers included: in one, running them
    ends the process at once, before its own ``sys.exit(5)``."""
    (tmp_path / "exit_probe.py").write_text(EXIT_PROBE)
    script = (
        f"import sys; sys.path.insert(0, {str(tmp_path)!r})\n"
        "from exit_probe import exit_with_5_after_the_exit_handlers as target\n"
        "from propgen import parallel\n"
        "parallel.warm_up(())\n"
        "worker = parallel._context.Process(target=target)\n"
        "worker.start(); worker.join(); print(worker.exitcode)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert result.stdout.strip() == "0", result.stderr


def test_the_exit_hook_is_inert_outside_the_forkserver() -> None:
    script = "import propgen.forkserver_exit; raise SystemExit(3)"
    assert subprocess.run([sys.executable, "-c", script]).returncode == 3
