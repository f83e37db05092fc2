"""propgen beside Carbone, the document server a CRM team would deploy instead.

Run ``.venv/bin/python bench/carbone.py [--runs N]``. Needs ``node`` and ``npm`` (it runs
``npm ci`` in ``bench/carbone`` once) and LibreOffice, which Carbone drives for PDF. Without
node it says so and exits 0.

The same proposal (``samples/saas.en-US.yaml``) both ways, DOCX + PDF:

* propgen renders it from the needs record (assembly, pricing, DOCX, PDF by WeasyPrint).
* Carbone fills a template made from propgen's own DOCX of that proposal: every table's
  body becomes a Carbone loop over the same cell texts, and the customer's name a tag. So
  Carbone does the work a CRM integration asks of it (merge data into a finished layout,
  convert to PDF with a warm LibreOffice), with none of propgen's (pricing, clause
  governance, checks).

Prints medians of warm renders and the one-shot (cold process) wall time of each, and
the ratios.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from propgen.library import Library, default_library_root
from propgen.pipeline import check, render_documents

REPO = Path(__file__).resolve().parent.parent
CARBONE = REPO / "bench" / "carbone"
SAMPLE = REPO / "samples" / "saas.en-US.yaml"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def carbone_template(docx: bytes, customer: str) -> tuple[bytes, dict[str, Any]]:
    """A Carbone template made from ``docx``, and the data that fills it back."""
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    root = etree.fromstring(parts["word/document.xml"])
    data: dict[str, Any] = {"customer": customer}
    for number, table in enumerate(root.iter(f"{W}tbl")):
        rows = table.findall(f"{W}tr")
        if len(rows) < 3:
            continue
        key = f"t{number}"
        data[key] = [
            {f"c{n}": "".join(cell.itertext()) for n, cell in enumerate(row.iter(f"{W}tc"))}
            for row in rows[1:]
        ]
        loop = rows[1]
        for row in rows[2:]:
            table.remove(row)
        second = copy.deepcopy(loop)
        loop.addnext(second)
        for row, index in ((loop, "i"), (second, "i+1")):
            for n, cell in enumerate(row.iter(f"{W}tc")):
                texts = list(cell.iter(f"{W}t"))
                for text in texts:
                    text.text = ""
                if not texts:
                    run = etree.SubElement(next(cell.iter(f"{W}p")), f"{W}r")
                    texts = [etree.SubElement(run, f"{W}t")]
                texts[0].text = f"{{d.{key}[{index}].c{n}}}"
    for text in root.iter(f"{W}t"):
        if text.text and customer in text.text:
            text.text = text.text.replace(customer, "{d.customer}")
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return out.getvalue(), data


def propgen_warm(runs: int) -> tuple[list[float], dict[str, bytes]]:
    """propgen's warm renders, in this process taken as a render worker (as Carbone is
    measured as a warm server): :func:`propgen.collector.render_only`."""
    from propgen.collector import render_only

    render_only()
    library = Library(default_library_root())
    times: list[float] = []
    files: dict[str, bytes] = {}
    for _ in range(runs + 1):
        start = time.perf_counter()
        files = render_documents(check(SAMPLE, library=library, only="proposal"), ("docx", "pdf"))
        times.append(time.perf_counter() - start)
    return times[1:], files


def carbone_environment() -> dict[str, str]:
    """PATH as Carbone needs it: LibreOffice's program folder (it starts ``soffice.bin``)
    and a Python with the ``uno`` module (Debian's python3-uno) ahead of any other."""
    soffice = shutil.which("soffice") or "/usr/lib/libreoffice/program/soffice"
    program = Path(soffice).resolve().parent
    return {**os.environ, "PATH": os.pathsep.join([str(program), "/usr/bin", os.environ["PATH"]])}


def one_shot(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        print("skipped: Carbone needs node and npm, which this machine lacks")
        return
    if not (CARBONE / "node_modules" / "carbone").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=CARBONE, check=True)

    warm, files = propgen_warm(args.runs)
    docx = next(content for name, content in files.items() if name.endswith(".docx"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        template, data = carbone_template(docx, "Tallgrass Supply")
        (work / "template.docx").write_bytes(template)
        (work / "data.json").write_text(json.dumps(data), encoding="utf-8")
        script = [node, str(CARBONE / "render.js"), "template.docx", "data.json"]
        result = subprocess.run(
            [*script, str(args.runs), "."],
            cwd=work,
            env=carbone_environment(),
            check=True,
            capture_output=True,
            text=True,
        )
        carbone = json.loads(result.stdout)
        carbone_cold = statistics.median(
            one_shot([*script, "0", "."], work, carbone_environment()) for _ in range(3)
        )
        propgen_cold = statistics.median(
            one_shot(
                [
                    sys.executable,
                    "-m",
                    "propgen",
                    "render",
                    str(SAMPLE),
                    "--only",
                    "proposal",
                    "--format",
                    "docx,pdf",
                    "-o",
                    str(work / f"out{n}"),
                ],
                work,
            )
            for n in range(3)
        )
        pages = subprocess.run(
            ["pdfinfo", str(work / "carbone.pdf")], capture_output=True, text=True
        ).stdout
    p_warm, c_warm = statistics.median(warm), statistics.median(carbone["warm"])
    print(
        f"proposal: {SAMPLE.name}, DOCX + PDF; Carbone's PDF: "
        f"{next((n.split()[-1] for n in pages.splitlines() if n.startswith('Pages')), '?')} pages"
    )
    print(
        f"warm  propgen {p_warm:.2f} s  Carbone {c_warm:.2f} s  "
        f"propgen/Carbone {p_warm / c_warm:.2f}x  (medians of {args.runs})"
    )
    print(
        f"cold  propgen {propgen_cold:.2f} s  Carbone {carbone_cold:.2f} s  "
        f"propgen/Carbone {propgen_cold / carbone_cold:.2f}x  (one-shot processes, medians of 3)"
    )


if __name__ == "__main__":
    main()
