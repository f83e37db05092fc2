"""Revisions (issue 14, item 6): the version in the starter and on every page, outputs
of another revision never replaced silently, one provenance for the folder, and
``propgen diff`` for the approver."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docx
import yaml
from pypdf import PdfReader

from support import ROOT, paragraphs, tables

SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
STEM = "PG-SAMPLE-SAAS-EN"
Run = Callable[..., Any]  # the `run` fixture of conftest.py


def _record(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(yaml.safe_load(SAMPLE.read_text(encoding="utf-8")), default=str))
    for path, value in changes.items():
        target = data
        *parents, last = path.split("__")
        for key in parents:
            target = target.setdefault(key, {})
        target[last] = value
    return copy.deepcopy(data)


def _write(folder: Path, name: str, record: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(record, indent=1), encoding="utf-8")
    return path


def _files(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.iterdir()) if not p.name.startswith(".")}


def test_the_starter_has_a_version(run: Run) -> None:
    for locale in ("en-US", "zh-CN"):
        result = run("new", "--industry", "saas", "--locale", locale)
        assert result.code == 0
        assert yaml.safe_load(result.out)["document"]["version"] == "1"


def test_the_version_is_on_every_page(run: Run, tmp_path: Path) -> None:
    needs = _write(tmp_path, "deal.json", _record(document__version="3"))
    out = tmp_path / "out"
    assert run("render", needs, "-o", out, "--format", "pdf,docx").code == 0
    for kind in ("proposal", "contract"):
        pdf = PdfReader(io.BytesIO((out / f"{STEM}-{kind}.pdf").read_bytes()))
        for number, page in enumerate(pdf.pages, start=1):
            text = " ".join((page.extract_text() or "").split())
            assert "Version 3" in text, f"{kind} page {number} does not state the version"
        document = docx.Document(str(out / f"{STEM}-{kind}.docx"))
        footers = " ".join(p.text for s in document.sections for p in s.footer.paragraphs)
        assert "Version 3" in footers
        cover = [" ".join(c.text for c in r.cells) for t in tables(document) for r in t.rows]
        cover += [p.text for p in paragraphs(document)]
        assert any(" ".join(line.split()) == "Version 3" for line in cover), cover[:12]


def test_a_changed_record_with_the_same_version_is_not_overwritten(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    assert (
        run("render", _write(tmp_path, "a.json", _record()), "-o", out, "--format", "html").code
        == 0
    )
    before = _files(out)
    changed = _write(tmp_path, "b.json", _record(pricing__discount_pct="5"))
    refused = run("render", changed, "-o", out, "--format", "html")
    assert refused.code == 2 and "made from a different record" in refused.err
    assert "raise document.version" in refused.err and "--force" in refused.err
    assert _files(out) == before
    forced = run("render", changed, "-o", out, "--format", "html", "--force")
    assert forced.code == 0 and _files(out) != before


def test_another_version_is_not_overwritten_and_force_replaces_it_whole(
    run: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    first = _write(tmp_path, "v1.json", _record())
    assert run("render", first, "-o", out, "--format", "html,docx").code == 0
    before = _files(out)
    second = _write(tmp_path, "v2.json", _record(document__version="2"))
    refused = run("render", second, "-o", out, "--format", "html")
    assert refused.code == 2 and "holds version 1 of PG-SAMPLE-SAAS-EN" in refused.err
    assert _files(out) == before
    assert run("render", second, "-o", out, "--format", "html", "--force").code == 0
    # Nothing of version 1 stays: its DOCX files, which version 2 did not render, went.
    assert sorted(_files(out)) == [
        f"{STEM}-contract.html",
        f"{STEM}-proposal.html",
        f"{STEM}.provenance.json",
    ]
    assert json.loads(_files(out)[f"{STEM}.provenance.json"])["version"] == "2"
    assert run("verify", out).code == 0


def test_partial_renders_keep_every_file_in_the_provenance(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    needs = _write(tmp_path, "deal.json", _record())
    assert run("render", needs, "-o", out, "--format", "docx").code == 0
    assert run("render", needs, "-o", out, "--format", "html", "--only", "contract").code == 0
    provenance = json.loads((out / f"{STEM}.provenance.json").read_text(encoding="utf-8"))
    assert sorted(provenance["outputs"]) == [
        f"{STEM}-contract.docx",
        f"{STEM}-contract.html",
        f"{STEM}-proposal.docx",
    ]
    assert provenance["documents"] == ["contract", "proposal"]
    assert provenance["sections"] and provenance["clauses"]
    verified = run("verify", out)
    assert verified.code == 0 and verified.out.count("ok ") == 3
    # The same files rendered in one go give a byte-identical provenance.
    once = tmp_path / "once"
    assert run("render", needs, "-o", once, "--format", "docx").code == 0
    assert run("render", needs, "-o", once, "--format", "html", "--only", "contract").code == 0
    assert _files(once)[f"{STEM}.provenance.json"] == _files(out)[f"{STEM}.provenance.json"]


def _revision_two() -> dict[str, Any]:
    record = _record(document__version="2")
    record["pricing"]["items"][0]["unit_price"] = "36.00"
    record["pricing"]["discount_pct"] = "8"
    record["clauses"] = {"limitation-of-liability": "fallback-1"}
    record["sections"] = [{"id": "case-studies", "variant": "brief"}]
    return record


EXPECTED_CHANGES = [
    "version: 1 → 2",
    "price subtotal: 40420.00 → 38740.00 USD",
    "price discount: 0.00 → 3099.20 USD",
    "price total: 40420.00 → 35640.80 USD",
    "instalments: 28294.00 / 12126.00 → 24948.56 / 10692.24 USD",
    "price line SD-STD: unit_price 38.00 → 36.00; total 31920.00 → 30240.00",
    "section case-studies: variant — → brief; text changed",
    "clause limitation-of-liability: position standard → fallback-1; text changed",
    "deviation added: clause limitation-of-liability: position fallback-1 instead of "
    "standard (needs approval by general-counsel)",
]


def test_diff_of_two_records_lists_what_the_approver_signs(run: Run, tmp_path: Path) -> None:
    old = _write(tmp_path, "v1.json", _record())
    new = _write(tmp_path, "v2.json", _revision_two())
    # Independent arithmetic: 70 users × 12 months × 36.00 + 8,500.00 package.
    assert 70 * 12 * 36 + 8500 == 38740
    assert round(38740 * 0.08, 2) == 3099.20 and 38740 - 3099.20 == 35640.80
    result = run("diff", old, new)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    for line in EXPECTED_CHANGES:
        assert line in lines, f"{line!r} not in {lines}"
    assert run("diff", old, old).out.strip() == "no differences"


def test_diff_of_two_provenance_files_says_the_same(run: Run, tmp_path: Path) -> None:
    for name, record in (("v1", _record()), ("v2", _revision_two())):
        needs = _write(tmp_path, f"{name}.json", record)
        assert run("render", needs, "-o", tmp_path / name, "--format", "html").code == 0
    result = run(
        "diff",
        tmp_path / "v1" / f"{STEM}.provenance.json",
        tmp_path / "v2" / f"{STEM}.provenance.json",
    )
    assert result.code == 0
    lines = result.out.splitlines()
    for line in EXPECTED_CHANGES:
        assert line in lines
    # A record against the provenance rendered from it: nothing changed.
    same = run("diff", tmp_path / "v2.json", tmp_path / "v2" / f"{STEM}.provenance.json")
    assert same.out.strip() == "no differences"


def test_diff_refuses_what_is_not_a_provenance(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "x.provenance.json"
    bad.write_text("[" * 5000 + "]" * 5000, encoding="utf-8")
    result = run("diff", bad, bad)
    assert result.code == 2 and "nested more than" in result.err
    assert "Traceback" not in result.err


def test_diff_speaks_the_new_revisions_language(run: Run, tmp_path: Path) -> None:
    """``diff`` is about one deal: its lines follow the new revision's locale (or
    ``--lang``); field names, ids and amounts stay as they are."""
    old = _write(tmp_path, "v1.json", _record())
    new = _write(tmp_path, "v2.json", _revision_two())
    result = run("--lang", "zh-CN", "diff", old, new)
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    for line in [
        "version：1 → 2",
        "价格 · 小计：40420.00 → 38740.00 USD",
        "价格 · 折扣：0.00 → 3099.20 USD",
        "价格 · 合计：40420.00 → 35640.80 USD",
        "分期：28294.00 / 12126.00 → 24948.56 / 10692.24 USD",
        "报价行 SD-STD：unit_price 38.00 → 36.00; total 31920.00 → 30240.00",
        "章节 case-studies：variant — → brief; 文本有改动",
        "条款 limitation-of-liability：position standard → fallback-1; 文本有改动",
        "新增偏离：条款 limitation-of-liability：选用立场 fallback-1，而非标准立场"
        "（须经 general-counsel 审批）",
    ]:
        assert line in lines, f"{line!r} not in {lines}"
    chinese = ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml"
    text = chinese.read_text(encoding="utf-8")
    assert "\n  discount_pct: 3\n" in text
    changed = tmp_path / "huaxin-v2.yaml"
    changed.write_text(
        text.replace("\n  discount_pct: 3\n", "\n  discount_pct: 8\n"), encoding="utf-8"
    )
    record_language = run("diff", chinese, changed)
    assert record_language.code == 0, record_language.err
    assert "价格 · 折扣：42216.00 → 112576.00 CNY" in record_language.out.splitlines()
    assert run("diff", chinese, chinese).out.strip() == "无差异"


def test_a_revision_refusal_follows_lang(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert (
        run("render", _write(tmp_path, "v1.json", _record()), "-o", out, "--format", "html").code
        == 0
    )
    second = _write(tmp_path, "v2.json", _record(document__version="2"))
    refused = run("--lang", "zh-CN", "render", second, "-o", out, "--format", "html")
    assert refused.code == 2
    assert (
        f"错误：{out}: 存有 PG-SAMPLE-SAAS-EN 的第 1 版；本记录为第 2 版 — "
        "请将第 2 版生成到单独的文件夹（-o），或加上 --force 替换第 1 版"
    ) in refused.err.splitlines(), refused.err
