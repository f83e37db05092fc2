"""Drawing the same thing again: the operators the first draw wrote, written again.

WeasyPrint 70 draws every text box by setting its Pango layout up afresh and shaping
its text, and every SVG image by walking its tree and laying out its text, each time.
Two things propgen's pages draw many times over:

* a contents line's dot leader (``leader(". ")``): WeasyPrint copies one text box
  about eighty times along the line, and every copy shares one Pango layout; the
  proposal's contents page draws some 900 of them;
* the SVG logo of the running header, on every body page.

What such a draw appends to a page's content stream depends only on what is drawn and
on the stream's state when it starts, so the first draw is recorded and later ones
with the same state write the same operators again without the work:

* a text box whose layout was drawn before with the same text, style and
  justification (:func:`_replaying_draw_text`): the same stream calls, at its own
  position (the text matrix is the only operand that differs);
* an SVG image drawn before at the same size on a stream in the same state (colour,
  alpha, font, transformation, last operator) that added no resource
  (:func:`_replaying_svg_draw`): the same operators.

The PDF's bytes are the same as without it (``tests/render/test_draw_replay.py``
compares every page stream of a proposal drawn both ways); only repeated draws are
skipped. Anything else (decorated or hidden text, emoji, tagged PDFs, a draw that
added a resource) is drawn by WeasyPrint as before. :func:`install` wraps the two
functions once per process, as :mod:`propgen.render.hanging_space` does.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["install"]

_MARK = "propgen_replays"


def install() -> None:
    """Wrap WeasyPrint's text and SVG drawing (once per process)."""
    from weasyprint import draw, images
    from weasyprint.draw import text

    if getattr(draw.draw_text, _MARK, False):
        return
    text.draw_first_line = _recording_first_line(text.draw_first_line)
    draw.draw_text = _replaying_draw_text(draw.draw_text)
    images.SVGImage.draw = _replaying_svg_draw(images.SVGImage.draw)


# --- text boxes ---------------------------------------------------------------------


@dataclass(frozen=True)
class _TextDraw:
    """The stream calls one text line's draw made, and what they depended on."""

    key: tuple[Any, ...]
    style: Any
    fonts: dict[Any, Any]
    calls: tuple[tuple[str, tuple[Any, ...]], ...]


def _text_key(textbox: Any, text_overflow: str, block_ellipsis: str) -> tuple[Any, ...]:
    layout = textbox.pango_layout
    return (
        textbox.text,
        layout.text,
        layout.justification_spacing,
        layout.max_width,
        text_overflow,
        block_ellipsis,
    )


class _Recorder:
    """A stream that records the calls a text line's draw makes on it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.calls: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)

    def set_text_matrix(self, *args: Any) -> None:
        self.calls.append(("set_text_matrix", ()))
        self._stream.set_text_matrix(*args)

    def set_font_size(self, *args: Any) -> None:
        self.calls.append(("set_font_size", args))
        self._stream.set_font_size(*args)

    def show_text(self, *args: Any) -> None:
        self.calls.append(("show_text", args))
        self._stream.show_text(*args)


def _recording_first_line(draw_first_line: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(draw_first_line)
    def record(
        stream: Any, textbox: Any, text_overflow: str, block_ellipsis: str, matrix: Any
    ) -> Any:
        recorder = _Recorder(stream)
        emojis = draw_first_line(recorder, textbox, text_overflow, block_ellipsis, matrix)
        if not emojis and getattr(stream, "_tags", None) is None:
            textbox.pango_layout.propgen_drawn = _TextDraw(
                key=_text_key(textbox, text_overflow, block_ellipsis),
                style=textbox.style,
                fonts=stream._fonts,
                calls=tuple(recorder.calls),
            )
        return emojis

    return record


def _replaying_draw_text(draw_text: Callable[..., Any]) -> Callable[..., Any]:
    from weasyprint.matrix import Matrix

    @functools.wraps(draw_text)
    def replay(stream: Any, textbox: Any, offset_x: float, text_overflow: str, *rest: Any) -> Any:
        drawn = getattr(textbox.pango_layout, "propgen_drawn", None)
        style = textbox.style
        if (
            drawn is None
            or len(rest) != 1
            or drawn.style is not style
            or drawn.fonts is not getattr(stream, "_fonts", None)
            or getattr(stream, "_tags", None) is not None
            or style["visibility"] != "visible"
            or style["text_decoration_line"] != "none"
            or drawn.key != _text_key(textbox, text_overflow, rest[0])
        ):
            return draw_text(stream, textbox, offset_x, text_overflow, *rest)
        # draw_text's own calls around draw_first_line, without the Pango set-up
        x, y = textbox.position_x, textbox.position_y + textbox.baseline
        stream.set_color(style["color"])
        stream.begin_text()
        for name, args in drawn.calls:
            if name == "set_text_matrix":
                stream.set_text_matrix(*Matrix(d=-1, e=x, f=y).values)
            else:
                getattr(stream, name)(*args)
        stream.end_text()
        return None

    setattr(replay, _MARK, True)
    return replay


# --- SVG images -----------------------------------------------------------------------


@dataclass(frozen=True)
class _SvgDraw:
    state: tuple[Any, ...]
    after: tuple[Any, ...]
    operators: tuple[Any, ...]


_STATE = (
    "_current_color",
    "_current_color_stroke",
    "_current_alpha",
    "_current_alpha_stroke",
    "_current_font",
    "_old_font",
)


def _stream_state(stream: Any) -> tuple[Any, ...]:
    return (
        *(getattr(stream, name) for name in _STATE),
        tuple(map(tuple, stream.ctm)),
        len(stream._ctm_stack),
        stream.stream[-1] if stream.stream else None,
        stream.page_rectangle,
        id(stream._resources),
        id(stream._fonts),
    )


def _resource_sizes(stream: Any) -> tuple[int, ...]:
    resources = stream._resources
    return tuple(
        len(value) if isinstance(value, dict) else 0 for _key, value in sorted(resources.items())
    )


def _replaying_svg_draw(draw: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(draw)
    def replay(self: Any, stream: Any, width: float, height: float, style: Any) -> Any:
        if getattr(stream, "_tags", None) is not None:
            return draw(self, stream, width, height, style)
        drawn: dict[tuple[float, float], _SvgDraw] = self.__dict__.setdefault("propgen_drawn", {})
        state = _stream_state(stream)
        known = drawn.get((width, height))
        if known is not None and known.state == state:
            stream.stream.extend(known.operators)
            for name, value in zip(_STATE, known.after, strict=False):
                setattr(stream, name, value)
            return None
        start, resources = len(stream.stream), _resource_sizes(stream)
        result = draw(self, stream, width, height, style)
        if (
            len(stream.stream) > start
            and _resource_sizes(stream) == resources
            and len(stream._ctm_stack) == state[len(_STATE) + 1]
        ):
            drawn[width, height] = _SvgDraw(
                state=state,
                after=tuple(getattr(stream, name) for name in _STATE),
                operators=tuple(stream.stream[start:]),
            )
        return result

    return replay
