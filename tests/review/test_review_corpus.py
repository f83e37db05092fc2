"""`propgen review` on scripted edits of rendered contracts, in both locales: each
edit saved directly (the XML as Word writes it) and through a LibreOffice round
trip, with the verdict expected; a contract LibreOffice re-saved without edits
reports nothing to approve."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from review_support import (
    W,
    control,
    libreoffice_round_trip,
    paragraph,
    read_body,
    render_contract,
    replace_text,
    with_position,
    write_body,
)

from propgen.cli import main
from propgen.library import Library, default_library_root
from propgen.review import Review, review_docx
from support import ROOT, reference_of

Edit = Callable[[Any, Path], None]


@dataclass(frozen=True)
class Locale:
    record: Path
    cap: tuple[str, str]
    payment: tuple[str, str]
    pasted: str
    """The position pasted into limitation-of-liability."""
    rewritten: str
    added: tuple[str, str]


LOCALES = {
    "en-US": Locale(
        ROOT / "samples" / "saas.en-US.yaml",
        ("18 months", "6 months"),
        ("45 days", "60 days"),
        "fallback-2",
        "This Agreement is governed by the laws of England and Wales.",
        ("Non-solicitation", "Neither party will solicit the other's employees."),
    ),
    "zh-CN": Locale(
        ROOT / "samples" / "manufacturing.zh-CN.yaml",
        ("十二个月", "6个月"),
        ("三十日", "60日"),
        "fallback-1",
        "本合同适用香港特别行政区法律。",
        ("竞业限制", "合同期内，任何一方不得招揽对方员工。"),
    ),
}


def _cap(locale: Locale) -> Edit:
    return lambda body, _: replace_text(body, "limitation-of-liability", *locale.cap)


def _payment(locale: Locale, tracked: bool = False) -> Edit:
    return lambda body, _: replace_text(body, "fees-and-payment", *locale.payment, tracked=tracked)


def _delete(body: Any, _: Path) -> None:
    sdt = control(body, "force-majeure")
    sdt.getparent().remove(sdt)


def _rewrite(locale: Locale) -> Edit:
    def edit(body: Any, _: Path) -> None:
        paragraphs = control(body, "governing-law").findall(f"{W}sdtContent/{W}p")
        for p in paragraphs[1:]:
            for t in p.iter(f"{W}t"):
                t.text = ""
        paragraphs[1].find(f".//{W}t").text = locale.rewritten

    return edit


def _add(locale: Locale) -> Edit:
    def edit(body: Any, _: Path) -> None:
        notices = control(body, "notices")
        heading, text = locale.added
        notices.addnext(paragraph(text))
        notices.addnext(paragraph(heading, "ClauseHeading"))

    return edit


def _paste(body: Any, pasted: Path) -> None:
    """The other position's clause (as propgen renders it for this deal) pasted over."""
    ours = control(body, "limitation-of-liability").find(f"{W}sdtContent")
    theirs = control(read_body(pasted), "limitation-of-liability").find(f"{W}sdtContent")
    for child in list(ours):
        ours.remove(child)
    for child in theirs:
        ours.append(child)


def _cases(locale: Locale) -> dict[str, Edit]:
    return {
        "cap": _cap(locale),
        "payment": _payment(locale),
        "payment-tracked": _payment(locale, tracked=True),
        "deleted": _delete,
        "rewritten": _rewrite(locale),
        "added": _add(locale),
        "fallback": _paste,
    }


@dataclass
class Corpus:
    record: Path
    original: Path
    resaved: Path
    direct: dict[str, Path]
    round_trip: dict[str, Path]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory, rendered_samples: Path) -> dict[str, Corpus]:
    made: dict[str, Corpus] = {}
    to_convert: list[Path] = []
    for name, locale in LOCALES.items():
        folder = tmp_path_factory.mktemp(f"corpus-{name}")
        # the sample's contract as the CLI renders it (shared, read-only: edits are copies)
        original = rendered_samples / f"{reference_of(locale.record)}-contract.docx"
        variant = with_position(
            locale.record, "limitation-of-liability", locale.pasted, folder / "variant.yaml"
        )
        pasted = render_contract(variant, folder / "variant")
        direct = {}
        for case, edit in _cases(locale).items():
            body = read_body(original)
            edit(body, pasted)
            direct[case] = write_body(original, body, folder / f"{name}-{case}.docx")
        unedited = folder / f"{name}-unedited.docx"  # one LibreOffice folder for all
        unedited.write_bytes(original.read_bytes())
        made[name] = Corpus(locale.record, original, unedited, direct, {})
        to_convert += [unedited, *direct.values()]
    saved = libreoffice_round_trip(to_convert, tmp_path_factory.mktemp("lo"))
    by_source = dict(zip(to_convert, saved, strict=True))
    for item in made.values():
        item.resaved = by_source[item.resaved]
        item.round_trip = {case: by_source[path] for case, path in item.direct.items()}
    return made


def _review(path: Path, record: Path) -> Review:
    return review_docx(path, library=Library(default_library_root()), needs=record)


def _changed(review: Review) -> dict[str, str]:
    return {s.id: s.verdict for s in review.sections if s.verdict != "unchanged"}


def _figure(review: Review, measure: str) -> Any:
    return next(f for f in review.figures if f.measure == measure)


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_resaved_by_libreoffice_without_edits_needs_nothing(
    corpus: dict[str, Corpus], locale: str, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    item = corpus[locale]
    for path in (item.original, item.resaved):
        review = _review(path, item.record)
        assert _changed(review) == {} and review.added == () and review.approvals_needed == 0
    # through the CLI, the record found from the provenance by its sha256
    monkeypatch.chdir(item.record.parent)
    provenance = item.original.parent / f"{reference_of(item.record)}.provenance.json"
    assert main(["review", str(item.resaved), "--provenance", str(provenance)]) == 0
    out = capsys.readouterr().out
    assert ("nothing to approve" if locale == "en-US" else "无需审批") in out


@pytest.mark.parametrize("saved", ["direct", "round_trip"])
@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_corpus_verdicts(corpus: dict[str, Corpus], locale: str, saved: str) -> None:
    item = corpus[locale]
    files: dict[str, Path] = getattr(item, saved)
    found_by = "control" if saved == "direct" else "bookmark"
    results = {case: _review(path, item.record) for case, path in files.items()}

    cap = results["cap"]
    assert _changed(cap) == {"limitation-of-liability": "new-wording"}
    figure = _figure(cap, "liability_cap_months")
    assert figure.found == (Decimal(6),) and figure.needs_approval
    assert figure.approval == "general-counsel"

    for case in ("payment", "payment-tracked"):
        payment = results[case]
        assert _changed(payment) == {"fees-and-payment": "new-wording"}, case
        figure = _figure(payment, "payment_terms_days")
        assert Decimal(60) in figure.found and figure.needs_approval, case
        assert figure.approval == "finance-director"
        section = next(s for s in payment.sections if s.id == "fees-and-payment")
        assert section.found_by == found_by
        inserted = "".join(c.text for c in section.diff if c.op == "insert")
        deleted = "".join(c.text for c in section.diff if c.op == "delete")
        old = LOCALES[locale].payment[0].removesuffix(" days").removesuffix("日")  # 45, 三十
        assert "60" in inserted and old in deleted, (inserted, deleted)

    assert _changed(results["deleted"]) == {"force-majeure": "deleted"}

    rewritten = results["rewritten"]
    assert _changed(rewritten) == {"governing-law": "new-wording"}
    section = next(s for s in rewritten.sections if s.id == "governing-law")
    assert section.approval.endswith("@meridian.example")  # the clause owner reviews
    assert any((c.op == "insert" and "England" in c.text) or "香港" in c.text for c in section.diff)

    added = results["added"]
    assert _changed(added) == {}
    assert [a.after for a in added.added] == ["notices"]
    assert LOCALES[locale].added[0] in added.added[0].text
    assert added.approvals_needed == 1

    fallback = results["fallback"]
    assert _changed(fallback) == {"limitation-of-liability": "position"}
    section = next(s for s in fallback.sections if s.id == "limitation-of-liability")
    assert section.position == LOCALES[locale].pasted and section.approval == "general-counsel"

    for case, review in results.items():
        assert review.approvals_needed >= 1, case
        if case != "added":
            assert review.added == (), case


def test_exit_code_and_formats(corpus: dict[str, Corpus], capsys: Any) -> None:
    import json

    item = corpus["zh-CN"]
    path = item.direct["payment"]
    assert main(["review", str(path), "--needs", str(item.record), "--format", "json"]) == 3
    data = json.loads(capsys.readouterr().out)
    assert data["approvals_needed"] >= 2 and data["locale"] == "zh-CN"
    payment = next(s for s in data["sections"] if s["id"] == "fees-and-payment")
    assert re.fullmatch(r"第[一二三四五六七八九十]+条", payment["number"])  # as printed
    assert main(["review", str(path), "--needs", str(item.record)]) == 3
    text = capsys.readouterr().out
    assert "60" in text and "[-" in text and "{+" in text
    assert f"! {payment['number']} {payment['title']} [fees-and-payment]" in text
    assert main(["review", str(path), "--needs", str(item.record), "--format", "html"]) == 3
    html = capsys.readouterr().out
    assert html.startswith("<!DOCTYPE html>") and re.search(r"<ins>[^<]*60", html)
    assert "<script" not in html and "http" not in html.split("<body>")[1]


@pytest.mark.parametrize("locale", sorted(LOCALES))
def test_counter_redline_reverts_every_unapproved_change(
    corpus: dict[str, Corpus], locale: str, tmp_path: Path, capsys: Any
) -> None:
    """Accepting the counter's tracked changes gives back the approved text (review:
    nothing to approve); rejecting them gives the customer's text (pandoc reads both);
    the file is valid OOXML."""
    import subprocess

    from openxml_audit import FileFormat, OpenXmlValidator

    from support import require_tool

    pandoc = require_tool("pandoc", "pandoc")
    item = corpus[locale]
    days_then, days_now = LOCALES[locale].payment
    for case in ("payment", "deleted", "added", "fallback", "rewritten"):
        for edited in (item.direct[case], item.round_trip[case]):
            counter = tmp_path / f"{locale}-{case}-{edited.parent.name}-counter.docx"
            args = ["review", str(edited), "--needs", str(item.record), "--counter", str(counter)]
            assert main(args) == 3
            capsys.readouterr()
            assert _review(counter, item.record).approvals_needed == 0, (case, edited)
            # no OOXML error the edited file did not have (LibreOffice's own output has some)
            validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, strict=True)
            before = {e.description for e in validator.validate(str(edited)).errors}
            after = {e.description for e in validator.validate(str(counter)).errors}
            assert after <= before, (case, edited, after - before)

            def text(mode: str, path: Path = counter) -> str:
                return subprocess.run(
                    [pandoc, f"--track-changes={mode}", str(path), "-t", "plain", "--wrap=none"],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout

            if case == "payment":
                assert days_then in text("accept") and days_now not in text("accept")
                assert days_now in text("reject")
            if case == "added":
                assert LOCALES[locale].added[1] not in text("accept")
                assert LOCALES[locale].added[1] in text("reject")


def test_an_edited_parties_block_goes_back_to_the_record(
    corpus: dict[str, Corpus], tmp_path: Path, capsys: Any
) -> None:
    """The parties block has no clause owner: it is written from the record, so a change
    there belongs in the record, not in a lawyer's review of library text."""
    item = corpus["en-US"]
    body = read_body(item.original)
    replace_text(body, "parties", "Tallgrass Supply Co.", "Tallgrass Supply Holdings Co.")
    edited = write_body(item.original, body, tmp_path / "parties.docx")
    review = _review(edited, item.record)
    assert _changed(review) == {"parties": "new-wording"}
    assert main(["review", str(edited), "--needs", str(item.record)]) == 3
    out = capsys.readouterr().out
    assert "put the change into the needs record and render again" in out
    assert "(?)" not in out
