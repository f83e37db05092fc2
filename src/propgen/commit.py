"""Committing a record's output files together: all of them, or none.

Inside the output folder a commit

1. locks the folder (``flock`` on ``.propgen.lock``, deleted when done), so two
   renders never interleave;
2. recovers from an earlier commit that was interrupted (below);
3. stages: hard-links every file about to be replaced or removed to a backup name
   and writes every new file, fsynced, under a staging name. A target that cannot
   be replaced (a folder, an immutable file) stops the commit here, before any
   target has changed;
4. writes the journal ``.propgen-commit.json``, naming the targets;
5. renames each staged file over its target (or removes the target);
6. deletes the journal — the commit point — and then the backups.

A journal found by a later run (the process was killed in step 5) is rolled
back: the backups restore every target as it was and the staged files go. Staging
and backup files without a journal are left-overs of steps 3 or 6 and are deleted.
A failure in step 5 rolls back the same way at once.

``PROPGEN_COMMIT_HOOK=STEP:ACTION[,STEP:ACTION…]`` acts at named steps — ``busy``
(the first time the lock is found held by another process), ``locked``, ``staged``,
``journaled``, ``replaced-N`` (after the N-th rename), ``committed`` — so tests can
interrupt a real commit, or hold it at a step until another process gets somewhere,
without guessing how long anything takes. ACTION is ``kill`` (SIGKILL), ``wait=FIFO``
(block until a byte arrives through the named pipe) or ``signal=FIFO`` (send one,
blocking until a process waits on it).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import shutil
import signal
import stat
import struct
import time
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from propgen.errors import InvalidInput, Problem
from propgen.files import UnreadableFile, read_json
from propgen.i18n import N_

LOCK_NAME = ".propgen.lock"
JOURNAL_NAME = ".propgen-commit.json"
HOUSEKEEPING = frozenset({LOCK_NAME, JOURNAL_NAME})
"""propgen's own files in an output folder (not outputs)."""
LOCK_TIMEOUT = 120.0
"""Seconds to wait for another render to finish its commit into the same folder."""
HOOK_VARIABLE = "PROPGEN_COMMIT_HOOK"

_STAGED = ".propgen-staged"
_BACKUP = ".propgen-backup"
_LEFT_OVER = re.compile(
    rf"^\..+(?:{re.escape(_STAGED)}|{re.escape(_BACKUP)})$"
    r"|^\..+\.(?:docx|pdf|html|json)\.[A-Za-z0-9_]{8}\.tmp$"  # propgen < 0.2's temp files
)
_FS_IOC_GETFLAGS = 0x80086601
_IMMUTABLE_OR_APPEND_ONLY = 0x00000010 | 0x00000020


_ANOTHER_OUT = N_("choose another -o")
_WRITABLE_OUT = N_("choose an output folder you can write to (-o)")


def _problem(message: str, where: Path, hint: str = "") -> InvalidInput:
    return InvalidInput(problems=[Problem(message=message, file=str(where), hint=hint)])


def check_folder(out_dir: Path) -> None:
    """Refuse an output folder that cannot be used, before anything is rendered.

    Raises:
        InvalidInput: ``out_dir`` is a file, a symlink loop, or cannot be written.
    """
    existing = out_dir
    while True:
        try:
            info = os.stat(existing)
            break
        except FileNotFoundError:
            if existing.parent == existing:
                raise _problem(N_("no such folder"), out_dir) from None
            existing = existing.parent  # created at commit time
        except OSError as err:
            raise _problem(
                N_("cannot use as the output folder: {reason}").format(reason=err.strerror),
                existing,
                _ANOTHER_OUT,
            ) from err
    if not stat.S_ISDIR(info.st_mode):
        message = (
            N_("is not a folder")
            if existing == out_dir
            else N_("is not a folder (so {folder} cannot be created)").format(folder=out_dir)
        )
        raise _problem(message, existing, _ANOTHER_OUT)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _problem(N_("the output folder cannot be written"), existing, _ANOTHER_OUT)


@contextmanager
def locked(out_dir: Path) -> Iterator[Path]:
    """``out_dir`` (created if needed) locked against other commits, with any
    interrupted commit rolled back. Yields the folder.

    The lock file exists only while it is held: the holder deletes it before
    releasing it, and a process that locked a file already deleted tries again.

    Raises:
        InvalidInput: the folder cannot be created or locked.
    """
    check_folder(out_dir)
    path = out_dir / LOCK_NAME
    deadline = time.monotonic() + LOCK_TIMEOUT
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _problem(
            N_("cannot create the output folder: {reason}").format(reason=err.strerror), out_dir
        ) from err
    while True:
        fd = _open_lock(path)
        if _lock_current(fd, path, deadline):
            break
        os.close(fd)
    try:
        _hook("locked")
        recover(out_dir)
        yield out_dir
    finally:
        path.unlink(missing_ok=True)
        os.close(fd)  # releases the lock


def _open_lock(path: Path) -> int:
    try:
        fd = os.open(
            path,
            os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC,
            _new_file_mode(),
        )
    except OSError as err:
        raise _problem(
            N_("cannot lock the output folder: {reason}").format(reason=err.strerror),
            path,
            _WRITABLE_OUT,
        ) from err
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise _problem(N_("is not a regular file"), path, N_("remove it"))
    return fd


def _lock_current(fd: int, path: Path, deadline: float) -> bool:
    """Wait for the lock on ``fd``; whether ``fd`` is still the file at ``path``."""
    busy_reported = False
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            break
        except BlockingIOError:
            if not busy_reported:
                busy_reported = True
                _hook("busy")
            if time.monotonic() > deadline:
                os.close(fd)
                raise _problem(
                    N_(
                        "another propgen has been writing into this folder for over {seconds} s"
                    ).format(seconds=f"{LOCK_TIMEOUT:.0f}"),
                    path.parent,
                    N_("wait for it to finish, or choose another -o"),
                ) from None
            time.sleep(0.05)
    try:
        current = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return False
    held = os.fstat(fd)
    return (current.st_dev, current.st_ino) == (held.st_dev, held.st_ino)


def commit(folder: Path, files: Mapping[str, bytes], remove: Collection[str] = ()) -> None:
    """Replace (or create) ``files`` and delete ``remove`` in ``folder``, all or nothing.

    Call inside :func:`locked`. Names are plain file names inside the folder.

    Raises:
        InvalidInput: a name leaves the folder, or a target cannot be replaced;
            the folder is then as it was.
    """
    names = [*files, *(name for name in remove if name not in files)]
    for name in names:
        if name in ("", ".", "..") or "/" in name or "\\" in name or name in HOUSEKEEPING:
            raise _problem(f"output name {name!r} leaves the output folder", folder)
    problems: list[Problem] = []
    previous: set[str] = set()
    try:
        for name in names:
            try:
                if _back_up(folder, name):
                    previous.add(name)
            except _Unreplaceable as err:
                problems.append(Problem(message=str(err), file=str(folder / name)))
        if not problems:
            for name, data in files.items():
                _write_staged(folder, name, data)
    except OSError as err:
        problems.append(
            Problem(
                message=N_("cannot write the output files: {reason}").format(
                    reason=err.strerror or err
                ),
                file=str(err.filename or folder),
                hint=_WRITABLE_OUT,
            )
        )
    except BaseException:  # Ctrl-C, the time limit: no target has changed yet
        _delete_left_overs(folder)
        raise
    if problems:
        _delete_left_overs(folder)
        raise InvalidInput(problems=problems)
    _hook("staged")
    names = [name for name in names if name in files or name in previous]
    entries = [{"name": name, "previous": name in previous} for name in names]
    journal = json.dumps({"propgen_commit": 1, "files": entries}).encode()
    _write_synced(folder / JOURNAL_NAME, journal, _new_file_mode())
    _fsync_dir(folder)
    _hook("journaled")
    name = ""
    try:
        for number, name in enumerate(names, start=1):
            if name in files:
                os.replace(folder / _staged(name), folder / name)
            else:
                os.unlink(folder / name)
            _hook(f"replaced-{number}")
    except BaseException as err:
        recover(folder)  # every target back as it was
        if not isinstance(err, OSError):
            raise
        raise _problem(
            N_("cannot be replaced: {reason}; no output file was changed").format(
                reason=err.strerror or err
            ),
            folder / name,
            N_("close the file in any program using it, or choose another -o"),
        ) from err
    _fsync_dir(folder)
    (folder / JOURNAL_NAME).unlink()
    _fsync_dir(folder)
    _hook("committed")
    _delete_left_overs(folder)


def write_all(out_dir: Path, files: Mapping[str, bytes]) -> None:
    """Lock ``out_dir`` and commit ``files`` into it (see :func:`commit`)."""
    with locked(out_dir) as folder:
        commit(folder, files)


def recover(folder: Path) -> None:
    """Roll back a commit that was interrupted, and delete staging left-overs.

    Raises:
        InvalidInput: the journal is damaged (it then names what to do).
    """
    journal = folder / JOURNAL_NAME
    try:
        entries = _journal_entries(read_json(journal, limit=1024 * 1024))
    except FileNotFoundError:
        entries = None
    except (UnreadableFile, ValueError) as err:
        raise _problem(
            f"an interrupted commit's journal cannot be read ({err})",
            journal,
            "compare the files with their .propgen-backup copies, then delete the journal",
        ) from err
    if entries is not None:
        for name, previous in entries:
            target, staged, backup = folder / name, folder / _staged(name), folder / _backup(name)
            if previous and _exists(backup):
                os.replace(backup, target)
            elif not previous and not _exists(staged):
                target.unlink(missing_ok=True)  # it was created by the interrupted commit
        _fsync_dir(folder)
        journal.unlink()
        _fsync_dir(folder)
    _delete_left_overs(folder)


def pending_commit(folder: Path) -> bool:
    """Whether ``folder`` holds an interrupted commit that the next render rolls back."""
    return _exists(folder / JOURNAL_NAME)


def is_left_over(name: str) -> bool:
    """Whether ``name`` is a staging or backup file of an unfinished commit."""
    return bool(_LEFT_OVER.match(name))


def _journal_entries(data: object) -> list[tuple[str, bool]]:
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise ValueError("no list of files")
    entries: list[tuple[str, bool]] = []
    for entry in files:
        name = entry.get("name") if isinstance(entry, dict) else None
        previous = entry.get("previous") if isinstance(entry, dict) else None
        if (
            not isinstance(name, str)
            or not isinstance(previous, bool)
            or name in ("", ".", "..", *HOUSEKEEPING)
            or "/" in name
            or "\0" in name
        ):
            raise ValueError(f"bad entry {entry!r:.80}")
        entries.append((name, previous))
    return entries


def _staged(name: str) -> str:
    return f".{name}{_STAGED}"


def _backup(name: str) -> str:
    return f".{name}{_BACKUP}"


def _exists(path: Path) -> bool:
    return os.path.lexists(path)


class _Unreplaceable(Exception):
    """A target that no rename can replace; the message says why."""


def _back_up(folder: Path, name: str) -> bool:
    """Hard-link ``name`` to its backup name; whether there was a file to back up.

    Raises:
        _Unreplaceable: the target is a folder or an immutable file.
    """
    target = folder / name
    try:
        info = os.lstat(target)
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(info.st_mode):
        raise _Unreplaceable("is a folder, so this file cannot be written there")
    try:
        os.link(target, folder / _backup(name), follow_symlinks=False)
    except OSError as err:
        if _immutable(target):
            raise _Unreplaceable("is immutable (chattr +i), so it cannot be replaced") from err
        if err.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        # A file system without hard links (FAT): a copy serves as the backup.
        shutil.copy2(target, folder / _backup(name), follow_symlinks=False)
    return True


def _immutable(path: Path) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        packed = fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("i", 0))
        return bool(struct.unpack("i", packed)[0] & _IMMUTABLE_OR_APPEND_ONLY)
    except OSError:
        return False
    finally:
        os.close(fd)


def _write_staged(folder: Path, name: str, data: bytes) -> None:
    try:  # keep a replaced file's permissions; else what a new file would get
        info = os.lstat(folder / name)
        mode = info.st_mode & 0o777 if stat.S_ISREG(info.st_mode) else _new_file_mode()
    except OSError:
        mode = _new_file_mode()
    _write_synced(folder / _staged(name), data, mode)


def _write_synced(path: Path, data: bytes, mode: int) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fchmod(fd, mode)
        os.fsync(fd)


def _delete_left_overs(folder: Path) -> None:
    for entry in os.scandir(folder):
        if is_left_over(entry.name) and not entry.is_dir(follow_symlinks=False):
            os.unlink(entry.path)


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _hook(step: str) -> None:
    """The fault-injection point for tests (see the module docstring)."""
    for wanted in os.environ.get(HOOK_VARIABLE, "").split(","):
        hook_step, _, action = wanted.partition(":")
        if hook_step != step:
            continue
        if action == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        elif action.startswith("wait="):
            with open(action.removeprefix("wait="), "rb") as pipe:
                pipe.read(1)
        elif action.startswith("signal="):
            with open(action.removeprefix("signal="), "wb") as pipe:
                pipe.write(b"!")
