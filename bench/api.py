"""The render service: check latency, API overhead per job, throughput with 1 and 2 workers.

Run ``.venv/bin/python bench/api.py [--runs N] [--jobs N]``. Prints medians and p95:

1. ``POST /v1/check`` latency, warm, in process (target p95 ≤ 50 ms).
2. A render job through the embedded API vs ``pipeline.output_files`` on the same
   record, warm (target overhead ≤ 10 %).
3. Jobs per minute with 1 and with 2 ``propgen worker`` processes on a real Redis
   (needs ``redis-server``; target ≥ 1.8x with two).
4. A repeat render of an unchanged record, served from the content-addressed store, vs
   its first render (target ≤ 5 %): with the same ``Idempotency-Key`` (``POST`` answers
   with the finished job), and with another key (a new job, given the stored render's
   files), each timed to the ``GET`` of every file.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from starlette.testclient import TestClient

from propgen.api.app import create_api
from propgen.library import Library, default_library_root
from propgen.pipeline import check, output_files

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "saas.en-US.yaml"
YAML = {"Content-Type": "application/yaml"}


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def _finish(client: TestClient, url: str) -> dict[str, Any]:
    while True:
        job: dict[str, Any] = client.get(url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.02)


def check_latency(client: TestClient, runs: int) -> None:
    body = SAMPLE.read_bytes()
    client.post("/v1/check", content=body, headers=YAML)
    times = []
    for _ in range(runs * 10):
        start = time.perf_counter()
        client.post("/v1/check", content=body, headers=YAML)
        times.append(time.perf_counter() - start)
    print(
        f"1. POST /v1/check: median {statistics.median(times) * 1000:.0f} ms, "
        f"p95 {p95(times) * 1000:.0f} ms (target p95 <= 50 ms)"
    )


def overhead(client: TestClient, library: Library, runs: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    direct, api = [], []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "needs.yaml"
        path.write_text(text, encoding="utf-8")
        output_files(check(path, library=library), ("docx", "pdf"))
        for n in range(runs):
            start = time.perf_counter()
            output_files(check(path, library=library), ("docx", "pdf"))
            direct.append(time.perf_counter() - start)
            body = text.replace("PG-2027-0031", f"PG-2027-8{n:03d}").encode()
            start = time.perf_counter()
            posted = client.post("/v1/renders", content=body, headers=YAML)
            _finish(client, posted.headers["Location"])
            api.append(time.perf_counter() - start)
    d, a = statistics.median(direct), statistics.median(api)
    print(
        f"2. one job: core {d:.2f} s, through the API {a:.2f} s: "
        f"overhead {(a / d - 1) * 100:+.0f} % (target <= 10 %)"
    )


def repeat(client: TestClient, runs: int) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    firsts, repeats, rekeyed = [], [], []
    for n in range(runs):
        body = text.replace("PG-2027-0031", f"PG-2027-6{n:03d}").encode()
        headers = {**YAML, "Idempotency-Key": f"bench-repeat-{n}-{time.time_ns()}"}
        start = time.perf_counter()
        posted = client.post("/v1/renders", content=body, headers=headers)
        _finish(client, posted.headers["Location"])
        firsts.append(time.perf_counter() - start)
        start = time.perf_counter()
        again = client.post("/v1/renders", content=body, headers=headers)
        assert again.status_code == 200, again.status_code
        job = again.json()
        files = [client.get(entry["url"]).content for entry in job["files"].values()]
        repeats.append(time.perf_counter() - start)
        assert files and all(files), job
        start = time.perf_counter()
        other = {**headers, "Idempotency-Key": f"{headers['Idempotency-Key']}-other"}
        posted = client.post("/v1/renders", content=body, headers=other)
        job = _finish(client, posted.headers["Location"])
        files = [client.get(entry["url"]).content for entry in job["files"].values()]
        rekeyed.append(time.perf_counter() - start)
        assert job.get("reused") and files and all(files), job
    f, r, k = (statistics.median(times) for times in (firsts, repeats, rekeyed))
    print(
        f"4. repeat of an unchanged record: first render {f:.2f} s; with its {len(files)} "
        f"files, same key {r * 1000:.0f} ms ({r / f * 100:.1f} %), another key "
        f"{k * 1000:.0f} ms ({k / f * 100:.1f} %) (target <= 5 %)"
    )


def throughput(jobs: int) -> None:
    server = shutil.which("redis-server")
    if not server:
        print("3. throughput: skipped (no redis-server)")
        return
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    redis = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    time.sleep(0.5)
    rates = {}
    try:
        for count in (1, 2):
            with tempfile.TemporaryDirectory() as folder:
                app = create_api(Path(folder), library=Library(default_library_root()), queue=url)
                env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
                workers = [
                    subprocess.Popen(
                        [sys.executable, "-m", "propgen", "worker", "--queue", url],
                        env=env,
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL,
                    )
                    for _ in range(count)
                ]
                try:
                    with TestClient(app, base_url="http://127.0.0.1") as client:
                        text = SAMPLE.read_text(encoding="utf-8")
                        start = time.perf_counter()
                        urls = []
                        for n in range(jobs):
                            body = text.replace("PG-2027-0031", f"PG-2027-7{count}{n:02d}")
                            posted = client.post("/v1/renders", content=body.encode(), headers=YAML)
                            urls.append(posted.headers["Location"])
                        for job_url in urls:
                            _finish(client, job_url)
                        rates[count] = jobs / (time.perf_counter() - start) * 60
                finally:
                    for worker in workers:
                        worker.terminate()
                        worker.wait(timeout=30)
    finally:
        redis.terminate()
        redis.wait(timeout=10)
    print(
        f"3. throughput: 1 worker {rates[1]:.1f} jobs/min, 2 workers {rates[2]:.1f} jobs/min: "
        f"{rates[2] / rates[1]:.2f}x (target >= 1.8x; includes worker start-up)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=10)
    args = parser.parse_args()
    print(f"render service benchmark; load average {os.getloadavg()[0]:.2f}")
    library = Library(default_library_root())
    with tempfile.TemporaryDirectory() as folder:
        app = create_api(Path(folder), library=library, workers=1)
        with TestClient(app, base_url="http://127.0.0.1") as client:
            check_latency(client, args.runs)
            overhead(client, library, args.runs)
            repeat(client, args.runs)
        app.state.api.executor.shutdown(wait=True)
    throughput(args.jobs)


if __name__ == "__main__":
    main()
