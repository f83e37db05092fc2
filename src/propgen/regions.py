"""Where the customer is, and which regulation fits it: the one list every part reads.

A customer's ``region`` (``customer.region`` in the record; by default the region of
the document's locale) decides which library text it may read. Sections and clauses
declare the regions they fit (``regions: [eu]``; none: every region); the plan
leaves out what does not fit, and ``propgen library check`` renders every industry's
samples for each region and reports text that names another region's regulation
(DORA for a US bank, the US interagency guidance for a Chinese one).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, get_args

Region = Literal["us", "eu", "uk", "cn", "other"]
"""``us`` United States, ``eu`` European Union/EEA, ``uk`` United Kingdom, ``cn``
mainland China, ``other`` anywhere else."""
REGIONS: tuple[Region, ...] = get_args(Region)

DEFAULT_REGION: dict[str, Region] = {"en-US": "us", "zh-CN": "cn"}
"""The region a customer is in when the record does not say: the locale's country."""

LOCALE_AUDIENCE: dict[str, tuple[Region, ...]] = {"en-US": REGIONS, "zh-CN": ("cn",)}
"""The regions a document in each locale may be addressed to, which the library check
renders samples for: English goes anywhere; a zh-CN document is drafted for a customer
in mainland China under PRC law."""


def default_region(locale: str) -> Region:
    return DEFAULT_REGION.get(locale, "other")


@dataclass(frozen=True)
class Regulation:
    """A law, regulator or instrument that belongs to some regions only."""

    name: str
    pattern: re.Pattern[str]
    regions: frozenset[Region]


def _regulation(name: str, pattern: str, *regions: Region) -> Regulation:
    return Regulation(name, re.compile(pattern), frozenset(regions))


REGULATIONS: tuple[Regulation, ...] = (
    _regulation("DORA", r"\bDORA\b|Digital Operational Resilience Act", "eu"),
    _regulation("the EBA Guidelines", r"\bEBA\b|European Banking Authority", "eu"),
    _regulation("GDPR", r"\b(?:UK )?GDPR\b|General Data Protection Regulation", "eu", "uk"),
    _regulation(
        "the EU Standard Contractual Clauses",
        r"Standard Contractual Clauses|\bSCCs?\b",
        "eu",
        "uk",
    ),
    _regulation("NIS2", r"\bNIS ?2\b", "eu"),
    _regulation("the FCA/PRA rules", r"\bFCA\b|\bPRA\b|Financial Conduct Authority", "uk"),
    _regulation("GLBA", r"\bGLBA\b|Gramm-Leach-Bliley", "us"),
    _regulation(
        "the US interagency guidance",
        r"Interagency Guid|\bFFIEC\b|\bOCC\b|Comptroller of the Currency",
        "us",
    ),
    _regulation("CCPA", r"\bCCPA\b|California Consumer Privacy", "us"),
    _regulation("HIPAA", r"\bHIPAA\b", "us"),
    _regulation("FedRAMP", r"\bFedRAMP\b", "us"),
    _regulation(
        "PRC data law",
        r"个人信息保护法|数据安全法|网络安全法|数据出境|\bPIPL\b|People's Bank of China",
        "cn",
    ),
    _regulation("PRC financial regulators", r"中国人民银行|金融监管总局|银保监|证监会", "cn"),
)
"""Regulation that reaches only some customers. A text naming one of these fits only
its regions; everywhere else it is a misfit."""


def misfits(text: str, region: str) -> list[str]:
    """The regulation ``text`` names that does not apply in ``region`` (names, in
    :data:`REGULATIONS` order, each once)."""
    return [r.name for r in REGULATIONS if region not in r.regions and r.pattern.search(text)]


def fits(regions: Sequence[str], region: str) -> bool:
    """Whether a text declaring ``regions`` (none: every region) fits ``region``."""
    return not regions or region in regions
