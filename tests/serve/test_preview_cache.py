"""The live preview is served from caches (library text outputs by the values they
read, parsed Markdown by part, split runs of text, compiled conditions); after a
series of edits its HTML must be exactly what a fresh process renders from the saved
record."""

from __future__ import annotations

import html as html_lib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from propgen import template_memo
from serve.conftest import Client, set_field

FRAME = re.compile(r'<iframe class="doc" data-doc="(\w+)"[^>]*srcdoc="([^"]*)"')


def preview_pages(client: Client, deal: str, fields: list[tuple[str, str]]) -> dict[str, str]:
    response = client.act(f"/deals/{deal}/preview", fields)
    assert response.status_code == 200, response.text
    pages = {kind: html_lib.unescape(page) for kind, page in FRAME.findall(response.text)}
    assert set(pages) == {"proposal", "contract"}, response.text[:500]
    return pages


def fresh_render(record: Path, out: Path) -> dict[str, str]:
    """``propgen render --format html`` in a new process: no cache of this one."""
    command = ["render", str(record), "--format", "html", "-o", str(out)]
    subprocess.run(
        [sys.executable, "-m", "propgen", *command],
        check=True,
        capture_output=True,
    )
    return {
        kind: next(out.glob(f"*-{kind}.html")).read_text(encoding="utf-8")
        for kind in ("proposal", "contract")
    }


@pytest.mark.parametrize(
    ("deal", "name"),
    [("saas.en-US", "Tallgrass Supply West"), ("saas.zh-CN", "苏州晨星零售有限公司")],
)
def test_preview_after_edits_is_a_fresh_render_of_the_saved_record(
    client: Client, workspace: Path, tmp_path: Path, deal: str, name: str
) -> None:
    fields = client.page_form(deal)
    original = dict(fields)
    preview_pages(client, deal, fields)  # the caches now hold the record as loaded
    quantity = int(original["pricing.items.0.quantity"])
    edits = [
        # values library text reads: those sections are rendered again
        ("customer.name", f"{name} 1"),
        ("pricing.items.0.quantity", str(quantity + 7)),
        ("terms.payment_terms_days", "45"),
        ("customer.name", name),  # back to a value seen before
        ("pricing.discount_pct", "4"),
        ("pricing.discount_pct", "4.0"),  # the same value written with other digits
        # a value only the texts that read the contacts list depend on (the next
        # steps); every other text's output is reused
        ("customer.contacts.0.email", "someone.else@example.com"),
        ("customer.contacts.0.email", original["customer.contacts.0.email"]),
    ]
    memo = template_memo.memo()
    assert memo is not None  # the app keeps library text outputs
    for field, value in edits:
        fields = set_field(fields, field, value)
        hits, misses = memo.hits, memo.misses
        pages = preview_pages(client, deal, fields)
        assert memo.hits > hits, field  # most texts read none of the edited value
        if field.startswith(("customer.name", "pricing.")):
            assert memo.misses > misses, field  # the texts that read it rendered again
    saved = client.act(f"/deals/{deal}/save", fields)
    assert 'data-saved="ok"' in saved.text
    assert name in (workspace / f"{deal}.yaml").read_text(encoding="utf-8")
    expected = fresh_render(workspace / f"{deal}.yaml", tmp_path / "fresh")
    assert name in expected["proposal"]  # the contract names the legal name
    for kind, page in expected.items():
        assert pages[kind] == page, kind
