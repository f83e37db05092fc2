"""How wide text is in a table, and the Chinese phrases a table cell keeps on one line.

CSS Text lets Chinese break between any two characters (UAX #14 class ID), as Chinese
typesetting does in running text, and WeasyPrint and Word do so in table cells too: in a
narrow column a label breaks in the middle (规模推|广, 标准级（本方|案）). CSS's
``word-break: keep-all`` would keep every run between spaces and punctuation whole, long
sentences too, and WeasyPrint 70 does not implement it (only ``normal`` and
``break-all``); a segmenter (BudouX's Chinese model) splits these terms wrongly (数|据,
故|障响应时限). So the rule is ours:

- a *segment* is Chinese characters and full-width bracket pairs with nothing between
  them (no space, punctuation, letter or digit): 规模推广, 标准级（本方案）, 《数据安全法》;
- in a label (a cell without sentence punctuation ，。；：、！？: a header, a level
  name, a term, an item's name) a segment of at most :data:`PHRASE` characters is kept
  whole; of a longer one, its Chinese runs and bracket pairs of at most :data:`PHRASE`
  (经营驾驶舱订阅 | （管理层账号）);
- prose (a cell with sentence punctuation) wraps as Chinese does, except inside a
  bracket pair of at most :data:`PHRASE` characters (（可选）, （苏州）);
- a longer bracket pair is read the same way inside.

The PDF keeps a phrase in a ``nowrap`` span where its column holds it, and both
renderers and the Markdown table columns give a column room for its widest phrase.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

TABLE_CHARACTERS = 96
"""How many characters of running text, cell padding included, a table holds across a
portrait page (figures are wider: :data:`propgen.markdown.MAX_TABLE_CHARACTERS`)."""
PHRASE = 10
"""The most characters of a Chinese label or bracket pair kept on one line
(托管服务月度可用性 is nine)."""
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_PAIRS = tuple(zip("（《〈「『【〔", "）》〉」』】〕", strict=True))
_GROUP = "|".join(f"{o}[^{o}{c}\n]{{1,40}}{c}" for o, c in _PAIRS)
_OPENERS = frozenset(o for o, _ in _PAIRS)
_PIECE = re.compile(rf"[{_HAN}]+|{_GROUP}")
_SEGMENT = re.compile(rf"(?:[{_HAN}]+|{_GROUP})+")
_SENTENCE = re.compile("[，。；：、！？]")

CJK_PADDING = 3
"""What a kept phrase needs beyond its width, in half-width characters: the cell's
padding (4 mm, about 2.3) and the total row's larger size (10 pt against 9)."""


def display_width(text: str) -> int:
    """Width in half-width characters: a Chinese character or full-width form is two
    (East Asian Width W or F), anything else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@lru_cache(maxsize=8192)
def kept_phrases(text: str) -> tuple[tuple[int, int], ...]:
    """The spans (start, end) of ``text`` that stay on one line, in order."""
    return tuple(_spans(text, 0, len(text), label=not _SENTENCE.search(text)))


def _spans(text: str, start: int, end: int, *, label: bool) -> Iterator[tuple[int, int]]:
    for segment in _SEGMENT.finditer(text, start, end):
        if label and segment.end() - segment.start() <= PHRASE:
            yield segment.span()
            continue
        for piece in _PIECE.finditer(text, segment.start(), segment.end()):
            bracket = text[piece.start()] in _OPENERS
            if (label or bracket) and piece.end() - piece.start() <= PHRASE:
                yield piece.span()
            elif bracket:  # a long bracket pair: read its inside
                yield from _spans(text, piece.start() + 1, piece.end() - 1, label=label)


def split_phrases(text: str) -> tuple[tuple[str, bool], ...]:
    """``text`` as pieces, each with whether it is a phrase kept on one line."""
    pieces: list[tuple[str, bool]] = []
    last = 0
    for start, end in kept_phrases(text):
        if start > last:
            pieces.append((text[last:start], False))
        pieces.append((text[start:end], True))
        last = end
    if last < len(text):
        pieces.append((text[last:], False))
    return tuple(pieces)


def widest_phrase(text: str) -> int:
    """The display width of ``text``'s widest kept phrase (0 when it has none)."""
    return max((display_width(text[s:e]) for s, e in kept_phrases(text)), default=0)
