"""Start-up stays cheap: the heavy renderers load only when a document is rendered."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support import SAMPLES

HEAVY = ("weasyprint", "docxtpl", "docx", "pydyf", "fontTools")


def modules_after(code: str) -> set[str]:
    probe = f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["industries"], ["schema"]])
def test_cli_start_up_imports_no_renderer(args: list[str]) -> None:
    loaded = modules_after(
        "from propgen.cli import main\nimport contextlib, io\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main({args!r})"
    )
    assert not loaded & set(HEAVY)


def test_help_does_not_even_load_the_pipeline() -> None:
    loaded = modules_after(
        "from propgen.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])"
    )
    assert not loaded & {"pydantic", "jinja2", "babel", "yaml", "propgen.pipeline"}


def test_check_imports_no_renderer() -> None:
    loaded = modules_after(
        "from propgen.cli import main\nimport contextlib, io\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['check', {str(SAMPLES[0])!r}])"
    )
    assert "propgen.pipeline" in loaded
    assert not loaded & set(HEAVY)


def test_public_api() -> None:
    import propgen

    for name in propgen.__all__:
        assert getattr(propgen, name) is not None
    assert "render" in propgen.__all__ and "check" in propgen.__all__


def test_exports_and_all_agree() -> None:
    import propgen

    assert set(propgen.__all__) == {*propgen._EXPORTS, "__version__"}


def _entry(args: list[str], columns: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": str(columns)}
    return subprocess.run(
        [sys.executable, "-m", "propgen", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["--version"]])
def test_entry_answers_help_and_version_without_click(args: list[str]) -> None:
    loaded = modules_after(
        f"import sys; sys.argv = ['propgen', *{args!r}]\n"
        "import contextlib, io, os; os.environ['COLUMNS'] = '120'\n"
        "from propgen.__main__ import main\n"
        "with contextlib.redirect_stdout(io.StringIO()): main()"
    )
    assert "click" not in loaded and "typing" not in loaded


@pytest.mark.parametrize("columns", [80, 200])
def test_stored_help_is_what_click_prints(columns: int) -> None:
    fast = _entry(["--help"], columns)
    from_click = _entry(["--debug", "--help"], columns)  # not the fast path
    assert fast.returncode == from_click.returncode == 0
    assert fast.stdout == from_click.stdout, "run: python tools/build_help.py"


def test_narrow_terminal_help_comes_from_click() -> None:
    narrow = _entry(["--help"], 60)
    assert narrow.returncode == 0
    assert max(map(len, narrow.stdout.splitlines())) <= 60


def test_version_matches_click() -> None:
    from click.testing import CliRunner

    from propgen.cli import cli

    click_says = CliRunner().invoke(cli, ["--version"]).output
    assert _entry(["--version"], 80).stdout == click_says


def test_the_command_flushes_its_output_and_keeps_its_exit_code(tmp_path: Path) -> None:
    """The console script leaves with ``os._exit``: nothing it printed may be lost."""
    listing = subprocess.run(
        [sys.executable, "-m", "propgen", "industries"], capture_output=True, text=True
    )
    assert listing.returncode == 0 and "financial-services" in listing.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text("customer: [\n", encoding="utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "propgen", "check", str(bad)], capture_output=True, text=True
    )
    assert refused.returncode == 2
    assert "bad.yaml" in refused.stderr and "Traceback" not in refused.stderr
