"""The HTML renderer: a :class:`~propgen.document.Document` as one HTML page.

The page is built by code from the model; every text value goes through
:func:`html.escape`, nothing is ever rendered as a template and no raw HTML passes
through. The same markup feeds the PDF renderer (WeasyPrint with
``theme/print.css``); :func:`render_html` additionally inlines the stylesheet and
the logo so the page stands alone.

Running header and footer texts are put on ``<body>`` as ``data-*`` attributes and
picked up by the stylesheet with ``string-set``, so ``print.css`` stays locale
neutral.
"""

from __future__ import annotations

import base64
import mimetypes
import os
import re
from html import escape
from pathlib import Path
from typing import assert_never

from propgen.confined import check_confined, read_confined
from propgen.document import (
    Block,
    BulletList,
    Cell,
    Deleted,
    Document,
    Emph,
    Heading,
    Inline,
    Inserted,
    LineBreak,
    Meta,
    OrderedList,
    PageBreak,
    Paragraph,
    Parallel,
    Ref,
    Row,
    Section,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    TableOfContents,
    Text,
    inline_text,
    iter_blocks,
    whole_change,
)
from propgen.errors import LibraryError
from propgen.table_text import CJK_PADDING, TABLE_CHARACTERS, display_width, split_phrases

__all__ = ["build_html", "render_html"]

STYLESHEET = "print.css"
BASELINE_CSS = (
    "html { overflow-wrap: break-word } "
    ".nobr { white-space: nowrap; overflow-wrap: normal }"  # a number in a table cell
)
"""Applied by the PDF renderer before the theme's stylesheet (which may override it
element by element): a word longer than its line (a URL, an IBAN, a name without
spaces) wraps instead of running off the page, where it would be neither seen nor
extracted. ``break-word`` rather than ``anywhere``: the two break a word at the same
place, but ``anywhere`` also lets a table column or margin box shrink to one character,
and WeasyPrint measures that with a text layout per character of every table cell and
running header (about a sixth of a proposal's PDF time). When a word is too long for
its column even so, the renderer lays the document out again with
:data:`ANYWHERE_CSS` (:mod:`propgen.render.page_overflow`)."""
ANYWHERE_CSS = (
    "html { overflow-wrap: anywhere } .nobr { white-space: nowrap; overflow-wrap: normal }"
)
""":data:`BASELINE_CSS` for a document whose words do not fit their table columns or
margin boxes: columns may shrink to one character, so nothing runs off the page."""
_W3C_DATE = re.compile(
    r"\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?"
)


def render_html(document: Document, theme_dir: Path) -> str:
    """A complete standalone HTML page for the document (stylesheet linked or inlined)."""
    return build_html(document, theme_dir, standalone=True)


def build_html(document: Document, theme_dir: Path, *, standalone: bool) -> str:
    """The page's markup.

    ``standalone`` inlines ``print.css`` and the logo (as a ``data:`` URI); otherwise
    the logo is referenced relative to ``theme_dir`` (the caller's base URL) and no
    stylesheet is linked, because the PDF renderer passes its cached one.
    """
    return _Writer(document, theme_dir, standalone=standalone).page()


_CN_DIGITS = "一二三四五六七八九"
_CN_COUNTING = ", ".join(
    [f"{10 * t} {_CN_DIGITS[t - 1] if t > 1 else ''}十" for t in range(9, 0, -1)]
    + [f"{d} {_CN_DIGITS[d - 1]}" for d in range(9, 0, -1)]
)
LIST_CSS = (
    # 一 … 十, 十一 … 九十九 (additive: 十 + 一 = 十一), in full-width parentheses
    f"@counter-style cjk-paren {{ system: additive; additive-symbols: {_CN_COUNTING}; "
    'prefix: "（"; suffix: "）"; } '
    '@counter-style paren-decimal { system: extends decimal; prefix: "（"; suffix: "）"; } '
    "ol.n-cjk-paren { list-style-type: cjk-paren; padding-left: 3.2em } "
    "ol.n-cjk-paren.n-long { padding-left: 4.2em } "
    "ol.n-paren-decimal { list-style-type: paren-decimal; padding-left: 2.6em } "
    '@counter-style paren-lower-alpha { system: extends lower-alpha; prefix: "("; suffix: ") "; } '
    '@counter-style paren-lower-roman { system: extends lower-roman; prefix: "("; suffix: ") "; } '
    "ol.n-paren-lower-alpha { list-style-type: paren-lower-alpha; padding-left: 2.2em } "
    "ol.n-paren-lower-roman { list-style-type: paren-lower-roman; padding-left: 2.6em } "
)
"""How :class:`~propgen.document.OrderedList` numberings count (the model's
``numbering``), part of every page whatever the theme: a list's numbers are content
a party cites, not decoration."""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _esc_text(text: str) -> str:
    return escape(text, quote=False)


_CJK_TAIL = re.compile(r"[\u3400-\u9fff]{3}$")
"""The last three characters of a Chinese title ("建议书", "服务合同")."""


def _cover_title(title: str) -> str:
    """A cover title whose last line is never one or two Chinese characters: a title
    ending in Chinese keeps its last three together, so "关于……方案的建议书" wraps
    before 建议书 rather than leaving 书 alone on the second line."""
    tail = _CJK_TAIL.search(title)
    if tail is None or tail.start() == 0:
        return _esc_text(title)
    head = title[: tail.start()]
    return f'{_esc_text(head)}<span class="nobr">{_esc_text(tail.group())}</span>'


_NUMBER = re.compile(
    r"(?<![^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])"
    r"(?=[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]*\d)"
    r"[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]{1,40}"
    r"(?![^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef])"
)
"""A run without spaces or Chinese characters holding a digit (``$1,234.00``,
``-12.5%``, ``¥1,542,431.92``, the ``3101`` of ``账号：3101``), up to 40 characters:
longer runs (an IBAN, a URL) may still wrap anywhere, and Chinese text around a
number still wraps as Chinese does."""


def _esc_numbers(text: str) -> str:
    """Escaped text in which every number is kept on one line."""
    out, last = [], 0
    for match in _NUMBER.finditer(text):
        out.append(_esc_text(text[last : match.start()]))
        out.append(f'<span class="nobr">{_esc_text(match.group())}</span>')
        last = match.end()
    out.append(_esc_text(text[last:]))
    return "".join(out)


_WHOLE_CELL = re.compile(r'<span class="nobr">([^<]*\S[^<]*)</span>')
"""A table cell's markup that is one run kept on one line (an amount, a date, a kept
Chinese phrase): the cell takes the ``nobr`` class itself, and WeasyPrint lays it out
as it laid out the span, with one inline box fewer per cell."""


def _esc_cell(text: str, room: float) -> str:
    """Escaped text of a table cell whose column holds ``room`` half-width characters:
    every number kept on one line, and every Chinese phrase the column holds
    (:mod:`propgen.table_text`; a longer one may still break, rather than overflow)."""
    out = []
    for piece, kept in split_phrases(text):
        if kept and display_width(piece) + CJK_PADDING <= room:
            out.append(f'<span class="nobr">{_esc_text(piece)}</span>')
        else:
            out.append(_esc_numbers(piece))
    return "".join(out)


def _number(inlines: tuple[Inline, ...], number: str) -> str:
    """A clause or sub-clause number; inserted or deleted with its paragraph when a
    redline inserted or deleted the whole paragraph."""
    text = _esc_text(number)
    change = whole_change(inlines)
    if change:
        tag = "ins" if change == "inserted" else "del"
        text = f"<{tag}>{text}</{tag}>"
    return f'<span class="num">{text}</span>'


def _w3c_date(date_iso: str) -> str:
    """The date for ``dcterms.*`` if it is a W3C date (all WeasyPrint accepts), else ""."""
    date = date_iso.strip()
    return date if _W3C_DATE.fullmatch(date) else ""


def _spaced(label: str, *, before: bool, after: bool) -> str:
    """Pad a page label with spaces where it meets a number (``Page`` -> ``Page ``)."""
    if not label:
        return label
    if before and label[0].isascii() and label[0].isalnum():
        label = " " + label
    if after and label[-1].isascii() and label[-1].isalnum():
        label += " "
    return label


def _watermark_size(mark: str) -> str:
    """A size class so a long mark still fits across the page (wide glyphs count 2)."""
    units = sum(1 if ch.isascii() else 2 for ch in mark.strip())
    for limit, cls in ((8, ""), (14, " wm-m"), (22, " wm-l")):
        if units <= limit:
            return cls
    return " wm-xl"


def _running_attrs(meta: Meta) -> str:
    """``data-*`` attributes that the stylesheet turns into running header/footer."""
    footer = f"{meta.footer} · " if meta.footer.strip() else ""
    attrs = {
        "data-header": meta.header,
        "data-footer": footer,
        "data-page-label": _spaced(meta.page_label, before=False, after=True),
        "data-of-label": _spaced(meta.of_label, before=True, after=True),
        "data-page-suffix": meta.page_suffix,
    }
    return " ".join(f'{k}="{_e(v)}"' for k, v in attrs.items())


class _Writer:
    def __init__(self, document: Document, theme_dir: Path, *, standalone: bool) -> None:
        self.doc = document
        self.meta = document.meta
        self.theme_dir = theme_dir
        self.standalone = standalone
        self.across = 1.0  # the share of the page's width the current block has
        self.anchors = self._assign_anchors()
        self.heading_index = 0
        self.out: list[str] = []

    # --- anchors and table of contents --------------------------------------

    def _printed(self) -> tuple[Block, ...]:
        """Every block in the order printed: the preface, then the body."""
        return (*self.doc.preface, *self.doc.blocks)

    def _assign_anchors(self) -> list[str]:
        """One unique anchor per heading, in document order (stable per document)."""
        seen: set[str] = set()
        anchors: list[str] = []
        headings = [b for b in iter_blocks(self._printed()) if isinstance(b, Heading)]
        for index, heading in enumerate(headings, start=1):
            base = heading.anchor.strip() or f"h-{index}"
            anchor, n = base, 2
            while anchor in seen:
                anchor, n = f"{base}-{n}", n + 1
            seen.add(anchor)
            anchors.append(anchor)
        return anchors

    def _toc(self, toc: TableOfContents) -> None:
        headings = [b for b in iter_blocks(self._printed()) if isinstance(b, Heading)]
        w = self.out.append
        w(f'<nav class="toc"><div class="toc-title">{_esc_text(toc.title)}</div><ul>')
        for heading, anchor in zip(headings, self.anchors, strict=True):
            if not heading.in_contents:
                continue
            num = f'<span class="toc-num">{_esc_text(heading.number)}</span>'
            text = _esc_text(inline_text(heading.inlines))
            w(
                f'<li class="toc-l{max(heading.level, 1)}"><a href="#{_e(anchor)}">'
                f'{num if heading.number else ""}<span class="toc-text">{text}</span></a></li>'
            )
        w("</ul></nav>")

    # --- page ------------------------------------------------------------------

    def page(self) -> str:
        meta = self.meta
        w = self.out.append
        w("<!DOCTYPE html>\n")
        w(f'<html lang="{_e(meta.locale)}" class="kind-{_e(meta.kind)}"><head>')
        w('<meta charset="utf-8">')
        w(f"<title>{_esc_text(meta.title)}</title>")
        metas = [("author", meta.author), ("description", meta.subtitle)]
        metas += [("generator", "propgen")]
        if meta.keywords:
            metas.append(("keywords", ", ".join(meta.keywords)))
        date = _w3c_date(meta.date_iso)
        metas += [("dcterms.created", date), ("dcterms.modified", date)]
        for name, content in metas:
            if content:
                w(f'<meta name="{_e(name)}" content="{_e(content)}">')
        # the list numberings travel with the markup (WeasyPrint reads @counter-style
        # rules from the document's own style sheets)
        w(f"<style>{LIST_CSS}{self._inline_css() if self.standalone else ''}</style>")
        w(f"</head><body {_running_attrs(meta)}>")
        if meta.watermark.strip():
            size = _watermark_size(meta.watermark)
            w(f'<div class="watermark{size}" aria-hidden="true">{_esc_text(meta.watermark)}</div>')
        if self.doc.preface:  # before the cover, ending its own page
            w('<section class="preface" style="break-after: page">')
            self._blocks(self.doc.preface)
            w("</section>")
        self._cover()
        logo = self.logo_src()
        if logo:  # a running element: the small logo in every body page's header
            w(f'<div class="header-logo"><img src="{_e(logo)}" alt=""></div>')
        w('<main class="body">')
        self._blocks(self.doc.blocks)
        w("</main></body></html>\n")
        return "".join(self.out)

    def _inline_css(self) -> str:
        path = self.theme_dir / STYLESHEET
        if not os.path.lexists(path):
            return ""
        css = read_confined(self.theme_dir, path).decode("utf-8", "replace")
        return css.replace("</", "<\\/")

    def logo_src(self) -> str:
        """The logo's URL, or "" when there is none inside the theme folder."""
        if not self.meta.logo.strip():
            return ""
        root = self.theme_dir.resolve()
        try:
            path = check_confined(root, root / self.meta.logo)
        except LibraryError:
            return ""
        if not self.standalone:
            return path.relative_to(root).as_posix()
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        data = base64.b64encode(read_confined(root, path)).decode("ascii")
        return f"data:{mime};base64,{data}"

    def _cover(self) -> None:
        meta = self.meta
        w = self.out.append
        notice = meta.notice.strip()
        # A cover with a notice starts its title higher: the notice must fit on it.
        w(f'<section class="cover{" with-notice" if notice else ""}">')
        # A running element (the cover pages' footer): first, so every cover page has it.
        w(f'<div class="cover-foot">{_esc_text(meta.seller_name)}</div><div class="cover-top">')
        logo = self.logo_src()
        if logo:
            w(f'<img class="cover-logo" src="{_e(logo)}" alt="{_e(meta.seller_name)}">')
        else:
            w(f'<div class="cover-seller-mark">{_esc_text(meta.seller_name)}</div>')
        w("</div>")
        w(f'<div class="cover-title">{_cover_title(meta.title)}</div>')
        if meta.subtitle:
            w(f'<div class="cover-subtitle">{_esc_text(meta.subtitle)}</div>')
        if meta.customer_name:
            w(f'<div class="cover-customer">{_esc_text(meta.customer_name)}</div>')
        if meta.cover_lines:
            w('<table class="cover-lines">')
            for line in meta.cover_lines:
                w(f"<tr><th>{_esc_text(line.label)}</th><td>{_esc_text(line.value)}</td></tr>")
            w("</table>")
        if notice:
            w(f'<div class="notice cover-notice">{_esc_text(notice)}</div>')
        w("</section>")

    # --- blocks ----------------------------------------------------------------

    def _blocks(self, blocks: tuple[Block, ...]) -> None:
        rows: list[Parallel] = []  # consecutive bilingual rows make one table
        for block in blocks:
            if isinstance(block, Parallel):
                rows.append(block)
                continue
            if rows:
                self._parallel(rows)
                rows = []
            self._block(block)
        if rows:
            self._parallel(rows)

    def _parallel(self, rows: list[Parallel]) -> None:
        """Bilingual rows as one two-column table: each column in its own language
        (``lang`` picks its fonts), a row's two sides always level with each other."""
        w = self.out.append
        w('<table class="parallel"><colgroup><col><col></colgroup><tbody>')
        self.across = 0.5
        for row in rows:
            heading = any(isinstance(b, Heading) for c in row.columns for b in c.blocks)
            w(f'<tr class="{"pr-heading" if heading else "pr-body"}">')
            for column in row.columns:
                w(f'<td lang="{_e(column.locale)}">')
                self._blocks(column.blocks)
                w("</td>")
            w("</tr>")
        w("</tbody></table>")
        self.across = 1.0

    def _block(self, block: Block) -> None:
        w = self.out.append
        match block:
            case Heading():
                self._heading(block)
            case Paragraph():
                self._paragraph(block)
            case BulletList() | OrderedList():
                self._list(block)
            case Table():
                self._table(block)
            case Section():
                w(f'<section class="src" data-source="{_e(block.source_id)}">')
                self._blocks(block.blocks)
                w("</section>")
            case SignatureBlock():
                self._signatures(block)
            case TableOfContents():
                self._toc(block)
            case PageBreak():
                w('<div class="page-break"></div>')
            case Parallel():
                self._parallel([block])
            case _:
                assert_never(block)

    def _list(self, block: BulletList | OrderedList) -> None:
        w = self.out.append
        if isinstance(block, OrderedList):
            start = f' start="{block.start}"' if block.start != 1 else ""
            numbering = f' class="n-{block.numbering}"' if block.numbering != "decimal" else ""
            if block.numbering == "cjk-paren" and block.start + len(block.items) > 11:
                numbering = ' class="n-cjk-paren n-long"'  # （十一） needs a wider margin
            w(f"<ol{start}{numbering}>")
        else:
            w("<ul>")
        for item in block.items:
            w("<li>")
            self._blocks(item.blocks)
            w("</li>")
        w("</ol>" if isinstance(block, OrderedList) else "</ul>")

    def _heading(self, heading: Heading) -> None:
        anchor = self.anchors[self.heading_index]
        self.heading_index += 1
        level = min(max(heading.level, 1), 3)
        classes = " ".join(
            name
            for name, wanted in (("no-toc", not heading.in_toc), ("new-page", heading.new_page))
            if wanted
        )
        cls = f' class="{classes}"' if classes else ""
        num = _number(heading.inlines, heading.number) if heading.number else ""
        body = self._inlines(heading.inlines)
        self.out.append(f'<h{level} id="{_e(anchor)}"{cls}>{num}{body}</h{level}>')

    def _paragraph(self, para: Paragraph) -> None:
        cls = f"p-{para.style}"
        if para.number:
            cls += " numbered"
            num = _number(para.inlines, para.number)
        else:
            num = ""
        self.out.append(f'<p class="{_e(cls)}">{num}{self._inlines(para.inlines)}</p>')

    def _inlines(self, inlines: tuple[Inline, ...], *, room: float | None = None) -> str:
        """Inline HTML; in a table cell, whose column holds ``room`` half-width
        characters, a number never breaks, nor a Chinese phrase the column holds."""
        parts: list[str] = []
        for inline in inlines:
            match inline:
                case Text() if inline.keep:  # a date, amount, phone number …
                    parts.append(f'<span class="nobr">{_esc_text(inline.text)}</span>')
                case Text() | Ref():  # a cross-reference reads as its text
                    text = inline.text
                    parts.append(_esc_text(text) if room is None else _esc_cell(text, room))
                case Strong():
                    inner = self._inlines(inline.children, room=room)
                    parts.append(f"<strong>{inner}</strong>")
                case Emph():
                    inner = self._inlines(inline.children, room=room)
                    parts.append(f"<em>{inner}</em>")
                case LineBreak():
                    parts.append("<br>")
                case Inserted() | Deleted():
                    inner = self._inlines(inline.children, room=room)
                    tag = "ins" if isinstance(inline, Inserted) else "del"
                    parts.append(f'<{tag} title="{_e(inline.author)}">{inner}</{tag}>')
                case _:
                    assert_never(inline)
        return "".join(parts)

    # --- tables ----------------------------------------------------------------

    def _table(self, table: Table) -> None:
        w = self.out.append
        ncols = max(
            [len(table.columns)]
            + [len(r.cells) for r in (table.header, *table.rows, *table.footer) if r]
        )
        widths = [column.width for column in table.columns]
        total = sum(widths)
        fixed = len(widths) == ncols and total > 0 and min(widths) >= 0
        # Known widths: fixed layout, which also spares measuring every cell.
        if table.caption:
            # A paragraph kept with the table, not <caption>: WeasyPrint may break a page
            # between a caption and its table, leaving the caption alone at the foot.
            w(f'<p class="t-caption">{_esc_text(table.caption)}</p>')
        w(f'<table class="t t-{_e(table.role)}{" fixed" if fixed else ""}">')
        if fixed:
            w("<colgroup>")
            for weight in widths:
                w(f'<col style="width: {100 * weight / total:.2f}%">')
            w("</colgroup>")
        if table.header is not None:
            w("<thead>")
            self._row(table, table.header, "th")
            w("</thead>")
        w("<tbody>")
        for row in table.rows:
            self._row(table, row, "td")
        w("</tbody>")
        if table.footer:
            # Not <tfoot>: WeasyPrint repeats that on every page.
            w('<tbody class="t-foot">')
            for row in table.footer:
                self._row(table, row, "td")
            w("</tbody>")
        w("</table>")

    def _row(self, table: Table, row: Row, tag: str) -> None:
        cells = "".join(self._cell(table, i, cell, tag) for i, cell in enumerate(row.cells))
        self.out.append(f'<tr class="r-{_e(row.style)}">{cells}</tr>')

    def _room(self, table: Table, index: int) -> float:
        """How many half-width characters column ``index`` holds (none when the table
        gives no widths): a bilingual contract's tables are half the page wide."""
        widths = [column.width for column in table.columns]
        if index >= len(widths) or min(widths, default=0) < 0 or sum(widths) <= 0:
            return 0
        return TABLE_CHARACTERS * self.across * widths[index] / sum(widths)

    def _cell(self, table: Table, index: int, cell: Cell, tag: str) -> str:
        align = table.column(index).align
        body = self._inlines(cell.inlines, room=self._room(table, index))
        whole = _WHOLE_CELL.fullmatch(body)
        if whole:  # the cell is one kept run: the class on the cell, no span to lay out
            return f'<{tag} class="a-{_e(align)} nobr">{whole.group(1)}</{tag}>'
        return f'<{tag} class="a-{_e(align)}">{body}</{tag}>'

    # --- signatures --------------------------------------------------------------

    def _signatures(self, block: SignatureBlock) -> None:
        w = self.out.append
        w('<div class="signatures"><table class="sig">')
        sigs: list[Signatory | None] = list(block.signatories)
        if len(sigs) % 2:
            sigs.append(None)
        for i in range(0, len(sigs), 2):
            w("<tr>")
            for sig in sigs[i : i + 2]:
                w(self._signatory(sig) if sig else '<td class="signatory"></td>')
            w("</tr>")
        w("</table></div>")

    def _signatory(self, sig: Signatory) -> str:
        # The signature and seal areas are marked so a signable PDF can place its
        # form fields on them (propgen.render.signature_fields).
        sign = f' data-field="{_e(sig.field)}_Signature"' if sig.field else ""
        lines = "".join(
            f"<tr><th>{'<br>'.join(map(_esc_text, label.split(chr(10))))}</th>"
            f'<td class="sig-rule"{sign if i == 0 else ""}></td></tr>'
            for i, label in enumerate(sig.lines)
        )
        seal = f' data-field="{_e(sig.field)}_Seal"' if sig.field and sig.sealed else ""
        return (
            f'<td class="signatory"{seal}><div class="sig-heading">{_esc_text(sig.heading)}</div>'
            f'<div class="sig-party">{_esc_text(sig.party)}</div>'
            f'<table class="sig-lines">{lines}</table></td>'
        )
