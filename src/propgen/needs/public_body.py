"""What a record about a public buyer (``customer.sector: public``) must say.

A public body's contract is governed by its own state's law, cannot renew itself
beyond the fiscal period its funds were appropriated for, and carries no tax when the
body is exempt. These checks compare the customer with the document, the terms and
the pricing, so a record that contradicts its own buyer is refused before rendering.
"""

from __future__ import annotations

from typing import Any

from propgen.i18n import N_
from propgen.locales import is_chinese
from propgen.needs.finding import Finding
from propgen.regions import default_region


def public_body(customer: Any, document: Any, terms: Any, pricing: Any) -> list[Finding]:
    """Problems between ``customer.sector``/``state``/``tax_exempt`` and the rest."""
    found: list[Finding] = []
    public = customer.__dict__.get("sector") == "public"
    state = customer.__dict__.get("state")
    region = customer.__dict__.get("region") or (
        default_region(document.locale) if "locale" in document.__dict__ else None
    )
    if state and not public:
        found.append(
            Finding(
                ("customer", "state"),
                N_("only a public body's state is used: it governs a public body's contract"),
                N_(
                    "set customer.sector: public, or remove customer.state "
                    "(a company's governing law is terms.governing_law)"
                ),
            )
        )
    elif state and region != "us":
        found.append(
            Finding(
                ("customer", "state"),
                N_("a US state is given for a customer outside the US (region {region!r})").format(
                    region=region
                ),
                N_("remove customer.state, or set customer.region: us"),
            )
        )
    own_law_unknown = region not in ("us", "cn", None)
    if public and own_law_unknown and terms is not None and not terms.__dict__.get("governing_law"):
        found.append(
            Finding(
                ("terms", "governing_law"),
                N_(
                    "a public body contracts under its own law, and outside the US and "
                    "China propgen cannot tell which: name it"
                ),
                N_("e.g. governing_law: the laws of England and Wales"),
            )
        )
    if public and region == "us" and not state:
        found.append(
            Finding(
                ("customer", "sector"),
                N_(
                    "a US public body contracts under its own state's law: "
                    "customer.state is required"
                ),
                N_("give the state the body belongs to, e.g. state: Oregon"),
            )
        )
    if public and terms is not None:
        found += _public_terms(terms, state)
    if customer.__dict__.get("tax_exempt") and "locale" in document.__dict__:
        if is_chinese(document.locale):
            found.append(
                Finding(
                    ("customer", "tax_exempt"),
                    N_(
                        "a buyer's exemption from sales tax is a US notion; "
                        "in China the seller charges VAT"
                    ),
                    N_("remove tax_exempt and state the VAT rate in pricing.tax_pct"),
                )
            )
        elif pricing is not None:
            found += _exempt_tax(pricing)
    return found


def _public_terms(terms: Any, state: str | None) -> list[Finding]:
    found = []
    if terms.__dict__.get("auto_renew"):
        found.append(
            Finding(
                ("terms", "auto_renew"),
                N_(
                    "a public body cannot commit funds beyond the fiscal period they were "
                    "appropriated for, so its contract does not renew automatically"
                ),
                N_("set auto_renew: false; the contract renews by the customer's written order"),
            )
        )
    law = terms.__dict__.get("governing_law")
    if state and law and state.lower() not in law.lower():
        found.append(
            Finding(
                ("terms", "governing_law"),
                N_(
                    "{law!r} is not the law of {state}: a public body cannot submit to "
                    "another state's law"
                ).format(law=law, state=state),
                N_("remove governing_law (the customer's state applies) or name {state}").format(
                    state=state
                ),
            )
        )
    return found


def _exempt_tax(pricing: Any) -> list[Finding]:
    found = []
    if pricing.__dict__.get("tax_pct"):
        found.append(
            Finding(
                ("pricing", "tax_pct"),
                N_("the customer is tax-exempt (customer.tax_exempt), so no tax is charged"),
                N_("remove tax_pct, or set customer.tax_exempt: false"),
            )
        )
    if pricing.__dict__.get("tax_rates"):
        found.append(
            Finding(
                ("pricing", "tax_rates"),
                N_("the customer is tax-exempt (customer.tax_exempt), so no tax is charged"),
                N_("remove tax_rates, or set customer.tax_exempt: false"),
            )
        )
    for index, item in enumerate(pricing.__dict__.get("items") or ()):
        if getattr(item, "tax_pct", None):
            found.append(
                Finding(
                    ("pricing", "items", index, "tax_pct"),
                    N_("the customer is tax-exempt (customer.tax_exempt), so no tax is charged"),
                    N_("remove this line's tax_pct, or set customer.tax_exempt: false"),
                )
            )
    return found
