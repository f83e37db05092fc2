"""Templates see plain, immutable data: nothing they reach can be called except an
explicit allow-list of pure helpers (issue 11, item 1).

The walk goes through the sandbox's own attribute and item access, from the real
context every sample renders with, so it sees exactly what a template can see.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hostile_support import ROOT, SAMPLE
from test_library_attacks import plant, render_against

from conftest import Result
from propgen.assemble import render_context
from propgen.context import label_function
from propgen.library.store import Library
from propgen.locale import Formatter
from propgen.needs.loader import load_needs
from propgen.pipeline import assembly_inputs
from propgen.plan import plan_documents
from propgen.templating import markdown_environment

Run = Callable[..., Result]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    copy = tmp_path / "library"
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "snippets", copy / "snippets")
    return copy


SAMPLES = sorted((ROOT / "templates" / "industry").glob("*/sample.*.yaml"))

# The allow-list, written out here on purpose: widening it is a reviewed change.
STR_METHODS = set(
    [
        "lower",
        "upper",
        "title",
        "capitalize",
        "casefold",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "splitlines",
        "count",
        "find",
        "rfind",
        "isalpha",
        "isalnum",
        "isdigit",
        "isdecimal",
        "isnumeric",
        "isspace",
        "islower",
        "isupper",
        "istitle",
    ]
)
MAPPING_METHODS = {"get", "keys", "values", "items"}
GLOBALS = {"range", "dict", "lipsum", "cycler", "joiner", "namespace", "ref", "label"}


def _allowed(value: Any, env: jinja2.Environment) -> bool:
    owner = getattr(value, "__self__", None)
    name = getattr(value, "__name__", "")
    if isinstance(owner, str):
        return name in STR_METHODS
    if isinstance(owner, Mapping):
        return name in MAPPING_METHODS
    return any(value is env.globals[g] for g in GLOBALS)


def _reachable(env: jinja2.Environment, roots: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Every value a template can reach from ``roots``, with the path to it."""
    seen: set[int] = set()
    stack = list(roots.items())
    while stack:
        path, value = stack.pop()
        yield path, value
        if id(value) in seen:
            continue
        seen.add(id(value))
        for attr in sorted(set(dir(type(value))) | set(dir(value))):
            found = env.getattr(value, attr)
            if not isinstance(found, jinja2.Undefined):
                stack.append((f"{path}.{attr}", found))
        if isinstance(value, Mapping):
            stack.extend((f"{path}[{k!r}]", env.getitem(value, k)) for k in value)
        elif isinstance(value, tuple | list):
            stack.extend((f"{path}[{i}]", env.getitem(value, i)) for i in range(len(value)))


def _context(sample: Path) -> dict[str, Any]:
    library = Library(ROOT)
    plan = plan_documents(load_needs(sample), library, allow_draft=True)
    inputs = assembly_inputs(plan, library)
    record = plan.record
    fmt = Formatter(record.document.locale, record.document.currency)
    return render_context(inputs, fmt, label_function(inputs.labels), {"ref": str})


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_nothing_a_template_reaches_is_callable_beyond_the_allow_list(sample: Path) -> None:
    env = markdown_environment()
    context = _context(sample)
    visible = {name: value for name, value in context.items() if name.isidentifier()}
    assert set(visible) >= {"customer", "pricing", "seller", "terms", "document"}
    roots = {**visible, **{name: env.globals[name] for name in GLOBALS}}
    reached = list(_reachable(env, roots))
    bad = [path for path, value in reached if callable(value) and not _allowed(value, env)]
    assert bad == []
    paths = {path for path, _ in reached}
    # The walk really walks: fields deep down are reached, methods of models are not.
    assert "customer.legal" in paths and "pricing.lines[0].item.name" in paths
    assert not any(p.endswith((".parse_raw", ".parse_file", ".model_copy")) for p in paths)


def test_helpers_are_out_of_the_templates_reach() -> None:
    """The document's filters and functions live under a key no template can name."""
    context = _context(SAMPLE)
    hidden = [name for name in context if not name.isidentifier()]
    assert len(hidden) == 1 and callable(context[hidden[0]]["money"])


# --- the attack of issue 11: pydantic's parse_raw unpickles, parse_file reads files --------

PICKLE = "cos\nsystem\n(S'touch {canary}'\ntR."


def _exploits(canary: Path) -> list[str]:
    payload = PICKLE.format(canary=canary)
    return [
        f"customer.parse_raw({payload!r}, content_type='application/pickle', allow_pickle=True)",
        f"pricing.lines[0].item.parse_raw({payload!r}, content_type='application/pickle', "
        "allow_pickle=True)",
        "customer.parse_file('/etc/hostname')",
        "customer.model_validate_json('{}')",
        "document.__class__.parse_raw('{}')",
        "seller.bank.copy()",
        "customer.name.encode()",
        "customer.name.format(customer)",
        "pricing.total.quantize(1)",
    ]


def _canary(tmp_path: Path) -> Path:
    return tmp_path / "pwned"


@pytest.mark.parametrize("index", range(9))
def test_section_text_cannot_call_model_methods(
    run: Run, library: Path, tmp_path: Path, index: int
) -> None:
    canary = _canary(tmp_path)
    path = plant(library, text="{{ " + _exploits(canary)[index] + " }}")
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert str(path) in result.err
    assert not canary.exists()


@pytest.mark.parametrize("index", [0, 2])
def test_condition_cannot_call_model_methods(
    run: Run, library: Path, tmp_path: Path, index: int
) -> None:
    canary = _canary(tmp_path)
    path = plant(library, when=_exploits(canary)[index])
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert str(path) in result.err and "has no field" in result.err
    assert not canary.exists()


def test_check_and_library_check_refuse_the_exploit_without_running_it(
    run: Run, library: Path, tmp_path: Path
) -> None:
    canary = _canary(tmp_path)
    path = plant(library, text="{{ " + _exploits(canary)[0] + " }}")
    checked: Result = run("check", SAMPLE, "--library", library)
    assert checked.code == 2 and str(path) in checked.err, checked.err
    linted: Result = run("library", "check", "--library", library)
    assert linted.code == 2, linted.err
    assert "customer has no field 'parse_raw'" in linted.err, linted.err
    assert "Traceback" not in checked.err + linted.err
    assert not canary.exists()


def test_library_check_names_model_methods_in_conditions(
    run: Run, library: Path, tmp_path: Path
) -> None:
    path = plant(library, when="customer.parse_file('/etc/hostname')")
    linted: Result = run("library", "check", "--library", library)
    assert linted.code == 2 and str(path) in linted.err, linted.err
    assert "customer has no field 'parse_file'" in linted.err, linted.err


# --- the Word frame: plain data too ------------------------------------------------------


def _edit_frame(library: Path, old: str, new: str) -> None:
    frame = library / "templates" / "theme" / "frame.docx"
    with zipfile.ZipFile(frame) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    assert old in xml
    members["word/document.xml"] = xml.replace(old, new, 1).encode("utf-8")
    with zipfile.ZipFile(frame, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)


@pytest.mark.parametrize(
    "expression",
    [
        'logo.tpl.save("{target}")',
        'logo.tpl.docx.save("{target}")',
        "cover_lines[0].clear()",
        "title.encode()",
    ],
)
def test_word_frame_sees_plain_data(
    run: Run, library: Path, tmp_path: Path, expression: str
) -> None:
    target = tmp_path / "written-by-the-frame.docx"
    statement = "{% if " + expression.format(target=target) + " %}x{% endif %}"
    _edit_frame(library, "{{ title }}", statement + "{{ title }}")
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert "the Word frame does not render" in result.err, result.err
    assert not target.exists()


def test_word_frame_still_places_its_logo(run: Run, library: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result: Result = run(
        "render", SAMPLE, "-o", out, "--library", library, "--only", "proposal", "--format", "docx"
    )
    assert result.code == 0, result.err
    (docx,) = out.glob("*.docx")
    with zipfile.ZipFile(docx) as archive:
        assert any(name.startswith("word/media/") for name in archive.namelist())
