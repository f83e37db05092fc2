"""Word-level (Latin) and character-level (Chinese) text differences.

A lawyer reads a redline in words: ``tokenise`` cuts English into words, runs of
whitespace and single punctuation marks, and Chinese into single characters (a run
of Latin letters or digits inside Chinese, such as ``12`` or ``SLA``, stays one
token). ``diff_tokens`` compares two token lists with :mod:`difflib` and returns the
changes as :class:`Segment` values; ``diff_text`` does both for two strings.

Short unchanged stretches between two changes (a space, a comma) are folded into
the change, so a rewritten phrase reads as one deletion and one insertion rather
than a word-by-word patchwork.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal, TypeVar

from propgen.locales import is_chinese

__all__ = ["Op", "Segment", "diff_text", "diff_tokens", "tokenise"]

Op = Literal["equal", "insert", "delete"]

_LATIN = re.compile(r"\w+|\s+|[^\w\s]", re.UNICODE)
# In Chinese: one CJK character (or full-width mark) per token; ASCII words, numbers
# (with their separators: 1,234.50) and whitespace runs stay whole.
_CHINESE = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*|\s+|.", re.DOTALL)

T = TypeVar("T", bound=Hashable)

_SHORT = 3
"""An unchanged stretch of at most this many characters (a short word, two Chinese
characters, punctuation) between two changes is shown as part of them."""


@dataclass(frozen=True)
class Segment:
    """A stretch of tokens that is unchanged, inserted (only in ``after``) or deleted
    (only in ``before``)."""

    op: Op
    tokens: tuple[str, ...]

    @property
    def text(self) -> str:
        return "".join(self.tokens)


def tokenise(text: str, locale: str) -> list[str]:
    """The tokens a redline compares: words, whitespace and punctuation for Latin
    text; characters for Chinese. ``"".join(tokenise(t, l)) == t`` always holds."""
    pattern = _CHINESE if is_chinese(locale) else _LATIN
    return pattern.findall(text)


def diff_text(before: str, after: str, locale: str) -> tuple[Segment, ...]:
    """The changes that turn ``before`` into ``after``, tokenised for ``locale``."""
    return diff_tokens(tokenise(before, locale), tokenise(after, locale))


def diff_tokens(before: Sequence[str], after: Sequence[str]) -> tuple[Segment, ...]:
    """The changes that turn the ``before`` tokens into the ``after`` tokens.

    Deletions come before insertions where both replace the same stretch; joining
    the ``equal`` and ``delete`` segments gives ``before``, the ``equal`` and
    ``insert`` segments give ``after``.
    """
    return tuple(Segment(op, tuple(tokens)) for op, tokens in diff_items(list(before), list(after)))


def diff_items(before: list[T], after: list[T]) -> list[tuple[Op, list[T]]]:
    """:func:`diff_tokens` for any hashable items (a token with its formatting ...)."""
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    raw: list[tuple[Op, list[T]]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            raw.append(("equal", before[i1:i2]))
        else:
            if i2 > i1:
                raw.append(("delete", before[i1:i2]))
            if j2 > j1:
                raw.append(("insert", after[j1:j2]))
    return _fold_small_equals(raw)


def _length(items: list[T]) -> int:
    return sum(len(item) if isinstance(item, str) else len(_item_text(item)) for item in items)


def _text(items: list[T]) -> str:
    return "".join(item if isinstance(item, str) else _item_text(item) for item in items)


def _item_text(item: object) -> str:
    text = getattr(item, "text", None)
    return text if isinstance(text, str) else ""


def _fold_small_equals(raw: list[tuple[Op, list[T]]]) -> list[tuple[Op, list[T]]]:
    """Fold an unchanged stretch into the changes around it when it is very short
    or no longer than the change on either side (diff-match-patch's semantic
    clean-up), so ``[deleted clause] 合同 [inserted clause]`` reads as one
    replacement rather than a patchwork."""
    out = list(raw)
    changed = True
    while changed:
        changed = False
        merged = _merge(out)
        for index, (op, items) in enumerate(merged):
            if op != "equal" or index == 0 or index == len(merged) - 1:
                continue
            before = _change_around(merged, index, -1)
            after = _change_around(merged, index, 1)
            small = _length(items) <= min(before, after) or len(_text(items).strip()) <= _SHORT
            if before and after and small:
                merged[index : index + 1] = [("delete", list(items)), ("insert", list(items))]
                out, changed = merged, True
                break
        else:
            out = merged
    return out


def _change_around(segments: list[tuple[Op, list[T]]], index: int, step: int) -> int:
    """The larger of the deletion and the insertion next to ``segments[index]`` on
    one side (0 when an unchanged stretch or the end comes first)."""
    sizes = {"delete": 0, "insert": 0}
    at = index + step
    while 0 <= at < len(segments) and segments[at][0] != "equal":
        sizes[segments[at][0]] += _length(segments[at][1])
        at += step
    return max(sizes.values())


def _merge(raw: list[tuple[Op, list[T]]]) -> list[tuple[Op, list[T]]]:
    """Join neighbouring changes into one deletion followed by one insertion."""
    out: list[tuple[Op, list[T]]] = []
    pending: dict[Op, list[T]] = {"delete": [], "insert": []}

    def flush() -> None:
        for kind in ("delete", "insert"):
            if pending[kind]:
                out.append((kind, pending[kind]))
        pending["delete"], pending["insert"] = [], []

    for op, items in raw:
        if op == "equal":
            flush()
            if items:
                out.append((op, items))
        else:
            pending[op] += items
    flush()
    return out
