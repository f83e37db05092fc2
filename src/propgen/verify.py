"""Verifying an output folder.

Two checks of increasing strength:

- :func:`verify_folder` recomputes the sha256 of every file each provenance lists
  and reports files that no provenance lists. It trusts the provenance: whoever
  edits a file and its recorded hash together goes unnoticed.
- :func:`verify_rebuild` re-renders the record with the library and compares the
  folder's files, provenance included, byte for byte. Builds are reproducible, so
  this cannot be fooled by editing the provenance.

Files are read only when they are regular files (never a FIFO or a symlink), and
provenance files with the caps of :mod:`propgen.files`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from propgen.commit import HOUSEKEEPING, JOURNAL_NAME, is_left_over
from propgen.errors import InvalidInput, Problem
from propgen.files import UnreadableFile, read_json, read_regular, sha256_of
from propgen.i18n import N_
from propgen.revision import PROVENANCE_SUFFIX, output_kind, provenance_name

if TYPE_CHECKING:
    from propgen.document import DocumentKind
    from propgen.library.store import Library
    from propgen.render import Format
    from propgen.render.pdf_profile import PdfProfile

GOOD = frozenset({"ok", "same"})
MAX_OUTPUT_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Finding:
    """One file of the folder and what was found.

    ``status``: ``ok`` (hash matches), ``changed``, ``missing``, ``unlisted`` (no
    provenance lists it), ``not a regular file``, ``interrupted`` (a commit's journal),
    and after a rebuild ``same`` or ``differs``; ``detail`` says more where it helps.
    """

    name: str
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status in GOOD


def verify_folder(out_dir: Path, *, require_provenance: bool = True) -> list[Finding]:
    """Every listed file against its recorded hash, then every file nobody lists.

    Raises:
        InvalidInput: a provenance file is damaged, or (``require_provenance``) there
            is none.
    """
    names = _folder_names(out_dir)
    records = [n for n in names if n.endswith(PROVENANCE_SUFFIX)]
    if not records and require_provenance:
        raise InvalidInput(
            problems=[
                Problem(
                    message=N_(
                        "no provenance records (*.provenance.json) here, so nothing to verify"
                    ),
                    file=str(out_dir),
                    hint=N_(
                        "`propgen render NEEDS -o DIR` writes REFERENCE.provenance.json "
                        "beside the documents; verify the folder it wrote"
                    ),
                )
            ]
        )
    findings: list[Finding] = []
    listed = set(records)
    for record in records:
        for name, expected in _listed_outputs(out_dir / record).items():
            listed.add(name)
            findings.append(_hash_finding(out_dir, name, expected))
    for name in names:
        if name == JOURNAL_NAME:
            findings.append(
                Finding(
                    name,
                    "interrupted",
                    "a commit was interrupted; the next render "
                    "into this folder restores the previous files",
                )
            )
        elif name not in listed and name not in HOUSEKEEPING:
            detail = N_("left over by an interrupted commit") if is_left_over(name) else ""
            findings.append(Finding(name, "unlisted", detail))
    return findings


def verify_rebuild(out_dir: Path, needs: Path, library: Library) -> list[Finding]:
    """The record's files in ``out_dir`` compared byte for byte with a fresh render,
    after the checks of :func:`verify_folder` (without requiring a provenance).

    Raises:
        InvalidInput: the record is invalid, or the folder holds none of its outputs.
    """
    from propgen.output import provenance_bytes, safe_name
    from propgen.pipeline import check, provenance, render_documents

    checked = check(needs, library=library, allow_draft=True)
    reference = checked.plan.record.document.reference
    stem = safe_name(reference)
    wanted = _outputs_of(out_dir, stem)
    if not wanted:
        raise InvalidInput(
            problems=[
                Problem(
                    message=N_(
                        "holds no outputs of {reference}: expected {provenance} "
                        "and {stem}-proposal.pdf and the like"
                    ).format(reference=reference, provenance=provenance_name(stem), stem=stem),
                    file=str(out_dir),
                    hint=N_(
                        "render {needs} into this folder first, or give the folder it "
                        "was rendered into"
                    ).format(needs=needs),
                )
            ]
        )
    kinds = sorted({kind for kind, _fmt in wanted.values()})
    formats = sorted({fmt for _kind, fmt in wanted.values()})
    only = cast("DocumentKind", kinds[0]) if len(kinds) == 1 else None
    if only is not None or set(kinds) != set(checked.documents):
        checked = check(needs, library=library, only=only, allow_draft=True)
    profile = _pdf_profile(out_dir / provenance_name(stem)) if "pdf" in formats else None
    rendered = render_documents(
        checked, cast("tuple[Format, ...]", tuple(formats)), pdf_profile=profile or "standard"
    )
    rebuilt = {name: data for name, data in rendered.items() if name in wanted}
    rebuilt[provenance_name(stem)] = provenance_bytes(provenance(checked, rebuilt, profile))
    findings = verify_folder(out_dir, require_provenance=False)
    findings += [_compare(out_dir, name, data) for name, data in sorted(rebuilt.items())]
    return findings


def _pdf_profile(record: Path) -> PdfProfile:
    """The PDF profile the provenance names (PDFs are rebuilt with it), else standard."""
    from propgen.render.pdf_profile import PDF_PROFILES

    try:
        named = read_json(record).get("pdf_profile")
    except (FileNotFoundError, UnreadableFile, AttributeError):
        return "standard"
    return cast("PdfProfile", named) if named in PDF_PROFILES else "standard"


def _folder_names(out_dir: Path) -> list[str]:
    try:
        return sorted(entry.name for entry in os.scandir(out_dir))
    except OSError as err:
        raise InvalidInput(
            problems=[
                Problem(
                    message=N_("cannot list the folder: {reason}").format(reason=err.strerror),
                    file=str(out_dir),
                )
            ]
        ) from err


def _listed_outputs(record: Path) -> dict[str, str]:
    try:
        data = read_json(record)
        outputs = data["outputs"] if isinstance(data, dict) else None
        if not isinstance(outputs, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in outputs.items()
        ):
            raise UnreadableFile("'outputs' must map file names to hashes")
    except (FileNotFoundError, UnreadableFile, KeyError) as err:
        raise InvalidInput(
            problems=[
                Problem(
                    message=N_("not a propgen provenance file: {reason}").format(reason=err),
                    file=str(record),
                )
            ]
        ) from err
    return cast("dict[str, str]", outputs)


def _hash_finding(out_dir: Path, name: str, expected: str) -> Finding:
    plain = Path(name).name  # never outside out_dir, whatever the name says
    if not plain or plain != name:
        return Finding(name, "missing", "not a file name in this folder")
    try:
        actual = sha256_of(out_dir / plain)
    except FileNotFoundError:
        return Finding(name, "missing")
    except UnreadableFile as err:
        return Finding(name, "not a regular file", str(err))
    return Finding(name, "ok" if actual == expected else "changed")


def _outputs_of(out_dir: Path, stem: str) -> dict[str, tuple[str, str]]:
    """The record's outputs the folder holds or its provenance lists: name → (kind, format)."""
    names = set(_folder_names(out_dir))
    try:
        listed = read_json(out_dir / provenance_name(stem)).get("outputs") or {}
        names |= {name for name in listed if isinstance(name, str)}
    except (FileNotFoundError, UnreadableFile, AttributeError):
        pass
    found = {name: output_kind(name, stem) for name in names}
    return {name: kind for name, kind in found.items() if kind}


def _compare(out_dir: Path, name: str, rebuilt: bytes) -> Finding:
    try:
        data = read_regular(out_dir / name, limit=MAX_OUTPUT_BYTES)
    except FileNotFoundError:
        return Finding(name, "missing", "a re-render makes it")
    except UnreadableFile as err:
        return Finding(name, "not a regular file", str(err))
    if data == rebuilt:
        return Finding(name, "same")
    if name.endswith(PROVENANCE_SUFFIX):
        return Finding(name, "differs", f"in {', '.join(_changed_keys(data, rebuilt))}")
    return Finding(name, "differs", "its bytes differ from a re-render")


def _changed_keys(old: bytes, new: bytes) -> list[str]:
    try:
        before: Any = json.loads(old)
        after: Any = json.loads(new)
    except (ValueError, RecursionError):
        return ["the whole file (not JSON)"]
    if not isinstance(before, dict):
        return ["the whole file (not a JSON object)"]
    keys = [k for k in after if before.get(k) != after[k]]
    keys += [f"{k} (not propgen's)" for k in before if k not in after]
    return keys or ["layout"]
