"""The needs record: one deal, as a sales rep writes it.

The models are frozen pydantic models; values are untrusted data. Text fields
reject characters a document cannot hold, money is :class:`~decimal.Decimal`,
unknown keys are errors.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from propgen.document import DocumentKind

LOCALES = ("en-US", "zh-CN")
DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("proposal", "contract")

_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _forbidden_character(text: str, *, multiline: bool) -> str | None:
    """Describe the first character of ``text`` a document cannot hold, if any."""
    allowed_controls = "\n\t" if multiline else "\t"
    for ch in text:
        code = ord(ch)
        name = ""
        if ch in allowed_controls:
            continue
        if code < 0x20 or code == 0x7F:
            name = "control character"
        elif 0x80 <= code <= 0x9F:
            name = "C1 control character"
        elif 0xD800 <= code <= 0xDFFF:
            name = "lone surrogate"
        elif code in (0xFFFE, 0xFFFF) or (unicodedata.category(ch) == "Cn" and code > 0xFFFF0):
            name = "noncharacter"
        elif ch in _BIDI_CONTROLS:
            name = "bidirectional control"
        if name:
            return f"U+{code:04X} ({name})"
    return None


def _check_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError("must be a single line")
    bad = _forbidden_character(value, multiline=False)
    if bad:
        raise ValueError(f"contains {bad}, which a document cannot hold")
    return value


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def _check_paragraphs(value: str) -> str:
    # YAML folding (>) joins lines with a space, which Chinese never has between
    # two characters; drop exactly that space.
    value = _FOLDED_SPACE.sub("", value.replace("\r\n", "\n"))
    bad = _forbidden_character(value, multiline=True)
    if bad:
        raise ValueError(f"contains {bad}, which a document cannot hold")
    return value


def _one_or_many(value: object) -> object:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


Line = Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_check_line)]
"""A single line of text: names, titles, labels."""

Paragraphs = Annotated[
    str, Field(min_length=1, max_length=20_000), AfterValidator(_check_paragraphs)
]
"""Multi-line text; in section overrides it is Markdown."""

Points = Annotated[list[Paragraphs], BeforeValidator(_one_or_many)]
Money = Annotated[Decimal, Field(ge=0, max_digits=18, allow_inf_nan=False)]
Quantity = Annotated[Decimal, Field(ge=0, max_digits=15, allow_inf_nan=False)]
Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=9, allow_inf_nan=False)]
Identifier = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")]


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True
    )


class DocumentInfo(Model):
    reference: Annotated[str, Field(min_length=1, max_length=80), AfterValidator(_check_line)]
    date: dt.date
    valid_until: dt.date
    locale: Literal["en-US", "zh-CN"]
    currency: Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
    industry: Identifier
    produce: list[DocumentKind] = Field(default_factory=lambda: list(DOCUMENT_KINDS), min_length=1)
    version: Line = "1"
    title: Line | None = None

    @field_validator("currency")
    @classmethod
    def _known_currency(cls, code: str) -> str:
        from babel.numbers import list_currencies

        if code not in list_currencies():
            raise ValueError(f"{code!r} is not an ISO 4217 currency code")
        return code

    @model_validator(mode="after")
    def _validity_after_date(self) -> DocumentInfo:
        if self.valid_until < self.date:
            raise ValueError(
                f"valid_until {self.valid_until} is before the document date {self.date}"
            )
        return self


class Person(Model):
    name: Line
    title: Line | None = None
    email: Line | None = None
    phone: Line | None = None


class Seller(Model):
    rep: Person


class Contact(Person):
    role: Line | None = None


class Customer(Model):
    name: Line
    legal_name: Line | None = None
    segment: Line | None = None
    size: Line | None = None
    address: Paragraphs | None = None
    registration_id: Line | None = None
    representative: Line | None = None
    contacts: list[Contact] = Field(default_factory=list)

    @property
    def legal(self) -> str:
        return self.legal_name or self.name


class Discovery(Model):
    situation: Points = Field(default_factory=list)
    problem: Points = Field(default_factory=list)
    implication: Points = Field(default_factory=list)
    need_payoff: Points = Field(default_factory=list)


class Module(Model):
    name: Line
    description: Paragraphs | None = None


class Milestone(Model):
    name: Line
    week: Annotated[int, Field(ge=0, le=520)] | None = None
    date: dt.date | None = None
    description: Paragraphs | None = None


class Solution(Model):
    summary: Paragraphs
    modules: list[Module] = Field(default_factory=list)
    milestones: list[Milestone] = Field(default_factory=list)


class LineItem(Model):
    sku: Line | None = None
    name: Line
    description: Paragraphs | None = None
    unit: Line | None = None
    quantity: Quantity
    periods: Annotated[Decimal, Field(gt=0, max_digits=9, allow_inf_nan=False)] = Decimal(1)
    unit_price: Money
    discount_pct: Percent = Decimal(0)
    optional: bool = False


class Instalment(Model):
    milestone: Line
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=9, allow_inf_nan=False)]


class Pricing(Model):
    items: list[LineItem] = Field(min_length=1)
    discount_pct: Percent = Decimal(0)
    tax_pct: Percent = Decimal(0)
    payment_schedule: list[Instalment] = Field(default_factory=list)

    @model_validator(mode="after")
    def _schedule_sums_to_100(self) -> Pricing:
        if self.payment_schedule:
            total = sum((i.percent for i in self.payment_schedule), Decimal(0))
            if total != 100:
                raise ValueError(f"payment_schedule percents add up to {total}, not 100")
        return self


class Terms(Model):
    start_date: dt.date | None = None
    term_months: Annotated[int, Field(ge=1, le=600)] | None = None
    auto_renew: bool = False
    payment_terms_days: Annotated[int, Field(ge=0, le=365)] = 30
    sla: Identifier | None = None
    warranty_months: Annotated[int, Field(ge=0, le=120)] | None = None
    liability_cap_months: Annotated[int, Field(ge=0, le=600)] | None = None
    governing_law: Line | None = None
    dispute_resolution: Line | None = None
    notice_days: Annotated[int, Field(ge=0, le=365)] | None = None


class SectionOverride(Model):
    """A presales change to the industry's proposal sections.

    Exactly one operation: replace the ``text`` (and optionally ``title``) of an
    existing section, add a new section (``text`` with ``after`` or ``before``),
    ``remove`` one, move one (``after``/``before`` without text), or choose a
    ``variant``.
    """

    id: Identifier
    title: Line | None = None
    text: Paragraphs | None = None
    after: Identifier | None = None
    before: Identifier | None = None
    remove: bool = False
    variant: Identifier | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> SectionOverride:
        if self.after and self.before:
            raise ValueError("give either after or before, not both")
        if self.remove and (self.text or self.title or self.after or self.before or self.variant):
            raise ValueError("remove: true cannot be combined with other changes")
        if not (
            self.remove or self.text or self.title or self.after or self.before or self.variant
        ):
            raise ValueError(
                "says nothing to do: give text, title, after/before, variant or remove"
            )
        return self


class Approval(Model):
    who: Line
    role: Line
    date: dt.date
    what: Line
    """The deviation approved, e.g. ``clause:limitation-of-liability`` or ``discount``."""


class NeedsRecord(Model):
    """One deal: everything propgen needs to write its proposal and contract."""

    document: DocumentInfo
    seller: Seller
    customer: Customer
    discovery: Discovery = Field(default_factory=Discovery)
    solution: Solution
    pricing: Pricing
    terms: Terms = Field(default_factory=Terms)
    sections: list[SectionOverride] = Field(default_factory=list)
    clauses: dict[Identifier, Identifier] = Field(default_factory=dict)
    approvals: list[Approval] = Field(default_factory=list)

    @model_validator(mode="after")
    def _chinese_registration_id(self) -> NeedsRecord:
        rid = self.customer.registration_id
        if rid and self.document.locale == "zh-CN":
            from stdnum.cn import uscc

            if not uscc.is_valid(rid):
                raise ValueError(
                    f"customer.registration_id {rid!r} is not a valid 统一社会信用代码 "
                    "(18 characters with a correct check digit)"
                )
        return self
