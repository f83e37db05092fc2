"""propgen benchmark: start-up, PDF, DOCX, full sets, batch throughput, long documents, memory,
redline.

Run ``.venv/bin/python bench/run.py [--quick]`` (``make bench``). Each figure is the median
(min-max) of fresh runs next to its baseline, with a ratio; a summary says PASS/MISS per
target. Timings are noisy on a shared machine: nothing here fails on them, it only prints.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from subprocess import PIPE
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PY, PROPGEN = str(BIN / "python"), str(BIN / "propgen")
EXAMPLES = REPO / "tests" / "fixtures"  # the reference records, vendored
RECORDS = {
    "en": EXAMPLES / "northwind-saas.en.yaml",
    "zh": EXAMPLES / "huaxin-manufacturing.zh.yaml",
}
THEME = REPO / "templates" / "theme"
NAN = float("nan")
STALL = 120  # seconds a batch may go without writing a file

# render_html inlines print.css in a <style> and the logo as a data: URI, so WeasyPrint on
# that file lays out with the very stylesheet propgen passes (pre-parsed) to WeasyPrint.
BARE_PDF = """import sys, weasyprint
weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2]).write_pdf(sys.argv[3])"""
BARE_DOCX = """import sys
from docxtpl import DocxTemplate
tpl = DocxTemplate(sys.argv[1])
body = tpl.new_subdoc()
body.add_paragraph("A simple body paragraph.")
keys = "title subtitle notice header footer page_label of_label logo header_logo".split()
ctx = {k: k.replace("_", " ").title() for k in keys}
ctx |= {"cover_lines": [{"label": "Reference", "value": "PG-0000"}], "body": body}
tpl.render(ctx)
tpl.save(sys.argv[2])"""
CHECK_STACK = """import click, jinja2, yaml, markdown_it, babel.dates, babel.numbers
from pydantic import BaseModel"""
NO_HEAVY_IMPORTS = """import sys; from propgen.cli import main; main(['check', sys.argv[1]])
print('weasyprint' in sys.modules, 'docxtpl' in sys.modules)"""

Row = tuple[str, list[float]]
summary: list[tuple[str, str, bool | None]] = []


# --- measuring ----------------------------------------------------------------------------


def run(cmd: Sequence[str], watch: Path | None = None, limit: float = 1800) -> float | None:
    """Wall time of one subprocess, or None (error printed) when it failed or hung.

    With ``watch`` the command is killed, with its workers, once the folder has not
    changed for ``STALL`` seconds (a hung process pool must not hang the benchmark).
    """
    start = moved = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=PIPE, stderr=PIPE, text=True, start_new_session=True)
    seen = -1
    while True:
        try:
            out, err = proc.communicate(timeout=1 if watch else limit)
            break
        except subprocess.TimeoutExpired:
            now = time.perf_counter()
            count = sum(1 for _ in watch.glob("*")) if watch and watch.is_dir() else 0
            seen, moved = (seen, moved) if count == seen else (count, now)
            if not watch or now - moved > STALL or now - start > limit:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.communicate()
                print(f"  ! killed after {now - start:.0f} s without progress: {' '.join(cmd)}")
                return None
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        tail = "\n    ".join((err or out).strip().splitlines()[-3:])
        print(f"  ! failed ({proc.returncode}): {' '.join(cmd)[:110]}\n    {tail}")
        return None
    return elapsed


def timed(cmds: dict[str, list[str]], n: int, warmup: int = 1) -> dict[str, list[float]]:
    """Each command n times after warm-ups, round-robin so drift hits all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in cmds}
    for i in range(warmup + n):
        for name, cmd in cmds.items():
            t = run(cmd)
            if t is not None and i >= warmup:
                times[name].append(t)
    return times


def med(values: list[float]) -> float:
    return statistics.median(values) if values else NAN


def ratio(a: list[float], b: list[float]) -> float:
    return med(a) / med(b) if a and b else NAN


def show(value: float, unit: str = "s") -> str:
    if value != value:
        return "n/a"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    return f"{value:.3g} {unit}"


def table(title: str, rows: list[Row], unit: str = "s", pairs: bool = False) -> None:
    """Median, min-max and ratio to the first row (``pairs``: to the row before, in twos)."""
    print(f"\n== {title}\n  {'':46} {'median':>9} {'min - max':>21} {'ratio':>7}  n")
    for i, (label, values) in enumerate(rows):
        m, ref = med(values), med(rows[i - i % 2 if pairs else 0][1])
        span = f"{show(min(values), unit)} - {show(max(values), unit)}" if values else "-"
        r = f"{m / ref:.2f}x" if values and ref > 0 else "-"
        print(f"  {label:46} {show(m, unit):>9} {span:>21} {r:>7}  {len(values)}")


def target(name: str, value: float, limit: float, text: str = "{:.2f}x", less: bool = True) -> None:
    ok = None if value != value else value <= limit if less else value >= limit
    summary.append((name, text.format(value) if value == value else "n/a", ok))


def pages(pdf: Path | bytes) -> int:
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf).pages)
    except Exception:  # a missing or broken PDF must not stop the benchmark
        return 0


def one(folder: Path, pattern: str) -> Path:
    return next(iter(sorted(folder.glob(pattern))), folder / pattern)


def render_cmd(record: Path, out: Path, *options: str) -> list[str]:
    return [PROPGEN, "render", str(record), "-o", str(out), *options]


# --- sections -----------------------------------------------------------------------------


def startup(n: int) -> None:
    en = str(RECORDS["en"])
    cmds = {
        "python -c pass": [PY, "-c", "pass"],
        "propgen --help": [PROPGEN, "--help"],
        "propgen --version": [PROPGEN, "--version"],
        "propgen check <northwind>": [PROPGEN, "check", en],
        "floor: import the libraries check needs": [PY, "-c", CHECK_STACK],
    }
    t = timed(cmds, n)
    table("1. Start-up (fresh processes; ratio vs bare python)", list(t.items()))
    proc = subprocess.run([PY, "-c", NO_HEAVY_IMPORTS, en], capture_output=True, text=True)
    loaded = (proc.stdout.strip().splitlines() or ["?"])[-1]
    clean = loaded == "False False"
    answer = f"{'yes' if clean else 'no'} (weasyprint, docxtpl in sys.modules: {loaded})"
    print(f"  check imports neither weasyprint nor docxtpl: {answer}")
    target("--help <= 2.5x bare python", ratio(t["propgen --help"], t["python -c pass"]), 2.5)
    target("check <= 0.25 s", med(t["propgen check <northwind>"]), 0.25, "{:.3f} s")
    summary.append(("check imports no renderer", "yes" if clean else "no", clean))


def pdf(n: int, work: Path) -> None:
    """Propgen's proposal PDF vs bare WeasyPrint on propgen's own standalone HTML."""
    rows: list[Row] = []
    raw: dict[str, list[float]] = {}
    per_page: dict[str, float] = {}
    for lang, record in RECORDS.items():
        out, bare_pdf = work / f"pdf-{lang}", work / f"bare-{lang}.pdf"
        run(render_cmd(record, work / f"html-{lang}", "--format", "html", "--only", "proposal"))
        html = str(one(work / f"html-{lang}", "*-proposal.html"))
        cmds = {
            "bare": [PY, "-c", BARE_PDF, html, THEME.as_uri() + "/", str(bare_pdf)],
            "propgen": render_cmd(record, out, "--format", "pdf", "--only", "proposal"),
        }
        t = timed(cmds, n)
        n_pages = pages(one(out, "*-proposal.pdf"))
        rows += [
            (f"{lang}: bare WeasyPrint, same HTML ({pages(bare_pdf)} p)", t["bare"]),
            (f"{lang}: propgen render pdf proposal ({n_pages} p)", t["propgen"]),
        ]
        raw[lang] = t["propgen"]
        per_page[lang] = med(t["propgen"]) / n_pages if n_pages else NAN
        target(f"{lang} proposal PDF <= 1.2x bare WeasyPrint", ratio(t["propgen"], t["bare"]), 1.2)
    table("2. Proposal PDF (fresh process, wall; ratio vs bare WeasyPrint)", rows, pairs=True)
    r_raw, r_page = ratio(raw["zh"], raw["en"]), per_page["zh"] / per_page["en"]
    pp = f"{show(per_page['zh'])} / {show(per_page['en'])}"
    print(f"  zh/en propgen: raw {r_raw:.2f}x; per page {pp} = {r_page:.2f}x")
    target("zh PDF <= 1.15x en (per page)", r_page, 1.15)
    target("zh PDF <= 1.15x en (raw)", r_raw, 1.15)


def docx(n: int, work: Path) -> None:
    frame, bare = str(THEME / "frame.docx"), str(work / "bare.docx")
    cmds = {"bare docxtpl: frame.docx, simple body": [PY, "-c", BARE_DOCX, frame, bare]}
    kept = work / "docx-cache"
    for lang, record in RECORDS.items():
        cmd = render_cmd(record, work / f"docx-{lang}", "--format", "docx", "--only", "proposal")
        # Its contents page numbers: laid out each time (the kept ones deleted first; the
        # compiled templates stay), or kept from the warm-up render
        forget = f'rm -rf "{kept}/contents-pages" && exec "$@"'
        cmds[f"{lang}: propgen render docx proposal, laid out"] = [
            "env", f"PROPGEN_CACHE_DIR={kept}", "sh", "-c", forget, "sh", *cmd
        ]  # fmt: skip
        cmds[f"{lang}: propgen render docx proposal, numbers kept"] = [
            "env", f"PROPGEN_CACHE_DIR={kept}-{lang}", *cmd
        ]  # fmt: skip
    title = "3. Proposal DOCX (fresh process, wall; ratio vs bare docxtpl)"
    table(title, [*timed(cmds, n).items()])
    print("  warm process, DOCX alone vs DOCX given its page numbers: bench/docx_contents.py")


def full_set(n: int, work: Path) -> None:
    """propgen DOCX+PDF of both documents vs propgen DOCX + LibreOffice converting both."""
    profile = work / "lo-profile"
    soffice = f'soffice "-env:UserInstallation={profile.as_uri()}" --headless --convert-to pdf'

    def lo_route(record: Path, lo: Path) -> list[str]:  # lo is emptied: soffice gets two DOCX
        docx = f'"{PROPGEN}" render "{record}" --format docx -o "{lo}"'
        return ["sh", "-c", f'rm -rf "{lo}" && {docx} && {soffice} --outdir "{lo}" "{lo}"/*.docx']

    made = run(lo_route(RECORDS["en"], work / "lo-seed"))  # creates the profile, not timed
    rows: list[Row] = []
    for lang, record in RECORDS.items():
        cmds = {
            "lo": lo_route(record, work / f"lo-{lang}"),
            "propgen": render_cmd(record, work / f"full-{lang}"),
        }
        t = timed(cmds, n)
        rows += [
            (f"{lang}: propgen DOCX, then soffice -> PDF", t["lo"]),
            (f"{lang}: propgen render (DOCX+PDF, both docs)", t["propgen"]),
        ]
        target(f"{lang} full set faster than DOCX + LibreOffice", ratio(t["propgen"], t["lo"]), 1)
    table("4. Full set: proposal + contract, DOCX + PDF (ratio vs LibreOffice)", rows, pairs=True)
    print("  LibreOffice profile: created once before timing, not counted (first DOCX render +")
    print(f"  conversion, profile creation included: {show(made or NAN)})")


def redline(n: int, work: Path) -> None:
    """``propgen redline`` (contract DOCX + PDF against the standard positions) vs
    ``propgen render --only contract`` (DOCX + PDF) of the same record. The English
    record is given a fallback position so its redline has changes to show."""
    import yaml

    en = yaml.safe_load(RECORDS["en"].read_text(encoding="utf-8"))
    en["clauses"] = {"limitation-of-liability": "fallback-2"}
    deviating = work / "northwind-fallback.en.yaml"
    deviating.write_text(yaml.safe_dump(en, allow_unicode=True, sort_keys=False), "utf-8")
    rows: list[Row] = []
    for lang, record in (("en", deviating), ("zh", RECORDS["zh"])):
        cmds = {
            "contract": render_cmd(record, work / f"contract-{lang}", "--only", "contract"),
            "redline": [PROPGEN, "redline", str(record), "-o", str(work / f"redline-{lang}")],
        }
        t = timed(cmds, n)
        rows += [
            (f"{lang}: propgen render --only contract (DOCX+PDF)", t["contract"]),
            (f"{lang}: propgen redline (DOCX+PDF)", t["redline"]),
        ]
        target(f"{lang} redline <= 1.3x contract render", ratio(t["redline"], t["contract"]), 1.3)
    table(
        "8. Redline vs a normal contract render (fresh process; ratio vs render)", rows, pairs=True
    )


def batch_inputs(files: int, src: Path) -> Path:
    """``files`` needs records in ``src``: the samples in turn, each its own reference."""
    src.mkdir()
    samples = sorted((REPO / "samples").glob("*.yaml"))
    for i in range(files):
        text = samples[i % len(samples)].read_text(encoding="utf-8")
        text = re.sub(r"^(\s+reference:\s*)\S+", rf"\g<1>BENCH-{i:04d}", text, count=1, flags=re.M)
        (src / f"bench-{i:04d}.yaml").write_text(text, encoding="utf-8")
    return src


def batch(files: int, runs: int, work: Path) -> None:
    src = batch_inputs(files, work / "batch-in")
    rates: dict[int, tuple[list[float], list[float]]] = {}  # files/s, full sets/s
    stalled: dict[int, str] = {}
    for jobs in (1, 2):
        out, rates[jobs] = work / f"batch-out-{jobs}", ([], [])
        for _ in range(runs):
            shutil.rmtree(out, ignore_errors=True)
            t0 = time.time()
            t = run(render_cmd(src, out, "-j", str(jobs)), watch=out)
            made = sum(1 for p in out.glob("*") if p.suffix in (".pdf", ".docx"))
            sets = sum(1 for _ in out.glob("*.provenance.json"))
            if t is None and sets:  # hung or failed: the rate until its last file
                t = max(p.stat().st_mtime for p in out.glob("*")) - t0
                stalled[jobs] = f"stopped after {sets} of {files} records"
            if t:
                rates[jobs][0].append(made / t)
                rates[jobs][1].append(sets / t)
    rows: list[Row] = []
    for i, what in enumerate(("DOCX+PDF files/s", "full sets/s")):
        for j, pair in rates.items():
            rows.append((f"-j {j}: {what}" + (" (partial)" if j in stalled else ""), pair[i]))
    table(f"5. Batch of {files} needs files (ratio vs -j 1)", rows, "/s", pairs=True)
    for j, why in stalled.items():
        print(f"  -j {j} {why}; 'partial' rates count up to its last written file")
    speedup = ratio(rates[2][1], rates[1][1])
    print(f"  -j 2 throughput over -j 1: {speedup:.2f}x")
    if 2 in stalled:
        summary.append((f"batch {files}: -j 2 >= 1.8x -j 1", stalled[2], False))
        summary.append(("batch: >= 1.5 full sets/s on 2 cores", stalled[2], False))
        return
    target(f"batch {files}: -j 2 >= 1.8x -j 1", speedup, 1.8, less=False)
    target("batch: >= 1.5 full sets/s on 2 cores", med(rates[2][1]), 1.5, "{:.2f}/s", less=False)


def worker(runs: int) -> None:
    """The long-contract measurement, in a fresh subprocess; prints one JSON line."""
    from propgen.pipeline import check
    from propgen.render.pdf import render_pdf

    en = check(RECORDS["en"])
    theme = en.library.theme_dir
    contract, proposal = en.documents["contract"], en.documents["proposal"]
    ids = {t.id for t in en.plan.clauses}
    at = [i for i, b in enumerate(contract.blocks) if getattr(b, "source_id", "") in ids]
    head, body = contract.blocks[: at[0]], contract.blocks[at[0] : at[-1] + 1]
    tail = contract.blocks[at[-1] + 1 :]

    def copies(k: int) -> Any:
        return dataclasses.replace(contract, blocks=head + body * k + tail)

    def times(doc: Any) -> tuple[list[float], int]:
        out, data = [], b""
        for _ in range(runs):
            start = time.perf_counter()
            data = render_pdf(doc, theme)
            out.append(time.perf_counter() - start)
        return out, pages(data)

    render_pdf(proposal, theme)  # warm-up: WeasyPrint imported, print.css parsed
    p1, p2 = pages(render_pdf(copies(1), theme)), pages(render_pdf(copies(2), theme))
    k = 1 + max(1, round((200 - p1) / max(1, p2 - p1)))
    print(json.dumps({"proposal": times(proposal), "big": times(copies(k)), "copies": k}))


def in_process(runs: int) -> Any:
    cmd = [PY, __file__, "--worker", str(runs)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode == 0:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    print("  ! worker failed:\n    " + "\n    ".join(proc.stderr.strip().splitlines()[-5:]))
    return None


def big_contract(n: int) -> None:
    res = in_process(n)
    if res is None:
        return target("~200-page contract time/page <= 1.2x proposal's", NAN, 1.2)
    (prop_t, prop_p), (big_t, big_p) = res["proposal"], res["big"]
    prop_pp, big_pp = [t / prop_p for t in prop_t], [t / big_p for t in big_t]
    rows: list[Row] = [
        (f"en proposal ({prop_p} p), total", prop_t),
        (f"en contract, clauses x{res['copies']} ({big_p} p), total", big_t),
        ("en proposal, per page", prop_pp),
        ("long contract, per page", big_pp),
    ]
    table("6. Long contract: render_pdf in-process, warm (ratio vs proposal)", rows, pairs=True)
    target(f"{big_p}-page contract time/page <= 1.2x proposal's", ratio(big_pp, prop_pp), 1.2)


def _status(pid: int) -> dict[str, int]:
    """VmRSS, VmHWM (KiB) and the parent of a process; {} once it has gone."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return {}
    return {k: int(v) for k, v in re.findall(r"^(VmRSS|VmHWM|PPid):\s+(\d+)", text, re.M)}


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def memory(records: int, work: Path) -> None:
    """RSS of the real batch workers while `propgen render -j 2` renders ``records``
    records (two documents each, DOCX and PDF), sampled from /proc."""
    from propgen.batch import RECORDS_PER_WORKER

    print(f"\n== 7. Memory of the batch workers: {records} records = {2 * records} documents, -j 2")
    src, out = batch_inputs(records, work / "memory-in"), work / "memory-out"
    proc = subprocess.Popen(render_cmd(src, out, "-j", "2"), stdout=PIPE, stderr=PIPE, text=True)
    peak: dict[int, int] = {}  # worker pid -> VmHWM
    by_documents: dict[int, list[int]] = {}  # documents done -> worker VmRSS seen then
    while proc.poll() is None:
        # The server and its forked workers share one command line; the server's
        # parent is propgen itself, a worker's parent is the server.
        forked = {p: _status(p) for p in _pids() if "forkserver" in _cmdline(p)}
        servers = {p for p, status in forked.items() if status.get("PPid") == proc.pid}
        done = sum(1 for p in out.glob("*.pdf")) if out.is_dir() else 0
        for pid, status in forked.items():
            if status.get("PPid") in servers:
                peak[pid] = max(peak.get(pid, 0), status.get("VmHWM", 0))
                by_documents.setdefault(done, []).append(status.get("VmRSS", 0))
        time.sleep(0.2)
    proc.communicate()
    if not peak:
        return target("peak RSS <= 250 MiB per worker", NAN, 250)

    def rss_near(documents: int) -> float:
        seen = [r for d, rs in by_documents.items() if abs(d - documents) <= 4 for r in rs]
        return max(seen, default=0) / 1024

    early, late = rss_near(10), rss_near(max(by_documents))
    print(f"  workers started: {len(peak)} (each replaced after {RECORDS_PER_WORKER} records)")
    print(
        f"  worker RSS near 10 documents {early:.0f} MiB; near {max(by_documents)}: {late:.0f} MiB"
    )
    print(f"  peak RSS (VmHWM) of any worker: {max(peak.values()) / 1024:.0f} MiB")
    target("peak RSS (VmHWM) <= 250 MiB per worker", max(peak.values()) / 1024, 250, "{:.0f} MiB")
    target(f"RSS after {2 * records} <= 1.2x after 10 documents", late / early, 1.2)


def _pids() -> list[int]:
    return [int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()]


def main() -> None:
    parser = argparse.ArgumentParser(description="propgen benchmark")
    parser.add_argument("--quick", action="store_true", help="3 runs, batches of 20 and 10")
    parser.add_argument("--batch-runs", type=int, default=1, help="runs per batch size (1)")
    parser.add_argument(
        "--sections", default="12345678", help="which sections to run, by number (all)"
    )
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args.worker)
    n, started, load = 3 if args.quick else 5, time.perf_counter(), os.getloadavg()[0]
    setup = f"{n} runs per figure, {os.cpu_count()} CPUs, load average {load:.2f} at start"
    print(f"propgen benchmark: {setup}; {sys.executable}")
    # As an installed wheel would be: byte-compiled, even where PYTHONDONTWRITEBYTECODE
    # keeps an editable install recompiling its sources at every start.
    subprocess.run([PY, "-m", "compileall", "-q", str(REPO / "src")], check=True)
    if load > 0.5:
        print("  warning: the machine is busy; timings (batch -j 2 above all) will suffer")
    with tempfile.TemporaryDirectory(prefix="propgen-bench-") as tmp:
        work = Path(tmp)
        sections: dict[str, Callable[[], None]] = {
            "1": lambda: startup(n),
            "2": lambda: pdf(n, work),
            "3": lambda: docx(n, work),
            "4": lambda: full_set(n, work),
            "5": lambda: batch(20 if args.quick else 200, args.batch_runs, work),
            "6": lambda: big_contract(n),
            "7": lambda: memory(10 if args.quick else 100, work),
            "8": lambda: redline(n, work),
        }
        for number, section in sections.items():
            if number in args.sections:
                section()
    took, load = time.perf_counter() - started, os.getloadavg()[0]
    print(f"\n== Summary ({took:.0f} s; load average {load:.2f} at the end)")
    for name, figure, ok in summary:
        print(f"  {'n/a' if ok is None else 'PASS' if ok else 'MISS':5} {name:48} {figure}")


if __name__ == "__main__":
    main()
