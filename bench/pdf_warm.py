"""The warm PDF path: propgen's proposal PDF before and after issue 18's second round,
beside bare WeasyPrint on the same HTML.

Run ``.venv/bin/python bench/pdf_warm.py [--runs N] [--record PATH] [--memory N]``. In
one warm process, round-robin (so drift from other load hits every variant alike),
``check`` + ``render_documents(…, ("pdf",))`` of the proposal, as bench/carbone.py's
warm measure does for DOCX + PDF:

* ``before``: a new WeasyPrint font configuration per PDF, the collector as a default
  process has it (what propgen did before the second round);
* ``CLI (-j 1)``: the font configuration kept by the thread
  (:func:`propgen.render.pdf._font_config`), the collector as a default process has it;
* ``render worker``: as the workers of ``propgen render -j``, ``propgen serve``, the
  API and ``propgen worker`` run, with :func:`propgen.collector.render_only` (no
  automatic collection during layout; what the warm-up left frozen);
* ``bare WeasyPrint``: ``weasyprint.HTML(string=…).write_pdf()`` on the markup propgen
  lays out, with the stylesheets propgen passes, parsed once.

Prints the median wall and CPU time of each, the collector's CPU time inside them, the
ratios after / before and to bare WeasyPrint. ``--memory N`` then renders the samples'
PDFs N times in a fresh process, as a default process and as a render worker, and
prints each one's peak RSS (VmHWM).
"""

from __future__ import annotations

import argparse
import gc
import itertools
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import weasyprint

from propgen import collector
from propgen.library import Library, default_library_root
from propgen.locales import paper
from propgen.pipeline import check, render_documents, traced
from propgen.render import pdf as pdf_renderer
from propgen.render.html import BASELINE_CSS, STYLESHEET, build_html

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


def fresh_fonts() -> None:
    """Forget this thread's kept font configuration: the next PDF makes a new one, as
    WeasyPrint does per document unless given one (bench only: a private attribute)."""
    pdf_renderer._fonts.config = None


def as_render_worker() -> None:
    """This process as a render worker after its warm-up: ``render_only`` and what is
    loaded now frozen by the first ``release_memory``."""
    collector.render_only()
    collector.release_memory()


def as_default_process() -> None:
    collector.render_only(False)


class CollectorClock:
    """CPU seconds spent in the cyclic garbage collector (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.spent = 0.0
        self._start = 0.0
        gc.callbacks.append(self._tick)

    def _tick(self, phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            self._start = time.process_time()
        else:
            self.spent += time.process_time() - self._start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--record", type=Path, default=SAMPLE)
    parser.add_argument("--memory", type=int, default=0, metavar="N")
    parser.add_argument("--peak-rss-of", choices=("default", "worker"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peak_rss_of:
        peak_rss(args.peak_rss_of, args.memory)
        return
    library = Library(default_library_root())
    theme = library.theme_dir.resolve()
    document = traced(check(args.record, library=library, only="proposal"))["proposal"]
    markup = build_html(document, theme, standalone=False)

    def propgen() -> bytes:
        checked = check(args.record, library=library, only="proposal")
        return next(iter(render_documents(checked, ("pdf",)).values()))

    def before() -> None:
        as_default_process()
        fresh_fonts()

    variants: dict[str, tuple[Callable[[], None], Callable[[], bytes]]] = {
        "before (fonts per PDF)": (before, propgen),
        "CLI -j 1 (fonts kept)": (as_default_process, propgen),
        "render worker": (as_render_worker, propgen),
        "bare WeasyPrint": (
            as_default_process,
            bare(markup, theme, BASELINE_CSS, document.meta.locale),
        ),
    }
    wall: dict[str, list[float]] = {name: [] for name in variants}
    cpu: dict[str, list[float]] = {name: [] for name in variants}
    gc_cpu: dict[str, list[float]] = {name: [] for name in variants}
    outputs: dict[str, set[bytes]] = {name: set() for name in variants}
    for setup, run in variants.values():  # warm: imports, fonts, stylesheet caches
        setup()
        run()
    clock = CollectorClock()
    for _ in range(args.runs):
        for name, (setup, run) in variants.items():
            setup()
            clock.spent = 0.0
            start, start_cpu = time.perf_counter(), time.process_time()
            outputs[name].add(run())
            wall[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
            gc_cpu[name].append(clock.spent)
    as_default_process()
    propgen_pdfs = set().union(*(outputs[name] for name in list(variants)[:3]))
    print(
        f"{args.record.name} proposal PDF, warm process, median of {args.runs} runs "
        f"(propgen's PDFs identical in every variant and run: {len(propgen_pdfs) == 1})"
    )
    for name in variants:
        print(
            f"  {name:24} wall {statistics.median(wall[name]) * 1000:6.0f} ms "
            f"({min(wall[name]) * 1000:.0f}–{max(wall[name]) * 1000:.0f})  "
            f"cpu {statistics.median(cpu[name]) * 1000:6.0f} ms  "
            f"of which collector {statistics.median(gc_cpu[name]) * 1000:4.0f} ms"
        )
    names = list(variants)
    for measure, values in (("wall", wall), ("cpu", cpu)):
        old, cli, worker, plain = (statistics.median(values[name]) for name in names)
        print(
            f"  {measure}: CLI / before {cli / old:.2f}x, worker / before {worker / old:.2f}x; "
            f"before / bare {old / plain:.2f}x, CLI / bare {cli / plain:.2f}x, "
            f"worker / bare {worker / plain:.2f}x"
        )
    if args.memory:
        children = {
            mode: subprocess.Popen(
                [sys.executable, __file__, "--peak-rss-of", mode, "--memory", str(args.memory)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for mode in ("default", "worker")
        }
        for mode, child in children.items():
            out, _ = child.communicate()
            print(f"  peak RSS, {mode} process: {out.strip()}")


def peak_rss(mode: str, documents: int) -> None:
    """Render ``documents`` PDFs (the samples' proposals and contracts in turn) in this
    fresh process, and print its peak RSS."""
    if mode == "worker":
        collector.render_only()
    library = Library(default_library_root())
    records = sorted((REPO / "samples").glob("*.yaml"))
    kinds = itertools.cycle(itertools.product(records, ("proposal", "contract")))
    for record, kind in itertools.islice(kinds, documents):
        render_documents(check(record, library=library, only=kind), ("pdf",))
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print(f"{int(peak) // 1024} MiB over {documents} documents")


if __name__ == "__main__":
    main()
