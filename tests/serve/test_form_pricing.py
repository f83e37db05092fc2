"""The deal form and issue 15's fields: discovery ids and links, recurring lines,
unit costs, the exchange rate. Ramps, tiers and an implication's cost or hours are
kept as written (the page says to edit them in the file) and travel with their row."""

from __future__ import annotations

import difflib
import re
import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from propgen.pipeline import check
from propgen.serve.app import create_app
from propgen.serve.i18n import STRINGS
from serve.conftest import BASE_URL, Client, form_fields, set_field
from support import SAMPLES


@pytest.fixture
def every_sample(tmp_path: Path) -> tuple[Client, Path]:
    folder = tmp_path / "deals"
    folder.mkdir()
    for sample in SAMPLES:
        shutil.copy(sample, folder / sample.name)
    return Client(create_app(folder), base_url=BASE_URL), folder


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_the_form_round_trips_every_sample_byte_for_byte(
    every_sample: tuple[Client, Path], sample: Path
) -> None:
    client, folder = every_sample
    with client:
        client.csrf = client.app.guard.csrf  # type: ignore[attr-defined]
        before = (folder / sample.name).read_bytes()
        saved = client.act(f"/deals/{sample.stem}/save", client.page_form(sample.stem))
        assert 'data-saved="ok"' in saved.text
        assert (folder / sample.name).read_bytes() == before


def _changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def test_the_form_edits_ids_links_and_billing(client: Client, workspace: Path) -> None:
    path = workspace / "saas.en-US.yaml"
    # the record as a rep without item kinds wrote it: the form sets them
    before = re.sub(r"^ +kind: [\w-]+\n", "", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(before, encoding="utf-8")
    fields = client.page_form("saas.en-US")
    fields = set_field(fields, "discovery.situation.0.id", "S-inbox")
    fields = set_field(fields, "discovery.implication.1.problems", "P2, P1")
    fields = set_field(fields, "solution.milestones.1.addresses", "P2")
    fields = set_field(fields, "pricing.items.3.recurring", "year")
    fields = set_field(fields, "pricing.items.3.unit_cost", "70000.00")
    saved = client.act("/deals/saas.en-US/save", fields)
    assert 'data-saved="ok"' in saved.text
    after = path.read_text(encoding="utf-8")

    record = check(path).plan.record
    assert record.discovery.situation[0].id == "S-inbox"
    assert record.discovery.situation[0].text.startswith("Nine branches answer")
    assert record.discovery.situation[1].id == "S2"  # still a plain string, id by position
    assert record.discovery.implication[1].problems == ["P2", "P1"]
    assert record.discovery.implication[1].hours is not None  # kept though not on the form
    assert record.solution.milestones[1].addresses == ["P2"]
    implementation = record.pricing.items[3]
    assert (implementation.recurring, str(implementation.unit_cost)) == ("year", "70000.00")
    # Only what was edited changed: the situation point became a mapping (+1 line),
    # and four values changed or were added.
    assert _changed_lines(before, after) == [
        "-    - Nine branches answer about 2,400 customer calls and emails a day from "
        "shared inboxes.",
        "+    - id: S-inbox",
        "+      text: Nine branches answer about 2,400 customer calls and emails a day from "
        "shared inboxes.",
        "-      problems: [P2]",
        "+      problems: [P2, P1]",
        "-    - { name: Service Desk live in all branches, week: 10 }",
        "+    - { name: Service Desk live in all branches, week: 10, addresses: [P2] }",
        '-      unit_cost: "71000.00"',
        '+      unit_cost: "70000.00"',
        "+      recurring: year",
    ]


def test_a_removed_line_takes_its_ramp_with_it(client: Client, workspace: Path) -> None:
    path = workspace / "saas.en-US.yaml"
    page = client.get("/deals/saas.en-US").text
    assert STRINGS["en-US"]["yaml_only"].format(keys="ramp") in page
    # Remove the first (ramped) line; the form comes back with the other lines moved up.
    form = client.act(
        "/deals/saas.en-US/form?list=pricing.items&action=remove&index=0",
        form_fields(page),
    )
    fields = form_fields(form.text)
    saved = client.act("/deals/saas.en-US/save", fields)
    assert 'data-saved="ok"' in saved.text
    items = check(path).plan.record.pricing.items
    assert [item.sku for item in items][:2] == ["OP-ENT", "CP-ADD"]
    assert all(not item.ramp for item in items)  # the ramp left with its line
    assert items[0].unit_cost is not None and str(items[0].unit_cost) == "880.00"


def test_every_form_label_is_translated() -> None:
    from propgen.serve.form import PANELS, Group

    for panel in PANELS:
        for part in panel.parts:
            prefix = ".".join(part.path)
            keys = [f"{prefix}.{field.key}" for field in part.fields]
            if isinstance(part, Group) and len(part.path) > 1:
                keys.append(prefix)
            for key in keys:
                assert key in STRINGS["en-US"] and key in STRINGS["zh-CN"], key


TAX_ROW = re.compile(r'<dd class="tax-amount" data-tax-rate="([\d.]+)">([^<]*)</dd>')


def test_tax_rates_by_kind_and_a_lines_own_rate(client: Client, workspace: Path) -> None:
    """Issue 12's VAT by rate through the form: the live totals show one tax row per
    rate, computed here by hand, and the saved file holds the rates and kinds."""
    path = workspace / "saas.en-US.yaml"
    # the record as a rep without item kinds wrote it: the form sets them
    before = re.sub(r"^ +kind: [\w-]+\n", "", path.read_text(encoding="utf-8"), flags=re.M)
    path.write_text(before, encoding="utf-8")
    fields = client.page_form("saas.en-US")
    assert dict(fields)["pricing.tax_rates.service"] == ""
    for index, kind in [(0, "subscription"), (1, "subscription"), (3, "service")]:
        fields = set_field(fields, f"pricing.items.{index}.kind", kind)
    fields = set_field(fields, "pricing.items.2.tax_pct", "0")  # its own rate beats its kind's
    fields = set_field(fields, "pricing.tax_rates.subscription", "8")
    fields = set_field(fields, "pricing.tax_rates.service", "5")
    fields = set_field(fields, "pricing.discount_pct", "0")

    # By hand: the ramped line 62.00 x 12 months x (85 + 110 + 130 users) less 12 %;
    # two lines at 36 months; the services line once. Optional lines are not taxed.
    ramped = Decimal("62.00") * 12 * (85 + 110 + 130) * Decimal("0.88")
    subscription = ramped + 36 * Decimal("2950.00")
    exempt = 36 * Decimal("780.00")
    services = Decimal("96500.00")
    cent = Decimal("0.01")
    expected = {
        Decimal(0): Decimal("0.00"),
        Decimal(5): (services * 5 / 100).quantize(cent, ROUND_HALF_UP),
        Decimal(8): (subscription * 8 / 100).quantize(cent, ROUND_HALF_UP),
    }
    total = subscription + exempt + services + sum(expected.values())

    preview = client.act("/deals/saas.en-US/preview", fields).text
    rows = {
        Decimal(rate): Decimal(amount.strip("$").replace(",", ""))
        for rate, amount in TAX_ROW.findall(preview)
    }
    assert rows == expected
    assert "on $28,080.00" in preview and "on $96,500.00" in preview  # each rate's base
    grand = re.search(r'<dd class="grand" id="grand-total">\$([\d,.]+)</dd>', preview)
    assert grand and Decimal(grand.group(1).replace(",", "")) == total

    saved = client.act("/deals/saas.en-US/save", fields)
    assert 'data-saved="ok"' in saved.text
    after = path.read_text(encoding="utf-8")
    pricing = check(path).pricing
    assert {g.rate: g.tax for g in pricing.taxes} == expected and pricing.total == total
    assert "  # recurring: month|quarter|year marks a recurring line" in after  # comments kept
    assert _changed_lines(before, after) == [
        "+      kind: subscription",
        "+      kind: subscription",
        "+      tax_pct: 0",
        "+      kind: service",
        "-  discount_pct: 4",
        "+  discount_pct: 0",
        "+  tax_rates:",
        "+    subscription: 8",
        "+    service: 5",
    ]


def test_a_zh_deals_vat_rates_round_trip_with_their_comment(tmp_path: Path) -> None:
    folder = tmp_path / "deals"
    folder.mkdir()
    sample = next(s for s in SAMPLES if s.name == "manufacturing.zh-CN.yaml")
    path = folder / sample.name
    shutil.copy(sample, path)
    before = path.read_text(encoding="utf-8")
    app = create_app(folder)
    with Client(app, base_url=BASE_URL) as client:
        client.csrf = app.guard.csrf
        fields = client.page_form(sample.stem)
        shown = dict(fields)
        assert [shown[f"pricing.tax_rates.{k}"] for k in ("hardware", "service")] == ["13", "6"]
        page = client.get(f"/deals/{sample.stem}").text
        assert STRINGS["zh-CN"]["pricing.tax_rates"] not in page  # UI language: English here
        rates = {Decimal(r) for r, _ in TAX_ROW.findall(page)}
        assert rates == {Decimal(6), Decimal(13)}
        # Each rate's base in the record's money and the UI's words.
        assert len(re.findall(r'tax-base">on ¥[\d,]+\.\d\d<', page)) == 2
        fields = set_field(fields, "pricing.tax_rates.service", "9")
        preview = client.act(f"/deals/{sample.stem}/preview", fields).text
        rates = {Decimal(r) for r, _ in TAX_ROW.findall(preview)}
        assert rates == {Decimal(6), Decimal(9), Decimal(13)}  # support stays at 6
        saved = client.act(f"/deals/{sample.stem}/save", fields)
        assert 'data-saved="ok"' in saved.text
    after = path.read_text(encoding="utf-8")
    assert _changed_lines(before, after) == ["-    service: 6", "+    service: 9"]
    assert (
        "  tax_rates:                       # 增值税：货物（设备、软件产品）13%，服务 6%" in after
    )
