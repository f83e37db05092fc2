"""The needs record: one deal, as a sales rep writes it.

The models are frozen pydantic models; values are untrusted data. Text fields
reject characters a document cannot hold, money is :class:`~decimal.Decimal`,
unknown keys are errors. Checks that compare fields with each other live in
:mod:`propgen.needs.checks` and run in :func:`propgen.needs.loader.load_needs`,
so that they run even when another part of the record is invalid.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from propgen.document import DocumentKind
from propgen.i18n import N_
from propgen.locales import Locale
from propgen.regions import Region

DOCUMENT_KINDS: tuple[DocumentKind, ...] = ("proposal", "contract")

_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_SEPARATORS = {"\u2028": "line separator", "\u2029": "paragraph separator"}
_ANNOTATIONS = frozenset("\ufff9\ufffa\ufffb")
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
"""Letters and symbols that draw nothing (Hangul fillers, the blank Braille pattern)."""
MAX_COMBINING_RUN = 4
"""The most combining marks in a row: enough for any script's stacked accents and
tone marks, not for marks drawn across the page ("Z" + 499 × U+0301)."""
MAX_ITEMS = 1000
"""The most entries any list in a record may have (line items, modules, points ...)."""


def _classify(ch: str) -> str:
    """Why a document cannot hold ``ch``, or "" when it can."""
    code = ord(ch)
    if code < 0x20 or code == 0x7F:
        return "control character"
    if 0x80 <= code <= 0x9F:
        return "C1 control character"
    if 0xD800 <= code <= 0xDFFF:
        return "lone surrogate"
    if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE:
        return "noncharacter"
    if ch in _BIDI_CONTROLS:
        return "bidirectional control"
    if ch in _SEPARATORS:
        return f"{_SEPARATORS[ch]}; use an ordinary line break"
    if ch in _ANNOTATIONS:
        return "interlinear annotation control"
    if 0xE0000 <= code <= 0xE007F:
        return "tag character: hidden in Word, absent from the PDF"
    if code == 0xFFFD:
        return "replacement character: the text was damaged before it reached propgen"
    category = unicodedata.category(ch)
    if category == "Co":
        return "private-use character"
    if category == "Cn":
        return "unassigned code point"
    from propgen.fonts import can_print

    if not can_print(ch):
        hint = " (for Chinese: fonts-noto-cjk)" if 0x2E80 <= code <= 0x3FFFF else ""
        return f"no installed font can print it; remove it or install a font that has it{hint}"
    return ""


def forbidden_character(text: str, *, multiline: bool) -> str | None:
    """Describe the first character of ``text`` a document cannot hold, if any.

    ``multiline`` allows newlines; tabs are always allowed.
    """
    allowed = "\n\t" if multiline else "\t"
    bad: dict[str, str] = {}
    for ch in set(text):
        if " " <= ch <= "~" or ch in allowed:
            continue
        reason = _classify(ch)
        if reason:
            bad[ch] = reason
    if not bad:
        return None
    index = min(text.index(ch) for ch in bad)
    ch = text[index]
    code = ord(ch)
    name = unicodedata.name(ch, "") if code < 0xD800 or code > 0xDFFF else ""
    label = f"U+{code:04X}" + (f" {name}" if name else "")
    return f"{label} ({bad[ch]}) at character {index + 1}"


def _characters(multiline: bool) -> Callable[[object], object]:
    """A check run on the raw value, before pydantic's own string checks (which
    would reject a lone surrogate without saying which character it is)."""

    def check(value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if multiline:
                text = text.replace("\r\n", "\n")
            bad = forbidden_character(text, multiline=True)
            if bad:
                raise ValueError(
                    N_("contains {character}, which a document cannot hold").format(character=bad)
                )
            if text and not any(_visible(ch) for ch in text):
                raise ValueError(
                    N_("has no visible character (only spaces, zero-width or blank characters)")
                )
            run = _combining_run(text)
            if run:
                raise ValueError(run)
        return value

    return check


def _visible(ch: str) -> bool:
    """Whether ``ch`` draws something: not a space, a format character (U+200B,
    U+2060, U+FEFF ...) or a blank letter (U+3164, U+2800 ...)."""
    return not (ch.isspace() or ch in _BLANK_LETTERS or unicodedata.category(ch) == "Cf")


def _combining_run(text: str) -> str:
    """Describe a run of more than :data:`MAX_COMBINING_RUN` combining marks, if any."""
    run = 0
    for index, ch in enumerate(text):
        run = run + 1 if unicodedata.combining(ch) or unicodedata.category(ch) == "Me" else 0
        if run > MAX_COMBINING_RUN:
            return N_(
                "has more than {count} combining marks in a row at character {position}; "
                "they would be drawn over the text around them"
            ).format(count=MAX_COMBINING_RUN, position=index + 1)
    return ""


_LOOK_ALIKE_SCRIPTS = frozenset(
    {"LATIN", "CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE", "COPTIC", "FULLWIDTH", "MATHEMATICAL"}
)


def _one_script(value: str) -> str:
    """A reference whose letters mix Latin with a look-alike script (a Cyrillic Р in
    "PG-…") names files that look like another deal's; refuse it. Han, kana and
    Hangul mix freely with Latin, as Chinese and Japanese references do."""

    def script(ch: str) -> str:
        return unicodedata.name(ch, "?").split()[0]

    letters = [ch for ch in value if unicodedata.category(ch).startswith("L")]
    mixed = sorted({script(ch) for ch in letters} & _LOOK_ALIKE_SCRIPTS)
    if len(mixed) > 1:
        odd = next(ch for ch in letters if script(ch) in mixed and script(ch) != "LATIN")
        raise ValueError(
            N_(
                "mixes {scripts} letters ({letter!r} is {code}), so its files would "
                "look like another deal's"
            ).format(
                scripts=" and ".join(s.title() for s in mixed),
                letter=odd,
                code=f"U+{ord(odd):04X} {unicodedata.name(odd, '')}",
            )
        )
    return value


def _check_line(value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(N_("must be a single line"))
    return value


_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_FOLDED_SPACE = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")


def _check_paragraphs(value: str) -> str:
    # YAML folding (>) joins lines with a space, which Chinese never has between
    # two characters; drop exactly that space.
    return _FOLDED_SPACE.sub("", value.replace("\r\n", "\n"))


def _check_markdown(value: str | None) -> str | None:
    """Presales Markdown must parse without losing a word."""
    if value is not None:
        from propgen.errors import InvalidInput
        from propgen.markdown import parse_markdown

        try:
            parse_markdown(value)
        except InvalidInput as err:
            raise ValueError("; ".join(p.message for p in err.problems)) from None
    return value


def _one_or_many(value: object) -> object:
    """Accept a single string where a list of strings is expected."""
    return [value] if isinstance(value, str) else value


def _strict_bool(value: object) -> object:
    if not isinstance(value, bool):
        raise ValueError(N_("must be true or false"))
    return value


def _strict_int(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(N_("must be a whole number"))
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` text (or a date): a number is not silently read as a
    Unix timestamp, nor a date-time cut to its day."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(N_("must be a date written YYYY-MM-DD"))


def _no_negative_zero(value: Decimal) -> Decimal:
    return value + 0 if value.is_zero() else value


@functools.cache
def currencies() -> frozenset[str]:
    """ISO 4217 codes that are legal tender somewhere today (no XXX, XAU, DEM ...)."""
    from babel.core import get_global

    return frozenset(
        code
        for entries in get_global("territory_currencies").values()
        for code, _start, end, tender in entries
        if tender and end is None
    )


def _currency(value: object) -> object:
    if isinstance(value, str) and value not in currencies():
        known = sorted(currencies())
        upper = value.strip().upper()
        same_country = [code for code in known if code[:2] == upper[:2]]
        close = (
            [upper]
            if upper in known
            else same_country[:1]
            if len(same_country) == 1
            else difflib.get_close_matches(upper, same_country or known, n=1, cutoff=0.6)
        )
        if close:
            raise ValueError(
                N_(
                    "{value!r} is not a current ISO 4217 currency code; did you mean {option!r}?"
                ).format(value=value, option=close[0])
            )
        raise ValueError(
            N_("{value!r} is not a current ISO 4217 currency code").format(value=value)
        )
    return value


_IDENTIFIER = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _identifier(value: object) -> object:
    if isinstance(value, str) and not _IDENTIFIER.fullmatch(value):
        close = re.sub(r"[^a-z0-9]+", "-", value.strip().lower()).strip("-")[:64]
        if _IDENTIFIER.fullmatch(close):
            raise ValueError(
                N_(
                    "{value!r} is not an id: use lowercase letters, digits and dashes; "
                    "did you mean {option!r}?"
                ).format(value=value, option=close)
            )
        raise ValueError(
            N_("{value!r} is not an id: use lowercase letters, digits and dashes").format(
                value=value
            )
        )
    return value


Line = Annotated[
    str,
    Field(min_length=1, max_length=500),
    BeforeValidator(_characters(multiline=False)),
    AfterValidator(_check_line),
]
"""A single line of text: names, titles, labels."""

Paragraphs = Annotated[
    str,
    Field(min_length=1, max_length=20_000),
    BeforeValidator(_characters(multiline=True)),
    AfterValidator(_check_paragraphs),
]
"""Multi-line text; in section overrides it is Markdown."""

Points = Annotated[list[Paragraphs], BeforeValidator(_one_or_many), Field(max_length=MAX_ITEMS)]
Money = Annotated[
    Decimal, Field(ge=0, max_digits=18, allow_inf_nan=False), AfterValidator(_no_negative_zero)
]
Quantity = Annotated[
    Decimal, Field(ge=0, max_digits=15, allow_inf_nan=False), AfterValidator(_no_negative_zero)
]
Percent = Annotated[
    Decimal,
    Field(ge=0, le=100, max_digits=9, allow_inf_nan=False),
    AfterValidator(_no_negative_zero),
]
Identifier = Annotated[str, BeforeValidator(_identifier)]
Flag = Annotated[bool, BeforeValidator(_strict_bool)]
Whole = Annotated[int, BeforeValidator(_strict_int)]
Date = Annotated[dt.date, BeforeValidator(_iso_date)]
NoticeDays = Annotated[Whole, Field(ge=0, le=365)]


class Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True, coerce_numbers_to_str=True
    )


class DocumentInfo(Model):
    reference: Annotated[
        str,
        Field(min_length=1, max_length=80),
        BeforeValidator(_characters(multiline=False)),
        AfterValidator(_check_line),
        AfterValidator(_one_script),
    ]
    date: Date
    valid_until: Date
    locale: Locale
    currency: Annotated[str, BeforeValidator(_currency)]
    industry: Identifier
    produce: list[DocumentKind] = Field(default_factory=lambda: list(DOCUMENT_KINDS), min_length=1)
    version: Line = "1"
    title: Line | None = None
    signing_place: Line | None = None
    """Where the contract is signed (签订地点); none: the seller profile's."""
    languages: list[Locale] | None = None
    """A bilingual (中英对照) contract in these two languages, side by side; the first
    is the primary one, which prevails unless the ``language`` clause says otherwise.
    The record's ``locale`` must be one of them. None: one language, ``locale``."""


class Person(Model):
    name: Line
    title: Line | None = None
    email: Line | None = None
    phone: Line | None = None


class Seller(Model):
    rep: Person


class Contact(Person):
    role: Line | None = None


class BankAccount(Model):
    bank: Line
    account_name: Line
    account_number: Line


AddressForm = Literal["贵司", "贵公司", "贵行", "贵单位", "贵院", "贵校", "贵局", "贵集团"]
"""The polite second-person forms a Chinese proposal uses for a customer."""


class Customer(Model):
    name: Line
    legal_name: Line | None = None
    segment: Line | None = None
    size: Line | None = None
    address: Paragraphs | None = None
    registration_id: Line | None = None
    representative: Line | None = None
    contacts: list[Contact] = Field(default_factory=list, max_length=MAX_ITEMS)
    entity: Line | None = None
    """What kind of legal person the customer is, as the contract's parties block says
    it (e.g. "a national banking association")."""
    bank: BankAccount | None = None
    """The account the customer pays from and refunds are paid to (zh-CN contracts)."""
    address_form: AddressForm | None = None
    """How Chinese documents address the customer: 贵司 (a company), 贵行 (a bank),
    贵单位 (an agency or institution) ...; none: the industry's default, else 贵司."""
    region: Region | None = None
    """Where the customer is (``us``, ``eu``, ``uk``, ``cn``, ``other``): which
    regulation the documents may speak of; none: the locale's country (en-US: us,
    zh-CN: cn)."""

    @property
    def legal(self) -> str:
        return self.legal_name or self.name

    @property
    def you(self) -> str:
        """The customer addressed in Chinese prose (贵司 unless said otherwise)."""
        return self.address_form or "贵司"


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
    week: Annotated[Whole, Field(ge=0, le=520)] | None = None
    date: Date | None = None
    description: Paragraphs | None = None


Deployment = Literal["seller-hosted", "on-premises", "hybrid"]
"""Where the software runs: hosted by the seller, in the customer's data centre, or both."""


class Solution(Model):
    summary: Paragraphs
    deployment: Deployment = "seller-hosted"
    modules: list[Module] = Field(default_factory=list, max_length=MAX_ITEMS)
    milestones: list[Milestone] = Field(default_factory=list, max_length=MAX_ITEMS)


ItemKind = Literal[
    "subscription", "license-perpetual", "license-term", "hardware", "service", "support"
]
"""What a line item sells."""


class LineItem(Model):
    sku: Line | None = None
    name: Line
    description: Paragraphs | None = None
    unit: Line | None = None
    quantity: Quantity
    periods: Annotated[Decimal, Field(gt=0, max_digits=9, allow_inf_nan=False)] = Decimal(1)
    unit_price: Money
    discount_pct: Percent = Decimal(0)
    optional: Flag = False
    kind: ItemKind | None = None
    """What the line sells; it decides clauses (hardware brings delivery, 到货验收,
    title and risk, hardware warranty). None: not said (treated as a service)."""


class Instalment(Model):
    milestone: Line
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=9, allow_inf_nan=False)]


class Pricing(Model):
    items: list[LineItem] = Field(min_length=1, max_length=MAX_ITEMS)
    discount_pct: Percent = Decimal(0)
    tax_pct: Percent = Decimal(0)
    payment_schedule: list[Instalment] = Field(default_factory=list, max_length=MAX_ITEMS)


class Terms(Model):
    start_date: Date | None = None
    term_months: Annotated[Whole, Field(ge=1, le=600)] | None = None
    auto_renew: Flag = False
    payment_terms_days: Annotated[Whole, Field(ge=0, le=365)] = 30
    sla: Identifier | None = None
    warranty_months: Annotated[Whole, Field(ge=0, le=120)] | None = None
    liability_cap_months: Annotated[Whole, Field(ge=0, le=600)] | None = None
    governing_law: Line | None = None
    dispute_resolution: Line | None = None
    notice_days: NoticeDays | None = None
    """Older records' single notice period: read as the notice of non-renewal
    when ``non_renewal_notice_days`` is not given."""
    non_renewal_notice_days: NoticeDays | None = None
    termination_notice_days: NoticeDays | None = None
    """The customer may end the contract for convenience on this notice; none: no such right."""
    address_change_notice_days: NoticeDays = 5
    incident_notice_hours: Annotated[Whole, Field(ge=1, le=720)] = 48
    payment_due_from: Literal["invoice-receipt", "invoice-date"] = "invoice-receipt"
    invoice_type: Literal["vat-special", "vat-ordinary"] = "vat-special"
    """The Chinese invoice the seller issues (增值税专用发票 / 增值税普通发票)."""
    renewal_months: Annotated[Whole, Field(ge=1, le=120)] | None = None
    """Length of each automatic renewal (default 12 months)."""

    @property
    def non_renewal_days(self) -> int:
        """The notice of non-renewal the contract grants (default 60 days)."""
        for days in (self.non_renewal_notice_days, self.notice_days):
            if days is not None:
                return days
        return 60

    @property
    def renewal_term_months(self) -> int:
        return self.renewal_months or 12

    @property
    def cap_months(self) -> int:
        """The months of fees the liability cap looks back over (default 12)."""
        return self.liability_cap_months or 12


class SectionOverride(Model):
    """A presales change to the industry's proposal sections.

    Exactly one operation: replace the ``text`` (and optionally ``title``) of an
    existing section, add a new section (``text`` with ``after`` or ``before``),
    ``remove`` one, move one (``after``/``before`` without text), or choose a
    ``variant``.
    """

    id: Identifier
    title: Line | None = None
    text: Annotated[Paragraphs, AfterValidator(_check_markdown)] | None = None
    after: Identifier | None = None
    before: Identifier | None = None
    remove: Flag = False
    variant: Identifier | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> SectionOverride:
        if self.after and self.before:
            raise ValueError(N_("give either after or before, not both"))
        if self.remove and (self.text or self.title or self.after or self.before or self.variant):
            raise ValueError(N_("remove: true cannot be combined with other changes"))
        if not (
            self.remove or self.text or self.title or self.after or self.before or self.variant
        ):
            raise ValueError(
                N_("says nothing to do: give text, title, after/before, variant or remove")
            )
        return self


class Approval(Model):
    who: Line
    role: Line
    date: Date
    what: Line
    """The deviation approved, e.g. ``clause:limitation-of-liability`` or ``discount``."""


class TranslatedDocument(Model):
    title: Line | None = None
    signing_place: Line | None = None


class TranslatedCustomer(Model):
    name: Line | None = None
    legal_name: Line | None = None
    entity: Line | None = None
    address: Paragraphs | None = None
    representative: Line | None = None


class TranslatedTerms(Model):
    governing_law: Line | None = None
    dispute_resolution: Line | None = None


class Translation(Model):
    """The record's own words in a bilingual contract's other language: the customer's
    name and address, the governing law ... as that language's column states them.
    Anything not given prints as the record has it."""

    document: TranslatedDocument = Field(default_factory=TranslatedDocument)
    customer: TranslatedCustomer = Field(default_factory=TranslatedCustomer)
    terms: TranslatedTerms = Field(default_factory=TranslatedTerms)


class NeedsRecord(Model):
    """One deal: everything propgen needs to write its proposal and contract."""

    document: DocumentInfo
    seller: Seller
    customer: Customer
    discovery: Discovery = Field(default_factory=Discovery)
    solution: Solution
    pricing: Pricing
    terms: Terms = Field(default_factory=Terms)
    sections: list[SectionOverride] = Field(default_factory=list, max_length=MAX_ITEMS)
    clauses: dict[Identifier, Identifier] = Field(default_factory=dict)
    approvals: list[Approval] = Field(default_factory=list, max_length=MAX_ITEMS)
    translations: dict[Locale, Translation] = Field(default_factory=dict)
    """Per language of ``document.languages`` other than ``locale``: the record's words
    in that language (see :class:`Translation`)."""
