"""A counter-redline: the edited DOCX with every change that still needs approval
reverted as Word tracked changes, ready to send back.

Per section needing approval, the edited paragraphs are aligned with the approved
ones (difflib on their text): a changed paragraph is rewritten as the customer's
words turning back into ours (``w:del``/``w:ins``, words for Latin text, characters
for Chinese: :mod:`propgen.negotiate.tracked`, as the redline); a paragraph the
customer added is marked deleted, one they removed is inserted again, a deleted
clause is inserted whole where it stood; new text outside any clause is marked
deleted. Everything else in the file is left byte for byte. A rewritten paragraph
keeps its style and bookmarks; its cross-reference fields become plain text.
"""

from __future__ import annotations

import zipfile
from copy import deepcopy
from difflib import SequenceMatcher
from io import BytesIO
from pathlib import Path
from typing import Any

from lxml import etree  # type: ignore[import-untyped]

from propgen.negotiate.tracked import (
    Revision,
    RevisionIds,
    insertion,
    mark_paragraph,
    run,
    tracked_runs,
)
from propgen.review import Review
from propgen.review.docx_read import Para, W, read_members
from propgen.review.sections import ExpectedSection, normalise

_KEEP = (f"{W}pPr", f"{W}bookmarkStart", f"{W}bookmarkEnd")


def counter_date(review: Review) -> str:
    """The date the counter-redline's changes carry when none is given: the latest of
    the record's document date and the dates the edited file records (its last save,
    its latest tracked change). A reply is never dated before what it answers, and
    the same edited file and record always give the same date, so the same bytes."""
    saved = review.basis.docx.latest_date if review.basis else ""
    return max(review.date, saved)


def counter_docx(edited: Path, review: Review, *, author: str, date_iso: str) -> bytes:
    """The counter-redline of ``edited`` (reviewed as ``review``) as DOCX bytes."""
    basis = review.basis
    assert basis is not None, "review_docx keeps what the counter-redline needs"
    root = basis.docx.root
    used = [int(v) for v in root.xpath("//w:ins/@w:id | //w:del/@w:id", namespaces=_NS)]
    writer = _Writer(Revision(author, date_iso), RevisionIds(max(used, default=0) + 1000), review)
    expected = {s.id: s for s in basis.expected}
    order = [s.id for s in basis.expected]
    for section in review.sections:
        if not section.needs_approval:
            continue
        want = expected[section.id]
        found = basis.alignment.found.get(section.id)
        if found is None:
            anchor = _anchor_before(order, section.id, basis.alignment.found)
            writer.insert_after(anchor, list(want.shown), styles=_clause_styles(basis))
        else:
            writer.revert(found.paragraphs, want)
    for loose in basis.alignment.added:
        for para in loose.paragraphs:
            writer.delete(para)
    document = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return _repack(edited, {"word/document.xml": document})


_NS = {"w": W[1:-1]}


def _clause_styles(basis: Any) -> list[Any]:
    """Paragraph properties for a clause put back whole: a present clause's heading's
    and its first paragraph's."""
    clauses = [s.id for s in basis.expected if s.is_clause]
    for found in (basis.alignment.found[c] for c in clauses if c in basis.alignment.found):
        paras = [p for p in found.paragraphs if p.text.strip()]
        if len(paras) >= 2 and paras[0].heading and not paras[1].heading:
            return [paras[0].element.find(f"{W}pPr"), paras[1].element.find(f"{W}pPr")]
    return []


def _anchor_before(order: list[str], section_id: str, found: dict[str, Any]) -> Any:
    """The last paragraph of the nearest section before ``section_id`` still there."""
    for other in reversed(order[: order.index(section_id)]):
        if other in found and found[other].paragraphs:
            return found[other].paragraphs[-1].element
    return None


class _Writer:
    def __init__(self, revision: Revision, ids: RevisionIds, review: Review) -> None:
        self.revision, self.ids, self.locale = revision, ids, review.locale

    def revert(self, paras: list[Para], want: ExpectedSection) -> None:
        have = [p for p in paras if normalise(p.text)]
        ours = [normalise(p.text) for p in have]
        matcher = SequenceMatcher(None, list(want.paragraphs), ours, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            pairs = min(i2 - i1, j2 - j1)
            for k in range(pairs):
                self.rewrite(have[j1 + k], want.shown[i1 + k])
            for k in range(j1 + pairs, j2):
                self.delete(have[k])
            if i2 - i1 > pairs:
                anchor = have[j1 + pairs - 1].element if j1 + pairs > 0 else None
                if anchor is None and have:
                    anchor = have[0].element
                    before = True
                else:
                    before = False
                self.insert_after(anchor, list(want.shown[i1 + pairs : i2]), before=before)

    def rewrite(self, para: Para, text: str) -> None:
        p = para.element
        first = p.find(f".//{W}r/{W}rPr")
        rpr = deepcopy(first) if first is not None else None
        for child in list(p):
            if child.tag not in _KEEP:
                p.remove(child)
        runs = tracked_runs(
            normalise(para.shown, fold=False),
            text,
            locale=self.locale,
            revision=self.revision,
            ids=self.ids,
            rpr=rpr,
        )
        for element in runs:
            p.append(element)

    def delete(self, para: Para) -> None:
        self.rewrite(para, "")
        mark_paragraph(para.element, "delete", self.revision, self.ids)

    def insert_after(
        self,
        anchor: Any,
        texts: list[str],
        *,
        before: bool = False,
        styles: list[Any] | None = None,
    ) -> None:
        """New paragraphs, marked inserted, after (or ``before``) ``anchor``'s block;
        styled as ``anchor`` or, given ``styles``, the first as ``styles[0]`` and the
        others as ``styles[1]``."""
        if anchor is None or not texts:
            return
        block = anchor
        while block.getparent() is not None and block.getparent().tag not in (
            f"{W}body",
            f"{W}sdtContent",
        ):
            block = block.getparent()  # out of a table: after the table
        last = block
        for index, text in enumerate(texts):
            p = etree.Element(f"{W}p")
            style = styles[min(index, len(styles) - 1)] if styles else anchor.find(f"{W}pPr")
            if style is not None:
                p.append(deepcopy(style))
                for change in p.iter(f"{W}ins", f"{W}del"):
                    change.getparent().remove(change)
            p.append(insertion([run(text)], self.revision, self.ids))
            mark_paragraph(p, "insert", self.revision, self.ids)
            if before and index == 0:
                block.addprevious(p)
            else:
                last.addnext(p)
            last = p


def _repack(path: Path, replaced: dict[str, bytes]) -> bytes:
    """``path``'s archive with ``replaced`` members, the rest copied as they were."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in read_members(path):
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            archive.writestr(member, replaced.get(info.filename, data))
    return out.getvalue()
