"""The exceptions propgen raises, each with the exit code the CLI uses.

::

    PropgenError                 exit 1: something unexpected
    ├── InvalidInput             exit 2: the user can fix it
    │   ├── NeedsError           a needs record is malformed or invalid
    │   ├── LibraryError         a library file is malformed, or a template fails
    │   ├── PolicyError          governance refuses the deal (retired clause, draft text)
    │   ├── ResourceLimit        a document is too large, or took too long or too much
    │                            memory to render (guard.py)
    │   ├── OtherRevision        the output folder holds another revision of the deal
    │                            (``--force`` replaces it)
    │   └── DocumentError        an edited DOCX given to ``review`` cannot be read safely
    └── EnvironmentProblem       exit 1: the machine lacks something (a CJK font, ...)

Every :class:`InvalidInput` carries one or more :class:`Problem` s (never none), each saying
where (file, line, field path) and what to do next; several problems are
reported together rather than one per run.
"""

from __future__ import annotations

from dataclasses import dataclass


def printable(text: str) -> str:
    """``text`` safe to write to a terminal: control, format and separator
    characters (ESC, OSC, bidi overrides, zero-width marks) shown as escapes like
    ``\\x1b`` or ``\\u202e``, never written raw."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in "\n\t" else ascii(ch)[1:-1] for ch in text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input, located as precisely as known."""

    message: str
    file: str = ""
    line: int | None = None
    field: str = ""
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if where and self.line is not None:
            where = f"{where}:{self.line}"
        parts = [p for p in (where, self.field) if p]
        text = ": ".join([*parts, self.message])
        return printable(f"{text} — {self.hint}" if self.hint else text)


class PropgenError(Exception):
    """Base of every error propgen raises on purpose."""

    exit_code = 1


class InvalidInput(PropgenError):
    """Input the user can correct: the CLI exits 2 and prints every problem."""

    exit_code = 2

    def __init__(self, *, problems: list[Problem] | tuple[Problem, ...]) -> None:
        if not problems:
            # A bare "Error: " helps no one: the raiser must say what is wrong.
            raise ValueError(f"{type(self).__name__} needs at least one Problem")
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments: pickle (and so a worker process) needs this.
        return (_rebuild, (type(self), {"problems": self.problems}))


class OtherRevision(InvalidInput):
    """The output folder holds another revision of the same deal (another version, or
    the same version made from another record): ``--force`` replaces it."""


class NeedsError(InvalidInput):
    """A needs record cannot be read or does not validate."""


class LibraryError(InvalidInput):
    """A library file is malformed, refers to something missing, or fails to render."""


class PolicyError(InvalidInput):
    """Governance refuses to produce the document (retired or unapproved clause text)."""


class ResourceLimit(InvalidInput):
    """A document took longer or needed more memory than allowed, or is too large."""


class DocumentError(InvalidInput):
    """A DOCX handed back for review is not a sound Word file, or is hostile (a zip
    bomb, entity expansion, parts too large)."""


class EnvironmentProblem(PropgenError):
    """The machine lacks something propgen needs; the message says how to fix it."""

    def __init__(self, *, message: str) -> None:
        self.message = message
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), {"message": self.message}))


def _rebuild(cls: type[PropgenError], arguments: dict[str, object]) -> PropgenError:
    return cls(**arguments)
