"""Every exit code the README promises: 0, 1 (unexpected, environment, changed
files), 2 (invalid input, usage) and 130 (interrupted), and what each prints."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from propgen import pipeline
from propgen.errors import EnvironmentProblem
from support import ROOT

Run = Callable[..., Result]

SAAS_SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"


def _raise(error: BaseException) -> Callable[..., object]:
    def stage(*_: object, **__: object) -> object:
        raise error

    return stage


def test_unexpected_error_exits_1_with_the_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "check", _raise(RuntimeError("a bug in propgen")))
    result = run("check", SAAS_SAMPLE)
    assert result.code == 1
    assert "Traceback" in result.err and "RuntimeError: a bug in propgen" in result.err
    assert "Error: unexpected failure; please report it" in result.err


def test_environment_problem_exits_1_without_a_traceback(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    problem = EnvironmentProblem(message="no CJK font: apt-get install fonts-noto-cjk")
    monkeypatch.setattr(pipeline, "check", _raise(problem))
    result = run("check", SAAS_SAMPLE)
    assert result.code == 1
    assert result.err == "Error: no CJK font: apt-get install fonts-noto-cjk\n"


def test_debug_shows_the_traceback_of_a_reported_error(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "deal.yaml"
    bad.write_text("document: [\n", encoding="utf-8")
    quiet = run("check", bad)
    debug = run("--debug", "check", bad)
    assert quiet.code == debug.code == 2
    assert "Traceback" not in quiet.err
    assert "Traceback" in debug.err and "NeedsError" in debug.err
    assert quiet.err.strip().splitlines()[-1] in debug.err


def test_interrupt_exits_130(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "check", _raise(KeyboardInterrupt()))
    result = run("check", SAAS_SAMPLE)
    assert result.code == 130
    assert result.err.strip() == "Interrupted."


def test_usage_errors_exit_2(run: Run) -> None:
    for args in (("render",), ("render", SAAS_SAMPLE, "--jobs", "0"), ("no-such-command",)):
        result = run(*args)
        assert result.code == 2, args
        assert "Usage:" in result.err or "Error:" in result.err
        assert "Traceback" not in result.err


def test_verify_on_a_folder_without_provenance(run: Run, tmp_path: Path) -> None:
    result = run("verify", tmp_path)
    assert result.code == 2
    assert result.err.startswith(f"Error: {tmp_path}: no provenance records")
    assert result.out == ""
    chinese = run("--lang", "zh-CN", "verify", tmp_path)
    assert chinese.code == 2
    assert f"{tmp_path}: 此处没有来源记录（*.provenance.json），无可核验的内容" in chinese.err
    assert "REFERENCE.provenance.json" in chinese.err and "请核验" in chinese.err


def test_verify_exits_1_on_a_changed_or_missing_file(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("render", SAAS_SAMPLE, "-o", out, "--format", "html").code == 0
    assert run("verify", out).code == 0
    proposal = next(out.glob("*-proposal.html"))
    proposal.unlink()
    result = run("verify", out)
    assert result.code == 1 and f"missing  {proposal.name}" in result.out


def _deal(tmp_path: Path, name: str, reference: str) -> Path:
    text = SAAS_SAMPLE.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if "reference:" in line)
    path = tmp_path / name
    path.write_text(text.replace(line, f"  reference: {reference}"), encoding="utf-8")
    return path


def test_batch_exits_2_when_every_failure_is_invalid_input(run: Run, tmp_path: Path) -> None:
    good = _deal(tmp_path, "good.yaml", "BATCH-GOOD")
    bad = _deal(tmp_path, "bad.yaml", "BATCH-BAD")
    bad.write_text(bad.read_text(encoding="utf-8").replace("quantity:", "quantty:", 1))
    out = tmp_path / "out"
    result = run("render", good, bad, "-o", out, "--format", "html", "-j", "1")
    assert result.code == 2
    assert "rendered 1 of 2 files" in result.err and "1 failed" in result.err
    assert "quantty" in result.err
    assert sorted(p.name for p in out.glob("*.html")) == [
        "BATCH-GOOD-contract.html",
        "BATCH-GOOD-proposal.html",
    ]


def test_batch_exits_1_when_a_failure_is_not_the_input(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``-j 1`` renders in this process, so the stage can be made to fail here."""
    first = _deal(tmp_path, "first.yaml", "BATCH-ONE")
    second = _deal(tmp_path, "second.yaml", "BATCH-TWO")
    bad = _deal(tmp_path, "bad.yaml", "BATCH-BAD")
    bad.write_text(bad.read_text(encoding="utf-8").replace("quantity:", "quantty:", 1))
    render = pipeline.render

    def render_or_fail(needs: Path, *args: object, **kwargs: object) -> object:
        if needs == second:
            raise EnvironmentProblem(message="no CJK font: apt-get install fonts-noto-cjk")
        return render(needs, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "render", render_or_fail)
    out = tmp_path / "out"
    result = run("render", first, second, bad, "-o", out, "--format", "html", "-j", "1")
    assert result.code == 1
    assert "rendered 1 of 3 files" in result.err and "2 failed" in result.err
    assert "Error: no CJK font" in result.err


def test_library_folder_that_is_not_a_library(run: Run, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    result = run("check", SAAS_SAMPLE, "--library", lib)
    assert result.code == 2
    assert (
        result.err
        == f"Error: {lib}: is not a propgen library (needs templates/ and snippets/ folders)\n"
    )
