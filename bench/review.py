"""propgen review benchmark: a cold process reviewing an edited ~15-page contract.

Run ``.venv/bin/python bench/review.py [--runs N]``. Renders the sample contracts
(DOCX and PDF, to count their pages) with a cache of the benchmark's own, edits the
payment days and the liability cap of each, then times ``propgen review EDITED
--needs RECORD --format json`` in a fresh process N times, two ways:

- after the render: the review basis the render kept (propgen.review.basis) is read
  back — the target of 1 s applies here;
- without a cache (``PROPGEN_CACHE_DIR=""``): the core validates the record and
  assembles the contract and its alternatives, as a review on another machine does.

Each prints the median wall time (min-max) and the median CPU time (user + system,
which a loaded machine does not inflate), and the import of the CLI alone, the floor
of any cold command. Modules are byte-compiled first, as an installed package is.
Nothing fails on timings.
"""

from __future__ import annotations

import argparse
import compileall
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PY = str(Path(sys.executable))
RECORDS = [REPO / "samples" / "saas.en-US.yaml", REPO / "samples" / "manufacturing.zh-CN.yaml"]
EDITS = {
    "en-US": [("45\u00a0days", "60\u00a0days"), ("18\u00a0months", "6\u00a0months")],
    "zh-CN": [("30日", "60日"), ("12个月", "6个月")],
}
TARGET = 1.0


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one fresh process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False, env=env)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 3):
        raise SystemExit(done.stderr.decode())
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return elapsed, cpu


def _edit(docx: Path, edits: list[tuple[str, str]], out: Path) -> Path:
    with zipfile.ZipFile(docx) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/document.xml":
                text = data.decode()
                for old, new in edits:
                    assert old in text, old
                    text = text.replace(old, new, 1)
                data = text.encode()
            dst.writestr(info, data)
    return out


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    compileall.compile_dir(str(REPO / "src" / "propgen"), quiet=1)
    with tempfile.TemporaryDirectory(prefix="propgen-bench-review-") as folder:
        out = Path(folder)
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        cached = {**env, "PROPGEN_CACHE_DIR": str(out / "cache")}
        uncached = {**env, "PROPGEN_CACHE_DIR": ""}
        imports = [_run([PY, "-c", "import propgen.cli"], env) for _ in range(3)]
        floor = statistics.median(wall for wall, _ in imports)
        for record in RECORDS:
            locale = record.stem.split(".")[-1]
            target = out / locale
            render = [PY, "-m", "propgen", "render", str(record), "-o", str(target)]
            subprocess.run(
                [*render, "--only", "contract"], check=True, env=cached, capture_output=True
            )
            (docx,) = target.glob("*-contract.docx")
            (pdf,) = target.glob("*-contract.pdf")
            edited = _edit(docx, EDITS[locale], out / f"edited-{locale}.docx")
            command = [PY, "-m", "propgen", "review", str(edited), "--needs", str(record)]
            command += ["--format", "json"]
            for how, environment in (("after render", cached), ("no cache", uncached)):
                times = [_run(command, environment) for _ in range(runs)]
                walls = [wall for wall, _ in times]
                median = statistics.median(walls)
                cpu = statistics.median(c for _, c in times)
                verdict = "PASS" if median <= TARGET else "MISS"
                print(
                    f"review {locale} contract ({_pages(pdf)} pages), {how}: median "
                    f"{median:.2f} s ({min(walls):.2f}-{max(walls):.2f}, {runs} cold runs), "
                    f"CPU {cpu:.2f} s — {verdict} (target {TARGET:.1f} s)"
                )
        print(f"import of the CLI alone: {floor:.2f} s; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
