"""A block or inline the code does not know is an error, never silently dropped
(``match`` + ``assert_never``: mypy refuses a missing case, and at run time an
unknown node raises instead of rendering as nothing or as a space)."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
