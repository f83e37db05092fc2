"""What decides a render's bytes besides its inputs: the installed fonts, and the
versions of propgen and of the libraries that lay out and write the files.

A cache of rendered results (:mod:`propgen.render.contents_cache`, the API's store)
keys its entries on this as well as on the document, so another font or another
release of a renderer is never served a result it would not have made.
"""

from __future__ import annotations

import functools
import hashlib
from importlib.metadata import version

RENDERERS = ("weasyprint", "pydyf", "python-docx", "docxtpl", "lxml")
"""The distributions whose release can change a PDF's or a DOCX's bytes."""


@functools.cache
def renderer_fingerprint() -> bytes:
    """A sha256 of the installed fonts (file, family, style, version, as fontconfig
    lists them: another font, and the same markup breaks its lines elsewhere) and of
    the versions of propgen and of :data:`RENDERERS`."""
    from propgen import __version__
    from propgen.fonts import fc_list

    fonts = sorted((fc_list(":", "file", "family", "style", "fontversion") or "").splitlines())
    versions = [f"propgen {__version__}", *(f"{name} {version(name)}" for name in RENDERERS)]
    return hashlib.sha256("\n".join([*versions, *fonts]).encode("utf-8")).digest()
