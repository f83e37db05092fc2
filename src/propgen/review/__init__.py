"""Review of a DOCX the customer (or presales) edited: each clause found again and
compared with the library's approved positions, filled with the deal's values.

::

    read_docx (docx_read)    the edited file, read safely: paragraphs as proposed
    expected_sections        the record + library → what each section should say,
      (expected)             and every other position of each clause
    align                    each section found: content control, bookmark, similarity
    judge (compare)          unchanged / another position / new wording / deleted / added
    read_figures (figures)   payment days, liability cap, discount against the policy

The record is found from the DOCX's trace part (its sha256) through the provenance
file, or given. What the document should say comes from the core, or from the cache
when the same record, library and code were rendered or reviewed before
(:mod:`propgen.review.basis`). Nothing is written but that cache;
:mod:`propgen.review.report` presents the result.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propgen.errors import DocumentError, NeedsError, Problem
from propgen.i18n import N_
from propgen.review.compare import AddedText, SectionReview, judge
from propgen.review.docx_read import EditedDocx, read_docx
from propgen.review.figures import Figure, read_figures

if TYPE_CHECKING:
    from propgen.library.store import Library
    from propgen.review.basis import ReviewBasis

__all__ = ["Review", "review_docx"]

MAX_PROVENANCE = 4 * 1024 * 1024


@dataclass(frozen=True)
class Basis:
    docx: EditedDocx
    alignment: Any
    """The :class:`~propgen.review.align.Alignment`."""
    expected: list[Any]
    """The :class:`~propgen.review.expected.ExpectedSection` s."""
    seller: str


@dataclass(frozen=True)
class Review:
    file: str
    reference: str
    kind: str
    locale: str
    needs: str
    sections: tuple[SectionReview, ...]
    added: tuple[AddedText, ...]
    figures: tuple[Figure, ...]
    warnings: tuple[str, ...]
    date: str = ""
    """The record's document date (ISO)."""
    roles: dict[str, str] = field(default_factory=dict)
    """Approval role → its title in the record's language (from the policy)."""
    basis: Basis | None = field(default=None, repr=False, compare=False)
    """What was read and aligned, for the counter-redline."""

    @property
    def approvals_needed(self) -> int:
        """Sections, new text and figures someone must still approve or review."""
        return (
            sum(s.needs_approval for s in self.sections)
            + len(self.added)
            + sum(f.needs_approval for f in self.figures)
        )


def review_docx(
    edited: Path,
    *,
    library: Library | Path,
    needs: Path | None = None,
    provenance: Path | None = None,
) -> Review:
    """Review ``edited`` against the record it was made from.

    Args:
        library: the library, or its folder (then opened only when the review's
            basis is not in the cache: :mod:`propgen.review.basis`).

    Raises:
        DocumentError: the DOCX cannot be read safely, or is not a propgen document.
        NeedsError: the record cannot be found, or does not validate.
        LibraryError: the library cannot be read.
    """
    from propgen.guard import limits
    from propgen.library.files import content_sha256
    from propgen.review.align import align
    from propgen.review.basis import basis_key, cached_basis

    with limits(N_("the review of '{file}'").format(file=edited.name), seconds=120):
        docx = read_docx(edited)
    trace = docx.trace
    warnings: list[str] = []
    record = _find_record(edited, trace.reference, trace.needs_sha256, needs, provenance)
    sha = hashlib.sha256(record.read_bytes()).hexdigest()
    if trace.needs_sha256 and sha != trace.needs_sha256:
        warnings.append(
            N_(
                "the needs record changed since this document was rendered; "
                "compared with the record as it is now"
            )
        )
    kind = trace.kind if trace.kind in ("proposal", "contract") else "contract"
    root = library if isinstance(library, Path) else library.root
    key = basis_key(sha, content_sha256(root.resolve()), kind)
    basis = cached_basis(key) or _build_basis(record, library, kind, key)
    if trace.library_sha256 and trace.library_sha256 != basis.library_sha256:
        warnings.append(
            N_(
                "the library changed since this document was rendered; "
                "compared with the library as it is now"
            )
        )
    if not trace.reference:
        warnings.append(
            N_(
                "the document carries no propgen trace part; sections found by "
                "bookmarks and similarity only"
            )
        )
    expected = list(basis.sections)
    with limits(N_("the review of '{file}'").format(file=edited.name), seconds=120):
        alignment = align(docx.paragraphs, expected)
        findings = judge(alignment, expected, basis.locale)
        figures = read_figures(basis.figures, _reviewed_text(docx, alignment))
    return Review(
        file=str(edited),
        reference=basis.reference,
        kind=kind,
        locale=basis.locale,
        needs=str(record),
        sections=findings.sections,
        added=findings.added,
        figures=tuple(figures),
        warnings=tuple(warnings),
        date=basis.date,
        roles=dict(basis.roles),
        basis=Basis(docx, alignment, expected, basis.seller),
    )


def _build_basis(record: Path, library: Library | Path, kind: str, key: str) -> ReviewBasis:
    """The review's basis from the core (the record validated, the documents
    assembled), kept in the cache for the next review of the same inputs."""
    from propgen.library.store import Library
    from propgen.pipeline import check
    from propgen.review.basis import build_basis, remember_basis

    opened = Library(library) if isinstance(library, Path) else library
    checked = check(record, library=opened, only=kind, allow_draft=True)  # type: ignore[arg-type]
    basis = build_basis(checked, kind)
    remember_basis(key, basis)
    return basis


def _reviewed_text(docx: EditedDocx, alignment: object) -> str:
    from propgen.review.align import Alignment

    assert isinstance(alignment, Alignment)
    paras = [p for f in alignment.found.values() for p in f.paragraphs]
    paras += [p for loose in alignment.added for p in loose.paragraphs]
    return "\n".join(p.text for p in paras)


def _find_record(
    edited: Path, reference: str, needs_sha: str, needs: Path | None, provenance: Path | None
) -> Path:
    """The needs record: given, or the one the provenance names whose sha256 is the
    one the document (or the provenance) records."""
    if needs is not None:
        return needs
    from propgen.output import safe_name

    if provenance is None and reference:
        stem = safe_name(reference)
        for folder in (Path("out"), edited.parent):
            candidate = folder / f"{stem}.provenance.json"
            if candidate.is_file():
                provenance = candidate
                break
    if provenance is None:
        raise NeedsError(
            problems=[
                Problem(
                    N_("cannot find the needs record this document was made from"),
                    file=str(edited),
                    hint=N_("give --needs RECORD or --provenance out/REF.provenance.json"),
                )
            ]
        )
    data = _read_provenance(provenance)
    given = data.get("needs")
    recorded: dict[str, object] = given if isinstance(given, dict) else {}
    name = str(recorded.get("file", ""))
    sha = needs_sha or str(recorded.get("sha256", ""))
    folder = provenance.resolve().parent
    for base in (Path.cwd(), folder, folder.parent):
        candidate = base / Path(name).name
        found = name and candidate.is_file()
        if found and hashlib.sha256(candidate.read_bytes()).hexdigest() == sha:
            return candidate
    raise NeedsError(
        problems=[
            Problem(
                N_(
                    "no needs record {name} with sha256 {sha} next to the provenance or "
                    "in the current folder"
                ).format(name=name or "?", sha=sha[:12]),
                file=str(provenance),
                hint=N_("give --needs RECORD"),
            )
        ]
    )


def _read_provenance(path: Path) -> dict[str, object]:
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_PROVENANCE + 1)
    except OSError as exc:
        raise DocumentError(
            problems=[Problem(f"cannot read: {exc.strerror}", file=str(path))]
        ) from exc
    if len(raw) > MAX_PROVENANCE:
        raise DocumentError(problems=[Problem("too large for a provenance file", file=str(path))])
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DocumentError(
            problems=[Problem(f"not a provenance file (not JSON): {exc}", file=str(path))]
        ) from exc
    if not isinstance(data, dict):
        raise DocumentError(problems=[Problem("not a provenance file", file=str(path))])
    return data
