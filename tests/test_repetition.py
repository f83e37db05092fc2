"""No document says the same thing twice: no sentence of 40+ characters appears twice."""

from __future__ import annotations

import collections
import re
from pathlib import Path

import pytest

from propgen.pipeline import check
from support import ROOT, SAMPLES, document_paragraphs

RECORDS = SAMPLES + sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml"))
# A sentence ends at Chinese 。；！？ or at . ; ! ? followed by a space.
_SENTENCE_END = re.compile(r"(?<=[。；！？])|(?<=[.;!?])\s+")
MIN_LENGTH = 40
# A party's particulars ("account name: Shanghai … Co., Ltd.;") are data, stated in the
# parties block and again where they operate (the payment clause), not drafting.
_PARTICULAR = re.compile(r"(account name|account no\.|account number|bank): [^:]+[.;]?")


def repeated_sentences(paragraphs: list[str]) -> list[str]:
    counts = collections.Counter(
        sentence.strip()
        for paragraph in paragraphs
        for sentence in _SENTENCE_END.split(paragraph)
        if len(sentence.strip()) >= MIN_LENGTH and not _PARTICULAR.fullmatch(sentence.strip())
    )
    return [sentence for sentence, n in counts.items() if n > 1]


def test_the_splitter_finds_a_repeat() -> None:
    long = "This sentence is comfortably longer than forty characters."
    assert repeated_sentences([f"Intro. {long}", f"{long} Outro."]) == [long]
    assert repeated_sentences(
        ["甲方应当在收到通知后十日内完成验收工作并出具书面验收报告，逾期未提出异议的视为验收合格。"]
        * 2
    )
    assert repeated_sentences(["Short one.", "Short one."]) == []
    account = "account name: Shanghai Meridian Information Systems Co., Ltd.;"
    assert repeated_sentences([account, account]) == []


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_sentence_is_repeated(path: Path) -> None:
    for kind, document in check(path, allow_draft=True).documents.items():
        assert repeated_sentences(document_paragraphs(document)) == [], kind
