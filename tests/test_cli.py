"""The command line as users and scripts rely on it: output, exit codes, no traces."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from conftest import Result
from support import ROOT

Run = Callable[..., Result]
SAAS_SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"


def test_version_and_help(run: Run) -> None:
    assert run("--version").out.startswith("propgen, version")
    assert "render" in run("--help").out


def test_check_reports_pricing_and_approvals(run: Run, huaxin: Path) -> None:
    result = run("--lang", "en-US", "check", huaxin)
    assert result.code == 0, result.err
    assert "total ¥1,542,431.92" in result.out
    assert "limitation-of-liability: position fallback-1" in result.out
    assert "NEEDS APPROVAL by general-counsel" in result.out


def test_check_of_a_clean_deal(run: Run, northwind: Path) -> None:
    result = run("check", northwind)
    assert result.code == 0 and "total $141,455.00" in result.out
    assert "no deviations" in result.out


def broken(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "deal.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("industry: saas", "industy: saas"),
            "document.industy: unknown field 'industy' — did you mean 'industry'?",
        ),
        (("currency: USD", "currency: dollars"), "document.currency"),
        (("industry: saas", "industry: sass"), "unknown industry 'sass' — did you mean 'saas'?"),
    ],
)
def test_invalid_input_exits_2_and_writes_nothing(
    run: Run, tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    text = SAAS_SAMPLE.read_text(encoding="utf-8")
    assert change[0] in text
    needs = broken(tmp_path, text.replace(change[0], change[1], 1))
    out = tmp_path / "out"
    result = run("render", needs, "-o", out)
    assert result.code == 2
    assert expected in result.err
    assert "Traceback" not in result.err
    assert str(needs) in result.err
    assert not out.exists()


def test_failed_render_keeps_previous_outputs(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    needs = broken(tmp_path, SAAS_SAMPLE.read_text(encoding="utf-8"))
    assert run("render", needs, "-o", out, "--format", "html").code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    needs.write_text(needs.read_text().replace("quantity:", "quantty:", 1))
    assert run("render", needs, "-o", out, "--format", "html").code == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_missing_file_and_bad_option(run: Run, tmp_path: Path) -> None:
    result = run("render", tmp_path / "nope.yaml")
    assert result.code == 2 and "cannot read file" in result.err
    assert run("render", SAAS_SAMPLE, "--format", "odt").code == 2


def test_schema_is_json_schema(run: Run) -> None:
    schema = json.loads(run("schema").out)
    assert schema["title"] == "NeedsRecord"
    assert {"document", "pricing", "customer"} <= set(schema["properties"])


def test_industries_lists_all_four(run: Run) -> None:
    out = run("industries").out
    for industry in ("saas", "manufacturing", "retail", "financial-services"):
        assert f"{industry}:" in out
    assert "en-US, zh-CN" in out


@pytest.mark.parametrize("industry", ["saas", "manufacturing", "retail", "financial-services"])
@pytest.mark.parametrize("locale", ["en-US", "zh-CN"])
def test_new_record_passes_check_once_filled_in(
    run: Run, tmp_path: Path, industry: str, locale: str
) -> None:
    path = tmp_path / "new.yaml"
    assert run("new", "--industry", industry, "--locale", locale, "-o", path).code == 0
    text = path.read_text(encoding="utf-8")
    assert "#" in text  # commented for the rep
    markers = re.findall(r'"?<(?:fill in: |请填写：)([^<>]*)>"?', text)
    assert len(markers) >= 15
    result = run("--lang", "en-US", "check", path)
    assert result.code == 2
    # Every placeholder is named at its own field, in one run.
    assert result.err.count("still holds the placeholder") == len(markers), result.err
    assert "customer.name: still holds the placeholder" in result.err

    def filled(match: re.Match[str]) -> str:
        hint = match.group(1)
        if "price" in hint or "单价" in hint:
            return '"100.00"'
        if "18 位代码" in hint:
            return "91310000MA1K000006"
        return "PG-2026-0142" if "PG-" in hint else '"Filled in"'

    path.write_text(re.sub(r'"?<(?:fill in: |请填写：)([^<>]*)>"?', filled, text), encoding="utf-8")
    result = run("check", path)
    assert result.code == 0, result.err
    assert run("new", "--industry", industry, "--locale", locale, "-o", path).code == 2


def test_new_unknown_industry(run: Run) -> None:
    result = run("new", "--industry", "mining", "--locale", "en-US")
    assert result.code == 2 and "unknown industry 'mining'" in result.err


def test_bundled_library_passes_its_own_check(run: Run) -> None:
    result = run("library", "check")
    assert result.code == 0, result.err
    assert "library ok" in result.out


def test_library_check_finds_each_kind_of_defect(run: Run, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    clauses = lib / "snippets" / "clauses"
    saas = lib / "templates" / "industry" / "saas"

    def edit(path: Path, change: Callable[[dict], None]) -> None:  # type: ignore[type-arg]
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    edit(
        saas / "manifest.yaml",
        lambda d: d["contract"]["clauses"].extend(["escrow", "no-such-clause"]),
    )
    edit(clauses / "notices.yaml", lambda d: d.pop("owner"))
    edit(clauses / "force-majeure.yaml", lambda d: d.__setitem__("id", "force-majeur"))
    edit(clauses / "warranties.yaml", lambda d: d.__setitem__("review_by", "2020-01-01"))
    edit(
        clauses / "confidentiality.yaml",
        lambda d: d["positions"]["standard"]["text"].__setitem__(
            "en-US", "Keep {{ customer.nickname }} secret, {{ secret_thing }}."
        ),
    )
    edit(
        clauses / "definitions.yaml",
        lambda d: d["positions"]["standard"]["text"].__setitem__("zh-CN", ""),
    )
    result = run("library", "check", "--library", lib)
    assert result.code == 2
    err = result.err
    assert "retired clause is used by industry 'saas'" in err
    assert "clause 'no-such-clause' does not exist" in err
    assert "notices.yaml" in err and "owner: is required but missing" in err
    assert "id 'force-majeur' does not match the file name" in err
    assert "Warning:" in err and "review was due on 2020-01-01" in err
    assert "customer has no field 'nickname'" in err
    assert "unknown variable 'secret_thing'" in err
    assert "definitions.yaml" in err and "no zh-CN text" in err


def test_library_option_and_environment_variable(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "company"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    seller = lib / "snippets" / "seller.yaml"
    seller.write_text(
        seller.read_text(encoding="utf-8").replace(
            "Meridian Systems, Inc.", "Contoso Consulting LLC"
        )
    )
    out = tmp_path / "out"
    assert run("render", SAAS_SAMPLE, "-o", out, "--format", "html", "--library", lib).code == 0
    assert "Contoso Consulting LLC" in next(out.glob("*-contract.html")).read_text()
    monkeypatch.setenv("PROPGEN_LIBRARY", str(lib))
    out2 = tmp_path / "out2"
    assert run("render", SAAS_SAMPLE, "-o", out2, "--format", "html").code == 0
    assert "Contoso Consulting LLC" in next(out2.glob("*-contract.html")).read_text()


def test_provenance_and_verify(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert run("render", SAAS_SAMPLE, "-o", out, "--format", "html").code == 0
    [record] = out.glob("*.provenance.json")
    data = json.loads(record.read_text(encoding="utf-8"))
    import hashlib

    assert data["needs"]["sha256"] == hashlib.sha256(SAAS_SAMPLE.read_bytes()).hexdigest()
    for name, digest in data["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest
    clause = next(c for c in data["clauses"] if c["id"] == "limitation-of-liability")
    assert {"version", "position", "sha256", "status"} <= set(clause)
    assert data["library"]["version"] and data["pricing"]["total"]
    verified = run("verify", out)
    assert verified.code == 0 and "changed" not in verified.out
    contract = next(out.glob("*-contract.html"))
    contract.write_text(contract.read_text() + "<!-- edited -->")
    tampered = run("verify", out)
    assert tampered.code == 1 and f"changed  {contract.name}" in tampered.out
