"""The hostile corpus: one broken needs record per file, each rejected cleanly.

Every file in ``cases/`` is the SaaS sample with one thing changed (see
``make_cases.py``). Its first lines say what the CLI must report::

    # case: RIGHT-TO-LEFT OVERRIDE reverses what the reader sees
    # field: customer.name          the field path named (with the line when known)
    # expect: U+202E                text that must appear on stderr (one per line)
    # needs-missing-glyph: U+2A6D6  skip when this machine has a font for it

Files that cannot carry a comment (JSON, binary, UTF-16, empty) have their
expectations in :data:`EXPECTED`. For every case: exit code 2, the expectations
on stderr, no traceback, and the output folder byte-for-byte as it was, with no
new file (not even a temporary one).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from conftest import Result
from propgen.fonts import can_print

CASES = Path(__file__).parent / "cases"
SAMPLE = Path(__file__).parents[2] / "templates" / "industry" / "saas" / "sample.en-US.yaml"

EXPECTED: dict[str, tuple[str | None, list[str]]] = {  # file -> (field, expectations)
    "binary.bin": (None, ["binary file"]),
    "utf16.yaml": (None, ["is UTF-16 text", "save the file as UTF-8"]),
    "empty.yaml": (None, ["the file is empty"]),
    "json-nan.json": ("pricing.items[0].quantity", ["NaN is not a number"]),
    "json-infinity.json": ("pricing.items[1].unit_price", ["-Infinity is not a number"]),
    "json-duplicate-key.json": ("pricing.items[0].quantity", ["duplicate key 'quantity'"]),
    "json-syntax-error.json": (None, ["JSON syntax error", "column"]),
    "json-not-a-mapping.json": (None, ["the file is a list"]),
    "json-lone-surrogate.json": ("customer.name", ["U+D800", "lone surrogate"]),
    "json-float-money.json": ("pricing.items[0].unit_price", ["digits"]),
    "json-deep.json": (None, ["nested too deeply"]),
}


def expectations(case: Path) -> tuple[str | None, list[str], str]:
    """(field, expected texts, glyph that must be missing) for a case file."""
    if case.name in EXPECTED:
        field, expected = EXPECTED[case.name]
        return field, expected, ""
    field, expected, glyph = None, [], ""
    for line in case.read_bytes().decode("utf-8", "replace").splitlines():
        if not line.startswith("# "):
            break
        key, _, value = line[2:].partition(": ")
        if key == "field":
            field = value
        elif key == "expect":
            expected.append(value)
        elif key == "needs-missing-glyph":
            glyph = value
    return field, expected, glyph


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder holding a previous run's file and an unrelated one."""
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "PG-SAMPLE-SAAS-EN-proposal.docx").write_bytes(b"previous proposal")
    (folder / "PG-SAMPLE-SAAS-EN.provenance.json").write_text(
        '{"reference": "PG-SAMPLE-SAAS-EN"}\n', encoding="utf-8"
    )
    (folder / "keep.txt").write_text("unrelated", encoding="utf-8")
    return folder


def check_rejected(result: Result, case: Path, field: str | None, expected: list[str]) -> None:
    err = result.err
    assert result.code == 2, f"exit {result.code}\n{err}"
    assert "Traceback" not in err and "unexpected failure" not in err, err
    assert err.startswith("Error: "), err
    assert case.name in err, f"the file is not named:\n{err}"
    for text in expected:
        assert text in err, f"{text!r} missing from:\n{err}"
    if field:
        assert re.search(rf"{re.escape(case.name)}(:\d+)?: {re.escape(field)}: ", err), (
            f"field {field!r} not named as file:line: field:\n{err}"
        )


def test_every_case_says_what_it_expects() -> None:
    cases = sorted(CASES.iterdir())
    assert len(cases) >= 60
    for case in cases:
        assert expectations(case)[1], f"{case.name} has no expectation"


@pytest.mark.parametrize("case", sorted(CASES.iterdir()), ids=lambda p: p.name)
def test_case_is_rejected_and_output_untouched(run, case: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    field, expected, glyph = expectations(case)
    if glyph and can_print(chr(int(glyph.removeprefix("U+"), 16))):
        pytest.skip(f"this machine has a font for {glyph}")
    before = snapshot(out)
    result = run("render", case, "-o", out)
    check_rejected(result, case, field, expected)
    assert snapshot(out) == before, "the output folder changed"


def test_file_over_the_size_cap(run, tmp_path: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    """Generated rather than stored: a valid record padded past 2 MiB with a comment."""
    case = tmp_path / "too-large.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    case.write_text(text + "# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")
    before = snapshot(out)
    check_rejected(run("render", case, "-o", out), case, None, ["larger than 2 MiB"])
    assert snapshot(out) == before


def test_reports_are_one_line_each_and_located(run, out: Path) -> None:  # type: ignore[no-untyped-def]
    case = CASES / "several-errors.yaml"
    result = run("render", case, "-o", out)
    lines = [line for line in result.err.splitlines() if line]
    assert len(lines) >= 2
    for line in lines:
        assert re.match(rf"Error: \S*{re.escape(case.name)}:\d+: [\w.\[\]-]+: ", line), line


def test_a_fifo_or_device_is_refused_without_blocking(run, tmp_path: Path, out: Path) -> None:  # type: ignore[no-untyped-def]
    fifo = tmp_path / "deal.yaml"
    os.mkfifo(fifo)  # opening it for reading would wait forever for a writer
    before = snapshot(out)
    check_rejected(run("render", fifo, "-o", out), fifo, None, ["is not a regular file"])
    assert snapshot(out) == before
