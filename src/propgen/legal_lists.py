"""Lists as PRC contracts draft them: items numbered （一）（二）…, inside them 1. 2. …,
and inside those （1）（2）…, never bullets — an item a party can cite
("第五条第（二）项")."""

from __future__ import annotations

from dataclasses import replace

from propgen.document import Block, BulletList, ListItem, ListNumbering, OrderedList, Section

LEVELS: tuple[ListNumbering, ...] = ("cjk-paren", "decimal", "paren-decimal")
"""The numbering of each nesting level; deeper lists repeat the last."""


def number_lists(blocks: tuple[Block, ...], depth: int = 0) -> tuple[Block, ...]:
    """``blocks`` with every list (bulleted or numbered) numbered by its depth."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, BulletList | OrderedList):
            items = tuple(ListItem(number_lists(i.blocks, depth + 1)) for i in block.items)
            start = block.start if isinstance(block, OrderedList) else 1
            numbering = LEVELS[min(depth, len(LEVELS) - 1)]
            out.append(OrderedList(items, start=start, numbering=numbering))
        elif isinstance(block, Section):
            out.append(replace(block, blocks=number_lists(block.blocks, depth)))
        else:
            out.append(block)
    return tuple(out)
