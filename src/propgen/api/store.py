"""The API's store on disk: output files by content hash, jobs, idempotency keys.

``objects/ab/abcdef…`` holds each output file once, named by its SHA-256, so equal
inputs share files; ``jobs/{id}.json`` holds a job's state and its files' hashes;
``keys/{sha256(key)}.json`` remembers which job an ``Idempotency-Key`` started and
the hash of the body it came with; ``renders/{render key}.json`` remembers the files a
render of one body with one library and one propgen made (see
:func:`propgen.api.jobs.render_key`), so a repeat is served from the store whatever its
key. Every write is atomic (temporary file, rename),
so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import tempfile
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

JobState = Literal["queued", "running", "done", "failed"]


@dataclass
class Job:
    """One render request and what became of it."""

    id: str
    body_sha256: str
    content_type: str
    state: JobState = "queued"
    callback: str | None = None
    files: dict[str, str] = field(default_factory=dict)
    """Output name → SHA-256 of its bytes in the object store."""
    problems: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    attempts: int = 0
    """How many times a worker started it (more than one after a worker died)."""
    base_url: str = ""
    """The service's address as the client reached it: the files' URLs start with it."""
    reused: str = ""
    """The job whose render this one's files are (the same body, library and propgen),
    served from the store without rendering again; empty: rendered for this job."""


class Conflict(Exception):
    """An idempotency key reused with a different body."""


class Store:
    def __init__(self, root: Path) -> None:
        self.root = root
        for folder in ("objects", "jobs", "keys", "bodies", "finished", "renders"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    # --- objects ------------------------------------------------------------------

    def put(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        path = self._object(digest)
        if not path.exists():
            path.parent.mkdir(exist_ok=True)
            _write(path, data)
        return digest

    def get(self, digest: str) -> bytes:
        return self._object(digest).read_bytes()

    def _object(self, digest: str) -> Path:
        if len(digest) != 64 or not all(c in "0123456789abcdef" for c in digest):
            raise KeyError(digest)
        return self.root / "objects" / digest[:2] / digest

    # --- renders ------------------------------------------------------------------

    def rendered(self, key: str) -> tuple[str, dict[str, str]] | None:
        """The job that made the render ``key`` names and its files, if they are all
        still in the store."""
        try:
            known = json.loads(self._render(key).read_text())
        except FileNotFoundError:
            return None
        files: dict[str, str] = known["files"]
        if not all(self._object(digest).is_file() for digest in files.values()):
            return None
        return known["job"], files

    def remember(self, key: str, job: Job) -> None:
        """Remember ``job``'s files as the render ``key`` names."""
        data = json.dumps({"job": job.id, "files": job.files}, sort_keys=True).encode()
        _write(self._render(key), data)

    def _render(self, key: str) -> Path:
        if len(key) != 64 or not all(c in "0123456789abcdef" for c in key):
            raise KeyError(key)
        return self.root / "renders" / f"{key}.json"

    # --- jobs ---------------------------------------------------------------------

    def create(
        self,
        body: bytes,
        content_type: str,
        key: str | None,
        callback: str | None,
        base_url: str = "",
    ) -> tuple[Job, bool]:
        """The job for this request, and whether it is new.

        Raises:
            Conflict: ``key`` was used before with a different body.
        """
        body_sha = hashlib.sha256(body).hexdigest()
        key_file = None
        if key is not None:
            key_file = self.root / "keys" / f"{hashlib.sha256(key.encode()).hexdigest()}.json"
        with self._lock:
            if key_file is not None and key_file.exists():
                known = json.loads(key_file.read_text())
                if known["body_sha256"] != body_sha:
                    raise Conflict(key)
                return self.job(known["job"]), False
            job = Job(
                id=secrets.token_hex(12),
                body_sha256=body_sha,
                content_type=content_type,
                callback=callback,
                base_url=base_url,
            )
            _write(self.root / "bodies" / body_sha, body)
            self.save(job)
            if key_file is not None:
                _write(key_file, json.dumps({"job": job.id, "body_sha256": body_sha}).encode())
            return job, True

    def body(self, job: Job) -> bytes:
        return (self.root / "bodies" / job.body_sha256).read_bytes()

    def save(self, job: Job) -> None:
        _write(self._job(job.id), json.dumps(asdict(job), sort_keys=True).encode())

    def finish(self, job: Job) -> bool:
        """Record ``job``'s final state, once: whoever finishes a job first wins (a
        marker file created exclusively), so a job retried after a worker died can
        never complete twice. Returns whether this call finished it."""
        marker = self.root / "finished" / job.id
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))
        except FileExistsError:
            return False
        self.save(job)
        return True

    def finished(self, job_id: str) -> bool:
        return (self.root / "finished" / job_id).exists()

    def job(self, job_id: str) -> Job:
        """Raises: KeyError: no such job."""
        try:
            return Job(**json.loads(self._job(job_id).read_text()))
        except FileNotFoundError:
            raise KeyError(job_id) from None

    def unfinished(self) -> list[Job]:
        """Jobs queued or started that no one finished (the process running them
        stopped), oldest first."""
        paths = sorted((self.root / "jobs").glob("*.json"), key=lambda p: p.stat().st_mtime_ns)
        jobs = (Job(**json.loads(p.read_text())) for p in paths)
        return [j for j in jobs if j.state in ("queued", "running") and not self.finished(j.id)]

    def count(self, state: JobState) -> int:
        jobs = (json.loads(p.read_text()) for p in (self.root / "jobs").glob("*.json"))
        return sum(1 for j in jobs if j["state"] == state)

    def _job(self, job_id: str) -> Path:
        if not (job_id.isascii() and job_id.isalnum()) or len(job_id) > 64:
            raise KeyError(job_id)
        return self.root / "jobs" / f"{job_id}.json"


def _write(path: Path, data: bytes) -> None:
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
