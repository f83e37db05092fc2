"""A workspace: a folder of needs records, addressed by id, never by path.

A deal's id is its file name without ``.yaml``; ids are checked against a strict
pattern and every path is built here from the workspace root, so nothing a
browser sends can name a file outside the folder. Outputs go to ``out/`` inside
the workspace, exactly where ``propgen render DEAL.yaml -o out`` (run in the
workspace) puts them.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path

from propgen.errors import InvalidInput, Problem

DEAL_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
SUFFIXES = (".yaml", ".yml")
OUT_DIR = "out"
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class UnknownDeal(LookupError):
    """No record with that id in the workspace."""


class StaleVersion(Exception):
    """The file changed on disk since the version the client loaded."""


@dataclass(frozen=True)
class DealFile:
    id: str
    path: Path
    raw: bytes

    @property
    def version(self) -> str:
        return version_of(self.raw)


def version_of(raw: bytes) -> str:
    """A record file's version: the sha256 of its bytes (also its ETag)."""
    return hashlib.sha256(raw).hexdigest()


class Workspace:
    """The records in one folder, and their outputs in ``out/``."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()
        if not self.root.is_dir():
            raise InvalidInput(
                problems=[Problem(message="is not a folder", file=str(root), field="WORKSPACE")]
            )
        self.lock = threading.Lock()
        """Held while a record is compared and written, so two saves cannot interleave."""

    @property
    def out_dir(self) -> Path:
        return self.root / OUT_DIR

    def ids(self) -> list[str]:
        """The ids of the records directly in the folder, sorted."""
        found = []
        for path in self.root.iterdir():
            if path.suffix in SUFFIXES and DEAL_ID.fullmatch(path.stem) and self._inside(path):
                found.append(path.stem)
        return sorted(set(found))

    def path(self, deal_id: str) -> Path:
        """The file of an existing record.

        Raises:
            UnknownDeal: a malformed id, or no such file in the workspace.
        """
        if not DEAL_ID.fullmatch(deal_id):
            raise UnknownDeal(deal_id)
        for suffix in SUFFIXES:
            path = self.root / f"{deal_id}{suffix}"
            if path.is_file() and self._inside(path):
                return path
        raise UnknownDeal(deal_id)

    def _inside(self, path: Path) -> bool:
        """A symlink pointing out of the workspace is not a record of it."""
        try:
            return path.resolve().parent == self.root and path.resolve().is_file()
        except OSError:
            return False

    def references(self) -> set[str]:
        """The ``document.reference`` of every readable record in the workspace."""
        from propgen.source import SourceError, read_source

        found = set()
        for deal_id in self.ids():
            try:
                data = read_source(self.path(deal_id)).data
            except (SourceError, UnknownDeal):
                continue
            document = data.get("document") if isinstance(data, dict) else None
            if isinstance(document, dict) and document.get("reference") is not None:
                found.add(str(document["reference"]))
        return found

    def next_reference(self, year: int) -> str:
        """A reference no record of the workspace uses yet: ``PG-{year}-0001``, ``-0002`` …"""
        taken = self.references()
        number = 1
        while f"PG-{year}-{number:04d}" in taken:
            number += 1
        return f"PG-{year}-{number:04d}"

    def read(self, deal_id: str) -> DealFile:
        path = self.path(deal_id)
        return DealFile(id=deal_id, path=path, raw=path.read_bytes())

    def create(self, deal_id: str, text: str) -> DealFile:
        """Write a new record; refuses an id that is taken or malformed."""
        if not DEAL_ID.fullmatch(deal_id):
            raise UnknownDeal(deal_id)
        from propgen.output import write_atomic

        path = self.root / f"{deal_id}.yaml"
        with self.lock:
            if any((self.root / f"{deal_id}{s}").exists() for s in SUFFIXES):
                raise FileExistsError(deal_id)
            write_atomic(path, text.encode("utf-8"))
        return self.read(deal_id)

    def save(self, deal_id: str, expected_version: str, text: str) -> DealFile:
        """Replace a record's text, unless it changed since ``expected_version``.

        Raises:
            StaleVersion: someone (another tab, an editor, git) changed the file.
        """
        from propgen.output import write_atomic

        with self.lock:
            current = self.read(deal_id)
            if current.version != expected_version:
                raise StaleVersion(deal_id)
            write_atomic(current.path, text.encode("utf-8"))
        return self.read(deal_id)

    def output(self, stem: str, name: str) -> Path | None:
        """An output file of the record whose reference makes ``stem``, if written."""
        allowed = {
            f"{stem}-{kind}.{fmt}" for kind in ("proposal", "contract") for fmt in ("docx", "pdf")
        } | {f"{stem}.provenance.json"}
        if name not in allowed:
            return None
        path = self.out_dir / name
        try:
            inside = path.resolve().parent == self.out_dir.resolve()
        except OSError:
            return None
        return path if inside and path.is_file() else None

    def outputs(self, stem: str) -> dict[str, Path]:
        """The record's output files present in ``out/``, by name, sorted."""
        names = [f"{stem}-{k}.{f}" for k in ("proposal", "contract") for f in ("docx", "pdf")]
        names.append(f"{stem}.provenance.json")
        found = {name: self.output(stem, name) for name in sorted(names)}
        return {name: path for name, path in found.items() if path is not None}

    def zip_outputs(self, stem: str) -> bytes:
        """The record's outputs and provenance in one zip, byte-identical for the same files."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in self.outputs(stem).items():
                info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, path.read_bytes())
        return buffer.getvalue()
