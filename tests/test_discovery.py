"""SPIN discovery made checkable: ids, links, weak-discovery warnings, the trace and payback."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import Result
from propgen.discovery import trace, value, weak_discovery
from propgen.document import Paragraph, Section, Table, inline_text
from propgen.errors import NeedsError
from propgen.needs.loader import load_needs
from support import INDUSTRY_SAMPLES, ROOT, SAMPLES

HERE = Path(__file__).parent / "discovery"
STRONG = HERE / "strong.yaml"
WEAK = HERE / "weak.yaml"
Run = Callable[..., Result]


def test_ids_are_given_or_assigned_by_position() -> None:
    discovery = load_needs(STRONG).record.discovery
    assert [p.id for p in discovery.problem] == ["P1", "P2"]
    assert [i.id for i in discovery.implication] == ["I1", "I2"]
    assert [n.id for n in discovery.need_payoff] == ["N1", "N2"]
    assert discovery.need_payoff[1].resolves == ["P2"]  # a single id is a list of one
    assert str(discovery.problem[1]) == "Customers wait on hold to book a visit."


def test_trace_follows_each_problem() -> None:
    rows = trace(load_needs(STRONG).record)
    assert [(r.problem.id, [i.id for i in r.implications], r.solutions) for r in rows] == [
        ("P1", ["I1"], ("Mobile Technician App", "Go-live")),
        ("P2", ["I2"], ("Online Booking", "Go-live")),
    ]
    assert [[n.id for n in r.payoffs] for r in rows] == [["N1"], ["N2"]]


def test_payback_from_the_quantified_cost() -> None:
    # TCV 60 × 12 × 45 + 12,000 = 44,400; cost 18,000 a month = 216,000 a year;
    # 44,400 × 12 / 216,000 = 2.466… → 2.5 months.
    record = load_needs(STRONG).record
    found = value(record, Decimal("44400.00"))
    assert found is not None
    assert (found.annual_cost, found.payback_months) == (Decimal(216000), Decimal("2.5"))
    assert weak_discovery(record) == ()


def test_no_payback_across_currencies(tmp_path: Path) -> None:
    text = STRONG.read_text(encoding="utf-8").replace(
        'cost: {amount: "18000", per: month}', 'cost: {amount: "18000", currency: EUR, per: month}'
    )
    path = tmp_path / "eur.yaml"
    path.write_text(text, encoding="utf-8")
    assert value(load_needs(path).record, Decimal(44400)) is None


def test_weak_discovery_in_plain_words() -> None:
    found = [(w.field, w.message) for w in weak_discovery(load_needs(WEAK).record)]
    fields = [f for f, _ in found]
    assert fields == [
        ("discovery", "problem", 1),
        ("solution", "modules", 1),
        ("discovery", "implication", 0),
        ("discovery", "implication", 0),
        ("discovery", "need_payoff", 0),
    ]
    messages = "\n".join(m for _, m in found)
    assert "problem P2 (Customers wait on hold to book a visit.) is addressed by no module" in (
        messages
    )
    assert "module 'Reporting' addresses no problem" in messages
    assert "implication I1 has no magnitude" in messages
    assert "need-payoff N1 names no problem it resolves" in messages


def test_discovery_without_problems(tmp_path: Path) -> None:
    path = tmp_path / "none.yaml"
    text = WEAK.read_text(encoding="utf-8")
    start, end = text.index("discovery:"), text.index("solution:")
    path.write_text(text[:start] + text[end:].replace("      addresses: [P1]\n", ""), "utf-8")
    messages = [w.message for w in weak_discovery(load_needs(path).record)]
    assert messages[0].startswith("discovery names no problem")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("addresses: [P1]", "solution.modules[0].addresses[0]", "'P9' is no discovery problem"),
        ("addresses: [P1]", "solution.modules[0].addresses[0]", "'N1' is a need-payoff"),
    ],
)
def test_a_link_to_no_problem_is_an_error_at_its_line(
    tmp_path: Path, change: str, field: str, message: str
) -> None:
    ref = message.split("'")[1]
    path = tmp_path / "deal.yaml"
    path.write_text(
        WEAK.read_text(encoding="utf-8").replace(change, f"addresses: [{ref}]"), "utf-8"
    )
    with pytest.raises(NeedsError) as caught:
        load_needs(path)
    (problem,) = caught.value.problems
    assert (problem.field, problem.line) == (field, 25)
    assert message in problem.message


def test_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "dup.yaml"
    path.write_text(
        STRONG.read_text(encoding="utf-8").replace(
            "- Customers wait", "- id: P1\n      text: x\n    - Customers wait"
        ),
        "utf-8",
    )
    with pytest.raises(NeedsError, match="discovery id 'P1' is used twice"):
        load_needs(path)


def test_check_names_the_unaddressed_problem(run: Run) -> None:
    result = run("check", WEAK)
    assert result.code == 0, result.err
    assert (
        f"warning: {WEAK}:16: discovery.problem[1]: problem P2 (Customers wait on hold to "
        "book a visit.) is addressed by no module or milestone"
    ) in result.out
    strong = run("check", STRONG)
    assert "warning" not in strong.out
    assert "discovery: every problem is addressed, quantified and resolved" in strong.out
    assert "one-off $12,000.00  annual recurring $32,400.00  TCV $44,400.00 over 1 year" in (
        strong.out
    )
    # 18,000 a month = 216,000 a year; 44,400 × 12 / 216,000 = 2.47 → 2.5 months.
    assert (
        "value: the quantified problems cost $216,000.00 a year; the TCV equals 2.5 months "
        "of that cost"
    ) in strong.out
    assert "value:" not in result.out  # the weak record quantifies no cost


def test_strict_check_blocks_weak_discovery_when_the_policy_says_so(
    run: Run, tmp_path: Path
) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    assert run("check", "--strict", "--library", lib, WEAK).code == 0  # policy: warn
    policy = lib / "snippets" / "policy.yaml"
    text = policy.read_text(encoding="utf-8")
    policy.write_text(text.replace("weak_discovery: warn", "weak_discovery: block"), "utf-8")
    assert run("check", "--library", lib, WEAK).code == 0  # warnings only without --strict
    blocked = run("check", "--strict", "--library", lib, WEAK)
    assert blocked.code == 3
    assert "5 weak-discovery warning(s) and the policy blocks them" in blocked.err
    assert run("check", "--strict", "--library", lib, STRONG).code == 0


@pytest.mark.parametrize("path", SAMPLES + INDUSTRY_SAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_sample_tells_a_linked_discovery_story(path: Path) -> None:
    record = load_needs(path).record
    assert record.discovery.problem, "a sample names its problems"
    assert weak_discovery(record) == ()  # every problem addressed, quantified and resolved
    assert all(row.solutions and row.payoffs for row in trace(record))


def test_at_least_two_samples_use_ramps_or_tiers() -> None:
    users = [
        path.name
        for path in SAMPLES
        if any(item.ramp or item.tiers for item in load_needs(path).record.pricing.items)
    ]
    assert len(users) >= 2, users


def _traceability(path: Path) -> tuple[str, Table] | None:
    """The proposal's traceability section of ``path``: its introduction and its table."""
    from propgen.pipeline import check

    proposal = check(path, allow_draft=True).documents.get("proposal")
    for block in proposal.blocks if proposal else ():
        if isinstance(block, Section) and block.source_id == "traceability":
            intro = " ".join(
                inline_text(b.inlines) for b in block.blocks if isinstance(b, Paragraph)
            )
            [table] = [b for b in block.blocks if isinstance(b, Table)]
            return intro, table
    return None


def _cells(name: str) -> list[str]:
    found = _traceability(ROOT / "samples" / name)
    assert found is not None, name
    return [inline_text(c.inlines) for r in found[1].rows for c in r.cells]


def test_the_traceability_table_tells_each_sentence_once_in_each_locale() -> None:
    for name, bracket, again in (
        ("saas.en-US.yaml", "", "N1 (as above)"),
        ("financial-services.en-US.yaml", " ($2,100,000 per year)", ""),
        ("financial-services.zh-CN.yaml", "（¥500,000）", "N2 同上"),
    ):
        cells = _cells(name)
        if bracket:  # a recorded figure the sentence does not state
            assert any(bracket in cell for cell in cells), cells
        if again:  # an implication or payoff tied to two problems, told once
            assert any(again in cell for cell in cells), cells


def test_the_traceability_table_gives_no_figure_its_sentence_already_states() -> None:
    """ "cost about $610,000 in 2026. ($610,000 per year)" and "每期占用约 320 小时
    …（每期320小时）" said one figure twice in one cell; a figure said otherwise
    ("50 万元", "$2.1M") keeps its bracket."""
    for name, stated, bracketed in (
        ("saas.en-US.yaml", "cost about $610,000 in 2026.", "($610,000"),
        ("financial-services.zh-CN.yaml", "每期占用约 320 小时", "320小时）"),
    ):
        cells = _cells(name)
        assert any(stated in cell for cell in cells), cells
        assert not any(bracketed in cell for cell in cells), cells


COLUMN_PHRASES = {
    "Impact": "its impact on the business today",
    "How we solve it": "the modules and milestones of our solution",
    "Outcome": "the outcome expected once it is solved",
    "业务影响": "该问题对业务的现有影响",
    "解决方式": "我司方案中对应的模块或里程碑",
    "预期成效": "问题解决后的预期成效",
}


@pytest.mark.parametrize(
    "path",
    [
        *sorted((ROOT / "samples").glob("*.yaml")),
        *sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml")),
    ],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_the_traceability_intro_names_the_columns_the_table_has(path: Path) -> None:
    """A record whose discovery links no impact got a table without the Impact column
    under a sentence promising "its impact on the business today"."""
    found = _traceability(path)
    if found is None:
        return
    intro, table = found
    assert table.header is not None
    columns = {inline_text(c.inlines) for c in table.header.cells}
    for column, phrase in COLUMN_PHRASES.items():
        if column in columns:
            assert phrase in intro, (column, intro)
        else:
            assert phrase not in intro, (column, intro)
