"""PDF profiles: which kind of PDF a render writes (``render --pdf-profile``).

- ``standard`` (default): PDF 1.7, nothing attached.
- ``archival``: PDF/A-3b, with the deal embedded as associated files (the needs
  record as JSON and the build provenance) and an empty, named signature field for
  each signatory of a contract (and, in Chinese contracts, a seal field for each
  party's chop), so an e-signature platform or any PDF signer can fill them.
- ``tagged``: PDF/UA-1, a tagged PDF for assistive technology.

Every profile is deterministic: embedded files carry the document's own date, the
identifier is a hash of the content, so the same input still gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

PdfProfile = Literal["standard", "archival", "tagged"]
PDF_PROFILES: tuple[PdfProfile, ...] = get_args(PdfProfile)

_VARIANTS: dict[PdfProfile, str | None] = {
    "standard": None,
    "archival": "pdf/a-3b",
    "tagged": "pdf/ua-1",
}


@dataclass(frozen=True)
class EmbeddedFile:
    """A file propgen itself embeds in a PDF (never one the document's data names)."""

    name: str
    data: bytes
    description: str


@dataclass(frozen=True)
class PdfOptions:
    """How to write one PDF: its profile and, for ``archival``, the files to embed."""

    profile: PdfProfile = "standard"
    embedded: tuple[EmbeddedFile, ...] = ()

    @property
    def variant(self) -> str | None:
        """WeasyPrint's ``pdf_variant`` for this profile."""
        return _VARIANTS[self.profile]

    @property
    def signable(self) -> bool:
        """Whether signature fields are added where the document has signature boxes."""
        return self.profile == "archival"
