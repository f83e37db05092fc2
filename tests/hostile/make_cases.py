"""Regenerate ``cases/`` from the SaaS sample: ``python tests/hostile/make_cases.py``.

Each case is the sample with one change and a comment header saying what the CLI
must report (see test_corpus.py). The generated files are committed; edit this
script and rerun it rather than editing them by hand.
"""

# ruff: noqa
import json
import pathlib
from collections.abc import Sequence

import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "templates/industry/saas/sample.en-US.yaml").read_text(encoding="utf-8")
OUT = ROOT / "tests/hostile/cases"
OUT.mkdir(exist_ok=True)
for old in OUT.iterdir():
    old.unlink()


def header(expects: Sequence[str], field: str | None = None, case: str = "") -> str:
    lines = [f"# case: {case}"] if case else []
    if field:
        lines.append(f"# field: {field}")
    lines += [f"# expect: {e}" for e in expects]
    return "\n".join(lines) + "\n"


def yaml_case(
    name: str,
    case: str,
    old: str,
    new: str,
    expects: Sequence[str],
    field: str | None = None,
    count: int = 1,
) -> None:
    assert SAMPLE.count(old) >= 1, (name, old)
    text = SAMPLE.replace(old, new, count)
    assert text != SAMPLE
    (OUT / f"{name}.yaml").write_text(header(expects, field, case) + text, encoding="utf-8")


def yaml_append(
    name: str, case: str, extra: str, expects: Sequence[str], field: str | None = None
) -> None:
    (OUT / f"{name}.yaml").write_text(
        header(expects, field, case) + SAMPLE + extra, encoding="utf-8"
    )


def raw_case(name: str, data: bytes) -> None:
    (OUT / name).write_bytes(data)


NAME = "  name: Fernhill Home Services\n"


def name_case(name: str, case: str, escaped: str, expects: Sequence[str]) -> None:
    yaml_case(name, case, NAME, f'  name: "{escaped}"\n', expects, field="customer.name")


def needs_missing_glyph(name: str, glyph: str) -> None:
    path = OUT / f"{name}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("# expect:", f"# needs-missing-glyph: {glyph}\n# expect:", 1), encoding="utf-8"
    )


# ---- 1. loading ---------------------------------------------------------------
yaml_case(
    "duplicate-key",
    "the same key twice: PyYAML would keep the last one",
    NAME,
    NAME + "  name: Someone Else\n",
    ["duplicate key 'name' (first given on line"],
    "customer.name",
)
yaml_case(
    "yaml11-no-as-bool",
    "NO is text, not false: a boolean field says so",
    "auto_renew: true",
    "auto_renew: NO",
    ["must be true or false"],
    "terms.auto_renew",
)
yaml_case(
    "yaml11-off-as-bool",
    "off is text, not false",
    "auto_renew: true",
    "auto_renew: off",
    ["must be true or false"],
    "terms.auto_renew",
)
yaml_case(
    "yaml11-yes-as-bool",
    "yes is text, not true (optional line item)",
    "      unit: package\n",
    "      unit: package\n      optional: yes\n",
    ["must be true or false"],
    "pricing.items[1].optional",
)
yaml_case(
    "yaml11-sexagesimal",
    "12:30 stays text (YAML 1.1 reads 750)",
    "term_months: 12",
    "term_months: 12:30",
    ["valid integer"],
    "terms.term_months",
)
yaml_case(
    "yaml11-octal-week",
    "0o10 is not a number (YAML 1.1 reads 8)",
    "{ name: Go-live, week: 5 }",
    "{ name: Go-live, week: 0o10 }",
    ["valid integer"],
    "solution.milestones[1].week",
)
yaml_case(
    "date-as-number",
    "a date written as a number is not read as a Unix timestamp",
    "  date: 2027-01-11",
    "  date: 20270111",
    ["must be a date written YYYY-MM-DD"],
    "document.date",
)
yaml_case(
    "date-with-time",
    "a date-time is not silently cut to its day",
    "  date: 2027-01-11",
    "  date: 2027-01-11T23:59:00",
    ["must be a date written YYYY-MM-DD"],
    "document.date",
)
yaml_case(
    "bool-as-number",
    "true is not the number 1",
    "term_months: 12",
    "term_months: true",
    ["must be a whole number"],
    "terms.term_months",
)
bomb = "".join(
    f"lol{n}: &lol{n} [" + ", ".join([f"*lol{n - 1}"] * 10 if n else ["lol"] * 10) + "]\n"
    for n in range(9)
)
yaml_append(
    "alias-bomb",
    "a billion laughs: aliases cannot amplify memory",
    "x_bomb:\n" + "".join("  " + l for l in bomb.splitlines(True)),
    ["alias expansion"],
)
yaml_append(
    "python-tag",
    "no python tags",
    'x_evil: !!python/object/apply:os.system ["touch /tmp/pwned"]\n',
    ["is not allowed"],
)
yaml_case(
    "merge-key",
    "merge keys would hide where a value came from",
    "terms:\n",
    "x_base: &base {term_months: 24}\nterms:\n  <<: *base\n",
    ["merge keys (<<) are not supported"],
    "terms",
)
yaml_append("binary-tag", "!!binary is not text", "x_blob: !!binary aGVsbG8=\n", ["is not allowed"])
yaml_append(
    "two-documents",
    "a second YAML document is not silently ignored",
    "---\ncustomer: {name: Other}\n",
    ["YAML syntax error", "column"],
)
yaml_case(
    "syntax-error",
    "unclosed flow mapping, reported with line and column",
    "{ name: Go-live, week: 5 }",
    "{ name: Go-live, week: 5 ",
    ["YAML syntax error", "column"],
)
yaml_case(
    "tab-indentation",
    "a tab where YAML wants spaces",
    NAME,
    "\tname: Fernhill Home Services\n",
    ["YAML syntax error", "column"],
)
(OUT / "empty.yaml").write_text("", encoding="utf-8")
(OUT / "only-comments.yaml").write_text(
    "# expect: the file is empty\n# nothing but comments\n", encoding="utf-8"
)
(OUT / "a-list.yaml").write_text(
    "# expect: the file is a list\n- " + SAMPLE.splitlines()[4].strip() + "\n", encoding="utf-8"
)
(OUT / "a-scalar.yaml").write_text(
    "# expect: the file is a text\njust a sentence\n", encoding="utf-8"
)
yaml_append(
    "deep-nesting",
    "thousands of nested lists",
    "x_deep: " + "[" * 1500 + "]" * 1500 + "\n",
    ["nest"],
)
yaml_case(
    "huge-integer",
    "a 5,000-digit number does not crash the loader",
    "term_months: 12",
    "term_months: " + "9" * 5000,
    ["terms.term_months"],
    "terms.term_months",
)
raw_case("binary.bin", b"\x00\x01\x02PK\x03\x04" + bytes(range(256)))
raw_case(
    "not-utf8.yaml",
    (
        "# expect: is not UTF-8 text\n"
        + SAMPLE.replace("Fernhill Home Services\n", "Fernh\u00edll Home Services\n", 1)
    ).encode("latin-1"),
)
raw_case("utf16.yaml", SAMPLE.encode("utf-16"))

data = yaml.safe_load(SAMPLE)


def jdump(d: object) -> str:
    return json.dumps(d, default=str, indent=2, ensure_ascii=False)


def json_case(name: str, text: str) -> None:
    (OUT / f"{name}.json").write_text(text, encoding="utf-8")


base_json = jdump(data)
json_case("json-nan", base_json.replace('"quantity": 70', '"quantity": NaN'))
json_case("json-infinity", base_json.replace('"unit_price": "8500.00"', '"unit_price": -Infinity'))
json_case(
    "json-duplicate-key",
    base_json.replace('"quantity": 70', '"quantity": 70,\n        "quantity": 7'),
)
json_case("json-syntax-error", base_json.replace('"quantity": 70,', '"quantity": 70', 1))
json_case("json-not-a-mapping", "[" + base_json + "]")
json_case(
    "json-lone-surrogate",
    base_json.replace('"Fernhill Home Services"', '"Fernhill \\ud800 Services"', 1),
)
json_case(
    "json-float-money",
    base_json.replace('"unit_price": "38.00"', '"unit_price": 38.000000000000000000001'),
)
json_case("json-deep", '{"x": ' + "[" * 3000 + "]" * 3000 + "}")

# ---- 2. validation --------------------------------------------------------------
name_case("control-char", "BEL in a name", "Fern\\ahill", ["U+0007"])
name_case("c1-control", "NEL (U+0085) pasted from a mainframe export", "Fern\\Nhill", ["U+0085"])
name_case(
    "escape-char", "an ANSI escape sequence from a terminal copy", "\\e[31mFernhill", ["U+001B"]
)
name_case("nonchar-fffe", "noncharacter U+FFFE", "Fern\\uFFFEhill", ["U+FFFE", "noncharacter"])
name_case("nonchar-fdd0", "noncharacter U+FDD0", "Fern\\uFDD0hill", ["U+FDD0", "noncharacter"])
name_case(
    "nonchar-plane1", "noncharacter U+1FFFF", "Fern\\U0001FFFFhill", ["U+1FFFF", "noncharacter"]
)
name_case(
    "bidi-override",
    "RIGHT-TO-LEFT OVERRIDE reverses what the reader sees",
    "Fern\\u202Ehill",
    ["U+202E", "bidirectional control"],
)
name_case(
    "bidi-isolate", "LEFT-TO-RIGHT ISOLATE", "Fern\\u2066hill", ["U+2066", "bidirectional control"]
)
name_case("bidi-mark", "RIGHT-TO-LEFT MARK", "Fernhill\\u200F", ["U+200F", "bidirectional control"])
name_case(
    "line-separator",
    "U+2028 would break a single line in the PDF only",
    "Fernhill\\u2028Home",
    ["U+2028", "line separator"],
)
name_case(
    "private-use",
    "a private-use character prints as a box",
    "Fern\\uE000hill",
    ["U+E000", "private-use"],
)
name_case(
    "unassigned", "an unassigned code point", "Fern\\U000E0080hill", ["U+E0080", "unassigned"]
)
name_case(
    "replacement-char",
    "U+FFFD means the text was damaged upstream",
    "Fern\\uFFFDhill",
    ["U+FFFD", "damaged"],
)
name_case(
    "no-font",
    "a character no installed font can draw (CJK Extension B)",
    "Fern\\U0002A6D6hill",
    ["U+2A6D6", "no installed font"],
)
needs_missing_glyph("no-font", "U+2A6D6")
name_case(
    "newline-in-name",
    "a single-line field with a newline",
    "Fernhill\\nHome",
    ["must be a single line"],
)
yaml_case(
    "control-in-paragraph",
    "vertical tab in multi-line text",
    "    - Dispatchers schedule",
    '    - "Dispatchers\\vschedule',
    ["U+000B"],
    "discovery.situation[0]",
)
# the line above opened a quote: close it
p = OUT / "control-in-paragraph.yaml"
p.write_text(p.read_text().replace("whiteboard and by phone.\n", 'whiteboard and by phone."\n', 1))
yaml_case(
    "control-in-reference",
    "control character in document.reference (used for file names)",
    "reference: PG-SAMPLE-SAAS-EN",
    'reference: "PG-\\x00-SAAS"',
    ["U+0000"],
    "document.reference",
)
yaml_case(
    "money-nan",
    "NaN money",
    'unit_price: "38.00"',
    "unit_price: NaN",
    ["finite number"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "money-infinity",
    "Infinity money",
    'unit_price: "38.00"',
    "unit_price: Infinity",
    ["finite number"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "money-too-many-digits",
    "1e999999 is one digit and a huge exponent",
    'unit_price: "38.00"',
    "unit_price: 1e999999",
    ["digits"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "money-sub-cent-precision",
    "more decimals than max_digits allows",
    'unit_price: "38.00"',
    'unit_price: "38.0000000000000000001"',
    ["digits"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "money-negative",
    "negative price",
    'unit_price: "38.00"',
    'unit_price: "-38.00"',
    ["greater than or equal to 0"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "money-thousands-comma",
    "1,250.00 is not silently read as 1.25 or 1250",
    'unit_price: "38.00"',
    "unit_price: 1,250.00",
    ["valid decimal"],
    "pricing.items[0].unit_price",
)
yaml_case(
    "quantity-negative",
    "negative quantity",
    "quantity: 70",
    "quantity: -70",
    ["greater than or equal to 0"],
    "pricing.items[0].quantity",
)
yaml_case(
    "periods-zero",
    "zero periods",
    "periods: 12",
    "periods: 0",
    ["greater than 0"],
    "pricing.items[0].periods",
)
yaml_case(
    "percent-over-100",
    "a discount over 100%",
    "  payment_schedule:",
    "  discount_pct: 101\n  payment_schedule:",
    ["less than or equal to 100"],
    "pricing.discount_pct",
)
yaml_case(
    "percent-negative",
    "a negative tax",
    "  payment_schedule:",
    "  tax_pct: -5\n  payment_schedule:",
    ["greater than or equal to 0"],
    "pricing.tax_pct",
)
yaml_case(
    "schedule-not-100",
    "instalments that do not add up",
    "percent: 30 }",
    "percent: 20 }",
    ["add up to 90, not 100"],
    "pricing.payment_schedule",
)
yaml_case(
    "date-not-real",
    "February 30th",
    "  date: 2027-01-11",
    "  date: 2027-02-30",
    ["day value is outside expected range"],
    "document.date",
)
yaml_case(
    "date-inconsistent",
    "valid until before the document date",
    "valid_until: 2027-02-10",
    "valid_until: 2026-02-10",
    ["is before the document date"],
    "document.valid_until",
)
yaml_case(
    "currency-unknown",
    "a currency typo, with a suggestion",
    "currency: USD",
    "currency: USS",
    ["not a current ISO 4217 currency code", "did you mean 'USD'"],
    "document.currency",
)
yaml_case(
    "currency-lowercase",
    "lowercase currency, with a suggestion",
    "currency: USD",
    "currency: usd",
    ["did you mean 'USD'"],
    "document.currency",
)
yaml_case(
    "currency-not-tender",
    "XXX means 'no currency'",
    "currency: USD",
    "currency: XXX",
    ["not a current ISO 4217 currency code"],
    "document.currency",
)
yaml_case(
    "currency-historic",
    "Deutsche Mark",
    "currency: USD",
    "currency: DEM",
    ["not a current ISO 4217 currency code"],
    "document.currency",
)
yaml_case(
    "locale-unknown",
    "en_US instead of en-US",
    "locale: en-US",
    "locale: en_US",
    ["did you mean 'en-US'"],
    "document.locale",
)
yaml_case(
    "industry-unknown",
    "unknown industry, with a suggestion",
    "industry: saas",
    "industry: sass",
    ["unknown industry 'sass'", "did you mean 'saas'"],
    "document.industry",
)
yaml_case(
    "industry-not-an-id",
    "industry with capitals",
    "industry: saas",
    "industry: SaaS",
    ["did you mean 'saas'"],
    "document.industry",
)
yaml_append(
    "section-unknown",
    "removing a section that does not exist",
    "sections:\n  - {id: pricng, remove: true}\n",
    ["no section 'pricng'", "did you mean 'pricing'"],
    "sections[0].id",
)
yaml_append(
    "section-anchor-unknown",
    "placing a section after one that does not exist",
    "sections:\n  - {id: extra, title: Extra, text: More, after: pricng}\n",
    ["did you mean 'pricing'"],
    "sections[0].after",
)
yaml_append(
    "section-variant-unknown",
    "a variant that does not exist",
    "sections:\n  - {id: executive-summary, variant: brif}\n",
    ["has no variant 'brif'"],
    "sections[0].variant",
)
yaml_append(
    "clause-unknown",
    "a clause that does not exist",
    "clauses:\n  limitation-of-liabilty: fallback-1\n",
    ["did you mean 'limitation-of-liability'"],
    "clauses.limitation-of-liabilty",
)
yaml_append(
    "position-unknown",
    "a clause position that does not exist",
    "clauses:\n  limitation-of-liability: fallback-9\n",
    ["has no position 'fallback-9'", "did you mean"],
    "clauses.limitation-of-liability",
)
yaml_case(
    "unknown-field",
    "a misspelt field, with a suggestion",
    NAME,
    "  nmae: Fernhill Home Services\n",
    ["unknown field", "did you mean 'name'"],
    "customer.nmae",
)
yaml_append(
    "markdown-too-deep",
    "presales Markdown nested deeper than the parser follows loses its text",
    'sections:\n  - id: understanding\n    text: "' + ">" * 40 + ' hidden clause"\n',
    ["nested too deeply"],
    "sections[0].text",
)
yaml_append(
    "markdown-table-overflow",
    "a table row with more cells than the header loses the extra cell",
    "sections:\n  - id: understanding\n    text: |\n      | Item | Price |\n      |---|---|\n      | Support | 100 | plus 20% uplift |\n",
    ["more cells than the header", "plus 20% uplift"],
    "sections[0].text",
)
yaml_case(
    "too-many-line-items",
    "more line items than any proposal needs",
    "  items:\n",
    "  items:\n"
    + "".join(f'    - {{name: Item {i}, quantity: 1, unit_price: "1.00"}}\n' for i in range(1001)),
    ["at most 1000 items"],
    "pricing.items",
)
yaml_case(
    "text-too-long",
    "a 20,001-character summary",
    "  summary: >-\n",
    "  summary: " + "x" * 20001 + "\n  x_old_summary: >-\n",
    ["at most 20000 characters"],
    "solution.summary",
)
yaml_case(
    "reference-too-long",
    "an 81-character reference",
    "reference: PG-SAMPLE-SAAS-EN",
    "reference: " + "R" * 81,
    ["at most 80 characters"],
    "document.reference",
)
yaml_case(
    "several-errors",
    "several mistakes are reported together",
    "currency: USD\n  industry: saas",
    "currency: USS\n  industry: saas\n  x_extra: 1",
    ["did you mean 'USD'", "document.x_extra: unknown field"],
)
print(len(list(OUT.iterdir())), "cases")
