"""The web workspace through its HTTP endpoints (Starlette's test client, real core)."""

from __future__ import annotations

import gc
import hashlib
import html as html_lib
import io
import json
import re
import zipfile
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from propgen.i18n import translate_text
from propgen.pipeline import check
from propgen.serve.app import create_app
from propgen.serve.i18n import STRINGS
from propgen.source import read_source
from serve.conftest import BASE_URL, SAAS, Client, set_field
from support import ROOT


def test_deals_list_shows_every_record_with_its_total_and_status(client: Client) -> None:
    page = client.get("/")
    assert page.status_code == 200
    assert "Tallgrass Supply" in page.text and "saas.zh-CN" in page.text
    total = check(Path(client.app.app.state.serve.workspace.path(SAAS))).pricing.total  # type: ignore[attr-defined]
    assert f"${total:,.2f}" in page.text
    assert page.text.count("status-valid") == 2


@pytest.mark.parametrize(
    "deal_id", ["nope", "..%2Fetc%2Fpasswd", "%2e%2e", ".hidden", "saas.en-US.yaml"]
)
def test_unknown_or_path_like_ids_are_not_found(client: Client, deal_id: str) -> None:
    assert client.get(f"/deals/{deal_id}").status_code == 404
    assert client.get(f"/deals/{deal_id}/files/x.pdf").status_code == 404


def test_the_form_round_trips_a_record_unchanged(client: Client, workspace: Path) -> None:
    before = (workspace / f"{SAAS}.yaml").read_bytes()
    saved = client.act(f"/deals/{SAAS}/save", client.page_form(SAAS))
    assert saved.status_code == 200 and 'data-saved="ok"' in saved.text
    assert (workspace / f"{SAAS}.yaml").read_bytes() == before


def test_an_error_is_reported_under_its_field_with_checks_message(
    client: Client, workspace: Path, tmp_path: Path
) -> None:
    fields = set_field(client.page_form(SAAS), "pricing.items.1.quantity", "-3")
    response = client.act(f"/deals/{SAAS}/preview", fields)
    data = _preview_data(response.text)
    problems = {p["field"]: p["message"] for p in data["problems"]}
    # The same record through the CLI's check says the same thing about the same field.
    bad = tmp_path / "bad.yaml"
    text = (workspace / f"{SAAS}.yaml").read_text(encoding="utf-8")
    bad.write_text(text.replace("      quantity: 1\n", "      quantity: -3\n", 1), encoding="utf-8")
    with pytest.raises(Exception) as err:
        check(bad)
    expected = {p.field: p.message for p in err.value.problems}  # type: ignore[attr-defined]
    assert problems == expected
    assert "pricing.items[1].quantity" in problems
    # …and the form has a place for it under that very field.
    assert 'data-field="pricing.items[1].quantity"' in client.get(f"/deals/{SAAS}").text


def _preview_data(html: str) -> dict[str, Any]:
    found = re.search(r'<div id="preview-data" hidden data-preview="([^"]*)">', html)
    assert found, html[:500]
    data: dict[str, Any] = json.loads(html_lib.unescape(found.group(1)))
    return data


def _money(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_live_totals_follow_the_form(client: Client) -> None:
    fields = client.page_form(SAAS)
    fields = [f for f in fields if not f[0].startswith("pricing.items.")]
    fields = set_field(fields, "_n.pricing.items", "2")
    lines = [("Licences", "12", "3", "99.95", "10"), ("Services", "1", "1", "4500.50", "")]
    for i, (name, qty, periods, price, disc) in enumerate(lines):
        fields += [
            (f"pricing.items.{i}.name", name),
            (f"pricing.items.{i}.quantity", qty),
            (f"pricing.items.{i}.periods", periods),
            (f"pricing.items.{i}.unit_price", price),
            (f"pricing.items.{i}.discount_pct", disc),
            (f"_cb.pricing.items.{i}.optional", "1"),
            (f"pricing.items.{i}._keep", "{}"),  # new lines: none of the sample's ramp
        ]
    fields = set_field(fields, "pricing.discount_pct", "4")
    fields = set_field(fields, "pricing.tax_pct", "8.25")
    response = client.act(f"/deals/{SAAS}/preview", fields)
    assert response.status_code == 200
    line_totals = [
        _money(Decimal(q) * Decimal(p) * Decimal(u) * (1 - Decimal(d or 0) / 100))
        for _, q, p, u, d in lines
    ]
    subtotal = sum(line_totals, Decimal(0))
    net = subtotal - _money(subtotal * Decimal("0.04"))
    total = net + _money(net * Decimal("8.25") / 100)
    data = _preview_data(response.text)
    assert data["lines"] == {"0": f"${line_totals[0]:,.2f}", "1": f"${line_totals[1]:,.2f}"}
    assert f'id="grand-total">${total:,.2f}<' in response.text


def test_live_totals_show_while_another_part_is_wrong(client: Client) -> None:
    fields = set_field(client.page_form(SAAS), "customer.name", "")
    response = client.act(f"/deals/{SAAS}/preview", fields)
    data = _preview_data(response.text)
    assert [p["field"] for p in data["problems"]] == ["customer.name"]
    assert data["lines"] and 'grand-total">$' in response.text


def test_save_keeps_comments_and_key_order(client: Client, workspace: Path) -> None:
    path = workspace / f"{SAAS}.yaml"
    before = path.read_text(encoding="utf-8")
    fields = set_field(client.page_form(SAAS), "customer.name", "Tallgrass Supply West")
    fields = set_field(fields, "terms.non_renewal_notice_days", "60")
    saved = client.act(f"/deals/{SAAS}/save", fields)
    assert 'data-saved="ok"' in saved.text
    after = path.read_text(encoding="utf-8")
    expected = before.replace("  name: Tallgrass Supply\n", "  name: Tallgrass Supply West\n")
    expected = expected.replace(
        "  non_renewal_notice_days: 90\n", "  non_renewal_notice_days: 60\n"
    )
    assert after == expected
    assert check(path).plan.record.customer.name == "Tallgrass Supply West"


def test_a_second_tab_cannot_overwrite_a_newer_save(client: Client, workspace: Path) -> None:
    path = workspace / f"{SAAS}.yaml"
    tab_one = client.page_form(SAAS)
    tab_two = client.page_form(SAAS)
    first = client.act(f"/deals/{SAAS}/save", set_field(tab_one, "customer.size", "700 staff"))
    assert first.status_code == 200
    after_first = path.read_bytes()
    second = client.act(f"/deals/{SAAS}/save", set_field(tab_two, "customer.segment", "MRO"))
    assert second.status_code == 409
    assert path.read_bytes() == after_first
    assert "changed on disk" in second.text


def test_a_file_edited_on_disk_is_not_overwritten(client: Client, workspace: Path) -> None:
    path = workspace / f"{SAAS}.yaml"
    fields = client.page_form(SAAS)
    path.write_text(path.read_text(encoding="utf-8") + "# edited in vim\n", encoding="utf-8")
    edited = path.read_bytes()
    refused = client.act(f"/deals/{SAAS}/save", set_field(fields, "customer.size", "1"))
    assert refused.status_code == 409
    assert path.read_bytes() == edited


def test_rows_are_added_and_removed(client: Client) -> None:
    fields = client.page_form(SAAS)
    added = client.act(f"/deals/{SAAS}/form?list=pricing.items&action=add", fields)
    assert 'name="_n.pricing.items" value="7"' in added.text
    removed = client.act(f"/deals/{SAAS}/form?list=pricing.items&action=remove&index=0", fields)
    text = removed.text
    assert 'name="_n.pricing.items" value="5"' in text
    assert 'value="SD-PRO"' not in text and 'value="OP-ENT"' in text


def test_clause_positions_offer_the_role_each_needs(client: Client) -> None:
    page = client.get(f"/deals/{SAAS}").text
    assert '<select name="clauses.limitation-of-liability">' in page
    assert re.search(r'value="fallback-1" selected>fallback-1 — needs general-counsel', page)


@pytest.fixture
def served(workspace: Path) -> Iterator[Client]:
    """A client of the app as ``propgen serve`` makes it: the PDFs in worker processes."""
    app = create_app(workspace, workers=2)
    with Client(app, base_url=BASE_URL) as test_client:
        test_client.csrf = app.guard.csrf
        yield test_client


def test_render_writes_what_the_cli_writes_byte_for_byte(
    served: Client, workspace: Path, rendered_samples: Path
) -> None:
    client = served
    assert "status-current" not in client.get("/").text
    version = dict(client.page_form(SAAS))["_version"]
    rendered = client.act(f"/deals/{SAAS}/render", [("_version", version)])
    assert rendered.status_code == 200, rendered.text
    names = sorted(p.name for p in (workspace / "out").iterdir())
    assert names == [
        "PG-2027-0031-contract.docx",
        "PG-2027-0031-contract.pdf",
        "PG-2027-0031-proposal.docx",
        "PG-2027-0031-proposal.pdf",
        "PG-2027-0031.provenance.json",
    ]
    # the CLI's render of the same file (samples/saas.en-US.yaml), shared by the run
    cli = rendered_samples
    assert (workspace / f"{SAAS}.yaml").read_bytes() == (
        ROOT / "samples" / f"{SAAS}.yaml"
    ).read_bytes()
    for name in names:
        downloaded = client.get(f"/deals/{SAAS}/files/{name}")
        assert downloaded.status_code == 200
        assert "attachment" in downloaded.headers["content-disposition"]
        assert downloaded.content == (cli / name).read_bytes(), name
    archive = client.get(f"/deals/{SAAS}/outputs.zip")
    with zipfile.ZipFile(io.BytesIO(archive.content)) as zipped:
        assert sorted(zipped.namelist()) == names
        for name in names:
            assert zipped.read(name) == (cli / name).read_bytes()
    assert client.get(f"/deals/{SAAS}/outputs.zip").content == archive.content
    assert "status-current" in client.get("/").text


def test_a_failed_render_leaves_the_previous_outputs(client: Client, workspace: Path) -> None:
    version = dict(client.page_form(SAAS))["_version"]
    assert client.act(f"/deals/{SAAS}/render", [("_version", version)]).status_code == 200
    out = workspace / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    fields = set_field(client.page_form(SAAS), "clauses.limitation-of-liability", "no-such")
    saved = client.act(f"/deals/{SAAS}/save", fields)
    assert 'data-saved="ok"' in saved.text
    version = dict(client.page_form(SAAS))["_version"]
    failed = client.act(f"/deals/{SAAS}/render", [("_version", version)])
    assert failed.status_code == 422
    assert "limitation-of-liability" in failed.text
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_an_edited_record_at_the_same_version_replaces_its_documents_when_asked(
    client: Client, workspace: Path
) -> None:
    version = dict(client.page_form(SAAS))["_version"]
    assert client.act(f"/deals/{SAAS}/render", [("_version", version)]).status_code == 200
    provenance = next((workspace / "out").glob("*.provenance.json"))
    before = json.loads(provenance.read_text())["needs"]["sha256"]
    fields = set_field(client.page_form(SAAS), "pricing.discount_pct", "3")
    assert 'data-saved="ok"' in client.act(f"/deals/{SAAS}/save", fields).text
    version = dict(client.page_form(SAAS))["_version"]
    refused = client.act(f"/deals/{SAAS}/render", [("_version", version)])
    assert refused.status_code == 409
    assert "made from a different record" in refused.text
    assert 'id="replace"' in refused.text and '"_replace": "1"' in refused.text
    assert json.loads(provenance.read_text())["needs"]["sha256"] == before
    replaced = client.act(f"/deals/{SAAS}/render", [("_version", version), ("_replace", "1")])
    assert replaced.status_code == 200, replaced.text
    after = json.loads(provenance.read_text())["needs"]["sha256"]
    assert after == hashlib.sha256((workspace / f"{SAAS}.yaml").read_bytes()).hexdigest() != before


def test_render_refuses_an_old_version(client: Client) -> None:
    refused = client.act(f"/deals/{SAAS}/render", [("_version", "0" * 64)])
    assert refused.status_code == 409


HOSTILE = '<script>alert("x")</script> & {{ 7*7 }} <b>bold</b>'


def test_hostile_values_appear_literally_in_preview_and_documents(
    client: Client, workspace: Path
) -> None:
    fields = set_field(client.page_form(SAAS), "customer.name", HOSTILE)
    preview = client.act(f"/deals/{SAAS}/preview", fields).text
    assert "<script>alert" not in preview and "<b>bold" not in preview
    # The preview page sits escaped in srcdoc; once unescaped it shows the text, escaped once.
    frame = re.search(r'srcdoc="([^"]*)"', preview)
    assert frame
    page = html_lib.unescape(frame.group(1))
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; {{ 7*7 }}" in page or (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; {{ 7*7 }}" in page
    )
    assert "<script" not in page and "49" not in html_lib.unescape(page).split("alert")[0][-5:]
    saved = client.act(f"/deals/{SAAS}/save", fields)
    assert 'data-saved="ok"' in saved.text
    version = dict(client.page_form(SAAS))["_version"]
    assert client.act(f"/deals/{SAAS}/render", [("_version", version)]).status_code == 200
    pdf = client.get(f"/deals/{SAAS}/files/PG-2027-0031-proposal.pdf").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert '<script>alert("x")</script> & {{ 7*7 }} <b>bold</b>' in " ".join(text.split())


def test_create_a_deal_from_the_starter(client: Client, workspace: Path) -> None:
    created = client.post(
        "/deals",
        data={"id": "acme-2027", "industry": "retail", "locale": "zh-CN"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert created.status_code == 201 and created.headers["HX-Redirect"] == "/deals/acme-2027"
    text = (workspace / "acme-2027.yaml").read_text(encoding="utf-8")
    assert "industry: retail" in text and "locale: zh-CN" in text
    assert client.get("/deals/acme-2027").status_code == 200
    # The starter's placeholders are the form's hints, kept (and refused) until filled in.
    page = client.get("/deals/acme-2027").text
    assert 'placeholder="&lt;请填写' in page
    assert '<span class="count">' in page  # the side panel lists them from the start
    before = (workspace / "acme-2027.yaml").read_bytes()
    unchanged = client.act("/deals/acme-2027/save", client.page_form("acme-2027"))
    assert 'data-saved="ok"' in unchanged.text
    assert (workspace / "acme-2027.yaml").read_bytes() == before
    row = re.search(r"acme-2027</a>.*?status-(\w+)", client.get("/").text, re.S)
    assert row and row.group(1) == "invalid"
    second = client.post(
        "/deals",
        data={"id": "acme-2028", "industry": "saas", "locale": "en-US"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert second.status_code == 201
    references = [
        read_source(workspace / f"{name}.yaml").data["document"]["reference"]
        for name in ("acme-2027", "acme-2028")
    ]
    assert len(set(references)) == 2, "two new deals would overwrite each other's outputs"
    assert all(re.fullmatch(r"PG-\d{4}-000[12]", r) for r in references)
    again = client.post(
        "/deals",
        data={"id": "acme-2027", "industry": "retail", "locale": "zh-CN"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert again.status_code == 409
    bad = client.post(
        "/deals",
        data={"id": "../evil", "industry": "retail", "locale": "zh-CN"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert bad.status_code == 422 and not (workspace.parent / "evil.yaml").exists()


def test_ui_languages_have_the_same_words() -> None:
    assert set(STRINGS["en-US"]) == set(STRINGS["zh-CN"])


def test_chinese_ui(client: Client) -> None:
    switched = client.get("/language/zh-CN?next=/deals/saas.zh-CN", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/deals/saas.zh-CN"
    page = client.get("/deals/saas.zh-CN").text
    assert "保存" in page and "报价明细" in page and 'lang="zh-CN"' in page
    assert (
        client.get("/language/zh-CN?next=//evil.example", follow_redirects=False).headers[
            "location"
        ]
        == "/"
    )


def test_every_form_field_has_a_label_in_both_languages() -> None:
    from propgen.serve.form import PANELS, Group

    keys = set()
    for panel in PANELS:
        keys.add(f"panel.{panel.id}")
        for part in panel.parts:
            prefix = ".".join(part.path)
            if not isinstance(part, Group) or len(part.path) > 1:
                keys.add(prefix)
            keys |= {f"{prefix}.{field.key}" for field in part.fields}
    for language, strings in STRINGS.items():
        assert keys - set(strings) == set(), language


def test_a_pending_deviation_offers_its_approval_entry(client: Client, workspace: Path) -> None:
    fields = set_field(client.page_form(SAAS), "pricing.discount_pct", "12")
    preview = client.act(f"/deals/{SAAS}/preview", fields).text
    found = re.search(r'hx-post="(/deals/[^"]*action=approve[^"]*)"', preview)
    assert found and "what=deal-discount" in found.group(1)
    url = html_lib.unescape(found.group(1))
    form = client.act(url, fields).text
    assert 'name="approvals.1.what" value="deal-discount"' in form
    assert 'name="approvals.1.role" value="sales-director"' in form
    fields = [*fields, ("_n.approvals", "2")]
    fields += [
        ("approvals.1.what", "deal-discount"),
        ("approvals.1.role", "sales-director"),
        ("approvals.1.who", "Dana Lee"),
        ("approvals.1.date", "2027-02-07"),
    ]
    fields = [(n, v) for n, v in fields if not (n == "_n.approvals" and v == "1")]
    approved = client.act(f"/deals/{SAAS}/preview", fields).text
    assert "approved by Dana Lee (2027-02-07)" in approved and "action=approve" not in approved


def test_problems_are_in_the_records_language(client: Client, workspace: Path) -> None:
    deal = "saas.zh-CN"
    fields = set_field(client.page_form(deal), "pricing.items.0.quantity", "-3")
    data = _preview_data(client.act(f"/deals/{deal}/preview", fields).text)
    shown = {p["field"]: p["message"] for p in data["problems"]}
    bad = workspace / "bad.yaml"
    text = (workspace / f"{deal}.yaml").read_text(encoding="utf-8")
    bad.write_text(re.sub(r"quantity: \d+", "quantity: -3", text, count=1), encoding="utf-8")
    with pytest.raises(Exception) as err:
        check(bad)
    expected = {p.field: translate_text(p.message, "zh-CN") for p in err.value.problems}  # type: ignore[attr-defined]
    assert shown == expected
    assert all(re.search(r"[\u4e00-\u9fff]", m) for m in shown.values()), shown


def test_the_served_app_is_ready_before_it_listens(workspace: Path) -> None:
    """``propgen serve``'s app: PDFs rendered by one worker per core, every record
    checked before the first request, and what that loaded frozen out of the
    collector's sight."""
    from propgen import parallel
    from propgen.serve.server import serving_app

    gc.unfreeze()
    try:
        app = serving_app(workspace)
        assert gc.get_freeze_count() > 0
        state = app.app.state.serve  # type: ignore[attr-defined]
        assert state.workers == parallel.available_cores()
        assert {deal for deal, _version in state.statuses} == {"saas.en-US", "saas.zh-CN"}
    finally:
        gc.unfreeze()  # the rest of this test process collects as usual
