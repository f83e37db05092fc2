"""Profiles: customers and reps written once and reused across deals.

A record may write ``customer: {profile: acme}`` or ``seller: {rep: {profile:
chen-siyuan}}``; the profile's fields are filled in and the record's own fields
override them. A profile is a YAML file found, first match wins, in
``profiles/customers/<id>.yaml`` (``profiles/reps/<id>.yaml``) beside the record,
then in the library's ``snippets/profiles/``. The files used, with their sha256,
go into the provenance.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from propgen.errors import Problem
from propgen.source import FieldPath, Source, SourceError, dotted, read_source

PROFILE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")
# Where a profile may be referenced: the field path and the profiles' folder.
PLACES: tuple[tuple[FieldPath, str], ...] = (
    (("customer",), "customers"),
    (("seller", "rep"), "reps"),
)


@dataclass(frozen=True)
class UsedProfile:
    """A profile file a record used."""

    field: str
    id: str
    file: str
    sha256: str


def expand_profiles(
    source: Source, folders: Sequence[Path]
) -> tuple[Any, tuple[UsedProfile, ...], list[Problem]]:
    """``source.data`` with every ``{profile: id}`` filled in from its file.

    Args:
        folders: the ``profiles/`` folders to look in, in order.

    Returns:
        The expanded data (the original left untouched), the profiles used and the
        problems found (unknown profile, bad id, unreadable file).
    """
    data = source.data
    used: list[UsedProfile] = []
    problems: list[Problem] = []
    for path, kind in PLACES:
        holder = _at(data, path[:-1])
        here = holder.get(path[-1]) if isinstance(holder, dict) else None
        if not (isinstance(here, dict) and "profile" in here):
            continue
        at = (*path, "profile")

        def problem(message: str, hint: str = "", at: FieldPath = at) -> Problem:
            return Problem(
                message=message,
                file=str(source.path),
                line=source.line_of(at),
                field=dotted(at),
                hint=hint,
            )

        profile_id = here["profile"]
        if not isinstance(profile_id, str) or not PROFILE_ID.fullmatch(profile_id):
            problems.append(
                problem(
                    f"{profile_id!r} is not a profile id",
                    "use lowercase letters, digits and dashes",
                )
            )
            continue
        found = next(
            (
                f / kind / f"{profile_id}.yaml"
                for f in folders
                if (f / kind / f"{profile_id}.yaml").is_file()
            ),
            None,
        )
        if found is None:
            looked = ", ".join(str(f / kind) for f in folders)
            problems.append(
                problem(f"no {kind[:-1]} profile {profile_id!r}", f"looked in {looked}")
            )
            continue
        try:
            profile = read_source(found)
        except SourceError as err:
            problems.extend(err.problems)
            continue
        fields = dict(profile.data)
        fields.pop("profile", None)
        merged = {**fields, **{k: v for k, v in here.items() if k != "profile"}}
        data = _replaced(data, path, merged)
        used.append(
            UsedProfile(dotted(at), profile_id, found.name, hashlib.sha256(profile.raw).hexdigest())
        )
    return data, tuple(used), problems


def _at(data: Any, path: FieldPath) -> Any:
    for part in path:
        if not isinstance(data, dict):
            return None
        data = data.get(part)
    return data


def _replaced(data: Any, path: FieldPath, value: Any) -> Any:
    """A copy of ``data`` with ``path`` set to ``value`` (only dicts along the path copied)."""
    if not path:
        return value
    copy = dict(data)
    copy[path[0]] = _replaced(data.get(path[0], {}), path[1:], value)
    return copy
