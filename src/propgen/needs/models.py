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
import itertools
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


Sector = Literal["private", "public"]
"""Who the customer is as a buyer: a company, or a public body spending public funds."""

USState = Literal[
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois",
    "Indiana", "Iowa", "Kansas", "Kentucky", "Louisiana", "Maine", "Maryland",
    "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri", "Montana",
    "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
    "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
    "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah",
    "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
]  # fmt: skip
"""The states (and the District) a US public body may belong to."""

_COMMONWEALTHS = frozenset({"Kentucky", "Massachusetts", "Pennsylvania", "Virginia"})


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

    sector: Sector = "private"
    """``public``: a government body or public institution buying with public funds (a
    county, a state agency, a public university; 机关、事业单位). The contract then
    carries what such a buyer's counsel requires (docs/library.md, "Public buyers"),
    and Chinese documents address it as 贵单位 unless ``address_form`` says otherwise."""
    state: USState | None = None
    """The US state a public body belongs to (``Oregon``): its law governs the
    contract and its prompt-payment law governs late payment. Required for a US
    public body; only a public body gives it."""
    tax_exempt: Flag = False
    """The customer pays no sales or use tax (most public bodies): the deal may carry
    no tax, and the contract says why."""

    @property
    def legal(self) -> str:
        return self.legal_name or self.name

    @property
    def you(self) -> str:
        """The customer addressed in Chinese prose (贵司, or 贵单位 for a public body,
        unless said otherwise)."""
        return self.address_form or ("贵单位" if self.sector == "public" else "贵司")

    @property
    def jurisdiction(self) -> str | None:
        """A US public body's state as a contract names it ("the State of Oregon",
        "the Commonwealth of Virginia"); none without ``state``."""
        if self.state is None:
            return None
        if self.state == "District of Columbia":
            return "the District of Columbia"
        kind = "Commonwealth" if self.state in _COMMONWEALTHS else "State"
        return f"the {kind} of {self.state}"


_FINDING_ID = re.compile(r"[A-Za-z][A-Za-z0-9-]{0,31}")


def _finding_id(value: object) -> object:
    if isinstance(value, str) and not _FINDING_ID.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a discovery id: a letter, then letters, digits or dashes "
            "(e.g. P1, I2, P-order-errors)"
        )
    return value


FindingId = Annotated[str, BeforeValidator(_finding_id)]
"""A discovery item's id (``P1``, ``I2``, ``N1`` …), given or assigned by position."""
FindingIds = Annotated[list[FindingId], BeforeValidator(_one_or_many), Field(max_length=MAX_ITEMS)]

Period = Literal["week", "month", "quarter", "year"]
PERIODS_PER_YEAR: dict[str, Decimal] = {
    "week": Decimal(52),
    "month": Decimal(12),
    "quarter": Decimal(4),
    "year": Decimal(1),
}


class Finding(Model):
    """One discovery answer: its id and its text (a plain string in the record works too).

    ``str(finding)`` is its text, so library templates written for lists of
    strings (``{{ s }}``) keep printing the same words.
    """

    id: FindingId
    text: Paragraphs

    def __str__(self) -> str:
        return self.text


class CostImpact(Model):
    """Money an implication costs: ``{amount: "2400000", per: year}``."""

    amount: Money
    currency: Annotated[str, BeforeValidator(_currency)] | None = None
    """Defaults to the document's currency."""
    per: Period | None = None
    """None: a one-time cost."""


class HoursImpact(Model):
    """Time an implication costs: ``{amount: 120, per: week}``."""

    amount: Quantity
    per: Period | None = None


class Implication(Finding):
    problems: FindingIds = Field(default_factory=list)
    """The problems this implication follows from."""
    cost: CostImpact | None = None
    hours: HoursImpact | None = None

    @property
    def quantified(self) -> bool:
        return self.cost is not None or self.hours is not None


class NeedPayoff(Finding):
    resolves: FindingIds = Field(default_factory=list)
    """The problems whose solution delivers this payoff."""


def _with_ids(prefix: str) -> Callable[[object], object]:
    """Each item of a discovery list as ``{id, text, …}``: a plain string becomes its
    text, and an item without an id gets ``prefix`` + its position (P1, P2 …)."""

    def fill(items: object) -> object:
        if isinstance(items, str):
            items = [items]
        if not isinstance(items, list):
            return items
        filled: list[object] = []
        for position, item in enumerate(items, start=1):
            if isinstance(item, str):
                item = {"text": item}
            if isinstance(item, dict) and item.get("id") is None:
                item = {"id": f"{prefix}{position}", **item}
            filled.append(item)
        return filled

    return fill


class Discovery(Model):
    """The SPIN answers. Items are strings or ``{id, text, …}`` maps; ids are
    assigned by position (``P1`` is the first problem) where none is given."""

    situation: Annotated[
        list[Finding], BeforeValidator(_with_ids("S")), Field(max_length=MAX_ITEMS)
    ] = Field(default_factory=list)
    problem: Annotated[
        list[Finding], BeforeValidator(_with_ids("P")), Field(max_length=MAX_ITEMS)
    ] = Field(default_factory=list)
    implication: Annotated[
        list[Implication], BeforeValidator(_with_ids("I")), Field(max_length=MAX_ITEMS)
    ] = Field(default_factory=list)
    need_payoff: Annotated[
        list[NeedPayoff], BeforeValidator(_with_ids("N")), Field(max_length=MAX_ITEMS)
    ] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Discovery:
        seen: set[str] = set()
        for item in (*self.situation, *self.problem, *self.implication, *self.need_payoff):
            if item.id in seen:
                raise ValueError(
                    f"discovery id {item.id!r} is used twice; ids not given are the kind's "
                    "letter and position (the second problem is P2)"
                )
            seen.add(item.id)
        return self


class Module(Model):
    name: Line
    description: Paragraphs | None = None
    addresses: FindingIds = Field(default_factory=list)
    """The discovery problems (ids) this module solves."""


class Milestone(Model):
    name: Line
    week: Annotated[Whole, Field(ge=0, le=520)] | None = None
    date: Date | None = None
    description: Paragraphs | None = None
    addresses: FindingIds = Field(default_factory=list)


Deployment = Literal["seller-hosted", "on-premises", "hybrid"]
"""Where the software runs: hosted by the seller, in the customer's data center, or both."""

HOSTED_KINDS = frozenset({"subscription"})
"""Line kinds that sell a service the seller hosts."""


class Solution(Model):
    summary: Paragraphs
    deployment: Deployment | None = None
    """Where the software runs; none: decided from the deal
    (:attr:`NeedsRecord.deployment`)."""
    sites: Annotated[Whole, Field(ge=1, le=100_000)] | None = None
    """How many sites (plants, stores, branches) the solution goes live at; it decides
    whether the roll-out speaks of one site or of moving on to the others. None: not
    stated, and the text promises neither."""
    modules: list[Module] = Field(default_factory=list, max_length=MAX_ITEMS)
    milestones: list[Milestone] = Field(default_factory=list, max_length=MAX_ITEMS)


ItemKind = Literal[
    "subscription", "license-perpetual", "license-term", "hardware", "service", "support"
]
"""What a line item sells."""


Recurrence = Literal["month", "quarter", "year"]
MONTHS: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
"""Months in one period of a recurring line."""


class Tier(Model):
    """A price band: units up to ``up_to`` (inclusive; none on the last band)."""

    up_to: Quantity | None = None
    unit_price: Money


class RampYear(Model):
    """A recurring line's quantity and/or unit price in one contract year."""

    quantity: Quantity | None = None
    unit_price: Money | None = None

    @model_validator(mode="after")
    def _says_something(self) -> RampYear:
        if self.quantity is None and self.unit_price is None:
            raise ValueError("give the year's quantity, unit_price or both")
        return self


class LineItem(Model):
    sku: Line | None = None
    name: Line
    description: Paragraphs | None = None
    unit: Line | None = None
    quantity: Quantity
    periods: Annotated[Decimal, Field(gt=0, max_digits=9, allow_inf_nan=False)] | None = None
    """How many ``recurring`` periods the line runs (default 1, or the ramp's years)."""
    unit_price: Money | None = None
    """Required unless the line has ``tiers``."""
    discount_pct: Percent = Decimal(0)
    optional: Flag = False
    kind: ItemKind | None = None
    """What the line sells; it decides clauses (hardware brings delivery, 到货验收,
    title and risk, hardware warranty). None: not said (treated as a service)."""
    recurring: Recurrence | None = None
    """The period one unit price buys (month, quarter, year); none: a one-off charge."""
    ramp: list[RampYear] = Field(default_factory=list, max_length=50)
    """Year 1 … N of a recurring line: each year's quantity and/or unit price."""
    tiers: list[Tier] = Field(default_factory=list, max_length=100)
    tier_pricing: Literal["graduated", "all-units"] = "graduated"
    """graduated: each band's units at the band's price; all-units: every unit at the
    price of the band the whole quantity falls in."""
    unit_cost: Money | None = None
    """Our cost per unit and period, in the price currency; never printed."""
    tax_pct: Percent | None = None
    """This line's tax rate; none: ``pricing.tax_rates`` for its kind, else
    ``pricing.tax_pct``."""
    pays_for: Identifier | None = None
    """The contract clause whose service this line prices (``peak-season-support``):
    that clause then says the service is charged as this line (if the customer orders
    it, for an optional line) instead of included in the fees. Only a clause the
    library marks ``priced`` can be named."""

    @property
    def period_count(self) -> Decimal:
        """``periods`` as given, or 1, or the ramp's years in periods."""
        if self.periods is not None:
            return self.periods
        if self.ramp and self.recurring:
            return Decimal(len(self.ramp) * 12 // MONTHS[self.recurring])
        return Decimal(1)

    @model_validator(mode="after")
    def _consistent(self) -> LineItem:
        if self.tiers:
            if self.unit_price is not None:
                raise ValueError("give unit_price or tiers, not both")
            bounds = [t.up_to for t in self.tiers]
            if bounds[-1] is not None or any(b is None for b in bounds[:-1]):
                raise ValueError("every tier but the last needs up_to; the last has none")
            limits = [b for b in bounds if b is not None]
            if any(high <= low for low, high in itertools.pairwise(limits)):
                raise ValueError("tier up_to limits must increase")
            if self.ramp:
                raise ValueError("a line has either tiers or a ramp, not both")
        elif self.unit_price is None:
            raise ValueError("unit_price is required (or give tiers)")
        if self.ramp:
            if self.recurring is None:
                raise ValueError(
                    "a ramp needs a recurring line (recurring: month, quarter or year)"
                )
            per_year = 12 // MONTHS[self.recurring]
            years = -(-self.period_count // per_year)
            if years != len(self.ramp):
                raise ValueError(
                    f"the ramp gives {len(self.ramp)} years but {self.period_count} "
                    f"{self.recurring}s run {years}"
                )
        return self


class Instalment(Model):
    milestone: Line
    percent: Annotated[Decimal, Field(gt=0, le=100, max_digits=9, allow_inf_nan=False)]


class ExchangeRate(Model):
    """1 unit of the price currency = ``rate`` units of the document's currency."""

    rate: Annotated[Decimal, Field(gt=0, max_digits=18, allow_inf_nan=False)]
    as_of: Date
    source: Line | None = None


class Pricing(Model):
    items: list[LineItem] = Field(min_length=1, max_length=MAX_ITEMS)
    discount_pct: Percent = Decimal(0)
    tax_pct: Percent = Decimal(0)
    tax_rates: dict[ItemKind, Percent] = Field(default_factory=dict)
    """Tax rates by line kind (a zh-CN deal: 13 for hardware and perpetual licences
    (goods), 6 for subscriptions and services); a line of another kind is taxed at
    ``tax_pct``."""
    payment_schedule: list[Instalment] = Field(default_factory=list, max_length=MAX_ITEMS)
    payment_by_year: Flag = False
    """Invoice each contract year's total instead of milestone instalments."""
    currency: Annotated[str, BeforeValidator(_currency)] | None = None
    """The currency unit prices and costs are written in, when it is not the
    document's (quote) currency; then ``exchange_rate`` is required."""
    exchange_rate: ExchangeRate | None = None


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
    renewal_increase_cap_pct: Percent = Decimal(5)
    """The most the recurring fees may rise at a renewal, in percent of the preceding term's."""
    renewal_increase_notice_days: NoticeDays | None = None
    """How early the seller announces a price increase for a renewal term (default: 30
    days more than the notice of non-renewal, so the customer can still decline)."""

    @model_validator(mode="after")
    def _increase_announced_in_time(self) -> Terms:
        days = self.renewal_increase_notice_days
        if self.auto_renew and days is not None and days <= self.non_renewal_days:
            raise ValueError(
                N_(
                    "renewal_increase_notice_days ({days}) must be longer than the notice "
                    "of non-renewal ({notice} days): the customer must learn of a price "
                    "increase while it can still decline to renew"
                ).format(days=days, notice=self.non_renewal_days)
            )
        return self

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
    def increase_notice_days(self) -> int:
        """How early a price increase for a renewal term is announced (default: 30 days
        before the notice of non-renewal falls due)."""
        if self.renewal_increase_notice_days is not None:
            return self.renewal_increase_notice_days
        return self.non_renewal_days + 30

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


class TranslatedContact(Model):
    name: Line | None = None
    title: Line | None = None


class TranslatedCustomer(Model):
    name: Line | None = None
    legal_name: Line | None = None
    entity: Line | None = None
    address: Paragraphs | None = None
    representative: Line | None = None
    bank: BankAccount | None = None
    contacts: list[TranslatedContact] = Field(default_factory=list, max_length=MAX_ITEMS)
    """One per contact of ``customer.contacts``, in the same order."""


class TranslatedSeller(Model):
    rep: TranslatedContact = Field(default_factory=TranslatedContact)
    """The sales rep's name and title, as the other column prints them (parties, notices)."""


class TranslatedTerms(Model):
    governing_law: Line | None = None
    dispute_resolution: Line | None = None


class TranslatedModule(Model):
    name: Line
    description: Paragraphs | None = None


class TranslatedSolution(Model):
    summary: Paragraphs | None = None
    modules: list[TranslatedModule] = Field(default_factory=list, max_length=MAX_ITEMS)
    """One per module of ``solution.modules``, in the same order."""
    milestones: list[Line] = Field(default_factory=list, max_length=MAX_ITEMS)
    """The name of each milestone of ``solution.milestones``, in the same order."""


class Translation(Model):
    """The record's own words in a bilingual contract's other language: the customer's
    name and address, the governing law ... as that language's column states them.
    Anything not given prints as the record has it."""

    document: TranslatedDocument = Field(default_factory=TranslatedDocument)
    customer: TranslatedCustomer = Field(default_factory=TranslatedCustomer)
    seller: TranslatedSeller = Field(default_factory=TranslatedSeller)
    solution: TranslatedSolution = Field(default_factory=TranslatedSolution)
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

    @property
    def decided_deployment(self) -> Deployment | None:
        """Where the software runs, as far as the record says it: ``solution.deployment``
        as written, else what the deal sells. A deal whose lines state their kinds is
        hosted by the seller only if a line it buys (not optional) is a subscription:
        perpetual or term licences, hardware, services and support run on the customer's
        premises. None: the record says nothing either way (no deployment, no kinds); the
        industry's default is then assumed (``plan``), and ``check`` warns."""
        if self.solution.deployment is not None:
            return self.solution.deployment
        kinds = {item.kind for item in self.pricing.items if item.kind and not item.optional}
        if not kinds:
            return None
        return "seller-hosted" if kinds & HOSTED_KINDS else "on-premises"

    @property
    def deployment(self) -> Deployment:
        """Where the software runs: :attr:`decided_deployment`, else hosted by the seller
        (a record planned with an industry carries that industry's default in
        ``solution.deployment``)."""
        return self.decided_deployment or "seller-hosted"
