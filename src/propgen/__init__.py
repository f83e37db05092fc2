"""propgen: proposals and contract drafts from one needs record per deal.

The public API::

    from propgen import check, render, load_needs
    checked = check("deal.yaml")          # validate, plan, price, assemble
    render("deal.yaml", "out/")          # … and write DOCX, PDF, provenance
"""

from propgen.errors import (
    EnvironmentProblem,
    InvalidInput,
    LibraryError,
    NeedsError,
    PolicyError,
    Problem,
    PropgenError,
)
from propgen.library import Library
from propgen.needs.loader import LoadedNeeds, load_needs
from propgen.needs.models import NeedsRecord
from propgen.pipeline import Checked, Rendered, check, render
from propgen.pricing import PriceBreakdown, price

__version__ = "0.1.0"

__all__ = [
    "Checked",
    "EnvironmentProblem",
    "InvalidInput",
    "Library",
    "LibraryError",
    "LoadedNeeds",
    "NeedsError",
    "NeedsRecord",
    "PolicyError",
    "PriceBreakdown",
    "Problem",
    "PropgenError",
    "Rendered",
    "__version__",
    "check",
    "load_needs",
    "price",
    "render",
]
