"""The renderers' own guards, each shown to fire: strict DOCX XML and text check,
no PDF attachments whatever the markup says, time and size limits, Jinja version."""

from __future__ import annotations

import dataclasses
import functools
import gc
import signal
import sys
from pathlib import Path

import jinja2
import pytest
from hostile_support import THEME, attachments, pdf_plain, sample_record, write_record
from markupsafe import Markup

from propgen import document as dm
from propgen.errors import EnvironmentProblem, PropgenError, ResourceLimit
from propgen.guard import MAX_CHARACTERS, check_size, limits
from propgen.pipeline import check
from propgen.render import docx as docx_module
from propgen.render import html as html_module
from propgen.render.docx import render_docx
from propgen.render.docx_verify import verify_docx
from propgen.render.pdf import render_pdf
from propgen.templating import sandbox


@pytest.fixture(scope="module")
def proposal(tmp_path_factory: pytest.TempPathFactory) -> dm.Document:
    record = sample_record()
    record["customer"]["name"] = "Tom & Jerry <select> Ltd"
    needs = write_record(tmp_path_factory.mktemp("needs"), record)
    return check(needs, only="proposal").documents["proposal"]


@pytest.fixture(scope="module")
def proposal_docx(proposal: dm.Document) -> bytes:
    return render_docx(proposal, THEME)


def test_verify_accepts_the_real_document(proposal: dm.Document, proposal_docx: bytes) -> None:
    verify_docx(proposal_docx, proposal, {"title", "header", "footer", "line.value"})


def _with_extra_paragraph(document: dm.Document, text: str) -> dm.Document:
    last = document.blocks[-1]
    assert isinstance(last, dm.Section)
    grown = dm.Section(last.source_id, (*last.blocks, dm.Paragraph((dm.Text(text),))))
    return dataclasses.replace(document, blocks=(*document.blocks[:-1], grown))


def test_verify_notices_lost_text(proposal: dm.Document, proposal_docx: bytes) -> None:
    claimed = _with_extra_paragraph(proposal, "The liability cap is twelve months.")
    with pytest.raises(PropgenError, match="lost text: 'The liability cap"):
        verify_docx(proposal_docx, claimed)


def test_verify_notices_a_lost_section(proposal: dm.Document, proposal_docx: bytes) -> None:
    extra = dm.Section("warranty-disclaimer", (dm.Paragraph((dm.Text("x"),)),))
    claimed = dataclasses.replace(proposal, blocks=(*proposal.blocks, extra))
    with pytest.raises(PropgenError, match="lost section 'warranty-disclaimer'"):
        verify_docx(proposal_docx, claimed)


def test_verify_notices_a_lost_frame_field(proposal: dm.Document, proposal_docx: bytes) -> None:
    meta = dataclasses.replace(proposal.meta, notice="Unapproved: liability cap 36 months")
    with pytest.raises(PropgenError, match="lost the notice"):
        verify_docx(proposal_docx, dataclasses.replace(proposal, meta=meta), {"notice"})


def test_unescaped_frame_values_fail_loudly_instead_of_dropping_text(
    proposal: dm.Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What docxtpl does with autoescape off (``<select>`` swallows what follows)
    becomes an error, because the rendered XML is parsed strictly."""
    monkeypatch.setattr(docx_module, "_finalize", lambda v: Markup(v) if isinstance(v, str) else v)
    # the frame's environment is made once per process: a fresh one, with that finalize
    fresh = functools.cache(docx_module._frame_environment.__wrapped__)
    monkeypatch.setattr(docx_module, "_frame_environment", fresh)
    with pytest.raises(PropgenError, match="malformed XML"):
        render_docx(proposal, THEME)


def test_markup_asking_for_attachments_gets_none(
    proposal: dm.Document, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even if the page's markup named files to attach (it never does), none are."""
    inside = (THEME / "print.css").resolve().as_uri()
    build = html_module.build_html

    def with_attachments(document: dm.Document, theme_dir: Path, *, standalone: bool) -> str:
        page = build(document, theme_dir, standalone=standalone)
        links = (
            f'<link rel="attachment" href="{inside}">'
            f'<a rel="attachment" href="{inside}">attached</a>'
        )
        return page.replace("</head>", f"{links}</head>", 1).replace(
            '<main class="body">', f'<main class="body"><p>{links}</p>', 1
        )

    monkeypatch.setattr("propgen.render.pdf.build_html", with_attachments)
    assert attachments(render_pdf(proposal, THEME)) == []


def test_pdf_time_limit(proposal: dm.Document, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "0.05")
    with pytest.raises(ResourceLimit, match=r"took longer than 0\.05 seconds"):
        render_pdf(proposal, THEME)


# Stopped mid-read, python-docx leaves its template's zip for the garbage collector to
# close; the warning that closing gives says nothing about the limit.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_docx_time_limit(proposal: dm.Document, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "0.01")
    with pytest.raises(ResourceLimit, match="took longer than"):
        render_docx(proposal, THEME)
    gc.collect()  # close what the interrupted read left, under this test's filters


def test_an_alarm_inside_a_gc_callback_is_deferred_not_dropped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Hypothesis, profilers and APM agents register gc callbacks; Python prints and
    drops an exception raised in one. The limit must still stop the block."""
    dropped: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", dropped.append)
    calls: list[str] = []

    def ringing_callback(phase: str, info: dict[str, int]) -> None:
        calls.append(phase)
        if len(calls) == 1:
            signal.raise_signal(signal.SIGALRM)  # the alarm rings in here, deterministically

    gc.collect()  # earlier tests' garbage: its __del__ methods would run in the block
    gc.callbacks.append(ringing_callback)
    try:
        with pytest.raises(ResourceLimit, match="took longer than"), limits("it", seconds=60):
            gc.collect()
            signal.pause()  # until the deferred ring, which must come once the callback returns
    finally:
        gc.callbacks.remove(ringing_callback)
    assert calls and dropped == []


def test_oversized_document_is_refused_before_layout(proposal: dm.Document) -> None:
    huge = _with_extra_paragraph(proposal, "x" * (MAX_CHARACTERS + 1))
    with pytest.raises(ResourceLimit, match="characters of text"):
        check_size(huge)
    with pytest.raises(ResourceLimit):
        render_pdf(huge, THEME)


def test_old_jinja_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja2, "__version__", "3.1.5")
    with pytest.raises(EnvironmentProblem, match="sandbox escapes"):
        sandbox(None)


def test_a_word_longer_than_the_line_wraps_instead_of_leaving_the_page(tmp_path: Path) -> None:
    token = "DE89370400440532013000" * 12 + "ENDMARK"
    record = sample_record()
    record["customer"]["name"] = "N" * 300 + "NAMEEND"
    record["solution"]["modules"][0]["description"] = token  # a table cell
    record["discovery"]["situation"] = [f"IBAN {token}"]
    document = check(write_record(tmp_path, record), only="proposal").documents["proposal"]
    text = pdf_plain(render_pdf(document, THEME))
    assert text.count("ENDMARK") >= 2 and "NAMEEND" in text


def test_an_alarm_ringing_as_the_limit_ends_is_not_left_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On a busy machine the re-ring can come while the limit is being taken down (it
    once crashed a test worker half a second later, in pytest's own report code). The
    ring is made to come exactly there: when the timer is being stopped."""
    real_setitimer = signal.setitimer
    rung: list[float] = []

    def ring_first(which: int, seconds: float, interval: float = 0.0) -> tuple[float, float]:
        if seconds == 0 and not rung:
            rung.append(seconds)
            signal.raise_signal(signal.SIGALRM)
        return real_setitimer(which, seconds, interval)

    monkeypatch.setattr(signal, "setitimer", ring_first)  # the module propgen.guard uses
    before = signal.getsignal(signal.SIGALRM)
    try:
        with pytest.raises(ResourceLimit, match="took longer than"), limits("it", seconds=60):
            signal.raise_signal(signal.SIGALRM)  # the limit is reached
    finally:  # what the limit left behind, then cleaned up so a failure stays in this test
        handler_after = signal.getsignal(signal.SIGALRM)
        timer_after = real_setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)
    assert rung, "the timer was never stopped"
    assert handler_after == before
    assert timer_after == (0.0, 0.0)
