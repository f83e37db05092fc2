"""propgen: proposals and contract drafts from one needs record per deal.

The public API::

    from propgen import check, render, load_needs
    checked = check("deal.yaml")          # validate, plan, price, assemble
    render("deal.yaml", "out/")          # … and write DOCX, PDF, provenance

Names are imported on first use, so ``import propgen`` (and ``propgen --help``)
stays cheap.
"""

from __future__ import annotations

import importlib

TYPE_CHECKING = False
"""Not ``typing.TYPE_CHECKING``: importing typing would cost ``propgen --help`` 12 ms."""
__version__ = "0.1.0"

_EXPORTS = {
    "Checked": "propgen.pipeline",
    "Rendered": "propgen.pipeline",
    "check": "propgen.pipeline",
    "render": "propgen.pipeline",
    "DocumentError": "propgen.errors",
    "EnvironmentProblem": "propgen.errors",
    "InvalidInput": "propgen.errors",
    "LibraryError": "propgen.errors",
    "NeedsError": "propgen.errors",
    "OtherRevision": "propgen.errors",
    "PolicyError": "propgen.errors",
    "Problem": "propgen.errors",
    "PropgenError": "propgen.errors",
    "ResourceLimit": "propgen.errors",
    "Library": "propgen.library",
    "LoadedNeeds": "propgen.needs.loader",
    "load_needs": "propgen.needs.loader",
    "NeedsRecord": "propgen.needs.models",
    "PriceBreakdown": "propgen.pricing",
    "price": "propgen.pricing",
}

__all__ = [
    "Checked",
    "DocumentError",
    "EnvironmentProblem",
    "InvalidInput",
    "Library",
    "LibraryError",
    "LoadedNeeds",
    "NeedsError",
    "NeedsRecord",
    "OtherRevision",
    "PolicyError",
    "PriceBreakdown",
    "Problem",
    "PropgenError",
    "Rendered",
    "ResourceLimit",
    "__version__",
    "check",
    "load_needs",
    "price",
    "render",
]

if TYPE_CHECKING:
    from propgen.errors import (
        DocumentError,
        EnvironmentProblem,
        InvalidInput,
        LibraryError,
        NeedsError,
        OtherRevision,
        PolicyError,
        Problem,
        PropgenError,
        ResourceLimit,
    )
    from propgen.library import Library
    from propgen.needs.loader import LoadedNeeds, load_needs
    from propgen.needs.models import NeedsRecord
    from propgen.pipeline import Checked, Rendered, check, render
    from propgen.pricing import PriceBreakdown, price


def __getattr__(name: str) -> object:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'propgen' has no attribute {name!r}")
