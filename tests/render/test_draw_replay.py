"""Repeated draws written again from the first (:mod:`propgen.render.draw_replay`): the
same PDF bytes as WeasyPrint's own drawing, with the repeats skipped."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import weasyprint
from weasyprint import draw, images
from weasyprint.draw import text
from weasyprint.svg import SVG

import propgen.render.pdf  # noqa: F401  (installs the replay, as rendering does)
from propgen.pipeline import check, render_documents
from support import SAMPLES

THEME = Path(__file__).parents[2] / "templates" / "theme"
LEADERS = "".join(
    f'<li><a href="#s{n}">Section {n}</a></li><h2 id="s{n}">Section {n}</h2>' for n in range(6)
)
MARKUP = (
    "<style>@page { size: 300pt 300pt; margin: 40pt 20pt;"
    " @top-right { content: element(logo) } }"
    " .logo { position: running(logo) } .logo img { height: 12pt }"
    " a { display: block; text-decoration: none }"
    " a::after { content: leader('. ') target-counter(attr(href), page) }"
    " h2 { break-before: page }</style>"
    '<div class="logo"><img src="logo.svg"></div>'
    f"<ul>{LEADERS}</ul>"
)


@contextmanager
def upstream_drawing() -> Iterator[None]:
    """WeasyPrint's drawing without the replay."""
    wrapped = (
        (draw, "draw_text"),
        (text, "draw_first_line"),
        (images.SVGImage, "draw"),
    )
    kept = [getattr(owner, name) for owner, name in wrapped]
    for owner, name in wrapped:
        setattr(owner, name, getattr(owner, name).__wrapped__)
    try:
        yield
    finally:
        for (owner, name), value in zip(wrapped, kept, strict=True):
            setattr(owner, name, value)


@contextmanager
def counted_draws() -> Iterator[Counter[str]]:
    """How many text lines and SVG images WeasyPrint itself draws."""
    counts: Counter[str] = Counter()

    def counting(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def count(*args: Any) -> Any:
            counts[name] += 1
            return function(*args)

        return count

    first_line, svg = text.draw_first_line, SVG.draw
    text.draw_first_line = counting("text", first_line)
    SVG.draw = counting("svg", svg)
    try:
        yield counts
    finally:
        text.draw_first_line, SVG.draw = first_line, svg


def pdf() -> bytes:
    html = weasyprint.HTML(string=MARKUP, base_url=THEME.as_uri() + "/")
    written: bytes = html.write_pdf()
    return written


def test_leaders_and_a_running_logo_give_the_same_bytes_drawn_once() -> None:
    with upstream_drawing(), counted_draws() as upstream:
        expected = pdf()
    with counted_draws() as replayed:
        assert pdf() == expected
    assert upstream["svg"] == 7  # the running logo on each of the seven pages
    # Drawn again until a draw adds no resource and starts from a state seen before
    # (the first pages' differ); every later page's logo is written again.
    assert replayed["svg"] <= 3, replayed
    assert replayed["text"] < upstream["text"] / 3, (replayed, upstream)


@pytest.mark.parametrize("record", [s for s in SAMPLES if s.name == "saas.en-US.yaml"])
def test_a_sample_proposal_has_the_bytes_weasyprint_draws(
    record: Path, rendered_samples: Path
) -> None:
    checked = check(record, only="proposal")
    with upstream_drawing():
        ((name, drawn),) = render_documents(checked, ("pdf",)).items()
    assert (rendered_samples / name).read_bytes() == drawn
