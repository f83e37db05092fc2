"""The tokeniser and the diff: words for Latin text, characters for Chinese; the
changes always rebuild both texts exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from propgen.negotiate.diff import diff_text, tokenise


def test_english_is_cut_into_words_spaces_and_punctuation() -> None:
    assert tokenise("Fees, within 30 days.", "en-US") == [
        "Fees",
        ",",
        " ",
        "within",
        " ",
        "30",
        " ",
        "days",
        ".",
    ]


def test_chinese_is_cut_into_characters_keeping_numbers_and_latin_words_whole() -> None:
    assert tokenise("付款期限为30日，SLA为99.9%。", "zh-CN") == [
        "付",
        "款",
        "期",
        "限",
        "为",
        "30",
        "日",
        "，",
        "SLA",
        "为",
        "99.9",
        "%",
        "。",
    ]


def test_a_changed_word_is_one_deletion_and_one_insertion() -> None:
    segments = diff_text("The Recipient will use it.", "The Recipient must use it.", "en-US")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "The Recipient "),
        ("delete", "will"),
        ("insert", "must"),
        ("equal", " use it."),
    ]


def test_chinese_changes_are_character_level() -> None:
    segments = diff_text("接收方应当保密", "接收方必须保密", "zh-CN")
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "接收方"),
        ("delete", "应当"),
        ("insert", "必须"),
        ("equal", "保密"),
    ]


def test_a_short_common_stretch_between_changes_reads_as_part_of_one_replacement() -> None:
    before = "以该期间内甲方应支付的合同价款为限。"
    after = "（二）本合同总价款¥1,542,431.92。"
    ops = [(s.op, s.text) for s in diff_text(before, after, "zh-CN")]
    assert ops == [("delete", before[:-1]), ("insert", after[:-1]), ("equal", "。")]


texts = st.text(alphabet=st.sampled_from(list("ab c,.甲乙方合同价款12 \n")), max_size=40)


@given(texts, texts, st.sampled_from(["en-US", "zh-CN"]))
def test_the_changes_rebuild_both_texts(before: str, after: str, locale: str) -> None:
    segments = diff_text(before, after, locale)
    assert "".join(s.text for s in segments if s.op != "insert") == before
    assert "".join(s.text for s in segments if s.op != "delete") == after
    assert "".join(tokenise(before, locale)) == before
