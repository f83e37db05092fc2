"""Finding and reading a library: industries, sections, clauses, labels, theme.

A library is a folder with ``templates/`` and ``snippets/`` (docs/library.md).
Files are parsed once per :class:`Library` and validated on first use; a broken
file raises :class:`~propgen.errors.LibraryError` naming its path and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from propgen.confined import check_confined, confined_folder, confined_path
from propgen.errors import LibraryError, Problem
from propgen.i18n import N_
from propgen.library.files import (
    content_sha256,
    library_files,
)
from propgen.library.models import (
    ChoicesFile,
    ClauseFile,
    LibraryInfo,
    Manifest,
    PolicyFile,
    SectionFile,
    SellerFile,
)
from propgen.source import Source, SourceError, read_source
from propgen.validation import validate

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Loaded(Generic[T]):
    """A validated library file with its source (for lines and hashes)."""

    value: T
    source: Source


class Library:
    """A library on disk. Cheap to create; reads files on demand and caches them."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not (self.root / "templates").is_dir() or not (self.root / "snippets").is_dir():
            raise LibraryError(
                problems=[
                    Problem(
                        message=N_(
                            "is not a propgen library (needs templates/ and snippets/ folders)"
                        ),
                        file=str(root),
                    )
                ]
            )
        self._cache: dict[Path, Loaded[Any]] = {}
        self._found: dict[tuple[str, str, str], Path] = {}

    # --- locations -----------------------------------------------------------

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def snippets(self) -> Path:
        return self.root / "snippets"

    @property
    def theme_dir(self) -> Path:
        """The theme folder; renderers keep their reads inside it, so it must itself
        be inside the library."""
        theme = self.templates / "theme"
        confined_folder(self.root, theme)
        return theme

    def industry_dir(self, industry_id: str) -> Path:
        return self.templates / "industry" / industry_id

    # --- reading ---------------------------------------------------------------

    def load(self, path: Path, model: type[M], *, named: bool = True) -> Loaded[M]:
        """The library file at ``path`` validated as ``model`` (cached); its id must
        match its file name unless ``named`` is False.

        Raises:
            LibraryError: the file cannot be read or does not validate.
        """
        cached = self._cache.get(path)
        if cached is None:
            source = self._read(path)
            cached = Loaded(value=validate(source, model, LibraryError), source=source)
            if named:
                self._check_id(cached, path)
            self._cache[path] = cached
        return cached

    def _read(self, path: Path) -> Source:
        """A library YAML file, which must be a regular file inside the library."""
        confined_path(self.root, path)
        try:
            return read_source(path)
        except SourceError as err:
            raise LibraryError(problems=err.problems) from err

    @staticmethod
    def _check_id(loaded: Loaded[Any], path: Path) -> None:
        file_id = getattr(loaded.value, "id", None)
        expected = path.parent.name if path.name == "manifest.yaml" else path.stem
        if file_id is not None and file_id != expected:
            raise LibraryError(
                problems=[
                    Problem(
                        message=N_("id {id!r} does not match the file name").format(id=file_id),
                        file=str(path),
                        line=loaded.source.line_of(("id",)),
                        field="id",
                        hint=N_("use id: {id}").format(id=expected),
                    )
                ]
            )

    @cached_property
    def info(self) -> LibraryInfo:
        return self.load(self.templates / "library.yaml", LibraryInfo, named=False).value

    def industry_ids(self) -> list[str]:
        folder = self.templates / "industry"
        return sorted(p.name for p in folder.iterdir() if (p / "manifest.yaml").is_file())

    def industry(self, industry_id: str) -> Loaded[Manifest]:
        path = self.industry_dir(industry_id) / "manifest.yaml"
        if not path.is_file():
            raise KeyError(industry_id)
        return self.load(path, Manifest)

    def section(self, industry_id: str, section_id: str) -> Loaded[SectionFile]:
        """A section, from the industry folder if it has one, else from snippets/."""
        return self.load(self._find(industry_id, "sections", section_id), SectionFile)

    def clause(self, industry_id: str, clause_id: str) -> Loaded[ClauseFile]:
        """A clause, from the industry folder if it has one, else from snippets/."""
        return self.load(self._find(industry_id, "clauses", clause_id), ClauseFile)

    def has(self, industry_id: str, kind: str, item_id: str) -> bool:
        try:
            self._find(industry_id, kind, item_id)
        except KeyError:
            return False
        return True

    def known_ids(self, industry_id: str, kind: str) -> list[str]:
        """Every section or clause id visible to an industry."""
        folders = [self.industry_dir(industry_id) / kind, self.snippets / kind]
        return sorted({p.stem for f in folders if f.is_dir() for p in f.glob("*.yaml")})

    def _find(self, industry_id: str, kind: str, item_id: str) -> Path:
        """The file of a section or clause; where it was found is kept, as its content
        is (the live preview plans a deal's ~50 sections and clauses on every edit)."""
        key = (industry_id, kind, item_id)
        found = self._found.get(key)
        if found is not None:
            return found
        for folder in (self.industry_dir(industry_id) / kind, self.snippets / kind):
            path = folder / f"{item_id}.yaml"
            if path.is_file():
                self._found[key] = path
                return path
        raise KeyError(item_id)

    @cached_property
    def seller(self) -> SellerFile:
        return self.load(self.snippets / "seller.yaml", SellerFile).value

    @cached_property
    def policy(self) -> PolicyFile:
        path = self.snippets / "policy.yaml"
        return self.load(path, PolicyFile).value if path.is_file() else PolicyFile()

    @cached_property
    def choices(self) -> ChoicesFile:
        """The values offered for enumerated terms (``snippets/choices.yaml``)."""
        path = self.snippets / "choices.yaml"
        return self.load(path, ChoicesFile, named=False).value if path.is_file() else ChoicesFile()

    def labels(self, locale: str, *, translated: bool = False) -> dict[str, str]:
        """The fixed words of ``locale``; ``translated``: as the translated column of a
        bilingual contract words them (``labels/translated/<locale>.yaml`` over the
        locale's own, e.g. "Party A" where an English contract says "Customer")."""
        labels = self._labels(self.templates / "labels" / f"{locale}.yaml")
        overlay = self.templates / "labels" / "translated" / f"{locale}.yaml"
        if translated and overlay.is_file():
            return {**labels, **self._labels(overlay)}
        return labels

    def _labels(self, path: Path) -> dict[str, str]:
        cached = self._cache.get(path)
        if cached is None:
            source = self._read(path)
            bad = [k for k, v in source.data.items() if not isinstance(v, str)]
            if bad:
                raise LibraryError(
                    problems=[
                        Problem(
                            message=N_("label must be text"),
                            file=str(path),
                            line=source.line_of((k,)),
                            field=k,
                        )
                        for k in bad
                    ]
                )
            cached = Loaded(value=source.data, source=source)
            self._cache[path] = cached
        labels: dict[str, str] = cached.value
        return labels

    def files(self) -> list[Path]:
        """Every file of ``templates/`` and ``snippets/`` (and every link, which is
        not followed), in a stable order."""
        return library_files(self.root)

    def file_problems(self) -> list[Problem]:
        """What is wrong with the library's files as files: links leading out, FIFOs
        and other special files, files over the size cap (for ``library check``)."""
        problems: list[Problem] = []
        for path in self.files():
            try:
                if path.is_symlink() and path.is_dir():
                    confined_folder(self.root, path)
                else:
                    check_confined(self.root, path)
            except LibraryError as err:
                problems.extend(err.problems)
        return problems

    def identity(self) -> dict[str, str]:
        """What identifies this library's content, for provenance."""
        identity = {
            "id": self.info.id,
            "version": self.info.version,
            "content_sha256": content_sha256(self.root),
        }
        commit = _git_commit(self.root)
        if commit:
            identity["git_commit"] = commit
        return identity


def _git_commit(root: Path) -> str:
    """The commit of ``root`` when it is a git checkout, without running git.

    Only a commit id is ever returned: a hostile ``.git/HEAD`` (``ref: ../../x``)
    cannot put another file's text into the provenance.
    """
    for folder in (root, *root.parents):
        head = folder / ".git" / "HEAD"
        if head.is_file():
            ref = _small_text(head)
            if not ref.startswith("ref: "):
                return _commit_id(ref)
            name = ref[5:]
            if not _REF_NAME.fullmatch(name) or ".." in name:
                return ""
            ref_path = folder / ".git" / name
            if ref_path.is_file():
                return _commit_id(_small_text(ref_path))
            packed = folder / ".git" / "packed-refs"
            if packed.is_file():
                for line in _small_text(packed, 8 * 1024 * 1024).splitlines():
                    if line.endswith(" " + name):
                        return _commit_id(line.split()[0])
            return ""
    return ""


_REF_NAME = re.compile(r"refs/[A-Za-z0-9._/-]+")
_COMMIT_ID = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")


def _commit_id(text: str) -> str:
    return text if _COMMIT_ID.fullmatch(text) else ""


def _small_text(path: Path, limit: int = 4096) -> str:
    """The start of a small text file (git's HEAD, a ref), never more than ``limit``."""
    try:
        with path.open("rb") as handle:
            return handle.read(limit).decode("utf-8", "replace").strip()
    except OSError:
        return ""
