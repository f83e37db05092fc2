"""What each PDF profile costs: contract PDFs rendered warm, in one process.

Run ``.venv/bin/python bench/pdf_profiles.py [--runs N]``. For each sample record
(English and Chinese), the contract is checked once, then rendered as a standard,
archival (PDF/A-3b, deal embedded, signature fields) and tagged (PDF/UA-1) PDF,
round-robin so drift hits every profile alike; each figure is the median (min–max),
with its ratio to the standard profile.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from propgen.pipeline import check, render_documents
from propgen.render.pdf_profile import PDF_PROFILES

REPO = Path(__file__).resolve().parent.parent
RECORDS = {
    "en": REPO / "samples" / "saas.en-US.yaml",
    "zh": REPO / "samples" / "saas.zh-CN.yaml",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"PDF profiles: contract PDF, warm process, median of {args.runs} runs")
    for lang, record in RECORDS.items():
        checked = check(record, only="contract")
        render_documents(checked, ("pdf",))  # warm: fonts, stylesheet, imports
        times: dict[str, list[float]] = {profile: [] for profile in PDF_PROFILES}
        sizes: dict[str, int] = {}
        for _ in range(args.runs):
            for profile in PDF_PROFILES:
                start = time.perf_counter()
                files = render_documents(checked, ("pdf",), pdf_profile=profile)
                times[profile].append(time.perf_counter() - start)
                sizes[profile] = len(next(iter(files.values())))
        base = statistics.median(times["standard"])
        for profile in PDF_PROFILES:
            values = times[profile]
            middle = statistics.median(values)
            print(
                f"  {lang} {profile:9} {middle * 1000:6.0f} ms "
                f"({min(values) * 1000:.0f}–{max(values) * 1000:.0f})  "
                f"{middle / base:5.2f}x standard  {sizes[profile] / 1024:6.0f} KiB"
            )


if __name__ == "__main__":
    main()
