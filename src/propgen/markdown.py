"""Markdown (CommonMark + tables) into document-model blocks.

Raw HTML is off, so Markdown can only ever produce the model's own blocks;
links and images keep their text only — a document never fetches anything.
Entities (``&amp;``, ``&#x202E;``) are not decoded, so Markdown never produces a
character that is not literally in its source — except quotes: the library's straight
quotes and apostrophes print curly (“…”, ‘…’, it’s), as US typesetting and Chinese
(“”‘’) both want. Only markdown-it's ``smartquotes`` rule runs, not ``replacements``
(which would turn "(c)" into ©); code spans keep their quotes, and so do needs values,
whose quotes are backslash-escaped and so never reach the rule. Markdown that would lose words
(nesting deeper than the parser follows, table rows with more cells than the
header) is refused with :class:`~propgen.errors.LibraryError` rather than dropped.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from markdown_it import MarkdownIt
from markdown_it.rules_block.table import escapedSplit
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from propgen.document import (
    Align,
    Block,
    BulletList,
    Cell,
    ColumnSpec,
    Emph,
    Heading,
    Inline,
    LineBreak,
    ListItem,
    OrderedList,
    Paragraph,
    Row,
    Strong,
    Table,
    Text,
    inline_text,
)
from propgen.errors import LibraryError, Problem
from propgen.table_text import CJK_PADDING, TABLE_CHARACTERS, display_width, widest_phrase
from propgen.unbreakable import split_unbreakable

_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_SOFT_BREAK_CJK = re.compile(rf"(?<=[{_CJK}])\n(?=[{_CJK}])")


@cache
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})
        .enable("table")
        .enable("smartquotes")
        .disable("entity")
    )


@lru_cache(maxsize=2048)
def parse_markdown(text: str, *, top_heading: int = 2) -> tuple[Block, ...]:
    """Parse Markdown into blocks; ``#`` headings become level ``top_heading``.

    Blocks are immutable, so a text parsed once is not parsed again: the workspace's
    live preview re-assembles a deal on every edit, and most of its sections' text
    is the same as the last time. Within a text that changed, the parts that start
    afresh (see :func:`independent_parts`) are cached too: an edited customer name
    re-parses the paragraphs that name the customer, not the whole section.

    Raises:
        LibraryError: the Markdown cannot be parsed without losing text.
    """
    parts = independent_parts(text)
    if len(parts) > 1:
        try:
            return tuple(b for part in parts for b in _parse(part, top_heading))
        except LibraryError:
            pass  # refused: parse the whole text again, so the message has its line numbers
    return _parse(text, top_heading)


_FRESH_START = re.compile(r"\n[ \t]*\n(?=[^ \t\n])")
"""A blank line followed by a line that is not indented."""
_LIST_MARKER = re.compile(r"(?:[-+*]|[0-9]{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_WHOLE_ONLY = re.compile(r"```|~~~|\r|\x00|\]:")
"""Fences (which may hold blank lines), line endings and NULs the parser rewrites,
and link reference definitions (which reach across the whole text)."""


def independent_parts(text: str) -> list[str]:
    """``text`` cut at the blank lines after which CommonMark starts afresh: where the
    next line is not indented (so it continues no list item or code block) and is not
    a list item (which could join the list above into a loose one). Parsing the parts
    one by one gives the same blocks as parsing the whole (``tests/test_markdown_parts``)."""
    if _WHOLE_ONLY.search(text):
        return [text]
    parts: list[str] = []
    start = 0
    for match in _FRESH_START.finditer(text):
        cut = match.end()
        if _LIST_MARKER.match(text, cut):
            continue
        parts.append(text[start:cut])
        start = cut
    parts.append(text[start:])
    return parts


@lru_cache(maxsize=8192)
def _parse(text: str, top_heading: int) -> tuple[Block, ...]:
    _check_table_widths(text)
    tokens = _parser().parse(text)
    _check_nothing_lost(tokens, text)
    tree = SyntaxTreeNode(tokens)
    return tuple(b for node in tree.children for b in _block(node, top_heading))


MAX_TABLE_COLUMNS = 10
"""The most columns a Markdown table may have: more do not fit a portrait page
legibly (and Word's own limit is 63)."""
_DELIMITER_ROW = re.compile(r"^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def _check_table_widths(text: str) -> None:
    """Refuse a table wider than :data:`MAX_TABLE_COLUMNS`, before parsing (which
    slows down sharply with wide tables). A table's delimiter row (``|---|:-:|``)
    has one cell per column."""
    for number, line in enumerate(text.splitlines(), start=1):
        if "-" not in line or "|" not in line or not _DELIMITER_ROW.match(line):
            continue
        columns = line.strip(" \t>").strip("|").count("|") + 1
        if columns > MAX_TABLE_COLUMNS:
            raise _refuse(
                f"the table on line {max(number - 1, 1)} has {columns} columns; at most "
                f"{MAX_TABLE_COLUMNS} fit on a page legibly",
                "split it into several tables, or turn it into a list",
            )


def _refuse(message: str, hint: str) -> LibraryError:
    return LibraryError(problems=[Problem(message=message, hint=hint)])


def _check_nothing_lost(tokens: list[Token], text: str) -> None:
    """markdown-it silently skips what is nested deeper than ``maxNesting`` and table
    cells beyond the header's count; refuse such text instead."""
    limit = int(_parser().options["maxNesting"])
    lines: list[str] | None = None
    columns = 0
    for token in tokens:
        if token.type in ("blockquote_open", "list_item_open") and token.level >= limit - 1:
            raise _refuse(
                f"Markdown nested too deeply on line {(token.map or [0])[0] + 1}: "
                "the text inside would be lost",
                "flatten the lists or quotes",
            )
        if token.type == "thead_open":
            columns = 0
        elif token.type == "th_open":
            columns += 1
        elif token.type == "tr_open" and token.map and columns:
            if lines is None:
                lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            row = token.map[0]
            if row < len(lines):
                extra = _extra_cells(lines[row], columns)
                if extra:
                    raise _refuse(
                        f"table row on line {row + 1} has more cells than the header "
                        f"({columns}); {extra!r} would be lost",
                        "add a header cell for it or escape the | as \\|",
                    )


def _extra_cells(line: str, columns: int) -> str:
    """Text in the cells of a table row beyond the first ``columns``."""
    cells = escapedSplit(line.lstrip(" \t>").strip())
    if cells and cells[0] == "":
        cells.pop(0)
    if cells and cells[-1] == "":
        cells.pop()
    return " | ".join(c.strip() for c in cells[columns:] if c.strip())


def _block(node: SyntaxTreeNode, top: int) -> list[Block]:
    kind = node.type
    if kind == "paragraph":
        return [Paragraph(_inlines(node))]
    if kind == "heading":
        level = min(3, max(top, int(node.tag[1]) - 1 + top - 1))
        return [Heading(level=level, inlines=_inlines(node), in_toc=False)]
    if kind in ("bullet_list", "ordered_list"):
        items = tuple(
            ListItem(tuple(b for child in item.children for b in _block(child, top)))
            for item in node.children
        )
        if kind == "bullet_list":
            return [BulletList(items)]
        start = node.attrs.get("start", 1)
        return [OrderedList(items, start=int(start) if isinstance(start, int | str) else 1)]
    if kind == "table":
        return [_table(node)]
    if kind == "blockquote":
        return [
            Paragraph(b.inlines, style="note") if isinstance(b, Paragraph) else b
            for child in node.children
            for b in _block(child, top)
        ]
    if kind in ("code_block", "fence"):
        return [Paragraph(tuple(_lines(node.content.rstrip("\n"))))]
    if kind == "hr":
        return []  # a rule carries no words
    # Anything else (not produced by this parser's rules today): keep its words.
    inlines = _merge(_inline_list(node.children)) if node.children else ()
    if not inlines and node.content:
        inlines = (Text(node.content),)
    return [Paragraph(inlines)] if inlines else []


def _lines(text: str) -> list[Inline]:
    out: list[Inline] = []
    for index, line in enumerate(text.split("\n")):
        if index:
            out.append(LineBreak())
        out.append(Text(line))
    return out


def _inlines(node: SyntaxTreeNode) -> tuple[Inline, ...]:
    children = (
        node.children[0].children
        if node.children and node.children[0].type == "inline"
        else node.children
    )
    return _merge(_inline_list(children))


def _inline_list(nodes: list[SyntaxTreeNode]) -> list[Inline]:
    out: list[Inline] = []
    for node in nodes:
        kind = node.type
        if kind in ("text", "code_inline"):
            out.append(Text(node.content))
        elif kind == "softbreak":
            out.append(Text("\n"))
        elif kind == "hardbreak":
            out.append(LineBreak())
        elif kind == "strong":
            out.append(Strong(_merge(_inline_list(node.children))))
        elif kind == "em":
            out.append(Emph(_merge(_inline_list(node.children))))
        elif kind in ("link", "image") or node.children:
            out.extend(_inline_list(node.children))
        elif node.content:
            out.append(Text(node.content))
    return out


def _merge(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Join adjacent text runs and turn soft breaks into spaces (none between CJK)."""
    merged: list[Inline] = []
    for inline in inlines:
        if isinstance(inline, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].text + inline.text)
        else:
            merged.append(inline)
    out: list[Inline] = []
    for inline in merged:
        if not isinstance(inline, Text):
            out.append(inline)
            continue
        text = _SOFT_BREAK_CJK.sub("", inline.text).replace("\n", " ")
        out.extend(Text(piece, keep=keep) for piece, keep in split_unbreakable(text) if piece)
    return tuple(out)


def _table(node: SyntaxTreeNode) -> Table:
    header: Row | None = None
    rows: list[Row] = []
    align: list[Align] = []
    for part in node.children:
        for tr in part.children:
            cells = tuple(Cell(_inlines(cell)) for cell in tr.children)
            if part.type == "thead":
                header = Row(cells)
                align = [_align(cell.attrs.get("style")) for cell in tr.children]
            else:
                rows.append(Row(cells))
    columns = len(header.cells) if header else max((len(r.cells) for r in rows), default=1)
    widths = _column_widths([r for r in (header, *rows) if r], columns, node)
    return Table(
        header=header,
        rows=tuple(rows),
        columns=tuple(
            ColumnSpec(align[i] if align else "left", width) for i, width in enumerate(widths)
        ),
    )


MAX_TABLE_CHARACTERS = 80
"""How many characters of figures a table row can hold across a portrait page."""
_FIGURE = re.compile(r"\S*\d\S*")
_WORD = re.compile(r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+")
"""A word that cannot break: Chinese text breaks between any two characters."""
_TEXT_PREFERRED = 24
"""How many characters of a text cell (twelve Chinese) a column is sized for before it
wraps."""


def _column_widths(rows: list[Row], columns: int, node: SyntaxTreeNode) -> tuple[int, ...]:
    """Column weights from the content, in characters.

    Each column needs room for its longest run that cannot break (a figure, a quantity
    with its unit such as "3 business days", the longest word, a short Chinese phrase
    such as 标准级（本方案）: :mod:`propgen.table_text`) and would like room for its text
    up to 24 characters. Widths are in half-width characters: a Chinese character
    counts two. When what the columns would like does not fit across
    the page, the text columns give up room first: a column never gets less than it
    needs, so an amount is never pushed over its cell's edge.

    Raises:
        LibraryError: the figures of one row cannot fit across the page together.
    """
    figures = [0] * columns
    needs = [3] * columns
    likes = [3] * columns
    for row in rows:
        for index, cell in enumerate(row.cells[:columns]):
            text = inline_text(cell.inlines)
            runs = [m for m in _FIGURE.findall(text) if len(m) <= 40]
            runs += [piece for piece, keep in split_unbreakable(text) if keep]
            figure = max(map(display_width, runs), default=0)
            word = max(map(len, _WORD.findall(text)), default=0)
            phrase = widest_phrase(text)
            figures[index] = max(figures[index], figure)
            needs[index] = max(
                needs[index],
                figure + 2 if figure else 0,
                min(word, 40),
                phrase + CJK_PADDING if phrase else 0,
            )
            likes[index] = max(likes[index], min(display_width(text), _TEXT_PREFERRED))
    needed = sum(f + 2 for f in figures if f)
    if needed > MAX_TABLE_CHARACTERS:
        line = (node.map or [0])[0] + 1
        raise _refuse(
            f"the table on line {line} has figures {needed} characters wide together; at "
            f"most {MAX_TABLE_CHARACTERS} fit across a page without breaking a number",
            "use fewer columns, or state large amounts in a list",
        )
    likes = [max(need, like) for need, like in zip(needs, likes, strict=True)]
    room = TABLE_CHARACTERS - sum(needs)
    extra = sum(likes) - sum(needs)
    if sum(likes) <= TABLE_CHARACTERS or extra == 0:
        return tuple(likes)
    # Weights in tenths of a character: the text columns share what room is left.
    share = max(room, 0) / extra
    return tuple(
        round(10 * (need + (like - need) * share)) for need, like in zip(needs, likes, strict=True)
    )


def _align(style: object) -> Align:
    text = str(style or "")
    if "right" in text:
        return "right"
    if "center" in text:
        return "center"
    return "left"
