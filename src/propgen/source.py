"""Reading YAML and JSON safely, remembering where every value came from.

YAML is read with the YAML 1.2 core rules that people expect rather than
PyYAML's 1.1 ones: only ``true``/``false`` are booleans, only plain decimal
integers without leading zeros are integers, everything else — ``NO``, ``off``,
``010``, ``12:30``, ``1e3``, ``45.00``, ``2026-11-27`` — stays the text that was
written (pydantic then parses dates and decimals from that exact text, so no
cent is ever lost to a float). Duplicate keys, merge keys, non-standard tags and
alias bombs are errors.

Every loaded document comes with a map from field path to line number, so
validation errors can name the line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from propgen.errors import Problem
from propgen.i18n import N_

_SAVE_AS_UTF8 = N_("save the file as UTF-8")
_TAG_NOT_ALLOWED = N_("YAML tag {tag!r} is not allowed")
_DUPLICATE_KEY = N_("duplicate key {key!r} (first given on line {first})")
_NOT_A_MAPPING = {
    "empty": N_("must be a mapping of fields, but the file is empty"),
    "a list": N_("must be a mapping of fields, but the file is a list"),
    "a text": N_("must be a mapping of fields, but the file is a text"),
    "a number": N_("must be a mapping of fields, but the file is a number"),
    "a boolean": N_("must be a mapping of fields, but the file is a boolean"),
    "a value": N_("must be a mapping of fields, but the file is a value"),
}

MAX_BYTES = 2 * 1024 * 1024
MAX_NODES = 100_000
_MAX_INT_DIGITS = 30
"""Longer digit strings stay text (and fail validation) instead of tripping Python's
int-from-text limit."""

FieldPath = tuple[str | int, ...]

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})
_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


@dataclass(frozen=True)
class Source:
    """A parsed file: its data, its raw bytes and where each field path starts."""

    path: Path
    data: Any
    raw: bytes
    lines: dict[FieldPath, int]

    def line_of(self, path: FieldPath) -> int | None:
        """The line of ``path``, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class SourceError(Exception):
    """A file could not be parsed; carries the problems found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


# libyaml's parser is ~40x faster than PyYAML's pure-Python one; both give marks.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainComposer(_BaseLoader):  # type: ignore[misc]
    """A loader that resolves nothing implicitly: we type plain scalars ourselves."""

    yaml_implicit_resolvers: dict[Any, Any] = {}  # noqa: RUF012 - PyYAML's own attribute


def read_source(path: Path) -> Source:
    """Read a YAML (``.yaml``/``.yml``) or JSON (``.json``) file.

    Raises:
        SourceError: the file is missing, too large, not text, or malformed.
    """
    name = str(path)
    try:
        if path.exists() and not path.is_file():  # a folder, a FIFO (would block), a device
            raise SourceError([Problem(message=N_("is not a regular file"), file=name)])
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except OSError as err:
        raise SourceError(
            [
                Problem(
                    message=N_("cannot read file: no such file")
                    if isinstance(err, FileNotFoundError)
                    else N_("cannot read file: {reason}").format(reason=err.strerror),
                    file=name,
                )
            ]
        ) from err
    if len(raw) > MAX_BYTES:
        raise SourceError(
            [
                Problem(
                    message=N_("file is larger than {size} MiB").format(
                        size=MAX_BYTES // 1024 // 1024
                    ),
                    file=name,
                )
            ]
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise SourceError(
            [Problem(message=N_("is UTF-16 text, not UTF-8"), file=name, hint=_SAVE_AS_UTF8)]
        )
    if b"\x00" in raw:
        raise SourceError([Problem(message=N_("is a binary file, not YAML or JSON"), file=name)])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise SourceError(
            [
                Problem(
                    message=N_("is not UTF-8 text (byte {byte})").format(byte=err.start),
                    file=name,
                    hint=_SAVE_AS_UTF8,
                )
            ]
        ) from err
    if path.suffix.lower() == ".json":
        data, lines = _parse_json(text, name)
    else:
        data, lines = _parse_yaml(text, name)
    if not isinstance(data, dict):
        kind = "empty" if data is None else f"a {_kind(data)}"
        raise SourceError(
            [
                Problem(
                    message=_NOT_A_MAPPING.get(kind, _NOT_A_MAPPING["a value"]),
                    file=name,
                    line=1,
                )
            ]
        )
    return Source(path=path, data=data, raw=raw, lines=lines)


def _kind(value: object) -> str:
    return {list: "list", str: "text", int: "number", bool: "boolean"}.get(type(value), "value")


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[FieldPath, int]]:
    try:
        node = yaml.compose(text, Loader=_PlainComposer)
    except RecursionError as err:
        raise SourceError([Problem(message=N_("is nested too deeply"), file=name)]) from err
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        message = N_("YAML syntax error: {reason}").format(reason=err.problem)
        if mark:
            message = N_("YAML syntax error: {reason} (column {column})").format(
                reason=err.problem, column=mark.column + 1
            )
        raise SourceError(
            [
                Problem(
                    message=message,
                    file=name,
                    line=line,
                )
            ]
        ) from err
    except yaml.YAMLError as err:
        raise SourceError(
            [Problem(message=N_("YAML error: {reason}").format(reason=err), file=name)]
        ) from err
    if node is None:
        return None, {}
    builder = _Builder(name)
    try:
        data = builder.build(node, ())
    except RecursionError as err:
        raise SourceError([Problem(message=N_("is nested too deeply"), file=name)]) from err
    return data, builder.lines


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.lines: dict[FieldPath, int] = {}
        self.count = 0

    def fail(self, node: yaml.Node, message: str, path: FieldPath, hint: str = "") -> SourceError:
        return SourceError(
            [
                Problem(
                    message=message,
                    file=self.name,
                    line=node.start_mark.line + 1,
                    field=dotted(path),
                    hint=hint,
                )
            ]
        )

    def build(self, node: yaml.Node, path: FieldPath) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.fail(
                node,
                N_("has more than {count} values (alias expansion?)").format(count=MAX_NODES),
                path,
            )
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, path)
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.ScalarNode)
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node, path: FieldPath) -> None:
        if node.tag not in _STANDARD_TAGS:
            raise self.fail(
                node,
                _TAG_NOT_ALLOWED.format(tag=node.tag),
                path,
                N_("remove the tag; write the plain value"),
            )

    def _mapping(self, node: yaml.MappingNode, path: FieldPath) -> dict[str, Any]:
        self._check_tag(node, path)
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise self.fail(key_node, N_("keys must be plain text"), path)
            key = key_node.value
            if key == "<<" and not key_node.style:
                raise self.fail(
                    key_node,
                    N_("YAML merge keys (<<) are not supported"),
                    path,
                    N_("write the fields out in full"),
                )
            if key in result:
                first = self.lines.get((*path, key))
                raise self.fail(
                    key_node,
                    _DUPLICATE_KEY.format(key=key, first=first),
                    (*path, key),
                    N_("keep one of them"),
                )
            self.lines[(*path, key)] = key_node.start_mark.line + 1
            result[key] = self.build(value_node, (*path, key))
        return result

    def _scalar(self, node: yaml.ScalarNode, path: FieldPath) -> Any:
        value: str = node.value
        tag = node.tag
        if tag == "tag:yaml.org,2002:str":
            # Plain scalars have no style: None from PyYAML, "" from libyaml.
            if node.style:  # quoted or block scalar: always text
                return value
            if value in _NULLS:
                return None
            if value in _TRUE:
                return True
            if value in _FALSE:
                return False
            if _INT.match(value) and len(value) <= _MAX_INT_DIGITS:
                return int(value)
            return value
        if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
            return value  # an explicit !!int/!!float: kept as text, parsed exactly later
        raise self.fail(
            node,
            _TAG_NOT_ALLOWED.format(tag=tag),
            path,
            N_("remove the tag; write the plain value"),
        )


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89abcdefABCDEF][0-9a-fA-F]{2}")


class _Constant(str):
    """``NaN``, ``Infinity`` or ``-Infinity`` in JSON: kept to be reported with its field."""


_YAML_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")
"""What PyYAML counts as a line break when it locates a JSON text's fields."""


def _parse_json(text: str, name: str) -> tuple[Any, dict[FieldPath, int]]:
    duplicates: list[str] = []

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in items:
            if key in result:
                duplicates.append(key)
            result[key] = value
        return result

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_float=str, parse_constant=_Constant)
    except json.JSONDecodeError as err:
        raise SourceError(
            [
                Problem(
                    message=N_("JSON syntax error: {reason} (column {column})").format(
                        reason=err.msg, column=err.colno
                    ),
                    file=name,
                    line=err.lineno,
                )
            ]
        ) from err
    except RecursionError as err:
        raise SourceError([Problem(message=N_("is nested too deeply"), file=name)]) from err
    except ValueError as err:  # a number with thousands of digits
        message = (
            N_("a number has too many digits")
            if "digits" in str(err)
            else N_("JSON error: {reason}").format(reason=err)
        )
        raise SourceError([Problem(message=message, file=name)]) from err
    if duplicates or any(brk in text for brk in _YAML_LINE_BREAKS):
        lines, duplicate = _json_lines(text)
    else:  # one line (as a program writes JSON): every field is on line 1
        lines, duplicate = {(): 1}, None
    problems: list[Problem] = []
    if duplicates:
        if duplicate is not None:
            path, line, first = duplicate
            problems.append(
                Problem(
                    message=_DUPLICATE_KEY.format(key=path[-1], first=first),
                    file=name,
                    line=line,
                    field=dotted(path),
                    hint=N_("keep one of them"),
                )
            )
        else:
            problems.append(
                Problem(message=N_("duplicate key {key!r}").format(key=duplicates[0]), file=name)
            )
    for path, token in _constants(data, ()):
        problems.append(
            Problem(
                message=N_("{token} is not a number").format(token=token),
                file=name,
                line=_line_of(lines, path),
                field=dotted(path),
                hint=N_("write a finite number"),
            )
        )
    if problems:
        raise SourceError(problems)
    return data, lines


def _constants(value: Any, path: FieldPath) -> list[tuple[FieldPath, str]]:
    if isinstance(value, _Constant):
        return [(path, str(value))]
    if isinstance(value, dict):
        return [found for k, v in value.items() for found in _constants(v, (*path, k))]
    if isinstance(value, list):
        return [found for i, v in enumerate(value) for found in _constants(v, (*path, i))]
    return []


def _line_of(lines: dict[FieldPath, int], path: FieldPath) -> int | None:
    while path and path not in lines:
        path = path[:-1]
    return lines.get(path)


def _json_lines(
    text: str,
) -> tuple[dict[FieldPath, int], tuple[FieldPath, int, int | None] | None]:
    """Where each field of a JSON file starts, and the first duplicate key, if any.

    JSON is read by :mod:`json`; its positions come from composing the same text as
    YAML (which JSON nearly always is). When that fails, errors carry no line.
    """
    lines: dict[FieldPath, int] = {}
    duplicate: list[tuple[FieldPath, int, int | None]] = []

    def walk(node: yaml.Node, path: FieldPath) -> None:
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*path, str(key_node.value))
                line = key_node.start_mark.line + 1
                if key in lines and not duplicate:
                    duplicate.append((key, line, lines[key]))
                lines.setdefault(key, line)
                walk(value_node, key)
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, (*path, index))

    # YAML refuses the surrogate escapes JSON writes for characters beyond the BMP
    # (emoji as "\\ud83c\\udf00"); positions are all that is wanted here.
    text = _SURROGATE_ESCAPE.sub("_", text)
    try:
        node = yaml.compose(text, Loader=_PlainComposer)
        if node is not None:
            walk(node, ())
    except (yaml.YAMLError, RecursionError):
        return {}, None
    return lines, duplicate[0] if duplicate else None


def dotted(path: FieldPath) -> str:
    """``("pricing", "items", 2, "quantity")`` → ``pricing.items[2].quantity``."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
