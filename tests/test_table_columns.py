"""Column widths of a library table: a column never gets less room than its longest
run that cannot break, and text columns give up room first when a wide table does not
fit across the page."""

from __future__ import annotations

from propgen.document import Table
from propgen.markdown import parse_markdown
from propgen.table_text import TABLE_CHARACTERS

ROWS = (
    ("Service level", "Monthly availability", "Support hours", "P1 response", "P2 response",
     "P3 response"),
    ("Standard", "99.5%", "Business days, 8:00 a.m. to 6:00 p.m.", "4 business hours",
     "1 business day", "3 business days"),
    ("Premium (proposed)", "99.9%", "24×7 for P1; 7:00 a.m. to 10:00 p.m. daily otherwise",
     "1 hour", "4 business hours", "1 business day"),
)  # fmt: skip
SERVICE_LEVELS = "\n".join(
    "| " + " | ".join(row) + " |" for row in (ROWS[0], ("---",) * 6, *ROWS[1:])
)


def widths(markdown: str) -> list[float]:
    (table,) = parse_markdown(markdown)
    assert isinstance(table, Table)
    weights = [column.width for column in table.columns]
    return [TABLE_CHARACTERS * weight / sum(weights) for weight in weights]


def test_a_quantity_kept_whole_gets_its_room_when_the_table_is_wide() -> None:
    """ "3 business days" cannot break (unbreakable.py); its column gets at least its
    15 characters and padding, taken from the text columns."""
    columns = widths(SERVICE_LEVELS)
    assert columns[5] >= len("3 business days") + 2
    assert columns[4] >= len("1 business day") + 2
    assert columns[1] >= len("availability")  # the longest word of its column
    assert columns[2] < 24  # "Support hours" text wraps to give that room


def test_a_narrow_table_is_sized_by_its_text_as_before() -> None:
    columns = widths("| Item | Amount |\n|---|---|\n| Licence | $1,200.00 |\n")
    assert abs(columns[0] / columns[1] - len("Licence") / len("$1,200.00  ")) < 0.01


def test_chinese_text_is_not_one_long_word() -> None:
    """Chinese breaks between any two characters: a long Chinese cell does not claim
    the room of an unbreakable word."""
    cell = "乙方应在收到甲方书面通知后五个工作日内完成整改并提交书面报告" * 2
    columns = widths(f"| 项目 | 说明 | 期限 |\n|---|---|---|\n| 整改 | {cell} | 5个工作日 |\n")
    # 说明 is sized as text (24 half-width characters), 期限 by its figure "5个工作日"
    # (nine: a Chinese character is two) and padding
    assert abs(columns[1] / columns[2] - 24 / 11) < 0.01
