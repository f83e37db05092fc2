"""Fixtures for the web workspace: a workspace of sample records, a client, the form."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx2
import pytest
from starlette.testclient import TestClient

from propgen.serve.app import create_app
from support import ROOT

BASE_URL = "http://127.0.0.1"
SAAS = "saas.en-US"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    folder = tmp_path / "deals"
    folder.mkdir()
    for name in ("saas.en-US.yaml", "saas.zh-CN.yaml"):
        shutil.copy(ROOT / "samples" / name, folder / name)
    return folder


class Client(TestClient):
    """A test client that sends the page's CSRF token, as htmx does."""

    csrf: str = ""

    def page_form(self, deal_id: str) -> list[tuple[str, str]]:
        page = self.get(f"/deals/{deal_id}")
        assert page.status_code == 200, page.text
        return form_fields(page.text)

    def act(self, path: str, fields: list[tuple[str, str]]) -> httpx2.Response:
        return self.post(path, data=_as_dict(fields), headers={"X-CSRF-Token": self.csrf})


def _as_dict(fields: list[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, value in fields:
        out.setdefault(name, []).append(value)
    return out


@pytest.fixture
def client(workspace: Path) -> Iterator[Client]:
    app = create_app(workspace)
    with Client(app, base_url=BASE_URL) as test_client:
        test_client.csrf = app.guard.csrf
        yield test_client


def set_field(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    """The form with one field's value replaced (or added)."""
    if not any(n == name for n, _ in fields):
        return [*fields, (name, value)]
    return [(n, value if n == name else v) for n, v in fields]


class _FormParser(HTMLParser):
    """The fields a browser would submit from ``#deal-form``."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self.inside = False
        self.textarea: str | None = None
        self.select: str | None = None
        self.selected: str | None = None
        self.first_option: str | None = None
        self.option_value: str | None = None
        self.option_text = ""
        self.buffer = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == "deal-form":
            self.inside = True
        if not self.inside:
            return
        if tag == "input" and "name" in a:
            if a.get("type") == "checkbox" and "checked" not in a:
                return
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "textarea":
            self.textarea, self.buffer = a["name"], ""
        elif tag == "select":
            self.select, self.selected, self.first_option = a["name"], None, None
        elif tag == "option" and self.select is not None:
            self.option_value = a.get("value")
            self.option_text = ""
            if "selected" in a:
                self.selected = "\0pending"

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.buffer += data
        if self.option_value is not None or self.select is not None:
            self.option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            text = self.buffer[1:] if self.buffer.startswith("\n") else self.buffer
            self.fields.append((self.textarea, text))
            self.textarea = None
        elif tag == "option" and self.select is not None:
            value = self.option_value if self.option_value is not None else self.option_text
            if self.first_option is None:
                self.first_option = value
            if self.selected == "\0pending":
                self.selected = value
            self.option_value = None
        elif tag == "select" and self.select is not None:
            chosen = self.selected if self.selected is not None else self.first_option
            self.fields.append((self.select, chosen or ""))
            self.select = None


def form_fields(html: str) -> list[tuple[str, str]]:
    parser = _FormParser()
    parser.feed(html)
    return parser.fields
