"""propgen benchmark: start-up, PDF, DOCX, full sets, batch throughput, long documents, memory.

Run ``.venv/bin/python bench/run.py [--quick]`` (``make bench``). Every figure is the
median (min-max) of fresh runs, printed next to its baseline with a ratio; a final
summary says PASS/MISS per target. Timings are noisy on a shared machine: nothing
here ever fails on them, it only prints.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PY, PROPGEN = str(BIN / "python"), str(BIN / "propgen")
EXAMPLES = REPO.parent / "shared" / "examples"
RECORDS = {
    "en": EXAMPLES / "northwind-saas.en.yaml",
    "zh": EXAMPLES / "huaxin-manufacturing.zh.yaml",
}
THEME = REPO / "templates" / "theme"
MIB = 1024 * 1024

BARE_PDF = (
    "import sys, weasyprint\n"
    "weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])"
)
BARE_DOCX = """import sys
from docxtpl import DocxTemplate
tpl = DocxTemplate(sys.argv[1])
body = tpl.new_subdoc()
body.add_paragraph("A simple body paragraph.")
ctx = {k: k.replace("_", " ").title() for k in
       "title subtitle notice header footer page_label of_label logo header_logo".split()}
ctx |= {"cover_lines": [{"label": "Reference", "value": "PG-0000"}], "body": body}
tpl.render(ctx)
tpl.save(sys.argv[2])
"""
NO_HEAVY_IMPORTS = (
    "import sys; from propgen.cli import main; main(['check', sys.argv[1]]); "
    "print('weasyprint' in sys.modules, 'docxtpl' in sys.modules)"
)

Row = tuple[str, list[float]]
summary: list[tuple[str, str, bool | None]] = []


# --- measuring ----------------------------------------------------------------------


def run(cmd: Sequence[str], quiet: bool = True) -> float | None:
    """Wall time of one subprocess, or None (with the error printed) when it failed."""
    start = time.perf_counter()
    proc = subprocess.run(list(cmd), capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        print(f"  ! failed ({proc.returncode}): {' '.join(cmd)[:120]}\n    " + "\n    ".join(tail))
        return None
    return elapsed


def timed(cmds: dict[str, list[str]], n: int, warmup: int = 1) -> dict[str, list[float]]:
    """Run every command n times, round-robin (so drift hits all alike), after warm-ups."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for i in range(warmup + n):
        for name, cmd in cmds.items():
            t = run(cmd)
            if t is not None and i >= warmup:
                times[name].append(t)
    return times


def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def show(value: float, unit: str) -> str:
    if value != value:
        return "n/a"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.3g} {unit}" if unit else f"{value:.3g}"


def table(title: str, rows: list[Row], unit: str = "s", base: int = 0) -> None:
    """Median, min-max and ratio to row ``base`` for each row."""
    print(f"\n== {title}")
    print(f"  {'':44} {'median':>10} {'min - max':>21} {'ratio':>7}  n")
    ref = med(rows[base][1]) if rows else float("nan")
    for label, values in rows:
        m = med(values)
        span = f"{show(min(values), unit)} - {show(max(values), unit)}" if values else "-"
        ratio = f"{m / ref:.2f}x" if values and ref == ref and ref > 0 else "-"
        print(f"  {label:44} {show(m, unit):>10} {span:>21} {ratio:>7}  {len(values)}")


def target(name: str, figure: str, ok: bool | None) -> None:
    summary.append((name, figure, ok))


def ratio(a: list[float], b: list[float]) -> float:
    return med(a) / med(b) if a and b else float("nan")


def pages(pdf: Path) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(pdf).pages)
    except Exception:  # a missing or broken PDF must not stop the benchmark
        return 0


def one(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    return found[0] if found else folder / pattern


# --- sections -----------------------------------------------------------------------


def startup(n: int) -> None:
    en = str(RECORDS["en"])
    t = timed(
        {
            "python -c pass": [PY, "-c", "pass"],
            "propgen --help": [PROPGEN, "--help"],
            "propgen --version": [PROPGEN, "--version"],
            "propgen check <northwind>": [PROPGEN, "check", en],
        },
        n,
    )
    table("1. Start-up (fresh processes; ratio vs bare python)", list(t.items()))
    proc = subprocess.run([PY, "-c", NO_HEAVY_IMPORTS, en], capture_output=True, text=True)
    last = (proc.stdout.strip().splitlines() or ["?"])[-1].split()
    clean = last == ["False", "False"]
    print(
        f"  check imports neither weasyprint nor docxtpl: {'yes' if clean else 'no'} "
        f"(weasyprint, docxtpl loaded: {' '.join(last)})"
    )
    r = ratio(t["propgen --help"], t["python -c pass"])
    target("--help <= 2.5x bare python", f"{r:.2f}x", r <= 2.5 if r == r else None)
    c = med(t["propgen check <northwind>"])
    target("check <= 0.25 s", show(c, "s"), c <= 0.25 if c == c else None)
    target("check imports no renderer", "yes" if clean else "no", clean)


def pdf(n: int, work: Path) -> dict[str, float]:
    """Propgen's proposal PDF vs bare WeasyPrint on propgen's own (standalone) HTML."""
    rows: list[Row] = []
    per_page: dict[str, float] = {}
    raw: dict[str, list[float]] = {}
    for lang, record in RECORDS.items():
        html_dir, out = work / f"html-{lang}", work / f"pdf-{lang}"
        # render_html inlines print.css in a <style> and the logo as a data: URI, so
        # WeasyPrint on that file applies the same stylesheet propgen passes separately.
        run(
            [
                PROPGEN,
                "render",
                str(record),
                "--format",
                "html",
                "--only",
                "proposal",
                "-o",
                str(html_dir),
            ]
        )
        html, bare_pdf = one(html_dir, "*-proposal.html"), work / f"bare-{lang}.pdf"
        t = timed(
            {
                "propgen": [
                    PROPGEN,
                    "render",
                    str(record),
                    "--format",
                    "pdf",
                    "--only",
                    "proposal",
                    "-o",
                    str(out),
                ],
                "bare": [PY, "-c", BARE_PDF, str(html), THEME.as_uri() + "/", str(bare_pdf)],
            },
            n,
        )
        n_pages, n_bare = pages(one(out, "*-proposal.pdf")), pages(bare_pdf)
        rows += [
            (f"{lang}: bare WeasyPrint, same HTML ({n_bare} p)", t["bare"]),
            (f"{lang}: propgen render pdf proposal ({n_pages} p)", t["propgen"]),
        ]
        raw[lang] = t["propgen"]
        per_page[lang] = med(t["propgen"]) / n_pages if n_pages else float("nan")
        r = ratio(t["propgen"], t["bare"])
        target(
            f"{lang} proposal PDF <= 1.2x bare WeasyPrint",
            f"{r:.2f}x",
            r <= 1.2 if r == r else None,
        )
    table("2. Proposal PDF (fresh process, wall; ratio vs en bare WeasyPrint)", rows)
    r_raw = ratio(raw["zh"], raw["en"])
    r_page = per_page["zh"] / per_page["en"]
    print(
        f"  zh/en: raw {r_raw:.2f}x; per page {show(per_page['zh'], 's')} / "
        f"{show(per_page['en'], 's')} = {r_page:.2f}x"
    )
    target(
        "zh PDF <= 1.15x en (per page)",
        f"{r_page:.2f}x",
        r_page <= 1.15 if r_page == r_page else None,
    )
    target("zh PDF <= 1.15x en (raw)", f"{r_raw:.2f}x", r_raw <= 1.15 if r_raw == r_raw else None)
    return per_page


def docx(n: int, work: Path) -> None:
    cmds = {
        "bare docxtpl, frame.docx + simple body": [
            PY,
            "-c",
            BARE_DOCX,
            str(THEME / "frame.docx"),
            str(work / "bare.docx"),
        ]
    }
    for lang, record in RECORDS.items():
        cmds[f"{lang}: propgen render docx proposal"] = [
            PROPGEN,
            "render",
            str(record),
            "--format",
            "docx",
            "--only",
            "proposal",
            "-o",
            str(work / f"docx-{lang}"),
        ]
    table(
        "3. Proposal DOCX (fresh process, wall; ratio vs bare docxtpl)",
        list(timed(cmds, n).items()),
    )


def full_set(n: int, work: Path) -> None:
    """propgen DOCX+PDF of both documents vs propgen DOCX + LibreOffice converting both."""
    profile = work / "lo-profile"
    soffice = [
        "soffice",
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
    ]
    seed = work / "lo-seed"
    run([PROPGEN, "render", str(RECORDS["en"]), "--format", "docx", "-o", str(seed)])
    made = run([*soffice, "--outdir", str(seed), *map(str, seed.glob("*.docx"))])
    rows: list[Row] = []
    for lang, record in RECORDS.items():
        lo = work / f"lo-{lang}"
        # A fresh folder each run, so soffice converts exactly the two new DOCX files.
        script = (
            f'rm -rf "{lo}" && "{PROPGEN}" render "{record}" --format docx -o "{lo}" && '
            f'{" ".join(soffice)} --outdir "{lo}" "{lo}"/*.docx'
        )
        t = timed(
            {
                "propgen": [PROPGEN, "render", str(record), "-o", str(work / f"full-{lang}")],
                "lo": ["sh", "-c", script],
            },
            n,
        )
        rows += [
            (f"{lang}: propgen DOCX, then soffice -> PDF", t["lo"]),
            (f"{lang}: propgen render (DOCX+PDF, both docs)", t["propgen"]),
        ]
        r = ratio(t["propgen"], t["lo"])
        target(
            f"{lang} full set faster than DOCX + LibreOffice",
            f"{r:.2f}x",
            r < 1 if r == r else None,
        )
    table(
        "4. Full set: proposal + contract, DOCX + PDF (fresh processes; ratio vs en LibreOffice)",
        rows,
    )
    print(
        f"  LibreOffice profile created once before timing (not counted): "
        f"{show(made or float('nan'), 's')} for its first conversion run"
    )


def batch(files: int, runs: int, work: Path) -> None:
    src = work / "batch-in"
    src.mkdir()
    samples = sorted((REPO / "samples").glob("*.yaml"))
    for i in range(files):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        text = re.sub(r"^(\s+reference:\s*)\S+", rf"\g<1>BENCH-{i:04d}", text, count=1, flags=re.M)
        (src / f"bench-{i:04d}.yaml").write_text(text, encoding="utf-8")
    has_jobs = (
        "--jobs"
        in subprocess.run([PROPGEN, "render", "--help"], capture_output=True, text=True).stdout
    )
    if not has_jobs:
        print("\n  note: `propgen render` has no -j/--jobs yet: one-worker run only")
    counts: dict[int, int] = {}
    results: dict[int, list[float]] = {}
    for jobs in (1, 2) if has_jobs else (1,):
        out = work / f"batch-out-{jobs}"
        results[jobs] = []
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            t = run(
                [
                    PROPGEN,
                    "render",
                    str(src),
                    "-o",
                    str(out),
                    *(["-j", str(jobs)] if has_jobs else []),
                ]
            )
            counts[jobs] = sum(1 for p in out.glob("*") if p.suffix in (".pdf", ".docx"))
            if t is not None:
                results[jobs].append(t)
    rows: list[Row] = []
    for jobs, times in results.items():
        rows += [
            (
                f"-j {jobs}: files/s ({counts[jobs]} DOCX+PDF files)",
                [counts[jobs] / t for t in times],
            ),
            (f"-j {jobs}: full sets/s ({files} records)", [files / t for t in times]),
            (f"-j {jobs}: wall", times),
        ]
    table(f"5. Batch of {files} needs files (ratio vs -j 1 files/s)", rows, unit="/s")
    speedup = ratio(results.get(2, []), results[1]) ** -1 if 2 in results else float("nan")
    sets = files / med(results.get(2, [])) if results.get(2) else float("nan")
    print(f"  -j 2 speed-up over -j 1: {speedup:.2f}x")
    target(
        f"batch {files}: -j 2 >= 1.8x -j 1",
        f"{speedup:.2f}x",
        speedup >= 1.8 if speedup == speedup else None,
    )
    target(
        "batch: >= 1.5 full sets/s on 2 cores",
        f"{sets:.2f}/s",
        sets >= 1.5 if sets == sets else None,
    )


def worker(mode: str, runs: int, low: int, high: int) -> None:
    """In-process measurements, run in a fresh subprocess; prints one JSON line."""
    from propgen.pipeline import check
    from propgen.render.docx import render_docx
    from propgen.render.pdf import render_pdf

    en, zh = (check(RECORDS[lang]) for lang in ("en", "zh"))
    theme = en.library.theme_dir
    if mode == "rss":
        docs = [*en.documents.values(), *zh.documents.values()]
        marks: dict[int, dict[str, float]] = {}
        for i in range(1, high + 1):
            render_pdf(docs[i % len(docs)], theme)
            render_docx(docs[i % len(docs)], theme)
            if i in (low, high):
                status = Path("/proc/self/status").read_text()
                marks[i] = {
                    k: int(re.search(rf"{k}:\s+(\d+)", status)[1]) * 1024 / MIB  # type: ignore[index]
                    for k in ("VmRSS", "VmHWM")
                }
        print(json.dumps(marks))
        return
    contract = en.documents["contract"]
    clause_ids = {t.id for t in en.plan.clauses}
    idx = [i for i, b in enumerate(contract.blocks) if getattr(b, "source_id", "") in clause_ids]
    head, body, tail = (
        contract.blocks[: idx[0]],
        contract.blocks[idx[0] : idx[-1] + 1],
        contract.blocks[idx[-1] + 1 :],
    )

    def count(data: bytes) -> int:
        from io import BytesIO

        from pypdf import PdfReader

        return len(PdfReader(BytesIO(data)).pages)

    def times(doc: object) -> tuple[list[float], int]:
        out, n_pages = [], 0
        for _ in range(runs):
            start = time.perf_counter()
            data = render_pdf(doc, theme)  # type: ignore[arg-type]
            out.append(time.perf_counter() - start)
            n_pages = count(data)
        return out, n_pages

    def copies(k: int) -> object:
        return dataclasses.replace(contract, blocks=head + body * k + tail)

    proposal = en.documents["proposal"]
    render_pdf(proposal, theme)  # warm-up: WeasyPrint imported, print.css parsed
    p1, p2 = count(render_pdf(copies(1), theme)), count(render_pdf(copies(2), theme))
    k = 1 + max(1, round((200 - p1) / max(1, p2 - p1)))
    prop_t, prop_p = times(proposal)
    big_t, big_p = times(copies(k))
    print(json.dumps({"proposal": [prop_t, prop_p], "big": [big_t, big_p], "copies": k}))


def in_process(args: list[str]) -> dict[str, object] | None:
    proc = subprocess.run([PY, __file__, "--worker", *args], capture_output=True, text=True)
    if proc.returncode != 0:
        print("  ! worker failed:\n    " + "\n    ".join(proc.stderr.strip().splitlines()[-5:]))
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def big_contract(n: int) -> None:
    res = in_process(["big", str(n), "0", "0"])
    if res is None:
        target("200-page contract time/page <= 1.2x proposal's", "failed", None)
        return
    (prop_t, prop_p), (big_t, big_p) = res["proposal"], res["big"]  # type: ignore[misc]
    rows: list[Row] = [
        (f"en proposal render_pdf ({prop_p} p), total", prop_t),
        (f"contract, clauses x{res['copies']} ({big_p} p), total", big_t),
        ("en proposal, per page", [t / prop_p for t in prop_t]),
        ("big contract, per page", [t / big_p for t in big_t]),
    ]
    table("6. Long contract, render_pdf in-process (warm; ratio vs proposal)", rows)
    r = ratio([t / big_p for t in big_t], [t / prop_p for t in prop_t])
    print(f"  time per page, {big_p}-page contract vs {prop_p}-page proposal: {r:.2f}x")
    target(
        f"{big_p}-page contract time/page <= 1.2x proposal's",
        f"{r:.2f}x",
        r <= 1.2 if r == r else None,
    )


def memory(low: int, high: int) -> None:
    res = in_process(["rss", "1", str(low), str(high)])
    print(
        "\n== 7. Memory of one worker: en+zh proposal and contract, render_pdf + render_docx "
        "in turn, in one process"
    )
    if res is None:
        target("peak RSS <= 250 MiB per worker", "failed", None)
        return
    a, b = res[str(low)], res[str(high)]  # type: ignore[index]
    print(f"  after {low:>3} documents: VmRSS {a['VmRSS']:.0f} MiB, VmHWM {a['VmHWM']:.0f} MiB")
    print(f"  after {high:>3} documents: VmRSS {b['VmRSS']:.0f} MiB, VmHWM {b['VmHWM']:.0f} MiB")
    r = b["VmRSS"] / a["VmRSS"]
    print(f"  RSS growth {high} vs {low}: {r:.2f}x")
    target("peak RSS <= 250 MiB per worker", f"{b['VmHWM']:.0f} MiB", b["VmHWM"] <= 250)
    target(f"RSS after {high} <= 1.2x after {low}", f"{r:.2f}x", r <= 1.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, smaller batches")
    parser.add_argument("--batch-runs", type=int, default=1, help="runs of each batch size")
    parser.add_argument("--worker", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        mode, runs, low, high = args.worker
        worker(mode, int(runs), int(low), int(high))
        return
    n = 3 if args.quick else 5
    started = time.perf_counter()
    print(
        f"propgen benchmark ({'quick, ' if args.quick else ''}{n} runs per figure) "
        f"- {sys.executable}"
    )
    with tempfile.TemporaryDirectory(prefix="propgen-bench-") as tmp:
        work = Path(tmp)
        startup(n)
        pdf(n, work)
        docx(n, work)
        full_set(n, work)
        batch(20 if args.quick else 200, args.batch_runs, work)
        big_contract(n)
        memory(10, 40 if args.quick else 200)
    print(f"\n== Summary (whole benchmark took {time.perf_counter() - started:.0f} s)")
    for name, figure, ok in summary:
        verdict = "n/a" if ok is None else "PASS" if ok else "MISS"
        print(f"  {verdict:5} {name:48} {figure}")


if __name__ == "__main__":
    main()
