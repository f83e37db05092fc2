"""The shapes of library files (see docs/library.md), validated at load time."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from propgen.i18n import N_
from propgen.locales import LOCALES, Locale
from propgen.needs.models import AddressForm, Deployment, Identifier, Terms
from propgen.regions import Region


def _known_locales(texts: dict[str, str]) -> dict[str, str]:
    unknown = [key for key in texts if key not in LOCALES]
    if unknown:
        raise ValueError(
            N_("unknown locale {locale!r}; use one of {options}").format(
                locale=unknown[0], options=", ".join(LOCALES)
            )
        )
    return texts


PerLocale = Annotated[dict[str, str], AfterValidator(_known_locales)]
"""Text per locale, e.g. ``{"en-US": "...", "zh-CN": "..."}``."""

StructuredBlock = Literal[
    "pricing-table",
    "amount-in-words",
    "payment-schedule",
    "milestones-table",
    "modules-table",
    "contacts-table",
    "signature",
    "contract-value",
    "year-summary",
    "traceability-table",
]


class LibraryModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)


class LibraryInfo(LibraryModel):
    id: Identifier
    name: str
    version: str
    description: str = ""


class ProposalPlan(LibraryModel):
    sections: list[Identifier] = Field(min_length=1)


class ContractPlan(LibraryModel):
    recitals: Identifier | None = None
    clauses: list[Identifier] = Field(min_length=1)
    annexes: list[Identifier] = Field(default_factory=list)
    """Sections attached after the pricing annex (Annex 2, 3 …), in order."""


class CustomerDefaults(LibraryModel):
    """How the industry's customers are addressed unless the record says otherwise."""

    address_form: AddressForm | None = None


class SolutionDefaults(LibraryModel):
    """Where the industry's systems usually run, for a record that says nothing of it."""

    deployment: Deployment | None = None
    """Assumed where the record neither states ``solution.deployment`` nor gives its
    lines kinds (a plant MES runs on the plant's premises); ``check`` warns that it was
    assumed. None: hosted by the seller."""


class IndustryDefaults(LibraryModel):
    """What an industry gives a deal that does not say otherwise."""

    terms: Terms = Field(default_factory=Terms)
    """Only the terms written here are defaults (``model_fields_set``)."""
    customer: CustomerDefaults = Field(default_factory=lambda: CustomerDefaults())
    solution: SolutionDefaults = Field(default_factory=lambda: SolutionDefaults())


class Manifest(LibraryModel):
    id: Identifier
    title: PerLocale
    summary: PerLocale = Field(default_factory=dict)
    locales: list[Locale] = Field(min_length=1)
    proposal: ProposalPlan
    contract: ContractPlan | None = None
    defaults: IndustryDefaults = Field(default_factory=IndustryDefaults)


class SectionFile(LibraryModel):
    id: Identifier
    version: str
    owner: str
    locked: bool = False
    when: str | None = None
    regions: list[Region] = Field(default_factory=list)
    """The customer regions the section fits (propgen.regions); none: every region."""
    title: PerLocale
    text: PerLocale = Field(default_factory=dict)
    blocks: list[StructuredBlock] = Field(default_factory=list)
    variants: dict[Identifier, PerLocale] = Field(default_factory=dict)
    translation: TranslationFile | None = None
    """The translation of ``text`` for bilingual contracts (see :class:`TranslationFile`)."""


class TranslationFile(LibraryModel):
    """A text's translation for bilingual (中英对照) contracts.

    ``text`` holds, per locale, that locale's rendering of the *other* locale's
    ``text`` (the library has two locales): ``en-US`` is the English of the Chinese
    text. ``version`` is the version of the clause or section it was approved at; a
    translation older than its text is refused, so the two columns of a contract are
    always the same approved version. ``title`` optionally words the title for the
    translated column (else the file's own title in that locale is used).
    """

    version: str
    text: PerLocale
    title: PerLocale = Field(default_factory=dict)


class PositionFile(LibraryModel):
    approval: str | None = None
    summary: PerLocale = Field(default_factory=dict)
    text: PerLocale
    translation: TranslationFile | None = None


class ClauseFile(LibraryModel):
    id: Identifier
    version: str
    status: Literal["draft", "approved", "retired"]
    owner: str
    approved_by: str | None = None
    approved_on: dt.date | None = None
    approved_version: str | None = None
    """The version that ``approved_by`` approved on ``approved_on``; none: ``version``.
    A text changed after its approval keeps the approval it had (and the version it
    was given for) and awaits legal's re-approval: see :attr:`awaits_approval`."""
    review_by: dt.date | None = None
    locked: bool = False
    title: PerLocale
    positions: dict[Identifier, PositionFile]
    when: str | None = None
    """A Jinja expression; the clause is left out of a contract where it is false
    (e.g. the hardware clauses when no line item is hardware)."""
    requires_annexes: list[Identifier] = Field(default_factory=list)
    """Annexes the clause incorporates: a contract using it must attach them."""
    regions: list[Region] = Field(default_factory=list)
    """The customer regions the clause fits (propgen.regions); none: every region."""
    priced: bool = False
    """A line item may price the service this clause describes (its ``pays_for``
    names the clause): every text of the clause then reads those lines and says the
    service is charged as them, and included in the fees only when no line prices it."""

    @model_validator(mode="after")
    def _has_standard(self) -> ClauseFile:
        if "standard" not in self.positions:
            raise ValueError("a clause needs a 'standard' position")
        if self.status == "approved" and not (self.approved_by and self.approved_on):
            raise ValueError("an approved clause needs approved_by and approved_on")
        return self

    @property
    def awaits_approval(self) -> bool:
        """Approved at an earlier version: the current text has no approval yet."""
        return self.status == "approved" and self.approved_version not in (None, self.version)


class Threshold(LibraryModel):
    max: Decimal | None = None
    min: Decimal | None = None
    approval: str


class PolicyFile(LibraryModel):
    roles: dict[Identifier, PerLocale] = Field(default_factory=dict)
    """The approval roles, with their titles; every role named anywhere in the library
    (thresholds, ``approvals``, clause positions) or in a record must be one of them."""
    thresholds: dict[
        Literal[
            "line_discount_pct",
            "deal_discount_pct",
            "payment_terms_days",
            "liability_cap_months",
            "margin_pct",
        ],
        Threshold,
    ] = Field(default_factory=dict)
    approvals: dict[Literal["fallback", "locked"], str] = Field(default_factory=dict)
    weak_discovery: Literal["warn", "block"] = "warn"
    """block: ``check --strict`` refuses a record whose discovery is weak."""

    @model_validator(mode="after")
    def _roles_declared(self) -> PolicyFile:
        if not self.roles:
            return self
        named = [(f"thresholds.{k}.approval", t.approval) for k, t in self.thresholds.items()]
        named += [(f"approvals.{k}", role) for k, role in self.approvals.items()]
        for where, role in named:
            if role not in self.roles:
                raise ValueError(
                    N_("{field}: role {role!r} is not declared under roles ({roles})").format(
                        field=where, role=role, roles=", ".join(self.roles)
                    )
                )
        return self


class Choice(LibraryModel):
    """One value the library offers for an enumerated term, e.g. an SLA tier."""

    title: PerLocale
    summary: PerLocale = Field(default_factory=dict)


class ChoicesFile(LibraryModel):
    """``snippets/choices.yaml``: the values the library offers for the needs record's
    enumerated terms. A record giving anything else is refused with the list."""

    terms: dict[Literal["sla"], dict[Identifier, Choice]] = Field(default_factory=dict)


Localizable = str | PerLocale


class SellerTranslation(LibraryModel):
    """The seller entity of one locale, worded in the other locale, for the translated
    column of a bilingual contract (the Shanghai subsidiary's details in English)."""

    name: str | None = None
    legal_name: str | None = None
    address: str | None = None
    registration_id: str | None = None
    representative: str | None = None
    bank: dict[str, str] = Field(default_factory=dict)
    signing_place: str | None = None


class SellerFile(LibraryModel):
    name: Localizable
    legal_name: Localizable
    address: Localizable
    entity: Localizable | None = None
    """What kind of legal person the seller is, as a US parties block says it ("a
    Delaware corporation"); empty for a locale whose contracts do not state it."""
    registration_id: Localizable | None = None
    representative: Localizable | None = None
    email: Localizable | None = None
    phone: Localizable | None = None
    website: Localizable | None = None
    bank: dict[str, dict[str, str]] = Field(default_factory=dict)
    logo: str | None = None
    signing_place: Localizable | None = None
    """Where contracts are signed unless the record says otherwise (签订地点)."""
    translated: dict[Locale, SellerTranslation] = Field(default_factory=dict)
    """Per locale: the *other* locale's entity worded in this locale (``en-US``: the
    Chinese entity in English), used by bilingual contracts, where one entity signs."""
