"""Presales overrides and legal governance, through the real bundled library."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from propgen.errors import NeedsError, PolicyError
from propgen.library import Library, bundled_library_root
from propgen.needs.loader import load_needs
from propgen.plan import Plan, plan_documents
from support import ROOT

BASE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"

Edit = Callable[[dict[str, Any]], None]


@pytest.fixture(scope="module")
def library() -> Library:
    return Library(bundled_library_root())


@pytest.fixture
def plan_with(tmp_path: Path, library: Library) -> Callable[..., Plan]:
    def make(edit: Edit, **options: Any) -> Plan:
        data = yaml.safe_load(BASE.read_text(encoding="utf-8"))
        data.pop("sections", None)
        data.pop("clauses", None)
        data.pop("approvals", None)
        edit(data)
        path = tmp_path / "needs.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return plan_documents(load_needs(path), library, **options)

    return make


def ids(plan: Plan) -> list[str]:
    return [s.id for s in plan.proposal]


def sections(*changes: dict[str, Any]) -> Edit:
    return lambda data: data.__setitem__("sections", list(changes))


def test_manifest_order_without_overrides(plan_with: Callable[..., Plan], library: Library) -> None:
    assert ids(plan_with(lambda d: None)) == library.industry("saas").value.proposal.sections


def test_replace_text_is_a_template_like_library_text(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(sections({"id": "solution", "text": "Hello {{ customer.name }}"}))
    solution = next(s for s in plan.proposal if s.id == "solution")
    assert solution.source == "Hello {{ customer.name }}" and solution.templated
    assert solution.origin == "override" and solution.file.endswith("needs.yaml")


def test_add_after_and_before(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(
        sections(
            {"id": "notes", "after": "solution", "title": "Notes", "text": "x"},
            {"id": "intro", "before": "executive-summary", "title": "Intro", "text": "y"},
        )
    )
    order = ids(plan)
    assert order[order.index("solution") + 1] == "notes"
    assert order[0] == "intro"


def test_remove_and_reorder(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(
        sections(
            {"id": "case-studies", "remove": True}, {"id": "pricing", "after": "executive-summary"}
        )
    )
    order = ids(plan)
    assert "case-studies" not in order
    assert order[1] == "pricing"


def test_add_library_section_by_id(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(sections({"id": "team", "after": "solution"}))
    assert ids(plan).count("team") == 1


def test_choose_variant(plan_with: Callable[..., Plan]) -> None:
    plan = plan_with(sections({"id": "case-studies", "variant": "brief"}))
    assert next(s for s in plan.proposal if s.id == "case-studies").variant == "brief"


def test_a_change_to_a_removed_section_says_it_was_removed(
    plan_with: Callable[..., Plan],
) -> None:
    with pytest.raises(NeedsError) as err:
        plan_with(
            sections(
                {"id": "case-studies", "remove": True}, {"id": "case-studies", "variant": "brief"}
            )
        )
    assert "sections[1].id: section 'case-studies' was removed earlier in this list" in str(
        err.value
    )
    assert "did you mean" not in str(err.value)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"id": "case-studys", "remove": True}, "sections[0].id", "did you mean 'case-studies'"),
        (
            {"id": "x", "after": "soluton", "title": "X", "text": "x"},
            "sections[0].after",
            "did you mean 'solution'",
        ),
        ({"id": "case-studies", "variant": "short"}, "sections[0].variant", "has no variant"),
        (
            {"id": "brand-new", "text": "x", "after": "solution"},
            "sections[0].title",
            "needs a title",
        ),
        (
            {"id": "brand-new", "title": "New", "text": "x"},
            "sections[0].id",
            "a new section needs after: or before: to say where it goes",
        ),
        ({"id": "case-studies", "variant": "short"}, "sections[0].variant", "its variants: "),
        (
            {"id": "acceptance", "remove": True},
            "sections[0].id",
            "ask its owner, presales@example.com",
        ),
        ({"id": "nonexistent-thing", "after": "solution"}, "sections[0].id", "no library section"),
    ],
)
def test_override_errors_name_the_field(
    plan_with: Callable[..., Plan], change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(NeedsError) as err:
        plan_with(sections(change))
    assert field in str(err.value) and message in str(err.value)


def test_unknown_clause_and_position(plan_with: Callable[..., Plan]) -> None:
    def bad(data: dict[str, Any]) -> None:
        data["clauses"] = {"limitation-of-liabilty": "standard", "confidentiality": "fallback-9"}

    with pytest.raises(NeedsError) as err:
        plan_with(bad)
    text = str(err.value)
    assert "clauses.limitation-of-liabilty" in text and "did you mean" in text
    assert "has no position 'fallback-9'" in text


@pytest.mark.parametrize(
    ("edit", "subject", "role"),
    [
        (lambda d: d["pricing"].__setitem__("discount_pct", 25), "deal-discount", "sales-director"),
        (
            lambda d: d["terms"].__setitem__("payment_terms_days", 90),
            "payment-terms",
            "finance-director",
        ),
        (
            lambda d: d["terms"].__setitem__("liability_cap_months", 3),
            "liability-cap",
            "general-counsel",
        ),
        (
            lambda d: d["pricing"]["items"][0].__setitem__("discount_pct", 40),
            "line-discount:",
            "sales-director",
        ),
    ],
)
def test_thresholds(plan_with: Callable[..., Plan], edit: Edit, subject: str, role: str) -> None:
    plan = plan_with(edit)
    assert any(
        d.subject.startswith(subject) and d.approval == role and d.kind == "threshold"
        for d in plan.deviations
    )


def copy_library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    return lib


def edit_yaml(path: Path, edit: Edit) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_draft_and_retired_clauses(tmp_path: Path) -> None:
    """A company library whose saas contract uses a draft and a retired clause."""
    lib = copy_library(tmp_path)
    manifest = lib / "templates" / "industry" / "saas" / "manifest.yaml"
    edit_yaml(manifest, lambda d: d["contract"]["clauses"].append("ai-services"))
    needs = load_needs(BASE)
    with pytest.raises(PolicyError, match="'ai-services' is a draft"):
        plan_documents(needs, Library(lib))
    plan = plan_documents(needs, Library(lib), allow_draft=True)
    assert plan.draft_clauses == ("ai-services",)

    edit_yaml(manifest, lambda d: d["contract"]["clauses"].append("escrow"))
    with pytest.raises(PolicyError, match=r"'escrow' .* is retired"):
        plan_documents(needs, Library(lib), allow_draft=True)
