"""Money that adds up on the page, and amounts the words functions can write.

Every printed pricing row multiplies out to its printed amount; unit prices are
printed with every place they have; one maximum is shared by validation and the
amount-in-words functions; no instalment is ever negative.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import docx
import pytest
import yaml

from conftest import Result
from propgen.locale import Formatter, chinese_capital_amount, english_amount
from propgen.needs.loader import load_needs
from propgen.needs.models import Instalment, LineItem, Pricing
from propgen.output import safe_name
from propgen.pricing import MAX_AMOUNT, price
from support import INDUSTRY_SAMPLES, ROOT, SAMPLES, tables

Run = Callable[..., Result]
D = Decimal
ALL_SAMPLES = SAMPLES + INDUSTRY_SAMPLES
LABELS = {
    locale: yaml.safe_load((ROOT / "templates" / "labels" / f"{locale}.yaml").read_text("utf-8"))
    for locale in ("en-US", "zh-CN")
}


def figure(text: str) -> Decimal:
    """The number in a printed cell: ``$6,900.123`` → 6900.123, ``70 user-month`` → 70."""
    found = re.search(r"[0-9][0-9,]*(\.[0-9]+)?", text)
    assert found, f"no number in {text!r}"
    return D(found.group(0).replace(",", ""))


def _unit_price_column(header: list[str]) -> tuple[dict[str, str], str] | None:
    """The labels of the table's locale and its unit-price header, if it has one:
    ``Unit price``, or ``Unit price (EUR)`` when prices are in another currency."""
    for labels in LABELS.values():
        prefix = labels["unit_price_in"].split("{")[0]
        for cell in header:
            if cell == labels["unit_price"] or (cell.startswith(prefix) and cell != prefix):
                return labels, cell
    return None


def printed_rows(path: Path, rate: Decimal) -> list[dict[str, str]]:
    """The item rows of every pricing table of a DOCX, as header label → cell text.

    A row whose quantity or price is given below it (a ramp's "by year", a tiered
    line's bands) is checked in those detail rows instead. Unit prices in another
    currency (``Unit price (EUR)``) are converted at the record's ``rate``.
    """
    rows = []
    for table in tables(docx.Document(str(path))):
        header = [cell.text.strip() for cell in table.rows[0].cells]
        found = _unit_price_column(header)
        if found is None:
            continue
        labels, price_header = found
        elsewhere = {labels["by_year"], labels["tiered_graduated"], labels["tiered_all-units"]}
        converted = price_header != labels["unit_price"]
        for row in table.rows[1:]:
            cells = dict(zip(header, (cell.text.strip() for cell in row.cells), strict=True))
            if not cells.get(labels["quantity"]):  # a total row has no quantity
                continue
            if elsewhere & {cells.get(labels["quantity"]), cells.get(price_header)}:
                continue
            printed = {
                key: cells.get(labels[key], "")
                for key in ("quantity", "periods", "line_discount", "line_total")
            }
            printed["unit_price"] = cells[price_header]
            printed["rate"] = str(rate if converted else D(1))
            rows.append(printed)
    return rows


def test_every_printed_row_multiplies_out_to_its_printed_amount(rendered_proposals: Path) -> None:
    checked = 0
    rates = {}
    for sample in ALL_SAMPLES:
        record = load_needs(sample).record
        fx = record.pricing.exchange_rate
        rates[safe_name(record.document.reference)] = fx.rate if fx else D(1)
    for path in sorted(rendered_proposals.glob("*-proposal.docx")):
        for row in printed_rows(path, rates[path.name.removesuffix("-proposal.docx")]):
            amount = figure(row["line_total"])
            product = (
                figure(row["quantity"])
                * (figure(row["periods"]) if row.get("periods") else D(1))
                * figure(row["unit_price"])
                * D(row["rate"])
                * (1 - (figure(row["line_discount"]) if row.get("line_discount") else D(0)) / 100)
            )
            quantum = D(1).scaleb(int(amount.as_tuple().exponent))  # the printed amount's places
            assert product.quantize(quantum, rounding=ROUND_HALF_UP) == amount, (path.name, row)
            checked += 1
    assert checked >= 4 * len(ALL_SAMPLES)


RECORD = """\
document:
  reference: M-1
  date: 2026-11-27
  valid_until: 2026-12-27
  locale: {locale}
  currency: {currency}
  industry: saas
  produce: [proposal]
seller:
  rep: {{name: Rep}}
customer:
  name: ACME
solution:
  summary: A thing.
pricing:
  items:
    - {{name: Licence, quantity: {quantity}, periods: {periods}, unit_price: "{unit_price}"}}
  tax_pct: {tax}
"""


def record(
    tmp_path: Path,
    *,
    unit_price: str,
    quantity: str = "12",
    periods: str = "1",
    currency: str = "USD",
    locale: str = "en-US",
    tax: str = "0",
    name: str = "deal.yaml",
) -> Path:
    path = tmp_path / name
    path.write_text(
        RECORD.format(
            unit_price=unit_price,
            quantity=quantity,
            periods=periods,
            currency=currency,
            locale=locale,
            tax=tax,
        ),
        encoding="utf-8",
    )
    return path


def test_unit_price_is_printed_with_the_places_it_has(run: Run, tmp_path: Path) -> None:
    path = record(tmp_path, unit_price="6900.123")
    result = run("check", path)
    assert result.code == 0, result.err
    assert "total $82,801.48" in result.out
    out = tmp_path / "out"
    assert run("render", path, "-o", out, "--format", "docx").code == 0
    (row,) = printed_rows(out / "M-1-proposal.docx", D(1))
    assert (row["unit_price"], row["line_total"]) == ("$6,900.123", "$82,801.48")


def test_a_yen_price_with_sen_prints_them(run: Run, tmp_path: Path) -> None:
    path = record(tmp_path, unit_price="55.50", quantity="1", currency="JPY")
    out = tmp_path / "out"
    assert run("render", path, "-o", out, "--format", "docx").code == 0
    (row,) = printed_rows(out / "M-1-proposal.docx", D(1))
    assert (row["unit_price"], row["line_total"]) == ("¥55.5", "¥56")


def test_a_unit_price_with_too_many_places_is_refused(run: Run, tmp_path: Path) -> None:
    result = run("check", record(tmp_path, unit_price="0.1234567"))
    assert result.code == 2
    assert "pricing.items[0].unit_price: 0.1234567 has 7 decimal places" in result.err
    assert "USD amounts have 2" in result.err and "at most 6" in result.err


@pytest.mark.parametrize(
    ("fields", "locale"),
    [
        ({"unit_price": "1000000000000000", "quantity": "1"}, "en-US"),
        ({"unit_price": "9999999999999999.99", "quantity": "1"}, "zh-CN"),
        (
            {"unit_price": "10000000000000000", "quantity": "100000000000000", "periods": "1e8"},
            "en-US",
        ),
        ({"unit_price": "999999999999999.99", "quantity": "1", "tax": "10"}, "en-US"),
    ],
)
def test_amounts_beyond_the_maximum_exit_2_naming_the_field(
    run: Run, tmp_path: Path, fields: dict[str, str], locale: str
) -> None:
    currency = "CNY" if locale == "zh-CN" else "USD"
    result = run("check", record(tmp_path, locale=locale, currency=currency, **fields))
    assert result.code == 2, result.err
    assert "Traceback" not in result.err
    assert "pricing.items" in result.err
    assert "1,000,000,000,000,000" in result.err


def test_the_largest_accepted_total_is_written_in_words(run: Run, tmp_path: Path) -> None:
    largest = str(MAX_AMOUNT - D("0.01"))
    for locale, currency in (("en-US", "USD"), ("zh-CN", "CNY")):
        path = record(tmp_path, unit_price=largest, quantity="1", locale=locale, currency=currency)
        result = run("check", path)
        assert result.code == 0, result.err
    assert english_amount(MAX_AMOUNT - D("0.01"), "USD").startswith("Nine hundred ninety-nine")
    assert chinese_capital_amount(MAX_AMOUNT - D("0.01")).endswith("玖元玖角玖分")


def test_the_words_functions_say_why_they_refuse() -> None:
    with pytest.raises(ValueError, match="negative"):
        english_amount(D(-5), "USD")
    with pytest.raises(ValueError, match="negative"):
        chinese_capital_amount(D(-5))
    for write in (lambda a: english_amount(a, "USD"), chinese_capital_amount):
        with pytest.raises(ValueError, match="largest amount"):
            write(MAX_AMOUNT)


def test_three_decimal_currencies(run: Run, tmp_path: Path) -> None:
    assert english_amount(D("1.235"), "KWD") == "One and 235/1000 Kuwaiti dinars"
    with pytest.raises(ValueError, match="at most two"):
        chinese_capital_amount(D("1.235"), "KWD")
    path = record(tmp_path, unit_price="1.235", locale="zh-CN", currency="KWD")
    result = run("--lang", "en-US", "check", path)
    assert result.code == 2
    assert "document.currency: KWD has 3 decimal places" in result.err
    assert "document.currency: KWD 有 3 位小数" in run("check", path).err  # the record's language
    assert run("check", record(tmp_path, unit_price="1.235", currency="KWD")).code == 0


def test_sub_cent_unit_prices_multiply_out_as_printed() -> None:
    fmt = Formatter("en-US", "USD")
    priced = price(
        Pricing(items=[LineItem(name="x", quantity=D(1000), unit_price=D("0.125"))]), "USD"
    )
    unit_price = priced.lines[0].unit_price
    assert unit_price is not None
    assert (fmt.unit_price(unit_price), fmt.money(priced.total)) == (
        "$0.125",
        "$125.00",
    )


def test_no_instalment_is_ever_negative() -> None:
    pricing = Pricing(
        items=[LineItem(name="x", quantity=D(1), unit_price=D("0.02"))],
        payment_schedule=[Instalment(milestone=f"m{i}", percent=D(25)) for i in range(4)],
    )
    amounts = [i.amount for i in price(pricing, "USD").instalments]
    assert all(a >= 0 for a in amounts)
    assert sum(amounts) == D("0.02")


def test_a_batch_finishes_every_other_record(run: Run, tmp_path: Path) -> None:
    good = record(tmp_path, unit_price="10.00", name="good.yaml")
    bad = record(tmp_path, unit_price="1000000000000000", quantity="1", name="bad.yaml")
    out = tmp_path / "out"
    result = run("render", good, bad, "-o", out, "--format", "html", "-j", "2")
    assert result.code == 2
    assert (out / "M-1-proposal.html").is_file()
    assert "bad.yaml" in result.err and "Traceback" not in result.err
    assert "semaphore" not in result.err
