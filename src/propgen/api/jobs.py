"""One render job: the posted record checked and rendered by the core, its files stored.

The record is written to a private folder as ``{name}`` (YAML or JSON, as posted),
read back by the same loader the CLI uses, and rendered with the same pipeline —
so the files are byte-identical to ``propgen render`` of that record. A body the
service rendered before, with the same library and the same propgen, is not rendered
again: its job is given the files the first render stored (:func:`render_key`).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

from propgen.api.store import Job, Store
from propgen.errors import InvalidInput, Problem, PropgenError
from propgen.library import Library
from propgen.render import Format

FORMATS: tuple[Format, ...] = ("docx", "pdf")


def record_name(content_type: str) -> str:
    return "needs.json" if "json" in content_type else "needs.yaml"


def problems_json(problems: tuple[Problem, ...] | list[Problem]) -> list[dict[str, Any]]:
    return [asdict(p) for p in problems]


def check_body(body: bytes, content_type: str, library: Library) -> dict[str, Any]:
    """``POST /v1/check``: problems with field paths, or the pricing and deviations.

    Raises:
        InvalidInput: the record is invalid (its problems are the answer).
    """
    from propgen.pipeline import check

    with tempfile.TemporaryDirectory(prefix="propgen-api-") as folder:
        path = Path(folder) / record_name(content_type)
        path.write_bytes(body)
        checked = check(path, library=library)
    priced = checked.pricing
    return {
        "reference": checked.plan.record.document.reference,
        "pricing": {
            "currency": priced.currency,
            "subtotal": str(priced.subtotal),
            "discount": str(priced.discount),
            "tax": str(priced.tax),
            "total": str(priced.total),
        },
        "deviations": [
            {
                "subject": d.subject,
                "detail": d.detail,
                "approval": d.approval,
                "approved": d.approved,
            }
            for d in checked.plan.deviations
        ],
    }


def render_key(job: Job, library: Library) -> str:
    """A sha256 of everything a render job's files depend on: the body and its type,
    the library's identity (its content and commit, as the provenance states it), the
    formats, and the fonts and renderers (:func:`renderer_fingerprint`)."""
    from propgen.render.fingerprint import renderer_fingerprint

    identity = json.dumps(library.identity(), sort_keys=True)
    parts = (job.body_sha256, job.content_type, identity, " ".join(FORMATS))
    digest = hashlib.sha256(renderer_fingerprint())
    for part in parts:  # length-prefixed: no two different inputs hash alike
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part.encode("utf-8"))
    return digest.hexdigest()


def run_job(store: Store, job: Job, library: Library, workers: int) -> tuple[Job, bool]:
    """Render ``job``'s record and store its files, unless the job already finished
    (a retry after a worker died mid-job renders again; a job finishes once) or the
    same render is in the store (then the job gets its files, :func:`render_key`).

    Returns:
        The job as stored, and whether this call finished it.
    """
    from propgen.pipeline import check, output_files

    if store.finished(job.id):
        return store.job(job.id), False
    key = render_key(job, library)
    known = store.rendered(key)
    if known is not None:
        job.reused, job.files = known
        job.state = "done"
        return store.job(job.id), store.finish(job)
    job.state, job.attempts = "running", job.attempts + 1
    store.save(job)
    try:
        with tempfile.TemporaryDirectory(prefix="propgen-api-") as folder:
            path = Path(folder) / record_name(job.content_type)
            path.write_bytes(store.body(job))
            checked = check(path, library=library)
            files = output_files(checked, FORMATS, workers=workers)
        job.files = {name: store.put(data) for name, data in files.items()}
        job.state = "done"
        store.remember(key, job)
    except InvalidInput as err:
        job.state, job.problems = "failed", problems_json(err.problems)
    except PropgenError as err:
        job.state, job.error = "failed", str(err)
    finished = store.finish(job)
    return store.job(job.id), finished


def result_body(job: Job, base_url: str) -> bytes:
    """What a job's callback carries (and ``GET /v1/renders/{id}`` answers)."""
    return json.dumps(job_view(job, base_url), sort_keys=True).encode()


def job_view(job: Job, base_url: str) -> dict[str, Any]:
    view: dict[str, Any] = {
        "id": job.id,
        "state": job.state,
        "url": f"{base_url}v1/renders/{job.id}",
    }
    if job.files:
        view["files"] = {
            name: {"sha256": digest, "url": f"{base_url}v1/renders/{job.id}/files/{name}"}
            for name, digest in sorted(job.files.items())
        }
    if job.problems:
        view["problems"] = job.problems
    if job.error:
        view["error"] = job.error
    if job.reused:
        view["reused"] = job.reused
    return view
