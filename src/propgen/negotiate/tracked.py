"""Word tracked changes (``w:ins`` / ``w:del``) written as WordprocessingML elements.

The one place propgen writes revision marks, for the redline (the DOCX renderer
wraps the runs of :class:`~propgen.document.Inserted` / ``Deleted`` inlines) and for
a counter-redline of an edited DOCX (:func:`tracked_runs` turns one text into
another as tracked changes). Everything is plain :mod:`lxml`, so it works on any
paragraph, inside a content control or not.

A revision's date is the document's date, never the clock, so a re-render is
byte-identical; ids come from one :class:`RevisionIds` per document part.

API (stable; ``propgen review --counter`` uses it)::

    Revision(author, date_iso)          who and when ("General Counsel", "2026-11-27")
    RevisionIds(start)                  unique w:id values for one part
    insertion(runs, revision, ids)      -> <w:ins> around the runs
    deletion(runs, revision, ids)       -> <w:del> around the runs (w:t -> w:delText)
    mark_paragraph(p, kind, revision, ids)   the paragraph mark itself inserted/deleted
    tracked_runs(before, after, locale=..., revision=..., ids=..., rpr=None)
                                        -> runs, w:ins and w:del turning before into after
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import deepcopy
from dataclasses import dataclass
from typing import Any, Literal

from lxml import etree  # type: ignore[import-untyped]

from propgen.negotiate.diff import diff_text

__all__ = [
    "Revision",
    "RevisionIds",
    "W",
    "deletion",
    "insertion",
    "mark_paragraph",
    "run",
    "tracked_runs",
]

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
Element = Any  # lxml's _Element (lxml ships no type hints)


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass(frozen=True)
class Revision:
    """Who made a change and when: ``author`` (here the role that must approve it)
    and ``date_iso`` (``2026-11-27``, the document's date)."""

    author: str
    date_iso: str

    @property
    def timestamp(self) -> str:
        """The ``w:date`` value: midnight UTC of the date (or the date-time as given)."""
        return self.date_iso if "T" in self.date_iso else f"{self.date_iso}T00:00:00Z"


class RevisionIds:
    """Unique, deterministic ``w:id`` values for the revisions of one document part."""

    def __init__(self, start: int = 1) -> None:
        self.next = start

    def take(self) -> str:
        value, self.next = self.next, self.next + 1
        return str(value)


def _mark(tag: str, revision: Revision, ids: RevisionIds) -> Element:
    return etree.Element(
        _w(tag),
        {_w("id"): ids.take(), _w("author"): revision.author, _w("date"): revision.timestamp},
        nsmap={"w": W},
    )


def insertion(runs: Iterable[Element], revision: Revision, ids: RevisionIds) -> Element:
    """A ``w:ins`` holding ``runs`` (moved into it)."""
    mark = _mark("ins", revision, ids)
    for r in runs:
        mark.append(r)
    return mark


def deletion(runs: Iterable[Element], revision: Revision, ids: RevisionIds) -> Element:
    """A ``w:del`` holding ``runs`` (moved into it); their text becomes deleted text
    (``w:t`` → ``w:delText``, ``w:instrText`` → ``w:delInstrText``), as Word requires."""
    mark = _mark("del", revision, ids)
    for r in runs:
        for text in r.iter(_w("t")):
            text.tag = _w("delText")
        for instr in r.iter(_w("instrText")):
            instr.tag = _w("delInstrText")
        mark.append(r)
    return mark


# CT_PPr's children after w:rPr (ECMA-376 17.3.1.26): the rPr goes before them.
_AFTER_RPR = (_w("sectPr"), _w("pPrChange"))
# CT_PPr's children before w:rPr, for a pPr the paragraph has to gain.
_P_PR = _w("pPr")


def mark_paragraph(
    p: Element, kind: Literal["insert", "delete"], revision: Revision, ids: RevisionIds
) -> None:
    """Mark paragraph ``p``'s own mark inserted or deleted (``w:pPr/w:rPr/w:ins``), so
    accepting a deleted paragraph (or rejecting an inserted one) removes the paragraph
    itself, not just its text."""
    p_pr = p.find(_P_PR)
    if p_pr is None:
        p_pr = etree.Element(_P_PR, nsmap={"w": W})
        p.insert(0, p_pr)
    r_pr = p_pr.find(_w("rPr"))
    if r_pr is None:
        r_pr = etree.Element(_w("rPr"), nsmap={"w": W})
        later = [child for child in p_pr if child.tag in _AFTER_RPR]
        if later:
            later[0].addprevious(r_pr)
        else:
            p_pr.append(r_pr)
    # w:ins / w:del come first in CT_ParaRPr
    r_pr.insert(0, _mark("ins" if kind == "insert" else "del", revision, ids))


def run(text: str, rpr: Element | None = None) -> Element:
    """A ``w:r`` with ``text`` (spaces kept) and a copy of the run properties ``rpr``."""
    r = etree.Element(_w("r"), nsmap={"w": W})
    if rpr is not None:
        r.append(deepcopy(rpr))
    t = etree.SubElement(r, _w("t"))
    t.text = text
    if text != text.strip():
        t.set(_XML_SPACE, "preserve")
    return r


def tracked_runs(
    before: str,
    after: str,
    *,
    locale: str,
    revision: Revision,
    ids: RevisionIds,
    rpr: Element | None = None,
) -> list[Element]:
    """Runs that show ``before`` turning into ``after`` as tracked changes: unchanged
    words as plain runs, removed ones in ``w:del``, new ones in ``w:ins`` (word-level
    for Latin text, character-level for Chinese; see :mod:`propgen.negotiate.diff`).
    Every run gets a copy of ``rpr`` (the paragraph's run formatting), if given."""
    out: list[Element] = []
    for segment in diff_text(before, after, locale):
        r = run(segment.text, rpr)
        if segment.op == "equal":
            out.append(r)
        elif segment.op == "insert":
            out.append(insertion([r], revision, ids))
        else:
            out.append(deletion([r], revision, ids))
    return out
