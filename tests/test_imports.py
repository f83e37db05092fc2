"""Start-up stays cheap: the heavy renderers load only when a document is rendered."""

from __future__ import annotations

import json
import subprocess
import sys

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
