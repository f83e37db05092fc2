"""A table cell that is one run kept on one line takes the ``nobr`` class itself
(:func:`propgen.render.html._whole_run`): one inline box fewer for WeasyPrint per
figure cell, laid out and drawn as the span inside the cell was."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import weasyprint

from propgen.document import Cell, ColumnSpec, Document, Row, Table, Text
from propgen.pipeline import check, traced
from propgen.render.html import BASELINE_CSS, STYLESHEET, build_html
from support import SAMPLES, plain_meta

THEME = Path(__file__).parents[2] / "templates" / "theme"


def cell_markup(*inlines: Text) -> str:
    table = Table(
        columns=(ColumnSpec("right", 1),),
        header=None,
        rows=(Row((Cell(tuple(inlines)),)),),
    )
    markup = build_html(Document(plain_meta(), (table,)), THEME, standalone=False)
    cell = re.search(r"<td.*?</td>", markup)
    assert cell is not None
    return cell.group()


@pytest.mark.parametrize(
    ("inlines", "expected"),
    [
        ((Text("$425,821.44"),), '<td class="a-right nobr">$425,821.44</td>'),
        ((Text("−$17,742.56"),), '<td class="a-right nobr">−$17,742.56</td>'),
        ((Text("March 31, 2027", keep=True),), '<td class="a-right nobr">March 31, 2027</td>'),
        (
            (Text("4 business hours"),),
            '<td class="a-right"><span class="nobr">4</span> business hours</td>',
        ),
        ((Text("Standard"),), '<td class="a-right">Standard</td>'),
        ((Text("1"), Text(" user")), '<td class="a-right"><span class="nobr">1</span> user</td>'),
    ],
)
def test_a_cell_that_is_one_kept_run_carries_the_class_itself(
    inlines: tuple[Text, ...], expected: str
) -> None:
    assert cell_markup(*inlines) == expected


FIGURES = ["$425,821.44", "−$17,742.56", "March 31, 2027", "99.95%", "9" * 40]


def table_pdf(on_cell: bool, width: str) -> bytes:
    cells = "".join(
        f'<td class="a-right nobr">{f}</td>'
        if on_cell
        else f'<td class="a-right"><span class="nobr">{f}</span></td>'
        for f in FIGURES
    )
    markup = f'<table class="t" style="width: {width}"><tbody><tr>{cells}</tr></tbody></table>'
    html = weasyprint.HTML(string=markup, base_url=THEME.as_uri() + "/")
    sheets = [weasyprint.CSS(string=BASELINE_CSS), weasyprint.CSS(filename=THEME / STYLESHEET)]
    written: bytes = html.write_pdf(stylesheets=sheets)
    return written


@pytest.mark.parametrize("width", ["100%", "60mm"])
def test_the_class_on_the_cell_lays_out_as_the_span_did(width: str) -> None:
    """The same PDF, in a table wide enough and in one far too narrow for its figures."""
    assert table_pdf(on_cell=True, width=width) == table_pdf(on_cell=False, width=width)


def test_the_samples_markup_puts_figures_on_their_cells() -> None:
    record = next(s for s in SAMPLES if s.name == "saas.en-US.yaml")
    markup = build_html(traced(check(record, only="proposal"))["proposal"], THEME, standalone=False)
    assert re.search(r'<td class="a-right nobr">\$[\d,]+\.\d\d</td>', markup)
    assert not re.search(r'<td class="[^"]*"><span class="nobr">[^<]*</span></td>', markup)
