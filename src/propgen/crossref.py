"""Clause cross-references carried through Markdown as markers.

``ref()`` runs inside a clause's template, whose output is Markdown text. It returns
a marker, which the Markdown parser keeps as plain text, and :meth:`resolve` turns
each marker into a :class:`~propgen.document.Ref` inline after parsing, so renderers
know a cross-reference from the words around it (the DOCX makes it a REF field).

A marker holds a nonce drawn for each document, so text from a needs record can
never forge one; the nonce never reaches an output, which stays byte-identical.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import replace

from markupsafe import Markup

from propgen.document import (
    Block,
    BulletList,
    Cell,
    Deleted,
    Emph,
    Heading,
    Inline,
    Inserted,
    ListItem,
    OrderedList,
    Paragraph,
    Ref,
    Row,
    Section,
    Strong,
    Table,
    Text,
)
from propgen.errors import LibraryError, Problem
from propgen.i18n import N_

_OPEN, _CLOSE = "\ue000", "\ue001"  # private-use characters around "nonce:index"


class CrossReferences:
    """The references of one document: markers out, :class:`Ref` inlines back."""

    def __init__(self) -> None:
        self._nonce = secrets.token_hex(8)
        self._refs: list[Ref] = []
        self._pattern = re.compile(f"{_OPEN}{self._nonce}:(\\d+){_CLOSE}")

    def marker(self, text: str, target: str, number: str) -> Markup:
        """A marker for a reference that reads ``text`` and points at ``target``."""
        self._refs.append(Ref(text=text, target=target, number=number if number in text else ""))
        return Markup(f"{_OPEN}{self._nonce}:{len(self._refs) - 1}{_CLOSE}")

    def resolve(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        """The blocks with every marker replaced by its :class:`Ref`."""
        return tuple(self._block(block) for block in blocks)

    def _block(self, block: Block) -> Block:
        if isinstance(block, Heading | Paragraph):
            return replace(block, inlines=self._inlines(block.inlines))
        if isinstance(block, BulletList | OrderedList):
            items = tuple(ListItem(self.resolve(item.blocks)) for item in block.items)
            return replace(block, items=items)
        if isinstance(block, Table):
            return replace(
                block,
                header=self._row(block.header) if block.header else None,
                rows=tuple(self._row(r) for r in block.rows),
                footer=tuple(self._row(r) for r in block.footer),
            )
        if isinstance(block, Section):
            return replace(block, blocks=self.resolve(block.blocks))
        return block

    def _row(self, row: Row) -> Row:
        return replace(row, cells=tuple(Cell(self._inlines(c.inlines)) for c in row.cells))

    def _inlines(self, inlines: tuple[Inline, ...]) -> tuple[Inline, ...]:
        out: list[Inline] = []
        for inline in inlines:
            if isinstance(inline, Text) and inline.keep:
                out.append(inline)  # a date or amount holds no reference
            elif isinstance(inline, Text):
                out.extend(self._split(inline.text))
            elif isinstance(inline, Strong | Emph | Inserted | Deleted):
                out.append(replace(inline, children=self._inlines(inline.children)))
            else:
                out.append(inline)
        return tuple(out)

    def _split(self, text: str) -> list[Inline]:
        out: list[Inline] = []
        position = 0
        for match in self._pattern.finditer(text):
            if match.start() > position:
                out.append(Text(text[position : match.start()]))
            out.append(self._refs[int(match.group(1))])
            position = match.end()
        if position < len(text):
            out.append(Text(text[position:]))
        if any(isinstance(i, Text) and _OPEN in i.text for i in out):
            raise LibraryError(
                problems=[
                    Problem(
                        message=N_("the result of ref() was changed by a filter"),
                        hint=N_("print ref() as it is: {{ ref('clause-id') }}"),
                    )
                ]
            )
        return out
