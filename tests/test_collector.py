"""The garbage collector around PDF layouts: a render-only process collects once per
PDF and freezes what its first PDF left, and its PDFs keep their bytes."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from propgen import collector
from propgen.document import Cell, ColumnSpec, Document, Paragraph, Row, Section, Table, Text
from propgen.render import render_document
from support import ROOT, plain_meta

THEME = ROOT / "templates" / "theme"


def small_document() -> Document:
    """Two pages of paragraphs and a table: enough objects for automatic collections."""
    rows = tuple(Row((Cell((Text(f"Item {n}"),)), Cell((Text(f"{n * 7}.00"),)))) for n in range(40))
    table = Table(
        header=Row((Cell((Text("Item"),)), Cell((Text("Amount"),)))),
        rows=rows,
        columns=(ColumnSpec("left", 3), ColumnSpec("right", 1)),
    )
    text = tuple(
        Paragraph((Text(f"Paragraph {n}: the terms apply as written. " * 6),)) for n in range(12)
    )
    return Document(meta=plain_meta(), blocks=(Section("terms", (*text, table)),))


@pytest.fixture
def collections() -> Iterator[list[int]]:
    """The generation of every collection that starts while the test runs; the
    process's collector settings put back afterwards."""
    started: list[int] = []

    def record(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            started.append(info["generation"])

    gc.callbacks.append(record)
    try:
        yield started
    finally:
        gc.callbacks.remove(record)
        collector.render_only(False)


def test_render_only_process_collects_once_per_pdf_and_keeps_the_bytes(
    collections: list[int],
) -> None:
    document = small_document()
    render_document(document, THEME, "pdf")  # imports, fonts and stylesheet loaded
    collections.clear()
    default = render_document(document, THEME, "pdf")
    assert len(collections) > 1, "a default process collects during layout too"
    frozen_before = gc.get_freeze_count()  # another test may have frozen (serve does)

    collector.render_only()
    first = render_document(document, THEME, "pdf")
    frozen = gc.get_freeze_count()
    assert frozen > frozen_before, "what the first PDF left is frozen"
    collections.clear()
    second = render_document(document, THEME, "pdf")
    assert collections == [2], "one full collection, after the PDF"
    assert gc.isenabled()
    assert gc.get_freeze_count() <= frozen, "frozen once, not after every PDF"
    assert first == second == default

    collector.render_only(False)
    assert gc.get_freeze_count() == 0


def test_deferral_ends_when_the_last_thread_leaves(collections: list[int]) -> None:
    collector.render_only()
    inside = threading.Event()
    leave = threading.Event()

    def other_pdf() -> None:
        with collector.collection_deferred():
            inside.set()
            leave.wait(timeout=30)

    thread = threading.Thread(target=other_pdf)
    thread.start()
    assert inside.wait(timeout=30)
    with collector.collection_deferred():
        assert not gc.isenabled()
    assert not gc.isenabled(), "the other thread is still laying out"
    leave.set()
    thread.join(timeout=30)
    assert gc.isenabled()


def test_default_process_keeps_its_collector_on(collections: list[int]) -> None:
    with collector.collection_deferred():
        assert gc.isenabled()
