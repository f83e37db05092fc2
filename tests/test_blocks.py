"""Structured blocks: one list (``library.models.StructuredBlock``); the library
docs, the validator and assembly agree with it, and each name builds its block."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import get_args

import pytest
import yaml

from propgen.document import Paragraph, Section, SignatureBlock, Table, inline_text
from propgen.errors import LibraryError
from propgen.library import Library
from propgen.library.models import StructuredBlock
from propgen.pipeline import check
from support import ROOT

NAMES = get_args(StructuredBlock)
SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
MULTI_YEAR = ROOT / "samples" / "saas.en-US.yaml"
"""Recurring over three years with problem ids, so every block has something to show."""


def _library_with_blocks(tmp_path: Path, names: list[str]) -> Library:
    root = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "snippets", root / "snippets")
    path = root / "snippets" / "sections" / "next-steps.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["blocks"] = names
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return Library(root)


def test_the_library_docs_list_exactly_the_block_names() -> None:
    text = (ROOT / "docs" / "library.md").read_text(encoding="utf-8")
    listed = text[text.index("`pricing-table`, `amount-in-words`") :].split(".", 1)[0]
    assert tuple(re.findall(r"`([a-z-]+)`", listed)) == NAMES


def test_every_block_name_builds_its_block(tmp_path: Path) -> None:
    library = _library_with_blocks(tmp_path, list(NAMES))
    proposal = check(MULTI_YEAR, library=library).documents["proposal"]
    [section] = [
        b for b in proposal.blocks if isinstance(b, Section) and b.source_id == "next-steps"
    ]
    built = [b for b in section.blocks[1:] if not isinstance(b, Paragraph) or b.style == "amount"]
    built = built[-len(NAMES) :]
    kinds = [type(b).__name__ for b in built]
    # pricing, amount in words, schedule, milestones, modules, contacts, signature,
    # contract value, year-by-year summary, traceability
    assert kinds == [
        "Table",
        "Paragraph",
        "Table",
        "Table",
        "Table",
        "Table",
        "SignatureBlock",
        "Table",
        "Table",
        "Table",
    ]
    tables = [b for b in built if isinstance(b, Table)]
    assert [t.role for t in tables][:2] == ["pricing", "schedule"]
    assert isinstance(built[6], SignatureBlock)
    assert [t.role for t in tables][-3:] == ["key-value", "pricing", "plain"]
    header = tables[-1].header
    assert header is not None
    assert [inline_text(c.inlines) for c in header.cells] == [
        "Problem",
        "Impact",
        "How we solve it",
        "Outcome",
    ]


def test_an_unknown_block_name_is_a_library_error(tmp_path: Path) -> None:
    library = _library_with_blocks(tmp_path, ["pricing-tabel"])
    with pytest.raises(LibraryError, match="blocks"):
        check(SAMPLE, library=library)


def test_a_column_no_row_fills_is_dropped() -> None:
    """Issue 12, item 13: an all-blank Description column is left out, header and
    width with it; a column any row fills stays."""
    from propgen.blocks import row, without_empty_columns
    from propgen.document import ColumnSpec

    table = Table(
        header=row("Module", "Description", "Milestone"),
        rows=(row("Service Desk", "", "Week 10"), row("Order Portal", " ", "Week 16")),
        columns=(ColumnSpec("left", 30), ColumnSpec("left", 50), ColumnSpec("right", 20)),
    )
    kept = without_empty_columns(table)
    assert kept.header is not None
    assert [inline_text(c.inlines) for c in kept.header.cells] == ["Module", "Milestone"]
    assert [[inline_text(c.inlines) for c in r.cells] for r in kept.rows] == [
        ["Service Desk", "Week 10"],
        ["Order Portal", "Week 16"],
    ]
    assert kept.columns == (ColumnSpec("left", 30), ColumnSpec("right", 20))
    assert without_empty_columns(kept) is kept
