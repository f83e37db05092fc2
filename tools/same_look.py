"""Prove a change to the PDF path keeps every document's look: render before, render
after, compare page pixels and extracted text.

    python tools/same_look.py render DIR          # every sample and reference record's PDFs
    python tools/same_look.py compare BEFORE AFTER  # exit 1 when any page or text differs

``render`` lays out the proposal and contract of each ``samples/*.yaml`` and of the two
reference records (``tests/fixtures``) with the propgen on ``sys.path`` (run it once from
the old tree and once from the new one), and writes into DIR each PDF, its pages as
``pdftoppm -r 100`` PNGs and its text as ``pdftotext`` reads it. ``compare`` decodes
every page of both folders and compares them pixel for pixel, and compares the texts
byte for byte; it prints each difference and a summary.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageChops

ROOT = Path(__file__).resolve().parents[1]
RECORDS = [
    *sorted((ROOT / "samples").glob("*.yaml")),
    ROOT / "tests" / "fixtures" / "northwind-saas.en.yaml",
    ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml",
]
DPI = 100


def render(folder: Path) -> None:
    from propgen.pipeline import check, render_documents

    folder.mkdir(parents=True, exist_ok=True)
    for record in RECORDS:
        for name, data in render_documents(check(record), ("pdf",)).items():
            pdf = folder / name
            pdf.write_bytes(data)
            stem = pdf.with_suffix("")
            subprocess.run(["pdftoppm", "-r", str(DPI), "-png", pdf, stem], check=True)
            subprocess.run(["pdftotext", pdf, stem.with_suffix(".txt")], check=True)
            print(f"{name}: {len(list(folder.glob(stem.name + '-*.png')))} pages", flush=True)


def compare(before: Path, after: Path) -> int:
    differences = 0
    old = {path.name for path in before.glob("*.pdf")}
    new = {path.name for path in after.glob("*.pdf")}
    for name in sorted(old ^ new):
        print(f"{name}: only in {before if name in old else after}")
        differences += 1
    pages = 0
    for name in sorted(old & new):
        stem = Path(name).stem
        old_pages = sorted(path.name for path in before.glob(f"{stem}-*.png"))
        new_pages = sorted(path.name for path in after.glob(f"{stem}-*.png"))
        if old_pages != new_pages:
            print(f"{name}: {len(old_pages)} pages before, {len(new_pages)} after")
            differences += 1
        for page in sorted(set(old_pages) & set(new_pages)):
            pages += 1
            with Image.open(before / page) as a, Image.open(after / page) as b:
                box = ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox()
                if a.size != b.size or box is not None:
                    print(f"{page}: pixels differ in {box} ({a.size} / {b.size})")
                    differences += 1
        text = f"{stem}.txt"
        if (before / text).read_bytes() != (after / text).read_bytes():
            print(f"{text}: extracted text differs")
            differences += 1
    print(f"{len(old & new)} PDFs, {pages} pages compared: {differences} differences")
    return 1 if differences else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("render").add_argument("folder", type=Path)
    both = commands.add_parser("compare")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "render":
        render(args.folder)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
