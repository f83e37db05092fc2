"""CRM import: an opportunity exported from a CRM, turned into a needs record by a
declarative mapping file.

A mapping (YAML, kept beside the library like any other company configuration)
names, for each needs field, where its value comes from in the export::

    fields:
      document.reference: {from: properties.pg_reference}
      document.date: {from: properties.createdate, as: date}
      document.locale: {value: en-US}
      document.industry:
        from: associations.companies.0.properties.industry
        map: {COMPUTER_SOFTWARE: saas, RETAIL: retail}
      customer.contacts:
        each: associations.contacts          # one entry per element of this list
        fields:
          name: {join: [properties.firstname, properties.lastname]}
          email: {from: properties.email, optional: true}

A rule takes its value ``from`` a path (dots; a number is a list index, so
``companies.0.name`` and ``companies[0].name`` are the same field), a constant
``value``, or the non-empty parts of ``join``; ``map`` translates codes (stage,
product or industry codes) and refuses codes it does not list; ``as`` converts
(``date`` from an ISO timestamp, ``epoch-ms`` from milliseconds since 1970 read
at ``utc_offset`` hours east of UTC, ``text``); ``optional`` leaves the field out
when the CRM has no value.

Export values are data: they are copied as text, never evaluated. The record
built is validated exactly as ``propgen check`` would read it, and every problem
names the CRM field it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import ConfigDict, Field, model_validator

from propgen.errors import LibraryError, NeedsError, Problem
from propgen.i18n import N_
from propgen.needs.models import Model, NeedsRecord
from propgen.source import FieldPath, Source, SourceError, dotted, read_source
from propgen.validation import validate

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")
_PATH = r"^[^.\[\]]+(\[\d+\])*(\.[^.\[\]]+(\[\d+\])*)*$"
CrmPath = Annotated[str, Field(pattern=_PATH, max_length=200)]


class Rule(Model):
    """Where one needs field's value comes from."""

    model_config = ConfigDict(**Model.model_config)
    model_config["str_strip_whitespace"] = False  # a separator may be ", "

    from_: CrmPath | None = Field(default=None, alias="from")
    value: str | bool | None = None
    join: list[CrmPath] | None = Field(default=None, min_length=1, max_length=10)
    sep: str = " "
    map: dict[str, str] | None = None
    as_: Literal["text", "date", "epoch-ms"] = Field(default="text", alias="as")
    utc_offset: Annotated[int, Field(ge=-12, le=14)] = 0
    """Hours east of UTC in which an ``epoch-ms`` moment is read as a calendar date."""
    optional: bool = False

    @model_validator(mode="after")
    def _one_source(self) -> Rule:
        given = [n for n in ("from_", "value", "join") if getattr(self, n) is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of 'from', 'value' or 'join'")
        return self


class ListRule(Model):
    """A needs list filled with one entry per element of a CRM list."""

    each: CrmPath
    fields: dict[str, Rule] = Field(min_length=1)
    optional: bool = False


class CrmMapping(Model):
    """A mapping file: needs field path → rule."""

    description: str = ""
    fields: dict[str, Rule | ListRule] = Field(min_length=1)


@dataclass(frozen=True)
class Imported:
    """A needs record built from a CRM export."""

    yaml_text: str
    record: NeedsRecord


def import_crm(mapping_path: Path, export_path: Path) -> Imported:
    """Build a needs record from ``export_path`` with the mapping ``mapping_path``.

    Raises:
        LibraryError: the mapping file is malformed.
        NeedsError: the export lacks a value, carries an unknown code, or the record
            built is invalid; each problem names the export's file, line and CRM field.
    """
    mapping = _load_mapping(mapping_path)
    try:
        export = read_source(export_path)
    except SourceError as err:
        raise NeedsError(problems=err.problems) from err
    builder = _Builder(export)
    data = builder.build(mapping)
    if builder.problems:
        raise NeedsError(problems=builder.problems)
    record = _validate(data, builder.origins, export)
    header = (
        f"# Imported from {export_path.name} with the mapping {mapping_path.name}.\n"
        "# Review it before rendering; add the discovery (SPIN) answers a CRM does not hold.\n\n"
    )
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return Imported(yaml_text=header + body, record=record)


def _load_mapping(path: Path) -> CrmMapping:
    try:
        source = read_source(path)
    except SourceError as err:
        raise LibraryError(problems=err.problems) from err
    return validate(source, CrmMapping, LibraryError)


class _Builder:
    def __init__(self, export: Source) -> None:
        self.export = export
        self.problems: list[Problem] = []
        self.origins: dict[FieldPath, FieldPath] = {}
        """Needs field path → the CRM field its value came from."""

    def build(self, mapping: CrmMapping) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for target, rule in mapping.fields.items():
            path = _parse(target)
            if isinstance(rule, ListRule):
                entries = self.entries(rule, path)
                if entries is not None:
                    _put(data, path, entries)
            else:
                found = self.value(rule, (), path)
                if found is not None:
                    _put(data, path, found)
        return data

    def entries(self, rule: ListRule, target: FieldPath) -> list[dict[str, Any]] | None:
        base = _parse(rule.each)
        items = _get(self.export.data, base)
        if items is None and rule.optional:
            return None
        if not isinstance(items, list):
            self.fail(base, N_("is missing or not a list"), target)
            return None
        entries = []
        for n in range(len(items)):
            entry: dict[str, Any] = {}
            for name, field_rule in rule.fields.items():
                found = self.value(field_rule, (*base, n), (*target, n, *_parse(name)))
                if found is not None:
                    _put(entry, _parse(name), found)
            entries.append(entry)
        return entries

    def value(self, rule: Rule, base: FieldPath, target: FieldPath) -> str | bool | None:
        if rule.value is not None:
            return rule.value
        paths = [(*base, *_parse(p)) for p in (rule.join or [rule.from_ or ""])]
        parts = [(p, _get(self.export.data, p)) for p in paths]
        present = [(p, v) for p, v in parts if v is not None and str(v).strip() != ""]
        if not present:
            if not rule.optional:
                self.fail(paths[0], N_("has no value"), target)
            return None
        for path, raw in present:
            if isinstance(raw, dict | list):
                self.fail(path, N_("is a group of fields, not a value"), target)
                return None
        source = present[0][0]
        self.origins[target] = source
        text = rule.sep.join(str(v).strip() for _, v in present)
        if rule.map is not None:
            if text not in rule.map:
                known = ", ".join(sorted(rule.map))
                message = N_("has the code {code!r}, which the mapping does not list").format(
                    code=text
                )
                self.fail(source, message, target, N_("known codes: {codes}").format(codes=known))
                return None
            text = rule.map[text]
        return self.convert(text, rule, source, target)

    def convert(self, text: str, rule: Rule, source: FieldPath, target: FieldPath) -> str | None:
        try:
            if rule.as_ == "date":
                return dt.date.fromisoformat(text[:10]).isoformat()
            if rule.as_ == "epoch-ms":
                zone = dt.timezone(dt.timedelta(hours=rule.utc_offset))
                moment = dt.datetime.fromtimestamp(int(text) / 1000, tz=zone)
                return moment.date().isoformat()
        except (ValueError, OverflowError, OSError):
            self.fail(
                source,
                N_("{value!r} is not a {kind} value").format(value=text, kind=rule.as_),
                target,
            )
            return None
        return text

    def fail(self, source: FieldPath, message: str, target: FieldPath, hint: str = "") -> None:
        self.problems.append(
            Problem(
                message=N_("CRM field {field} {detail} (needed for {target})").format(
                    field=dotted(source), detail=message, target=dotted(target)
                ),
                file=str(self.export.path),
                line=self.export.line_of(source),
                field=dotted(source),
                hint=hint,
            )
        )


def _validate(
    data: dict[str, Any], origins: dict[FieldPath, FieldPath], export: Source
) -> NeedsRecord:
    """The record as ``check`` reads it; a problem points at the CRM field behind it."""
    built = Source(path=export.path, data=data, raw=b"", lines={})
    try:
        return validate(built, NeedsRecord, NeedsError)
    except NeedsError as err:
        problems = []
        for problem in err.problems:
            target = _parse(problem.field) if problem.field else ()
            source = next(
                (origins[target[:n]] for n in range(len(target), 0, -1) if target[:n] in origins),
                None,
            )
            problems.append(
                Problem(
                    message=problem.message,
                    file=str(export.path),
                    line=export.line_of(source) if source else None,
                    field=f"{problem.field} (from CRM field {dotted(source)})"
                    if source
                    else f"{problem.field} (not mapped from the CRM: add it to the mapping)",
                    hint=problem.hint,
                )
            )
        raise NeedsError(problems=problems) from err


def _parse(path: str) -> FieldPath:
    steps: list[str | int] = []
    for name, index in _STEP.findall(path):
        number = index or (name if name.isdigit() else "")
        steps.append(int(number) if number else name)
    return tuple(steps)


def _get(data: Any, path: FieldPath) -> Any:
    for step in path:
        if isinstance(step, int):
            if not isinstance(data, list) or step >= len(data):
                return None
        elif not isinstance(data, dict) or step not in data:
            return None
        data = data[step]
    return data


def _put(data: dict[str, Any], path: FieldPath, value: Any) -> None:
    *parents, last = path
    for step in parents:
        data = data.setdefault(str(step), {})
    data[str(last)] = value
