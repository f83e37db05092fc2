"""Checks that look across fields of a needs record, run on whatever parts validated.

pydantic checks each field on its own. These compare fields with each other (a unit
price's places with the currency's, the registration id with the locale, every
amount with the one maximum the words functions can write) and run even when other
parts of the record failed, so ``check`` reports every problem in one run. Each
names the exact field it is about, so its message carries that field's line.

Placeholders that ``propgen new`` writes (``<fill in: …>``) are found on the raw
data, before any type is checked, so a placeholder in a number field says
"still a placeholder" rather than "not a valid decimal".
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from propgen.i18n import N_
from propgen.locales import is_chinese
from propgen.needs.finding import Finding
from propgen.needs.public_body import public_body
from propgen.pricing import (
    MAX_AMOUNT,
    minor_units,
    places,
    price,
    price_line,
    unit_price_places,
)
from propgen.source import FieldPath

PLACEHOLDER = re.compile(r"<(?:fill in|请填写)[:：][^<>]*>")
"""What ``propgen new`` writes where the rep must give a value."""


def placeholders(data: object, path: FieldPath = ()) -> Iterator[Finding]:
    """Every value of the raw record that still holds a ``<fill in: …>`` marker."""
    if isinstance(data, str):
        found = PLACEHOLDER.search(data)
        if found:
            yield Finding(
                path,
                N_("still holds the placeholder {marker!r}").format(marker=found.group(0)),
                N_("replace it with this deal's value"),
            )
    elif isinstance(data, Mapping):
        for key, value in data.items():
            yield from placeholders(value, (*path, str(key)))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from placeholders(value, (*path, index))


def cross_field(parts: Mapping[str, Any], complete: frozenset[str] | None = None) -> list[Finding]:
    """Problems between fields, for the ``parts`` of the record that validated.

    A part may be partial (a model with only its valid fields set): each check
    runs when the fields it compares are there.
    """
    found: list[Finding] = []
    document = parts.get("document")
    customer = parts.get("customer")
    pricing = parts.get("pricing")
    if _has(document, "date", "valid_until"):
        found += _validity(document)
    if _has(document, "locale", "currency"):
        found += _currency(document)
    whole = complete if complete is not None else frozenset(parts)
    if _has(document, "locale", "languages") and "document" in whole:
        found += _languages(document, parts.get("translations"))
    if parts.get("translations"):
        found += _translated_lists(parts.get("solution"), customer, parts["translations"])
    if _has(pricing, "payment_schedule"):
        found += _schedule(pricing)
    if _has(document, "locale") and _has(customer, "registration_id"):
        found += _registration_id(document, customer)
    if _has(document, "currency") and _has(pricing, "items", "discount_pct", "tax_pct"):
        found += _money(document, pricing)
    if _has(document, "locale") and _has(customer, "sector", "state", "tax_exempt"):
        found += public_body(customer, document, parts.get("terms"), pricing)
    return found


def _has(part: object, *names: str) -> bool:
    return part is not None and all(name in part.__dict__ for name in names)


def _validity(document: Any) -> list[Finding]:
    found = []
    if document.valid_until < document.date:
        found.append(
            Finding(
                ("document", "valid_until"),
                N_("valid_until {valid_until} is before the document date {date}").format(
                    valid_until=document.valid_until, date=document.date
                ),
                N_("the offer must be valid on the day it is made"),
            )
        )
    return found


def _currency(document: Any) -> list[Finding]:
    found = []
    places_ = minor_units(document.currency)
    if is_chinese(document.locale) and places_ > 2:
        found.append(
            Finding(
                ("document", "currency"),
                N_(
                    "{currency} has {places} decimal places, and Chinese capital numerals "
                    "(元角分) state at most two, so the amount in words could not state "
                    "the total exactly"
                ).format(currency=document.currency, places=places_),
                N_("write this deal in en-US, or in a currency with at most two decimal places"),
            )
        )
    return found


def _languages(document: Any, translations: Any) -> list[Finding]:
    """A bilingual contract names exactly two different languages, the record's among
    them; translations are given only for the other one."""
    languages = document.languages
    if languages is None:
        if translations:
            return [
                Finding(
                    ("translations",),
                    N_("translations are for a bilingual contract, and there is none"),
                    N_("set document.languages, or remove translations"),
                )
            ]
        return []
    if len(languages) != 2 or languages[0] == languages[1]:
        return [
            Finding(
                ("document", "languages"),
                N_(
                    "a bilingual contract needs exactly two different languages, not {given}"
                ).format(given=", ".join(languages) or "none"),
                N_("for example [zh-CN, en-US]: the first one is the primary language"),
            )
        ]
    if document.locale not in languages:
        return [
            Finding(
                ("document", "languages"),
                N_("the record's locale {locale} is not one of the languages {languages}").format(
                    locale=document.locale, languages=", ".join(languages)
                ),
                N_("list {locale} as one of the two languages").format(locale=document.locale),
            )
        ]
    found = []
    for locale in translations or {}:
        if locale not in languages or locale == document.locale:
            found.append(
                Finding(
                    ("translations", locale),
                    N_(
                        "a translation into {locale}, which is not the contract's other language"
                    ).format(locale=locale),
                    N_("translate into the language of document.languages that is not the locale"),
                )
            )
    return found


def _translated_lists(solution: Any, customer: Any, translations: Any) -> list[Finding]:
    """A translation words each module, milestone and contact of the record, one for one."""
    found = []
    for locale, words in translations.items():
        for part, name, record_part in (
            ("solution", "modules", solution),
            ("solution", "milestones", solution),
            ("customer", "contacts", customer),
        ):
            if record_part is None or name not in record_part.__dict__:
                continue
            given = len(getattr(getattr(words, part), name))
            wanted = len(getattr(record_part, name))
            if given and given != wanted:
                found.append(
                    Finding(
                        ("translations", locale, part, name),
                        N_("{given} translated, but {name} has {wanted}").format(
                            given=given, name=f"{part}.{name}", wanted=wanted
                        ),
                        N_("give one per entry, in the same order"),
                    )
                )
    return found


def _schedule(pricing: Any) -> list[Finding]:
    if pricing.payment_schedule and getattr(pricing, "payment_by_year", False):
        return [
            Finding(
                ("pricing", "payment_by_year"),
                "give payment_schedule or payment_by_year, not both",
                "payment_by_year invoices each contract year's total; a schedule splits "
                "the total by milestone",
            )
        ]
    if not pricing.payment_schedule:
        return []
    total = sum((i.percent for i in pricing.payment_schedule), Decimal(0))
    if total == 100:
        return []
    return [
        Finding(
            ("pricing", "payment_schedule"),
            N_("payment_schedule percents add up to {total}, not 100").format(total=total),
            N_("make the percents add up to exactly 100"),
        )
    ]


def _registration_id(document: Any, customer: Any) -> list[Finding]:
    rid = customer.registration_id
    if not rid or not is_chinese(document.locale):
        return []
    from stdnum.cn import uscc

    if uscc.is_valid(rid):
        return []
    return [
        Finding(
            ("customer", "registration_id"),
            N_(
                "{value!r} is not a valid 统一社会信用代码 "
                "(18 characters with a correct check digit)"
            ).format(value=rid),
            N_("copy it from the customer's business licence (营业执照)"),
        )
    ]


def _money(document: Any, pricing: Any) -> list[Finding]:
    currency = document.currency
    price_currency = getattr(pricing, "currency", None) or currency
    fx = getattr(pricing, "exchange_rate", None)
    rate = fx.rate if fx is not None and price_currency != currency else Decimal(1)
    limit = f"{MAX_AMOUNT:,}"
    allowed = unit_price_places(price_currency)
    found = []
    for index, item in enumerate(pricing.items):
        prices: list[tuple[FieldPath, Decimal]] = []
        if item.unit_price is not None:
            prices.append((("pricing", "items", index, "unit_price"), item.unit_price))
        prices += [
            (("pricing", "items", index, "tiers", k, "unit_price"), tier.unit_price)
            for k, tier in enumerate(item.tiers)
        ]
        prices += [
            (("pricing", "items", index, "ramp", k, "unit_price"), year.unit_price)
            for k, year in enumerate(item.ramp)
            if year.unit_price is not None
        ]
        wrong = [(path, value) for path, value in prices if places(value) > allowed]
        for path, value in wrong:
            found.append(
                Finding(
                    path,
                    N_(
                        "{price} has {places} decimal places; {currency} amounts have "
                        "{minor} and a unit price may have at most {allowed}"
                    ).format(
                        price=value,
                        places=places(value),
                        currency=price_currency,
                        minor=minor_units(price_currency),
                        allowed=allowed,
                    ),
                    N_(
                        "round it to {allowed} places (it is printed with every place it has)"
                    ).format(allowed=allowed),
                )
            )
        if wrong:
            continue
        amount = price_line(item, currency, rate).total
        if amount >= MAX_AMOUNT:
            found.append(
                Finding(
                    ("pricing", "items", index, "unit_price" if item.unit_price else "quantity"),
                    N_(
                        "quantity × periods × unit_price comes to {amount}, not below "
                        "{limit}, the largest amount propgen writes"
                    ).format(amount=f"{amount:,.0f}", limit=limit),
                    N_("check the quantity, periods and unit price"),
                )
            )
    if found:
        return found
    priced = price(pricing, currency)
    for wording, amount in (
        (
            N_(
                "the subtotal comes to {amount}, not below {limit}, the largest amount "
                "propgen writes"
            ),
            priced.subtotal,
        ),
        (
            N_(
                "the optional items come to {amount}, not below {limit}, the largest amount "
                "propgen writes"
            ),
            priced.optional_total,
        ),
        (
            N_("the total comes to {amount}, not below {limit}, the largest amount propgen writes"),
            priced.total,
        ),
    ):
        if amount >= MAX_AMOUNT:
            found.append(
                Finding(
                    ("pricing", "items"),
                    wording.format(amount=f"{amount:,}", limit=limit),
                    N_("check the quantities and unit prices"),
                )
            )
            break
    return found
