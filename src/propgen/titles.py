"""Descriptive document titles: what is proposed, and for whom.

A proposal is titled from the record ("Proposal: Plant Floor Visibility Program for
Brightwell Packaging", "关于澜海银行监管数据报送平台建设项目的建议书"); a contract is
titled as the instrument it is, and a Chinese contract names its project first, as PRC
companies title theirs ("灌装车间数字化项目设备采购、软件许可及技术服务合同"). The
cover, the running header, the DOCX core properties and the PDF metadata all print
this one title.

What is proposed comes from ``document.title`` (the project's name); without it, from
the solution's modules when there are a few with short names; else from the
industry ("Manufacturing Solution"). Titles are the record's words placed by labels,
never templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from propgen.needs.models import NeedsRecord

MODULES_IN_TITLE = 3
"""At most this many module names make up a title's "what"."""
MODULES_TITLE_LENGTH = 60
"""… and only while their names, joined, stay this short (characters)."""
_ZH_DOCUMENT_WORDS = ("项目建议书", "建议书", "项目方案", "方案")
"""What a Chinese record's title may end with that names the document, not the
project ("灌装车间数字化项目方案"): the title says the document itself."""
_ZH_PROJECT_ENDINGS = ("项目", "工程", "计划")


@dataclass(frozen=True)
class Project:
    """What the deal delivers, as a title names it."""

    name: str
    from_record: bool
    """True when the record names it (title or modules); False: the industry fallback."""


def project(
    record: NeedsRecord,
    industry_title: str,
    label: Callable[..., str],
    join: Callable[[list[str]], str],
    chinese: bool,
) -> Project:
    """The name of what is proposed, in the record's locale."""
    title = record.document.title
    if title:
        return Project(_zh_project(title) if chinese else title, True)
    names = [module.name for module in record.solution.modules]
    if 0 < len(names) <= MODULES_IN_TITLE and len(join(names)) <= MODULES_TITLE_LENGTH:
        joined = join(names)
        return Project(_zh_project(joined) if chinese else joined, True)
    return Project(label("title_industry_solution", industry=industry_title), False)


def _zh_project(name: str) -> str:
    """A Chinese project name without the document word, ending in 项目 (or 工程 …)."""
    for word in _ZH_DOCUMENT_WORDS:
        if name.endswith(word) and len(name) > len(word):
            name = name[: -len(word)]
            break
    return name if name.endswith(_ZH_PROJECT_ENDINGS) else f"{name}项目"


def proposal_title(record: NeedsRecord, what: Project, label: Callable[..., str]) -> str:
    return label("proposal_title", project=what.name, customer=record.customer.name)


def contract_title(what: Project, instrument: str, label: Callable[..., str]) -> str:
    """The contract's title: the instrument, named with its project where the locale
    titles contracts so and the record names the project."""
    if not what.from_record:
        return instrument
    return label("contract_title", project=what.name, instrument=instrument)


def contract_subtitle(what: Project, customer: str, label: Callable[..., str]) -> str:
    """The line under a contract's title: what it is for, and that it is a draft."""
    if not what.from_record:
        return label("contract_subtitle")
    return label("contract_subtitle_for", project=what.name, customer=customer)
