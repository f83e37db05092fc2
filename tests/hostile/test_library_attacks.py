"""A semi-trusted library trying to escape the sandbox or hang the run.

Each test copies the bundled library, plants one hostile template, and renders the
SaaS sample against it with ``--library``: a clean exit 2 naming the library file,
never a traceback, never a hang, and the output folder untouched.
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hostile_support import ROOT, SAMPLE

from conftest import Result

Run = Callable[..., Result]

SECTION = Path("snippets/sections/understanding.yaml")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    copy = tmp_path / "library"
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "snippets", copy / "snippets")
    return copy


def plant(library: Path, text: str | None = None, when: str | None = None) -> Path:
    path = library / SECTION
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if text is not None:
        data["text"]["en-US"] = text
    if when is not None:
        data["when"] = when
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def render_against(run: Run, library: Path, tmp_path: Path) -> Result:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("previous", encoding="utf-8")
    result: Result = run(
        "render", SAMPLE, "-o", out, "--library", library, "--only", "proposal", "--format", "docx"
    )
    assert [p.name for p in out.iterdir()] == ["keep.txt"]
    assert "Traceback" not in result.err and "unexpected failure" not in result.err, result.err
    return result


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "unsafe"),
        ("{{ cycler.__init__.__globals__.os.system('id') }}", "unsafe"),
        ("{{ customer.__class__.__init__.__globals__ }}", "unsafe"),
        ("{{ customer.name.format_map }}{{ '{0.__class__}'.format(customer) }}", "unsafe"),
        ("{{ customer.contacts.append(1) }}", "no attribute 'append'"),
        ("{{ customer|attr('__dict__') }}", "__dict__"),
        ("{{ self.__init__.__globals__ }}", "unsafe"),
        ("{% include '/etc/passwd' %}", "template failed"),
        ("{% extends 'base.html' %}", "template failed"),
        ("{{ 'x' * 1000000000 }}", "may not build text or lists this long"),
        ("{{ 2 ** 10000000 }}", "too large for a template"),
        ("{{ range(10**9)|list }}", "Range too big"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "recurses too deeply"),
        ("{{ no_such_variable }}", "no_such_variable"),
        ("{{ customer.no_such_field }}", "no_such_field"),
        ("{{ 1 / 0 }}", "division by zero"),
        ("{% for %}", "template syntax error"),
        ("{{ ref('confidentiality') }}", "only works in clause text"),
    ],
)
def test_hostile_section_template_is_a_clean_library_error(
    run: Run, library: Path, tmp_path: Path, template: str, expected: str
) -> None:
    path = plant(library, text=template)
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert str(path) in result.err and expected in result.err, result.err


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("''.__class__.__mro__", "unsafe"),
        ("1 / 0", "division by zero"),
        ("range(10**9)|list", "Range too big"),
        ("discovery.situation.pop()", "no attribute 'pop'"),
        ("{}['x'] > 1", "condition failed"),
    ],
)
def test_hostile_condition_is_a_clean_library_error(
    run: Run, library: Path, tmp_path: Path, condition: str, expected: str
) -> None:
    path = plant(library, when=condition)
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert str(path) in result.err and expected in result.err, result.err


def test_a_template_that_would_run_for_hours_is_stopped(
    run: Run, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "1")
    path = plant(
        library,
        text="{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    )
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert str(path) in result.err and "took longer than 1 seconds" in result.err


def test_library_markdown_that_would_lose_text_is_refused(
    run: Run, library: Path, tmp_path: Path
) -> None:
    plant(library, text=">" * 40 + " the liability cap is 12 months")
    result = render_against(run, library, tmp_path)
    assert result.code == 2 and "nested too deeply" in result.err, result.err


def test_word_frame_cannot_escape_the_sandbox(run: Run, library: Path, tmp_path: Path) -> None:
    """docxtpl gets propgen's sandbox, not its own default environment."""
    frame = library / "templates" / "theme" / "frame.docx"
    with zipfile.ZipFile(frame) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    xml = members["word/document.xml"].decode("utf-8")
    assert "{{ title }}" in xml
    members["word/document.xml"] = xml.replace(
        "{{ title }}", "{{ title.__class__.__mro__[1].__subclasses__() }}"
    ).encode("utf-8")
    with zipfile.ZipFile(frame, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)
    result = render_against(run, library, tmp_path)
    assert result.code == 2, result.err
    assert "the Word frame does not render" in result.err and "unsafe" in result.err
