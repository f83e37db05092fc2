"""What templates can use is declared once (context.VARIABLE_TYPES, templating's
FILTER_NAMES and FUNCTION_NAMES); the render context and the lint agree with it."""

from __future__ import annotations

from propgen.assemble import render_context
from propgen.context import VARIABLE_TYPES, label_function, template_filters
from propgen.library import Library, bundled_library_root
from propgen.locale import Formatter
from propgen.needs.loader import load_needs
from propgen.pipeline import assembly_inputs
from propgen.plan import plan_documents
from propgen.templating import FILTER_NAMES, FUNCTION_NAMES, HELPERS, markdown_environment
from support import ROOT

SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"


def test_the_filters_are_the_declared_ones() -> None:
    assert tuple(template_filters(Formatter("en-US", "USD"))) == FILTER_NAMES
    env = markdown_environment()
    assert set(FILTER_NAMES) <= set(env.filters)
    assert set(FUNCTION_NAMES) <= set(env.globals)


def test_templates_see_exactly_the_declared_variables_and_helpers() -> None:
    library = Library(bundled_library_root())
    plan = plan_documents(load_needs(SAMPLE), library)
    inputs = assembly_inputs(plan, library)
    fmt = Formatter(plan.record.document.locale, plan.record.document.currency)
    context = render_context(inputs, fmt, label_function(inputs.labels), {"ref": lambda *_: ""})
    helpers = context.pop(HELPERS)
    assert set(context) == set(VARIABLE_TYPES)
    assert set(helpers) == {*FILTER_NAMES, *FUNCTION_NAMES}
