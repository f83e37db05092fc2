"""`propgen api` as operators run it: a real process on 127.0.0.1 that logs one JSON
object per line (access lines included), killed with SIGKILL after accepting a job;
the next process on the same store renders that job, with the CLI's bytes."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from support import ROOT

SAMPLE = ROOT / "samples" / "saas.en-US.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _api(store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "propgen", "api", "--store", str(store), "--port", str(port)],
            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError(f"propgen api did not start: {log.read_text()}")


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.load(answer)


def test_a_job_accepted_before_a_crash_is_rendered_after_the_restart(
    tmp_path: Path, rendered_samples: Path
) -> None:
    store, log, port = tmp_path / "store", tmp_path / "api.log", _free_port()
    first = _api(store, port, log)
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/renders",
            data=SAMPLE.read_bytes(),
            headers={"Content-Type": "application/yaml", "Idempotency-Key": "deal-1"},
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            assert answer.status == 202
            job_url = json.load(answer)["url"]
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
    assert _get_state_on_disk(store) in ("queued", "running")

    second = _api(store, port, log)
    try:
        deadline = time.monotonic() + 600
        while (job := _get(job_url))["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline, "the resumed job did not finish"
            time.sleep(0.3)
        assert job["state"] == "done", job
        files = {}
        for name, file in job["files"].items():
            with urllib.request.urlopen(file["url"], timeout=30) as answer:
                files[name] = answer.read()
    finally:
        second.terminate()
        second.wait(timeout=30)
    documents = {name for name in files if name.endswith((".docx", ".pdf"))}
    assert len(documents) == 4
    for name in documents:  # the provenance names the posted file, not the CLI's
        assert files[name] == (rendered_samples / name).read_bytes(), name

    lines = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    assert all({"time", "level", "logger"} <= line.keys() for line in lines)
    access = [line for line in lines if line["logger"] == "uvicorn.access"]
    posted = [line for line in access if line["method"] == "POST"]
    assert [(line["path"], line["status"]) for line in posted] == [("/v1/renders", 202)]
    events = [line.get("event") for line in lines]
    assert events.count("render.resumed") == 1
    assert "render.end" in events


def _get_state_on_disk(store: Path) -> str:
    (job,) = (json.loads(p.read_text()) for p in (store / "jobs").glob("*.json"))
    state: str = job["state"]
    return state
