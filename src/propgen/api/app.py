"""The HTTP API's routes: a thin shell that parses requests and calls the core.

- ``POST /v1/check`` — a needs record (JSON or YAML body) → 200 with pricing and
  deviations, or 422 with every problem and its field path.
- ``POST /v1/renders`` — a record → 202 and the job's URL. ``Idempotency-Key``: the
  same key and body give the same job (never a second render); the same key with
  another body is a 409. ``Propgen-Callback: URL`` asks for a signed callback when
  the job ends (allowed hosts only).
- ``GET /v1/renders/{id}`` — the job's state and, when done, its files' URLs and
  hashes; ``GET /v1/renders/{id}/files/{name}`` — one file.
- ``GET /v1/openapi.json``, ``GET /healthz`` (alive), ``GET /readyz`` (store writable).

``?mapping=NAME`` on either POST takes a CRM export instead of a record, converted
with the library's CRM mapping of that name (as ``propgen import`` does).

Every request needs ``Authorization: Bearer TOKEN`` when a token is configured
(always, off loopback). Bodies above ``MAX_BODY`` are 413; more than ``MAX_QUEUED``
waiting jobs are 429. Requests from browsers on other sites are refused, and a
render must be posted as JSON or YAML (a type a cross-site form cannot send).
"""

from __future__ import annotations

import contextlib
import functools
import hmac
import json
import logging
import re
import tempfile
import threading
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from propgen.api import webhooks
from propgen.api.jobs import check_body, job_view, problems_json, result_body, run_job
from propgen.api.store import Conflict, Job, Store
from propgen.errors import InvalidInput
from propgen.library import Library

MAX_BODY = 2 * 1024 * 1024
"""The largest needs file propgen reads."""
MAX_QUEUED = 100
RECORD_TYPES = ("application/json", "application/yaml", "application/x-yaml", "text/yaml")
log = logging.getLogger("propgen.api")


@dataclass
class ApiState:
    store: Store
    library: Library
    token: str | None
    secret: bytes
    callback_hosts: tuple[str, ...] = ()
    workers: int = 1
    queue: str | None = None
    """A Redis URL: jobs go to ``propgen worker`` processes instead of this process."""
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="render")
    )
    started: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)


def create_api(
    store: Path,
    *,
    library: Library,
    token: str | None = None,
    secret: bytes = b"",
    callback_hosts: tuple[str, ...] = (),
    workers: int = 1,
    queue: str | None = None,
) -> Starlette:
    app = Starlette(
        routes=[
            Route("/v1/check", post_check, methods=["POST"]),
            Route("/v1/renders", post_render, methods=["POST"]),
            Route("/v1/renders/{job_id}", get_job),
            Route("/v1/renders/{job_id}/files/{name}", get_file),
            Route("/v1/openapi.json", openapi),
            Route("/healthz", healthz),
            Route("/readyz", readyz),
        ],
        lifespan=_resume,
    )
    app.state.api = ApiState(
        store=Store(store),
        library=library,
        token=token,
        secret=secret,
        callback_hosts=callback_hosts,
        workers=workers,
        queue=queue,
    )
    return app


def _state(request: Request) -> ApiState:
    state: ApiState = request.app.state.api
    return state


def _error(status: int, message: str, **extra: Any) -> JSONResponse:
    return JSONResponse({"error": message, **extra}, status_code=status)


def _refused(request: Request) -> JSONResponse | None:
    """The checks every request passes: token, cross-site origin, size, body type."""
    state = _state(request)
    if state.token:
        given = request.headers.get("authorization", "")
        if not (given.startswith("Bearer ") and hmac.compare_digest(given[7:], state.token)):
            return _error(401, "a bearer token is required")
    if request.headers.get("sec-fetch-site") == "cross-site":
        return _error(403, "cross-site requests are refused")
    if request.method == "POST":
        length = request.headers.get("content-length", "")
        if length.isdigit() and int(length) > MAX_BODY:
            return _error(413, f"a needs record is at most {MAX_BODY // 1024 // 1024} MiB")
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind not in RECORD_TYPES:
            return _error(415, "post the needs record as application/json or application/yaml")
    return None


async def _body(request: Request) -> bytes | JSONResponse:
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return _error(413, f"a needs record is at most {MAX_BODY // 1024 // 1024} MiB")
    return body


async def _record(request: Request) -> tuple[bytes, str] | Response:
    """The posted needs record and its content type, after every request check. With
    ``?mapping=NAME`` the body is a CRM export, turned into a record by the library's
    mapping of that name (``templates/crm/NAME.yaml``; a name, never a path)."""
    from starlette.concurrency import run_in_threadpool

    refused = _refused(request)
    if refused:
        return refused
    body = await _body(request)
    if isinstance(body, Response):
        return body
    mapping = request.query_params.get("mapping")
    if mapping is None:
        return body, request.headers["content-type"]
    if not re.fullmatch(r"[a-z0-9-]{1,40}", mapping):
        return _error(404, "no such mapping")
    path = _state(request).library.root / "templates" / "crm" / f"{mapping}.yaml"
    if not path.is_file():
        return _error(404, "no such mapping")
    try:
        text = await run_in_threadpool(_import, path, body)
    except InvalidInput as err:
        return JSONResponse({"problems": problems_json(err.problems)}, status_code=422)
    return text.encode(), "application/yaml"


def _import(mapping: Path, export: bytes) -> str:
    from propgen.crm import import_crm

    with tempfile.TemporaryDirectory(prefix="propgen-api-") as folder:
        path = Path(folder) / "export.json"
        path.write_bytes(export)
        return import_crm(mapping, path).yaml_text


async def post_check(request: Request) -> Response:
    from starlette.concurrency import run_in_threadpool

    record = await _record(request)
    if isinstance(record, Response):
        return record
    try:
        result = await run_in_threadpool(check_body, *record, _state(request).library)
    except InvalidInput as err:
        return JSONResponse({"problems": problems_json(err.problems)}, status_code=422)
    return JSONResponse(result)


async def post_render(request: Request) -> Response:
    record = await _record(request)
    if isinstance(record, Response):
        return record
    body, kind = record
    state = _state(request)
    callback = request.headers.get("propgen-callback")
    if callback and not webhooks.allowed(callback, state.callback_hosts):
        return _error(422, "this callback host is not allowed", callback=callback)
    if state.store.count("queued") >= MAX_QUEUED:
        return _error(429, "too many jobs are waiting; try again later")
    key = request.headers.get("idempotency-key")
    try:
        job, new = state.store.create(body, kind, key, callback, str(request.base_url))
    except Conflict:
        return _error(409, "this Idempotency-Key was used with another body")
    if new and state.queue:
        from propgen.api.queue import enqueue

        enqueue(state.queue, state.store, job.id, str(request.base_url), state.library)
    elif new:
        _start(state, job)
    status = 202 if job.state in ("queued", "running") else 200
    view = job_view(job, str(request.base_url))
    return JSONResponse(view, status_code=status, headers={"Location": view["url"]})


def _start(state: ApiState, job: Job) -> None:
    with state.lock:
        if job.id in state.started:
            return
        state.started.add(job.id)
    state.executor.submit(_run, state, job)


@contextlib.asynccontextmanager
async def _resume(app: Starlette) -> AsyncIterator[None]:
    """Embedded mode: jobs an earlier process accepted but never finished run again
    (from their stored record, so with the same bytes and callback). In distributed
    mode Redis keeps them."""
    state: ApiState = app.state.api
    if not state.queue:
        for job in state.store.unfinished():
            log.info(json.dumps({"event": "render.resumed", "job": job.id}))
            _start(state, job)
    yield


def _run(state: ApiState, job: Job) -> None:
    log.info(json.dumps({"event": "render.start", "job": job.id}))
    done, finished_here = run_job(state.store, job, state.library, state.workers)
    log.info(json.dumps({"event": "render.end", "job": job.id, "state": done.state}))
    if done.callback and finished_here:
        try:
            body = result_body(done, done.base_url)
            attempts = webhooks.deliver(done.callback, body, state.secret)
        except OSError as err:
            log.warning(json.dumps({"event": "callback.failed", "job": job.id, "error": str(err)}))
        else:
            log.info(json.dumps({"event": "callback.sent", "job": job.id, "attempts": attempts}))


async def get_job(request: Request) -> Response:
    refused = _refused(request)
    if refused:
        return refused
    try:
        job = _state(request).store.job(request.path_params["job_id"])
    except KeyError:
        return _error(404, "no such job")
    return JSONResponse(job_view(job, str(request.base_url)))


async def get_file(request: Request) -> Response:
    refused = _refused(request)
    if refused:
        return refused
    store = _state(request).store
    try:
        job = store.job(request.path_params["job_id"])
        digest = job.files[request.path_params["name"]]
    except KeyError:
        return _error(404, "no such file")
    name = request.path_params["name"]
    kinds = {".pdf": "application/pdf", ".json": "application/json"}
    kind = next(
        (v for k, v in kinds.items() if name.endswith(k)),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    return Response(
        store.get(digest),
        media_type=kind,
        headers={"ETag": f'"{digest}"', "Content-Disposition": f'attachment; filename="{name}"'},
    )


async def healthz(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def readyz(request: Request) -> Response:
    refused = _refused(request)
    if refused:
        return refused
    store = _state(request).store
    probe = store.root / "jobs" / ".ready"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as err:
        return _error(503, f"the store is not writable: {err.strerror}")
    return JSONResponse({"ok": True, "queued": store.count("queued")})


async def openapi(request: Request) -> Response:
    return JSONResponse(_openapi())


@functools.cache
def _openapi() -> dict[str, Any]:
    """:data:`OPENAPI` with the needs record's JSON Schema (``propgen schema``) as the
    ``NeedsRecord`` component; its ``$defs`` become components of their own."""
    from propgen.needs.schema import needs_schema

    record = needs_schema()
    defs = record.pop("$defs", {})
    components = {"NeedsRecord": record, **defs}
    text = json.dumps(components).replace('"#/$defs/', '"#/components/schemas/')
    document: dict[str, Any] = json.loads(json.dumps(OPENAPI))
    document["components"]["schemas"] = json.loads(text)
    return document


_TEXT = {"type": "string"}
_RECORD_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/NeedsRecord"}},
        "application/yaml": {"schema": _TEXT},
    },
}
OPENAPI: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "propgen render service", "version": "1"},
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": {},  # the needs record's JSON Schema, filled in by _openapi
    },
    "security": [{"bearer": []}],
    "paths": {
        "/v1/check": {
            "post": {
                "summary": "Check a needs record: pricing and deviations, or its problems",
                "requestBody": _RECORD_BODY,
                "responses": {"200": {"description": "valid"}, "422": {"description": "problems"}},
            }
        },
        "/v1/renders": {
            "post": {
                "summary": "Start a render job",
                "parameters": [
                    {"name": "Idempotency-Key", "in": "header", "schema": _TEXT},
                    {"name": "Propgen-Callback", "in": "header", "schema": _TEXT},
                    {"name": "mapping", "in": "query", "schema": _TEXT},
                ],
                "requestBody": _RECORD_BODY,
                "responses": {
                    "202": {"description": "job accepted"},
                    "409": {"description": "key reused with another body"},
                    "413": {"description": "body too large"},
                    "429": {"description": "queue full"},
                },
            }
        },
        "/v1/renders/{job_id}": {
            "get": {
                "summary": "A job's state and files",
                "parameters": [{"name": "job_id", "in": "path", "required": True, "schema": _TEXT}],
                "responses": {"200": {"description": "the job"}, "404": {"description": "none"}},
            }
        },
        "/v1/renders/{job_id}/files/{name}": {
            "get": {
                "summary": "One output file",
                "parameters": [
                    {"name": "job_id", "in": "path", "required": True, "schema": _TEXT},
                    {"name": "name", "in": "path", "required": True, "schema": _TEXT},
                ],
                "responses": {"200": {"description": "the file"}, "404": {"description": "none"}},
            }
        },
        "/healthz": {"get": {"summary": "Alive", "responses": {"200": {"description": "ok"}}}},
        "/readyz": {"get": {"summary": "Ready", "responses": {"200": {"description": "ok"}}}},
    },
}
