"""Load a needs record from a file into a validated :class:`NeedsRecord`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from propgen.errors import NeedsError, Problem
from propgen.needs.models import NeedsRecord
from propgen.needs.source import FieldPath, Source, SourceError, dotted, read_source
from propgen.validation import validate


@dataclass(frozen=True)
class LoadedNeeds:
    """A validated record with its file, for error locations and provenance."""

    record: NeedsRecord
    source: Source

    @property
    def path(self) -> Path:
        return self.source.path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.source.raw).hexdigest()

    def problem(self, field: FieldPath, message: str, hint: str = "") -> Problem:
        """A problem located at ``field`` of this record's file."""
        return Problem(
            message=message,
            file=str(self.path),
            line=self.source.line_of(field),
            field=dotted(field),
            hint=hint,
        )


def load_needs(path: Path | str) -> LoadedNeeds:
    """Read and validate a needs record (YAML or JSON).

    Raises:
        NeedsError: listing every problem found, each with file, line and field.
    """
    path = Path(path)
    try:
        source = read_source(path)
    except SourceError as err:
        raise NeedsError(problems=err.problems) from err
    return LoadedNeeds(record=validate(source, NeedsRecord, NeedsError), source=source)
