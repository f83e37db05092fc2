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
from propgen.i18n import N_
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
        loc = _user_path(source.data, error["loc"], missing=error["type"] == "missing")
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


def _user_path(data: Any, loc: tuple[Any, ...], *, missing: bool) -> FieldPath:
    """The path the user wrote, from pydantic's ``loc``: pydantic's own branch
    names (``function-after[…]``, ``list[…]``, ``[key]``) are dropped by following
    the data, so a key the user spelled ``function-after`` or ``nam[e]`` is kept."""
    path: list[str | int] = []
    current = data
    for index, part in enumerate(loc):
        in_dict = isinstance(current, dict) and isinstance(part, str) and part in current
        in_list = isinstance(current, list) and isinstance(part, int) and 0 <= part < len(current)
        if in_dict or in_list:
            current = current[part]
        elif missing and index == len(loc) - 1 and isinstance(part, str):
            current = None
        else:
            continue
        path.append(part)
    return tuple(path)


def _explain(error: Any, loc: FieldPath, model: type[BaseModel]) -> tuple[str, str]:
    kind = error["type"]
    if kind == "extra_forbidden":
        known = _known_fields(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = (
            N_("did you mean {option!r}?").format(option=close[0])
            if close
            else (
                N_("known fields here: {options}").format(options=", ".join(known)) if known else ""
            )
        )
        return N_("unknown field {key!r}").format(key=str(loc[-1] if loc else "")), hint
    if kind == "missing":
        return N_("is required but missing"), ""
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        given = error.get("input")
        options = [o.strip(" '") for o in str(expected).replace(" or ", ",").split(",")]
        close = difflib.get_close_matches(str(given), options, n=1, cutoff=0.5)
        hint = N_("did you mean {option!r}?").format(option=close[0]) if close else ""
        return N_("{value!r} is not one of {options}").format(value=given, options=expected), hint
    message = str(error["msg"])
    message = message.removeprefix("Value error, ")
    if kind in ("decimal_parsing", "decimal_type") and isinstance(error.get("input"), str):
        return _number_hint(message, error["input"])
    given = error.get("input")
    if kind not in ("model_type", "list_type", "dict_type") and isinstance(given, str | int):
        text = str(given)
        shown = text if len(text) <= 40 else text[:37] + "…"
        message = N_("{message} (got {value!r})").format(message=message, value=shown)
    return message, ""


PYDANTIC_MESSAGES = (
    N_("Input should be a valid decimal"),
    N_("Input should be a valid string"),
    N_("Input should be a valid integer"),
    N_("Input should be a valid list"),
    N_("Input should be a valid dictionary"),
    N_("Input should be a valid dictionary or instance of {model}"),
    N_("Input should be a finite number"),
    N_("Input should be greater than or equal to {limit}"),
    N_("Input should be greater than {limit}"),
    N_("Input should be less than or equal to {limit}"),
    N_("Input should be less than {limit}"),
    N_("String should have at least {count} character"),
    N_("String should have at least {count} characters"),
    N_("String should have at most {count} characters"),
    N_("List should have at least {count} item after validation, not {given}"),
    N_("List should have at most {count} items after validation, not {given}"),
    N_("Decimal input should have no more than {count} digits in total"),
    N_("Decimal input should have no more than {count} digits before the decimal point"),
    N_("Input should be a valid date or datetime, {reason}"),
)
"""pydantic's own messages, listed so the catalogue translates them."""

_GROUPED = re.compile(r"[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")


def _number_hint(message: str, given: str) -> tuple[str, str]:
    """What to write instead of ``2,200.00``, ``¥6,500`` or ``13%``."""
    text = given.strip()
    shown = text if len(text) <= 40 else text[:37] + "…"
    message = N_("{message} (got {value!r})").format(message=message, value=shown)
    if text.endswith("%"):
        bare = text.rstrip("%").strip()
        return message, N_("write the number without the % sign: {number}").format(number=bare)
    core = re.sub(r"^[^0-9.\-]+|[^0-9.]+$", "", text)  # currency symbols and codes
    plain = core.replace(",", "") if _GROUPED.fullmatch(core) else core
    if plain != text and re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", plain):
        if core != text and "," in core:
            hint = N_(
                "write {number!r}: digits and a decimal point, without the currency symbol "
                "and the thousands separators"
            )
        elif core != text:
            hint = N_("write {number!r}: digits and a decimal point, without the currency symbol")
        else:
            hint = N_(
                "write {number!r}: digits and a decimal point, without the thousands separators"
            )
        return message, hint.format(number=plain)
    return message, N_("write digits with a decimal point, e.g. 1234.50 (quoted keeps it exact)")


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
