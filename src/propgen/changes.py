"""What changed between two revisions of a deal, for the approver (``propgen diff``).

Both sides are provenance dictionaries: read from a ``*.provenance.json`` file, or
made from a needs record by checking it against the library (nothing is rendered).
The comparison covers what an approver signs off: version and dates, every price
(totals, instalments, each line), the sections and clauses used (added, removed,
position, version, text), deviations and approvals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propgen.errors import InvalidInput, Problem
from propgen.files import UnreadableFile, read_json
from propgen.i18n import N_, Translate
from propgen.revision import PROVENANCE_SUFFIX

if TYPE_CHECKING:
    from propgen.library.store import Library

Entry = dict[str, Any]
_TOTALS = ("subtotal", "discount", "net", "tax", "total")
_LINE_FIELDS = ("quantity", "periods", "unit_price", "discount_pct", "total", "optional")


def load_revision(path: Path, library: Library) -> dict[str, Any]:
    """The provenance of ``path``: a provenance file as it is, a needs record as
    :func:`propgen.pipeline.provenance` describes it (without outputs).

    Raises:
        InvalidInput: the file cannot be read, is not a provenance, or the record is invalid.
    """
    if path.name.endswith(PROVENANCE_SUFFIX):
        try:
            data = read_json(path)
        except (FileNotFoundError, UnreadableFile) as err:
            message = N_("no such file") if isinstance(err, FileNotFoundError) else str(err)
            raise InvalidInput(problems=[Problem(message=message, file=str(path))]) from err
        if not isinstance(data, dict) or not isinstance(data.get("pricing"), dict):
            raise InvalidInput(
                problems=[Problem(message=N_("not a propgen provenance file"), file=str(path))]
            )
        return data
    from propgen.pipeline import check, provenance

    return provenance(check(path, library=library, allow_draft=True), {})


def compare(old: dict[str, Any], new: dict[str, Any], language: str = "en-US") -> list[str]:
    """One line per change from ``old`` to ``new``, in a fixed order and in
    ``language``; empty when equal. Field names, ids and values stay as they are."""
    from propgen.i18n import translate_text, translator

    t = translator(language)
    changes: list[str] = []
    for key in ("reference", "version", "date", "valid_until", "locale", "industry"):
        if old.get(key) != new.get(key):
            changes.append(
                t(_CHANGED).format(field=key, old=_show(old.get(key)), new=_show(new.get(key)))
            )
    changes += _prices(old.get("pricing") or {}, new.get("pricing") or {}, t)
    changes += _texts(_SECTION, _list(old, "sections"), _list(new, "sections"), t)
    changes += _texts(_CLAUSE, _list(old, "clauses"), _list(new, "clauses"), t)

    def deviation(d: Entry) -> str:
        detail = translate_text(str(d.get("detail")), language)
        by = d.get("approved_by")
        if isinstance(by, dict):
            state = t(N_("approved by {who}")).format(who=by.get("who"))
        else:
            state = t(N_("needs approval by {role}")).format(role=d.get("approval"))
        return t(N_("{detail} ({state})")).format(detail=detail, state=state)

    changes += _keyed(
        _DEVIATION,
        _list(old, "deviations"),
        _list(new, "deviations"),
        t,
        key=lambda d: f"{d.get('kind')} {d.get('subject')}",
        show=deviation,
    )
    changes += _keyed(
        _APPROVAL,
        _list(old, "approvals"),
        _list(new, "approvals"),
        t,
        key=lambda a: str(sorted(a.items())),
        show=lambda a: ", ".join(f"{k} {v}" for k, v in a.items()),
    )
    return changes


_CHANGED = N_("{field}: {old} → {new}")
_PRICE_WORDS = {
    "subtotal": N_("subtotal"),
    "discount": N_("discount"),
    "net": N_("net"),
    "tax": N_("tax"),
    "total": N_("total"),
}


@dataclass(frozen=True)
class _Kind:
    """The lines that report one kind of item, as catalogue messages."""

    added: str
    removed: str
    changed: str
    reordered: str = ""


_SECTION = _Kind(
    added=N_("section added: {item}"),
    removed=N_("section removed: {item}"),
    changed=N_("section {id}: {changes}"),
    reordered=N_("sections reordered: {ids}"),
)
_CLAUSE = _Kind(
    added=N_("clause added: {item}"),
    removed=N_("clause removed: {item}"),
    changed=N_("clause {id}: {changes}"),
    reordered=N_("clauses reordered: {ids}"),
)
_DEVIATION = _Kind(
    added=N_("deviation added: {item}"),
    removed=N_("deviation removed: {item}"),
    changed=N_("deviation {id}: {changes}"),
)
_APPROVAL = _Kind(
    added=N_("approval added: {item}"),
    removed=N_("approval removed: {item}"),
    changed=N_("approval {id}: {changes}"),
)
_PRICE_LINE = _Kind(
    added=N_("price line added: {item}"),
    removed=N_("price line removed: {item}"),
    changed=N_("price line {id}: {changes}"),
)


def _prices(old: Entry, new: Entry, t: Translate) -> list[str]:
    currency = new.get("currency") or old.get("currency") or ""
    changes = []
    if old.get("currency") != new.get("currency"):
        changes.append(
            t(_CHANGED).format(
                field="currency", old=_show(old.get("currency")), new=_show(new.get("currency"))
            )
        )
    for key in _TOTALS:
        if old.get(key) != new.get(key):
            changes.append(
                t(N_("price {name}: {old} → {new} {currency}")).format(
                    name=t(_PRICE_WORDS[key]),
                    old=_show(old.get(key)),
                    new=_show(new.get(key)),
                    currency=currency,
                )
            )
    if old.get("instalments") != new.get("instalments"):
        before = " / ".join(old.get("instalments") or []) or t(N_("none"))
        after = " / ".join(new.get("instalments") or []) or t(N_("none"))
        changes.append(
            t(N_("instalments: {old} → {new} {currency}")).format(
                old=before, new=after, currency=currency
            )
        )
    changes += _keyed(
        _PRICE_LINE,
        [line for line in old.get("lines") or [] if isinstance(line, dict)],
        [line for line in new.get("lines") or [] if isinstance(line, dict)],
        t,
        key=lambda line: str(line.get("sku") or line.get("name")),
        show=lambda line: _line(line, currency, t),
        fields=_LINE_FIELDS,
    )
    return changes


def _line(line: Entry, currency: str, t: Translate) -> str:
    name = line.get("sku") or line.get("name")
    product = f"{line.get('quantity')} × {line.get('periods')} × {line.get('unit_price')}"
    optional = t(N_(" (optional)")) if line.get("optional") else ""
    return f"{name}: {product} = {line.get('total')} {currency}{optional}"


def _texts(kind: _Kind, old: list[Entry], new: list[Entry], t: Translate) -> list[str]:
    """Sections or clauses by id: added, removed, moved to another position or
    variant, new version, changed text."""
    before = {str(e.get("id")): e for e in old}
    after = {str(e.get("id")): e for e in new}
    changes = [
        t(kind.added).format(item=f"{i}{_position(after[i])}") for i in after if i not in before
    ]
    changes += [t(kind.removed).format(item=i) for i in before if i not in after]
    for ident in after:
        if ident not in before:
            continue
        was, now = before[ident], after[ident]
        parts = [
            f"{field} {_show(was.get(field))} → {_show(now.get(field))}"
            for field in ("position", "variant", "version", "status", "origin")
            if was.get(field) != now.get(field)
        ]
        if was.get("sha256") != now.get("sha256"):
            parts.append(t(N_("text changed")))
        if parts:
            changes.append(t(kind.changed).format(id=ident, changes="; ".join(parts)))
    if [i for i in before if i in after] != [i for i in after if i in before]:
        changes.append(t(kind.reordered).format(ids=", ".join(after)))
    return changes


def _keyed(
    kind: _Kind,
    old: list[Entry],
    new: list[Entry],
    t: Translate,
    *,
    key: Callable[[Entry], str],
    show: Callable[[Entry], str],
    fields: Iterable[str] = (),
) -> list[str]:
    before = {key(e): e for e in old}
    after = {key(e): e for e in new}
    changes = [t(kind.added).format(item=show(after[k])) for k in after if k not in before]
    changes += [t(kind.removed).format(item=show(before[k])) for k in before if k not in after]
    for k in after:
        if k in before and before[k] != after[k]:
            parts = [
                f"{field} {_show(before[k].get(field))} → {_show(after[k].get(field))}"
                for field in fields
                if before[k].get(field) != after[k].get(field)
            ]
            changes.append(t(kind.changed).format(id=k, changes="; ".join(parts) or show(after[k])))
    return changes


def _list(provenance: dict[str, Any], key: str) -> list[Entry]:
    value = provenance.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _position(entry: Entry) -> str:
    return f" ({entry['position']})" if entry.get("position") else ""


def _show(value: object) -> str:
    return "—" if value is None else str(value)
