"""Plain, immutable data for library templates.

Library text is semi-trusted, so templates never see the program's own objects
(pydantic models, dataclasses with methods): :func:`freeze` copies them into
:class:`Record` values that expose their fields and nothing else, read-only
mappings and tuples. Together with the sandbox's allow-list
(:mod:`propgen.templating`) nothing a template can reach is callable except the
helpers propgen gives it on purpose.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NoReturn

from pydantic import BaseModel

_SCALARS = (str, bool, int, Decimal, dt.date, type(None))


class Record:
    """Named, read-only fields (``customer.name``, ``customer["name"]``).

    It has no public methods, so a field can be called anything (``items``,
    ``get``) and a template reaching a record reaches only its values.
    """

    __slots__ = ("_fields", "_kind", "_text")
    _fields: Mapping[str, Any]
    _kind: str
    _text: str | None

    def __init__(self, kind: str, fields: Mapping[str, Any], text: str | None = None) -> None:
        object.__setattr__(self, "_kind", kind)
        object.__setattr__(self, "_fields", MappingProxyType(dict(fields)))
        object.__setattr__(self, "_text", text)

    def __str__(self) -> str:
        """The text the value printed as (a discovery item prints as its text)."""
        return self._text if self._text is not None else repr(self)

    def __getattr__(self, name: str) -> Any:
        try:
            return self._fields[name]
        except KeyError:
            raise AttributeError(f"{self._kind} has no field {name!r}") from None

    def __getitem__(self, name: str) -> Any:
        return self._fields[name]

    def __dir__(self) -> list[str]:
        return list(self._fields)

    def __contains__(self, name: object) -> bool:
        return name in self._fields

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{self._kind} is read-only")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{self._kind} is read-only")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self._kind == other._kind and self._fields == other._fields

    def __hash__(self) -> int:
        return hash((self._kind, tuple(self._fields)))

    def __repr__(self) -> str:
        return f"{self._kind}({', '.join(self._fields)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Record, (self._kind, dict(self._fields), self._text))


class Opaque:
    """A value a template can place (``{{ logo }}``) but not look into: the markup
    it stands for is produced when it is printed, and it has no public attribute."""

    __slots__ = ("_markup",)

    def __init__(self, markup: Callable[[], str]) -> None:
        self._markup = markup

    def __html__(self) -> str:
        return self._markup()


def field_names(record: Record) -> Iterator[str]:
    """The fields of a record."""
    return iter(record._fields)


def record_kind(record: Record) -> str:
    """What a record was made from (``Customer``), for messages."""
    return record._kind


def freeze(value: Any) -> Any:
    """``value`` as template data: models and dataclasses become :class:`Record`
    (their fields plus their public properties, such as ``customer.legal``),
    mappings read-only mappings, lists and tuples tuples; text, numbers, dates,
    ``None`` and :class:`Opaque` values stay as they are.

    Raises:
        TypeError: for anything else, so no other kind of object slips through.
    """
    if isinstance(value, (Record, Opaque, *_SCALARS)):
        return value
    if isinstance(value, BaseModel) or (
        dataclasses.is_dataclass(value) and not isinstance(value, type)
    ):
        kind = type(value)
        fields = {n: freeze(getattr(value, n)) for n in data_fields(kind)}
        # A model that defines how it prints (a discovery item: its text) keeps that.
        text = str(value) if isinstance(value, BaseModel) and _prints_itself(kind) else None
        return Record(kind.__name__, fields, text)
    if isinstance(value, Mapping):
        return MappingProxyType({str(k): freeze(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(freeze(item) for item in value)
    raise TypeError(f"{type(value).__name__} is not template data")


def _prints_itself(kind: type) -> bool:
    return any("__str__" in vars(k) for k in kind.__mro__ if k not in (BaseModel, object))


def data_fields(kind: type) -> list[str]:
    """The fields a :class:`Record` made from a ``kind`` (a pydantic model or a
    dataclass) has: its fields, then the public properties it defines."""
    if issubclass(kind, BaseModel):
        names = dict.fromkeys(kind.model_fields)
    elif dataclasses.is_dataclass(kind):
        names = dict.fromkeys(f.name for f in dataclasses.fields(kind))
    else:
        raise TypeError(f"{kind.__name__} is not a model or a dataclass")
    for klass in reversed(kind.__mro__):
        if klass in (BaseModel, object):
            continue
        for name, member in vars(klass).items():
            if isinstance(member, property) and not name.startswith("_"):
                names[name] = None
    return list(names)
