"""Loading needs records: YAML traps closed, errors located by file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from propgen.errors import NeedsError
from propgen.needs.loader import load_needs

VALID = """\
document:
  reference: T-1
  date: 2026-11-27
  valid_until: 2026-12-27
  locale: en-US
  currency: USD
  industry: saas
seller:
  rep: {name: Rep}
customer:
  name: ACME
solution:
  summary: A thing.
pricing:
  items:
    - {name: Licence, quantity: 2, unit_price: 45.10}
"""


def load_text(tmp_path: Path, text: str, name: str = "needs.yaml") -> NeedsError | object:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    try:
        return load_needs(path)
    except NeedsError as err:
        return err


def errors(tmp_path: Path, text: str, name: str = "needs.yaml") -> str:
    result = load_text(tmp_path, text, name)
    assert isinstance(result, NeedsError), "expected the record to be rejected"
    return str(result)


def test_valid_record_loads_with_exact_decimals(tmp_path: Path) -> None:
    loaded = load_needs((tmp_path / "n.yaml", (tmp_path / "n.yaml").write_text(VALID))[0])
    assert str(loaded.record.pricing.items[0].unit_price) == "45.10"


def test_misspelt_key_names_line_and_suggests(tmp_path: Path) -> None:
    text = VALID.replace("  industry: saas", "  industy: saas")
    message = errors(tmp_path, text)
    assert (
        "needs.yaml:7: document.industy: unknown field 'industy' — did you mean 'industry'?"
        in message
    )
    assert "document.industry: is required but missing" in message


def test_wrong_type_and_missing_field(tmp_path: Path) -> None:
    text = VALID.replace("quantity: 2", "quantity: two").replace("  name: ACME\n", "  segment: x\n")
    message = errors(tmp_path, text)
    assert "pricing.items[0].quantity" in message
    assert "customer.name: is required but missing" in message


def test_several_errors_reported_together(tmp_path: Path) -> None:
    text = VALID.replace("locale: en-US", "locale: en-GB").replace("currency: USD", "currency: XYZ")
    message = errors(tmp_path, text)
    assert "document.locale" in message and "did you mean 'en-US'" in message
    assert "document.currency" in message


@pytest.mark.parametrize("word", ["NO", "off", "yes", "010", "12:30", "1e3"])
def test_yaml_11_values_stay_text(tmp_path: Path, word: str) -> None:
    loaded = load_needs(
        (
            tmp_path / "n.yaml",
            (tmp_path / "n.yaml").write_text(VALID.replace("name: ACME", f"name: {word}")),
        )[0]
    )
    assert loaded.record.customer.name == word


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    message = errors(tmp_path, VALID.replace("  name: ACME\n", "  name: ACME\n  name: Other\n"))
    assert "duplicate key 'name' (first given on line 11)" in message
    assert "needs.yaml:12" in message


def test_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 8):
        bomb += f"{chr(97 + n)}: &{chr(97 + n)} [" + ", ".join([f"*{chr(96 + n)}"] * 10) + "]\n"
    assert "alias expansion" in errors(tmp_path, bomb)


def test_python_tags_are_refused(tmp_path: Path) -> None:
    message = errors(tmp_path, VALID + "extra: !!python/object/apply:os.system [echo hi]\n")
    assert "is not allowed" in message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "the file is a list"),
        ("document: [unclosed\n", "YAML syntax error"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in errors(tmp_path, text)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "n.yaml"
    path.write_bytes(b"\x00\x01\x02PK\x03\x04")
    with pytest.raises(NeedsError, match="binary"):
        load_needs(path)


@pytest.mark.parametrize(
    ("char", "name"),
    [("\u202e", "U+202E"), ("\x07", "U+0007"), ("\x85", "U+0085"), ("\ufffe", "U+FFFE")],
)
def test_characters_a_document_cannot_hold(tmp_path: Path, char: str, name: str) -> None:
    escaped = f"\\u{ord(char):04x}"
    message = errors(tmp_path, VALID.replace("name: ACME", f'name: "AC{escaped}ME"'))
    assert "customer.name" in message and name in message


def test_json_rejects_nan_and_duplicates(tmp_path: Path) -> None:
    assert "NaN is not a number" in errors(tmp_path, '{"a": NaN}', "n.json")
    assert "duplicate key" in errors(tmp_path, '{"a": 1, "a": 2}', "n.json")


def test_payment_schedule_must_sum_to_100(tmp_path: Path) -> None:
    text = (
        VALID + "  payment_schedule:\n    - {milestone: a, percent: 60}\n"
        "    - {milestone: b, percent: 30}\n"
    )
    assert "add up to 90, not 100" in errors(tmp_path, text)


def test_valid_until_before_date(tmp_path: Path) -> None:
    assert "is before the document date" in errors(
        tmp_path, VALID.replace("valid_until: 2026-12-27", "valid_until: 2026-11-01")
    )


def test_chinese_registration_id_check_digit(tmp_path: Path) -> None:
    text = VALID.replace("locale: en-US", "locale: zh-CN").replace(
        "  name: ACME\n", "  name: ACME\n  registration_id: 91320594MA1WXY3K5Y\n"
    )
    assert "统一社会信用代码" in errors(tmp_path, text)
