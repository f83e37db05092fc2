"""Chinese contracts as a PRC commercial lawyer reads them (issue 12, items 10 and 11),
checked over every Chinese record so that a record not yet seen is held to them too."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from propgen.pipeline import Checked, check
from support import FIXTURES, INDUSTRY_SAMPLES, SAMPLES, document_paragraphs


def _locale(path: Path) -> str:
    return path.name.split(".")[-2]


CHINESE = [
    r
    for r in [*SAMPLES, *sorted(FIXTURES.glob("*.yaml")), *INDUSTRY_SAMPLES]
    if _locale(r).startswith("zh") or _locale(r) == "bilingual"
]


@functools.cache
def _checked(path: Path) -> Checked:
    return check(path, allow_draft=True)


def _id(path: Path) -> str:
    return f"{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", CHINESE, ids=_id)
def test_a_perpetual_licence_is_named_as_the_annex_names_it(path: Path) -> None:
    """The licence clause names each perpetual licence in quotes, exactly as the price
    annex lists it (“MES 平台软件许可（永久）”), not run into the sentence: the
    bilingual contract printed "…/ MES platform license (perpetual)为永久许可"."""
    checked = _checked(path)
    perpetual = [
        line.name
        for line in checked.plan.record.pricing.items
        if line.kind == "license-perpetual" and not line.optional
    ]
    contract = "\n".join(document_paragraphs(checked.documents["contract"]))
    for name in perpetual:
        assert f"“{name}”" in contract, name
        assert f"{name}为永久许可" not in contract
    if perpetual:
        assert "”为永久许可" in contract


DEFINED = re.compile(r"^([^：，。]{1,16})：指")
"""A term the definitions clause defines: "服务：指……"."""
DEFINED_AGAIN = re.compile(r"以下(?:简称|统称|称)“([^”]+)”")


@pytest.mark.parametrize("path", CHINESE, ids=_id)
def test_a_term_is_defined_once(path: Path) -> None:
    """A term the definitions clause defines is not defined again in a later clause
    (2.1 said "（以下统称“服务”）" after 1.1 had defined 服务 by pointing at 2.1)."""
    paragraphs = document_paragraphs(_checked(path).documents["contract"])
    defined = {m[1] for p in paragraphs if (m := DEFINED.match(p))}
    assert "服务" in defined
    for paragraph in paragraphs:
        for again in DEFINED_AGAIN.finditer(paragraph):
            assert again[1] not in defined, (again[1], paragraph)
