"""A correction to WeasyPrint's line breaking: a trailing space hangs.

WeasyPrint 70 asks Pango for the first line of a run of text, then checks the line's
width *with* the run's trailing space against the room left. A run that fits only
without that space ("… dana.whitaker@example.com, " before the phone number's span,
in a table cell) is judged too wide, and WeasyPrint then breaks it at its *first*
break opportunity: the cell reads "Dana" on one line and the rest below. It happens
whenever a run of text followed by another inline box (a number kept whole, bold text,
a link) ends within a space's width of the line's end. CSS Text 3 §4.1.2 says such a
space hangs: it never makes a line overflow. Upstream: Kozea/WeasyPrint#1051 (the
same symptom, "breaks after the first word when the text should fit").

:func:`install` wraps the ``split_first_line`` that WeasyPrint's inline layout calls.
When WeasyPrint broke a run after its first word although the run without its
trailing spaces fits, the run is laid out whole, as WeasyPrint lays out a run that
fits; the line then breaks at that space, before the next box. Every other result is
WeasyPrint's own. ``tests/render/test_hanging_space.py`` shows the upstream layout
still breaks wrongly (drop this module when it no longer does) and this one does not.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

_COLLAPSING = ("normal", "pre-line")
"""``white-space`` values whose spaces collapse and lines wrap: the only ones whose
trailing space hangs."""


def install() -> None:
    """Wrap WeasyPrint's inline layout's ``split_first_line`` (once per process)."""
    from weasyprint.layout import inline

    if not getattr(inline.split_first_line, "hangs_trailing_space", False):
        inline.split_first_line = hanging_trailing_space(inline.split_first_line)


def hanging_trailing_space(split_first_line: Callable[..., Any]) -> Callable[..., Any]:
    """``split_first_line`` that lays a run out whole when it fits but for its
    trailing spaces, instead of breaking it after its first word."""

    @functools.wraps(split_first_line)
    def split(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        result = split_first_line(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        if not _broken_after_first_word(text, result, max_width, style):
            return result
        trimmed = text.rstrip(" ")
        whole = split_first_line(
            trimmed, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        if whole[2] is not None:  # it does not fit even without the space
            return result
        return split_first_line(
            text, style, context, math.inf, justification_spacing, is_line_start, minimum
        )

    split.hangs_trailing_space = True  # type: ignore[attr-defined]
    return split


def _broken_after_first_word(
    text: str, result: tuple[Any, ...], max_width: float | None, style: Any
) -> bool:
    """Whether WeasyPrint broke a run that ends in a space right after its first word
    (the only break the wrong width leads to; anything else needs no second look)."""
    resume_index = result[2]
    if resume_index is None or max_width is None or not text.endswith(" "):
        return False
    if style["white_space"] not in _COLLAPSING:
        return False
    first_line = text.encode()[: result[1]].decode(errors="ignore")
    return " " not in first_line.strip(" ") and len(text.rstrip(" ")) > len(first_line)
