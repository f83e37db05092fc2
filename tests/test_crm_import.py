"""propgen import: CRM exports (HubSpot, Salesforce, 纷享销客) turned into needs records
that check accepts, and errors that name the CRM field."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from conftest import Result
from propgen.pipeline import check
from support import ROOT

EXPORTS = ROOT / "samples" / "crm"
Run = Callable[..., Result]

CASES = {
    "hubspot": (
        "hubspot-deal.json",
        # 60 users × 36 months × $85.00 less 10%, plus $48,500 of services
        Decimal(60) * 36 * Decimal("85.00") * Decimal("0.9") + Decimal("48500.00"),
        "en-US",
    ),
    "salesforce": (
        "salesforce-opportunity.json",
        Decimal(140) * 36 * Decimal("95.0") * Decimal("0.92")
        + Decimal(1) * 36 * Decimal("3200.0")
        + Decimal("165000.0"),
        "en-US",
    ),
    "fxiaoke": (
        "fxiaoke-opportunity.json",
        Decimal(320) * 12 * Decimal("380.00") + Decimal("268000.00"),
        "zh-CN",
    ),
}


@pytest.mark.parametrize("mapping", sorted(CASES))
def test_shipped_mappings_give_records_that_check_accepts(
    mapping: str, run: Run, tmp_path: Path
) -> None:
    export, total, locale = CASES[mapping]
    out = tmp_path / "deal.yaml"
    result = run("import", EXPORTS / export, "--mapping", mapping, "-o", out)
    assert result.code == 0, result.err
    assert run("check", out).code == 0
    checked = check(out)
    record = checked.plan.record
    assert record.document.locale == locale
    assert checked.pricing.total == total.quantize(Decimal("0.01"))
    assert len(record.pricing.items) >= 2
    assert record.customer.contacts, "contacts come across with their roles"
    assert all(c.role for c in record.customer.contacts)


def _edited(tmp_path: Path, export: str, edit: Callable[[dict[str, object]], None]) -> Path:
    data = json.loads((EXPORTS / export).read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / export
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def _line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def test_a_missing_crm_value_names_the_crm_field_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    def drop_price(data: dict[str, object]) -> None:
        items = data["associations"]["line_items"]  # type: ignore[index]
        del items[1]["properties"]["price"]

    export = _edited(tmp_path, "hubspot-deal.json", drop_price)
    out = tmp_path / "deal.yaml"
    result = run("import", export, "--mapping", "hubspot", "-o", out)
    assert result.code == 2
    assert "associations.line_items[1].properties.price has no value" in result.err
    assert "pricing.items[1].unit_price" in result.err
    # The price is gone, so the message points at the line item it was missing from.
    line = int(re.search(rf"{re.escape(str(export))}:(\d+):", result.err).group(1))  # type: ignore[union-attr]
    assert _line_of(export, '"id": "4411"') - 1 <= line <= _line_of(export, '"hs_sku": "IMPL"')
    assert "Traceback" not in result.err
    assert not out.exists()


def test_an_unknown_code_lists_the_known_ones(run: Run, tmp_path: Path) -> None:
    def other_industry(data: dict[str, object]) -> None:
        company = data["associations"]["companies"][0]  # type: ignore[index]
        company["properties"]["industry"] = "AIRLINES_AVIATION"

    export = _edited(tmp_path, "hubspot-deal.json", other_industry)
    result = run("import", export, "--mapping", "hubspot")
    assert result.code == 2
    assert "'AIRLINES_AVIATION', which the mapping does not list" in result.err
    assert "known codes: BANKING, COMPUTER_SOFTWARE" in result.err
    line = _line_of(export, "AIRLINES_AVIATION")
    assert f"{export}:{line}: associations.companies[0].properties.industry" in result.err


def test_a_record_problem_points_back_at_the_crm_field(run: Run, tmp_path: Path) -> None:
    def bad_currency(data: dict[str, object]) -> None:
        data["CurrencyIsoCode"] = "DOLLARS"

    export = _edited(tmp_path, "salesforce-opportunity.json", bad_currency)
    result = run("import", export, "--mapping", "salesforce")
    assert result.code == 2
    line = _line_of(export, "DOLLARS")
    assert f"{export}:{line}: document.currency (from CRM field CurrencyIsoCode)" in result.err


def test_crm_values_stay_data(run: Run, tmp_path: Path) -> None:
    hostile = "{{ 7 * 7 }} <script>alert(1)</script> {% raw %}"

    def poison(data: dict[str, object]) -> None:
        data["data"]["remark"] = hostile  # type: ignore[index]
        data["data"]["account_id__r"]["name"] = "*bold* [link](http://x.example)"  # type: ignore[index]

    export = _edited(tmp_path, "fxiaoke-opportunity.json", poison)
    out = tmp_path / "deal.yaml"
    assert run("import", export, "--mapping", "fxiaoke", "-o", out).code == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["solution"]["summary"] == hostile
    assert data["customer"]["name"] == "*bold* [link](http://x.example)"
    assert check(out).plan.record.solution.summary == hostile


def test_a_malformed_mapping_is_a_library_problem(run: Run, tmp_path: Path) -> None:
    mapping = tmp_path / "broken.yaml"
    mapping.write_text(
        "fields:\n  document.reference: {from: Name, value: PG-1}\n", encoding="utf-8"
    )
    result = run("import", EXPORTS / "salesforce-opportunity.json", "--mapping", mapping)
    assert result.code == 2
    assert f"{mapping}:2" in result.err
    assert "exactly one of 'from', 'value' or 'join'" in result.err


def test_an_existing_record_is_kept_without_force(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "deal.yaml"
    out.write_text("# mine\n", encoding="utf-8")
    export = EXPORTS / "hubspot-deal.json"
    result = run("import", export, "--mapping", "hubspot", "-o", out)
    assert result.code == 2
    assert "already exists" in result.err
    assert out.read_text(encoding="utf-8") == "# mine\n"
    assert run("import", export, "--mapping", "hubspot", "-o", out, "--force").code == 0
    assert "PG-2027-0112" in out.read_text(encoding="utf-8")


def test_import_errors_follow_lang(run: Run, tmp_path: Path) -> None:
    def other_industry(data: dict[str, object]) -> None:
        company = data["associations"]["companies"][0]  # type: ignore[index]
        company["properties"]["industry"] = "AIRLINES_AVIATION"

    export = _edited(tmp_path, "hubspot-deal.json", other_industry)
    result = run("--lang", "zh-CN", "import", export, "--mapping", "hubspot")
    assert result.code == 2
    assert (
        "CRM 字段 associations.companies[0].properties.industry 的代码 'AIRLINES_AVIATION' "
        "未列入映射（document.industry 需要该字段） — 已知代码：BANKING, COMPUTER_SOFTWARE"
    ) in result.err, result.err
