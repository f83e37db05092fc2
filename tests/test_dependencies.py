"""The renderers' versions: pinned to a major, and the ones the output was recorded with.

"Same input, same library → same bytes" holds for one set of renderer releases:
WeasyPrint, docxtpl, python-docx and markdown-it-py each may change what they
write in any major release. The byte-identity tests (test_parallel, test_docx,
test_html_pdf, serve's byte-for-byte test) ran green with :data:`RECORDED_WITH`;
pyproject.toml caps each at that major. Moving a cap means re-running them and
updating this table in the same commit.
"""

from __future__ import annotations

import tomllib
from importlib.metadata import version

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from support import ROOT

RECORDED_WITH = {
    "weasyprint": "70.0",
    "docxtpl": "0.20.2",
    "python-docx": "1.2.0",
    "markdown-it-py": "4.3.0",
}


def _requirements() -> dict[str, Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    parsed = [Requirement(text) for text in project["dependencies"]]
    return {r.name.lower(): r for r in parsed}


@pytest.mark.parametrize("name", sorted(RECORDED_WITH))
def test_renderer_has_a_floor_and_a_cap_that_admit_the_recorded_release(name: str) -> None:
    requirement = _requirements()[name]
    operators = {spec.operator for spec in requirement.specifier}
    assert {">=", "<"} <= operators, f"{name} needs a floor and a cap: {requirement}"
    assert requirement.specifier.contains(RECORDED_WITH[name]), requirement


@pytest.mark.parametrize("name", sorted(RECORDED_WITH))
def test_installed_renderer_is_the_recorded_major(name: str) -> None:
    installed, recorded = Version(version(name)), Version(RECORDED_WITH[name])
    assert (
        installed.release[: 2 if recorded.major == 0 else 1]
        == recorded.release[: 2 if recorded.major == 0 else 1]
    ), f"{name} {installed} is not the release line the outputs were recorded with ({recorded})"


def test_weasyprint_floor_has_the_url_fetcher_and_the_security_fixes() -> None:
    """62-67 lack ``URLFetcher`` (propgen's fetcher subclasses it); 68 closed the
    redirect bypass (CVE-2025-68616); 70 made WeasyPrint use the caller's fetcher
    for stylesheets given as Python objects (CVE-2026-55073)."""
    floor = next(s for s in _requirements()["weasyprint"].specifier if s.operator == ">=")
    assert Version(floor.version) >= Version("70")
    from weasyprint.urls import URLFetcher  # noqa: F401  (the floor must provide it)


def test_every_runtime_dependency_is_capped() -> None:
    for name, requirement in _requirements().items():
        assert any(s.operator == "<" for s in requirement.specifier), name
