"""Shared fixtures: the repository, the reference records, a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from propgen.cli import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = sorted((ROOT / "samples").glob("*.yaml"))
EXAMPLES_DIR = ROOT.parent / "shared" / "examples"
EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yaml")) if EXAMPLES_DIR.is_dir() else []
NORTHWIND = EXAMPLES_DIR / "northwind-saas.en.yaml"
HUAXIN = EXAMPLES_DIR / "huaxin-manufacturing.zh.yaml"


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


def reference(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"reference record {path} not available")
    return path


@pytest.fixture
def northwind() -> Path:
    return reference(NORTHWIND)


@pytest.fixture
def huaxin() -> Path:
    return reference(HUAXIN)
