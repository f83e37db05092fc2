"""Properties over hostile input (hypothesis).

* Any text put into a record is either rejected with an error naming its field,
  or printed literally in both the DOCX and the PDF.
* ``safe_name`` keeps every output inside the output folder, whatever the reference.
* Rendering the same record twice, even in another process with another hash
  seed, gives byte-identical DOCX, PDF and provenance.

Renders are slow (about 2 s for a proposal's DOCX and PDF), so example counts
are kept small and failures are not shrunk; hypothesis' database replays any
failure it found first.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from hostile_support import (
    ROOT,
    comparable,
    docx_plain,
    pdf_plain,
    right_to_left,
    sample_record,
    write_record,
)
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from propgen.commit import write_all
from propgen.errors import NeedsError
from propgen.output import MAX_NAME, safe_name
from propgen.pipeline import check, render
from propgen.render.docx import render_docx
from propgen.render.pdf import render_pdf

PIECES = [
    "{{ 7*7 }}", "{% if x %}", "{#", "#}", "{_{", "}_}", "{%p", "<select>", "</w:t>",
    "<w:p>", "]]>", "<![CDATA[", "&amp;", "&#x202E;", "&", "<", ">", '"', "'", "**", "__",
    "# ", "- ", "1. ", "> ", "| a | b |", "\\", "`", "[x](http://e.com)", "![i](file:///etc/passwd)",
    "\n", "\n\n", "\t", "  ", "0", "NO", "010", "12:30", "~", "null",
]  # fmt: skip
HOSTILE = st.sampled_from(
    [
        "\x00", "\x07", "\x1b", "\x85", "\u202e", "\u2066", "\u200f", "\u2028", "\ufeff",
        "\ufffe", "\ufdd0", "\ue000", "\ufffd", "\u200d", "\u00ad", "\u0301", "\U0002a6d6",
    ]
)  # fmt: skip
PRINTABLE = st.one_of(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),  # ASCII, every metacharacter
    st.characters(min_codepoint=0xA0, max_codepoint=0x24F),  # Latin-1, Latin Extended
    st.characters(min_codepoint=0x370, max_codepoint=0x4FF),  # Greek, Cyrillic
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
    st.characters(min_codepoint=0x5D0, max_codepoint=0x5EA),  # Hebrew letters
    st.characters(min_codepoint=0x627, max_codepoint=0x64A),  # Arabic letters
)
ANY = st.one_of(
    PRINTABLE,
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1F64F),  # emoji (some have no font)
    st.characters(codec="utf-8"),  # anything at all, unassigned included
    st.characters(categories=["Cs"]),  # lone surrogates
    HOSTILE,
)
PIECE = st.one_of(
    st.sampled_from(PIECES),
    # a word longer than any line (URL, IBAN): must wrap, not run off the page
    st.text(st.characters(min_codepoint=0x41, max_codepoint=0x5A), min_size=90, max_size=160),
)
TEXTS = st.one_of(
    # Mostly text that should print, so most examples get rendered ...
    st.lists(st.one_of(PIECE, PRINTABLE), min_size=1, max_size=14).map("".join),
    st.lists(st.one_of(PIECE, PRINTABLE), min_size=1, max_size=14).map("".join),
    # ... and some with anything at all in it.
    st.lists(st.one_of(PIECE, ANY), min_size=1, max_size=14).map("".join),
)

FIELDS = {"customer.name", "discovery.situation[0]"}
EXAMPLES = int(os.environ.get("PROPGEN_HOSTILE_EXAMPLES", "12"))
"""Renders per run; raise it for a longer hunt (``PROPGEN_HOSTILE_EXAMPLES=500``)."""


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # No shrinking: each step renders a PDF, and shrinking a failure took minutes.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(name=TEXTS, answer=TEXTS)
def test_text_is_rejected_naming_its_field_or_printed_literally(name: str, answer: str) -> None:
    record = sample_record()
    record["customer"]["name"] = name
    record["discovery"]["situation"] = [answer]
    with tempfile.TemporaryDirectory() as folder:
        path = write_record(Path(folder), record)
        try:
            checked = check(path, only="proposal")
        except NeedsError as err:
            event("rejected")
            named = {problem.field for problem in err.problems}
            assert named and named <= FIELDS, str(err)
            for problem in err.problems:
                assert str(path) in str(problem) and problem.line, str(problem)
            return
    event("rendered")
    document = checked.documents["proposal"]
    theme = checked.library.theme_dir
    docx = comparable(docx_plain(render_docx(document, theme)))
    pdf = comparable(pdf_plain(render_pdf(document, theme)))
    # With right-to-left text on the page, text extraction returns RTL runs in
    # visual order, and a mirrored bracket shares one glyph (so one text mapping)
    # with its partner: compare characters, brackets aside. The DOCX stays exact.
    bidi = right_to_left(name) or right_to_left(answer)
    for value in (name, answer):
        wanted = comparable(value)
        assert wanted in docx, f"{value!r} not literally in the DOCX"
        if bidi:
            missing = Counter(unmirrored(wanted)) - Counter(unmirrored(pdf))
            assert not missing, f"{value!r} not in the PDF: {missing}"
        else:
            assert wanted in pdf, f"{value!r} not literally in the PDF"


def unmirrored(text: str) -> str:
    return "".join(ch for ch in text if not unicodedata.mirrored(ch))


@settings(max_examples=300, deadline=None)
@given(reference=st.text() | st.sampled_from(["..", ".", "CON", "-rf", "nul.txt", "../x"]))
def test_safe_name_stays_inside_the_output_folder(reference: str) -> None:
    stem = safe_name(reference)
    assert stem and len(stem) <= MAX_NAME + len("document-")
    assert not stem.startswith(("-", ".")) and ".." not in stem
    assert all(ch.isprintable() and ch not in '/\\:*?"<>|' for ch in stem)
    root = Path("/srv/out")
    for suffix in ("-proposal.docx", "-contract.pdf", ".provenance.json"):
        name = stem + suffix
        assert len(name.encode("utf-8")) + len(".-x.tmp") + 8 <= 255
        assert os.path.normpath(root / name) == str(root / name)
        assert (root / name).parent == root


@settings(max_examples=25, deadline=None)
@given(reference=st.text(min_size=1, max_size=80))
def test_files_named_from_any_reference_are_written_inside(reference: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        name = safe_name(reference) + "-proposal.docx"
        write_all(out, {name: b"x"})
        assert [p.name for p in out.iterdir()] == [name]
        assert [p.name for p in Path(folder).iterdir()] == ["out"]


TRICKY_NAME = "Ümlaut & <Söhne> {{ 7*7 }} 株式会社 «Q»"


def _render_in_subprocess(needs: Path, out: Path) -> None:
    code = (
        "import sys; from propgen.pipeline import render; "
        "render(sys.argv[1], sys.argv[2], only='proposal')"
    )
    env = {**os.environ, "PYTHONHASHSEED": "4242"}
    subprocess.run(
        [sys.executable, "-c", code, str(needs), str(out)],
        check=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )


def test_rerendering_gives_identical_bytes(tmp_path: Path) -> None:
    record = sample_record()
    record["customer"]["name"] = TRICKY_NAME
    needs = write_record(tmp_path, record)
    first, second = tmp_path / "first", tmp_path / "second"
    render(needs, first, only="proposal")
    _render_in_subprocess(needs, second)
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    assert names
    assert {n.rsplit(".", 1)[-1] for n in names} == {"docx", "pdf", "json"}
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
