"""The DOCX renderer, read back with python-docx (and converted by LibreOffice)."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from propgen.document import (
    BulletList,
    Cell,
    ColumnSpec,
    CoverLine,
    Document,
    Emph,
    Heading,
    LineBreak,
    ListItem,
    Meta,
    OrderedList,
    PageBreak,
    Paragraph,
    Row,
    Section,
    Signatory,
    SignatureBlock,
    Strong,
    Table,
    TableOfContents,
    TableRole,
    Text,
)
from propgen.errors import LibraryError, PropgenError
from propgen.render.docx import render_docx
from support import list_labels, paragraphs, plain_meta, require_tool, style_name, tables

THEME = Path(__file__).parents[2] / "templates" / "theme"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NASTY = "A & B < C > D \"q\" 'a' {{ x }} {% if %} <select> ]]> {_{ y }_} %_}"


def t(text: str) -> tuple[Text]:
    return (Text(text),)


def row(*cells: str, style: str = "body") -> Row:
    return Row(tuple(Cell(t(c)) for c in cells), style=style)  # type: ignore[arg-type]


EN: dict[str, Any] = {
    "title": "Proposal for Acme Logistics",
    "subtitle": "Fleet telematics platform, 36-month subscription",
    "lines": [
        ("Prepared for", "Acme Logistics, Inc."),
        ("Prepared by", "Jane Smith, Meridian"),
        ("Reference", "PG-2026-0142 · v1"),
        ("Date", "May 4, 2026"),
        ("Valid until", "June 3, 2026"),
    ],
    "header": "Meridian Systems · Proposal PG-2026-0142",
    "footer": "PG-2026-0142 · v1",
    "page": ("Page", "of"),
    "toc": "Contents",
    "h": ["Executive summary", "Our understanding", "Pricing", "Terms", "Acceptance"],
    "para": "Acme runs 1,240 vehicles across 14 depots. Dispatchers re-plan routes by hand "
    "every morning, which costs roughly 90 minutes per depot per day and leaves no time "
    "to react to traffic. This proposal sets out how Meridian Fleet cuts that to minutes.",
    "cols": ("Item", "Qty", "Unit price", "Total"),
    "items": [
        ("Fleet platform licence", "1,240", "$18.00", "$22,320.00"),
        ("Implementation services", "1", "$38,500.00", "$38,500.00"),
        ("Driver app training (optional)", "14", "$900.00", "$12,600.00"),
    ],
    "foot": [("Subtotal", "$60,820.00"), ("Tax (8%)", "$4,865.60"), ("Total", "$65,685.60")],
    "sig": [("For the Customer", "Acme Logistics, Inc."), ("For the Seller", "Meridian Systems")],
    "sign": ("Signature", "Name", "Title", "Date"),
    "notice": "This draft contains 2 deviations awaiting approval.",
    "watermark": "DRAFT",
    "num": ("1.", "2.", "3.", "4.", "5."),
}
ZH: dict[str, Any] = {
    "title": "致艾克米物流的商务建议书",
    "subtitle": "车队远程信息平台 · 36 个月订阅",
    "lines": [
        ("客户", "艾克米物流有限公司"),
        ("编制", "张伟，子午线系统"),
        ("编号", "PG-2026-0142 · v1"),
        ("日期", "2026年5月4日"),
        ("有效期至", "2026年6月3日"),
    ],
    "header": "子午线系统 · 建议书 PG-2026-0142",
    "footer": "PG-2026-0142 · v1",
    "page": ("第", "页，共", "页"),
    "toc": "目录",
    "h": ["执行摘要", "需求理解", "报价", "条款", "确认"],
    "para": "艾克米物流在 14 个场站运营 1,240 辆车。调度员每天早上手工重新规划路线，每个场站每天"
    "约需 90 分钟，且无法及时应对交通状况。本建议书说明子午线车队平台如何将其缩短到几分钟。",
    "cols": ("项目", "数量", "单价", "金额"),
    "items": [
        ("车队平台许可", "1,240", "¥128.00", "¥158,720.00"),
        ("实施服务", "1", "¥268,000.00", "¥268,000.00"),
        ("司机应用培训（可选）", "14", "¥6,000.00", "¥84,000.00"),
    ],
    "foot": [("小计", "¥426,720.00"), ("税额（6%）", "¥25,603.20"), ("合计", "¥452,323.20")],
    "sig": [("甲方（盖章）", "艾克米物流有限公司"), ("乙方（盖章）", "子午线系统有限公司")],
    "sign": ("授权代表签字", "日期"),
    "notice": "本草稿包含 2 项待审批的偏离条款。",
    "watermark": "草稿",
    "num": ("第一条", "第二条", "第三条", "第四条", "第五条"),
}


def sample(locale: str = "en-US", *, extra: str = "", logo: str = "logo.svg") -> Document:
    s = EN if locale == "en-US" else ZH
    h, num = s["h"], s["num"]
    pricing = Table(
        header=row(*s["cols"]),
        rows=(row(*s["items"][0]), row(*s["items"][1]), row(*s["items"][2], style="optional")),
        footer=(
            row(s["foot"][0][0], "", "", s["foot"][0][1], style="subtotal"),
            row(s["foot"][1][0], "", "", s["foot"][1][1]),
            row(s["foot"][2][0], "", "", s["foot"][2][1], style="total"),
        ),
        columns=(
            ColumnSpec("left", 5),
            ColumnSpec("right", 1),
            ColumnSpec("right", 2),
            ColumnSpec("right", 2),
        ),
        role="pricing",
        caption=s["cols"][3],
    )
    blocks = (
        TableOfContents(s["toc"]),
        PageBreak(),
        Section(
            "executive-summary",
            (
                Heading(1, t(h[0]), anchor="executive-summary", number=num[0]),
                Paragraph(t(s["para"]), style="lead"),
                Paragraph(
                    (
                        Text("Key outcome: "),
                        Strong(t("90 → 5 min")),
                        Text(" per depot; "),
                        Emph(t("measured")),
                        LineBreak(),
                        Text("second line" + extra),
                    )
                ),
                BulletList(
                    (
                        ListItem((Paragraph(t("Live routing")),)),
                        ListItem(
                            (
                                Paragraph(t("Driver app")),
                                BulletList((ListItem((Paragraph(t("Android")),)),)),
                            )
                        ),
                    )
                ),
            ),
        ),
        Section(
            "understanding",
            (
                Heading(1, t(h[1]), anchor="understanding", number=num[1]),
                Heading(2, t(h[1] + " · 2"), anchor="understanding-detail"),
                Paragraph(t(s["para"])),
                OrderedList(
                    (
                        ListItem((Paragraph(t("Discover")),)),
                        ListItem((Paragraph(t("Pilot")),)),
                        ListItem((Paragraph(t("Roll out")),)),
                    )
                ),
                OrderedList((ListItem((Paragraph(t("Again")),)),), start=4),
                Heading(3, t("Level three"), anchor="lvl3", in_toc=False),
            ),
        ),
        Section(
            "pricing",
            (
                Heading(1, t(h[2]), anchor="pricing", number=num[2]),
                pricing,
                Paragraph(t(s["foot"][2][1]), style="amount"),
                Paragraph(t(s["para"][:60]), style="note"),
            ),
        ),
        Section(
            "terms",
            (
                Heading(1, t(h[3]), anchor="terms", number=num[3]),
                Paragraph(t(s["para"]), style="lead"),
                Paragraph(t(s["para"]), number="4.1"),
                Paragraph(t(s["para"][:80]), number="4.2"),
                Paragraph(t(s["notice"]), style="note"),
            ),
        ),
        Section(
            "acceptance",
            (
                Heading(1, t(h[4]), anchor="acceptance", number=num[4]),
                SignatureBlock(tuple(Signatory(a, b, s["sign"]) for a, b in s["sig"])),
            ),
        ),
    )
    meta = Meta(
        kind="proposal",
        locale=locale,
        title=s["title"] + extra,
        subtitle=s["subtitle"],
        reference="PG-2026-0142",
        date_iso="2026-05-04",
        cover_lines=tuple(CoverLine(a, b) for a, b in s["lines"])
        + ((CoverLine("Special", extra),) if extra else ()),
        header=s["header"] + extra,
        footer=s["footer"],
        page_label=s["page"][0],
        of_label=s["page"][1],
        page_suffix=s["page"][2] if len(s["page"]) > 2 else "",
        seller_name="Meridian Systems",
        customer_name="Acme",
        author="Jane Smith",
        watermark=s["watermark"],
        notice=s["notice"],
        logo=logo,
        keywords=("proposal", "fleet"),
    )
    return Document(meta, blocks)


def load(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def all_text(d: docx.document.Document) -> str:
    parts = [p.text for p in paragraphs(d)]
    for table in tables(d):
        parts += [c.text for r in table.rows for c in r.cells]
    for s in d.sections:
        parts += [p.text for p in s.header.paragraphs + s.footer.paragraphs]
    return "\n".join(parts)


def test_styles_headings_lists_and_toc() -> None:
    d = load(render_docx(sample(), THEME))
    styles = {style_name(p): p.text for p in paragraphs(d)}
    assert styles["Clause Heading"] == "Acceptance"  # numbered 1.-5.: the clause list
    assert "Heading 2" in styles and "Heading 3 Unlisted" in styles
    for name in (
        "Lead",
        "Note",
        "Amount",
        "List Bullet",
        "List Number",
        "TOC Heading",
        "toc 1",
        "toc 2",
    ):
        assert name in styles, name
    labels = list_labels(d)
    clauses = enumerate(paragraphs(d))
    heads = [f"{labels[i]} {p.text}" for i, p in clauses if style_name(p) == "Clause Heading"]
    assert heads == [
        "1. Executive summary",
        "2. Our understanding",
        "3. Pricing",
        "4. Terms",
        "5. Acceptance",
    ]
    toc = [p.text for p in paragraphs(d) if style_name(p).startswith("toc ")]
    assert toc[0] == "1. Executive summary" and "Level three" not in toc
    body = d.element.body
    instr = body.xpath('.//w:instrText[contains(., "TOC ")]')[0].text
    assert '\\t "Heading 1,1,Heading 2,2,Clause Heading,1"' in instr
    assert len(body.xpath(".//w:numPr")) >= 6
    assert {b.get(f"{W}name") for b in body.xpath(".//w:bookmarkStart")} >= {
        "executive_summary",
        "understanding",
        "pricing",
        "understanding_detail",
    }
    assert d.settings.element.find(f"{W}updateFields") is not None
    subs = [labels[i] for i, p in enumerate(paragraphs(d)) if style_name(p) == "Subclause"]
    assert subs == ["4.1", "4.2"]
    assert body.xpath(".//w:pageBreakBefore")


def test_tables_header_footer_and_signatures() -> None:
    d = load(render_docx(sample(), THEME))
    pricing = next(tb for tb in tables(d) if tb.cell(0, 0).text == "Item")
    assert pricing.style is not None and pricing.style.name == "Propgen Table"
    assert pricing.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert [c.text for c in pricing.rows[-1].cells] == ["Total", "", "", "$65,685.60"]
    assert pricing.rows[-1].cells[0].paragraphs[0].runs[0].bold
    assert pricing.rows[3].cells[0].paragraphs[0].runs[0].italic  # optional line
    assert pricing.cell(1, 3).paragraphs[0].alignment == WD_ALIGN_PARAGRAPH.RIGHT
    widths = [int(g.get(f"{W}w")) for g in pricing._tbl.xpath("./w:tblGrid/w:gridCol")]
    assert widths[0] == pytest.approx(sum(widths) / 2, abs=2)
    assert abs(widths[1] * 2 - widths[2]) <= 2  # integer twips of the page's text width
    sig = tables(d)[-1]
    assert (
        "Acme Logistics, Inc." in sig.cell(0, 0).text and "Meridian Systems" in sig.cell(0, 1).text
    )
    assert "Signature" in sig.cell(0, 0).text
    cover = tables(d)[0]
    assert [c.text for c in cover.rows[0].cells] == ["Prepared for", "Acme Logistics, Inc."]


def test_cover_header_footer_watermark_and_logo() -> None:
    data = render_docx(sample(), THEME)
    d = load(data)
    text = all_text(d)
    for expected in (EN["title"], EN["subtitle"], EN["notice"], EN["header"]):
        assert expected in text
    footer = d.sections[-1].footer._element
    instr = " ".join(footer.xpath(".//w:instrText/text()"))
    assert "PAGE" in instr and "NUMPAGES" in instr
    assert "PG-2026-0142 · v1 · Page" in "".join(footer.xpath(".//w:t/text()"))
    for section in d.sections:
        marks = section.header._element.xpath('.//*[local-name()="textpath"][@string]')
        assert [m.get("string") for m in marks] == ["DRAFT"]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert any(n.startswith("word/media/") for n in names)
    assert d.core_properties.title == EN["title"] and d.core_properties.author == "Jane Smith"
    assert d.core_properties.created.date().isoformat() == "2026-05-04"


def test_no_logo_no_watermark_no_notice() -> None:
    doc = sample(logo="missing.svg")
    meta = doc.meta.__class__(**{**doc.meta.__dict__, "watermark": "", "notice": ""})
    data = render_docx(Document(meta, doc.blocks), THEME)
    d = load(data)
    assert not any(
        n.startswith("word/media/") for n in zipfile.ZipFile(io.BytesIO(data)).namelist()
    )
    assert not d.element.xpath('//*[local-name()="textpath"]')
    assert not any(style_name(p) == "Notice" and not p.text for p in paragraphs(d))
    assert EN["notice"] not in "\n".join(p.text for p in paragraphs(d)[:8])


def test_special_characters_stay_literal() -> None:
    d = load(render_docx(sample(extra=NASTY), THEME))
    text = all_text(d)
    assert EN["title"] + NASTY in text  # cover (frame placeholder)
    assert "second line" + NASTY in text  # body (subdoc run)
    assert EN["header"] + NASTY in text  # header
    assert NASTY in [c.text for c in tables(d)[0].rows[-1].cells]  # cover_lines loop
    assert d.core_properties.title == EN["title"] + NASTY


def test_chinese_fonts_and_language() -> None:
    data = render_docx(sample("zh-CN"), THEME)
    d = load(data)
    text = all_text(d)
    assert ZH["title"] in text and "甲方（盖章）" in text
    labels = list_labels(d)
    first = next(i for i, p in enumerate(paragraphs(d)) if p.text == "执行摘要")
    assert labels[first] == "第一条" and style_name(paragraphs(d)[first]) == "Clause Heading"
    styles = d.styles.element
    fonts = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts")[0]
    assert fonts.get(f"{W}eastAsia") == "DengXian"  # Office's 等线 (docs/fonts.md)
    lang = styles.xpath("w:docDefaults/w:rPrDefault/w:rPr/w:lang")[0]
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    marks = d.sections[-1].header._element.xpath('.//*[local-name()="textpath"][@string]')
    assert marks[0].get("string") == "草稿"


def test_minimal_document() -> None:
    meta = plain_meta(
        title="Contract", reference="", date_iso="", seller_name="", customer_name="", author=""
    )
    blocks = (Paragraph(t("Only text.")), Table(None, (), (), (), caption="Empty"))
    data = render_docx(Document(meta, blocks), THEME)
    d = load(data)
    assert [p.text for p in paragraphs(d) if p.text] == ["Contract", "Only text.", "Empty"]
    assert not tables(d)  # the cover table goes with its rows (Word refuses empty tables)
    assert not d.element.xpath("//w:tbl[not(w:tr)]")
    assert render_docx(Document(meta, blocks), THEME) == data


def test_control_characters_are_refused() -> None:
    doc = sample()
    with pytest.raises(PropgenError):
        render_docx(Document(doc.meta, (Paragraph(t("bell \a")),)), THEME)
    meta = doc.meta.__class__(**{**doc.meta.__dict__, "title": "form feed \f"})
    with pytest.raises(PropgenError):
        render_docx(Document(meta, ()), THEME)


def test_deterministic_bytes() -> None:
    for locale in ("en-US", "zh-CN"):
        assert render_docx(sample(locale), THEME) == render_docx(sample(locale), THEME)
    infos = zipfile.ZipFile(io.BytesIO(render_docx(sample(), THEME))).infolist()
    assert {i.date_time for i in infos} == {(2026, 5, 4, 0, 0, 0)}


def test_missing_frame_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(LibraryError):
        render_docx(sample(), tmp_path)


def _frame_with_body_placed(tmp_path: Path, times: int) -> Path:
    """A copy of the theme whose frame places ``{{p body }}`` ``times`` times."""
    theme = tmp_path / "theme"
    shutil.copytree(THEME, theme)
    with zipfile.ZipFile(THEME / "frame.docx") as frame:
        members = {info.filename: frame.read(info) for info in frame.infolist()}
    xml = members["word/document.xml"].decode()
    start = xml.rindex("<w:p>", 0, xml.index("{{p body }}"))
    end = xml.index("</w:p>", start) + len("</w:p>")
    members["word/document.xml"] = (xml[:start] + xml[start:end] * times + xml[end:]).encode()
    with zipfile.ZipFile(theme / "frame.docx", "w") as out:
        for name, data in members.items():
            out.writestr(name, data)
    return theme


@pytest.mark.parametrize("times", [0, 2])
def test_frame_must_place_the_body_once(tmp_path: Path, times: int) -> None:
    """The body goes in as elements where the frame's ``{{p body }}`` rendered: a frame
    without one, or with two, is refused naming the frame (no body lost or doubled)."""
    theme = _frame_with_body_placed(tmp_path, times)
    with pytest.raises(LibraryError, match=f"places the body {times} times") as caught:
        render_docx(sample(), theme)
    assert "frame.docx" in str(caught.value)


def test_body_text_like_docxtpl_delimiters_stays_literal() -> None:
    """Body text is never run through docxtpl: ``{_{`` and ``{{ x }}`` stay as typed."""
    text = "Escapes {_{ a }_} and {{ title }} and {% if x %} stay literal."
    doc = sample()
    doc = replace(doc, blocks=(*doc.blocks, Paragraph((Text(text),))))
    rendered = docx.Document(io.BytesIO(render_docx(doc, THEME)))
    assert text in [p.text for p in paragraphs(rendered)]


@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_libreoffice_converts(tmp_path: Path, locale: str) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    src = tmp_path / f"doc-{locale}.docx"
    src.write_bytes(render_docx(sample(locale), THEME))
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(src),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    pdf = src.with_suffix(".pdf")
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")


def test_numbers_the_list_would_not_print_stay_typed() -> None:
    """Headings numbered otherwise than 1., 2., ... keep their typed numbers."""
    base = sample()
    blocks = tuple(
        Section(b.source_id, (replace(b.blocks[0], number="A."), *b.blocks[1:]))
        if isinstance(b, Section)
        and isinstance(b.blocks[0], Heading)
        and b.blocks[0].number == "1."
        else b
        for b in base.blocks
    )
    d = load(render_docx(Document(base.meta, blocks), THEME))
    assert not [p for p in paragraphs(d) if style_name(p) in ("Clause Heading", "Subclause")]
    heads = [p.text for p in paragraphs(d) if style_name(p) == "Heading 1"]
    assert heads[:2] == ["A. Executive summary", "2. Our understanding"]
    assert (
        next(
            p for p in paragraphs(d) if p.text.startswith("4.1\t")
        ).paragraph_format.first_line_indent
        < 0
    )


def test_a_title_longer_than_a_core_property_is_cut_there_not_refused() -> None:
    """A 500-character customer name makes a title past Word's 255-character limit
    for core properties: the cover keeps all of it, docProps/core.xml the first 255."""
    long_title = "Proposal for " + "Fernhill Home Services " * 22
    doc = sample()
    meta = doc.meta.__class__(**{**doc.meta.__dict__, "title": long_title})
    d = load(render_docx(Document(meta, doc.blocks), THEME))
    assert long_title.strip() in all_text(d)
    title = d.core_properties.title
    assert len(title) == 255 and title.endswith("…") and long_title.startswith(title[:-1])


@pytest.mark.parametrize("role", ["key-value", "parties"])
def test_label_column_is_muted_as_in_the_pdf(role: TableRole) -> None:
    """print.css sets a key-value or parties table's first column in the muted grey,
    bold only in a subtotal or total row; the DOCX does the same."""
    labels = Table(
        header=None,
        rows=(row("Party A", "Acme Logistics Ltd", style="subtotal"), row("Address", "1 Dock Rd")),
        footer=(row("Total contract value", "$425,821.44", style="total"),),
        columns=(ColumnSpec("left", 30), ColumnSpec("left", 70)),
        role=role,
    )
    base = sample()
    d = load(render_docx(replace(base, blocks=(*base.blocks, labels)), THEME))
    table = next(tb for tb in tables(d) if tb.rows[-1].cells[0].text == "Total contract value")
    runs = [[tb_cell.paragraphs[0].runs[0] for tb_cell in r.cells] for r in table.rows]
    assert [str(r[0].font.color.rgb) for r in runs] == ["6B7280"] * 3
    assert [bool(r[0].bold) for r in runs] == [True, False, True]
    assert runs[1][1].font.color.rgb is None and not runs[1][1].bold


def test_total_row_is_drawn_as_in_the_pdf() -> None:
    """print.css ``.r-total``: no fill (LibreOffice showed seams between shaded cells),
    a thin accent rule above and a 2 pt one below, the text bold, accent and 10 pt."""
    d = load(render_docx(sample(), THEME))
    table = next(tb for tb in tables(d) if tb.rows[-1].cells[0].text == "Total")
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    for cell in table.rows[-1].cells:
        tc_pr = cell._tc.tcPr
        assert tc_pr is not None and tc_pr.find(f"{w}shd") is None
        rules = {
            rule.tag.removeprefix(w): rule.get(f"{w}sz") for rule in tc_pr.find(f"{w}tcBorders")
        }
        assert rules == {"top": "6", "bottom": "16"}
        for run in cell.paragraphs[0].runs:
            assert run.bold and str(run.font.color.rgb) == "1F3A5F" and run.font.size.pt == 10


def test_table_caption_is_bold_in_the_accent_as_in_the_pdf() -> None:
    """print.css ``p.t-caption``: bold, in the accent colour, at the running text's size."""
    font = load(render_docx(sample(), THEME)).styles["Caption"].font
    assert font.bold and str(font.color.rgb) == "1F3A5F" and font.size.pt == 10
