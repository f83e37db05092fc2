"""Governance through a test library whose every approval role is distinct, so a
test can tell which rule chose the role: the position's own, the policy's fallback
or locked role, or a threshold's."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from propgen.cli import main
from propgen.errors import NeedsError, Problem
from propgen.governance import Deviation
from propgen.library import Library
from propgen.lint import _check_clause_status
from propgen.needs.loader import load_needs
from propgen.pipeline import check
from propgen.plan import Plan, plan_documents
from support import ROOT

SAAS = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
FINANCIAL = ROOT / "templates" / "industry" / "financial-services" / "sample.en-US.yaml"
POLICY = {
    "thresholds": {
        "line_discount_pct": {"max": 15, "approval": "pricing-desk"},
        "deal_discount_pct": {"max": 10, "approval": "sales-director"},
        "payment_terms_days": {"max": 45, "approval": "finance-director"},
        "liability_cap_months": {"min": 12, "approval": "risk-committee"},
    },
    "approvals": {"fallback": "deal-desk", "locked": "chief-legal-officer"},
}

Edit = Callable[[dict[str, Any]], None]


def _edit_yaml(path: Path, edit: Edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """The bundled library with distinct roles: limitation-of-liability's fallback-1
    names its own role (general-counsel), its fallback-2 names none."""
    root = tmp_path_factory.mktemp("library")
    shutil.copytree(ROOT / "templates", root / "templates")
    shutil.copytree(ROOT / "snippets", root / "snippets")
    (root / "snippets" / "policy.yaml").write_text(yaml.safe_dump(POLICY), encoding="utf-8")
    clause = root / "snippets" / "clauses" / "limitation-of-liability.yaml"

    def roles(data: dict[str, Any]) -> None:
        data["positions"]["fallback-1"]["approval"] = "general-counsel"
        data["positions"]["fallback-2"].pop("approval", None)

    _edit_yaml(clause, roles)
    return Library(root)


@pytest.fixture
def plan_with(tmp_path: Path, library: Library) -> Callable[..., Plan]:
    def make(edit: Edit, base: Path = SAAS) -> Plan:
        data = yaml.safe_load(base.read_text(encoding="utf-8"))
        for key in ("sections", "clauses", "approvals"):
            data.pop(key, None)
        edit(data)
        path = tmp_path / "needs.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return plan_documents(load_needs(path), library)

    return make


def _only(plan: Plan, kind: str) -> Deviation:
    [deviation] = [d for d in plan.deviations if d.kind == kind]
    return deviation


def _position(name: str) -> Edit:
    return lambda d: d.__setitem__("clauses", {"limitation-of-liability": name})


def _approve(what: str, role: str) -> Edit:
    approval = {"who": "R. Kim", "role": role, "date": "2027-01-05", "what": what}
    return lambda d: d.setdefault("approvals", []).append(approval)


def _both(*edits: Edit) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        for each in edits:
            each(data)

    return edit


def test_position_names_its_own_approval_role(plan_with: Callable[..., Plan]) -> None:
    assert _only(plan_with(_position("fallback-1")), "fallback").approval == "general-counsel"


def test_position_without_a_role_takes_the_policy_fallback_role(
    plan_with: Callable[..., Plan],
) -> None:
    assert _only(plan_with(_position("fallback-2")), "fallback").approval == "deal-desk"


def test_approval_by_the_wrong_role_is_refused(plan_with: Callable[..., Plan]) -> None:
    subject = "clause:limitation-of-liability"
    with pytest.raises(NeedsError) as err:
        plan_with(_both(_position("fallback-1"), _approve(subject, "deal-desk")))
    assert (
        "approvals[0].role: clause:limitation-of-liability needs approval by "
        "general-counsel, not deal-desk"
    ) in str(err.value)
    right = plan_with(_both(_position("fallback-1"), _approve(subject, "general-counsel")))
    deviation = _only(right, "fallback")
    assert deviation.approved and deviation.approved_by is not None
    assert deviation.approved_by.who == "R. Kim"


def test_approval_of_something_else_is_refused(plan_with: Callable[..., Plan]) -> None:
    with pytest.raises(NeedsError) as err:
        plan_with(_both(_position("fallback-1"), _approve("clause:other", "general-counsel")))
    assert "approvals[0].what: 'clause:other' matches no deviation of this deal" in str(err.value)


def _deal_discount(value: str) -> Edit:
    return lambda d: d["pricing"].__setitem__("discount_pct", value)


def _liability_cap(months: int) -> Edit:
    return lambda d: d["terms"].__setitem__("liability_cap_months", months)


def _thresholds(plan: Plan) -> dict[str, str]:
    return {d.subject: d.approval for d in plan.deviations if d.kind == "threshold"}


def test_a_value_equal_to_max_is_not_a_deviation(plan_with: Callable[..., Plan]) -> None:
    assert "deal-discount" not in _thresholds(plan_with(_deal_discount("10")))
    assert _thresholds(plan_with(_deal_discount("10.01")))["deal-discount"] == "sales-director"


def test_a_value_equal_to_min_is_not_a_deviation(plan_with: Callable[..., Plan]) -> None:
    assert "liability-cap" not in _thresholds(plan_with(_liability_cap(12)))
    assert _thresholds(plan_with(_liability_cap(11)))["liability-cap"] == "risk-committee"


def test_each_threshold_names_its_own_role(plan_with: Callable[..., Plan]) -> None:
    def everything(data: dict[str, Any]) -> None:
        data["pricing"]["discount_pct"] = "11"
        data["pricing"]["items"][0]["discount_pct"] = "16"
        data["terms"]["payment_terms_days"] = 46
        data["terms"]["liability_cap_months"] = 6

    sku = yaml.safe_load(SAAS.read_text(encoding="utf-8"))["pricing"]["items"][0]["sku"]
    assert _thresholds(plan_with(everything)) == {
        "deal-discount": "sales-director",
        f"line-discount:{sku}": "pricing-desk",
        "payment-terms": "finance-director",
        "liability-cap": "risk-committee",
    }


def test_approving_a_threshold(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(_both(_deal_discount("20"), _approve("deal-discount", "sales-director")))
    [deviation] = [d for d in plan.deviations if d.subject == "deal-discount"]
    assert deviation.approved
    assert not [d for d in plan.deviations if not d.approved]


def test_locked_clause_takes_the_locked_role_over_its_positions_role(
    tmp_path: Path, library: Library
) -> None:
    clause = library.root / "snippets" / "clauses" / "limitation-of-liability.yaml"
    original = clause.read_text(encoding="utf-8")
    try:
        _edit_yaml(clause, lambda d: d.__setitem__("locked", True))
        data = yaml.safe_load(SAAS.read_text(encoding="utf-8"))
        data["clauses"] = {"limitation-of-liability": "fallback-1"}
        data.pop("approvals", None)
        needs = tmp_path / "needs.yaml"
        needs.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        plan = plan_documents(load_needs(needs), Library(library.root))
    finally:
        clause.write_text(original, encoding="utf-8")
    assert _only(plan, "locked").approval == "chief-legal-officer"
    assert not [d for d in plan.deviations if d.kind == "fallback"]


@pytest.mark.parametrize(
    "change",
    [
        {"id": "acceptance", "remove": True},
        {"id": "acceptance", "text": "Sign anywhere."},
        {"id": "acceptance", "title": "Sign here"},
    ],
    ids=["remove", "replace", "retitle"],
)
def test_locked_section_cannot_be_changed(
    plan_with: Callable[..., Plan], change: dict[str, Any]
) -> None:
    with pytest.raises(NeedsError) as err:
        plan_with(lambda d: d.__setitem__("sections", [change]))
    assert re.search(r"needs\.yaml:\d+: sections\[0\]\.id: ", str(err.value))
    assert "section 'acceptance' is locked by the library" in str(err.value)


def test_industry_defaults_fill_only_what_the_record_leaves_out(
    plan_with: Callable[..., Plan],
) -> None:
    """financial-services defaults: ``{sla: premium, termination_notice_days: 90}``."""

    def without(*keys: str) -> Edit:
        def edit(d: dict[str, Any]) -> None:
            for k in keys:
                d["terms"].pop(k, None)

        return edit

    defaulted = plan_with(without("sla", "termination_notice_days"), base=FINANCIAL).record.terms
    assert (defaulted.sla, defaulted.termination_notice_days) == ("premium", 90)
    explicit = plan_with(
        lambda d: d["terms"].update(sla="enterprise", termination_notice_days=30), base=FINANCIAL
    ).record.terms
    assert (explicit.sla, explicit.termination_notice_days) == ("enterprise", 30)


def test_when_false_leaves_the_section_out(tmp_path: Path) -> None:
    """``payment-schedule`` has ``when: pricing.instalments``."""
    data = yaml.safe_load(SAAS.read_text(encoding="utf-8"))
    with_schedule = tmp_path / "with.yaml"
    with_schedule.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    del data["pricing"]["payment_schedule"]
    without = tmp_path / "without.yaml"
    without.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def sections(path: Path) -> list[str]:
        proposal = check(path, allow_draft=True).documents["proposal"]
        return [getattr(b, "source_id", "") for b in proposal.blocks]

    assert "payment-schedule" in sections(with_schedule)
    assert "payment-schedule" not in sections(without)
    assert "pricing" in sections(without)


def test_a_clause_changed_since_its_approval_does_not_carry_it(tmp_path: Path) -> None:
    """An approval is of one version: a clause whose text moved on keeps the approval it
    had (``approved_version``) and is shown as awaiting legal's re-approval — in
    ``library check``, ``check``, the contract's cover and the provenance — until legal
    sets ``approved_version`` to the new version with their own name and date."""
    library = tmp_path / "library"
    shutil.copytree(ROOT / "templates", library / "templates")
    shutil.copytree(ROOT / "snippets", library / "snippets")
    notices = library / "snippets" / "clauses" / "notices.yaml"
    text = notices.read_text(encoding="utf-8")
    version = re.search(r'^version: "([^"]+)"', text, re.M)
    assert version is not None
    awaiting = re.sub(r"^approved_version: .*\n", 'approved_version: "0.9.0"\n', text, flags=re.M)
    if "approved_version" not in awaiting:
        awaiting = awaiting.replace("approved_on:", 'approved_version: "0.9.0"\napproved_on:', 1)
    notices.write_text(awaiting, encoding="utf-8")
    record = ROOT / "samples" / "saas.en-US.yaml"

    checked = check(record, library=Library(library))
    contract = checked.documents["contract"]
    assert "notices" in checked.plan.awaiting_approval
    assert "Notices" in contract.meta.notice
    assert contract.meta.watermark == "DRAFT"  # still renders: no --allow-draft needed
    planned = next(c for c in checked.plan.clauses if c.id == "notices")
    assert (planned.status, planned.approved_version) == ("awaiting-approval", "0.9.0")

    out = tmp_path / "out"
    assert (
        main(
            [
                "render",
                str(record),
                "-o",
                str(out),
                "--only",
                "contract",
                "--format",
                "docx",
                "--library",
                str(library),
            ]
        )
        == 0
    )
    (provenance,) = out.glob("*.provenance.json")
    used = next(c for c in json.loads(provenance.read_text())["clauses"] if c["id"] == "notices")
    assert (used["status"], used["approved_version"]) == ("awaiting-approval", "0.9.0")

    warnings: list[Problem] = []
    errors: list[Problem] = []
    loaded = Library(library).clause("saas", "notices")
    _check_clause_status(loaded, "saas", dt.date(2026, 12, 1), errors, warnings)
    (warning,) = [w for w in warnings if w.field == "approved_version"]
    assert "awaits legal's re-approval" in warning.message and "0.9.0" in warning.message
    assert f"approved_version to {version.group(1)}" in warning.hint and not errors

    # legal re-approves: the version they approve is the clause's version
    notices.write_text(
        awaiting.replace('approved_version: "0.9.0"', f'approved_version: "{version.group(1)}"'),
        encoding="utf-8",
    )
    again = check(record, library=Library(library))
    assert "notices" not in again.plan.awaiting_approval
    assert "Notices" not in again.documents["contract"].meta.notice
