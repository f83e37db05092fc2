"""A block or inline the code does not know is an error, never silently dropped
(``match`` + ``assert_never``: mypy refuses a missing case, and at run time an
unknown node raises instead of rendering as nothing or as a space)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

import pytest

from propgen.document import Block, Document, Inline, Paragraph, Text, inline_text
from propgen.pipeline import check
from propgen.render.html import render_html
from support import ROOT

SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"


@dataclass(frozen=True)
class Unknown:
    text: str = "new kind of node"


def _document() -> tuple[Document, Any]:
    checked = check(SAMPLE, only="proposal")
    return checked.documents["proposal"], checked.library.theme_dir


def test_an_unknown_inline_is_an_error() -> None:
    with pytest.raises(AssertionError):
        inline_text((Text("a"), cast(Inline, Unknown())))


def test_the_html_renderer_refuses_an_unknown_block() -> None:
    document, theme = _document()
    broken = replace(document, blocks=(*document.blocks, cast(Block, Unknown())))
    with pytest.raises(AssertionError):
        render_html(broken, theme)


def test_the_html_renderer_refuses_an_unknown_inline() -> None:
    document, theme = _document()
    paragraph = Paragraph((Text("before "), cast(Inline, Unknown())))
    with pytest.raises(AssertionError):
        render_html(replace(document, blocks=(*document.blocks, paragraph)), theme)


def test_the_docx_renderer_refuses_an_unknown_block() -> None:
    from propgen.render.docx import render_docx

    document, theme = _document()
    broken = replace(document, blocks=(*document.blocks, cast(Block, Unknown())))
    with pytest.raises(AssertionError) as raised:
        render_docx(broken, theme)
    assert _raised_in(raised, "docx_body.py"), raised.traceback


def test_the_docx_renderer_refuses_an_unknown_inline() -> None:
    from propgen.render.docx import render_docx

    document, theme = _document()
    paragraph = Paragraph((Text("before "), cast(Inline, Unknown())))
    with pytest.raises(AssertionError) as raised:
        render_docx(replace(document, blocks=(*document.blocks, paragraph)), theme)
    # the size check reads every inline first (document.inline_text refuses it there)
    assert _raised_in(raised, "document.py"), raised.traceback


def _raised_in(raised: pytest.ExceptionInfo[AssertionError], module: str) -> bool:
    """Whether the last propgen frame of the error is in ``module`` (the renderer's own
    dispatch refused the node, not a check before or after it)."""
    ours = [entry for entry in raised.traceback if "propgen" in str(entry.path)]
    return bool(ours) and Path(str(ours[-1].path)).name == module
