"""Fixtures for the redline: a library whose clauses have fallback positions that
really differ from the standard ones, in both locales, and records that choose them.

The library is the bundled one copied, with fallback positions added to three
clauses by editing their standard text (so the fallbacks follow the library's
wording as it evolves): a sentence added, a paragraph removed, a paragraph added,
a word changed — and one of them on a locked clause.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from support import HUAXIN, NORTHWIND, ROOT

EDITS = {
    # clause id: (approval role, locked override?)
    "fees-and-payment": "finance-director",
    "confidentiality": None,  # locked: the policy's `locked` role approves
}
ADDED_SENTENCE = {
    "en-US": " The Supplier may suspend the Services while any undisputed invoice is"
    " more than 30 days overdue.",
    "zh-CN": "甲方逾期付款超过三十日的，乙方有权暂停提供服务。",
}
ADDED_PARAGRAPH = {
    "en-US": "Each party bears its own bank charges for payments under this Agreement.",
    "zh-CN": "因本合同项下付款产生的银行手续费，由双方各自承担。",
}
CHANGED_WORD = {
    "en-US": ("Recipient will", "Recipient must"),
    "zh-CN": ("接收方应当", "接收方必须"),
}


@dataclass(frozen=True)
class Case:
    """A record with deviations, and the library it renders with."""

    name: str
    record: Path
    library: Path
    locale: str


def _fees_fallback(text: str, locale: str) -> str:
    """Standard fees clause → a fallback: a sentence added to the first paragraph,
    the third paragraph dropped, a paragraph added at the end."""
    paragraphs = text.strip("\n").split("\n\n")
    paragraphs[0] = paragraphs[0].rstrip() + ADDED_SENTENCE[locale]
    del paragraphs[2]
    paragraphs.append(ADDED_PARAGRAPH[locale])
    return "\n\n".join(paragraphs) + "\n"


def _confidentiality_fallback(text: str, locale: str) -> str:
    old, new = CHANGED_WORD[locale]
    assert old in text, f"confidentiality ({locale}) no longer says {old!r}: update the fixture"
    return text.replace(old, new, 1)


def build_library(root: Path) -> Path:
    """The bundled library with fallback positions on fees-and-payment and on the
    locked confidentiality clause."""
    for part in ("templates", "snippets"):
        shutil.copytree(ROOT / part, root / part)
    for clause_id, make in (
        ("fees-and-payment", _fees_fallback),
        ("confidentiality", _confidentiality_fallback),
    ):
        path = root / "snippets" / "clauses" / f"{clause_id}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        standard = data["positions"]["standard"]["text"]
        fallback: dict[str, object] = {
            "text": {locale: make(text, locale) for locale, text in standard.items()}
        }
        if EDITS[clause_id]:
            fallback["approval"] = EDITS[clause_id]
        data["positions"]["fallback-1"] = fallback
        path.write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000),
            encoding="utf-8",
        )
    return root


def write_record(
    source: Path, target: Path, clauses: dict[str, str], approvals: list[dict[str, str]]
) -> Path:
    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    data["clauses"] = clauses
    data["approvals"] = approvals
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return target


@pytest.fixture(scope="session")
def redline_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_library(tmp_path_factory.mktemp("redline-library"))


@pytest.fixture(scope="session")
def cases(redline_library: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """One English and one Chinese deal, each with fallbacks (one approved) and a
    locked clause overridden."""
    folder = tmp_path_factory.mktemp("redline-records")
    approval = {
        "what": "clause:fees-and-payment",
        "role": "finance-director",
        "who": "Dana Whitfield",
        "date": "2026-11-20",
    }
    en = write_record(
        NORTHWIND,
        folder / "northwind-redline.en.yaml",
        {
            "limitation-of-liability": "fallback-2",
            "fees-and-payment": "fallback-1",
            "confidentiality": "fallback-1",
        },
        [approval],
    )
    zh = write_record(
        HUAXIN,
        folder / "huaxin-redline.zh.yaml",
        {
            "limitation-of-liability": "fallback-1",
            "fees-and-payment": "fallback-1",
            "confidentiality": "fallback-1",
        },
        [{**approval, "who": "王立"}],
    )
    return {
        "en": Case("en", en, redline_library, "en-US"),
        "zh": Case("zh", zh, redline_library, "zh-CN"),
    }
