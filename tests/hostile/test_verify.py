"""Special files in an output folder, and a verify that cannot be fooled (issue 11,
items 7 and 8)."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_support import sample_record, write_record

from conftest import Result

Run = Callable[..., Result]

STEM = "PG-SAMPLE-SAAS-EN"
PROVENANCE = f"{STEM}.provenance.json"


@pytest.fixture
def rendered(run: Run, tmp_path: Path) -> tuple[Path, Path]:
    """The sample record and the folder it was rendered into (HTML only: fast)."""
    needs = write_record(tmp_path, sample_record())
    out = tmp_path / "out"
    result = run("render", needs, "-o", out, "--format", "html")
    assert result.code == 0, result.err
    return needs, out


def _in_time(target: Callable[..., object], *args: object) -> None:
    """Run ``target(*args)`` in a thread and fail if it takes more than 60 s (a hang)."""
    failure: list[BaseException] = []

    def body() -> None:
        try:
            target(*args)
        except BaseException as err:  # reported below, in the test's thread
            failure.append(err)

    thread = threading.Thread(target=body, daemon=True)
    thread.start()
    thread.join(60)
    assert not thread.is_alive(), "hung"
    if failure:
        raise failure[0]


# Item 7: special files ------------------------------------------------------------


def test_a_fifo_provenance_neither_hangs_verify_nor_render(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / PROVENANCE)

    def check() -> None:
        result = run("verify", out)
        assert result.code == 2 and "not a propgen provenance file: is not a regular file" in (
            result.err
        )
        needs = write_record(tmp_path, sample_record())
        result = run("render", needs, "-o", out, "--format", "html")
        assert result.code == 2 and f"{PROVENANCE}: is not a regular file" in result.err
        assert "Traceback" not in result.err

    _in_time(check)


def test_a_provenance_pointing_at_dev_zero_is_not_read(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / PROVENANCE).symlink_to("/dev/zero")

    def check() -> None:
        result = run("verify", out)
        assert result.code == 2 and "is a symbolic link" in result.err

    _in_time(check)


def test_a_listed_output_that_is_dev_zero_or_a_fifo_is_reported(
    run: Run, rendered: tuple[Path, Path]
) -> None:
    _needs, out = rendered
    contract, proposal = out / f"{STEM}-contract.html", out / f"{STEM}-proposal.html"
    contract.unlink()
    contract.symlink_to("/dev/zero")
    proposal.unlink()
    os.mkfifo(proposal)

    def check() -> None:
        result = run("verify", out)
        assert result.code == 1
        assert f"not a regular file {contract.name}" in result.out
        assert f"not a regular file {proposal.name}" in result.out

    _in_time(check)


def test_a_deeply_nested_provenance_is_refused_without_a_traceback(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / PROVENANCE).write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run("verify", out)
    assert result.code == 2 and "nested more than" in result.err
    assert "Traceback" not in result.err
    needs = write_record(tmp_path, sample_record())
    result = run("render", needs, "-o", out, "--format", "html")
    assert result.code == 2 and "nested more than" in result.err


def test_a_huge_provenance_is_refused_unread(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    with (out / PROVENANCE).open("wb") as handle:
        handle.truncate(64 * 1024 * 1024)  # sparse: 64 MiB of zeros on no disk
    result = run("verify", out)
    assert result.code == 2 and "is larger than" in result.err


def test_a_symlink_loop_as_the_output_folder_is_refused_before_rendering(
    run: Run, tmp_path: Path
) -> None:
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    needs = write_record(tmp_path, sample_record())
    result = run("render", needs, "-o", loop, "--format", "html")
    assert result.code == 2 and "Too many levels of symbolic links" in result.err
    assert "Traceback" not in result.err
    result = run("render", needs, "-o", loop / "inner", "--format", "html")
    assert result.code == 2 and "Traceback" not in result.err


# Item 8: verify ---------------------------------------------------------------------


def test_verify_on_an_empty_folder_says_what_it_expected(run: Run, tmp_path: Path) -> None:
    result = run("verify", tmp_path)
    assert result.code == 2
    assert "no provenance records (*.provenance.json) here" in result.err
    assert "propgen render NEEDS -o DIR" in result.err


def test_verify_reports_files_no_provenance_lists(run: Run, rendered: tuple[Path, Path]) -> None:
    _needs, out = rendered
    (out / "invoice.pdf").write_bytes(b"%PDF-1.7 not ours")
    result = run("verify", out)
    assert result.code == 1 and "unlisted invoice.pdf" in result.out


def test_verify_reports_a_dropped_entry(run: Run, rendered: tuple[Path, Path]) -> None:
    _needs, out = rendered
    data = json.loads((out / PROVENANCE).read_text(encoding="utf-8"))
    del data["outputs"][f"{STEM}-contract.html"]
    (out / PROVENANCE).write_text(json.dumps(data), encoding="utf-8")
    result = run("verify", out)
    assert result.code == 1 and f"unlisted {STEM}-contract.html" in result.out


def _tamper(out: Path) -> None:
    """Change the contract and the totals, and make the provenance vouch for both."""
    import hashlib

    contract = out / f"{STEM}-contract.html"
    contract.write_text(contract.read_text(encoding="utf-8").replace("30", "90"), "utf-8")
    data = json.loads((out / PROVENANCE).read_text(encoding="utf-8"))
    data["outputs"][contract.name] = hashlib.sha256(contract.read_bytes()).hexdigest()
    data["pricing"]["total"] = "1.00"
    (out / PROVENANCE).write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_rebuild_catches_what_the_provenance_vouches_for(
    run: Run, rendered: tuple[Path, Path]
) -> None:
    needs, out = rendered
    assert run("verify", out, "--rebuild", needs).code == 0
    _tamper(out)
    fooled = run("verify", out)
    assert fooled.code == 0, "hashes alone trust the edited provenance"
    result = run("verify", out, "--rebuild", needs)
    assert result.code == 1, result.out
    assert f"differs  {STEM}-contract.html" in result.out
    assert f"differs  {PROVENANCE}" in result.out and "pricing" in result.out
    assert f"same     {STEM}-proposal.html" in result.out


def test_rebuild_covers_partial_renders_of_one_revision(
    run: Run, rendered: tuple[Path, Path]
) -> None:
    needs, out = rendered
    result = run("render", needs, "-o", out, "--format", "docx", "--only", "proposal")
    assert result.code == 0, result.err
    listed = json.loads((out / PROVENANCE).read_text(encoding="utf-8"))["outputs"]
    assert sorted(listed) == [
        f"{STEM}-contract.html",
        f"{STEM}-proposal.docx",
        f"{STEM}-proposal.html",
    ]
    assert run("verify", out).code == 0
    rebuilt = run("verify", out, "--rebuild", needs)
    assert rebuilt.code == 0, rebuilt.out
    assert rebuilt.out.count("same ") == 4  # three documents and the provenance


def test_rebuild_with_nothing_of_the_record_says_what_it_expected(run: Run, tmp_path: Path) -> None:
    needs = write_record(tmp_path, sample_record())
    (tmp_path / "out").mkdir()
    result = run("verify", tmp_path / "out", "--rebuild", needs)
    assert result.code == 2 and f"expected {PROVENANCE}" in result.err
