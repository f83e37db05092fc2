"""propgen review benchmark: a cold process reviewing an edited ~15-page contract.

Run ``.venv/bin/python bench/review.py [--runs N]``. Renders the sample contracts
(DOCX and PDF, to count their pages), edits the payment days and the liability cap
of each, then times ``propgen review EDITED --needs RECORD --format json`` in a fresh
process N times: the median (min-max) against the target of 1 s. Also times the
import of the CLI alone, the floor of any cold command. Nothing fails on timings.
"""

from __future__ import annotations

import argparse
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


def _run(args: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 3):
        raise SystemExit(done.stderr.decode())
    return elapsed


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
    with tempfile.TemporaryDirectory(prefix="propgen-bench-review-") as folder:
        out = Path(folder)
        for record in RECORDS:
            locale = record.stem.split(".")[-1]
            target = out / locale
            subprocess.run(
                [
                    PY,
                    "-m",
                    "propgen",
                    "render",
                    str(record),
                    "-o",
                    str(target),
                    "--only",
                    "contract",
                ],
                check=True,
                capture_output=True,
            )
            (docx,) = target.glob("*-contract.docx")
            (pdf,) = target.glob("*-contract.pdf")
            edited = _edit(docx, EDITS[locale], out / f"edited-{locale}.docx")
            command = [
                PY,
                "-m",
                "propgen",
                "review",
                str(edited),
                "--needs",
                str(record),
                "--format",
                "json",
            ]
            _run(command)  # the template cache warm, as after any render
            times = [_run(command) for _ in range(runs)]
            imports = [_run([PY, "-c", "import propgen.cli"]) for _ in range(3)]
            median = statistics.median(times)
            print(
                f"review {locale} contract ({_pages(pdf)} pages): median {median:.2f} s "
                f"({min(times):.2f}-{max(times):.2f}, {runs} cold runs); "
                f"import of the CLI alone {statistics.median(imports):.2f} s — "
                f"{'PASS' if median <= TARGET else 'MISS'} (target {TARGET:.1f} s)"
            )


if __name__ == "__main__":
    main()
