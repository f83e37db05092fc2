"""Whether a laid-out PDF has wrappable text outside its page area.

The PDF renderer lays a document out with ``overflow-wrap: break-word``
(:data:`propgen.render.html.BASELINE_CSS`): a word longer than its line is broken, but a
table column or an auto-sized margin box is made at least as wide as its longest word.
A word too long for any column (a 200-character IBAN or name in a table cell, a
reference in the footer) then pushes its table or margin box off the page.
:func:`wrappable_text_runs_off` finds that case after layout, so the renderer can lay
the document out again with ``overflow-wrap: anywhere``
(:data:`propgen.render.html.ANYWHERE_CSS`), which sizes columns down to one character.

Text that cannot wrap whatever the baseline (``white-space: nowrap``, a figure kept
whole by ``.nobr``) is not counted: a second layout would not move it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["wrappable_text_runs_off"]

_TOLERANCE = 0.5
"""CSS pixels a line may pass its bounds by (rounding in WeasyPrint's layout)."""


def wrappable_text_runs_off(laid_out: Any) -> bool:
    """Whether a line holding wrappable text lies outside its bounds on any page of
    ``laid_out`` (a WeasyPrint ``Document``): the page's content area for the
    document's flow, the page itself for margin boxes (running headers and footers).
    Fixed and absolutely positioned boxes (the watermark) are propgen's own and are
    not checked."""
    from weasyprint.formatting_structure import boxes

    for page in laid_out.pages:
        page_box = page._page_box
        left = page_box.content_box_x()
        content = (left, left + page_box.width)
        sheet = (0.0, page_box.margin_width())
        stack = [
            (child, sheet if isinstance(child, boxes.MarginBox) else content)
            for child in page_box.children
        ]
        while stack:
            box, bounds = stack.pop()
            if box.style["position"] in ("absolute", "fixed"):
                continue
            if isinstance(box, boxes.LineBox):
                if _outside(box, bounds) and _wrappable(box):
                    return True
                continue
            stack.extend((child, bounds) for child in getattr(box, "children", ()))
    return False


def _outside(line: Any, bounds: tuple[float, float]) -> bool:
    left, right = bounds
    return bool(
        line.position_x < left - _TOLERANCE or line.position_x + line.width > right + _TOLERANCE
    )


def _wrappable(line: Any) -> bool:
    from weasyprint.formatting_structure import boxes

    return any(
        isinstance(box, boxes.TextBox)
        and box.text.strip()
        and box.style["white_space"] in ("normal", "pre-wrap", "pre-line")
        and box.style["overflow_wrap"] != "normal"
        for box in line.descendants()
    )
