"""Empty, named signature fields placed on a laid-out PDF's signature boxes.

The HTML renderer marks each signature line and each seal area with
``data-field="NAME"``; after WeasyPrint has laid the document out, the boxes of
those elements give the rectangles, and :func:`add_signature_fields` (run by a
WeasyPrint *finisher*) adds one AcroForm signature field (``/FT /Sig``) per name to
the PDF before it is written — no second pass over the file, and the bytes stay
deterministic.

Fields are invisible until signed (an empty appearance stream, the print flag set,
as PDF/A requires of every widget). Signers that place by field name (腾讯电子签,
e签宝, DocuSign anchor-less flows, pyHanko) find ``Customer_Signature``,
``Supplier_Signature`` or, in Chinese contracts, ``PartyA_Signature``,
``PartyA_Seal``, ``PartyB_Signature`` and ``PartyB_Seal``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

FIELD_ATTRIBUTE = "data-field"
_PT_PER_PX = 0.75
"""PDF points per CSS pixel (72 / 96)."""
_SIGNATURE_HEIGHT_PX = 48.0
"""A signature line's field reaches this far above the rule (about 12.7 mm)."""
_SEAL_SIZE_PX = 160.0
"""A seal field is a square of about 42 mm: a company chop's usual size."""
_PRINT_FLAG = 4


@dataclass(frozen=True)
class SignatureField:
    """One field: its name, its page (0-based) and its rectangle in PDF points
    (left, bottom, right, top; origin at the page's bottom left)."""

    name: str
    page: int
    rect: tuple[float, float, float, float]


def find_signature_fields(document: Any) -> list[SignatureField]:
    """The fields a laid-out WeasyPrint document asks for, in page order.

    Raises:
        ValueError: two boxes claim the same field name.
    """
    found: dict[str, SignatureField] = {}
    for number, page in enumerate(document.pages):
        height = page.height
        for box in _marked_boxes(page._page_box):
            name = box.element.get(FIELD_ATTRIBUTE)
            if name in found:
                raise ValueError(f"signature field {name!r} appears twice")
            left, top = box.border_box_x(), box.border_box_y()
            right, bottom = left + box.border_width(), top + box.border_height()
            if name.endswith("_Seal"):
                bottom = max(bottom, top + _SEAL_SIZE_PX)
                right = min(right, left + _SEAL_SIZE_PX)
            else:
                top = bottom - _SIGNATURE_HEIGHT_PX
            found[name] = SignatureField(
                name=name,
                page=number,
                rect=(
                    round(left * _PT_PER_PX, 2),
                    round((height - bottom) * _PT_PER_PX, 2),
                    round(right * _PT_PER_PX, 2),
                    round((height - top) * _PT_PER_PX, 2),
                ),
            )
    return list(found.values())


def _marked_boxes(box: Any, seen: set[int] | None = None) -> Iterator[Any]:
    """The first box of each element carrying :data:`FIELD_ATTRIBUTE` (anonymous
    boxes inside it share its element and are skipped), depth first."""
    seen = set() if seen is None else seen
    element = getattr(box, "element", None)
    if element is not None and element.get(FIELD_ATTRIBUTE) and id(element) not in seen:
        seen.add(id(element))
        yield box
    for child in getattr(box, "children", ()):
        yield from _marked_boxes(child, seen)


def add_signature_fields(pdf: Any, fields: list[SignatureField]) -> None:
    """Add ``fields`` to a ``pydyf.PDF`` being written, as empty signature fields."""
    import pydyf

    if not fields:
        return
    page_numbers = pdf.pages["Kids"][::3]
    acroform = pdf.catalog.get("AcroForm")
    if acroform is None:
        acroform = pydyf.Dictionary({"Fields": pydyf.Array()})
        pdf.catalog["AcroForm"] = acroform
    for field in fields:
        page = pdf.objects[page_numbers[field.page]]
        left, bottom, right, top = field.rect
        appearance = pydyf.Stream(
            [],
            {
                "Type": "/XObject",
                "Subtype": "/Form",
                "BBox": pydyf.Array((0, 0, round(right - left, 2), round(top - bottom, 2))),
            },
        )
        pdf.add_object(appearance)
        widget = pydyf.Dictionary(
            {
                "Type": "/Annot",
                "Subtype": "/Widget",
                "FT": "/Sig",
                "T": pydyf.String(field.name),
                "TU": pydyf.String(field.name.replace("_", " ")),
                "Rect": pydyf.Array(field.rect),
                "F": _PRINT_FLAG,
                "P": page.reference,
                "AP": pydyf.Dictionary({"N": appearance.reference}),
            }
        )
        pdf.add_object(widget)
        page.setdefault("Annots", pydyf.Array()).append(widget.reference)
        acroform["Fields"].append(widget.reference)
