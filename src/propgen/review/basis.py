"""What a review compares the edited document with — each section's expected text,
its clause's other positions filled with the deal's values, the governed figures'
rules, the approval roles' titles — and a cache of it.

Building it runs the core (validate the record, plan, assemble the document and its
alternatives: :func:`build_basis`), which costs most of a cold review, pydantic,
Jinja and Markdown included. It depends only on the needs record's bytes, the
library's content and propgen's own code, so it is kept in propgen's cache
(:mod:`propgen.user_cache`) under the sha256 of those three: a review of a deal already
rendered or reviewed on this machine reads it back instead
(:func:`cached_basis`), and makes exactly the same judgement. ``render`` keeps the
basis of each DOCX it writes (:func:`keep_for_review`), so even the first review of
a deal reads it. A record that uses
profiles (files outside the record and the library) is always built afresh.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propgen.review.figures import FigureRule
from propgen.review.sections import ExpectedSection, Position

if TYPE_CHECKING:
    from propgen.pipeline import Checked

FORMAT = 1
"""The cached basis's layout; part of the key."""
MAX_CACHED = 16 * 1024 * 1024


@dataclass(frozen=True)
class ReviewBasis:
    reference: str
    kind: str
    locale: str
    date: str
    """The record's document date (ISO)."""
    library_sha256: str
    sections: tuple[ExpectedSection, ...]
    figures: tuple[FigureRule, ...]
    roles: dict[str, str]
    """Approval role → its title in the record's language (from the policy)."""
    seller: str
    uses_profiles: bool
    """The record reads profile files, which the cache key does not cover."""


def build_basis(checked: Checked, kind: str) -> ReviewBasis:
    """The basis of a review of ``checked``'s ``kind`` document (the core's work)."""
    from propgen.context import seller_for
    from propgen.review.expected import expected_sections
    from propgen.review.figures import figure_rules

    record, library = checked.plan.record, checked.library
    locale = record.document.locale
    return ReviewBasis(
        reference=record.document.reference,
        kind=kind,
        locale=locale,
        date=record.document.date.isoformat(),
        library_sha256=library.identity()["content_sha256"],
        sections=tuple(expected_sections(checked, kind)),  # type: ignore[arg-type]
        figures=tuple(figure_rules(checked)),
        roles={role: titles.get(locale, role) for role, titles in library.policy.roles.items()},
        seller=seller_for(library.seller, locale).name,
        uses_profiles=bool(checked.needs.profiles),
    )


def keep_for_review(checked: Checked, formats: Iterable[str]) -> None:
    """After a render: keep the basis of a review of each DOCX just written, so the
    review of the customer's edit of it need not run the core again. Nothing when
    caching is off, no DOCX was written or the record uses profiles."""
    from propgen.user_cache import cache_folder

    if "docx" not in formats or cache_folder("review") is None or checked.needs.profiles:
        return
    library_sha = checked.library.identity()["content_sha256"]
    for kind in sorted(checked.documents):
        key = basis_key(checked.needs.sha256, library_sha, kind)
        if cached_basis(key) is None:
            remember_basis(key, build_basis(checked, kind))


def basis_key(needs_sha256: str, library_sha256: str, kind: str) -> str:
    """The cache key: the record's and the library's content, the document kind and
    propgen's code (its version and every module's size and time, so an edited
    checkout never reads a basis its old code built)."""
    from propgen import __version__

    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{kind}\0".encode())
    digest.update(f"{needs_sha256}\0{library_sha256}\0".encode())
    package = Path(__file__).resolve().parents[1]
    for folder, dirs, names in os.walk(package):
        dirs.sort()
        for name in sorted(n for n in names if n.endswith(".py")):
            info = (Path(folder) / name).stat()
            digest.update(f"{folder}/{name}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def cached_basis(key: str) -> ReviewBasis | None:
    """The basis kept under ``key``, or None (none kept, caching off, unreadable)."""
    path = _path(key)
    if path is None or not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_CACHED + 1)
        if len(raw) > MAX_CACHED:
            return None
        return _from_data(json.loads(raw))
    except (OSError, ValueError, KeyError, TypeError, ArithmeticError):
        return None  # not one we wrote: build it again


def remember_basis(key: str, basis: ReviewBasis) -> None:
    """Keep ``basis`` under ``key`` (atomically; silently not when caching is off,
    the cache cannot be written, or the record uses profiles)."""
    path = _path(key)
    if path is None or basis.uses_profiles:
        return
    data = json.dumps(_to_data(basis), ensure_ascii=False, sort_keys=True).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)


def _path(key: str) -> Path | None:
    from propgen.user_cache import cache_folder

    folder = cache_folder("review")
    return folder / f"{key}.json" if folder else None


def _to_data(basis: ReviewBasis) -> dict[str, Any]:
    data = asdict(basis)
    for rule in data["figures"]:
        for name in ("record", "max", "min"):
            rule[name] = None if rule[name] is None else str(rule[name])
    return data


def _from_data(data: dict[str, Any]) -> ReviewBasis:
    sections = tuple(
        ExpectedSection(
            **{
                **section,
                "paragraphs": tuple(section["paragraphs"]),
                "shown": tuple(section["shown"]),
                "alternatives": tuple(
                    Position(p["name"], tuple(p["paragraphs"]), p["approval"])
                    for p in section["alternatives"]
                ),
            }
        )
        for section in data["sections"]
    )
    figures = tuple(
        FigureRule(
            **{
                **rule,
                **{
                    name: None if rule[name] is None else Decimal(rule[name])
                    for name in ("record", "max", "min")
                },
            }
        )
        for rule in data["figures"]
    )
    return ReviewBasis(**{**data, "sections": sections, "figures": figures})
