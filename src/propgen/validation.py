"""Validating parsed files against pydantic models, with located, helpful errors."""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from propgen.errors import InvalidInput, Problem
from propgen.needs.source import FieldPath, Source, dotted

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
    given = error.get("input")
    if kind not in ("model_type", "list_type", "dict_type") and isinstance(given, str | int):
        text = str(given)
        shown = text if len(text) <= 40 else text[:37] + "…"
        message = f"{message} (got {shown!r})"
    return message, ""


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
