"""Profiles: a customer or rep written once, reused by every deal that names it."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable
from pathlib import Path

from conftest import Result
from propgen.needs.loader import load_needs
from support import ROOT

Run = Callable[..., Result]
SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
CUSTOMER = """\
name: Fernhill Home Services
legal_name: Fernhill Home Services LLC
size: 140 employees, 2 locations
"""


def deal(tmp_path: Path, customer: str, rep: str = "  rep: {profile: jordan-hayes}\n") -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    start, end = text.index("seller:"), text.index("discovery:")
    path = tmp_path / "deal.yaml"
    path.write_text(text[:start] + "seller:\n" + rep + "\n" + customer + "\n" + text[end:])
    return path


def profiles(tmp_path: Path) -> None:
    (tmp_path / "profiles" / "customers").mkdir(parents=True)
    (tmp_path / "profiles" / "reps").mkdir(parents=True)
    (tmp_path / "profiles" / "customers" / "fernhill.yaml").write_text(CUSTOMER)
    (tmp_path / "profiles" / "reps" / "jordan-hayes.yaml").write_text("name: Jordan Hayes\n")


def test_profile_fields_fill_in_and_the_record_overrides(tmp_path: Path) -> None:
    profiles(tmp_path)
    path = deal(tmp_path, "customer:\n  profile: fernhill\n  size: 150 employees\n")
    loaded = load_needs(path)
    customer = loaded.record.customer
    assert customer.legal_name == "Fernhill Home Services LLC"
    assert customer.size == "150 employees"
    assert loaded.record.seller.rep.name == "Jordan Hayes"
    used = {p.id: p.sha256 for p in loaded.profiles}
    assert used["fernhill"] == hashlib.sha256(CUSTOMER.encode()).hexdigest()


def test_provenance_records_the_profiles(run: Run, tmp_path: Path) -> None:
    profiles(tmp_path)
    path = deal(tmp_path, "customer: {profile: fernhill}\n")
    out = tmp_path / "out"
    assert run("render", path, "-o", out, "--format", "html", "--only", "proposal").code == 0
    provenance = json.loads(next(out.glob("*.provenance.json")).read_text())
    assert {p["id"] for p in provenance["needs"]["profiles"]} == {"fernhill", "jordan-hayes"}


def test_an_unknown_profile_is_named_with_where_it_was_looked_for(run: Run, tmp_path: Path) -> None:
    profiles(tmp_path)
    result = run("check", deal(tmp_path, "customer: {profile: fernhil}\n"))
    assert result.code == 2
    assert "customer.profile: no customer profile 'fernhil'" in result.err
    assert "profiles/customers" in result.err
    result = run("check", deal(tmp_path, "customer: {profile: ../../etc/passwd}\n"))
    assert result.code == 2 and "is not a profile id" in result.err


def test_the_library_can_hold_profiles(run: Run, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    (lib / "snippets" / "profiles" / "customers").mkdir(parents=True)
    (lib / "snippets" / "profiles" / "customers" / "fernhill.yaml").write_text(CUSTOMER)
    path = deal(tmp_path, "customer: {profile: fernhill}\n", rep="  rep: {name: Pat}\n")
    result = run("check", path, "--library", lib)
    assert result.code == 0, result.err
    assert "Fernhill Home Services" in result.out
