"""The warm PDF path: propgen's proposal PDF beside bare WeasyPrint on the same HTML.

Run ``.venv/bin/python bench/pdf_warm.py [--runs N] [--record PATH]``. In one warm
process, round-robin (so drift from other load hits every variant alike):

* ``propgen``: ``check`` + ``render_documents(…, ("pdf",))`` of the proposal, as
  bench/carbone.py's warm measure does for DOCX + PDF;
* ``bare, break-word``: ``weasyprint.HTML(string=…).write_pdf()`` on the markup propgen
  lays out, with the stylesheets propgen passes (baseline, ``print.css``, paper);
* ``bare, anywhere``: the same with the ``overflow-wrap: anywhere`` baseline propgen
  used before (and still uses for a document whose words overflow their columns).

Prints the median wall and CPU time of each, the ratio of propgen to bare WeasyPrint
with propgen's baseline, and what the baseline change saves.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import weasyprint

from propgen.library import Library, default_library_root
from propgen.locales import paper
from propgen.pipeline import check, render_documents, traced
from propgen.render.html import ANYWHERE_CSS, BASELINE_CSS, STYLESHEET, build_html

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "samples" / "saas.en-US.yaml"


def bare(markup: str, theme: Path, baseline: str, locale: str) -> Callable[[], bytes]:
    """Bare WeasyPrint on ``markup`` with propgen's stylesheets, parsed once."""
    sheets = [
        weasyprint.CSS(string=baseline),
        weasyprint.CSS(filename=str(theme / STYLESHEET)),
        weasyprint.CSS(string=f"@page {{ size: {paper(locale).css} }}"),
    ]

    def run() -> bytes:
        html = weasyprint.HTML(string=markup, base_url=theme.as_uri() + "/")
        pdf: bytes = html.write_pdf(stylesheets=sheets)
        return pdf

    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--record", type=Path, default=SAMPLE)
    args = parser.parse_args()
    library = Library(default_library_root())
    theme = library.theme_dir.resolve()
    document = traced(check(args.record, library=library, only="proposal"))["proposal"]
    markup = build_html(document, theme, standalone=False)
    locale = document.meta.locale

    def propgen() -> bytes:
        checked = check(args.record, library=library, only="proposal")
        return next(iter(render_documents(checked, ("pdf",)).values()))

    variants: dict[str, Callable[[], bytes]] = {
        "propgen (check + PDF)": propgen,
        "bare WeasyPrint, break-word": bare(markup, theme, BASELINE_CSS, locale),
        "bare WeasyPrint, anywhere": bare(markup, theme, ANYWHERE_CSS, locale),
    }
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    for run in variants.values():  # warm: imports, fonts, stylesheet caches
        run()
    for _ in range(args.runs):
        for name, run in variants.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    print(f"{args.record.name} proposal PDF, warm process, median of {args.runs} runs")
    for name in variants:
        print(
            f"  {name:30} wall {statistics.median(wall[name]) * 1000:6.0f} ms "
            f"({min(wall[name]) * 1000:.0f}–{max(wall[name]) * 1000:.0f})  "
            f"cpu {statistics.median(cpu[name]) * 1000:6.0f} ms"
        )
    names = list(variants)
    for measure, values in (("wall", wall), ("cpu", cpu)):
        propgen_t, fast, slow = (statistics.median(values[name]) for name in names)
        print(
            f"  {measure}: propgen / bare break-word {propgen_t / fast:.2f}x; "
            f"bare break-word / bare anywhere {fast / slow:.2f}x"
        )


if __name__ == "__main__":
    main()
