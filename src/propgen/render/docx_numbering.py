"""Contract clauses as a real Word list, cross-references as REF fields.

The frame's "Clause Heading" and "Subclause" styles are levels 1 and 2 of one
multi-level list (numId 3): ``1.``/``1.1`` in English, ``第一条`` (Word's
``chineseCounting``) and ``1.1`` (``isLgl``) in Chinese. Word computes those numbers,
so a clause inserted in Word renumbers the ones after it, and ``REF`` fields to the
clauses' bookmarks follow them. Chinese sub-clauses use a second instance of the
list whose level 1 is Arabic, since LibreOffice (7.4) does not honour ``isLgl``.

The list is only used when the numbers propgen assigned are exactly the ones the
list produces (clauses counted from 1, sub-clauses from N.1); anything else keeps
its typed numbers, so the DOCX never says other numbers than the PDF.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from propgen import document as dm
from propgen.locale import chinese_number
from propgen.locales import is_chinese

CLAUSE_NUM_ID = "3"
"""The frame's clause list (``tools/build_frame.py``)."""


def clause_label(n: int, chinese: bool) -> str:
    """What the clause list prints for clause ``n``."""
    return f"第{chinese_number(n)}条" if chinese else f"{n}."


def uses_clause_list(document: dm.Document) -> bool:
    """True when the document's clause and sub-clause numbers are the list's own."""
    chinese = is_chinese(document.meta.locale)
    clause = 0
    found = False
    for block in dm.iter_blocks(document.blocks):
        if isinstance(block, dm.Heading | dm.Paragraph) and dm.whole_change(block.inlines) == (
            "deleted"
        ):
            continue  # a redline's deleted clause or sub-clause: no longer counted
        if isinstance(block, dm.Heading) and block.number:
            clause += 1
            if block.level != 1 or block.number != clause_label(clause, chinese):
                return False
            sub, found = 0, True
        elif isinstance(block, dm.Paragraph) and block.number:
            sub += 1
            if not clause or block.number != f"{clause}.{sub}" or block.style != "body":
                return False
    return found


def bind_clause_list(numbering: Any, styles: Any, locale: str) -> None:
    """Point the clause list at the frame's definition for the locale
    (``w:abstractNum`` named "Clauses en-US" / "Clauses zh-CN").

    Chinese sub-clauses get their own instance of the same list, whose level 1 is
    Arabic (:func:`_arabic_parent_instance`): "9.2" under 第九条 in Word and in
    LibreOffice 7.4, which ignores ``w:isLgl``.
    """
    wanted = "zh-CN" if is_chinese(locale) else "en-US"
    found = numbering.xpath(f'w:abstractNum[w:name/@w:val="Clauses {wanted}"]/@w:abstractNumId')
    nums = numbering.xpath(f'w:num[@w:numId="{CLAUSE_NUM_ID}"]/w:abstractNumId')
    if not (found and nums):
        return
    nums[0].set(qn("w:val"), found[0])
    if is_chinese(locale):
        _arabic_parent_instance(numbering, styles, found[0])


def _arabic_parent_instance(numbering: Any, styles: Any, abstract_id: str) -> None:
    """A second ``w:num`` of the clause list, level 1 overridden to Arabic, bound to
    the Subclause style. Instances of one abstract list share its counters (Word and
    LibreOffice), so a sub-clause still counts the clause headings before it, and
    its ``%1.%2`` reads "9.2" where the headings' own instance prints 第九条."""
    first = numbering.xpath(f'w:abstractNum[@w:abstractNumId="{abstract_id}"]/w:lvl[@w:ilvl="0"]')
    subclause = styles.xpath('w:style[@w:styleId="Subclause"]/w:pPr/w:numPr/w:numId')
    if not (first and subclause):
        return
    num_id = str(max(int(n) for n in numbering.xpath("w:num/@w:numId")) + 1)
    arabic = deepcopy(first[0])
    arabic.find(qn("w:numFmt")).set(qn("w:val"), "decimal")
    arabic.find(qn("w:lvlText")).set(qn("w:val"), "%1.")
    override = OxmlElement("w:lvlOverride", {qn("w:ilvl"): "0"})
    override.append(arabic)
    num = OxmlElement("w:num", {qn("w:numId"): num_id})
    num.append(OxmlElement("w:abstractNumId", {qn("w:val"): abstract_id}))
    num.append(override)
    numbering.append(num)
    subclause[0].set(qn("w:val"), num_id)


def subclause_bookmarks(document: dm.Document) -> dict[str, str]:
    """Hidden Word bookmark names (``_Ref…``) for anchored paragraphs, by anchor."""
    names: dict[str, str] = {}
    for block in dm.iter_blocks(document.blocks):
        if isinstance(block, dm.Paragraph) and block.anchor and block.anchor not in names:
            names[block.anchor] = f"_RefSub{len(names) + 1:05d}"
    return names


def ref_instruction(bookmark: str, sub_clause: bool) -> str:
    r"""A REF field's instruction: the target's paragraph number, as a link.
    ``\w`` (full context) for sub-clauses, so "9.2" stays "9.2" referenced from 9.5."""
    if not re.fullmatch(r"[A-Za-z_][0-9A-Za-z_]{0,39}", bookmark):
        raise ValueError(f"not a Word bookmark name: {bookmark!r}")
    switch = "\\w" if sub_clause else "\\r"
    return f" REF {bookmark} {switch} \\h "


_LEGAL_FORMATS = {
    "zh": (
        ("chineseCounting", "（%1）", 840, 840),
        ("decimal", "%2.", 1260, 420),
        ("decimal", "（%3）", 1760, 420),
    ),
    "en": (
        ("lowerLetter", "(%1)", 567, 567),
        ("decimal", "%2.", 1000, 420),
        ("lowerRoman", "(%3)", 1500, 500),
    ),
}
"""Per legal family (:data:`propgen.legal_lists.FAMILIES`), each level's Word format,
text, indent and hanging indent."""


def legal_list_xml(abstract_id: str, family: str = "zh") -> str:
    """A ``w:abstractNum`` numbering items as PRC contracts do: （一） (Word's
    ``chineseCounting``: 一 … 十, 十一), inside it ``1.``, inside that （1）; or, for
    the ``en`` family (the English column beside them), (a), 1., (i)."""
    from docx.oxml.ns import nsdecls

    levels = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{left}" w:hanging="{hanging}"/></w:pPr></w:lvl>'
        for i, (fmt, text, left, hanging) in enumerate(_LEGAL_FORMATS[family])
    )
    name = "Legal list zh-CN" if family == "zh" else "Legal list en (zh-CN drafting)"
    return (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
        f'<w:multiLevelType w:val="multilevel"/><w:name w:val="{name}"/>'
        f"{levels}</w:abstractNum>"
    )
