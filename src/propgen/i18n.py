"""Messages in the user's language: a gettext catalogue per locale, read with Babel.

English is the source language (the ``msgid`` s); ``messages/zh_CN/LC_MESSAGES/
propgen.po`` holds the Chinese. The ``.po`` file is compiled in memory on first
use (no build step, no binary in git). Strings are marked in the code with
:func:`N_` (a no-op marker that ``pybabel extract -k N_`` finds) and written with
``str.format`` placeholders, e.g. ``N_("{path}: ok")``.

Problems (:class:`~propgen.errors.Problem`) are built in English where they are
raised; :func:`translate_text` turns such a text back into its catalogue entry (the
placeholders matched against the text) and renders it in the chosen language, so
the code raising a problem needs no language at hand. Text with no entry stays
English.

Which language: ``--lang``, else ``LC_ALL`` / ``LC_MESSAGES`` / ``LANG`` (``zh*`` is
Chinese), else English; output about one record (``check``'s summary and its
problems) follows the record's ``document.locale``.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "messages"
DOMAIN = "propgen"

Translate = Callable[[str], str]


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue; returns it unchanged (English)."""
    return message


def environment_language() -> str:
    """The language the environment asks for: ``zh-CN`` for ``zh*`` locales, else ``en-US``."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh-CN" if value.lower().startswith("zh") else "en-US"
    return "en-US"


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / language.replace("-", "_") / "LC_MESSAGES" / f"{DOMAIN}.po"


@functools.cache
def catalogue(language: str) -> dict[str, str]:
    """``msgid → msgstr`` for ``language`` (empty for English, the source language)."""
    if language == "en-US":
        return {}
    from babel.messages.pofile import read_po

    with catalogue_path(language).open("rb") as handle:
        parsed = read_po(handle, locale=language.replace("-", "_"))
    return {
        str(m.id): str(m.string)
        for m in parsed
        if m.id and isinstance(m.id, str) and isinstance(m.string, str) and m.string and not m.fuzzy
    }


@functools.cache
def translator(language: str) -> Translate:
    """A ``gettext``-style function for ``language``."""
    table = catalogue(language)
    return lambda message: table.get(message, message)


_NESTED = frozenset({"message", "suggestion", "detail", "document"})
"""Placeholders that hold another catalogue message rather than a value."""

_PLACEHOLDER = re.compile(r"\{(\w+)(?:![rs])?(?::[^{}]*)?\}")


@functools.cache
def _patterns(language: str) -> tuple[tuple[re.Pattern[str], str, str], ...]:
    """For each catalogue entry with placeholders: a pattern matching its English
    rendering, its msgid and its translation. Entries that begin with their own words
    come before those that begin with a value (``Invalid value: {message}`` is the
    outer message of ``Invalid value: 0 is not in the range x>=1.``, not ``{value} is
    not in the range {range}.``); then longest msgids first, so the most specific
    entry wins."""
    found = []
    entries = sorted(catalogue(language).items(), key=lambda kv: (kv[0][:1] == "{", -len(kv[0])))
    for msgid, msgstr in entries:
        if "{" not in msgid:
            continue
        parts: list[str] = []
        names: set[str] = set()
        position = 0
        for match in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[position : match.start()]))
            name = match.group(1)
            parts.append(f"(?P={name})" if name in names else f"(?P<{name}>.+?)")
            names.add(name)
            position = match.end()
        parts.append(re.escape(msgid[position:]))
        found.append((re.compile("".join(parts), re.S), msgid, msgstr))
    return tuple(found)


def translate_text(text: str, language: str) -> str:
    """``text`` (English, as the code wrote it) in ``language``, when the catalogue
    has its entry; placeholders keep the values the English text had."""
    if language == "en-US" or not text:
        return text
    table = catalogue(language)
    if text in table:
        return table[text]
    for pattern, _msgid, msgstr in _patterns(language):
        match = pattern.fullmatch(text)
        if match:
            values = {
                name: translate_text(value, language) if name in _NESTED else value
                for name, value in match.groupdict().items()
            }
            return _fill(msgstr, values)
    return text


def _fill(template: str, values: dict[str, Any]) -> str:
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]), template)
