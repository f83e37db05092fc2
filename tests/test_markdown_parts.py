"""Markdown parsed part by part (cut at blank lines where CommonMark starts afresh)
gives exactly the blocks of parsing the whole text: on every text the samples
assemble, on hand-picked cases where a blank line does not end a construct, and on
random texts built from Markdown's block starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import propgen.assemble
from propgen.document import Block
from propgen.errors import LibraryError
from propgen.markdown import _parse, independent_parts, parse_markdown
from propgen.pipeline import check
from support import ROOT


def whole(text: str) -> tuple[Block, ...]:
    """The text parsed in one piece (parse_markdown's own cache is bypassed)."""
    return _parse.__wrapped__(text, 2)


def by_parts(text: str) -> tuple[Block, ...]:
    return tuple(b for part in independent_parts(text) for b in _parse(part, 2))


CASES = {
    "loose list across a blank line": "- a\n\n- b\n",
    "ordered loose list": "1. a\n\n2. b\n\n3) c\n",
    "list then paragraph": "- a\n- b\n\nafter\n",
    "indented continuation": "- a\n\n  still a\n\nnext\n",
    "indented code": "text\n\n    code\n\n    more code\n\nend\n",
    "fence with blank lines": "```\none\n\ntwo\n```\n\nafter\n",
    "tilde fence": "~~~\none\n\n# not a heading\n~~~\n",
    "reference definition": "see [the terms][t]\n\n[t]: https://example.com\n",
    "block quotes": "> a\n\n> b\n\nc\n",
    "table then paragraph": "| a | b |\n|---|---|\n| 1 | 2 |\n\nnext\n",
    "thematic break and setext": "para\n\n---\n\n===\n\ntitle\n---\n",
    "headings": "# One\n\ntext\n\n## Two\n\nmore\n",
    "tab indented": "- a\n\n\tb\n\nc\n",
    "blank lines with spaces": "a\n   \n\t\nb\n",
    "CJK soft breaks": "第一条\n约定\n\n第二条\n",
    "no trailing newline": "a\n\nb",
}


@pytest.mark.parametrize("text", CASES.values(), ids=list(CASES))
def test_hand_picked_cases(text: str) -> None:
    assert by_parts(text) == whole(text)
    assert parse_markdown(text) == whole(text)


def test_parts_are_cut_only_where_a_construct_cannot_go_on() -> None:
    assert independent_parts("a\n\nb\n\nc") == ["a\n\n", "b\n\n", "c"]
    assert independent_parts("- a\n\n- b") == ["- a\n\n- b"]
    assert independent_parts("- a\n\n  b\n\nc") == ["- a\n\n  b\n\n", "c"]
    assert independent_parts("```\na\n\nb\n```") == ["```\na\n\nb\n```"]


LINES = st.sampled_from(
    [
        "",
        "   ",
        "para *em* and **strong**",
        "第一段文字",
        "- item",
        "* item",
        "+ item",
        "1. one",
        "2) two",
        "  - nested",
        "   continued",
        "    code",
        "> quote",
        ">",
        "# Heading",
        "Title",
        "---",
        "===",
        "* * *",
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "[x]: https://example.com",
        "see [x]",
        "```",
        "\tcode",
        "text\\",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=14))
def test_random_texts(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        expected = whole(text)
    except LibraryError:
        with pytest.raises(LibraryError):
            parse_markdown.__wrapped__(text)
        return
    assert by_parts(text) == expected


def test_every_text_the_samples_assemble(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def recording(text: str, **options: int) -> tuple[Block, ...]:
        seen.append(text)
        return parse_markdown(text, **options)

    monkeypatch.setattr(propgen.assemble, "parse_markdown", recording)
    samples = sorted((ROOT / "samples").glob("*.yaml"))
    assert len(samples) >= 8
    for sample in samples:
        check(Path(sample))
    assert len(seen) > 100
    cut = [text for text in seen if len(independent_parts(text)) > 1]
    assert len(cut) > len(seen) // 3  # the cache works on most sections
    for text in set(seen):
        assert parse_markdown(text) == whole(text), text[:200]
