"""The distributed mode: render jobs on a Redis queue, taken by ``propgen worker``
processes on any number of machines that share Redis and the store folder.

The queue is Dramatiq's Redis broker (chosen over RQ and Celery: a message a worker
took stays in Redis, unacknowledged, until the job returns, and a worker that stops
sending heartbeats — killed, crashed, its machine gone — has its messages put back
on the queue for another worker; Celery needs a separate result backend and
visibility-timeout tuning for the same, RQ moves an abandoned job to a failed
registry instead of retrying it). A job retried after such a death renders again
from its stored record and gives the same bytes; :meth:`Store.finish` lets it
finish only once.
"""

from __future__ import annotations

import functools
import json
import logging
import signal
import threading
from pathlib import Path
from typing import Any

from propgen.api import webhooks
from propgen.api.jobs import result_body, run_job
from propgen.api.store import Store
from propgen.library import Library

QUEUE = "propgen-renders"
HEARTBEAT_TIMEOUT_MS = 15_000
"""How long a silent worker is taken for dead before its jobs go back on the queue."""
log = logging.getLogger("propgen.api")


@functools.cache
def _broker(url: str, heartbeat_timeout: int) -> Any:
    import dramatiq
    from dramatiq.brokers.redis import RedisBroker

    broker = RedisBroker(  # type: ignore[no-untyped-call]
        url=url,
        heartbeat_timeout=heartbeat_timeout,
        # Look for dead workers' messages on every fetch: a lost job waits for the
        # heartbeat timeout, not for chance.
        maintenance_chance=1_000_000,
    )
    dramatiq.set_broker(broker)
    # No retries for a job that raised (render errors are the job's result); a job
    # whose worker died is not an error but an unacknowledged message, put back.
    dramatiq.actor(actor_name="propgen_render", queue_name=QUEUE, max_retries=0)(_render)
    return broker


_secret = b""
"""This worker's webhook key (``propgen worker --webhook-secret``); never sent through Redis."""


@functools.cache
def _library(root: str) -> Library:
    return Library(Path(root))


def _render(store_root: str, job_id: str, base_url: str, library_root: str) -> None:
    store = Store(Path(store_root))
    done, finished_here = run_job(store, store.job(job_id), _library(library_root), workers=1)
    log.info(json.dumps({"event": "render.end", "job": job_id, "state": done.state}))
    if done.callback and finished_here:
        try:
            webhooks.deliver(done.callback, result_body(done, base_url), _secret)
        except OSError as err:
            log.warning(json.dumps({"event": "callback.failed", "job": job_id, "error": str(err)}))


def enqueue(url: str, store: Store, job_id: str, base_url: str, library: Library) -> None:
    broker = _broker(url, HEARTBEAT_TIMEOUT_MS)
    broker.get_actor("propgen_render").send(str(store.root), job_id, base_url, str(library.root))


def work(url: str, secret: bytes = b"", heartbeat_timeout: int = HEARTBEAT_TIMEOUT_MS) -> None:
    """Take render jobs from the queue until SIGTERM or SIGINT (``propgen worker``)."""
    import logging.config

    from dramatiq import Worker

    from propgen.api.logs import LOG_CONFIG
    from propgen.collector import render_only

    logging.config.dictConfig(LOG_CONFIG)
    render_only()  # this process renders jobs and nothing else
    global _secret
    _secret = secret
    worker = Worker(_broker(url, heartbeat_timeout), queues={QUEUE}, worker_threads=1)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    worker.start()
    try:
        stop.wait()
    finally:
        worker.stop()
