"""Lists as PRC contracts draft them: items numbered （一）（二）…, inside them 1. 2. …,
and inside those （1）（2）…, never bullets — an item a party can cite
("第五条第（二）项"). The English column of a contract drafted in Chinese numbers the
same items (a), (b) …, 1. 2. …, (i), (ii) …, so "item (b)" is "第（二）项" beside it."""

from __future__ import annotations

from dataclasses import replace

from propgen.document import Block, BulletList, ListItem, ListNumbering, OrderedList, Section

LEVELS: tuple[ListNumbering, ...] = ("cjk-paren", "decimal", "paren-decimal")
"""The numbering of each nesting level; deeper lists repeat the last."""
ENGLISH_LEVELS: tuple[ListNumbering, ...] = ("paren-lower-alpha", "decimal", "paren-lower-roman")
"""The same levels in the English column of a contract drafted in Chinese."""
FAMILIES: dict[str, tuple[ListNumbering, ...]] = {"zh": LEVELS, "en": ENGLISH_LEVELS}
"""Each legal list's levels by family; a renderer keeps one list definition each."""


def family_of(numbering: ListNumbering) -> str:
    """The legal family whose first or last level ``numbering`` is (not ``decimal``,
    which both share at the middle level)."""
    return next(f for f, levels in FAMILIES.items() if numbering in levels[::2])


def number_lists(
    blocks: tuple[Block, ...], depth: int = 0, levels: tuple[ListNumbering, ...] = LEVELS
) -> tuple[Block, ...]:
    """``blocks`` with every list (bulleted or numbered) numbered by its depth."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, BulletList | OrderedList):
            items = tuple(ListItem(number_lists(i.blocks, depth + 1, levels)) for i in block.items)
            start = block.start if isinstance(block, OrderedList) else 1
            numbering = levels[min(depth, len(levels) - 1)]
            out.append(OrderedList(items, start=start, numbering=numbering))
        elif isinstance(block, Section):
            out.append(replace(block, blocks=number_lists(block.blocks, depth, levels)))
        else:
            out.append(block)
    return tuple(out)
