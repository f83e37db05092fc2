"""Short Chinese phrases in table cells stay on one line (:mod:`propgen.table_text`):
规模推广 and 标准级（本方案） are no longer broken in narrow columns (规模推|广,
标准级（本方|案）), in the PDF (kept whole, columns sized for them) and in the DOCX
(its column grid gives them their room); long Chinese prose still wraps."""

from __future__ import annotations

import html
import re
import subprocess
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from propgen.document import (
    Cell,
    ColumnSpec,
    Document,
    Row,
    Table,
    Text,
    inline_text,
    iter_blocks,
)
from propgen.markdown import parse_markdown
from propgen.pipeline import check
from propgen.render.html import build_html
from propgen.table_text import PHRASE, TABLE_CHARACTERS, kept_phrases, split_phrases
from support import HUAXIN, ROOT, SAMPLES, plain_meta, reference_of, require_tool

CHINESE = [s for s in SAMPLES if "zh-CN" in s.name or "bilingual" in s.name] + [HUAXIN]
THEME = ROOT / "templates" / "theme"


def kept(text: str) -> list[str]:
    return [piece for piece, keep in split_phrases(text) if keep]


def test_a_short_term_a_level_name_and_a_bracket_pair_are_kept_whole() -> None:
    assert kept("规模推广") == ["规模推广"]
    assert kept("标准级（本方案）") == ["标准级（本方案）"]
    assert kept("整单折扣（3%）") == ["整单折扣（3%）"]
    assert kept("《数据安全法》") == ["《数据安全法》"]
    assert kept("Service level 99.5%") == []


def test_long_prose_wraps_never_inside_a_short_bracket_pair() -> None:
    """A label's run longer than PHRASE wraps anywhere, its short runs and bracket pairs
    stay whole; prose (a cell with sentence punctuation) wraps as Chinese does, but not
    inside a short bracket pair, and a long bracket pair is read the same way inside."""
    label = "一级故障恢复或提供临时解决方案时限"
    assert len(label) > PHRASE and kept(label) == []
    assert kept("经营驾驶舱订阅（管理层账号）") == ["经营驾驶舱订阅", "（管理层账号）"]
    prose = "户名：克劳森精密部件（苏州）有限公司；账号：5129 0000"
    assert kept(prose) == ["（苏州）"]
    assert kept("合同总价值（三年，扣除优惠后，不含税）") == []
    assert kept("合同总价值（三年，含《附件一》所列服务）") == ["《附件一》"]
    text = "P1 为 7×24 小时；其他为每日 7:00 至 22:00"
    assert kept(text) == [] and "".join(piece for piece, _ in split_phrases(text)) == text


def widths(markdown: str) -> list[float]:
    (table,) = parse_markdown(markdown)
    assert isinstance(table, Table)
    weights = [column.width for column in table.columns]
    return [TABLE_CHARACTERS * weight / sum(weights) for weight in weights]


def test_a_chinese_level_name_gets_its_room_in_a_markdown_table() -> None:
    """The SLA table of the zh proposals: 标准级（本方案） is 16 half-width characters
    wide; its column gets that and padding, the service-hours prose column gives it."""
    columns = widths(
        "| 服务等级 | 服务时间 | P1 响应 |\n|---|---|---|\n"
        "| 标准级（本方案） | 工作日 8:00 至 18:00，其他时间按约定的应急流程处理 | 4 个工作小时 |\n"
    )
    assert columns[0] >= 16 + 2
    assert columns[2] >= 12 + 2  # "4 个工作小时": a Chinese character is two
    assert columns[1] > columns[0]  # the prose still has the most room


def cell_html(text: str, weights: tuple[int, int]) -> str:
    table = Table(
        header=None,
        rows=(Row((Cell((Text(text),)), Cell((Text("说明"),)))),),
        columns=(ColumnSpec("left", weights[0]), ColumnSpec("left", weights[1])),
    )
    document = Document(meta=plain_meta(locale="zh-CN"), blocks=(table,))
    markup = build_html(document, THEME.resolve(), standalone=False)
    first = re.search(r'<td class="a-left[^"]*">.*?</td>', markup)
    assert first is not None
    return first[0]


def test_the_pdf_keeps_a_phrase_whole_only_where_its_column_holds_it() -> None:
    """A phrase wider than its column would run over the cell's edge if kept whole:
    there it may still break."""
    # a cell that is one kept phrase carries the class itself (no span inside)
    assert cell_html("规模推广", (20, 80)) == '<td class="a-left nobr">规模推广</td>'
    assert cell_html("标准级（本方案）", (5, 95)) == '<td class="a-left">标准级（本方案）</td>'
    prose = "一级故障恢复或提供临时解决方案时限"
    assert cell_html(prose, (50, 50)) == f'<td class="a-left">{prose}</td>'


# --- every Chinese record, as rendered ---------------------------------------


Kept = dict[str, set[tuple[str, str]]]
"""Each kept phrase of a document's table cells, with the text of its cells before and
after it."""


def table_phrases(record: Path) -> dict[str, Kept]:
    """Per document (proposal, contract), the kept phrases of its table cells."""
    out: dict[str, Kept] = {}
    for kind, document in check(record, allow_draft=True).documents.items():
        phrases: Kept = {}
        for block in iter_blocks(document.blocks):
            if isinstance(block, Table):
                rows = [*([block.header] if block.header else []), *block.rows, *block.footer]
                for row in rows:
                    for cell in row.cells:
                        text = inline_text(cell.inlines)
                        for s, e in kept_phrases(text):
                            phrases.setdefault(text[s:e], set()).add((text[:s], text[e:]))
        out[kind] = phrases
    return out


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>'
)


@cache
def word_boxes(path: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, each word's left and top edges and text (``pdftotext -bbox``)."""
    pdftotext = require_tool("pdftotext", "poppler-utils")
    done = subprocess.run(
        [pdftotext, "-bbox", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        timeout=120,
    )
    pages = done.stdout.decode("utf-8").split("<page ")[1:]
    return [
        [(float(x), float(y), html.unescape(t)) for x, y, t in _WORD.findall(page)]
        for page in pages
    ]


TABLE_LINE = 14.0
"""The most a table's next line of text is below the last (9 pt at line-height 1.4 is
12.6 pt; body text lines are further apart)."""


def broken(phrases: Kept, pdf: Path) -> list[str]:
    """Kept phrases whose start ends one line of a cell and whose rest starts the next
    line at or left of it (the cell's left edge), each word agreeing with the text of a
    cell that keeps the phrase."""
    heads = {p[:k]: p for p in phrases for k in range(1, len(p))}
    found = []
    for page in word_boxes(pdf):
        for x, y, text in page:
            for k in range(1, min(len(text), PHRASE) + 1):
                phrase = heads.get(text[-k:])
                if phrase is None or len(phrase) <= k:
                    continue
                head, rest = text[:-k], phrase[k:]
                found += [
                    f"{text}|{following}"
                    for x2, y2, following in page
                    if 0 < y2 - y <= TABLE_LINE
                    and x2 <= x + 0.5
                    and following.startswith(rest)
                    and any(
                        before.endswith(head) and after.startswith(following[len(rest) :])
                        for before, after in phrases[phrase]
                    )
                ]
    return found


@pytest.mark.parametrize("record", CHINESE, ids=lambda p: p.name)
def test_no_short_phrase_of_a_table_cell_breaks_across_lines_in_the_pdf(
    record: Path, rendered_samples: Path, rendered_references: dict[Path, Path]
) -> None:
    folder = rendered_references[record] if record == HUAXIN else rendered_samples
    for kind, phrases in table_phrases(record).items():
        assert phrases, kind  # every Chinese document has tables with phrases
        pdf = folder / f"{reference_of(record)}-{kind}.pdf"
        assert broken(phrases, pdf) == [], pdf.name


def phrase_twips(phrase: str, half_points: int) -> float:
    """A phrase's width at its size: a Chinese character or full-width form is one
    em, anything else at most 0.6 em."""
    ems = sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in phrase)
    return ems * half_points * 10


@pytest.mark.parametrize("record", CHINESE, ids=lambda p: p.name)
def test_the_docx_column_grid_gives_each_short_phrase_its_room(
    record: Path, rendered_samples: Path, rendered_references: dict[Path, Path]
) -> None:
    """Each column of every table (those in a bilingual contract's columns too) is at
    least as wide as its widest kept phrase and the table style's cell margins (100
    twips each side): Word then has no reason to break it."""
    folder = rendered_references[record] if record == HUAXIN else rendered_samples
    checked = 0
    for kind in ("proposal", "contract"):
        body = docx.Document(str(folder / f"{reference_of(record)}-{kind}.docx")).element.body
        for tbl in body.iter(qn("w:tbl")):
            style = tbl.find(f"{qn('w:tblPr')}/{qn('w:tblStyle')}")
            if style is None or style.get(qn("w:val")) != "PropgenTable":
                continue
            grid = [int(col.get(qn("w:w"))) for col in tbl.iter(qn("w:gridCol"))]
            for tr in tbl.findall(qn("w:tr")):
                for column, tc in enumerate(tr.findall(qn("w:tc"))):
                    text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
                    sizes = [int(s.get(qn("w:val"))) for s in tc.iter(qn("w:sz"))] or [18]
                    for start, end in kept_phrases(text):
                        need = phrase_twips(text[start:end], max(sizes)) + 200
                        assert grid[column] >= need, (kind, text[start:end], grid)
                        checked += 1
    assert checked
