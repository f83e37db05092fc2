"""The one place that builds Jinja environments, and rendering library text with them.

Library text is semi-trusted: it renders in an immutable sandbox with strict
undefined variables. Needs values are untrusted data: every value a template
prints is escaped for the format being produced (Markdown here, XML for the
Word frame), and no value is ever compiled as a template.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from types import BuiltinMethodType, MethodType, TracebackType
from typing import Any

import jinja2
from jinja2.bccache import BytecodeCache, FileSystemBytecodeCache
from jinja2.exceptions import SecurityError
from jinja2.runtime import LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment
from jinja2.utils import Cycler, Joiner, Namespace
from markupsafe import Markup

from propgen.errors import EnvironmentProblem, LibraryError, Problem
from propgen.frozen import Record, record_kind
from propgen.guard import limits
from propgen.i18n import N_
from propgen.user_cache import cache_folder

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:=\"'$^@%])")
_NEWLINES = re.compile(r"[ \t]*\n\s*")
_DOUBLE_PERIOD = re.compile(r"(?<![.\\])\\\.\.(?!\.)")
"""A printed value's closing period (escaped: ``\\.``) followed by the template's own
period, as in ``{{ customer.legal }}.`` for "Acme Co., Ltd.": one period is printed."""


def escape_markdown(value: object) -> Markup:
    """Make ``value`` print literally when the result is parsed as Markdown."""
    if isinstance(value, Markup):
        return value
    text = _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))
    # A newline inside a value must not start a new block: keep it as a hard break.
    return Markup(_NEWLINES.sub("\\\\\n", text.strip()))


MIN_JINJA = (3, 1, 6)
"""Older Jinja2 releases have sandbox escapes (CVE-2024-56201, CVE-2024-56326,
CVE-2025-27516)."""
MAX_REPEAT = 100_000
"""The longest text or list a template may build with ``*``."""
MAX_POWER_BITS = 4_096
"""The largest number (in bits) a template may build with ``**``."""


STR_METHODS = frozenset(
    [
        "lower",
        "upper",
        "title",
        "capitalize",
        "casefold",
        "strip",
        "lstrip",
        "rstrip",
        "startswith",
        "endswith",
        "split",
        "rsplit",
        "splitlines",
        "count",
        "find",
        "rfind",
        "isalpha",
        "isalnum",
        "isdigit",
        "isdecimal",
        "isnumeric",
        "isspace",
        "islower",
        "isupper",
        "istitle",
    ]
)
"""The methods of text a template may call: pure, and none that pads or repeats."""
MAPPING_METHODS = frozenset({"get", "keys", "values", "items"})
"""The methods of a mapping (``seller.bank``, a ``{...}`` literal) a template may call."""
DATE_FIELDS = frozenset({"year", "month", "day"})
_JINJA_OWN = (LoopContext, Macro, Cycler, Joiner, Namespace)
"""Jinja's own template-side helpers (``loop``, macros, ``cycler()``…): Jinja's
sandbox rules apply to them unchanged."""


class _Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with an allow-list on top.

    Templates see plain data (:mod:`propgen.frozen`): a record's fields, a
    mapping's items and a few pure methods of text and mappings are reachable;
    every other attribute of every other object is not, and only those methods,
    Jinja's own helpers and the environment's globals can be called. ``*`` and
    ``**`` that would build gigantic values (``"x" * 10**9``, ``9 ** 9 ** 9``)
    are refused before any limit could act.
    """

    intercepted_binops = frozenset({"*", "**"})

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if isinstance(obj, Record):
            return attr in obj
        if isinstance(obj, str):
            return attr in STR_METHODS
        if isinstance(obj, Mapping):
            return attr in MAPPING_METHODS
        if isinstance(obj, dt.date):
            return attr in DATE_FIELDS
        if isinstance(obj, tuple):  # a named tuple from groupby: its fields only
            return attr in getattr(type(obj), "_fields", ())
        return isinstance(obj, _JINJA_OWN)

    def is_safe_callable(self, obj: Any) -> bool:
        if not super().is_safe_callable(obj):
            return False
        if isinstance(obj, Macro | LoopContext | Joiner):
            return True
        owner = getattr(obj, "__self__", None)
        if isinstance(obj, MethodType | BuiltinMethodType) and isinstance(
            owner, str | Mapping | LoopContext | Cycler
        ):
            return self.is_safe_attribute(owner, obj.__name__, obj)
        return any(obj is helper for helper in self.globals.values())

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, type):  # a class (``dict``, ``cycler``) has no data
            return self.unsafe_undefined(obj, attribute)
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, type):  # ``dict["x"]`` would build a generic alias
            return self.unsafe_undefined(obj, str(argument))
        return super().getitem(obj, argument)

    def wrap_str_format(self, value: Any) -> None:
        """``str.format`` is not on the allow-list (Jinja would hand out a sandboxed one)."""
        return None

    def call_binop(
        self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any
    ) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int):
            if abs(left) > 1 and right * abs(left).bit_length() > MAX_POWER_BITS:
                raise SecurityError(f"{left} ** {right} is too large for a template")
        elif operator == "*":
            for seq, times in ((left, right), (right, left)):
                sized = isinstance(seq, str | list | tuple) and isinstance(times, int)
                if sized and len(seq) * times > MAX_REPEAT:
                    raise SecurityError("a template may not build text or lists this long")
        return super().call_binop(context, operator, left, right)


class _Undefined(jinja2.StrictUndefined):
    """Strict undefined values, naming a record's kind: "Customer has no field 'x'"."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        owner = self._undefined_obj
        if isinstance(owner, Record) and self._undefined_hint is None:
            return f"{record_kind(owner)} has no field {self._undefined_name!r}"
        return str(super()._undefined_message)


def _check_jinja() -> None:
    found = tuple(int(n) for n in re.findall(r"\d+", jinja2.__version__)[:3])
    if found < MIN_JINJA:
        raise EnvironmentProblem(
            message=f"Jinja2 {jinja2.__version__} has known sandbox escapes; propgen needs "
            f"Jinja2 >= {'.'.join(map(str, MIN_JINJA))}: pip install -U 'jinja2>=3.1.6'"
        )


def sandbox(escape: Callable[[object], Markup] | None) -> ImmutableSandboxedEnvironment:
    """The one factory of Jinja environments: sandboxed, immutable, strict undefined
    variables, and escaping for the output format. No loader, so templates cannot
    include, import or extend anything.

    Args:
        escape: how printed values are escaped for the target format; ``None``
            means HTML/XML autoescaping (the docxtpl frame, which sets its own
            ``finalize`` on top).
    """
    _check_jinja()
    env = _Sandbox(
        undefined=_Undefined,
        autoescape=escape is None,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    if escape is not None:
        env.finalize = escape
    return env


HELPERS = "propgen:helpers"
"""The context entry holding a document's filters and functions by name; not a
name a template can write, so templates reach the helpers only as filters and
functions."""
FILTER_NAMES = (
    "money",
    "date",
    "number",
    "percent",
    "count",
    "words",
    "join_list",
    "currency_name",
    "estimate",
)
FUNCTION_NAMES = ("ref", "label")


def _helper(name: str) -> Callable[..., Markup]:
    @jinja2.pass_context
    def call(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Markup:
        return escape_markdown(context[HELPERS][name](*args, **kwargs))

    return call


@cache
def markdown_environment() -> ImmutableSandboxedEnvironment:
    """The one environment library Markdown renders in.

    Filters and functions find the document's own helpers (its locale's formatter,
    its clause numbers) in the render context under :data:`HELPERS`, so one
    environment — and each compiled template — serves every document. Their results
    are escaped like any other value.
    """
    env = sandbox(escape_markdown)
    env.filters.update({name: _helper(name) for name in FILTER_NAMES})
    env.globals.update({name: _helper(name) for name in FUNCTION_NAMES})
    return env


@cache
def _bytecode_cache() -> BytecodeCache | None:
    """Compiled library templates on disk, so a fresh process need not compile them
    again (Jinja's own cache: keyed by template name and source checksum)."""
    from propgen import __version__

    directory = cache_folder(f"jinja-{jinja2.__version__}-propgen-{__version__}")
    return None if directory is None else FileSystemBytecodeCache(str(directory))


def _code_name(source: str) -> str:
    """The name a library text is compiled under: its content, not where it lives.

    The same text in another copy of the library (a CI checkout, a test's copy, the
    server's other library version) is the same compiled template, so it is compiled
    once; errors are traced back to the text by this name (:func:`_template_line`)
    and reported under the text's file and field.
    """
    return "library-text-" + hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=1024)
def _compile(env: jinja2.Environment, source: str) -> jinja2.Template:
    """Compile once per process, and once per machine while the disk cache works.

    The cache key names the environment's class and escaping, which shape the
    generated code, and the text's content; a cache that cannot be read or written
    is simply not used.
    """
    store = _bytecode_cache()
    name = _code_name(source)
    key = f"{type(env).__qualname__}:{env.autoescape}:{env.finalize is not None}:{name}"
    bucket = store.get_bucket(env, key, None, source) if store else None
    code = bucket.code if bucket else None
    if code is None:
        code = env.compile(source, name=name, filename=name)
        if store and bucket:
            bucket.code = code
            with contextlib.suppress(OSError):
                store.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def render_text(
    env: jinja2.Environment,
    source: str,
    context: Mapping[str, Any],
    *,
    file: str,
    first_line: int | None,
    field: str,
) -> str:
    """Render one piece of library text.

    Args:
        first_line: the file line where ``source`` starts, so errors point there.

    Raises:
        LibraryError: naming the file, the line and what failed.
    """
    name = f"{file}#{field}"
    try:
        with limits(N_("template '{name}'").format(name=name)):
            text = _compile(env, source).render(context)
        if env.finalize is escape_markdown and "\\.." in text:
            return _DOUBLE_PERIOD.sub(r"\\.", text)
        return text
    except jinja2.TemplateSyntaxError as err:
        raise LibraryError(
            problems=[
                _problem(
                    file,
                    first_line,
                    err.lineno,
                    field,
                    N_("template syntax error: {reason}").format(reason=err.message),
                )
            ]
        ) from err
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as err:
        line = _template_line(err.__traceback__, _code_name(source))
        raise LibraryError(
            problems=[
                _problem(
                    file, first_line, line, field, N_("template error: {reason}").format(reason=err)
                )
            ]
        ) from err
    except LibraryError:
        raise
    except RecursionError as err:
        raise LibraryError(
            problems=[_problem(file, first_line, None, field, N_("template recurses too deeply"))]
        ) from err
    except (TypeError, ValueError, ArithmeticError, AttributeError, LookupError) as err:
        line = _template_line(err.__traceback__, _code_name(source))
        raise LibraryError(
            problems=[
                _problem(
                    file,
                    first_line,
                    line,
                    field,
                    N_("template failed: {reason}").format(reason=err),
                )
            ]
        ) from err


def evaluate(
    env: jinja2.Environment,
    expression: str,
    context: Mapping[str, Any],
    *,
    file: str,
    line: int | None,
    field: str,
) -> bool:
    """Evaluate a ``when:`` condition."""
    try:
        with limits(N_("condition '{name}'").format(name=f"{file}#{field}")):
            return bool(_expression(env, expression)(**context))
    except (
        jinja2.TemplateError,
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
        RecursionError,
    ) as err:
        raise LibraryError(
            problems=[
                Problem(
                    message=N_("condition failed: {reason}").format(reason=err),
                    file=file,
                    line=line,
                    field=field,
                )
            ]
        ) from err


@lru_cache(maxsize=1024)
def _expression(env: jinja2.Environment, expression: str) -> Callable[..., Any]:
    """A ``when:`` condition compiled once per process (the live preview evaluates
    every condition on each edit)."""
    return env.compile_expression(expression, undefined_to_none=False)


def _problem(
    file: str, first_line: int | None, line: int | None, field: str, message: str
) -> Problem:
    at = first_line + line if first_line is not None and line is not None else first_line
    return Problem(message=message, file=file, line=at, field=field)


def _template_line(tb: TracebackType | None, name: str) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
