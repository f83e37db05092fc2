"""A record's outputs are committed all together or not at all (issue 11, item 6).

Real processes are killed with SIGKILL at each named step of a commit
(``PROPGEN_COMMIT_HOOK``); targets that cannot be replaced are real (a folder, an
immutable file); two renders of colliding references really run at the same time.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from hostile_support import sample_record, write_record

from propgen.commit import HOOK_VARIABLE, JOURNAL_NAME, LOCK_NAME, write_all
from propgen.errors import InvalidInput

STEM = "PG-SAMPLE-SAAS-EN"


def propgen(*args: str | Path, hook: str = "") -> subprocess.CompletedProcess[str]:
    """``python -m propgen ARGS`` in a real process."""
    env = dict(os.environ)
    env.pop(HOOK_VARIABLE, None)
    if hook:
        env[HOOK_VARIABLE] = hook
    return subprocess.run(
        [sys.executable, "-m", "propgen", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def listing(folder: Path) -> dict[str, bytes]:
    """Every file of the folder (the lock file exists only during a commit)."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def record(version: str, discount: str = "0") -> dict[str, Any]:
    data = sample_record()
    data["document"]["version"] = version
    data["pricing"]["discount_pct"] = discount
    return data


@pytest.fixture
def first_render(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """``out/`` holding version 1 of the sample as HTML (3 files with the provenance)."""
    out = tmp_path / "out"
    needs = write_record(tmp_path, record("1"), "v1.json")
    done = propgen("render", needs, "-o", out, "--format", "html")
    assert done.returncode == 0, done.stderr
    return out, listing(out)


@pytest.mark.parametrize(
    ("step", "outcome"),
    [
        ("staged", "old"),
        ("journaled", "old"),
        ("replaced-1", "old"),
        ("replaced-3", "old"),  # every file renamed, the journal not yet deleted
        ("committed", "new"),
    ],
)
def test_kill_9_during_the_commit_never_leaves_a_mixed_folder(
    tmp_path: Path, first_render: tuple[Path, dict[str, bytes]], step: str, outcome: str
) -> None:
    out, old = first_render
    needs = write_record(tmp_path, record("2", "5"), "v2.json")
    killed = propgen("render", needs, "-o", out, "--format", "html", "--force", hook=f"{step}:kill")
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert (out / LOCK_NAME).exists()  # left by the killed process, released by the kernel
    if step.startswith(("journaled", "replaced")):
        interrupted = propgen("verify", out)
        assert interrupted.returncode == 1
        assert f"interrupted {JOURNAL_NAME}" in interrupted.stdout
    # The next run into the folder (here: another deal) finishes the job first.
    other = record("1")
    other["document"]["reference"] = "PG-OTHER"
    done = propgen(
        "render", write_record(tmp_path, other, "other.json"), "-o", out, "--format", "html"
    )
    assert done.returncode == 0, done.stderr
    after = {n: b for n, b in listing(out).items() if not n.startswith("PG-OTHER")}
    assert sorted(after) == sorted(old), "no staged, backup or journal file is left"
    if outcome == "old":
        assert after == old
    else:
        assert after != old
        assert json.loads(after[f"{STEM}.provenance.json"])["version"] == "2"
    assert propgen("verify", out).returncode == 0


def test_a_folder_where_the_provenance_goes_changes_nothing(
    tmp_path: Path, first_render: tuple[Path, dict[str, bytes]]
) -> None:
    out, _old = first_render
    (out / f"{STEM}.provenance.json").unlink()
    (out / f"{STEM}.provenance.json").mkdir()
    before = listing_with_dirs(out)
    needs = write_record(tmp_path, record("1"), "v1.json")
    done = propgen("render", needs, "-o", out, "--format", "html")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert f"{STEM}.provenance.json: is not a regular file" in done.stderr
    assert listing_with_dirs(out) == before
    forced = propgen("render", needs, "-o", out, "--format", "html", "--force")
    assert forced.returncode == 2 and f"{STEM}.provenance.json: is a folder" in forced.stderr
    assert listing_with_dirs(out) == before


def test_a_folder_where_a_document_goes_changes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / f"{STEM}-contract.html").mkdir(parents=True)
    needs = write_record(tmp_path, record("1"), "v1.json")
    done = propgen("render", needs, "-o", out, "--format", "html")
    assert done.returncode == 2 and f"{STEM}-contract.html: is a folder" in done.stderr
    assert listing_with_dirs(out) == {f"{STEM}-contract.html": None}


def listing_with_dirs(folder: Path) -> dict[str, bytes | None]:
    return {p.name: None if p.is_dir() else p.read_bytes() for p in sorted(folder.iterdir())}


def chattr(flag: str, path: Path) -> None:
    done = subprocess.run(["chattr", flag, str(path)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(
            f"chattr {flag} failed ({done.stderr.strip()}): this test needs e2fsprogs "
            "(apt-get install e2fsprogs), root, and a file system with immutable files (ext4)"
        )


def test_an_immutable_document_changes_nothing(
    tmp_path: Path, first_render: tuple[Path, dict[str, bytes]]
) -> None:
    out, old = first_render
    locked_file = out / f"{STEM}-contract.html"
    chattr("+i", locked_file)
    try:
        needs = write_record(tmp_path, record("2", "5"), "v2.json")
        done = propgen("render", needs, "-o", out, "--format", "html", "--force")
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"{locked_file.name}: is immutable" in done.stderr
        assert listing(out) == old
    finally:
        chattr("-i", locked_file)


def test_two_colliding_references_rendered_at_once_never_mix(tmp_path: Path) -> None:
    """``PG/2026/0142`` and ``PG 2026 0142`` both make ``PG-2026-0142-*``; one
    render wins whole, the other is refused."""
    out = tmp_path / "out"
    paths = []
    for name, reference in (("a.json", "PG/2026/0142"), ("b.json", "PG 2026 0142")):
        data = record("1")
        data["document"]["reference"] = reference
        paths.append(write_record(tmp_path, data, name))
    # Whichever locks first holds its commit until the other has found the folder locked:
    # the two really overlap, however the machine schedules them.
    turn = tmp_path / "turn"
    os.mkfifo(turn)
    env = dict(os.environ, **{HOOK_VARIABLE: f"staged:wait={turn},busy:signal={turn}"})
    command = [sys.executable, "-m", "propgen", "render", "-o", str(out), "--format", "html"]
    running = [
        subprocess.Popen([*command, str(p)], env=env, stderr=subprocess.PIPE, text=True)
        for p in paths
    ]
    results = []
    try:
        for process in running:
            _out, err = process.communicate(timeout=300)
            results.append((process.returncode, err))
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.communicate()
    codes = sorted(code for code, _err in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "already holds the documents of" in loser
    provenance = json.loads((out / "PG-2026-0142.provenance.json").read_text(encoding="utf-8"))
    winner = provenance["reference"]
    for kind in ("proposal", "contract"):
        html = (out / f"PG-2026-0142-{kind}.html").read_text(encoding="utf-8")
        assert winner in html and ({"PG/2026/0142", "PG 2026 0142"} - {winner}).pop() not in html
    assert propgen("verify", out).returncode == 0


def test_temporary_files_of_earlier_versions_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    left_over = out / ".r-proposal.docx.k2j4h_9x.tmp"  # what propgen 0.1 left behind
    left_over.write_bytes(b"half")
    keep = out / ".notes.tmp"
    keep.write_bytes(b"the user's")
    write_all(out, {"r-proposal.docx": b"new"})
    assert not left_over.exists() and keep.exists()


def test_a_damaged_journal_is_reported_not_guessed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / JOURNAL_NAME).write_text('{"files": [{"name": "../x", "previous": true}]}')
    with pytest.raises(InvalidInput, match="interrupted commit's journal cannot be read"):
        write_all(out, {"r-proposal.docx": b"new"})
    assert not (out / "r-proposal.docx").exists()


def signalled(fifo: Path, sender: subprocess.Popen[bytes], timeout: float = 120) -> bool:
    """Whether ``sender`` sent its byte through ``fifo`` (``signal=`` of the commit
    hook) before it exited or ``timeout`` passed. Opened read-write, so opening never
    blocks and a sender that dies first does not hang the test."""
    fd = os.open(fifo, os.O_RDWR)
    try:
        deadline = time.monotonic() + timeout
        while sender.poll() is None and time.monotonic() < deadline:
            if select.select([fd], [], [], 0.5)[0]:
                return os.read(fd, 1) == b"!"
        return False
    finally:
        os.close(fd)


def test_the_lock_serialises_commits_in_one_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit paused while holding the lock makes a second one wait for it."""
    out = tmp_path / "out"
    out.mkdir()
    code = (
        "from pathlib import Path; from propgen.commit import write_all; "
        f"write_all(Path({str(out)!r}), {{'a.txt': b'first'}})"
    )
    holding, turn = tmp_path / "holding", tmp_path / "turn"
    os.mkfifo(holding)
    os.mkfifo(turn)
    env = dict(os.environ, **{HOOK_VARIABLE: f"locked:signal={holding},staged:wait={turn}"})
    holder = subprocess.Popen([sys.executable, "-c", code], env=env)
    try:
        assert signalled(holding, holder), "the holder never locked the folder"
        # the holder keeps its commit staged until this commit has found the folder locked
        monkeypatch.setenv(HOOK_VARIABLE, f"busy:signal={turn}")
        write_all(out, {"a.txt": b"second"})
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
    assert (out / "a.txt").read_bytes() == b"second"  # committed after the holder's
    assert shutil.which("chattr"), "e2fsprogs provides chattr for the immutable-file test"
