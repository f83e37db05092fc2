"""The deployment drives what the documents promise (issue 12, item 5): an on-premises
deal's proposal and contract make no hosting promise, a hosted deal's make no
on-premises one. A record that says nothing of it gets its industry's default, and
``check`` warns that it was assumed."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from propgen.cli import cli
from propgen.needs.models import Deployment
from propgen.pipeline import Checked, check
from support import FIXTURES, HUAXIN, INDUSTRY_SAMPLES, NORTHWIND, SAMPLES, document_paragraphs

RECORDS = [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]

HOSTED_ONLY = {
    "en": (
        "hosted",
        "hosting",
        "storage location",
        "data return",
        "return all customer data",
        "return customer data",
        "return and delete customer data",
        "export its customer data",
        "monthly availability",
        "tenant",
        "managed key service",
    ),
    "zh": (
        "托管",
        "存储位置",
        "数据返还",
        "返还全部甲方数据",
        "返还甲方数据",
        "月度可用性",
        "租户",
    ),
}
"""What only a service the seller hosts can promise: where the data is stored, its
return by the seller, hosting itself and the hosted service's availability."""

ON_PREMISES_ONLY = {
    "en": (
        "your data center",
        "your own data center",
        "customer’s data center",
        "in the customer’s environment",
        "install an update",
        "deployed in party a",
        "party a's data center",
    ),
    "zh": (
        "甲方数据中心",
        "自有数据中心",
        "部署于甲方环境",
        "拒绝安装",
        "境内数据中心，业务数据不离开",
    ),
}
"""What only software on the customer's premises can promise: it runs in the
customer's data center, and the customer installs its updates."""


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


def _deployed(path: Path, deployment: Deployment, tmp_path: Path) -> Path:
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["solution"]["deployment"] = deployment
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    return out


def _record_words(checked: Checked) -> list[str]:
    """The record's own paragraphs: its summary is the record's to word, not the library's."""
    return [p.strip() for p in checked.plan.record.solution.summary.split("\n\n") if p.strip()]


def _promises_of_the_other_deployment(checked: Checked) -> list[tuple[str, str]]:
    deployment = checked.plan.record.deployment
    own = _record_words(checked)
    forbidden = {"on-premises": HOSTED_ONLY, "seller-hosted": ON_PREMISES_ONLY}.get(deployment)
    assert forbidden is not None, deployment
    found: list[tuple[str, str]] = []
    for kind, document in checked.documents.items():
        for text in document_paragraphs(document):
            for words in own:
                text = text.replace(words, "")
            lowered = text.lower()
            found += [
                (kind, text[:160])
                for phrases in forbidden.values()
                for phrase in phrases
                if phrase in lowered
            ]
    return found


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_the_documents_promise_only_what_the_deployment_delivers(path: Path) -> None:
    assert _promises_of_the_other_deployment(_checked(path)) == []


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_the_same_deal_deployed_the_other_way_promises_only_that(
    path: Path, tmp_path: Path
) -> None:
    """Every record again, with the other deployment stated: the text follows it."""
    other: Deployment = (
        "seller-hosted" if _checked(path).plan.record.deployment == "on-premises" else "on-premises"
    )
    checked = check(_deployed(path, other, tmp_path), allow_draft=True)
    assert checked.plan.record.deployment == other
    assert _promises_of_the_other_deployment(checked) == []


def test_an_on_premises_bank_proposal_offers_no_data_location_or_return() -> None:
    """The zh bank deal runs in the bank's own data center: nothing to confirm the
    location of, nothing for the seller to return; the exit plan hands over support."""
    checked = _checked(next(p for p in SAMPLES if p.name == "financial-services.zh-CN.yaml"))
    proposal = "\n".join(document_paragraphs(checked.documents["proposal"]))
    assert "书面确认数据的存储位置" not in proposal
    assert "数据返还格式" not in proposal
    assert "系统文档、配置记录及运维手册的移交" in proposal
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    assert "返还全部甲方数据" not in contract
    assert "删除其持有的甲方数据副本" in contract


def _stated(path: Path) -> bool:
    """Whether the record's YAML decides the deployment: stated, or line kinds given."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    bought = [i for i in record["pricing"]["items"] if not i.get("optional")]
    return bool(record["solution"].get("deployment") or any(i.get("kind") for i in bought))


@pytest.mark.parametrize("path", RECORDS, ids=_id)
def test_check_warns_where_the_deployment_was_assumed(path: Path) -> None:
    assumed = [a for a in _checked(path).plan.assumptions if a.field == "solution.deployment"]
    assert bool(assumed) != _stated(path)


@pytest.mark.parametrize(
    ("path", "expected"), [(HUAXIN, "on-premises"), (NORTHWIND, "seller-hosted")]
)
def test_a_record_that_says_nothing_gets_its_industrys_deployment(
    path: Path, expected: Deployment
) -> None:
    """Huaxin (a two-plant MES, perpetual licence, no kinds) runs on the plants'
    premises, manufacturing's default; Northwind (SaaS) is hosted, SaaS's default."""
    checked = _checked(path)
    assert checked.plan.record.deployment == expected
    (assumption,) = checked.plan.assumptions
    assert expected in assumption.message
    assert checked.plan.record.document.industry in assumption.message
    assert assumption.line is not None
    if expected == "on-premises":
        contract = "\n".join(document_paragraphs(checked.documents["contract"]))
        assert "托管" not in contract
        assert "甲方数据存储于甲方环境" in contract


def test_an_industry_without_a_default_assumes_the_hosted_service(tmp_path: Path) -> None:
    path = next(p for p in SAMPLES if p.name == "retail.en-US.yaml")
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    for item in record["pricing"]["items"]:
        item.pop("kind", None)
    out = tmp_path / path.name
    out.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    checked = check(out, allow_draft=True)
    assert checked.plan.record.deployment == "seller-hosted"
    (assumption,) = checked.plan.assumptions
    assert assumption.message.endswith("the documents assume seller-hosted")


def test_check_prints_the_assumption_in_the_records_language() -> None:
    result = CliRunner().invoke(cli, ["check", str(HUAXIN)])
    assert result.exit_code == 0, result.output
    assert "solution.deployment: 未填写" in result.output
    assert "manufacturing 行业的默认部署方式 on-premises" in result.output
    result = CliRunner().invoke(cli, ["check", str(NORTHWIND)])
    assert "warning: " in result.output
    assert "solution.deployment: not stated and no line gives its kind" in result.output
