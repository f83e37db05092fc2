"""The verdict on each section: unchanged, another library position, new wording,
deleted; and the new text outside any section."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from propgen.review.align import Alignment
from propgen.review.sections import ExpectedSection, normalise

Verdict = Literal["unchanged", "position", "new-wording", "deleted"]


@dataclass(frozen=True)
class Change:
    """One stretch of a diff: ``equal``, ``delete`` (approved text the edit drops)
    or ``insert`` (text the edit adds)."""

    op: Literal["equal", "insert", "delete"]
    text: str


@dataclass(frozen=True)
class SectionReview:
    id: str
    title: str
    n: int
    number: str
    """The clause number the document prints ("3.", "第三条"), or ""."""
    is_clause: bool
    verdict: Verdict
    found_by: str
    position: str = ""
    """``position``: the library position the edited text is."""
    approval: str = ""
    """The role that must approve, or the owner who must review ("" when none)."""
    diff: tuple[Change, ...] = ()
    text: str = ""
    """The section's edited text (for the counter-redline)."""

    @property
    def needs_approval(self) -> bool:
        if self.verdict == "position":
            return bool(self.approval)  # back to standard needs no one
        return self.verdict != "unchanged"


@dataclass(frozen=True)
class AddedText:
    after: str
    text: str


@dataclass(frozen=True)
class Findings:
    sections: tuple[SectionReview, ...]
    added: tuple[AddedText, ...]
    figures: tuple[object, ...] = field(default=())


def judge(alignment: Alignment, expected: list[ExpectedSection], locale: str) -> Findings:
    reviews: list[SectionReview] = []
    for section in expected:
        found = alignment.found.get(section.id)
        owner = section.owner
        base = dict(
            id=section.id,
            title=section.title,
            n=section.n,
            number=section.number,
            is_clause=section.is_clause,
        )
        if found is None:
            if not section.paragraphs:
                continue
            reviews.append(
                SectionReview(
                    **base,  # type: ignore[arg-type]
                    verdict="deleted",
                    found_by="",
                    approval=owner,
                    diff=(Change("delete", "\n".join(section.shown)),),
                )
            )
            continue
        have = tuple(normalise(p.text) for p in found.paragraphs if normalise(p.text))
        text = "\n".join(have)
        # the same words with cross-references as plain numbers (a counter-redline's)
        shown = tuple(
            normalise(p.shown, fold=False) for p in found.paragraphs if normalise(p.shown)
        )
        shown_text = "\n".join(shown)
        if have == section.paragraphs or (section.shown and shown == section.shown):
            reviews.append(
                SectionReview(**base, verdict="unchanged", found_by=found.by, text=text)  # type: ignore[arg-type]
            )
            continue
        match = next((p for p in section.alternatives if p.paragraphs == have), None)
        if match is not None:
            reviews.append(
                SectionReview(
                    **base,  # type: ignore[arg-type]
                    verdict="position",
                    found_by=found.by,
                    position=match.name,
                    approval=match.approval,
                    diff=diff("\n".join(section.shown), shown_text, locale),
                    text=text,
                )
            )
            continue
        reviews.append(
            SectionReview(
                **base,  # type: ignore[arg-type]
                verdict="new-wording",
                found_by=found.by,
                approval=owner,
                diff=diff("\n".join(section.shown), shown_text, locale),
                text=text,
            )
        )
    added = tuple(
        AddedText(
            item.after,
            "\n".join(normalise(p.shown, fold=False) for p in item.paragraphs if p.text.strip()),
        )
        for item in alignment.added
    )
    return Findings(tuple(reviews), added)


def diff(before: str, after: str, locale: str) -> tuple[Change, ...]:
    """``before`` → ``after`` as stretches of equal, deleted and inserted text (words
    for Latin text, characters for Chinese: :mod:`propgen.negotiate.diff`, as the
    redline)."""
    from propgen.negotiate.diff import diff_text

    return tuple(Change(segment.op, segment.text) for segment in diff_text(before, after, locale))
