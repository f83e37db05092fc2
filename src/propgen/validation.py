"""Validating parsed files against pydantic models, with located, helpful errors."""

from __future__ import annotations

import difflib
import functools
import re
import types
import typing
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from propgen.errors import InvalidInput, Problem
from propgen.source import FieldPath, Source, dotted

M = TypeVar("M", bound=BaseModel)


def validate(source: Source, model: type[M], error: type[InvalidInput]) -> M:
    """Validate ``source.data`` as ``model``.

    Raises:
        error: with one problem per validation error, each naming file, line and field.
    """
    try:
        return model.model_validate(source.data)
    except ValidationError as err:
        raise error(problems=_problems(source, err, model)) from err


def validate_parts(
    source: Source, model: type[M]
) -> tuple[M | None, dict[str, Any], frozenset[str], list[Problem]]:
    """Validate ``source.data`` as ``model``, and when that fails, each field on its
    own, so checks that look across fields still run on the parts that are valid.

    Returns:
        The model (``None`` when invalid); the valid top-level fields by name
        (defaults included) — a top-level model that failed is there as a partial
        one built from its own valid fields, its other attributes absent; the names
        of the top-level fields that validated completely; the problems found.
    """
    try:
        whole = model.model_validate(source.data)
    except ValidationError as err:
        problems = _problems(source, err, model)
    else:
        fields = {name: getattr(whole, name) for name in type(whole).model_fields}
        return whole, fields, frozenset(fields), []
    data = source.data if isinstance(source.data, dict) else {}
    parts, complete = _valid_fields(model, data)
    return None, parts, complete, problems


def _valid_fields(
    model: type[BaseModel], data: dict[str, Any]
) -> tuple[dict[str, Any], frozenset[str]]:
    parts: dict[str, Any] = {}
    complete: set[str] = set()
    for name, info in model.model_fields.items():
        if name not in data:
            if not info.is_required():
                parts[name] = info.get_default(call_default_factory=True)
                complete.add(name)
            continue
        try:
            parts[name] = _field_adapter(model, name).validate_python(data[name])
            complete.add(name)
        except ValidationError:
            inner = _model_in(info.annotation)
            if inner is not None and isinstance(data[name], dict):
                fields, _ = _valid_fields(inner, data[name])
                parts[name] = inner.model_construct(**fields)
    return parts, frozenset(complete)


@functools.cache
def _field_adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    annotated: Any = Annotated[info.annotation, info]  # the field's type with its constraints
    return TypeAdapter(annotated)


def _problems(source: Source, err: ValidationError, model: type[BaseModel]) -> list[Problem]:
    problems = []
    for error in err.errors(include_url=False):
        loc: FieldPath = tuple(p for p in error["loc"] if isinstance(p, str | int))
        # Drop pydantic's union/validator branch names so the path is the user's.
        loc = tuple(
            p for p in loc if not (isinstance(p, str) and ("[" in p or p.startswith("function-")))
        )
        message, hint = _explain(error, loc, model)
        problems.append(
            Problem(
                message=message,
                file=str(source.path),
                line=source.line_of(loc),
                field=dotted(loc),
                hint=hint,
            )
        )
    return problems


def _explain(error: Any, loc: FieldPath, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = (
            f"did you mean {close[0]!r}?"
            if close
            else (f"known fields here: {', '.join(known)}" if known else "")
        )
        return "unknown field", hint
    if kind == "missing":
        return "is required but missing", ""
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        given = error.get("input")
        options = [o.strip(" '") for o in str(expected).replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(given), options, n=1, cutoff=0.5)
        hint = f"did you mean {close[0]!r}?" if close else ""
        return f"{given!r} is not one of {expected}", hint
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    if kind in ("decimal_parsing", "decimal_type") and isinstance(error.get("input"), str):
        return _number_hint(message, error["input"])
    given = error.get("input")
    if kind not in ("model_type", "list_type", "dict_type") and isinstance(given, str | int):
        text = str(given)
        shown = text if len(text) <= 40 else text[:37] + "…"
        message = f"{message} (got {shown!r})"
    return message, ""


_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def _number_hint(message: str, given: str) -> tuple[str, str]:
    """What to write instead of ``2,200.00``, ``¥6,500`` or ``13%``."""
    text = given.strip()
    shown = text if len(text) <= 40 else text[:37] + "…"
    message = f"{message} (got {shown!r})"
    if text.endswith("%"):
        bare = text.rstrip("%").strip()
        return message, f"write the number without the % sign: {bare}"
    core = re.sub(r"^[^0-9.\-]+|[^0-9.]+$", "", text)  # currency symbols and codes
    plain = core.replace(",", "") if _GROUPED.fullmatch(core) else core
    if plain != text and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", plain):
        dropped = []
        if core != text:
            dropped.append("the currency symbol")
        if "," in core:
            dropped.append("the thousands separators")
        return message, f"write {plain!r}: digits and a decimal point, without " + " and ".join(
            dropped
        )
    return message, "write digits with a decimal point, e.g. 1234.50 (quoted keeps it exact)"


def _known_fields(root: type[BaseModel], loc: FieldPath) -> list[str]:
    """Field names of the model found at ``loc`` inside ``root``."""
    model: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = model.model_fields.get(part)
        if field is None:
            return []
        model = _model_in(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _model_in(annotation: Any) -> Any:
    """The pydantic model inside ``list[M]``, ``M | None`` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    origin = typing.get_origin(annotation)
    if origin in (list, types.UnionType, typing.Union, typing.Annotated):
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
