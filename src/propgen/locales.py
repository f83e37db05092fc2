"""The locales propgen writes documents in: the one list every part reads.

Adding a locale: its name here, ``templates/labels/<locale>.yaml``, its formats in
:class:`propgen.locale.Formatter`, and its text in every section and clause
(``propgen library check`` lists what is missing). ``tests/test_locales.py`` checks
that the schema, the CLI, the library and the labels agree with this list.
"""

from __future__ import annotations

from typing import Literal, get_args

Locale = Literal["en-US", "zh-CN"]
LOCALES: tuple[Locale, ...] = get_args(Locale)


def is_chinese(locale: str) -> bool:
    """Whether documents in ``locale`` are drafted the Chinese way (甲方/乙方, 第一条,
    amounts in capitals, Chinese invoices and registration ids)."""
    return locale.split("-")[0] == "zh"
