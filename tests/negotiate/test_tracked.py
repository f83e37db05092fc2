"""Tracked changes as Word writes them: text in w:ins, deleted text as w:delText in
w:del, author and date on each, unique ids; accepting gives the new text, rejecting
the old."""

from __future__ import annotations

from lxml import etree  # type: ignore[import-untyped]

from propgen.negotiate.tracked import (
    Revision,
    RevisionIds,
    W,
    mark_paragraph,
    run,
    tracked_runs,
)

NS = {"w": W}


def _paragraph(children: list[object]) -> object:
    p = etree.Element(f"{{{W}}}p", nsmap={"w": W})
    for child in children:
        p.append(child)
    return p


def _accepted(p: object) -> str:
    return "".join(p.xpath(".//w:t[not(ancestor::w:del)]/text()", namespaces=NS))  # type: ignore[attr-defined]


def _rejected(p: object) -> str:
    texts = p.xpath(  # type: ignore[attr-defined]
        ".//w:t[not(ancestor::w:ins)]/text() | .//w:delText/text()", namespaces=NS
    )
    return "".join(texts)


def test_tracked_runs_accept_to_the_new_text_and_reject_to_the_old() -> None:
    revision = Revision("General Counsel", "2026-11-27")
    ids = RevisionIds(7)
    before = "The Recipient will keep it for five years."
    after = "The Recipient must keep it for three years."
    p = _paragraph(tracked_runs(before, after, locale="en-US", revision=revision, ids=ids))
    assert _accepted(p) == after
    assert _rejected(p) == before
    marks = p.xpath(".//w:ins | .//w:del", namespaces=NS)  # type: ignore[attr-defined]
    assert [m.get(f"{{{W}}}id") for m in marks] == ["7", "8", "9", "10"]
    assert {m.get(f"{{{W}}}author") for m in marks} == {"General Counsel"}
    assert {m.get(f"{{{W}}}date") for m in marks} == {"2026-11-27T00:00:00Z"}
    assert not p.xpath(".//w:del//w:t", namespaces=NS)  # type: ignore[attr-defined]


def test_run_properties_are_copied_to_every_run() -> None:
    rpr = etree.fromstring(f'<w:rPr xmlns:w="{W}"><w:b/></w:rPr>')
    runs = tracked_runs(
        "甲方应当付款",
        "甲方必须付款",
        locale="zh-CN",
        revision=Revision("法务总监", "2026-11-27"),
        ids=RevisionIds(),
    )
    assert len(runs) == 4
    bold = tracked_runs(
        "a b",
        "a c",
        locale="en-US",
        revision=Revision("x", "2026-11-27"),
        ids=RevisionIds(),
        rpr=rpr,
    )
    p = _paragraph(bold)
    assert len(p.xpath(".//w:r", namespaces=NS)) == len(p.xpath(".//w:r/w:rPr/w:b", namespaces=NS))  # type: ignore[attr-defined]


def test_a_paragraph_mark_is_marked_first_in_its_run_properties() -> None:
    p = etree.fromstring(f'<w:p xmlns:w="{W}"><w:pPr><w:pStyle w:val="Subclause"/></w:pPr></w:p>')
    p.append(run("new paragraph"))
    mark_paragraph(p, "insert", Revision("Finance Director", "2026-11-27"), RevisionIds(3))
    (ins,) = p.xpath("w:pPr/w:rPr/w:ins", namespaces=NS)
    assert ins.get(f"{{{W}}}id") == "3"
    assert [etree.QName(c).localname for c in p.find(f"{{{W}}}pPr")] == ["pStyle", "rPr"]
