"""The deal form: which fields it shows, and posted fields → record data.

The form is declared once here (groups of fields and repeating rows) and both
the template that draws it and :func:`apply_form` that reads it back walk the
same declaration. Inputs are named by their path in the record
(``pricing.items.1.quantity``); a field the form does not show is left as it is
in the file, so hand-written keys survive a save.

Values stay text, as propgen's own YAML reader leaves them (money is exact
text, never a float); whole numbers become ints, as a plain ``85`` in YAML does.
"""

from __future__ import annotations

import copy
import json
import re
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from propgen.needs.models import MAX_ITEMS, ItemKind

Kind = Literal["text", "textarea", "number", "date", "checkbox", "select", "email", "ids"]
"""``ids``: a list of short names (discovery ids) typed as ``P1, P2``."""
_WHOLE = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
ITEM_KINDS: tuple[str, ...] = typing.get_args(ItemKind)
"""What a price line may sell; ``pricing.tax_rates`` has a rate for each."""


@dataclass(frozen=True)
class Field:
    key: str
    kind: Kind = "text"
    choices: str = ""
    """The name of a list of choices the page supplies (industries, SLA tiers, …)."""
    wide: bool = False


@dataclass(frozen=True)
class Group:
    """Fields of one mapping of the record."""

    path: tuple[str, ...]
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Rows:
    """A list of the record: rows of fields, or (``fields`` empty) of text points."""

    path: tuple[str, ...]
    fields: tuple[Field, ...] = ()
    text_key: str = ""
    """An entry may be a plain string standing for this field (a discovery item is
    its text, or ``{id, text, …}``); a row left with only this field is saved as
    that string again."""

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Panel:
    """One titled part of the form."""

    id: str
    parts: tuple[Group | Rows, ...]


_PERSON = (Field("name"), Field("title"), Field("email", "email"), Field("phone"))
_FINDING = (Field("id"), Field("text", "textarea", wide=True))
"""A discovery item; an empty id is assigned by position (P1, P2 …). An implication's
cost and hours are kept as written in the file (edited there)."""

PANELS: tuple[Panel, ...] = (
    Panel(
        "document",
        (
            Group(
                ("document",),
                (
                    Field("reference"),
                    Field("title", wide=True),
                    Field("date", "date"),
                    Field("valid_until", "date"),
                    Field("locale", "select", "locales"),
                    Field("currency", "text", "currencies"),
                    Field("industry", "select", "industries"),
                    Field("version"),
                ),
            ),
            Group(("seller", "rep"), _PERSON),
        ),
    ),
    Panel(
        "customer",
        (
            Group(
                ("customer",),
                (
                    Field("name"),
                    Field("legal_name"),
                    Field("segment"),
                    Field("size"),
                    Field("registration_id"),
                    Field("representative"),
                    Field("address_form", "select", "address_forms"),
                    Field("sector", "select", "sectors"),
                    Field("state", "select", "us_states"),
                    Field("tax_exempt", "checkbox"),
                    Field("address", "textarea", wide=True),
                ),
            ),
            Rows(("customer", "contacts"), (*_PERSON, Field("role", "text", "roles"))),
        ),
    ),
    Panel(
        "discovery",
        (
            Rows(("discovery", "situation"), _FINDING, "text"),
            Rows(("discovery", "problem"), _FINDING, "text"),
            Rows(("discovery", "implication"), (*_FINDING, Field("problems", "ids")), "text"),
            Rows(("discovery", "need_payoff"), (*_FINDING, Field("resolves", "ids")), "text"),
        ),
    ),
    Panel(
        "solution",
        (
            Group(
                ("solution",),
                (
                    Field("deployment", "select", "deployments"),
                    Field("sites", "number"),
                    Field("summary", "textarea", wide=True),
                ),
            ),
            Rows(
                ("solution", "modules"),
                (Field("name"), Field("description", "textarea"), Field("addresses", "ids")),
            ),
            Rows(
                ("solution", "milestones"),
                (
                    Field("name"),
                    Field("week", "number"),
                    Field("date", "date"),
                    Field("addresses", "ids"),
                ),
            ),
        ),
    ),
    Panel(
        "pricing",
        (
            Rows(
                ("pricing", "items"),
                (
                    Field("sku"),
                    Field("name"),
                    Field("unit"),
                    Field("recurring", "select", "recurrences"),
                    Field("quantity", "number"),
                    Field("periods", "number"),
                    Field("unit_price", "number"),
                    Field("discount_pct", "number"),
                    Field("unit_cost", "number"),
                    Field("kind", "select", "item_kinds"),
                    Field("tax_pct", "number"),
                    Field("optional", "checkbox"),
                ),
            ),
            Group(
                ("pricing",),
                (
                    Field("discount_pct", "number"),
                    Field("tax_pct", "number"),
                    Field("currency", "text", "currencies"),
                    Field("payment_by_year", "checkbox"),
                ),
            ),
            Group(("pricing", "tax_rates"), tuple(Field(kind, "number") for kind in ITEM_KINDS)),
            Group(
                ("pricing", "exchange_rate"),
                (Field("rate", "number"), Field("as_of", "date"), Field("source", wide=True)),
            ),
            Rows(
                ("pricing", "payment_schedule"),
                (Field("milestone"), Field("percent", "number")),
            ),
        ),
    ),
    Panel(
        "terms",
        (
            Group(
                ("terms",),
                (
                    Field("start_date", "date"),
                    Field("term_months", "number"),
                    Field("auto_renew", "checkbox"),
                    Field("renewal_months", "number"),
                    Field("non_renewal_notice_days", "number"),
                    Field("renewal_increase_cap_pct", "number"),
                    Field("renewal_increase_notice_days", "number"),
                    Field("termination_notice_days", "number"),
                    Field("payment_terms_days", "number"),
                    Field("payment_due_from", "select", "payment_due_from"),
                    Field("invoice_type", "select", "invoice_types"),
                    Field("sla", "select", "sla"),
                    Field("address_change_notice_days", "number"),
                    Field("incident_notice_hours", "number"),
                    Field("warranty_months", "number"),
                    Field("liability_cap_months", "number"),
                    Field("governing_law", wide=True),
                    Field("dispute_resolution", wide=True),
                ),
            ),
        ),
    ),
    Panel("clauses", ()),
    Panel(
        "sections",
        (
            Rows(
                ("sections",),
                (
                    Field("id", "text", "section_ids"),
                    Field("variant", "text", "variants"),
                    Field("after", "select", "section_ids"),
                    Field("before", "select", "section_ids"),
                    Field("remove", "checkbox"),
                    Field("title", wide=True),
                    Field("text", "textarea", wide=True),
                ),
            ),
        ),
    ),
    Panel(
        "approvals",
        (
            Rows(
                ("approvals",),
                (
                    Field("what", "text", "subjects"),
                    Field("role", "text", "roles_needed"),
                    Field("who"),
                    Field("date", "date"),
                ),
            ),
        ),
    ),
)

ROWS: dict[str, Rows] = {
    part.name: part for panel in PANELS for part in panel.parts if isinstance(part, Rows)
}
CLAUSE_PREFIX = "clauses."
COUNT_PREFIX = "_n."
KEEP_SUFFIX = "._keep"
"""A row as it stands (with keys the form does not show: a ramp, tiers, an
implication's cost …), as JSON in a hidden input, so it travels with its row when
rows above it are removed."""
YAML_ONLY = frozenset({"ramp", "tiers", "cost", "hours"})
"""Row keys kept but not edited by the form: the page says to edit them in the file."""
CHECKBOX_PREFIX = "_cb."
PLACEHOLDER_PREFIX = "_ph."
"""Marks a field shown empty because the record holds a starter's placeholder there:
left empty, the placeholder stays (and check keeps saying it must be filled in)."""


def name_of(path: tuple[str | int, ...]) -> str:
    """An input's name: ``("pricing", "items", 1, "quantity")`` → ``pricing.items.1.quantity``."""
    return ".".join(str(p) for p in path)


def lookup(data: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in plain record data, or None."""
    for part in path:
        if isinstance(part, int):
            if not isinstance(data, list) or part >= len(data):
                return None
        elif not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def shown(value: Any) -> str:
    """A record value as an input shows it (a list of ids as ``P1, P2``)."""
    if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
        return ", ".join(str(v) for v in value)
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def kept(item: Any) -> str:
    """A row as JSON (see :data:`KEEP_SUFFIX`): the posted fields replace its shown
    keys, so the others — and a starter's placeholders left empty — stay with it."""
    return json.dumps(item if isinstance(item, dict | str) else {}, ensure_ascii=False, default=str)


def yaml_only(item: Any) -> list[str]:
    """The keys of a row the page asks to edit in the file."""
    return [k for k in item if k in YAML_ONLY] if isinstance(item, dict) else []


def _kept_row(text: str | None) -> dict[str, Any] | str | None:
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict | str) else None


def _value(raw: str, kind: Kind) -> str | int | list[str]:
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    if kind == "ids":
        return [part for part in re.split(r"[\s,，、;；]+", text) if part]
    if kind != "textarea":
        text = text.strip()
    if kind == "number" and _WHOLE.match(text) and len(text) < 19:
        return int(text)
    return text


def _apply_fields(
    target: dict[str, Any], prefix: str, fields: tuple[Field, ...], form: Mapping[str, str]
) -> None:
    for field in fields:
        name = f"{prefix}.{field.key}"
        if field.kind == "checkbox":
            if CHECKBOX_PREFIX + name not in form:
                continue
            if name in form:
                target[field.key] = True
            elif field.key in target:
                target[field.key] = False
            continue
        if name not in form:
            continue
        value = _value(form[name], field.kind)
        if value == "" and PLACEHOLDER_PREFIX + name in form:
            continue
        if value in ("", []) or (isinstance(value, str) and not value.strip()):
            target.pop(field.key, None)
        else:
            target[field.key] = value


def _mapping_at(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        child = data.get(key)
        if not isinstance(child, dict):
            child = {}
            data[key] = child
        data = child
    return data


def _apply_rows(data: dict[str, Any], rows: Rows, form: Mapping[str, str]) -> None:
    count_text = form.get(COUNT_PREFIX + rows.name)
    if count_text is None or not count_text.isdigit():
        return
    count = min(int(count_text), MAX_ITEMS)
    parent = _mapping_at(data, rows.path[:-1])
    key = rows.path[-1]
    old = parent.get(key)
    old_rows = old if isinstance(old, list) else []
    new: list[Any] = []
    for index in range(count):
        name = f"{rows.name}.{index}"
        if not rows.fields:
            text = _value(form.get(name, ""), "textarea")
            if isinstance(text, str) and text.strip():
                new.append(text.strip())
            elif PLACEHOLDER_PREFIX + name in form and index < len(old_rows):
                new.append(old_rows[index])
            continue
        before: Any = _kept_row(form.get(name + KEEP_SUFFIX))
        if before is None:  # a client that does not send the row's other keys
            before = old_rows[index] if index < len(old_rows) else None
        was_text = isinstance(before, str) and bool(rows.text_key)
        if was_text:
            before = {rows.text_key: before}
        row = dict(before) if isinstance(before, dict) else {}
        _apply_fields(row, name, rows.fields, form)
        if was_text:  # a point that became a mapping: its keys in the form's order (id first)
            order = [f.key for f in rows.fields]
            row = dict(sorted(row.items(), key=lambda kv: order.index(kv[0])))
        if rows.text_key:
            if not row:
                continue
            if list(row) == [rows.text_key] and isinstance(row[rows.text_key], str):
                new.append(row[rows.text_key])
                continue
        new.append(row)
    if new or key in parent:
        parent[key] = new


def _apply_clauses(data: dict[str, Any], form: Mapping[str, str]) -> None:
    chosen = {
        name[len(CLAUSE_PREFIX) :]: value.strip()
        for name, value in form.items()
        if name.startswith(CLAUSE_PREFIX) and value.strip()
    }
    if not chosen:
        return
    old = data.get("clauses")
    clauses = dict(old) if isinstance(old, dict) else {}
    for clause_id, position in chosen.items():
        if position == "standard" and clause_id not in clauses:
            continue
        clauses[clause_id] = position
    if clauses or "clauses" in data:
        data["clauses"] = clauses


def apply_form(base: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, Any]:
    """The record ``base`` with the form's values applied (``base`` is not changed)."""
    data: dict[str, Any] = copy.deepcopy(dict(base))
    for panel in PANELS:
        for part in panel.parts:
            if isinstance(part, Group):
                target = _mapping_at(data, part.path)
                _apply_fields(target, ".".join(part.path), part.fields, form)
                if not target:
                    _drop_empty(data, part.path)
            else:
                _apply_rows(data, part, form)
    _apply_clauses(data, form)
    return data


def _drop_empty(data: dict[str, Any], path: tuple[str, ...]) -> None:
    """Remove a mapping the form emptied (and created), so no ``terms: {}`` appears."""
    parent = lookup(data, path[:-1]) if len(path) > 1 else data
    if isinstance(parent, dict) and parent.get(path[-1]) == {}:
        del parent[path[-1]]


def add_row(data: dict[str, Any], rows: Rows) -> None:
    """Append an empty row (or point) to a list of the record."""
    parent = _mapping_at(data, rows.path[:-1])
    current = parent.get(rows.path[-1])
    items = current if isinstance(current, list) else []
    if len(items) < MAX_ITEMS:
        items.append({} if rows.fields else "")
    parent[rows.path[-1]] = items


def remove_row(data: dict[str, Any], rows: Rows, index: int) -> None:
    current = lookup(data, rows.path)
    if isinstance(current, list) and 0 <= index < len(current):
        del current[index]


def add_approval(data: dict[str, Any], what: str, role: str) -> None:
    """Append an approval entry for a deviation; who and date are left to fill in."""
    approvals = data.get("approvals")
    entries = approvals if isinstance(approvals, list) else []
    if len(entries) < MAX_ITEMS:
        entries.append({"what": what[:500], "role": role[:500]})
    data["approvals"] = entries
