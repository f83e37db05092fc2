"""The HTML and PDF renderers, checked by reading the PDFs back."""

from __future__ import annotations

import io
import re
import threading
from pathlib import Path
from typing import cast

import pdfplumber
import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from propgen.document import (
    Block,
    BulletList,
    Cell,
    ColumnSpec,
    CoverLine,
    Document,
    Emph,
    Heading,
    Inline,
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
    Text,
)
from propgen.errors import EnvironmentProblem
from propgen.render import pdf as pdf_module
from propgen.render.html import render_html
from propgen.render.pdf import (
    FetchRefused,
    make_url_fetcher,
    render_pdf,
)

THEME = Path(__file__).parents[2] / "templates" / "theme"
TRICKY = "Tom & Jerry <b>not bold</b> \"quoted\" 'single' {{ x }} {% if %}"
ATTACHMENT = '<link rel="attachment" href="file:///etc/passwd">'


def t(text: str) -> tuple[Inline, ...]:
    return (Text(text),)


def row(*cells: str, style: str = "body") -> Row:
    return Row(tuple(Cell(t(c)) for c in cells), style=style)  # type: ignore[arg-type]


# --- sample documents ----------------------------------------------------------


def _english_meta(**overrides: object) -> Meta:
    values: dict[str, object] = dict(
        kind="proposal",
        locale="en-US",
        title="Proposal: Cloud Analytics Platform",
        subtitle="Subscription, implementation and support",
        reference="PG-2026-0142",
        date_iso="2026-03-14",
        cover_lines=(
            CoverLine("Prepared for", "Northwind Traders Inc."),
            CoverLine("Prepared by", "Alex Morgan, Senior Account Executive"),
            CoverLine("Reference", "PG-2026-0142 · v1"),
            CoverLine("Date", "March 14, 2026"),
            CoverLine("Valid until", "April 13, 2026"),
        ),
        header="Contoso Analytics — Proposal for Northwind Traders Inc.",
        footer="PG-2026-0142 · v1",
        page_label="Page",
        of_label="of",
        page_suffix="",
        seller_name="Contoso Analytics Ltd.",
        customer_name="Northwind Traders Inc.",
        author="Alex Morgan",
        watermark="DRAFT",
        notice="Contains non-standard terms pending approval: liability cap (legal-director).",
        logo="logo.svg",
        keywords=("proposal", "analytics"),
    )
    values.update(overrides)
    return Meta(**values)  # type: ignore[arg-type]


def _pricing_table(n: int, money: str) -> Table:
    rows = tuple(
        row(
            f"Module {i:02d} — analytics workload {i}",
            f"SKU-{1000 + i}",
            f"{(i % 7) + 1:,}",
            f"{money}{1250 + i * 37:,}.00",
            f"{(i % 3) * 5}%",
            f"{money}{(1250 + i * 37) * ((i % 7) + 1):,}.00",
            style="optional" if i % 13 == 0 else "body",
        )
        for i in range(1, n + 1)
    )
    return Table(
        header=row("Item", "SKU", "Qty", "Unit price", "Discount", "Amount"),
        rows=rows,
        columns=(
            ColumnSpec("left", 34),
            ColumnSpec("left", 12),
            ColumnSpec("right", 8),
            ColumnSpec("right", 16),
            ColumnSpec("right", 12),
            ColumnSpec("right", 18),
        ),
        footer=(
            row("Subtotal", "", "", "", "", f"{money}412,930.00", style="subtotal"),
            row("Discount", "", "", "", "5%", f"-{money}20,646.50", style="subtotal"),
            row("Tax", "", "", "", "8%", f"{money}31,382.68", style="subtotal"),
            row("Total", "", "", "", "", f"{money}423,666.18", style="total"),
        ),
        role="pricing",
        caption="Pricing",
    )


def _filler(topic: str, n: int) -> tuple[Paragraph, ...]:
    return tuple(
        Paragraph(
            t(
                f"{topic}: our team will work with your stakeholders to agree scope, "
                "acceptance criteria and a realistic timeline, reporting progress weekly "
                "and raising risks early so that decisions are made with the facts at hand."
            )
        )
        for _ in range(n)
    )


def english_document(**meta: object) -> Document:
    sig = SignatureBlock(
        (
            Signatory("For the Customer", "Northwind Traders Inc.", ("Signature", "Name", "Date")),
            Signatory("For the Supplier", "Contoso Analytics Ltd.", ("Signature", "Name", "Date")),
        )
    )
    blocks = (
        TableOfContents("Contents"),
        PageBreak(),
        Section(
            "executive-summary",
            (
                Heading(1, t("Executive summary"), anchor="executive-summary", number="1."),
                Paragraph(t("Northwind wants one view of its sales data."), style="lead"),
                Paragraph(t(TRICKY)),
                Paragraph(t(ATTACHMENT)),
                Paragraph(
                    (
                        Text("This is "),
                        Strong((Text("strong"), Emph(t(" and emphasised")))),
                        LineBreak(),
                        Text("after a line break."),
                    )
                ),
                Paragraph(t("Unapproved deviation: liability cap of 24 months."), "note"),
                *_filler("Discovery", 4),
            ),
        ),
        Section(
            "understanding",
            (
                Heading(1, t("Our understanding"), number="2."),
                Heading(2, t("Current situation"), number="2.1"),
                BulletList(
                    (
                        ListItem((Paragraph(t("Three regional ERP systems.")),)),
                        ListItem((Paragraph(t("Reporting is manual and late.")),)),
                    )
                ),
                Heading(3, t("A detail not in the TOC"), in_toc=False),
                OrderedList(
                    (
                        ListItem((Paragraph(t("Consolidate data.")),)),
                        ListItem((Paragraph(t("Automate reports.")),)),
                    ),
                    start=3,
                ),
                *_filler("Understanding", 8),
            ),
        ),
        Section(
            "pricing",
            (
                Heading(1, t("Investment"), anchor="pricing", number="3."),
                _pricing_table(45, "$"),
                Paragraph(t("Four hundred twenty-three thousand dollars."), style="amount"),
                Paragraph(t("Prices exclude travel."), style="note"),
            ),
        ),
        Section(
            "terms",
            (
                Heading(1, t("Terms"), number="4."),
                Paragraph(t("The parties agree as follows.")),
                Paragraph(t("Fees are due within 30 days."), number="4.1"),
                Paragraph(t("Either party may terminate for breach."), number="4.2"),
                Table(
                    header=None,
                    rows=(row("Term", "36 months"), row("SLA", "99.9%")),
                    columns=(ColumnSpec("left", 1), ColumnSpec("left", 2)),
                    role="key-value",
                ),
                *_filler("Governance", 6),
            ),
        ),
        PageBreak(),
        Section("acceptance", (Heading(1, t("Acceptance"), number="5."), sig)),
    )
    return Document(_english_meta(**meta), blocks)


def chinese_document() -> Document:
    meta = Meta(
        kind="contract",
        locale="zh-CN",
        title="云分析平台服务合同",
        subtitle="订阅、实施与支持",
        reference="PG-2026-0143",
        date_iso="2026-03-14",
        cover_lines=(
            CoverLine("甲方", "北风贸易有限公司"),
            CoverLine("乙方", "康托索分析有限公司"),
            CoverLine("合同编号", "PG-2026-0143 · v2"),
            CoverLine("日期", "2026年3月14日"),
        ),
        header="康托索分析 — 北风贸易服务合同",
        footer="PG-2026-0143 · v2",
        page_label="第",
        of_label="页，共",
        page_suffix="页",
        seller_name="康托索分析有限公司",
        customer_name="北风贸易有限公司",
        author="王小明",
        watermark="草稿",
    )
    clauses = tuple(
        Section(
            f"clause-{i}",
            (
                Heading(1, t(title), number=f"第{num}条"),
                Paragraph(t("甲乙双方经友好协商，就本合同项下服务达成如下约定。"), number=f"{i}.1"),
                Paragraph(
                    t("乙方应按照本合同约定的服务范围、服务标准和时间要求提供服务；" * 3),
                    number=f"{i}.2",
                ),
            ),
        )
        for i, (num, title) in enumerate(
            [
                ("一", "定义"),
                ("二", "服务范围"),
                ("三", "费用与支付"),
                ("四", "保密"),
                ("五", "责任限制"),
                ("六", "争议解决"),
            ],
            start=1,
        )
    )
    blocks: tuple[Block, ...] = (
        TableOfContents("目录"),
        PageBreak(),
        Paragraph(t("鉴于甲方需要统一的销售数据分析平台。")),
        *clauses,
        Section("pricing", (Heading(1, t("报价"), number="第七条"), _pricing_table(42, "¥"))),
        Paragraph(t("人民币肆拾贰万叁仟陆佰陆拾陆元壹角捌分"), style="amount"),
        SignatureBlock(
            (
                Signatory("甲方（盖章）", "北风贸易有限公司", ("授权代表", "签字", "日期")),
                Signatory("乙方（盖章）", "康托索分析有限公司", ("授权代表", "签字", "日期")),
            )
        ),
    )
    return Document(meta, blocks)


# --- fixtures --------------------------------------------------------------------


@pytest.fixture(scope="module")
def en_pdf() -> bytes:
    return render_pdf(english_document(), THEME)


@pytest.fixture(scope="module")
def zh_pdf() -> bytes:
    return render_pdf(chinese_document(), THEME)


def page_texts(data: bytes) -> list[str]:
    """Each page's text, without the big watermark glyphs."""
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [p.filter(_not_watermark).extract_text() or "" for p in pdf.pages]


def _not_watermark(obj: dict[str, object]) -> bool:
    size = obj.get("size", 0)
    return not (obj.get("object_type") == "char" and isinstance(size, float) and size > 30)


def font_names(data: bytes) -> set[str]:
    names: set[str] = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = cast(DictionaryObject, page["/Resources"].get_object()).get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]).replace("-", ""))
    return names


# --- HTML --------------------------------------------------------------------------


def test_html_escapes_every_value() -> None:
    page = render_html(english_document(title="A <script>alert(1)</script> & co"), THEME)
    assert "<script>" not in page
    assert "A &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "Tom &amp; Jerry &lt;b&gt;not bold&lt;/b&gt;" in page
    assert '<link rel="attachment"' not in page
    assert "{{ x }}" in page  # printed, never evaluated


def test_html_structure() -> None:
    page = render_html(english_document(), THEME)
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="en-US"' in page
    assert '<section class="src" data-source="pricing">' in page
    assert '<h1 id="executive-summary"><span class="num">1.</span>' in page
    assert re.search(r'<h1 id="h-\d+"><span class="num">2\.</span>Our understanding', page)
    assert '<a href="#pricing">' in page  # TOC entry
    assert "A detail not in the TOC</span></a>" not in page  # in_toc=False
    assert '<ol start="3">' in page
    assert '<col style="width: 34.00%">' in page
    assert "<tfoot" not in page and '<tbody class="t-foot">' in page
    assert 'class="r-total"' in page and 'class="a-right"' in page
    assert '<div class="page-break">' in page and 'class="signatures"' in page
    assert "<style>" in page  # standalone: stylesheet inlined
    assert 'name="dcterms.created" content="2026-03-14"' in page


def test_html_is_deterministic() -> None:
    assert render_html(english_document(), THEME) == render_html(english_document(), THEME)


def test_missing_logo_is_fine(tmp_path: Path) -> None:
    (tmp_path / "print.css").write_text("body { color: black }", encoding="utf-8")
    page = render_html(english_document(logo="logo.svg"), tmp_path)
    assert "<img" not in page and "cover-seller-mark" in page
    page = render_html(english_document(logo="../../../etc/passwd"), THEME)
    assert "<img" not in page


def test_logo_inlined_when_present(tmp_path: Path) -> None:
    (tmp_path / "print.css").write_text("", encoding="utf-8")
    (tmp_path / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>', encoding="utf-8"
    )
    page = render_html(english_document(), tmp_path)
    assert '<img class="cover-logo" src="data:image/svg+xml;base64,' in page
    assert render_pdf(english_document(), tmp_path).startswith(b"%PDF")


# --- PDF ---------------------------------------------------------------------------


def test_pdf_text_and_escaping(en_pdf: bytes) -> None:
    text = "\n".join(page_texts(en_pdf))
    assert TRICKY in text
    assert ATTACHMENT in text
    assert "Proposal: Cloud Analytics" in text
    assert "Module 45 — analytics workload 45" in text
    assert "$423,666.18" in text


def test_pdf_breaks_tables_and_repeats_header(en_pdf: bytes) -> None:
    pages = page_texts(en_pdf)
    with_rows = [p for p in pages if "analytics workload" in p]
    assert len(with_rows) >= 2
    assert all("Item SKU Qty Unit price Discount Amount" in p for p in with_rows)
    assert sum(p.count("Subtotal") for p in pages) == 1  # footer rows not repeated


def test_pdf_watermark_on_every_page(en_pdf: bytes) -> None:
    with pdfplumber.open(io.BytesIO(en_pdf)) as pdf:
        for page in pdf.pages:
            big = [c["text"] for c in page.chars if c["size"] > 30]
            assert sorted(big) == sorted("DRAFT")


def test_no_watermark_when_empty() -> None:
    assert 'class="watermark' not in render_html(english_document(watermark=""), THEME)


def test_pdf_footer_page_x_of_y(en_pdf: bytes) -> None:
    pages = page_texts(en_pdf)
    total = len(pages)
    assert total >= 5
    for number, text in enumerate(pages[1:], start=2):
        assert f"PG-2026-0142 · v1 · Page {number} of {total}" in text
        assert "Contoso Analytics — Proposal for Northwind Traders Inc." in text
    assert "Page 1 of" not in pages[0]  # cover has no running header or footer


def test_pdf_toc_has_page_numbers(en_pdf: bytes) -> None:
    pages = page_texts(en_pdf)
    toc = pages[1]
    body = enumerate(pages[2:], start=3)
    investment = next(n for n, p in body if "3.Investment" in p.replace(" ", ""))
    assert re.search(rf"Investment[ .]*{investment}\n", toc)
    assert re.search(r"Executive summary[ .]*3\b", toc)
    assert "A detail not in the TOC" not in toc


def test_pdf_metadata_and_no_attachments(en_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(en_pdf))
    assert reader.attachments == {}
    root = cast(DictionaryObject, reader.trailer["/Root"])
    assert "/EmbeddedFiles" not in str(root.get("/Names", {}))
    info = reader.metadata
    assert info is not None
    assert info.title == "Proposal: Cloud Analytics Platform"
    assert info.author == "Alex Morgan"
    assert str(info["/CreationDate"]).startswith("D:20260314")


def test_pdf_is_deterministic(en_pdf: bytes) -> None:
    assert render_pdf(english_document(), THEME) == en_pdf
    other = render_pdf(english_document(title="Another title"), THEME)
    assert other != en_pdf


def in_new_thread(*documents: Document) -> tuple[list[bytes], list[object]]:
    """``documents`` rendered one after the other in a thread of their own: the PDFs,
    and the font configuration that thread held after each."""
    pdfs: list[bytes] = []
    configs: list[object] = []

    def work() -> None:
        for document in documents:
            pdfs.append(render_pdf(document, THEME))
            configs.append(pdf_module._font_config())

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(pdfs) == len(documents), "the thread stopped early"
    return pdfs, configs


def test_pdf_same_bytes_from_a_font_configuration_kept_between_documents() -> None:
    """A thread keeps one font configuration for all its PDFs: a document laid out after
    others (Chinese and English) has the bytes of one laid out first in a fresh thread."""
    english, chinese = english_document(), chinese_document()
    (en_first,), en_configs = in_new_thread(english)
    (zh_first,), _ = in_new_thread(chinese)
    after_others, kept = in_new_thread(chinese, english, chinese, english)
    assert after_others == [zh_first, en_first, zh_first, en_first]
    assert all(config is kept[0] for config in kept), "one for every PDF of a thread"
    assert kept[0] is not en_configs[0], "each thread has its own"


def test_pdf_fonts_are_subset(en_pdf: bytes) -> None:
    names = font_names(en_pdf)
    assert any("NotoSans" in n for n in names)
    assert all(re.match(r"/[A-Z]{6}\+", n) for n in names)


def test_zh_pdf_embeds_cjk_font(zh_pdf: bytes) -> None:
    names = font_names(zh_pdf)
    assert any("NotoSansCJK" in n or "NotoSerifCJK" in n for n in names), names
    pages = page_texts(zh_pdf)
    text = "\n".join(pages)
    assert "云分析平台服务合同" in text
    assert "第一条" in text and "甲方（盖章）" in text
    total = len(pages)
    assert f"PG-2026-0143 · v2 · 第2页，共{total}页" in pages[1]


def test_zh_without_cjk_font_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_module, "cjk_font_available", lambda: False)
    with pytest.raises(EnvironmentProblem, match="fonts-noto-cjk"):
        render_pdf(chinese_document(), THEME)


# --- URL fetcher -----------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/x.css",
        "https://example.com/logo.png",
        "ftp://example.com/x",
        "file:///etc/passwd",
        "file://remote-host/share/x.css",
        (THEME / ".." / ".." / "pyproject.toml").as_uri(),
        "file:///nonexistent/print.css",
    ],
)
def test_fetcher_refuses(url: str) -> None:
    with pytest.raises(FetchRefused):
        make_url_fetcher(THEME)(url)


def test_fetcher_refuses_symlink_out(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (theme / "link.txt").symlink_to(secret)
    with pytest.raises(FetchRefused):
        make_url_fetcher(theme)((theme / "link.txt").as_uri())


def test_fetcher_serves_theme_files_and_data() -> None:
    fetcher = make_url_fetcher(THEME)
    response = fetcher((THEME / "print.css").as_uri())
    assert b"@page" in response.read()
    response.close()
    response = fetcher("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
    response.close()


def test_refused_resource_is_not_embedded(tmp_path: Path) -> None:
    (tmp_path / "print.css").write_text(
        '@import url("file:///etc/passwd"); body { background: url("http://example.com/x.png") }',
        encoding="utf-8",
    )
    data = render_pdf(english_document(logo=""), tmp_path)
    assert b"root:" not in data
