"""What changed between two revisions of a deal, for the approver (``propgen diff``).

Both sides are provenance dictionaries: read from a ``*.provenance.json`` file, or
made from a needs record by checking it against the library (nothing is rendered).
The comparison covers what an approver signs off: version and dates, every price
(totals, instalments, each line), the sections and clauses used (added, removed,
position, version, text), deviations and approvals.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from propgen.errors import InvalidInput, Problem
from propgen.files import UnreadableFile, read_json
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
            message = "no such file" if isinstance(err, FileNotFoundError) else str(err)
            raise InvalidInput(problems=[Problem(message=message, file=str(path))]) from err
        if not isinstance(data, dict) or not isinstance(data.get("pricing"), dict):
            raise InvalidInput(
                problems=[Problem(message="not a propgen provenance file", file=str(path))]
            )
        return data
    from propgen.pipeline import check, provenance

    return provenance(check(path, library=library, allow_draft=True), {})


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """One line per change from ``old`` to ``new``, in a fixed order; empty when equal."""
    changes: list[str] = []
    for key in ("reference", "version", "date", "valid_until", "locale", "industry"):
        if old.get(key) != new.get(key):
            changes.append(f"{key}: {_show(old.get(key))} → {_show(new.get(key))}")
    changes += _prices(old.get("pricing") or {}, new.get("pricing") or {})
    changes += _texts("section", _list(old, "sections"), _list(new, "sections"))
    changes += _texts("clause", _list(old, "clauses"), _list(new, "clauses"))
    changes += _keyed(
        "deviation",
        _list(old, "deviations"),
        _list(new, "deviations"),
        key=lambda d: f"{d.get('kind')} {d.get('subject')}",
        show=lambda d: f"{d.get('detail')} ({_approval_state(d)})",
    )
    changes += _keyed(
        "approval",
        _list(old, "approvals"),
        _list(new, "approvals"),
        key=lambda a: str(sorted(a.items())),
        show=lambda a: ", ".join(f"{k} {v}" for k, v in a.items()),
    )
    return changes


def _prices(old: Entry, new: Entry) -> list[str]:
    currency = new.get("currency") or old.get("currency") or ""
    changes = []
    if old.get("currency") != new.get("currency"):
        changes.append(f"currency: {_show(old.get('currency'))} → {_show(new.get('currency'))}")
    for key in _TOTALS:
        if old.get(key) != new.get(key):
            changes.append(f"price {key}: {_show(old.get(key))} → {_show(new.get(key))} {currency}")
    if old.get("instalments") != new.get("instalments"):
        before = " / ".join(old.get("instalments") or []) or "none"
        after = " / ".join(new.get("instalments") or []) or "none"
        changes.append(f"instalments: {before} → {after} {currency}")
    changes += _keyed(
        "price line",
        [line for line in old.get("lines") or [] if isinstance(line, dict)],
        [line for line in new.get("lines") or [] if isinstance(line, dict)],
        key=lambda line: str(line.get("sku") or line.get("name")),
        show=lambda line: _line(line, currency),
        fields=_LINE_FIELDS,
    )
    return changes


def _line(line: Entry, currency: str) -> str:
    name = line.get("sku") or line.get("name")
    product = f"{line.get('quantity')} × {line.get('periods')} × {line.get('unit_price')}"
    optional = " (optional)" if line.get("optional") else ""
    return f"{name}: {product} = {line.get('total')} {currency}{optional}"


def _texts(kind: str, old: list[Entry], new: list[Entry]) -> list[str]:
    """Sections or clauses by id: added, removed, moved to another position or
    variant, new version, changed text."""
    before = {str(e.get("id")): e for e in old}
    after = {str(e.get("id")): e for e in new}
    changes = [f"{kind} added: {i}{_position(after[i])}" for i in after if i not in before]
    changes += [f"{kind} removed: {i}" for i in before if i not in after]
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
            parts.append("text changed")
        if parts:
            changes.append(f"{kind} {ident}: {'; '.join(parts)}")
    if [i for i in before if i in after] != [i for i in after if i in before]:
        changes.append(f"{kind}s reordered: {', '.join(after)}")
    return changes


def _keyed(
    kind: str,
    old: list[Entry],
    new: list[Entry],
    *,
    key: Callable[[Entry], str],
    show: Callable[[Entry], str],
    fields: Iterable[str] = (),
) -> list[str]:
    before = {key(e): e for e in old}
    after = {key(e): e for e in new}
    changes = [f"{kind} added: {show(after[k])}" for k in after if k not in before]
    changes += [f"{kind} removed: {show(before[k])}" for k in before if k not in after]
    for k in after:
        if k in before and before[k] != after[k]:
            parts = [
                f"{field} {_show(before[k].get(field))} → {_show(after[k].get(field))}"
                for field in fields
                if before[k].get(field) != after[k].get(field)
            ]
            changes.append(f"{kind} {k}: {'; '.join(parts) or show(after[k])}")
    return changes


def _list(provenance: dict[str, Any], key: str) -> list[Entry]:
    value = provenance.get(key)
    return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []


def _position(entry: Entry) -> str:
    return f" ({entry['position']})" if entry.get("position") else ""


def _approval_state(deviation: Entry) -> str:
    by = deviation.get("approved_by")
    if isinstance(by, dict):
        return f"approved by {by.get('who')}"
    return f"needs approval by {deviation.get('approval')}"


def _show(value: object) -> str:
    return "—" if value is None else str(value)
