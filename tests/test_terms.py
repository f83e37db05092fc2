"""One set of commercial terms: each stated identically in the proposal and the contract."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from propgen.context import label_function, term_statements
from propgen.errors import NeedsError
from propgen.numerals import CN_NUMERAL
from propgen.pipeline import Checked, check
from propgen.terms import DocumentKind, TermStatements
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


def _statements(checked: Checked, document: DocumentKind = "contract") -> TermStatements:
    """The deal's terms as ``document`` states them (the contract's form by default)."""
    labels = checked.library.labels(checked.plan.record.document.locale)
    return term_statements(checked.plan, checked.pricing, label_function(labels), document)


def _text(checked: Checked, kind: str) -> str:
    return "\n".join(document_paragraphs(checked.documents[kind]))  # type: ignore[index]


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_each_term_is_stated_identically_in_proposal_and_contract(path: Path) -> None:
    checked = check(path, allow_draft=True)
    stated, in_proposal = _statements(checked), _statements(checked, "proposal")
    proposal, contract = _text(checked, "proposal"), _text(checked, "contract")
    terms = checked.plan.record.terms
    # Always in both: when invoices are paid and what the liability cap is.
    for name in ("payment", "liability_cap", "incident_notice"):
        assert getattr(in_proposal, name) in proposal, (name, getattr(in_proposal, name))
        assert getattr(stated, name) in contract, (name, getattr(stated, name))
    if terms.auto_renew and terms.term_months:
        for name in ("renewal", "non_renewal_notice", "renewal_price_cap"):
            assert getattr(in_proposal, name) in proposal, (name, getattr(in_proposal, name))
            assert getattr(stated, name) in contract, (name, getattr(stated, name))
    else:
        assert stated.renewal_price_cap == ""
    if stated.termination_notice:
        assert in_proposal.termination_notice and in_proposal.termination_notice in proposal
        assert stated.termination_notice in contract
    if checked.plan.record.document.locale == "zh-CN":
        assert stated.invoice in proposal and stated.invoice in contract
        assert "合法有效的发票" not in contract
    # Whatever the proposal states, the contract states the same way.
    for name, value in dataclasses.asdict(in_proposal).items():
        if value and value in proposal and name != "invoice":
            assert getattr(stated, name) in contract, (name, value)
    for kind, text in (("proposal", proposal), ("contract", contract)):
        old = OLD_WORDINGS.search(text)
        assert old is None, (kind, text[max(0, old.start() - 60) : old.end() + 60])


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_proposal_words_a_term_as_the_contract_does_but_for_defined_terms(path: Path) -> None:
    """A statement's proposal form (plain "fees", "the contract") states the same figures
    as the contract's, and differs from it only in the contract's defined words."""
    checked = check(path, allow_draft=True)
    contract = dataclasses.asdict(_statements(checked))
    proposal = dataclasses.asdict(_statements(checked, "proposal"))
    for name, value in contract.items():
        plain = value and value.replace("Fees", "fees").replace("this Agreement", "the contract")
        assert proposal[name] == plain, (name, proposal[name], value)


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
        "renewal_price_cap": ["term_renewal_price_cap"],
        "invoice_dispute": [k for k in labels if k.startswith("term_invoice_dispute_")],
    }
    for name, keys in families.items():
        for key in keys:
            pattern = re.escape(labels[key]).replace(re.escape("{duration}"), DURATION)
            pattern = pattern.replace(re.escape("{invoice}"), "(?:.+?)")
            pattern = pattern.replace(re.escape("{percent}"), r"[\d.]+%")
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


def _edited(name: str, tmp_path: Path, **terms: object) -> Path:
    record = yaml.safe_load((ROOT / "samples" / name).read_text(encoding="utf-8"))
    record.setdefault("terms", {}).update(terms)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("name", "wording"),
    [
        (
            "saas.en-US.yaml",
            "by no more than 3% over those of the preceding term, on written "
            "notice given at least 150 days before the renewal term begins",
        ),
        (
            "saas.zh-CN.yaml",
            "上调幅度不超过上一期限费用的3%，并应于续期开始前至少一百五十日书面通知",
        ),
    ],
)
def test_the_renewal_price_cap_comes_from_the_record(
    name: str, wording: str, tmp_path: Path
) -> None:
    """The cap and its notice are the record's (``renewal_increase_cap_pct``,
    ``renewal_increase_notice_days``), printed word for word in the proposal's
    subscription section and summary and in the contract's fees clause."""
    path = _edited(name, tmp_path, renewal_increase_cap_pct="3", renewal_increase_notice_days=150)
    checked = check(path, allow_draft=True)
    assert _statements(checked).renewal_price_cap == wording
    proposal, contract = _text(checked, "proposal"), _text(checked, "contract")
    assert proposal.count(wording) == 2  # the subscription model and the key terms
    assert contract.count(wording) == 1
    assert "5%" not in wording and "60 days before that renewal" not in contract


def test_a_price_increase_is_announced_before_the_customer_must_decide() -> None:
    """By default the increase is announced 30 days before the notice of non-renewal
    falls due; a record may not make it later than that notice."""
    from propgen.needs.models import Terms

    assert Terms(auto_renew=True).increase_notice_days == 90
    assert Terms(auto_renew=True, non_renewal_notice_days=90).increase_notice_days == 120
    with pytest.raises(ValueError, match="still decline to renew"):
        Terms(auto_renew=True, non_renewal_notice_days=90, renewal_increase_notice_days=90)


def test_a_late_price_increase_notice_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _edited("saas.en-US.yaml", tmp_path, renewal_increase_notice_days=30)
    with pytest.raises(NeedsError) as caught:
        check(path, allow_draft=True)
    assert any("renewal_increase_notice_days" in p.message for p in caught.value.problems)
