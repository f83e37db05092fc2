"""``--help`` in the user's language.

click builds its help from two kinds of text: its own words ("Usage:", "Options",
"Show this message and exit.", "[default: …]"), which it passes through
:func:`gettext.gettext`, and ours (each command's docstring, each option's
``help=``). Both are entries of propgen's catalogue: click's words are listed
below, ours are collected from the command tree by ``tools/messages.py``
(:func:`help_texts`).

Python's :mod:`gettext` would only find click's words in a compiled ``.mo`` file
chosen from ``$LANG`` once per process, and it cannot see ``--lang``. So the
translation happens where the help is laid out instead: every propgen command
makes a :class:`HelpFormatter` that looks each text up in the catalogue of the
language asked for (``--lang``, else ``$LANG``) and wraps Chinese by display
width (a Han character takes two columns). English goes through click unchanged,
so ``help.txt`` stays exactly what click prints.
"""

from __future__ import annotations

import inspect
import re
import unicodedata
from collections.abc import Iterable, Iterator

import click

from propgen.i18n import N_

LANGUAGE_KEY = "propgen.lang"
"""Where ``--lang`` is kept in ``click.Context.meta`` (shared by every sub-context)."""

CLICK_WORDS = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("default: {default}"),
    N_("required"),
)
"""click's own words that its help prints for propgen's commands."""

CLICK_ERRORS = (
    N_("Try '{command} {option}' for help."),
    N_("Missing argument {name}."),
    N_("Missing option {name}."),
    N_("Missing option {name}. Choose from:\n\t{choices}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("{message} Did you mean {option}?"),
    N_("{message} (Did you mean one of: {options}?)"),
    N_("Invalid value for {name}: {message}"),
    N_("Invalid value: {message}"),
    N_("{value!r} is not {choice}."),
    N_("{value!r} is not one of {choices}."),
    N_("Got unexpected extra argument ({args})"),
    N_("Got unexpected extra arguments ({args})"),
    N_("Option {name!r} requires an argument."),
    N_("Option {name!r} does not take a value."),
    N_("{value!r} is not a valid integer."),
    N_("{value} is not in the range {range}."),
    N_("File {filename!r} does not exist."),
    N_("Directory {filename!r} does not exist."),
    N_("Path {filename!r} does not exist."),
    N_("File {filename!r} is a directory."),
    N_("Directory {filename!r} is a file."),
)
"""click's usage errors as propgen's commands can meet them, in their final English
form (what ``format_message`` returns), so :func:`show_error` can translate them."""

_EXTRA = re.compile(r"(?s)(?:(.*?)  )?\[([^\[\]]*)\]")
"""An option's help with click's extra, e.g. ``Output folder.  [default: out]``."""

_CLOSING = frozenset("，。；：、）」』》！？,.;:)")
"""Punctuation that may not begin a line (Chinese line-breaking rules)."""


def language_of(ctx: click.Context) -> str:
    """``--lang`` if given, else the environment's language."""
    from propgen.i18n import environment_language

    chosen = ctx.meta.get(LANGUAGE_KEY)
    return chosen if isinstance(chosen, str) else environment_language()


def help_texts(command: click.Command) -> Iterator[str]:
    """Every help text of ``command`` and its subcommands, as the catalogue's msgids."""
    if command.help:
        yield command_help(command)
    for param in command.params:
        text = getattr(param, "help", None)
        if isinstance(text, str) and text and not getattr(param, "hidden", False):
            yield text
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            yield from help_texts(sub)


def command_help(command: click.Command) -> str:
    """The help click prints for ``command`` (its docstring up to a form feed)."""
    return inspect.cleandoc(command.help or "").partition("\f")[0]


def display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns: between Han characters
    anywhere, between Latin words at spaces, never before closing punctuation."""
    lines: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        line: list[str] = []
        for token in re.findall(r"[\x21-\x7e]+|\s+|.", " ".join(paragraph.split())):
            if token.isspace():
                if line:
                    line.append(" ")
                continue
            if line and display_width("".join(line).rstrip() + token) > width:
                carried: list[str] = []
                if token[0] in _CLOSING and len(line) > 1:  # take a word along
                    carried = [line.pop()]
                lines.append("".join(line).rstrip())
                line = carried
            line.append(token)
        lines.append("".join(line).rstrip())
        lines.append("")
    return lines[:-1]


def _spaced(text: str) -> str:
    """``text`` and the space that separates it from what follows, unless it ends in
    full-width punctuation, which carries its own."""
    return text if text.endswith(tuple(_CLOSING - set(",.;:)"))) else f"{text} "


class HelpFormatter(click.HelpFormatter):
    """click's formatter, with every text looked up in ``language`` 's catalogue."""

    def __init__(self, language: str, **options: int | None) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.language = language

    def t(self, message: str) -> str:
        from propgen.i18n import translator

        return translator(self.language)(message)

    @property
    def english(self) -> bool:
        return self.language == "en-US"

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None and not self.english:
            prefix = _spaced(self.t("Usage:"))
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if self.english:
            super().write_heading(heading)
        else:
            self.write(f"{'':>{self.current_indent}}{self.t(heading)}：\n")

    def write_text(self, text: str) -> None:
        if self.english:
            super().write_text(text)
            return
        indent = " " * self.current_indent
        for line in wrap(self.t(text), self.width - self.current_indent):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(
        self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2
    ) -> None:
        rows = list(rows)
        if self.english:
            super().write_dl(rows, col_max, col_spacing)
            return
        first_col = min(max(display_width(first) for first, _ in rows), col_max) + col_spacing
        for first, second in rows:
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if display_width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - display_width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            width = max(self.width - first_col - self.current_indent, 10)
            lines = wrap(self.option_help(second), width) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")

    def option_help(self, text: str) -> str:
        """An option's help and click's extra (``[default: …]``) in the language."""
        found = _EXTRA.fullmatch(text)
        if not found:
            return self.t(text)
        from propgen.i18n import translate_text

        extras = "; ".join(translate_text(e, self.language) for e in found[2].split("; "))
        return f"{_spaced(self.t(found[1])) if found[1] else ''}[{extras}]"

    def short_help(self, command: click.Command, limit: int) -> str:
        """The first sentence of ``command`` 's translated help, cut to ``limit`` columns."""
        if self.english:
            return command.get_short_help_str(limit)
        text = " ".join(self.t(command_help(command)).split())
        first = text.partition("。")[0]
        if display_width(first) <= limit:
            return first
        while display_width(first + "…") > limit:
            first = first[:-1]
        return first + "…"


class Context(click.Context):
    """A context whose help is laid out in the user's language."""

    def make_formatter(self) -> HelpFormatter:
        return HelpFormatter(
            language_of(self), width=self.terminal_width, max_width=self.max_content_width
        )


class Command(click.Command):
    context_class = Context


class Group(click.Group):
    """A group whose commands (and subgroups) use :class:`Context` too."""

    context_class = Context
    command_class = Command
    group_class = type

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if not isinstance(formatter, HelpFormatter) or formatter.english:
            super().format_commands(ctx, formatter)
            return
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _ in commands)
        rows = [(name, formatter.short_help(command, limit)) for name, command in commands]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def show_error(err: click.ClickException, language: str) -> None:
    """Print ``err`` as click does (usage, the hint to ``--help``, ``Error: …``), in
    ``language``."""
    if language == "en-US":
        err.show()
        return
    from propgen.i18n import translate_text, translator

    t = translator(language)
    ctx = err.ctx if isinstance(err, click.UsageError) else None
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            option = max(ctx.command.get_help_option_names(ctx), key=len)
            hint = t("Try '{command} {option}' for help.").format(
                command=ctx.command_path, option=option
            )
            hint = f"{hint}\n"
        click.echo(f"{ctx.get_usage()}\n{hint}", err=True)
    message = translate_text(err.format_message(), language)
    click.echo(t("Error: {problem}").format(problem=message), err=True)
