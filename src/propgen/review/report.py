"""A review presented: terminal text in the record's language, JSON for tools, and a
self-contained HTML page (no script, no external resource)."""

from __future__ import annotations

import json
from collections.abc import Callable
from html import escape
from typing import Any

from propgen.i18n import N_
from propgen.review import Review
from propgen.review.compare import SectionReview

Translate = Callable[[str], str]

_VERDICTS = {
    "unchanged": N_("unchanged"),
    "position": N_("changed to library position {position}"),
    "new-wording": N_("new wording"),
    "deleted": N_("deleted"),
}
_ACTIONS = {
    "position": N_("needs approval by {role}"),
    "standard": N_("back to the standard position; no approval needed"),
    "new-wording": N_("the clause owner ({owner}) must review"),
    "deleted": N_("the clause owner ({owner}) must review"),
    "generated": N_("not library text: put the change into the needs record and render again"),
}


_MEASURES = {
    "payment_terms_days": N_("payment days"),
    "liability_cap_months": N_("liability cap (months of fees)"),
    "deal_discount_pct": N_("deal discount (%)"),
}
_OUTSIDE = N_("new text outside any clause")
_RECORD = N_("record")


def as_json(review: Review) -> str:
    return json.dumps(review_data(review), ensure_ascii=False, indent=2) + "\n"


def review_data(review: Review) -> dict[str, Any]:
    return {
        "file": review.file,
        "reference": review.reference,
        "kind": review.kind,
        "locale": review.locale,
        "needs": review.needs,
        "approvals_needed": review.approvals_needed,
        "warnings": list(review.warnings),
        "sections": [
            {
                "n": s.n,
                "number": s.number or None,
                "id": s.id,
                "title": s.title,
                "clause": s.is_clause,
                "verdict": s.verdict,
                "found_by": s.found_by,
                "position": s.position or None,
                "approval": s.approval or None,
                "needs_approval": s.needs_approval,
                "diff": [{"op": c.op, "text": c.text} for c in s.diff],
            }
            for s in review.sections
        ],
        "added": [{"after": a.after or None, "text": a.text} for a in review.added],
        "figures": [
            {
                "measure": f.measure,
                "subject": f.subject,
                "record": str(f.record) if f.record is not None else None,
                "found": [str(v) for v in f.found],
                "limit": f.limit,
                "approval": f.approval,
                "beyond_limit": [str(v) for v in f.beyond],
                "approved": f.approved,
                "needs_approval": f.needs_approval,
            }
            for f in review.figures
        ],
    }


def _verdict(s: SectionReview, t: Translate) -> str:
    return t(_VERDICTS[s.verdict]).format(position=s.position)


def _action(s: SectionReview, t: Translate, roles: dict[str, str]) -> str:
    if s.verdict == "unchanged":
        return ""
    if s.verdict == "position":
        key = "position" if s.approval else "standard"
        return t(_ACTIONS[key]).format(role=roles.get(s.approval, s.approval))
    if not s.approval:  # the parties block, the annexes: written from the record
        return t(_ACTIONS["generated"])
    return t(_ACTIONS[s.verdict]).format(owner=s.approval)


def as_text(review: Review, t: Translate) -> str:
    """The terminal report: one line per section, the diff under each change."""
    lines = [
        t("Review of {file} — {reference} ({kind}, {locale})").format(
            file=review.file, reference=review.reference, kind=t(review.kind), locale=review.locale
        )
    ]
    lines += [t("Warning: {problem}").format(problem=t(w)) for w in review.warnings]
    for s in review.sections:
        mark = "!" if s.needs_approval else " "
        title = f"{s.number} {s.title}" if s.number else s.title or s.id
        line = f"{mark} {title} [{s.id}]: {_verdict(s, t)}"
        action = _action(s, t, review.roles)
        lines.append(line + (f" — {action}" if action else ""))
        if s.diff and s.verdict != "deleted":
            lines += ["      " + row for row in _diff_lines(s)]
    for added in review.added:
        lines.append(
            "! "
            + t("new text outside any clause (after {after}) — must be reviewed").format(
                after=added.after or "-"
            )
        )
        lines += ["      + " + row for row in added.text.splitlines()]
    for f in review.figures:
        if not f.found and f.record is None:
            continue
        found = ", ".join(str(v) for v in f.found) or "—"
        status = (
            t("beyond the policy limit ({limit}): needs approval by {role}").format(
                limit=f.limit, role=review.roles.get(f.approval, f.approval)
            )
            if f.needs_approval
            else t("within policy")
            if not f.beyond
            else t("beyond the policy limit, already approved")
        )
        lines.append(
            ("! " if f.needs_approval else "  ")
            + t("{measure}: the text says {found} (record: {record}) — {status}").format(
                measure=t(_MEASURES.get(f.measure, f.measure)),
                found=found,
                record=f.record,
                status=status,
            )
        )
    lines.append(
        t("{count} item(s) need approval or review").format(count=review.approvals_needed)
        if review.approvals_needed
        else t("nothing to approve")
    )
    return "\n".join(lines) + "\n"


def _diff_lines(s: SectionReview) -> list[str]:
    """The diff as text: [-deleted-] and {+inserted+}, only the lines with changes."""
    text = "".join(
        c.text if c.op == "equal" else f"[-{c.text}-]" if c.op == "delete" else f"{{+{c.text}+}}"
        for c in s.diff
    )
    return [line for line in text.splitlines() if "[-" in line or "{+" in line][:20]


def as_html(review: Review, t: Translate) -> str:
    rows = []
    for s in review.sections:
        diff = "".join(
            escape(c.text)
            if c.op == "equal"
            else f"<del>{escape(c.text)}</del>"
            if c.op == "delete"
            else f"<ins>{escape(c.text)}</ins>"
            for c in s.diff
        ).replace("\n", "<br>")
        rows.append(
            f'<tr class="{"approve" if s.needs_approval else "ok"}"><td>{s.n}</td>'
            f"<td>{escape(s.title or s.id)}<br><small>{escape(s.id)}</small></td>"
            f"<td>{escape(_verdict(s, t))}</td><td>{escape(_action(s, t, review.roles))}</td>"
            f'<td class="diff">{diff}</td></tr>'
        )
    added = "".join(
        f'<tr class="approve"><td></td><td>{escape(a.after or "-")}</td>'
        f"<td>{escape(t(_OUTSIDE))}</td><td></td>"
        f'<td class="diff"><ins>{escape(a.text)}</ins></td></tr>'
        for a in review.added
    )
    figures = "".join(
        f'<li class="{"approve" if f.needs_approval else "ok"}">{escape(f.measure)}: '
        f"{escape(', '.join(map(str, f.found)) or '—')} ({escape(t(_RECORD))}: "
        f"{escape(str(f.record))}; {escape(f.limit)}"
        f"{'; ' + escape(f.approval) if f.needs_approval else ''})</li>"
        for f in review.figures
    )
    warnings = "".join(f"<p class=warn>{escape(t(w))}</p>" for w in review.warnings)
    summary = (
        t("{count} item(s) need approval or review").format(count=review.approvals_needed)
        if review.approvals_needed
        else t("nothing to approve")
    )
    title = t("Review of {file} — {reference} ({kind}, {locale})").format(
        file=review.file, reference=review.reference, kind=t(review.kind), locale=review.locale
    )
    return (
        f'<!DOCTYPE html><html lang="{escape(review.locale)}"><head><meta charset="utf-8">'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'\">"
        f"<title>{escape(title)}</title><style>body{{font:14px sans-serif;margin:2em}}"
        "table{border-collapse:collapse}td{border:1px solid #ccc;padding:4px;vertical-align:top}"
        "tr.approve td:first-child{border-left:4px solid #b45309}del{color:#b91c1c}"
        "ins{color:#15803d}.diff{max-width:60em}.warn{color:#b45309}</style></head><body>"
        f"<h1>{escape(title)}</h1>{warnings}<p><strong>{escape(summary)}</strong></p>"
        f"<table>{''.join(rows)}{added}</table><ul>{figures}</ul></body></html>\n"
    )
