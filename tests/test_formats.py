"""Output formats: one list (``render.FORMATS``); the CLI and the dispatch agree."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from conftest import Result
from propgen.pipeline import check
from propgen.render import FORMATS, render_document
from support import ROOT

Run = Callable[..., Result]
SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
MAGIC = {"docx": b"PK\x03\x04", "pdf": b"%PDF-", "html": b"<!DOCTYPE html>"}


def test_the_cli_offers_exactly_the_formats(run: Run) -> None:
    result = run("render", SAMPLE, "--format", "odt")
    assert result.code == 2
    assert f"choose from {', '.join(FORMATS)}" in result.err


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_renders(fmt: str) -> None:
    checked = check(SAMPLE, only="proposal")
    data = render_document(checked.documents["proposal"], checked.library.theme_dir, fmt)  # type: ignore[arg-type]
    assert data[: len(MAGIC[fmt])].upper() == MAGIC[fmt].upper()
    assert set(MAGIC) == set(FORMATS)
