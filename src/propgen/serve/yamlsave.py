"""Writing edited record data back into its YAML text, keeping what the user wrote.

The file is read with ruamel.yaml's round-trip loader; only values that changed
are replaced, so comments, key order, quoting and flow style of everything else
stay as they were. New keys go at the end of their mapping.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_PADDED_FLOW = re.compile(r"^\s*(- |[\w-]+: )\{ .* \}\s*(#.*)?$", re.MULTILINE)
_TIGHT_FLOW = re.compile(r"^(\s*(?:- |[\w-]+: ))\{(?! )(.*?)(?<! )\}(\s*(?:#.*)?)$", re.MULTILINE)


def _yaml() -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never fold a long line the user wrote on one line
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def updated_yaml(original: str, data: dict[str, Any]) -> str:
    """``original`` with its values replaced by ``data`` where they differ."""
    yaml = _yaml()
    document = yaml.load(original) if original.strip() else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    merged = _merge(document, data)
    out = io.StringIO()
    yaml.dump(merged, out)
    text = out.getvalue()
    if _PADDED_FLOW.search(original):
        # ruamel writes {a: 1}; keep the `{ a: 1 }` spacing the file was written with,
        # except on lines the file itself wrote tight (a file may mix both).
        tight = set(original.splitlines())
        text = _TIGHT_FLOW.sub(
            lambda m: m.group(0) if m.group(0) in tight else f"{m[1]}{{ {m[2]} }}{m[3]}", text
        )
    return text


def _merge(old: Any, new: Any) -> Any:
    if isinstance(new, dict) and isinstance(old, CommentedMap):
        for key in [k for k in old if k not in new]:
            del old[key]
        for key, value in new.items():
            old[key] = _merge(old[key], value) if key in old else _fresh(value)
        return old
    if isinstance(new, list) and isinstance(old, CommentedSeq):
        for index, value in enumerate(new):
            if index < len(old):
                old[index] = _merge(old[index], value)
            else:
                old.append(_fresh(value))
        del old[len(new) :]
        return old
    return old if _same(old, new) else _fresh(new)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return type(old) is type(new) and old == new
    if isinstance(old, dt.date) and isinstance(new, str):
        return old.isoformat() == new
    if isinstance(old, str) and isinstance(new, str):
        return old.rstrip() == new.rstrip()
    return type(old) is type(new) and bool(old == new)


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _fresh(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_fresh(item) for item in value)
    if isinstance(value, str):
        if "\n" in value.strip():
            return LiteralScalarString(value.rstrip() + "\n")
        if _ISO_DATE.match(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
    return value
