"""The distributed mode against a real redis-server on 127.0.0.1: jobs posted to the API
are rendered by `propgen worker` processes; a worker killed with SIGKILL mid-render loses
no job, the job is rendered again by another worker, finishes once, and its files are
byte-identical to the CLI's."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from propgen.api.app import create_api
from propgen.library import Library, default_library_root
from propgen.pipeline import render
from support import ROOT

SAMPLE = ROOT / "samples" / "saas.en-US.yaml"
JOBS = 6


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    server = shutil.which("redis-server")
    assert server, "redis-server is missing: apt-get install redis-server (the Makefile does)"
    port = _free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                if conn.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        assert time.monotonic() < deadline, "redis-server did not start"
        time.sleep(0.1)
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _worker(url: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "propgen", "worker", "--queue", url],
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(client: TestClient, urls: list[str], states: set[str], limit: float) -> list[Any]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        jobs = [client.get(url).json() for url in urls]
        if any(job["state"] in states for job in jobs):
            return jobs
        time.sleep(0.2)
    raise AssertionError(f"no job reached {states} in {limit} s")


def test_a_killed_worker_loses_no_job(redis_url: str, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    records = [text.replace("PG-2027-0031", f"PG-2027-9{n:03d}") for n in range(JOBS)]
    assert all(r != text for r in records)
    app = create_api(tmp_path / "store", library=Library(default_library_root()), queue=redis_url)
    workers = [_worker(redis_url)]
    try:
        with TestClient(app, base_url="http://127.0.0.1") as client:
            urls = []
            for record in records:
                posted = client.post(
                    "/v1/renders",
                    content=record.encode(),
                    headers={"Content-Type": "application/yaml"},
                )
                assert posted.status_code == 202
                urls.append(posted.headers["Location"])
            running = _wait(client, urls, {"running"}, limit=300)
            killed = next(job["id"] for job in running if job["state"] == "running")
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=10)
            workers += [_worker(redis_url), _worker(redis_url)]
            deadline = time.monotonic() + 900
            while True:
                jobs = [client.get(url).json() for url in urls]
                if all(job["state"] in ("done", "failed") for job in jobs):
                    break
                assert time.monotonic() < deadline, jobs
                time.sleep(0.5)
            store = app.state.api.store
            assert [job["state"] for job in jobs] == ["done"] * JOBS
            assert store.job(killed).attempts == 2, "rendered again after the kill"
            assert all(store.finished(job["id"]) for job in jobs)
            (record_file := tmp_path / "killed.yaml").write_text(
                records[[job["id"] for job in jobs].index(killed)], encoding="utf-8"
            )
            cli = render(record_file, tmp_path / "cli")
            job = next(job for job in jobs if job["id"] == killed)
            for name, path in cli.files.items():
                if not name.endswith(".provenance.json"):
                    assert client.get(job["files"][name]["url"]).content == path.read_bytes()
    finally:
        for process in workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
