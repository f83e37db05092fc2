"""A recurring line that does not run for the contract term is warned about at its
line: ``periods`` defaults to one, so a monthly subscription in a 36-month deal that
forgets it would be priced at one month without anything failing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import Result
from propgen.needs.loader import load_needs
from propgen.term_coverage import uncovered_term
from support import ROOT

Run = Callable[..., Result]
SAAS = ROOT / "samples" / "saas.en-US.yaml"
RECORDS = sorted(
    [*(ROOT / "samples").glob("*.yaml"), *(ROOT / "tests" / "fixtures").glob("*.yaml")]
)


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = SAAS.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path = tmp_path / "deal.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name)
def test_every_shipped_recurring_line_runs_for_its_term(record: Path) -> None:
    assert uncovered_term(load_needs(record).record) == ()


def test_a_forgotten_periods_is_warned_about_at_its_line(run: Run, tmp_path: Path) -> None:
    path = _edited(tmp_path, "term_months: 36", "term_months: 48")
    result = run("--lang", "en-US", "check", path)
    assert result.code == 0, result.err
    warnings = [line for line in result.out.splitlines() if "of the contract term" in line]
    assert len(warnings) == 4  # three lines and the optional one, each 36 months of 48
    first = warnings[0]
    assert "pricing.items[0]" in first and "deal.yaml:" in first
    assert "covers 36 of the 48 months of the contract term" in first
    assert "give periods: 48" in first


def test_a_line_beyond_the_term_and_a_term_no_period_divides() -> None:
    record = load_needs(SAAS).record
    terms = record.terms.model_copy(update={"term_months": 24})
    shorter = uncovered_term(record.model_copy(update={"terms": terms}))
    assert shorter and all("beyond the 24-month contract term" in w.message for w in shorter)
    assert "give periods: 24" in shorter[0].message
    item = record.pricing.items[0].model_copy(update={"recurring": "quarter", "periods": 12})
    pricing = record.pricing.model_copy(update={"items": [item]})
    odd = record.model_copy(
        update={"pricing": pricing, "terms": terms.model_copy(update={"term_months": 31})}
    )
    (warning,) = uncovered_term(odd)
    assert warning.field == ("pricing", "items", 0)
    assert "is charged for 36 months, beyond the 31-month" in warning.message
    assert warning.message.endswith("(for the term alone give periods)")
