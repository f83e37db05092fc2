"""Text that hides, stacks or impersonates is refused; messages never carry raw
escape sequences; every accepted field is printed somewhere."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
import yaml
from test_loader import VALID, errors

from conftest import Result
from support import INDUSTRY_SAMPLES, SAMPLES, paragraphs, tables

Run = Callable[..., Result]


@pytest.mark.parametrize("blank", ["\u200b", "\u3164", "\u2800\u2800", "\u2060", "\ufeff"])
def test_a_name_of_only_invisible_characters_is_refused(tmp_path: Path, blank: str) -> None:
    text = VALID.replace("name: ACME", f'name: "{blank}"')
    assert "customer.name: has no visible character" in errors(tmp_path, text)


def test_tag_characters_are_refused(tmp_path: Path) -> None:
    text = VALID.replace("name: ACME", 'name: "ACME\U000e0041\U000e0042"')
    message = errors(tmp_path, text)
    assert "customer.name: contains U+E0041 TAG LATIN CAPITAL LETTER A (tag character" in message


def test_a_long_run_of_combining_marks_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("name: ACME", 'name: "Z' + "\u0301" * 499 + '"')
    assert "more than 4 combining marks in a row" in errors(tmp_path, text)
    ok = VALID.replace("name: ACME", "name: Nguyễn Thị Hương")  # stacked Vietnamese marks
    (tmp_path / "ok.yaml").write_text(ok, encoding="utf-8")
    from propgen.needs.loader import load_needs

    assert load_needs(tmp_path / "ok.yaml").record.customer.name == "Nguyễn Thị Hương"


def test_a_reference_mixing_look_alike_scripts_is_refused(tmp_path: Path) -> None:
    text = VALID.replace("reference: T-1", "reference: \u0420G-2026-0142")
    message = errors(tmp_path, text)
    assert "document.reference: mixes Cyrillic and Latin letters" in message
    assert "U+0420 CYRILLIC CAPITAL LETTER ER" in message


@pytest.mark.parametrize("key", ["nam[e]", "function-after", "list[str]"])
def test_unknown_keys_are_named_as_written(tmp_path: Path, key: str) -> None:
    text = VALID.replace("  name: ACME\n", f'  name: ACME\n  "{key}": x\n')
    assert f"needs.yaml:12: customer.{key}: unknown field {key!r}" in errors(tmp_path, text)


def test_no_message_writes_raw_escape_sequences(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "deal\x1b[2J.yaml"
    path.write_text(VALID.replace("  name: ACME\n", '  name: ACME\n  "\\e]0;owned\\a": x\n'))
    result = run("check", path)
    assert result.code == 2
    assert "\x1b" not in result.err and "\x07" not in result.err
    assert "\\x1b]0;owned\\x07" in result.err and "deal\\x1b[2J.yaml" in result.err


def test_every_accepted_field_is_printed(rendered_proposals: Path) -> None:
    """Item SKUs and descriptions and the customer's contacts reach the proposal
    (a contact's ``role`` is the rep's own note, documented as internal)."""
    checked = 0
    for sample in SAMPLES + INDUSTRY_SAMPLES:
        data = yaml.safe_load(sample.read_text(encoding="utf-8"))
        name = data["document"]["reference"]
        document = docx.Document(str(rendered_proposals / f"{name}-proposal.docx"))
        text = "\n".join(
            [p.text for p in paragraphs(document)]
            + [c.text for t in tables(document) for r in t.rows for c in r.cells]
        ).replace("\u00a0", " ")  # phone numbers and amounts are kept unbroken
        for item in data["pricing"]["items"]:
            for key in ("sku", "description"):
                if item.get(key):
                    assert " ".join(str(item[key]).split()) in " ".join(text.split()), (name, key)
                    checked += 1
        for contact in data["customer"].get("contacts", []):
            for key in ("name", "title", "email", "phone"):
                if contact.get(key):
                    assert str(contact[key]) in text, (name, key)
                    checked += 1
    assert checked > 50
