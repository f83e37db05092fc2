"""Finding each section of the document in the edited DOCX.

In order of trust: the content control propgen wrapped it in (its tag names the
section); else the bookmark propgen put on its first paragraph (LibreOffice keeps
bookmarks but drops block-level content controls); else, for text whose anchors
are gone, the most similar run of paragraphs (rapidfuzz). A heading paragraph
that appears inside a section after its own heading starts new text (a clause
the customer added). What is left after the first section is new text outside
any clause; what comes before it is the cover and contents page, not reviewed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from propgen.review.docx_read import Para
from propgen.review.sections import ExpectedSection, normalise

SIMILARITY = 70.0
"""Least rapidfuzz ratio (0-100) for text without anchors to count as a section."""


@dataclass
class Found:
    paragraphs: list[Para] = field(default_factory=list)
    by: str = ""
    """``control``, ``bookmark`` or ``similarity``."""


@dataclass
class Loose:
    """Paragraphs outside every section found."""

    paragraphs: list[Para]
    after: str
    """The id of the section before them ("" at the start)."""


@dataclass
class Alignment:
    found: dict[str, Found]
    added: list[Loose]


def align(paragraphs: list[Para], expected: list[ExpectedSection]) -> Alignment:
    ids = {s.id for s in expected}
    by_mark = {s.bookmark: s.id for s in expected if s.bookmark}
    found: dict[str, Found] = {}
    groups: list[tuple[str | None, str, list[Para]]] = []  # (owner, how, paragraphs)
    owner: str | None = None
    how = ""
    previous_tagged = False
    started = False
    for para in paragraphs:
        tag_id = para.tag.id if para.tag and para.tag.id in ids else None
        mark_id = next((by_mark[m] for m in para.marks if m in by_mark), None)
        if tag_id:
            new_owner, new_how = tag_id, "control"
        elif mark_id:
            new_owner, new_how = mark_id, "bookmark"
        elif previous_tagged:
            new_owner, new_how = None, ""  # after a control ends: outside
        else:
            new_owner, new_how = owner, how
        previous_tagged = tag_id is not None
        # a new heading inside a section, after its own: text the customer added
        seen = new_owner is not None and new_owner == owner and groups and groups[-1][2]
        if para.heading and seen and not mark_id:
            new_owner, new_how = None, ""
        if new_owner is not None and new_owner in found and new_owner != owner:
            new_owner, new_how = None, ""  # a second copy: new text
        if new_owner is not None:
            started = True
        if not groups or new_owner != owner or (new_owner is None and para.heading):
            groups.append((new_owner, new_how, []))
            if new_owner is not None:
                found[new_owner] = Found(by=new_how)
        owner, how = new_owner, new_how
        groups[-1][2].append(para)
        if not started:
            groups[-1] = (None, "front", groups[-1][2])
    if not found:  # no anchor at all: every run of text is a candidate
        groups = [(None, "", paras) for _, _, paras in groups]
    loose: list[Loose] = []
    last = ""
    for group_owner, group_how, paras in groups:
        if group_owner is not None:
            found[group_owner].paragraphs.extend(paras)
            last = group_owner
        elif group_how != "front" and any(p.text.strip() for p in paras):
            loose.append(Loose(paras, last))
    _by_similarity(expected, found, loose)
    return Alignment(found, [item for item in loose if item.paragraphs])


def _by_similarity(
    expected: list[ExpectedSection], found: dict[str, Found], loose: list[Loose]
) -> None:
    """Sections without anchors: the loose group most like each, if like enough."""
    missing = [s for s in expected if s.id not in found and s.paragraphs]
    if not missing or not loose:
        return
    from rapidfuzz import fuzz

    scored = []
    for section in missing:
        want = "\n".join(section.paragraphs)
        for index, item in enumerate(loose):
            have = "\n".join(normalise(p.text) for p in item.paragraphs if p.text.strip())
            scored.append((fuzz.ratio(want, have), section.id, index))
    used: set[int] = set()
    for score, section_id, index in sorted(scored, reverse=True):
        if score < SIMILARITY or section_id in found or index in used:
            continue
        used.add(index)
        found[section_id] = Found(loose[index].paragraphs, "similarity")
        loose[index].paragraphs = []
