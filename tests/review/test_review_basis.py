"""The review basis cache: a review of inputs already seen reads the basis back
instead of running the core, and judges exactly as the core would; any change to
the record, the library or a cached file means building it again."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from review_support import read_body, replace_text, write_body

from propgen.cli import main
from propgen.library import default_library_root
from propgen.review import review_docx
from propgen.review.report import review_data
from propgen.user_cache import CACHE_VARIABLE
from support import ROOT, reference_of

RECORD = ROOT / "samples" / "manufacturing.zh-CN.yaml"


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, rendered_samples: Path) -> Path:
    folder = tmp_path_factory.mktemp("basis")
    original = rendered_samples / f"{reference_of(RECORD)}-contract.docx"  # shared, read-only
    body = read_body(original)
    replace_text(body, "fees-and-payment", "三十日", "六十日")
    replace_text(body, "limitation-of-liability", "十二个月", "6个月")
    return write_body(original, body, folder / "edited.docx")


def _cached(folder: Path) -> list[Path]:
    return sorted((folder / "review").glob("*.json")) if (folder / "review").is_dir() else []


def _judged(edited: Path, record: Path, library: Path) -> dict[str, object]:
    data = review_data(review_docx(edited, library=library, needs=record))
    return {k: v for k, v in data.items() if k != "file"}


def test_a_cached_basis_judges_as_the_core(
    edited: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, "")  # no cache: the core every time
    from_core = _judged(edited, RECORD, default_library_root())
    assert not cache.exists()
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    first = _judged(edited, RECORD, default_library_root())  # builds and keeps it
    (kept,) = _cached(cache)
    second = _judged(edited, RECORD, default_library_root())  # reads it back
    assert from_core == first == second
    assert second["approvals_needed"] == 4  # two clauses, two figures beyond the policy
    # the counter-redline from a cached basis: the same bytes
    counters = []
    for name in ("a", "b"):
        monkeypatch.setenv(CACHE_VARIABLE, "" if name == "a" else str(cache))
        out = tmp_path / f"{name}.docx"
        assert main(["review", str(edited), "--needs", str(RECORD), "--counter", str(out)]) == 3
        counters.append(out.read_bytes())
    assert counters[0] == counters[1]
    # a cache file that is not one propgen wrote is ignored, and written again
    kept.write_text("{not json", encoding="utf-8")
    assert _judged(edited, RECORD, default_library_root()) == from_core
    assert json.loads(kept.read_text(encoding="utf-8"))["reference"] == "PG-2027-0063"


def test_another_record_or_library_is_another_basis(
    edited: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(cache))
    before = _judged(edited, RECORD, default_library_root())
    # the record changed (payment days now 60): the figure is the record's own
    record = tmp_path / RECORD.name
    text = RECORD.read_text(encoding="utf-8")
    assert "payment_terms_days: 30" in text
    record.write_text(text.replace("payment_terms_days: 30", "payment_terms_days: 60"), "utf-8")
    after = _judged(edited, record, default_library_root())
    assert len(_cached(cache)) == 2
    days = [
        next(f for f in judged["figures"] if f["measure"] == "payment_terms_days")  # type: ignore[attr-defined]
        for judged in (before, after)
    ]
    assert [d["record"] for d in days] == ["30", "60"]
    # the library changed (the policy allows 90 days): judged against it
    library = tmp_path / "library"
    for part in ("templates", "snippets"):
        shutil.copytree(default_library_root() / part, library / part)
    policy = library / "snippets" / "policy.yaml"
    policy_text = policy.read_text(encoding="utf-8")
    assert "max: 45" in policy_text
    policy.write_text(policy_text.replace("max: 45", "max: 90", 1), encoding="utf-8")
    relaxed = _judged(edited, RECORD, library)
    assert len(_cached(cache)) == 3
    figure = next(f for f in relaxed["figures"] if f["measure"] == "payment_terms_days")  # type: ignore[attr-defined]
    assert figure["limit"] == "max 90" and not figure["needs_approval"]


def _review_in_a_fresh_process(edited: Path, cache: Path) -> str:
    """``propgen review`` in a new process: its exit code, and which heavy packages
    it imported."""
    script = (
        "import sys\n"
        "from propgen.cli import main\n"
        f"code = main(['review', {str(edited)!r}, '--needs', {str(RECORD)!r}])\n"
        "heavy = ['pydantic', 'jinja2', 'markdown_it', 'docx', 'weasyprint', 'yaml']\n"
        "print(code, [m for m in heavy if m in sys.modules])\n"
    )
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()[-1]


def test_a_cached_review_runs_without_the_core(edited: Path, tmp_path: Path) -> None:
    """With the basis cached, a review imports none of pydantic, Jinja, Markdown,
    python-docx or WeasyPrint: what made it cost seconds in a cold process."""
    cache = tmp_path / "cache"
    assert _review_in_a_fresh_process(edited, cache).startswith("3 ['pydantic'")  # the core
    assert _review_in_a_fresh_process(edited, cache) == "3 []"  # read back


def test_render_keeps_the_basis_for_the_first_review(edited: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    env = {**os.environ, CACHE_VARIABLE: str(cache)}
    args = ["render", str(RECORD), "-o", str(tmp_path / "out"), "--format", "docx"]
    subprocess.run([sys.executable, "-m", "propgen", *args], env=env, check=True)
    assert len(_cached(cache)) == 2  # the contract's and the proposal's
    assert _review_in_a_fresh_process(edited, cache) == "3 []"
    # a PDF alone cannot be reviewed: nothing kept for it
    other = tmp_path / "pdf-only"
    args = ["render", str(RECORD), "-o", str(tmp_path / "pdf"), "--format", "pdf"]
    subprocess.run(
        [sys.executable, "-m", "propgen", *args],
        env={**env, CACHE_VARIABLE: str(other)},
        check=True,
    )
    assert _cached(other) == []
