"""Figures read the same from English and Chinese text; 大写 reads back to its figure."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from propgen.document import Paragraph, Ref, Text
from propgen.figures import capital_amount, compare_row, text_figures
from propgen.locale import chinese_capital_amount
from propgen.numerals import chinese_numeral, number_value, percent_value


@pytest.mark.parametrize(
    ("zh", "en"),
    [
        ("合同总价款为¥1,542,431.92", "the total Fees are CN¥1,542,431.92"),
        ("自2027年5月10日起", "from May 10, 2027"),
        ("在收到通知后十五日内", "within 15 days after the notice"),
        ("累计不超过百分之十", "not more than 10% in total"),
        ("按万分之五支付违约金", "liquidated damages at 0.05%"),
        ("税率13%", "at a rate of 13%"),
        ("一方应在三十个工作日内", "a party shall within thirty business days"),
        ("详见附件二", "see Annex 2"),
    ],
)
def test_the_same_figures_in_both_languages(zh: str, en: str) -> None:
    assert text_figures(zh) == text_figures(en) != Counter()


def test_a_different_figure_is_seen() -> None:
    assert text_figures("逾期超过六十日的") != text_figures("more than 90 days overdue")
    assert text_figures("每月1%") != text_figures("per day 0.05%")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十五", 15),
        ("二十一", 21),
        ("一百二十", 120),
        ("三十五万", 350000),
        ("一百零五", 105),
        ("一亿二千万", 120_000_000),
    ],
)
def test_chinese_numerals(text: str, value: int) -> None:
    assert chinese_numeral(text) == value


@pytest.mark.parametrize(
    "amount", ["1542431.92", "0.05", "10", "100000000.10", "20003.00", "361600", "1010.01"]
)
def test_capital_amounts_read_back(amount: str) -> None:
    written = chinese_capital_amount(Decimal(amount)).removeprefix("人民币")
    assert capital_amount(written) == Decimal(amount)


def test_a_row_with_a_wrong_capital_amount_is_refused() -> None:
    zh = (Paragraph((Text("总价款为¥1,000.00（大写：人民币壹仟零壹元整）"),)),)
    en = (Paragraph((Text("the total is CN¥1,000.00"),)),)
    problems = compare_row("fees", 2, ("zh-CN", zh), ("en-US", en), text_figures("¥1,000.00"))
    assert len(problems) == 1
    assert "fees" in problems[0].message and "壹仟零壹元整" in problems[0].message


def test_rows_citing_different_clauses_are_refused() -> None:
    zh = (Paragraph((Text("依照"), Ref("第4.2款", "clause-term-2", "4.2"))),)
    en = (Paragraph((Text("under "), Ref("clause 5.2", "clause-scope-2", "5.2"))),)
    problems = compare_row("fees", 3, ("zh-CN", zh), ("en-US", en), Counter())
    assert [p.field for p in problems] == ["fees"]
    assert "different clauses" in problems[0].message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("60", "60"),
        ("六十", "60"),
        ("陆拾", "60"),
        ("1,200,000", "1200000"),
        ("120万", "1200000"),
        ("一百二十万", "1200000"),
        ("1.5", "1.5"),
        ("万", None),
        ("sixty", None),
    ],
)
def test_one_reader_for_numbers_in_digits_or_chinese(text: str, value: str | None) -> None:
    """The reader review's figures share with the bilingual checks."""
    assert number_value(text) == (Decimal(value) if value else None)


@pytest.mark.parametrize(
    ("text", "value"), [("8%", "8"), ("8 %", "8"), ("百分之八", "8"), ("千分之五", "0.5")]
)
def test_percentages_in_digits_or_chinese(text: str, value: str) -> None:
    assert percent_value(text) == Decimal(value)
