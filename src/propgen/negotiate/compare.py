"""Two documents compared: the deal's contract against the same contract in the
library's standard positions, as one document with :class:`~propgen.document.Inserted`
and :class:`~propgen.document.Deleted` inlines (a redline).

Sections are matched by their ``source_id`` (a clause id): a section only in the
deal is inserted whole, one only in the standard is deleted whole. Inside a matched
section the blocks are aligned (paragraphs, headings, list items), and a paragraph
that changed is compared token by token (:mod:`propgen.negotiate.diff`), its bold
and italic kept. The deal's own numbers, anchors and cross-references are kept, so
accepting every change gives exactly the deal's contract; a deleted paragraph keeps
the standard's number for display, no anchor, and its cross-references as plain
text (nothing may refer to text that is going away).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from typing import TypeVar, assert_never

from propgen.document import (
    Block,
    BulletList,
    Cell,
    Column,
    Deleted,
    Document,
    Emph,
    Heading,
    Inline,
    Inserted,
    LineBreak,
    ListItem,
    OrderedList,
    PageBreak,
    Paragraph,
    Parallel,
    Ref,
    Row,
    Section,
    SignatureBlock,
    Strong,
    Table,
    TableOfContents,
    Text,
    inline_text,
)
from propgen.negotiate.diff import diff_items, tokenise

__all__ = ["compare_documents"]

Author = Callable[[str], str]
"""Section (clause) id → who must approve a change in it."""

_SIMILAR = 0.5
"""How alike two paragraphs must be (difflib ratio of their tokens) to be shown as
one edited paragraph rather than one deleted and one inserted."""


def compare_documents(deal: Document, standard: Document, author: Author) -> Document:
    """The deal's document, showing how it differs from ``standard``.

    Args:
        author: for a section (clause) id, the author of its changes (the role
            that must approve them).
    """
    locale = deal.meta.locale
    old = [b for b in standard.blocks if isinstance(b, Section)]
    new = [b for b in deal.blocks if isinstance(b, Section)]
    by_id = {s.source_id: s for s in old}
    matcher = SequenceMatcher(
        None, [s.source_id for s in old], [s.source_id for s in new], autojunk=False
    )
    out: list[Block] = []
    deleted_before: dict[str, list[Section]] = {}
    trailing: list[Section] = []
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        if tag in ("delete", "replace") and i2 > i1:
            target = new[j1].source_id if j1 < len(new) else ""
            (deleted_before.setdefault(target, []) if target else trailing).extend(old[i1:i2])
    inserted = {
        s.source_id
        for tag, _i1, _i2, j1, j2 in matcher.get_opcodes()
        if tag in ("insert", "replace")
        for s in new[j1:j2]
    }
    for block in deal.blocks:
        if not isinstance(block, Section):
            out.append(block)
            continue
        for gone in deleted_before.get(block.source_id, []):
            out.append(_whole_section(gone, "deleted", author(gone.source_id)))
        if block.source_id in inserted or block.source_id not in by_id:
            out.append(_whole_section(block, "inserted", author(block.source_id)))
            continue
        before = by_id[block.source_id]
        if before.blocks == block.blocks:
            out.append(block)
        else:
            differ = _Differ(locale, author(block.source_id))
            out.append(replace(block, blocks=differ.blocks(before.blocks, block.blocks)))
    out += [_whole_section(gone, "deleted", author(gone.source_id)) for gone in trailing]
    return Document(meta=deal.meta, blocks=tuple(out))


def _whole_section(section: Section, change: str, author: str) -> Section:
    differ = _Differ("", author)
    marked = tuple(differ.whole(b, change == "inserted") for b in section.blocks)
    return replace(section, blocks=marked)


@dataclass(frozen=True)
class _Atom:
    """One token of a paragraph with its formatting: a piece of text, or a whole
    cross-reference or line break."""

    text: str
    marks: tuple[str, ...]
    node: Ref | LineBreak | Text | None = None
    """The inline the atom stands for whole: a reference, a line break, or a text
    that never breaks (``Text.keep``: a date, an amount), compared as one token."""


def _atoms(inlines: Sequence[Inline], locale: str, marks: tuple[str, ...] = ()) -> list[_Atom]:
    out: list[_Atom] = []
    for inline in inlines:
        match inline:
            case Text() if inline.keep:
                out.append(_Atom(inline.text, marks, inline))
            case Text():
                out += [_Atom(token, marks) for token in tokenise(inline.text, locale)]
            case Ref():
                out.append(_Atom(inline.text, marks, inline))
            case LineBreak():
                out.append(_Atom("\n", marks, inline))
            case Strong():
                out += _atoms(inline.children, locale, (*marks, "strong"))
            case Emph():
                out += _atoms(inline.children, locale, (*marks, "emph"))
            case Inserted() | Deleted():  # a document compared twice: keep what it says
                out += (
                    _atoms(inline.children, locale, marks) if isinstance(inline, Inserted) else []
                )
            case _:
                assert_never(inline)
    return out


def _inlines(atoms: Sequence[_Atom], *, deleted: bool) -> tuple[Inline, ...]:
    """Atoms back to inlines, neighbouring text of the same formatting joined; in
    deleted text a cross-reference becomes its plain text."""
    out: list[Inline] = []
    index = 0
    while index < len(atoms):
        atom = atoms[index]
        if isinstance(atom.node, Ref) and not deleted:
            node: Inline = atom.node
            index += 1
        elif isinstance(atom.node, LineBreak | Text):
            node = atom.node
            index += 1
        else:
            end = index
            while (
                end < len(atoms)
                and atoms[end].marks == atom.marks
                and (atoms[end].node is None or (deleted and isinstance(atoms[end].node, Ref)))
            ):
                end += 1
            node = Text("".join(a.text for a in atoms[index:end]))
            index = end
        for mark in reversed(atom.marks):
            node = Strong((node,)) if mark == "strong" else Emph((node,))
        out.append(node)
    return tuple(out)


class _Differ:
    """Compares the blocks of one section; every change is by ``author``."""

    def __init__(self, locale: str, author: str) -> None:
        self.locale = locale
        self.author = author

    # --- whole blocks -----------------------------------------------------------

    def mark(self, inlines: tuple[Inline, ...], inserted: bool) -> tuple[Inline, ...]:
        if not inlines:
            return inlines
        if inserted:
            return (Inserted(inlines, self.author),)
        return (Deleted(_inlines(_atoms(inlines, "en-US"), deleted=True), self.author),)

    def whole(self, block: Block, inserted: bool) -> Block:
        """``block`` inserted or deleted as a whole."""
        result: Block
        match block:
            case Paragraph():
                result = replace(
                    block,
                    inlines=self.mark(block.inlines, inserted),
                    anchor=block.anchor if inserted else "",
                )
            case Heading():
                result = replace(
                    block,
                    inlines=self.mark(block.inlines, inserted),
                    anchor=block.anchor if inserted else "",
                    in_toc=block.in_toc and inserted,
                )
            case BulletList() | OrderedList():
                result = replace(
                    block,
                    items=tuple(
                        ListItem(tuple(self.whole(b, inserted) for b in item.blocks))
                        for item in block.items
                    ),
                )
            case Table():
                result = replace(
                    block,
                    header=self._row(block.header, inserted) if block.header else None,
                    rows=tuple(self._row(r, inserted) for r in block.rows),
                    footer=tuple(self._row(r, inserted) for r in block.footer),
                )
            case Section():
                result = replace(block, blocks=tuple(self.whole(b, inserted) for b in block.blocks))
            case Parallel():
                result = replace(
                    block,
                    columns=tuple(  # type: ignore[arg-type]
                        Column(c.locale, tuple(self.whole(b, inserted) for b in c.blocks))
                        for c in block.columns
                    ),
                )
            case SignatureBlock() | TableOfContents() | PageBreak():
                result = block
            case _:
                assert_never(block)
        return result

    def _row(self, row: Row, inserted: bool) -> Row:
        return replace(row, cells=tuple(Cell(self.mark(c.inlines, inserted)) for c in row.cells))

    # --- aligned blocks -------------------------------------------------------

    def blocks(self, before: tuple[Block, ...], after: tuple[Block, ...]) -> tuple[Block, ...]:
        """``after`` (the deal's blocks), showing how they differ from ``before``."""
        return tuple(_align(before, after, _key, self.pair, self.whole))

    def pair(self, before: Block, after: Block) -> Block | None:
        """One block edited into another, or None when they are not alike enough."""
        if before == after:
            return after
        if isinstance(before, Paragraph) and isinstance(after, Paragraph):
            inlines = self.inlines(before.inlines, after.inlines)
            return replace(after, inlines=inlines) if inlines is not None else None
        if isinstance(before, Heading) and isinstance(after, Heading):
            inlines = self.inlines(before.inlines, after.inlines, threshold=0.0)
            return replace(after, inlines=inlines) if inlines is not None else None
        if isinstance(before, Parallel) and isinstance(after, Parallel):
            # a bilingual row: each language compared in its own way
            columns = tuple(
                Column(new.locale, _Differ(new.locale, self.author).blocks(old.blocks, new.blocks))
                for old, new in zip(before.columns, after.columns, strict=True)
            )
            return replace(after, columns=columns)  # type: ignore[arg-type]
        if isinstance(before, BulletList | OrderedList) and type(before) is type(after):
            assert isinstance(after, BulletList | OrderedList)
            items = _align(before.items, after.items, _item_key, self._item, self._whole_item)
            return replace(after, items=tuple(items))
        return None

    def _item(self, before: ListItem, after: ListItem) -> ListItem | None:
        if before == after:
            return after
        if _similarity(_item_key(before)[1], _item_key(after)[1], self.locale) < _SIMILAR:
            return None
        return ListItem(self.blocks(before.blocks, after.blocks))

    def _whole_item(self, item: ListItem, inserted: bool) -> ListItem:
        return ListItem(tuple(self.whole(b, inserted) for b in item.blocks))

    def inlines(
        self, before: tuple[Inline, ...], after: tuple[Inline, ...], threshold: float = _SIMILAR
    ) -> tuple[Inline, ...] | None:
        old, new = _atoms(before, self.locale), _atoms(after, self.locale)
        if threshold and SequenceMatcher(None, old, new, autojunk=False).ratio() < threshold:
            return None
        out: list[Inline] = []
        for op, atoms in diff_items(old, new):
            if op == "equal":
                out += _inlines(atoms, deleted=False)
            elif op == "insert":
                out.append(Inserted(_inlines(atoms, deleted=False), self.author))
            else:
                out.append(Deleted(_inlines(atoms, deleted=True), self.author))
        return tuple(out)


def _key(block: Block) -> tuple[str, str]:
    match block:
        case Paragraph() | Heading():
            return (type(block).__name__, inline_text(block.inlines))
        case BulletList() | OrderedList():
            return (type(block).__name__, "\n".join(_item_key(i)[1] for i in block.items))
        case _:
            return (type(block).__name__, repr(block))


def _item_key(item: ListItem) -> tuple[str, str]:
    return ("item", "\n".join(_key(b)[1] for b in item.blocks))


def _similarity(a: str, b: str, locale: str) -> float:
    return SequenceMatcher(None, tokenise(a, locale), tokenise(b, locale), autojunk=False).ratio()


T = TypeVar("T")


def _align(
    before: Sequence[T],
    after: Sequence[T],
    key: Callable[[T], tuple[str, str]],
    pair: Callable[[T, T], T | None],
    whole: Callable[[T, bool], T],
) -> list[T]:
    """``after`` with ``before``'s items aligned into it: equal items kept, edited
    ones paired, the rest deleted (standard only) or inserted (deal only)."""
    matcher = SequenceMatcher(
        None, [key(b) for b in before], [key(a) for a in after], autojunk=False
    )
    out: list[T] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += after[j1:j2]
            continue
        olds, news = list(before[i1:i2]), list(after[j1:j2])
        # each new item takes the first remaining old item it is alike enough to;
        # old items it skips over are deleted there
        for new in news:
            for index, old in enumerate(olds):
                paired = pair(old, new)
                if paired is not None:
                    out += [whole(gone, False) for gone in olds[:index]]
                    out.append(paired)
                    olds = olds[index + 1 :]
                    break
            else:
                out.append(whole(new, True))
        out += [whole(gone, False) for gone in olds]
    return out
