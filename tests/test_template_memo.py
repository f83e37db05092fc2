"""What a library text's output is remembered by (``propgen.template_memo``): the
chains of look-ups it reads, and values compared as strictly as they print."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from propgen.frozen import freeze
from propgen.needs.models import Person
from propgen.template_memo import RenderMemo, reads, same, value_read
from propgen.templating import markdown_environment


@pytest.mark.parametrize(
    ("source", "chains"),
    [
        ("Dear {{ customer.name }}", [("customer", "name")]),
        ('{{ customer["legal"] }}', [("customer", "legal")]),
        ("{{ pricing.total | money }}", [("pricing", "total")]),
        (
            "{% for c in customer.contacts %}{{ c.name }}{% endfor %}",
            [("customer", "contacts")],
        ),
        ("{{ discovery.problem[0].text }}", [("discovery", "problem")]),
        ("{% set c = customer %}{{ c.name }}", [("customer",)]),
        ("{{ label('toc') }} {{ range(3) | list }}", []),
        ("plain text", []),
    ],
)
def test_the_chains_a_template_reads(source: str, chains: list[tuple[str, ...]]) -> None:
    assert reads(markdown_environment(), source) == tuple(sorted(chains))


@pytest.mark.parametrize(
    "source",
    ['see {{ ref("warranties") }}', "{{ lipsum(1) }}", '{% include "x" %}', "{{ broken"],
)
def test_texts_always_rendered(source: str) -> None:
    """ref() numbers references as it goes, lipsum() is random, an include reads
    another template; a text that does not parse is rendered to report its error."""
    assert reads(markdown_environment(), source) is None


def test_values_are_the_same_only_if_they_print_alike() -> None:
    assert same(Decimal("4"), Decimal("4"))
    assert not same(Decimal("4"), Decimal("4.0"))
    assert not same(Decimal("0"), Decimal("-0"))
    assert not same(1, True)
    assert not same(dt.date(2026, 1, 1), dt.datetime(2026, 1, 1))
    alice = freeze(Person(name="Alice", title="CFO"))
    assert same(alice, freeze(Person(name="Alice", title="CFO")))
    assert not same(alice, freeze(Person(name="Alice", title="CEO")))
    assert same((alice,), (freeze(Person(name="Alice", title="CFO")),))
    assert not same(object(), object())  # anything unknown is never taken as unchanged


def test_a_chain_is_followed_through_records_only() -> None:
    rep = freeze(Person(name="Alice", title="CFO"))
    context = {"rep": rep, "annexes": freeze({"a": "Annex 2"})}
    assert value_read(context, ("rep", "name")) == "Alice"
    assert value_read(context, ("rep", "nickname")) is rep  # no such field: the record
    assert value_read(context, ("annexes", "a")) == context["annexes"]  # the whole mapping


def test_the_memo_answers_only_for_the_same_values() -> None:
    memo = RenderMemo()
    key = ("text",)
    memo.keep(key, (Decimal("4"),), "4 percent")
    assert memo.lookup(key, (Decimal("4"),)) == "4 percent"
    assert memo.lookup(key, (Decimal("4.0"),)) is None
    for n in range(10):  # a few outputs are kept per text, the newest
        memo.keep(key, (n,), str(n))
    assert memo.lookup(key, (9,)) == "9"
    assert memo.lookup(key, (0,)) is None
