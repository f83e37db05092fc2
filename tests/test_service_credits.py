"""Service credits follow the deal (issue 12, item 4) and the deployment follows what
the deal sells when the record does not say it (item 5).

A credit makes good the fees of the service whose level was missed: the subscription
fees of a hosted service, the support fees of support on the customer's premises; a
deal with no recurring fee grants none. The basis is stated identically in the
proposal's terms summary and service-level section, the contract's clause and its
Service Level Schedule."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml

from propgen.document import Document, DocumentKind, Section, iter_blocks
from propgen.pipeline import Checked, check
from support import FIXTURES, INDUSTRY_SAMPLES, ROOT, SAMPLES, document_paragraphs

RECORDS = [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]
BASIS = {
    "en": {
        "subscription": "the subscription Fees attributable to the month concerned",
        "support": "the support Fees attributable to the month concerned",
        "recurring": "the recurring Fees attributable to the month concerned",
    },
    "zh": {
        "subscription": "当月订阅服务费",
        "support": "当月运维服务费",
        "recurring": "当月服务费",
    },
    "en proposal": {  # a proposal defines no terms: the plain "fees"
        "subscription": "the subscription fees attributable to the month concerned",
        "support": "the support fees attributable to the month concerned",
        "recurring": "the recurring fees attributable to the month concerned",
    },
    "translated": {
        "subscription": "the subscription service fees for the month",
        "support": "the operation and maintenance fees for the month",
        "recurring": "the service fees for the month",
    },
}
"""The labels' words, written out here so that a change to them is seen."""
MES_EN = ROOT / "samples" / "manufacturing.en-US.yaml"


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


def _expected_fees(record: dict) -> str:  # type: ignore[type-arg]
    """The rule, restated from the record's YAML rather than the program's objects."""
    bought = [i for i in record["pricing"]["items"] if not i.get("optional")]
    kinds = {i["kind"] for i in bought if i.get("kind")}
    deployment = record.get("solution", {}).get("deployment")
    if deployment is None:
        deployment = "on-premises" if kinds and "subscription" not in kinds else "seller-hosted"
    if not kinds:
        return "recurring"
    if deployment != "on-premises" and "subscription" in kinds:
        return "subscription"
    if "support" in kinds:
        return "support"
    return "recurring" if any(i.get("recurring") for i in bought) else "none"


def _section_text(document: Document, section_id: str) -> str | None:
    for block in iter_blocks(document.blocks):
        if isinstance(block, Section) and block.source_id == section_id:
            return "\n".join(document_paragraphs(Document(document.meta, (block,))))
    return None


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_service_credits_are_a_share_of_the_affected_service_fees(path: Path) -> None:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    checked = _checked(path)
    fees = _expected_fees(record)
    locale = record["document"]["locale"]
    language = "zh" if locale.startswith("zh") else "en"
    places: list[tuple[DocumentKind, str]] = [
        ("proposal", "terms-summary"),
        ("proposal", "sla"),
        ("contract", "service-levels"),
        ("contract", "sla-schedule"),
    ]
    seen = 0
    for kind, section in places:
        document = checked.documents.get(kind)
        text = _section_text(document, section) if document is not None else None
        if text is None:
            continue
        seen += 1
        words = BASIS[f"{language} proposal" if f"{language} {kind}" in BASIS else language]
        if fees == "none":
            assert not any(w in text for w in words.values()), (kind, section, text)
            assert "service credits, as a share" not in text.lower(), (kind, section)
            continue
        assert words[fees] in text, (kind, section, fees, text[:400])
        others = [w for k, w in words.items() if k != fees and w not in words[fees]]
        assert not any(w in text for w in others), (kind, section)
        if fees != "recurring":  # never the vague "recurring Fees" where the deal says which
            assert "recurring Fees" not in text and "recurring support Fees" not in text
        if record.get("document", {}).get("languages") and kind == "contract":
            assert BASIS["translated"][fees] in text, (section, "the English column")
    if record.get("terms", {}).get("sla"):
        assert seen >= 3, "the SLA is stated in the proposal and the contract"


def test_the_us_mes_deal_is_on_the_customers_premises() -> None:
    """It sells per-plant perpetual licences with in-plant gateways and no subscription:
    nothing is hosted, so no hosted-availability clause, and its credits are a share of
    the support fees with a response-time SLA."""
    checked = _checked(MES_EN)
    assert checked.plan.record.solution.deployment is None
    assert checked.plan.record.deployment == "on-premises"
    levels = _section_text(checked.documents["contract"], "service-levels") or ""
    assert "Availability is measured" not in levels
    assert "response target for a Priority 1 incident" in levels
    assert BASIS["en"]["support"] in levels
    annex = _section_text(checked.documents["contract"], "sla-schedule") or ""
    assert "Monthly availability" not in annex
    assert "subscription" not in (_section_text(checked.documents["proposal"], "sla") or "")


@pytest.mark.parametrize(
    ("kinds", "stated", "expected"),
    [
        (["license-perpetual", "hardware", "support"], None, "on-premises"),
        (["subscription", "service"], None, "seller-hosted"),
        ([None, None], None, "on-premises"),  # says nothing: manufacturing's default
        (["service", "support"], None, "on-premises"),
        (["license-perpetual", "support"], "hybrid", "hybrid"),  # the record's word wins
        (["subscription"], "on-premises", "on-premises"),
    ],
)
def test_the_deployment_is_decided_from_the_deal_when_the_record_is_silent(
    tmp_path: Path, kinds: list[str | None], stated: str | None, expected: str
) -> None:
    record = yaml.safe_load(MES_EN.read_text(encoding="utf-8"))
    items = record["pricing"]["items"]
    record["pricing"]["items"] = [
        {**{k: v for k, v in items[0].items() if k != "kind"}, **({"kind": k} if k else {})}
        for k in kinds
    ]
    record["pricing"]["payment_schedule"] = [{"milestone": "On signature", "percent": 100}]
    if stated:
        record["solution"]["deployment"] = stated
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    checked = check(path, allow_draft=True)
    assert checked.plan.record.deployment == expected
    levels = _section_text(checked.documents["contract"], "service-levels") or ""
    assert ("is measured for each calendar month" in levels) == (expected != "on-premises")
