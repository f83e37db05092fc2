"""Output files: safe names from hostile references, all-or-nothing atomic writes."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_support import sample_record, write_record

from conftest import Result
from propgen import commit
from propgen.commit import write_all
from propgen.errors import InvalidInput
from propgen.output import MAX_NAME, MAX_NAME_BYTES, safe_name, write_atomic

Run = Callable[..., Result]


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("../../etc/passwd", "etc-passwd"),
        ("/etc/passwd", "etc-passwd"),
        ("..\\..\\windows\\system32", "windows-system32"),
        ("CON", "document-CON"),
        ("con.txt", "document-con.txt"),
        ("COM1", "document-COM1"),
        ("ＣＯＮ", "document-CON"),  # fullwidth letters fold to CON
        ("CONIN$", "CONIN"),
        ("-rf", "rf"),
        ("--help", "help"),
        ("\x00", "document"),
        ("", "document"),
        (".", "document"),
        ("..", "document"),
        ("...", "document"),
        (" ", "document"),
        ("\u202eevil\u202dfdp.exe", "evilfdp.exe"),
        ("PG 2026/01 #3", "PG-2026-01-3"),
        ("a\nb\tc", "abc"),
        ("~root", "root"),
        ("$(rm -rf ~)", "rm--rf"),
        ("`id`", "id"),
        ("PG-2026-0142", "PG-2026-0142"),
        ("合同-2026-001", "合同-2026-001"),
    ],
)
def test_safe_name(reference: str, expected: str) -> None:
    assert safe_name(reference) == expected


@pytest.mark.parametrize("reference", ["a" * 500, "é" * 500, "合" * 500, "\U00020000" * 80])
def test_long_names_are_capped_in_characters_and_bytes(reference: str, tmp_path: Path) -> None:
    stem = safe_name(reference)
    assert len(stem) <= MAX_NAME and len(stem.encode("utf-8")) <= MAX_NAME_BYTES
    write_all(tmp_path, {f"{stem}-proposal.docx": b"x", f"{stem}.provenance.json": b"{}"})
    assert len(_listing(tmp_path)) == 2


def test_names_that_leave_the_folder_are_refused(tmp_path: Path) -> None:
    for name in ("../x", "a/b", "..", ".", "", "a\\b"):
        with pytest.raises(InvalidInput, match="leaves the output folder"):
            write_all(tmp_path / "out", {name: b"x"})
    assert not (tmp_path / "x").exists()


def _previous(folder: Path) -> dict[str, bytes]:
    folder.mkdir(exist_ok=True)
    files = {"r-proposal.docx": b"old docx", "r.provenance.json": b'{"reference": "r"}\n'}
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_failed_rename_leaves_previous_files_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    before = _previous(out)
    calls = []
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        """The second file's rename fails, after the first was replaced."""
        calls.append(dst)
        if str(src).endswith(".propgen-staged") and len(calls) == 2:
            raise OSError(28, "No space left on device", dst)
        real_replace(src, dst)

    monkeypatch.setattr("propgen.commit.os.replace", failing_replace)
    new = {"r-proposal.docx": b"new docx", "r.provenance.json": b'{"reference": "r", "n": 2}\n'}
    with pytest.raises(InvalidInput, match="No space left on device"):
        write_all(out, new)
    assert len(calls) > 2 and _listing(out) == before  # the first rename was rolled back


def test_interrupted_write_leaves_previous_files_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C (or a crash) while the second file is being written: nothing changes."""
    out = tmp_path / "out"
    before = _previous(out)
    real = commit._write_staged
    written: list[str] = []

    def interrupted(folder: Path, name: str, data: bytes) -> None:
        if written:
            raise KeyboardInterrupt
        real(folder, name, data)
        written.append(name)

    monkeypatch.setattr(commit, "_write_staged", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all(out, {"r-proposal.docx": b"new", "r.provenance.json": b'{"reference": "r"}'})
    assert written and _listing(out) == before  # no staged file left either


def test_write_atomic_failure_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "deal.yaml"
    target.write_bytes(b"old")

    def failing_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr("propgen.output.os.fsync", failing_fsync)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert _listing(tmp_path) == {"deal.yaml": b"old"}


def test_a_symlink_at_a_target_is_replaced_not_written_through(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_bytes(b"precious")
    out = tmp_path / "out"
    out.mkdir()
    (out / "r-proposal.docx").symlink_to(outside)
    write_all(out, {"r-proposal.docx": b"new"})
    assert outside.read_bytes() == b"precious"
    assert not (out / "r-proposal.docx").is_symlink()
    assert (out / "r-proposal.docx").read_bytes() == b"new"


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    write_all(tmp_path, {"r-proposal.docx": b"x"})
    mode = (tmp_path / "r-proposal.docx").stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_two_references_with_the_same_file_name_do_not_overwrite(run: Run, tmp_path: Path) -> None:
    first = sample_record()
    first["document"]["reference"] = "PG/2027/1"
    second = sample_record()
    second["document"]["reference"] = "PG 2027 1"
    out = tmp_path / "out"
    result: Result = run(
        "render", write_record(tmp_path, first, "a.json"), "-o", out, "--format", "html"
    )
    assert result.code == 0, result.err
    before = _listing(out)
    result = run("render", write_record(tmp_path, second, "b.json"), "-o", out, "--format", "html")
    assert result.code == 2 and "already holds the documents of 'PG/2027/1'" in result.err
    assert "Traceback" not in result.err
    assert _listing(out) == before


def test_cli_failed_write_keeps_previous_outputs(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    needs = write_record(tmp_path, sample_record())
    out = tmp_path / "out"
    assert run("render", needs, "-o", out, "--format", "html").code == 0
    before = _listing(out)
    real_replace = os.replace

    def failing_replace(src: str, dst: str) -> None:
        if str(src).endswith(".provenance.json.propgen-staged"):
            raise PermissionError(13, "Permission denied", dst)
        real_replace(src, dst)

    monkeypatch.setattr("propgen.commit.os.replace", failing_replace)
    result: Result = run("render", needs, "-o", out, "--format", "html")
    assert result.code == 2 and "Permission denied" in result.err
    assert "Traceback" not in result.err
    assert _listing(out) == before


def test_output_folder_that_is_a_file(run: Run, tmp_path: Path) -> None:
    needs = write_record(tmp_path, sample_record())
    blocker = tmp_path / "out"
    blocker.write_text("a file", encoding="utf-8")
    result: Result = run("render", needs, "-o", blocker, "--format", "html")
    assert result.code == 2 and "Traceback" not in result.err
    assert blocker.read_text(encoding="utf-8") == "a file"


@pytest.mark.parametrize(
    "provenance",
    ['{"outputs": ["a"]}', '{"outputs": {"a": 1}}', "[]", "{", '{"reference": "x"}'],
)
def test_verify_reports_a_damaged_provenance_file(
    run: Run, tmp_path: Path, provenance: str
) -> None:
    (tmp_path / "x.provenance.json").write_text(provenance, encoding="utf-8")
    result: Result = run("verify", tmp_path)
    assert result.code == 2 and "not a propgen provenance file" in result.err
    assert "Traceback" not in result.err


def test_verify_never_reads_outside_the_folder(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (tmp_path / "secret").write_bytes(b"s")
    (out / "x.provenance.json").write_text(
        '{"outputs": {"../secret": "0", "/etc/passwd": "0"}}', encoding="utf-8"
    )
    result: Result = run("verify", out)
    assert result.code == 1 and "missing  ../secret" in result.out
