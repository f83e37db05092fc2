"""Load a needs record from a file into a validated :class:`NeedsRecord`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from propgen.errors import NeedsError, Problem
from propgen.needs.checks import cross_field, placeholders
from propgen.needs.links import link_problems
from propgen.needs.models import NeedsRecord
from propgen.needs.profiles import UsedProfile, expand_profiles
from propgen.source import FieldPath, Source, SourceError, dotted, read_source
from propgen.validation import validate_parts


@dataclass(frozen=True)
class LoadedNeeds:
    """A validated record with its file, for error locations and provenance."""

    record: NeedsRecord
    source: Source
    profiles: tuple[UsedProfile, ...] = ()
    """The customer and rep profiles the record used (see :mod:`propgen.needs.profiles`)."""

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


@dataclass(frozen=True)
class Reading:
    """A parsed record and every problem found in it, valid or not.

    ``needs.record`` is the full record when ``problems`` is empty; otherwise it
    holds only the top-level fields that validated on their own (the others are
    absent), enough for the library checks to run on them in the same round.
    """

    needs: LoadedNeeds
    problems: tuple[Problem, ...]
    valid_parts: frozenset[str]


def read_needs(path: Path | str, *, library_profiles: Path | None = None) -> Reading:
    """Parse and validate a needs record, collecting every problem rather than
    stopping at the first kind: field checks, placeholders and cross-field checks.

    Args:
        library_profiles: the library's ``profiles/`` folder, searched after the
            one beside the record.

    Raises:
        NeedsError: the file cannot be read or parsed at all.
    """
    path = Path(path)
    try:
        source = read_source(path)
    except SourceError as err:
        raise NeedsError(problems=err.problems) from err
    folders = [path.parent / "profiles", *([library_profiles] if library_profiles else [])]
    expanded, used, profile_problems = expand_profiles(source, folders)
    source = replace(source, data=expanded)
    whole, parts, complete, schema = validate_parts(source, NeedsRecord)

    def located(path_: FieldPath, message: str, hint: str) -> Problem:
        return Problem(
            message=message,
            file=str(source.path),
            line=source.line_of(path_),
            field=dotted(path_),
            hint=hint,
        )

    marked = [located(f.path, f.message, f.hint) for f in placeholders(source.data)]
    # A placeholder in a number or date field: say that, not "not a valid decimal".
    marked_fields = {p.field for p in marked}
    problems = [p for p in schema if p.field not in marked_fields] + marked + profile_problems
    problems += [
        located(f.path, f.message, f.hint)
        for f in cross_field(parts, complete)
        if dotted(f.path) not in marked_fields
    ]
    if whole is not None:
        problems += [located(path_, message, "") for path_, message in link_problems(whole)]
    problems.sort(key=lambda p: p.line or 0)
    record = whole or NeedsRecord.model_construct(**{n: parts[n] for n in complete})
    return Reading(
        needs=LoadedNeeds(record=record, source=source, profiles=used),
        problems=tuple(problems),
        valid_parts=complete,
    )


def load_needs(path: Path | str) -> LoadedNeeds:
    """Read and validate a needs record (YAML or JSON).

    Raises:
        NeedsError: listing every problem found, each with file, line and field.
    """
    reading = read_needs(path)
    if reading.problems:
        raise NeedsError(problems=reading.problems)
    return reading.needs
