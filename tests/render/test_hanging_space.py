"""A run of text that fits but for its trailing space is not broken after its first
word (:mod:`propgen.render.hanging_space`): the supplier's contact in the US public
sample's parties table read "Dana" on one line and the rest below."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager

import pdfplumber
import weasyprint
from weasyprint.layout import inline

import propgen.render.pdf  # noqa: F401  (installs the correction, as rendering does)

CONTACT = "Dana Whitaker, Public Sector Account Executive, dana.whitaker@example.com, "
PHONE = '<span style="white-space: nowrap">+1\u00a0503\u00a0555\u00a00182</span>'
WIDTHS = [w / 2 for w in range(680, 720)]
"""Box widths 340–359.5 pt: the run fits in the wider ones, and in a window of about a
space's width (2 pt) it fits only without its trailing space."""


def first_lines(width: float) -> tuple[str, str]:
    """The first two lines of the contact and phone number in a box ``width`` pt wide."""
    markup = (
        "<style>@page { size: 600pt 200pt; margin: 10pt }"
        f" div {{ width: {width}pt; font: 9.5pt 'Noto Sans' }}</style>"
        f"<div>{CONTACT}{PHONE}</div>"
    )
    pdf = weasyprint.HTML(string=markup).write_pdf()
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        lines = (document.pages[0].extract_text() or "").splitlines()
    return lines[0], lines[1]


@contextmanager
def upstream_line_breaking() -> Iterator[None]:
    corrected = inline.split_first_line
    inline.split_first_line = corrected.__wrapped__
    try:
        yield
    finally:
        inline.split_first_line = corrected


def test_a_run_is_never_broken_after_its_first_word_when_the_rest_fits() -> None:
    for width in WIDTHS:
        first, second = first_lines(width)
        assert first.startswith("Dana Whitaker, Public Sector Account Executive,"), (width, first)
        assert second.replace("\u00a0", " ").endswith("+1 503 555 0182"), (width, second)


def test_upstream_still_breaks_it_after_the_first_word() -> None:
    """The day WeasyPrint lays these out right, this fails: drop hanging_space."""
    with upstream_line_breaking():
        broken = [width for width in WIDTHS if first_lines(width)[0].strip() == "Dana"]
    assert broken, "WeasyPrint no longer breaks after the first word: remove hanging_space"


def test_installing_twice_wraps_once() -> None:
    from propgen.render import hanging_space

    before = inline.split_first_line
    hanging_space.install()
    assert inline.split_first_line is before
