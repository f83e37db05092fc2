"""Shared fixtures: the repository, the reference records, a CLI runner, and rendered
documents shared by the whole test run.

Rendering is what makes this suite slow, so documents that many modules read are made
once per run (once across all pytest-xdist workers, see ``shared_outputs.py``) by these
session fixtures. Use them in a new test instead of rendering a sample again:

- ``rendered_samples``: every ``samples/*.yaml`` rendered — proposal and contract, DOCX
  and PDF, and the provenance — in one folder (file names start with the reference).
- ``rendered_references``: the two reference records (``NORTHWIND``, ``HUAXIN``), each
  rendered alone in its own folder: ``{record path: folder}``.
- ``libreoffice_pdfs``: every DOCX of those two fixtures as LibreOffice lays it out
  (one LibreOffice run for all): ``{docx path: pdf path}``.
- ``rendered_proposals``: the proposal DOCX of every sample and industry sample.

The files are shared: read them, and copy one into ``tmp_path`` before changing it.
A DOCX rendered alone has the same bytes as one rendered with its PDF, and
``--only proposal|contract`` the same bytes as a full render, so a test may take the one
file it needs from ``rendered_samples``. Render yourself only what no fixture holds (an
edited record, another library, a CLI behaviour under test).

The suite runs in parallel (``pytest -n auto --dist loadfile``): a module's tests run in
one worker, so a module-scoped fixture is made once; anything else shared between tests
must be safe for two processes at once (a free port from the OS, ``tmp_path`` folders).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from propgen.cli import main
from propgen.user_cache import CACHE_VARIABLE
from shared_outputs import libreoffice_convert, made_once, render_into, shared_root
from support import HUAXIN, INDUSTRY_SAMPLES, NORTHWIND, SAMPLES


def pytest_configure(config: pytest.Config) -> None:
    """Compiled templates go to a cache of this run's own, not the user's."""
    os.environ.setdefault(CACHE_VARIABLE, tempfile.mkdtemp(prefix="propgen-test-cache-"))


@dataclass(frozen=True)
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Callable[..., Result]:
    """Run the propgen CLI in-process and capture what it prints."""

    def invoke(*args: str | Path) -> Result:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke


@pytest.fixture
def northwind() -> Path:
    return NORTHWIND


@pytest.fixture
def huaxin() -> Path:
    return HUAXIN


@pytest.fixture(scope="session")
def shared_outputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder of this run's shared artefacts (the same for every xdist worker)."""
    return shared_root(tmp_path_factory)


@pytest.fixture(scope="session")
def rendered_samples(shared_outputs: Path) -> Path:
    """Every bundled sample: proposal and contract, DOCX and PDF, and provenance."""
    return made_once(shared_outputs, "samples", render_into(*SAMPLES, "-j", "2"))


@pytest.fixture(scope="session")
def rendered_references(shared_outputs: Path) -> dict[Path, Path]:
    """Each reference record rendered alone (both documents, both formats)."""
    return {
        record: made_once(shared_outputs, record.stem, render_into(record))
        for record in (NORTHWIND, HUAXIN)
    }


@pytest.fixture(scope="session")
def libreoffice_pdfs(
    shared_outputs: Path, rendered_samples: Path, rendered_references: dict[Path, Path]
) -> dict[Path, Path]:
    """Every DOCX of ``rendered_samples`` and ``rendered_references`` converted to PDF
    by LibreOffice, in one LibreOffice run."""
    docs = sorted(rendered_samples.glob("*.docx")) + sorted(
        p for folder in rendered_references.values() for p in folder.glob("*.docx")
    )

    def convert(folder: Path) -> None:
        result = libreoffice_convert(docs, "pdf", folder / "pdf")
        assert result.returncode == 0, result.stderr

    converted = made_once(shared_outputs, "libreoffice", convert) / "pdf"
    return {doc: converted / doc.with_suffix(".pdf").name for doc in docs}


@pytest.fixture(scope="session")
def rendered_proposals(shared_outputs: Path, rendered_samples: Path) -> Path:
    """Every sample's and industry sample's proposal as DOCX."""

    def make(folder: Path) -> None:
        names = [str(p) for p in INDUSTRY_SAMPLES]
        code = main(["render", *names, "-o", str(folder), "--format", "docx", "--only", "proposal"])
        assert code == 0
        for proposal in rendered_samples.glob("*-proposal.docx"):
            shutil.copyfile(proposal, folder / proposal.name)

    return made_once(shared_outputs, "proposals", make)
