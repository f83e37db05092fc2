"""The PDF renderer: the HTML page laid out by WeasyPrint with ``theme/print.css``.

Safety: WeasyPrint may read only ``data:`` URIs and files inside the theme folder
(:func:`make_url_fetcher`); nothing touches the network, and nothing the document's
data names is attached (the laid-out document is stripped of attachments and
attachment links, whatever the markup said, before it is written). The only files a
PDF can carry are propgen's own, embedded by the ``archival`` profile
(:mod:`propgen.render.pdf_profile`). Rendering runs under :func:`~propgen.guard.limits`,
so a pathological document is stopped with an error instead of hanging a batch.
Determinism: the PDF identifier is a hash of the markup and stylesheet, the dates
come from ``meta.date_iso``; the same document gives the same bytes.
Speed: importing this module imports WeasyPrint (with fast library lookups, see
:mod:`propgen.render.libraries`); each theme's stylesheet is parsed once per process,
and each thread keeps one font configuration (:func:`_font_config`) for every PDF it lays
out.
Line breaking: a trailing space hangs (:mod:`propgen.render.hanging_space`).
Drawing: a contents leader's dots and the header's SVG logo are drawn once and their
operators written again (:mod:`propgen.render.draw_replay`; the same bytes).
"""

from __future__ import annotations

import functools
import hashlib
import mimetypes
import threading
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from urllib.request import DataHandler, Request, url2pathname

from propgen.confined import read_confined
from propgen.document import Document
from propgen.errors import EnvironmentProblem, LibraryError
from propgen.guard import check_size, limits
from propgen.i18n import N_
from propgen.locales import paper
from propgen.render import draw_replay, hanging_space
from propgen.render.html import ANYWHERE_CSS, BASELINE_CSS, STYLESHEET, build_html
from propgen.render.libraries import import_weasyprint
from propgen.render.page_overflow import wrappable_text_runs_off
from propgen.render.pdf_profile import PdfOptions

weasyprint = import_weasyprint()
hanging_space.install()
draw_replay.install()

__all__ = [
    "FetchRefused",
    "cjk_font_available",
    "contents_pages",
    "make_url_fetcher",
    "render_pdf",
]

_CJK_LANGUAGES = ("zh", "ja", "ko")
_baselines: dict[str, Any] = {}
_css_cache: dict[tuple[str, int, int], tuple[Any, bytes]] = {}
_css_lock = threading.Lock()
_paper_cache: dict[str, Any] = {}
_fonts = threading.local()


class FetchRefused(PermissionError):
    """WeasyPrint asked for a resource outside what a document may read."""


def render_pdf(document: Document, theme_dir: Path, options: PdfOptions | None = None) -> bytes:
    """The document as PDF bytes via WeasyPrint, with theme_dir/'print.css'.

    Args:
        options: the PDF profile and the files it embeds (default: a standard PDF).

    Raises:
        EnvironmentProblem: no CJK font for a Chinese document, no stylesheet.
        ResourceLimit: layout took too long or too much memory.
        FetchRefused: the markup or stylesheet asked for a resource outside the theme.
    """
    meta = document.meta
    check_size(document)
    with limits(
        N_("the PDF of {reference} ({document})").format(
            reference=meta.reference, document=meta.kind
        )
    ):
        return _render(document, theme_dir, options or PdfOptions())


def contents_pages(document: Document, theme_dir: Path) -> tuple[int, ...]:
    """The page of each contents entry (every heading the PDF outline lists), from
    WeasyPrint's layout of the document without writing a PDF: what a DOCX rendered
    without its PDF shows on its contents page. The same numbers as
    :func:`propgen.render.pdf_pages.contents_pages` reads from the PDF.

    Raises:
        EnvironmentProblem, ResourceLimit, FetchRefused: as :func:`render_pdf`.
    """
    meta = document.meta
    check_size(document)
    with limits(
        N_("the page layout of {reference} ({document})").format(
            reference=meta.reference, document=meta.kind
        )
    ):
        laid_out, _options = _layout(document, theme_dir, PdfOptions())
    return tuple(n for n, page in enumerate(laid_out.pages, start=1) for _ in page.bookmarks)


def _render(document: Document, theme_dir: Path, pdf_options: PdfOptions) -> bytes:
    laid_out, options = _layout(document, theme_dir, pdf_options)
    options["attachments"] = _embedded(pdf_options, document.meta.date_iso)
    if laid_out.output_intent == "srgb":
        # PDF/A's output intent: WeasyPrint would open its ICC file and never close
        # it (a ResourceWarning per PDF); give it the profile read and closed here.
        laid_out.color_profiles["srgb"] = _srgb_profile()
        options["output_intent"] = "preloaded"
    fields = []
    if pdf_options.signable:
        from propgen.render.signature_fields import find_signature_fields

        fields = find_signature_fields(laid_out)

    def finish(_laid_out: Any, pdf: Any) -> None:
        if "AF" in pdf.catalog:  # WeasyPrint lists each embedded file twice
            pdf.catalog["AF"] = type(pdf.catalog["AF"])(dict.fromkeys(pdf.catalog["AF"]))
        if fields:
            from propgen.render.signature_fields import add_signature_fields

            add_signature_fields(pdf, fields)

    written: bytes = laid_out.write_pdf(finisher=finish, **options)
    return written


def _layout(
    document: Document, theme_dir: Path, pdf_options: PdfOptions
) -> tuple[Any, dict[str, Any]]:
    """The document laid out in pages (stripped of attachments) and the options
    WeasyPrint's PDF writer takes next."""
    language = document.meta.locale.split("-")[0].lower()
    if language in _CJK_LANGUAGES and not cjk_font_available():
        raise EnvironmentProblem(
            message=(
                f"No CJK font is installed, so a {document.meta.locale} PDF would print "
                "empty boxes. Install Noto CJK: `sudo apt-get install fonts-noto-cjk` "
                "(or your system's equivalent), then run `fc-cache -f`."
            )
        )
    root = theme_dir.resolve()
    fetcher = make_url_fetcher(root)
    stylesheet, css_digest = _stylesheet(root, fetcher)
    markup = build_html(document, root, standalone=False)
    identifier = hashlib.sha256(markup.encode("utf-8") + css_digest).hexdigest()[:32]
    html = weasyprint.HTML(string=markup, base_url=root.as_uri() + "/", url_fetcher=fetcher)
    sheets = [stylesheet, _paper_css(document.meta.locale)]
    options: dict[str, Any] = dict(
        stylesheets=[_baseline_css(BASELINE_CSS), *sheets],
        attachments=[],
        pdf_identifier=identifier.encode("ascii"),
        uncompressed_pdf=False,
        full_fonts=False,
        custom_metadata=False,
        presentational_hints=False,
        pdf_variant=pdf_options.variant,
    )
    fonts = _font_config()
    laid_out = html.render(font_config=fonts, **options)
    if wrappable_text_runs_off(laid_out):
        # A word wider than its table column or margin box pushed it off the page:
        # lay out again letting columns shrink to one character (html.BASELINE_CSS).
        options["stylesheets"] = [_baseline_css(ANYWHERE_CSS), *sheets]
        laid_out = html.render(font_config=fonts, **options)
    # `attachments=[]` only adds none; files named by the markup itself
    # (<link rel="attachment">, <a rel="attachment">) are dropped here.
    laid_out.metadata.attachments = []
    for page in laid_out.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return laid_out, options


def _srgb_profile() -> Any:
    from importlib.resources import files
    from io import BytesIO

    from weasyprint.css import ColorProfile

    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    return ColorProfile(
        BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"])
    )


def _embedded(options: PdfOptions, date_iso: str) -> list[Any]:
    """propgen's own files as WeasyPrint attachments, dated with the document's date
    (WeasyPrint would stamp the current time) and related to it as its ``Data``."""
    from datetime import datetime

    dated = datetime.fromisoformat(date_iso)
    return [
        weasyprint.Attachment(
            string=item.data,
            name=item.name,
            description=item.description,
            created=dated,
            modified=dated,
            relationship="Data",
        )
        for item in options.embedded
    ]


def _font_config() -> Any:
    """This thread's WeasyPrint font configuration, made at its first PDF and kept.

    WeasyPrint makes a new one per document unless given one: a fresh Pango font map
    that opens every font again and forgets the shapes and line heights it measured
    (about a tenth of a warm proposal's PDF time). Reusing it gives the same bytes
    (``tests/render/test_html_pdf.py``). One per thread, because a Pango font map
    is not safe to share between threads. It holds no document's data: the markup
    propgen builds has no ``@font-face``, and the theme's stylesheet is parsed without
    a font configuration, so neither adds fonts to it. Fonts installed after a
    thread's first PDF are not seen by that thread (as :func:`cjk_font_available`,
    which is asked once per process).
    """
    config = getattr(_fonts, "config", None)
    if config is None:
        from weasyprint.text.fonts import FontConfiguration

        config = _fonts.config = FontConfiguration()
    return config


def _baseline_css(text: str) -> Any:
    """A baseline stylesheet of :mod:`propgen.render.html`, parsed once per process."""
    with _css_lock:
        if text not in _baselines:
            _baselines[text] = weasyprint.CSS(string=text)
        return _baselines[text]


def _paper_css(locale: str) -> Any:
    """``@page { size: … }`` for the locale's paper, after the theme: the theme lays
    pages out, the locale decides the sheet (US Letter for en-US, A4 for zh-CN)."""
    css = f"@page {{ size: {paper(locale).css} }}"
    with _css_lock:
        if css not in _paper_cache:
            _paper_cache[css] = weasyprint.CSS(string=css)
        return _paper_cache[css]


def _stylesheet(root: Path, fetcher: Any) -> tuple[Any, bytes]:
    """The theme's parsed ``print.css`` and a digest of its text, cached per process."""
    path = root / STYLESHEET
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise EnvironmentProblem(message=f"The theme has no stylesheet: {path}") from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    with _css_lock:
        cached = _css_cache.get(key)
        if cached is None:
            text = read_confined(root, path).decode("utf-8", "replace")
            css = weasyprint.CSS(string=text, base_url=root.as_uri() + "/", url_fetcher=fetcher)
            cached = (css, hashlib.sha256(text.encode("utf-8")).digest())
            _css_cache[key] = cached
        return cached


def make_url_fetcher(theme_dir: Path) -> Any:
    """A WeasyPrint URL fetcher that serves ``data:`` URIs and files inside ``theme_dir``.

    Anything else (``http:``, ``https:``, ``ftp:``, ``file:`` outside the folder,
    ``..`` escapes, symlinks leading out) raises :class:`FetchRefused`.
    """
    return _fetcher_class()(theme_dir.resolve())


@functools.cache
def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ThemeFetcher(URLFetcher):  # type: ignore[misc,unused-ignore]
        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
            self.root = root

        def fetch(self, url: str, headers: object = None) -> Any:
            scheme = url.split(":", 1)[0].lower() if ":" in url else ""
            if scheme == "data":
                with DataHandler().data_open(Request(url)) as response:
                    body = response.read()
                    mime = response.headers.get_content_type()
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            if scheme == "file":
                path = self._local_path(url)
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                try:
                    body = read_confined(self.root, path)
                except LibraryError as exc:
                    raise FetchRefused(f"propgen does not fetch {url!r}: {exc}") from None
                return URLFetcherResponse(url, body, {"Content-Type": mime})
            raise FetchRefused(f"propgen does not fetch {url!r}: only theme files")

        def _local_path(self, url: str) -> Path:
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                raise FetchRefused(f"propgen does not fetch {url!r}: remote file")
            try:
                path = Path(url2pathname(parts.path)).resolve(strict=True)
            except (OSError, RuntimeError) as exc:
                raise FetchRefused(f"propgen cannot read {url!r}: {exc}") from None
            if not path.is_relative_to(self.root) or not path.is_file():
                raise FetchRefused(f"propgen does not fetch {url!r}: outside the theme")
            return path

    return ThemeFetcher


@functools.cache
def cjk_font_available() -> bool:
    """Whether fontconfig knows a font covering Chinese (``fc-list :lang=zh``).

    Cached once per process. When ``fc-list`` itself is missing the answer is
    unknown and taken as yes (WeasyPrint still uses fontconfig's library).
    """
    from propgen.fonts import fc_list

    listing = fc_list(":lang=zh", "family")
    return listing is None or bool(listing.strip())
