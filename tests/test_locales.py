"""One list of locales (propgen.locales.LOCALES); every other reader agrees with it."""

from __future__ import annotations

import json
from collections.abc import Callable

import click
import yaml

from conftest import Result
from propgen.cli import cli
from propgen.library import Library, bundled_library_root
from propgen.locale import Formatter
from propgen.locales import LOCALES, is_chinese
from support import ROOT

Run = Callable[..., Result]


def test_the_needs_schema_offers_exactly_the_locales(run: Run) -> None:
    schema = json.loads(run("schema").out)
    document = schema["$defs"]["DocumentInfo"]["properties"]["locale"]
    assert tuple(document["enum"]) == LOCALES


def test_propgen_new_offers_exactly_the_locales() -> None:
    new = cli.commands["new"]
    [option] = [p for p in new.params if p.name == "locale"]
    assert isinstance(option.type, click.Choice)
    assert tuple(option.type.choices) == LOCALES


def test_the_library_has_labels_for_exactly_the_locales() -> None:
    labels = sorted(p.stem for p in (ROOT / "templates" / "labels").glob("*.yaml"))
    assert labels == sorted(LOCALES)
    library = Library(bundled_library_root())
    keys = {locale: set(library.labels(locale)) for locale in LOCALES}
    # "key@proposal" is a locale's optional proposal form of "key" (English proposals
    # avoid the contract's defined terms); every other key is in every locale.
    base = {locale: {k for k in found if "@" not in k} for locale, found in keys.items()}
    assert all(k == base[LOCALES[0]] for k in base.values())
    for locale, found in keys.items():
        assert {k.split("@")[0] for k in found} <= base[locale], locale


def test_every_industry_is_written_in_known_locales_with_a_sample_each() -> None:
    for manifest in sorted((ROOT / "templates" / "industry").glob("*/manifest.yaml")):
        locales = yaml.safe_load(manifest.read_text(encoding="utf-8"))["locales"]
        assert set(locales) <= set(LOCALES), manifest
        for locale in locales:
            assert (manifest.parent / f"sample.{locale}.yaml").is_file(), (manifest, locale)


def test_chinese_drafting_is_decided_in_one_place() -> None:
    assert [is_chinese(locale) for locale in LOCALES] == [
        Formatter(locale, "USD").is_chinese for locale in LOCALES
    ]
    assert is_chinese("zh-CN") and not is_chinese("en-US")
