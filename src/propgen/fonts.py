"""Which characters the installed fonts can draw, so a PDF never prints empty boxes.

WeasyPrint lays text out with Pango, which falls back to any installed font that
has a glyph; a character no font covers is drawn as a box (the PDF's text layer
still says the right thing, so nothing downstream notices). Validation asks
:func:`can_print` to reject such characters up front, naming the field.
"""

from __future__ import annotations

import bisect
import functools
import subprocess
import unicodedata

__all__ = ["can_print", "fc_list", "font_coverage"]

_ALWAYS = frozenset(("Zs", "Zl", "Zp", "Cf", "Cc"))
"""Spaces and invisible format characters: drawn without a glyph of their own."""


def fc_list(*args: str) -> str | None:
    """What ``fc-list ARGS`` prints, or ``None`` when fontconfig cannot be asked."""
    try:
        result = subprocess.run(
            ["fc-list", *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if result.returncode == 0 else None


@functools.cache
def font_coverage() -> tuple[tuple[int, ...], tuple[int, ...]] | None:
    """Sorted, merged code point ranges (starts, ends) some installed font covers.

    Read once per process from ``fc-list``; ``None`` when fontconfig cannot be asked
    (then nothing is rejected for want of a font).
    """
    listing = fc_list("--format", "%{charset}\n")
    if not listing or not listing.strip():
        return None
    ranges: list[tuple[int, int]] = []
    for token in set(listing.split()):  # fonts share most ranges: 72k tokens, 4k distinct
        first, _, last = token.partition("-")
        try:
            start = int(first, 16)
            end = int(last, 16) if last else start
        except ValueError:
            continue
        ranges.append((start, end))
    if not ranges:
        return None
    ranges.sort()
    merged: list[list[int]] = [list(ranges[0])]
    for start, end in ranges[1:]:
        if start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(r[0] for r in merged), tuple(r[1] for r in merged)


def can_print(ch: str) -> bool:
    """Whether some installed font has a glyph for ``ch`` (True when unknown)."""
    code = ord(ch)
    if code < 0x7F or unicodedata.category(ch) in _ALWAYS:
        return True
    if 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF:  # variation selectors
        return True
    coverage = font_coverage()
    if coverage is None:
        return True
    starts, ends = coverage
    index = bisect.bisect_right(starts, code) - 1
    return index >= 0 and code <= ends[index]
