"""Shared fixtures: the repository, the reference records, a CLI runner."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from propgen.cli import main
from propgen.user_cache import CACHE_VARIABLE
from support import HUAXIN, NORTHWIND


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
def rendered_proposals(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every sample's proposal as DOCX (rendered once per test run)."""
    from support import INDUSTRY_SAMPLES, SAMPLES

    out = tmp_path_factory.mktemp("proposals")
    names = [str(p) for p in SAMPLES + INDUSTRY_SAMPLES]
    code = main(["render", *names, "-o", str(out), "--format", "docx", "--only", "proposal"])
    assert code == 0
    return out
