"""One set of commercial terms: each stated identically in the proposal and the contract."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from propgen.context import label_function
from propgen.locale import Formatter
from propgen.numerals import CN_NUMERAL
from propgen.pipeline import Checked, check
from propgen.terms import LIABILITY_CLAUSE, TermStatements, state_terms
from support import ROOT, SAMPLES, document_paragraphs

RECORDS = SAMPLES + sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml"))

# Wordings the library used before the terms were stated in one place: each
# contradicted the other document of the same deal.
OLD_WORDINGS = re.compile(
    r"days of the invoice date by|days of receipt|收到发票之日起|收到我司发票后"
    r"|合法有效的发票；|in any event within 72 hours|(?<!知悉后)二十四小时内"
    r"|within 48 hours of confirmation"
    r"|确认后 ?48 ?小时|preceding the claim|索赔发生前|Notice period:|通知期："
)


DURATION = rf"(?:[\d,]+ ?|{CN_NUMERAL})(?:hours?|days?|months?|个月|个工作日|小时|日)"
"""A ``count`` as labels print it ("30 days", "1 month", "十二个月", "三十日"), so a
wording with the number in figures or in Chinese numerals is found either way."""


def _statements(checked: Checked) -> TermStatements:
    record = checked.plan.record
    locale = record.document.locale
    fmt = Formatter(locale, record.document.currency)
    return state_terms(
        record.terms,
        label_function(checked.library.labels(locale)),
        cap_position=record.clauses.get(LIABILITY_CLAUSE, "standard"),
        contract_total=fmt.money(checked.pricing.total),
        count=fmt.count,
    )


def _text(checked: Checked, kind: str) -> str:
    return "\n".join(document_paragraphs(checked.documents[kind]))  # type: ignore[index]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_term_is_stated_identically_in_proposal_and_contract(path: Path) -> None:
    checked = check(path, allow_draft=True)
    stated = _statements(checked)
    proposal, contract = _text(checked, "proposal"), _text(checked, "contract")
    terms = checked.plan.record.terms
    # Always in both: when invoices are paid and what the liability cap is.
    for name in ("payment", "liability_cap", "incident_notice"):
        value = getattr(stated, name)
        assert value in proposal, (name, value)
        assert value in contract, (name, value)
    if terms.auto_renew and terms.term_months:
        for name in ("renewal", "non_renewal_notice"):
            value = getattr(stated, name)
            assert value in proposal and value in contract, (name, value)
    if stated.termination_notice:
        assert stated.termination_notice in proposal and stated.termination_notice in contract
    if checked.plan.record.document.locale == "zh-CN":
        assert stated.invoice in proposal and stated.invoice in contract
        assert "合法有效的发票" not in contract
    # Whatever the proposal states, the contract states the same way.
    for name, value in dataclasses.asdict(stated).items():
        if value and value in proposal and name != "invoice":
            assert value in contract, (name, value)
    for kind, text in (("proposal", proposal), ("contract", contract)):
        old = OLD_WORDINGS.search(text)
        assert old is None, (kind, text[max(0, old.start() - 60) : old.end() + 60])


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_other_wording_of_a_term(path: Path) -> None:
    """Every phrase shaped like a term's wording (any number filled in) is the deal's."""
    checked = check(path, allow_draft=True)
    stated = dataclasses.asdict(_statements(checked))
    labels = checked.library.labels(checked.plan.record.document.locale)
    text = _text(checked, "proposal") + "\n" + _text(checked, "contract")
    families = {
        "payment": [k for k in labels if k.startswith("term_payment_")],
        "incident_notice": ["term_incident_notice"],
        "non_renewal_notice": ["term_non_renewal_notice"],
        "renewal": ["term_renewal"],
        "termination_notice": ["term_termination_notice"],
        "address_change_notice": ["term_address_change_notice"],
        "invoice_dispute": [k for k in labels if k.startswith("term_invoice_dispute_")],
    }
    for name, keys in families.items():
        for key in keys:
            pattern = re.escape(labels[key]).replace(re.escape("{duration}"), DURATION)
            pattern = pattern.replace(re.escape("{invoice}"), "(?:.+?)")
            pattern = re.sub(r"\\\{\w+\\\}", rf"(?:\\d+|{CN_NUMERAL})", pattern)
            for found in re.findall(pattern, text):
                assert found == stated[name], (name, found, stated[name])


@pytest.mark.parametrize("due_from", ["invoice-receipt", "invoice-date"])
@pytest.mark.parametrize("name", ["retail.en-US.yaml", "retail.zh-CN.yaml"])
def test_an_invoice_is_disputed_on_the_clock_it_is_paid_on(
    name: str, due_from: str, tmp_path: Path
) -> None:
    """The dispute window starts where the payment period does (receipt of the invoice or
    its date): the retail contract counted disputes from the invoice date while payment
    ran from receipt."""
    record = yaml.safe_load((ROOT / "samples" / name).read_text(encoding="utf-8"))
    record.setdefault("terms", {})["payment_due_from"] = due_from
    path = tmp_path / name
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    checked = check(path, allow_draft=True)
    stated = _statements(checked)
    contract = _text(checked, "contract")
    assert stated.invoice_dispute in contract
    receipt = ("receipt" in stated.invoice_dispute) or ("收到" in stated.invoice_dispute)
    assert receipt == (due_from == "invoice-receipt")
    assert receipt == (("receipt" in stated.payment) or ("收到" in stated.payment))


def test_notices_have_their_own_names_and_defaults() -> None:
    from propgen.needs.models import Terms

    legacy = Terms.model_validate({"notice_days": 180, "auto_renew": True})
    assert legacy.non_renewal_days == 180
    assert Terms().non_renewal_days == 60
    assert Terms().address_change_notice_days == 5
    assert Terms().termination_notice_days is None
    assert (
        Terms.model_validate({"notice_days": 180, "non_renewal_notice_days": 30}).non_renewal_days
        == 30
    )


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_warranty_and_retention_survive_the_term(path: Path) -> None:
    """A warranty (and a retention instalment) that outlives the term is stated to survive;
    a contract without a warranty says nothing about it."""
    checked = check(path)
    contract = _text(checked, "contract")
    zh = checked.plan.record.document.locale == "zh-CN"
    survives = "质量保证义务持续至质量保证期届满" if zh else "survive expiry of the term"
    assert (survives in contract) == bool(checked.plan.record.terms.warranty_months)
