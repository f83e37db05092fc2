"""Unbreakable runs found only near digits (``unbreakable.unbreakable_runs``) are
exactly the pattern's own matches: on every text the samples assemble, at the edge
of :data:`~propgen.unbreakable.REACH`, and on random texts of dates, amounts, units
and phone numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import propgen.assemble
from propgen.document import Block
from propgen.markdown import parse_markdown
from propgen.pipeline import check
from propgen.unbreakable import REACH, UNBREAKABLE, unbreakable_runs
from support import ROOT


def spans(text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """(the runs found near digits, the pattern's matches over the whole text)."""
    near = [m.span() for m in unbreakable_runs(text)]
    everywhere = [m.span() for m in UNBREAKABLE.finditer(text)]
    return near, everywhere


LONGEST_BEFORE_A_DIGIT = [
    "due September 30, 2027.",  # "September " = 10 characters
    "a credit of USD -1,200.00",
    "退还人民币-1,200.00元",
    "call +86 21 5555 0216",
    "or (212) 555-0100 today",
    "x" * 40 + " September 1, 2026",
    "September 1, 2026" + "x" * 40 + "December 12, 2026",
]


@pytest.mark.parametrize("text", LONGEST_BEFORE_A_DIGIT)
def test_runs_that_start_furthest_from_their_digit(text: str) -> None:
    near, everywhere = spans(text)
    assert near == everywhere
    assert everywhere  # each case holds a run
    assert (
        max(
            m.group().index(next(c for c in m.group() if c.isdigit()))
            for m in UNBREAKABLE.finditer(text)
        )
        <= REACH
    )


PIECES = st.sampled_from(
    [
        " ",
        "\u00a0",
        "-",
        ",",
        ".",
        "(",
        ")",
        "+",
        "$",
        "¥",
        "%",
        "x",
        "on ",
        "September ",
        "May ",
        "USD ",
        "CNY\u00a0",
        "人民币",
        "元",
        "年",
        "月",
        "日",
        " days",
        " Business Days",
        " months",
        "1",
        "12",
        "2026",
        "1,234.00",
        "555",
        "0216",
        "第三条",
    ]
)


@settings(max_examples=600, deadline=None)
@given(st.lists(PIECES, max_size=24))
def test_random_texts(pieces: list[str]) -> None:
    near, everywhere = spans("".join(pieces))
    assert near == everywhere


def test_every_text_the_samples_assemble(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def recording(text: str, **options: int) -> tuple[Block, ...]:
        seen.append(text)
        return parse_markdown(text, **options)

    monkeypatch.setattr(propgen.assemble, "parse_markdown", recording)
    for sample in sorted((ROOT / "samples").glob("*.yaml")):
        check(Path(sample))
    assert len(seen) > 100
    runs = 0
    for text in set(seen):
        near, everywhere = spans(text)
        assert near == everywhere, text[:200]
        runs += len(everywhere)
    assert runs > 100  # the samples' texts hold dates, amounts and units
