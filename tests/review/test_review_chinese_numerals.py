"""Review reads the governed figures a Chinese customer writes in Chinese numerals
(六十日, 六个月, 百分之八) as it reads 60日, 6个月 and 8%."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from review_support import W, read_body, replace_text, write_body

from propgen.library import Library, default_library_root
from propgen.review import review_docx
from support import ROOT, reference_of

RECORD = ROOT / "samples" / "manufacturing.zh-CN.yaml"


def _replace_everywhere(body: object, old: str, new: str) -> None:
    """Every ``old`` (the discount is stated in both pricing tables)."""
    found = [t for t in body.iter(f"{W}t") if t.text and old in t.text]  # type: ignore[attr-defined]
    assert found, f"{old!r} is not in the document"
    for t in found:
        t.text = t.text.replace(old, new)


def test_chinese_numerals_read_as_figures(tmp_path: Path, rendered_samples: Path) -> None:
    original = rendered_samples / f"{reference_of(RECORD)}-contract.docx"  # shared, read-only
    body = read_body(original)
    replace_text(body, "fees-and-payment", "三十日", "六十日")
    replace_text(body, "limitation-of-liability", "十二个月", "六个月")
    _replace_everywhere(body, "整单折扣（2%）", "整单折扣（百分之八）")
    edited = write_body(original, body, tmp_path / "edited.docx")

    review = review_docx(edited, library=Library(default_library_root()), needs=RECORD)
    found = {f.measure: f for f in review.figures}
    days, cap, discount = (
        found["payment_terms_days"],
        found["liability_cap_months"],
        found["deal_discount_pct"],
    )
    assert days.found == (Decimal(60),) and days.needs_approval  # the policy's max is 45
    assert cap.found == (Decimal(6),) and cap.needs_approval  # the policy's min is 12
    assert discount.found == (Decimal(8),) and discount.changed
    # the same edit in digits reads the same
    digits = read_body(original)
    replace_text(digits, "fees-and-payment", "三十日", "60日")
    replace_text(digits, "limitation-of-liability", "十二个月", "6个月")
    _replace_everywhere(digits, "整单折扣（2%）", "整单折扣（8%）")
    same = review_docx(
        write_body(original, digits, tmp_path / "digits.docx"),
        library=Library(default_library_root()),
        needs=RECORD,
    )
    assert [(f.measure, f.found, f.needs_approval) for f in same.figures] == [
        (f.measure, f.found, f.needs_approval) for f in review.figures
    ]
