"""Canary: links to local files and URLs in every kind of text field.

A record full of ``file:///etc/passwd`` links, images, ``<link rel="attachment">``
and ``<img src=http://…>`` renders with: no attachment in any PDF, no read of the
canary file, no network connection, every resource WeasyPrint asked for inside
the theme folder (or a ``data:`` URI), and the hostile text printed literally
(or, in presales Markdown, as plain text). The same record doubles as the check
that XML, Jinja and Markdown metacharacters come out literally in both formats.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hostile_support import (
    THEME,
    attachments,
    comparable,
    docx_plain,
    pdf_plain,
    sample_record,
    write_record,
)

from propgen.pipeline import render
from propgen.render import pdf as pdf_module

CANARY_NAME = "canary-secret.txt"

LINKS = [
    "[x](file://{canary})",
    "![x](file://{canary})",
    '<link rel="attachment" href="file://{canary}">',
    '<a rel="attachment" href="file://{canary}">a</a>',
    "<img src=http://127.0.0.1:1/x>",
    "<img src=file://{canary}>",
    "url(file://{canary})",
]
LITERALS = [
    "Tom & Jerry",
    "a < b > c",
    "\"double\" 'single'",
    "{{ 7*7 }}",
    "{% if true %}x{% endif %}",
    "<select>",
    "</w:t></w:r><w:r><w:t>",
    "<![CDATA[x]]>",
    "{_{ hidden }_}",
    "&amp; &#x202E;",
    "**not bold** _not italic_ `not code`",
    "# not a heading",
]


@dataclass
class Spy:
    canary: Path
    fetched: list[str] = field(default_factory=list)
    opened: list[str] = field(default_factory=list)
    connected: list[str] = field(default_factory=list)
    active: bool = False


@pytest.fixture(scope="module")
def spy(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spy]:
    folder = tmp_path_factory.mktemp("canary")
    canary = folder / CANARY_NAME
    canary.write_text("root:x:0:0:CANARY-CONTENT\n", encoding="utf-8")
    watcher = Spy(canary)

    def audit(event: str, args: tuple[Any, ...]) -> None:
        if not watcher.active:
            return
        if event == "open" and args and CANARY_NAME in str(args[0]):
            watcher.opened.append(str(args[0]))
        elif event == "socket.connect":
            watcher.connected.append(repr(args[1:]))

    sys.addaudithook(audit)  # cannot be removed; inert while not active
    yield watcher


def _everywhere(record: dict[str, Any], texts: list[str]) -> None:
    """Put the texts into every kind of text field the SaaS documents print."""
    joined = " ".join(texts)
    customer, solution, pricing = record["customer"], record["solution"], record["pricing"]
    customer["name"] = f"Fernhill {texts[0]}"
    customer["legal_name"] = f"Fernhill LLC {texts[1 % len(texts)]}"
    customer["address"] = "\n".join(texts)
    customer["registration_id"] = texts[2 % len(texts)]
    customer["representative"] = texts[3 % len(texts)]
    customer["contacts"][0]["name"] = texts[4 % len(texts)]
    record["seller"]["rep"]["name"] = f"Jordan {texts[5 % len(texts)]}"
    for key in ("situation", "problem", "implication", "need_payoff"):
        record["discovery"][key] = list(texts)
    solution["summary"] = joined
    solution["modules"][0]["description"] = joined
    solution["modules"][1]["name"] = texts[-1]
    solution["milestones"][0]["name"] = texts[0]
    pricing["items"][0]["name"] = texts[1 % len(texts)]
    pricing["items"][0]["description"] = joined
    pricing["items"][0]["unit"] = texts[2 % len(texts)]
    pricing["payment_schedule"][0]["milestone"] = texts[3 % len(texts)]
    record["terms"]["governing_law"] = texts[4 % len(texts)]
    record["document"]["title"] = f"Proposal {texts[5 % len(texts)]}"
    # Presales Markdown (never a template): a replaced section and an added one.
    record["sections"] = [
        {"id": "understanding", "text": "\n\n".join(texts)},
        {"id": "canary", "title": texts[0], "text": joined, "after": "understanding"},
    ]


@pytest.fixture(scope="module")
def rendered(spy: Spy, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """The canary record rendered (proposal and contract, DOCX and PDF) under the spy."""
    folder = tmp_path_factory.mktemp("render")
    links = [link.format(canary=spy.canary) for link in LINKS]
    record = sample_record()
    _everywhere(record, [*links, *LITERALS])
    needs = write_record(folder, record)
    fetcher_class = pdf_module._fetcher_class()
    original = fetcher_class.fetch

    def fetch(self: Any, url: str, headers: object = None) -> Any:
        spy.fetched.append(url)
        return original(self, url, headers)

    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(fetcher_class, "fetch", fetch)
    spy.active = True
    try:
        result = render(needs, folder / "out")
    finally:
        spy.active = False
        monkeypatch.undo()
    yield {name: path.read_bytes() for name, path in result.files.items()}


def test_no_pdf_has_an_attachment(rendered: dict[str, bytes]) -> None:
    pdfs = {name: data for name, data in rendered.items() if name.endswith(".pdf")}
    assert len(pdfs) == 2
    for name, data in pdfs.items():
        assert attachments(data) == [], name
        assert b"CANARY-CONTENT" not in data


def test_the_canary_file_is_never_read(rendered: dict[str, bytes], spy: Spy) -> None:
    assert spy.opened == []
    for data in rendered.values():
        assert b"CANARY-CONTENT" not in data


def test_no_network_connection(rendered: dict[str, bytes], spy: Spy) -> None:
    assert spy.connected == []


def test_fetcher_only_asked_for_theme_files(rendered: dict[str, bytes], spy: Spy) -> None:
    theme = THEME.resolve().as_uri() + "/"
    outside = [u for u in spy.fetched if not (u.startswith("data:") or u.startswith(theme))]
    assert outside == []


@pytest.mark.parametrize("kind", ["proposal", "contract"])
def test_hostile_text_is_printed_literally(rendered: dict[str, bytes], spy: Spy, kind: str) -> None:
    docx = comparable(docx_plain(rendered[f"PG-SAMPLE-SAAS-EN-{kind}.docx"]))
    pdf = comparable(pdf_plain(rendered[f"PG-SAMPLE-SAAS-EN-{kind}.pdf"]))
    texts = [link.format(canary=spy.canary) for link in LINKS] + LITERALS
    if kind == "contract":  # the contract prints the legal name, address and law
        texts = texts[1:2] + texts[4:5]
    for text in texts:
        wanted = comparable(text)
        assert wanted in docx, f"{text!r} not literally in the {kind} DOCX"
        assert wanted in pdf, f"{text!r} not literally in the {kind} PDF"


def test_markdown_override_keeps_link_text(rendered: dict[str, bytes], spy: Spy) -> None:
    """In presales Markdown a link prints its text; file: links are not even links."""
    pdf = comparable(pdf_plain(rendered["PG-SAMPLE-SAAS-EN-proposal.pdf"]))
    assert comparable(f"[x](file://{spy.canary})") in pdf


def test_the_spies_are_alive(rendered: dict[str, bytes], spy: Spy) -> None:
    """Controls: the fetch spy saw the theme's logo, and the audit hook sees a read."""
    assert any(url.startswith(THEME.resolve().as_uri()) for url in spy.fetched)
    spy.active = True
    try:
        pdf_module.make_url_fetcher(spy.canary.parent)(spy.canary.as_uri()).close()
    finally:
        spy.active = False
    assert spy.opened, "the audit hook did not see the canary being read"
    spy.opened.clear()
