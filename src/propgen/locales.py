"""The locales propgen writes documents in: the one list every part reads.

Adding a locale: its name here, ``templates/labels/<locale>.yaml``, its formats in
:class:`propgen.locale.Formatter`, and its text in every section and clause
(``propgen library check`` lists what is missing). ``tests/test_locales.py`` checks
that the schema, the CLI, the library and the labels agree with this list.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal, get_args

Locale = Literal["en-US", "zh-CN"]
LOCALES: tuple[Locale, ...] = get_args(Locale)


def is_chinese(locale: str) -> bool:
    """Whether documents in ``locale`` are drafted the Chinese way (甲方/乙方, 第一条,
    amounts in capitals, Chinese invoices and registration ids)."""
    return locale.split("-")[0] == "zh"


@dataclass(frozen=True)
class Paper:
    """A paper size: its CSS name and its size in millimetres."""

    css: str
    width_mm: Decimal
    height_mm: Decimal


PAPER = {
    "en-US": Paper("letter", Decimal("215.9"), Decimal("279.4")),
    "zh-CN": Paper("A4", Decimal(210), Decimal(297)),
}
"""The paper each locale's documents are printed on: US Letter in the United States,
A4 in China (an en-GB locale would be A4)."""


def paper(locale: str) -> Paper:
    """The paper of ``locale``'s documents (A4 where none is declared)."""
    return PAPER.get(locale, PAPER["zh-CN"])
