"""Shared fixtures: the repository, the reference records, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from propgen.cli import main
from support import HUAXIN, NORTHWIND, reference


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
    return reference(NORTHWIND)


@pytest.fixture
def huaxin() -> Path:
    return reference(HUAXIN)
