"""The figures a text states — amounts, numbers, percentages, dates — read the same
way from English and Chinese, so the two columns of a bilingual contract can be
compared; and the check that Chinese capital amounts (大写) state their figure.

``¥1,542,431.92`` and ``CN¥1,542,431.92`` are both 1542431.92; ``2027年5月10日`` and
``May 10, 2027`` are both the date 2027-05-10; ``十五日`` and ``15 days`` are both 15;
``百分之十`` and ``10%`` are both 10; ``万分之五`` and ``0.05%`` are both 0.05. A lone
"one" (一方, 一日, one party) is idiom rather than a figure and is not counted;
cross-references are compared by target, not by their wording.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from propgen.document import (
    Block,
    BulletList,
    Emph,
    Heading,
    Inline,
    LineBreak,
    OrderedList,
    PageBreak,
    Paragraph,
    Parallel,
    Ref,
    Section,
    SignatureBlock,
    Strong,
    Table,
    TableOfContents,
    Text,
)
from propgen.errors import Problem
from propgen.i18n import N_
from propgen.locale import EN_ONES, EN_TENS
from propgen.locales import is_chinese
from propgen.numerals import CN_NUMERAL as _CN_NUMERAL
from propgen.numerals import chinese_numeral, percent_value

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_EN_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),\s*(\d{4})")
_ZH_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DIGITS = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CENTS_IN_WORDS = re.compile(r"\band \d{1,3}/(?:10|100|1000)\b")
"""The cents of an amount in English words (``and 92/100``), which 大写 says in 角分."""

_CN_COUNTED = re.compile(
    rf"(?<![第{_CN_NUMERAL[1:-2]}])({_CN_NUMERAL})(?=个?(?:工作日|自然日|日|天|小时|个月|月|年|周|次|份|期|名|项|倍|%))"
)
_CN_FRACTION = re.compile(rf"(百|千|万)分之({_CN_NUMERAL})")
_CN_ANNEX = re.compile(rf"附件({_CN_NUMERAL})")
_CN_ARTICLE = re.compile(rf"第({_CN_NUMERAL})(?=条|款|项)")
"""An article of a statute (《民法典》第五百九十条 = Article 590); the contract's own
clause numbers are cross-references, compared by target."""

_EN_TENS = {name: 10 * i for i, name in enumerate(EN_TENS) if name}
_EN_WORD = "|".join([*EN_ONES, *_EN_TENS])
_EN_COUNTED = re.compile(
    rf"\b((?:{_EN_WORD})(?:-(?:{_EN_WORD}))?)\s+(?=(?:business\s+|calendar\s+|working\s+)?"
    r"(?:days?|hours?|months?|years?|weeks?|times|copies|counterparts|instalments|installments)\b)",
    re.IGNORECASE,
)

_EN_TWICE = re.compile(r"\btwice\b", re.IGNORECASE)
"""两次 / twice."""

_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_CAPITAL = re.compile(
    r"[壹贰叁肆伍陆柒捌玖零拾佰仟万亿]+元(?:整|(?:[零壹贰叁肆伍陆柒捌玖]角)?(?:[零壹贰叁肆伍陆柒捌玖]分)?)"
    r"|(?<![壹贰叁肆伍陆柒捌玖拾佰仟万亿元])零元整|(?<![元])[壹贰叁肆伍陆柒捌玖]角(?:[壹贰叁肆伍陆柒捌玖]分)?"
    r"|(?<![元角零])[壹贰叁肆伍陆柒捌玖]分"
)


def capital_amount(text: str) -> Decimal:
    """``壹佰伍拾肆万贰仟肆佰叁拾壹元玖角贰分`` → 1542431.92 (the 大写 of an amount)."""
    yuan, _, cents = text.partition("元")
    if not _:  # no 元: only 角 and 分
        yuan, cents = "", text
    places = {"拾": 10, "佰": 100, "仟": 1000}
    total = section = digit = 0
    for ch in yuan:
        if ch in _CAPITAL_DIGITS:
            digit = _CAPITAL_DIGITS.index(ch)
        elif ch in places:
            section += digit * places[ch]
            digit = 0
        elif ch == "万":
            total += (section + digit) * 10_000
            section = digit = 0
        elif ch == "亿":
            total = (total + section + digit) * 100_000_000
            section = digit = 0
    amount = Decimal(total + section + digit)
    for ch, unit in itertools.pairwise(cents):
        if ch in _CAPITAL_DIGITS and unit in "角分":
            amount += Decimal(_CAPITAL_DIGITS.index(ch)) / (10 if unit == "角" else 100)
    return amount


def _number(text: str) -> str | None:
    try:
        return _token(Decimal(text.replace(",", "")))
    except InvalidOperation:
        return None


def _token(value: Decimal) -> str:
    """``6800.00`` → ``6800``, ``0.050`` → ``0.05`` (never ``6.8E+3``)."""
    text = format(value.normalize(), "f")
    return text


def _english_words(words: str) -> int:
    total = 0
    for part in words.lower().split("-"):
        total += _EN_TENS.get(part, 0) or (EN_ONES.index(part) if part in EN_ONES else 0)
    return total


def text_figures(text: str) -> Counter[str]:
    """The figures ``text`` states, each as a normalised token (``1542431.92``,
    ``2027-05-10``), counted."""
    found: Counter[str] = Counter()

    def date(year: str, month: int, day: str) -> str:
        found[f"{int(year):04d}-{month:02d}-{int(day):02d}"] += 1
        return " "

    text = _EN_DATE.sub(lambda m: date(m[3], _MONTHS.index(m[1]) + 1, m[2]), text)
    text = _ZH_DATE.sub(lambda m: date(m[1], int(m[2]), m[3]), text)
    text = _CENTS_IN_WORDS.sub(" ", text)

    def fraction(m: re.Match[str]) -> str:
        value = percent_value(m[0])
        if value is not None:
            found[_token(value)] += 1
        return " "

    text = _CN_FRACTION.sub(fraction, text)

    def counted(value: int) -> str:
        if value != 1:  # 一方, 一日, "one party": idiom, not a figure
            found[_token(Decimal(value))] += 1
        return " "

    text = _CN_COUNTED.sub(lambda m: counted(chinese_numeral(m[1])), text)
    text = _CN_ARTICLE.sub(lambda m: counted(chinese_numeral(m[1])), text)
    text = _CN_ANNEX.sub(lambda m: (found.update([str(chinese_numeral(m[1]))]), "附件 ")[1], text)
    text = _EN_COUNTED.sub(lambda m: counted(_english_words(m[1])), text)
    text = _EN_TWICE.sub(lambda m: counted(2), text)
    for match in _DIGITS.finditer(text):
        value = _number(match.group())
        if value is not None:
            found[value] += 1
    return found


def has_figures(text: str) -> bool:
    return bool(text_figures(text))


_NOT_WORDS = re.compile(r"[\W\d_]+")


def only_figures(text: str) -> bool:
    """Whether ``text`` is figures alone, with at most a currency's letters
    (``¥1,200.00``, ``CN¥1,200.00``, ``13%``) — no words in either language."""
    return has_figures(text) and len(_NOT_WORDS.sub("", text)) <= 3


def same_figures(one: str, other: str) -> bool:
    return text_figures(one) == text_figures(other)


def block_text(blocks: Iterable[Block]) -> tuple[str, Counter[str]]:
    """The plain text of some blocks (cross-references left out) and the targets of
    their cross-references, counted."""
    parts: list[str] = []
    targets: Counter[str] = Counter()

    def inlines(items: tuple[Inline, ...]) -> None:
        for inline in items:
            match inline:
                case Text():
                    parts.append(inline.text)
                case Ref():
                    targets[inline.target] += 1
                    parts.append(" ")
                case Strong() | Emph():
                    inlines(inline.children)
                case LineBreak():
                    parts.append(" ")

    def walk(block: Block) -> None:
        match block:
            case Heading() | Paragraph():
                inlines(block.inlines)
            case BulletList() | OrderedList():
                for item in block.items:
                    for child in item.blocks:
                        walk(child)
            case Table():
                for row in (block.header, *block.rows, *block.footer):
                    for cell in row.cells if row else ():
                        inlines(cell.inlines)
                        parts.append("\n")
            case Section():
                for child in block.blocks:
                    walk(child)
            case SignatureBlock():
                for person in block.signatories:
                    parts.extend([person.heading, person.party, *person.lines])
            case Parallel():
                for column in block.columns:
                    for child in column.blocks:
                        walk(child)
            case TableOfContents() | PageBreak():
                pass
        parts.append("\n")

    for block in blocks:
        walk(block)
    return "".join(parts), targets


def compare_row(
    section_id: str,
    row: int,
    first: tuple[str, tuple[Block, ...]],
    second: tuple[str, tuple[Block, ...]],
    section_figures: Counter[str],
) -> list[Problem]:
    """Problems with one row of a bilingual contract: figures that one column states
    and the other does not, cross-references to different clauses, and Chinese
    capital amounts (大写) that state no figure of their section (``section_figures``)."""
    (one, blocks_one), (other, blocks_other) = first, second
    text_one, refs_one = block_text(blocks_one)
    text_two, refs_two = block_text(blocks_other)

    def at_row(message: str) -> str:
        return _AT_ROW.format(clause=section_id, row=row, message=message)

    problems = []
    figures_one, figures_two = text_figures(text_one), text_figures(text_two)
    if figures_one != figures_two:
        only_one = sorted((figures_one - figures_two).elements())
        only_two = sorted((figures_two - figures_one).elements())
        problems.append(
            Problem(
                message=at_row(
                    N_(
                        "the {one} and {other} columns state different figures "
                        "({one} only: {only_one}; {other} only: {only_two})"
                    ).format(
                        one=one,
                        other=other,
                        only_one=", ".join(only_one) or "none",
                        only_two=", ".join(only_two) or "none",
                    )
                ),
                field=section_id,
                hint=N_(
                    "the library's translation of this clause must state the same amounts, "
                    "numbers, percentages and dates as its text"
                ),
            )
        )
    if refs_one != refs_two:
        problems.append(
            Problem(
                message=at_row(
                    N_("the {one} and {other} columns refer to different clauses").format(
                        one=one, other=other
                    )
                ),
                field=section_id,
                hint=N_("a translation refers with ref() to the same clauses as its text"),
            )
        )
    for locale, text in ((one, text_one), (other, text_two)):
        if is_chinese(locale):
            problems += capital_problems(section_id, row, text, section_figures)
    return problems


_AT_ROW = N_("clause {clause!r}, row {row}: {message}")


def capital_problems(section_id: str, row: int, text: str, figures: Counter[str]) -> list[Problem]:
    """Each 大写 amount in ``text`` must be one of ``figures``."""
    problems = []
    for match in _CAPITAL.finditer(text):
        amount = _token(capital_amount(match.group()))
        if amount not in figures:
            problems.append(
                Problem(
                    message=_AT_ROW.format(
                        clause=section_id,
                        row=row,
                        message=N_(
                            "the amount in capitals {capitals!r} is {amount}, "
                            "which no figure of the clause states"
                        ).format(capitals=match.group(), amount=amount),
                    ),
                    field=section_id,
                    hint=N_("state the figure and its 大写 from the same value"),
                )
            )
    return problems
