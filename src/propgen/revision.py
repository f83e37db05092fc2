"""Revisions in an output folder: what a render may replace, and one provenance per deal.

A folder holds one revision of a deal per file-name stem: the files made from one
record (its sha256) at one ``document.version``, listed by ``{stem}.provenance.json``.
A render is refused, unless forced, when the folder holds

- another deal whose reference makes the same file names,
- another version of the deal, or
- files made from a different record at the same version;

forced, it replaces that revision whole: the previous revision's outputs it does
not rewrite are removed in the same commit. A render of the same revision (and the
same library, propgen version and PDF profile) that writes only some files
(``--only``, ``--format``) keeps the others and lists them in the new provenance,
so the provenance always covers every output in the folder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from propgen.document import DocumentKind
from propgen.errors import InvalidInput, OtherRevision, Problem
from propgen.files import UnreadableFile, read_json
from propgen.i18n import N_
from propgen.render import FORMATS

PROVENANCE_SUFFIX = ".provenance.json"
_KINDS: tuple[str, ...] = get_args(DocumentKind)


@dataclass(frozen=True)
class Revision:
    """What a render does to the previous revision's outputs it does not rewrite."""

    kept: dict[str, str] = field(default_factory=dict)
    """Outputs of the same revision and build that stay: name → recorded sha256."""
    stale: tuple[str, ...] = ()
    """Outputs of the replaced revision, removed in the same commit."""
    pdf_profile: str | None = None
    """The profile of the kept PDFs, if any are kept."""
    kinds: frozenset[str] = frozenset()
    """The documents the kept files are of."""


def provenance_name(stem: str) -> str:
    return f"{stem}{PROVENANCE_SUFFIX}"


def output_kind(name: str, stem: str) -> tuple[str, str] | None:
    """``(kind, format)`` when ``name`` is ``{stem}-{kind}.{format}``, else None."""
    pattern = rf"{re.escape(stem)}-({'|'.join(_KINDS)})\.({'|'.join(FORMATS)})"
    match = re.fullmatch(pattern, name)
    return (match[1], match[2]) if match else None


def revise(folder: Path, stem: str, fresh: dict[str, Any], *, force: bool) -> Revision:
    """What to do with the folder's previous outputs of ``stem``, given ``fresh`` (the
    provenance of the files a render is about to commit).

    Call with the folder locked. ``fresh`` has ``reference``, ``version``, ``needs``,
    ``library``, ``propgen_version``, ``pdf_profile`` and ``outputs`` as
    :func:`propgen.pipeline.provenance` makes them.

    Raises:
        InvalidInput: the folder holds another revision (or something that is not a
            provenance) and ``force`` is off.
    """
    path = folder / provenance_name(stem)
    try:
        previous = read_json(path)
        if not isinstance(previous, dict) or not isinstance(previous.get("outputs"), dict):
            raise UnreadableFile("has no 'outputs'")
    except FileNotFoundError:
        return Revision()
    except UnreadableFile as err:
        if force:
            return Revision()
        raise _refusal(
            N_("{reason}: it is not a provenance file propgen wrote").format(reason=err),
            path,
            N_("move it away"),
        ) from err
    kept = {
        name: digest
        for name, digest in sorted(previous["outputs"].items())
        if isinstance(name, str)
        and isinstance(digest, str)
        and output_kind(name, stem)
        and name not in fresh["outputs"]
        and (folder / name).exists()
    }
    different = _other_revision(previous, fresh, folder, stem)
    if different:
        if not force:
            message, where, hint = different
            same_deal = previous.get("reference") == fresh["reference"]
            raise _refusal(message, where, hint, OtherRevision if same_deal else InvalidInput)
        return Revision(stale=tuple(kept))
    if not kept:
        return Revision()
    kept_profile = previous.get("pdf_profile") if any(n.endswith(".pdf") for n in kept) else None
    mixed_pdfs = kept_profile and fresh["pdf_profile"] and kept_profile != fresh["pdf_profile"]
    if _build(previous) != _build(fresh) or mixed_pdfs:
        if not force:
            raise _refusal(
                N_(
                    "holds {names} of the same revision made with another library, "
                    "propgen version or PDF profile, which this render does not rewrite"
                ).format(names=", ".join(kept)),
                folder,
                N_("render those documents and formats too, or pass --force to remove them"),
            )
        return Revision(stale=tuple(kept))
    return Revision(
        kept=kept,
        pdf_profile=str(kept_profile) if kept_profile else None,
        kinds=frozenset(kind for name in kept if (kind := (output_kind(name, stem) or ("",))[0])),
    )


def _other_revision(
    previous: dict[str, Any], fresh: dict[str, Any], folder: Path, stem: str
) -> tuple[str, Path, str] | None:
    """Why the previous provenance is another revision (message, where, hint), or None."""
    old_ref, new_ref = previous.get("reference"), fresh["reference"]
    if old_ref != new_ref:
        return (
            N_(
                "already holds the documents of {old!r}; {new!r} would overwrite them "
                "(both make the file name {stem!r})"
            ).format(old=old_ref, new=new_ref, stem=stem),
            folder / provenance_name(stem),
            N_(
                "give one of them a distinct reference, or use another -o folder "
                "(--force replaces them)"
            ),
        )
    old_version, new_version = previous.get("version", fresh["version"]), fresh["version"]
    if old_version != new_version:
        return (
            N_("holds version {old} of {reference}; this record is version {new}").format(
                old=old_version, reference=new_ref, new=new_version
            ),
            folder,
            N_(
                "render version {new} into its own folder (-o), "
                "or pass --force to replace version {old}"
            ).format(new=new_version, old=old_version),
        )
    old_sha = (previous.get("needs") or {}).get("sha256")
    if old_sha != fresh["needs"]["sha256"]:
        return (
            N_(
                "holds version {version} of {reference} made from a different record "
                "(its sha256 differs), and this record is still version {version}"
            ).format(version=new_version, reference=new_ref),
            folder,
            N_("raise document.version for a new revision, or pass --force to replace it"),
        )
    return None


def _build(provenance: dict[str, Any]) -> tuple[str, str]:
    return str(provenance.get("library")), str(provenance.get("propgen_version"))


def _refusal(
    message: str, where: Path, hint: str, kind: type[InvalidInput] = InvalidInput
) -> InvalidInput:
    return kind(problems=[Problem(message=message, file=str(where), hint=hint)])
