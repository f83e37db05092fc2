"""Library text rendered again only when a value it reads changed.

The live preview re-assembles a deal on every edit, and most library texts read
none of the values an edit changes. Each template's reads are found once, from its
syntax tree: every chain of constant attribute or item look-ups from a template
variable (``customer.name``, ``pricing["total"]``). A chain is followed as far as
it goes into a :class:`~propgen.frozen.Record`; the value where it stops (a text, a
number, a list, a mapping, a whole record) is what the output may depend on. A
template's output is a function of those values, of its document's helpers
(locale, currency and labels) and of its source, so an output is reused only when
all of them are the same — compared strictly (``Decimal("4")`` and ``Decimal("4.0")``
print differently, so they differ here).

Templates whose output is more than such a function are always rendered: ones that
call ``ref()`` (it numbers cross-references as it goes), use ``lipsum()`` (random) or
load other templates.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jinja2 import Environment, TemplateSyntaxError, nodes
from jinja2.meta import find_undeclared_variables

from propgen.frozen import Record, field_names, record_kind

Chain = tuple[str, ...]
"""A variable and the constant look-ups after it: ``("customer", "name")``."""

_ALWAYS_RENDERED = frozenset({"ref", "lipsum"})
_LOADS = (nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)
ENTRIES_PER_TEXT = 4
"""Outputs kept per library text (a few deals or tabs previewed in turn)."""
MAX_TEXTS = 2048


@lru_cache(maxsize=1024)
def reads(env: Environment, source: str) -> tuple[Chain, ...] | None:
    """The chains ``source`` reads, or None when its output must always be rendered
    (or it does not parse: rendering it then reports the error)."""
    try:
        tree = env.parse(source)
    except TemplateSyntaxError:  # the render that follows reports it
        return None
    names = {name.name for name in tree.find_all(nodes.Name)}  # globals too, like ref
    if names & _ALWAYS_RENDERED or any(True for _ in tree.find_all(_LOADS)):
        return None
    variables = find_undeclared_variables(tree)
    chains: set[Chain] = set()
    _collect(tree, variables, chains)
    return tuple(sorted(chains))


def _collect(node: nodes.Node, variables: set[str], chains: set[Chain]) -> None:
    chain = _chain(node, variables)
    if chain is not None:
        chains.add(chain)
        return
    for child in node.iter_child_nodes():
        _collect(child, variables, chains)


def _chain(node: nodes.Node, variables: set[str]) -> Chain | None:
    """The chain ``node`` looks up, if it is one: a variable, then constant names."""
    steps: list[str] = []
    while True:
        if isinstance(node, nodes.Getattr) and isinstance(node.ctx, str):
            steps.append(node.attr)
            node = node.node
        elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
            if not isinstance(node.arg.value, str):
                # an index into a list: the chain stops at the list; the index is constant
                steps.clear()
            else:
                steps.append(node.arg.value)
            node = node.node
        elif isinstance(node, nodes.Name) and node.ctx == "load" and node.name in variables:
            return (node.name, *reversed(steps))
        else:
            return None


def value_read(context: Mapping[str, Any], chain: Chain) -> Any:
    """The value ``chain`` stops at in ``context``: it follows a record's fields and
    stops at anything else (whose own look-ups are then the template's business)."""
    value = context.get(chain[0], _MISSING)
    for step in chain[1:]:
        if not isinstance(value, Record) or step not in value:
            break
        value = value[step]
    return value


class _Missing:
    """A variable the context does not hold (the render reports it)."""


_MISSING = _Missing()


def same(a: Any, b: Any) -> bool:
    """Whether ``a`` and ``b`` print and behave alike in a template: equal, of the
    same types all the way down, Decimals with the same digits."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, Decimal):
        return bool(a.as_tuple() == b.as_tuple())
    if isinstance(a, str | int | bool | dt.date | type(None)):
        return bool(a == b)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Record):
        names = list(field_names(a))
        return (
            record_kind(a) == record_kind(b)
            and str(a) == str(b)
            and names == list(field_names(b))
            and all(same(a[n], b[n]) for n in names)
        )
    if isinstance(a, Mapping):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    return False  # anything else is never taken as unchanged


class RenderMemo:
    """Outputs of library texts by the values they read (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        """Look-ups answered from the memo, and not (for the tests and benchmarks)."""
        self._texts: OrderedDict[tuple[Any, ...], tuple[tuple[tuple[Any, ...], str], ...]] = (
            OrderedDict()
        )

    def lookup(self, key: tuple[Any, ...], values: tuple[Any, ...]) -> str | None:
        with self._lock:
            entries = self._texts.get(key, ())
        found = next((output for kept, output in entries if same(kept, values)), None)
        with self._lock:
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
        return found

    def keep(self, key: tuple[Any, ...], values: tuple[Any, ...], output: str) -> None:
        with self._lock:
            entries = self._texts.pop(key, ())
            self._texts[key] = ((values, output), *entries[: ENTRIES_PER_TEXT - 1])
            while len(self._texts) > MAX_TEXTS:
                self._texts.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._texts.clear()


_memo: RenderMemo | None = None


def remember_outputs() -> None:
    """Keep library text outputs from now on in this process (``propgen serve`` does:
    its previews re-assemble the same deals). A one-shot render gains nothing from it
    and skips finding each template's reads."""
    global _memo
    if _memo is None:
        _memo = RenderMemo()


def memo() -> RenderMemo | None:
    """The process's memo, if :func:`remember_outputs` was called."""
    return _memo
