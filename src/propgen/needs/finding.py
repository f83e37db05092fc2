"""A problem between fields of a needs record, as the cross-field checks report it."""

from __future__ import annotations

from dataclasses import dataclass

from propgen.source import FieldPath


@dataclass(frozen=True)
class Finding:
    """One cross-field problem: the field it is about, what is wrong, what to do."""

    path: FieldPath
    message: str
    hint: str = ""
