"""Checking unsaved form data with the core, and its HTML preview.

The data goes through the very pipeline ``propgen check`` runs (loader, schema,
plan, pricing, governance, assembly): it is written as JSON to a scratch file
and handed to :func:`propgen.pipeline.check`, so the problems shown under the
fields are the ones ``check`` prints. The HTML is the core's HTML renderer's
output — the page the PDF is laid out from.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from propgen.errors import InvalidInput, Problem, ResourceLimit
from propgen.guard import limits
from propgen.library import Library
from propgen.needs.models import Pricing, currencies
from propgen.pipeline import Checked, check
from propgen.pricing import PriceBreakdown, price


@dataclass(frozen=True)
class Preview:
    problems: tuple[Problem, ...] = ()
    checked: Checked | None = None
    pricing: PriceBreakdown | None = None
    """Priced from the pricing part alone when the rest of the record is invalid."""
    html: dict[str, str] = field(default_factory=dict)
    """Document kind → the standalone HTML page."""

    @property
    def ok(self) -> bool:
        return self.checked is not None


def check_data(
    data: dict[str, Any], library: Library, scratch: Path, *, html: bool = True
) -> Preview:
    """Check record data as ``propgen check`` would, and (``html``) render its HTML."""
    # One time and memory limit over the whole check: the ~75 Markdown texts and
    # templates inside it then skip setting up their own (a tenth of an edit's time).
    try:
        with limits("the preview"):
            return _check_data(data, library, scratch, html=html)
    except ResourceLimit as err:
        return Preview(problems=err.problems, pricing=_price_alone(data))


def _check_data(data: dict[str, Any], library: Library, scratch: Path, *, html: bool) -> Preview:
    handle, name = tempfile.mkstemp(suffix=".json", dir=scratch)
    path = Path(name)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False)
        try:
            checked = check(path, library=library)
        except InvalidInput as err:
            return Preview(problems=err.problems, pricing=_price_alone(data))
    finally:
        path.unlink(missing_ok=True)
    if not html:
        return Preview(checked=checked, pricing=checked.pricing)
    from propgen.render import render_document

    pages: dict[str, str] = {
        str(kind): render_document(document, library.theme_dir, "html").decode("utf-8")
        for kind, document in checked.documents.items()
    }
    return Preview(checked=checked, pricing=checked.pricing, html=pages)


def _price_alone(data: dict[str, Any]) -> PriceBreakdown | None:
    """Live totals while another part of the record is still wrong."""
    document = data.get("document")
    currency = document.get("currency") if isinstance(document, dict) else None
    if not isinstance(currency, str) or currency not in currencies():
        return None
    try:
        return price(Pricing.model_validate(data.get("pricing")), currency)
    except (ValidationError, ArithmeticError):
        return None


def running_sums(pricing: PriceBreakdown) -> list[Decimal]:
    """The payment schedule's cumulative percent after each instalment (instalments
    by contract year have no percent; they count as their share of the total)."""
    sums, total = [], Decimal(0)
    for step in pricing.instalments:
        if step.percent is not None:
            total += step.percent
        elif pricing.total:
            total += step.amount * 100 / pricing.total
        sums.append(total)
    return sums
