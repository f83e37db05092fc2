"""The commercial terms in words: each stated once, from one value, for every document.

A term that both the proposal and the contract mention (payment days and their
start, the liability cap's basis, the notices, the invoice type ...) is worded
here from the record and the locale's labels, and the library's texts print
these statements (``{{ term.payment }}``) instead of wording the term
themselves — so the two documents cannot disagree.

A statement has one form per document where the language needs it: an English
contract words the cap with its defined "Fees", and the proposal, which defines no
terms, with the plain word. Such a label has a proposal form under
``<key>@proposal``; a label without one is the same in both documents.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from propgen.needs.models import NeedsRecord, Terms

DocumentKind = Literal["proposal", "contract"]

CreditFees = Literal["subscription", "support", "recurring", "none"]
"""Which fees a service credit is a share of: the fees of the service whose level was
missed (see :func:`credited_fees`)."""


@dataclass(frozen=True)
class TermStatements:
    """Each commercial term as the documents state it, in one locale."""

    invoice: str
    """The invoice the seller issues (增值税专用发票 / invoice)."""
    payment: str
    """When an invoice is payable, e.g. "within 30 days after receipt of a correct invoice"."""
    liability_cap: str
    """What the liability cap is measured by."""
    incident_notice: str
    """How soon a security incident affecting customer data is notified."""
    non_renewal_notice: str
    """How early a party must say it will not renew (only meaningful with auto-renewal)."""
    renewal: str
    """The length of each automatic renewal."""
    termination_notice: str | None
    """The customer's notice to end the contract for convenience; None: no such right."""
    address_change_notice: str
    """How early a party announces a change of its notice details."""
    invoice_dispute: str
    """Until when an invoice can be disputed, counted from where payment is (receipt of
    the invoice or its date), so the two clocks never start apart."""
    credit_basis: str = ""
    """The fees a service credit is a share of ("the subscription Fees attributable to
    the month concerned"); empty: the deal has no recurring fee to credit, and the
    documents grant no service credits."""
    renewal_price_cap: str = ""
    """How much, and on what notice, the recurring fees may rise for a renewal term
    ("by no more than 5% over those of the preceding term, on written notice given
    at least 90 days before the renewal term begins"); empty: the deal does not renew
    automatically."""
    tax: str = ""
    """The tax rate(s) the deal is priced at: "6%", or per rate with its base
    ("13% on $449,500.00 and 6% on $200,000.00"); see :func:`state_tax`."""


LIABILITY_CLAUSE = "limitation-of-liability"
"""The clause whose chosen position decides how the liability cap is stated."""


def state_terms(
    terms: Terms,
    label: Callable[..., str],
    *,
    cap_position: str,
    contract_total: str,
    count: Callable[[int, str], str],
    percent: Callable[[Decimal], str],
    credit_fees: CreditFees = "recurring",
    document: DocumentKind = "contract",
) -> TermStatements:
    """Word every commercial term of ``terms`` with the locale's ``label`` function.

    Args:
        terms: the record's terms, industry defaults applied.
        label: the locale's ``label(key, **values)``.
        cap_position: the position chosen for the limitation-of-liability clause;
            its ``term_liability_cap_<position>`` label states the cap.
        contract_total: the contract's total, formatted, for caps that refer to it.
        count: the locale's ``count(n, unit)`` ("30 days", "1 month", "30日"); labels
            print it as ``{duration}`` (the bare number stays ``{days}``, ``{months}``
            …, for libraries whose labels still write the unit themselves).
        percent: the locale's percentage ("5%").
        credit_fees: the fees service credits are a share of (:func:`credited_fees`);
            its ``term_credit_basis_<fees>`` label states them.
        document: the document the statements are printed in; a label's
            ``<key>@proposal`` form, where it has one, words it in the proposal.
    """
    label = in_document(label, document)
    invoice = label(f"term_invoice_{terms.invoice_type}")
    days = terms.payment_terms_days
    payment = (
        label(
            f"term_payment_{terms.payment_due_from}",
            days=days,
            duration=count(days, "day"),
            invoice=invoice,
        )
        if days
        else label(f"term_payment_now_{terms.payment_due_from}", invoice=invoice)
    )
    return TermStatements(
        invoice=invoice,
        payment=payment,
        liability_cap=_liability_cap(terms, label, cap_position, contract_total, count),
        incident_notice=label(
            "term_incident_notice",
            hours=terms.incident_notice_hours,
            duration=count(terms.incident_notice_hours, "hour"),
        ),
        non_renewal_notice=label(
            "term_non_renewal_notice",
            days=terms.non_renewal_days,
            duration=count(terms.non_renewal_days, "day"),
        ),
        renewal=label(
            "term_renewal",
            months=terms.renewal_term_months,
            duration=count(terms.renewal_term_months, "month"),
        ),
        termination_notice=(
            label(
                "term_termination_notice",
                days=terms.termination_notice_days,
                duration=count(terms.termination_notice_days, "day"),
            )
            if terms.termination_notice_days
            else None
        ),
        invoice_dispute=label(f"term_invoice_dispute_{terms.payment_due_from}"),
        credit_basis="" if credit_fees == "none" else label(f"term_credit_basis_{credit_fees}"),
        address_change_notice=label(
            "term_address_change_notice",
            days=terms.address_change_notice_days,
            duration=count(terms.address_change_notice_days, "day"),
        ),
        renewal_price_cap=(
            label(
                "term_renewal_price_cap",
                percent=percent(terms.renewal_increase_cap_pct),
                days=terms.increase_notice_days,
                duration=count(terms.increase_notice_days, "day"),
            )
            if terms.auto_renew and terms.term_months
            else ""
        ),
    )


def in_document(label: Callable[..., str], document: DocumentKind) -> Callable[..., str]:
    """``label`` as ``document`` words it: a key's ``<key>@proposal`` form in the
    proposal where the library gives one, else the key's own."""
    if document == "contract":
        return label

    def proposal_label(key: str, **values: object) -> str:
        try:
            return label(f"{key}@{document}", **values)
        except KeyError:
            return label(key, **values)

    return proposal_label


def credited_fees(record: NeedsRecord) -> CreditFees:
    """The fees of the service whose level a service credit makes good.

    Hosted (or hybrid) deals miss an availability commitment of the hosted service:
    the subscription fees, where a bought line is a subscription. Deals on the
    customer's premises miss a support response target: the support fees, where a
    bought line is support; with none, nothing recurs to credit against (``none``).
    A record whose lines state no kind keeps the general "recurring Fees".
    """
    bought = [item for item in record.pricing.items if not item.optional]
    kinds = {item.kind for item in bought if item.kind}
    if not kinds:
        return "recurring"
    if record.deployment != "on-premises" and "subscription" in kinds:
        return "subscription"
    if "support" in kinds:
        return "support"
    return "recurring" if any(item.recurring for item in bought) else "none"


def _liability_cap(
    terms: Terms,
    label: Callable[..., str],
    position: str,
    contract_total: str,
    count: Callable[[int, str], str],
) -> str:
    basis = label(
        "term_liability_basis", months=terms.cap_months, duration=count(terms.cap_months, "month")
    )
    try:
        return label(f"term_liability_cap_{position}", basis=basis, total=contract_total)
    except KeyError:  # a library's own position without a label: its basis is the cap
        return basis


def state_tax(
    taxes: tuple[tuple[str, str], ...], label: Callable[..., str], join: Callable[[list[str]], str]
) -> str:
    """The deal's tax rates in words from ``(rate, base)`` pairs, formatted: one rate
    alone ("6%"), several each with the base it applies to."""
    if len(taxes) == 1:
        return taxes[0][0]
    return join([label("tax_rate_on", percent=rate, base=base) for rate, base in taxes])
