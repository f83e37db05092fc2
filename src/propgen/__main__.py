"""The ``propgen`` command's entry point (also ``python -m propgen``).

``propgen --help`` and ``propgen --version`` are answered before click is imported:
the help is the text click itself prints, stored in ``help.txt`` by
``tools/build_help.py`` and kept identical by a test. They then start about as
fast as Python does, instead of paying ~0.1 s for click. Everything else, help
on a terminal narrower than click's 80 columns, and help in Chinese (``LANG=zh_CN…``),
goes to :mod:`propgen.cli`.

The command then leaves without tearing down its heap (:func:`console`), as mypy
does: freeing every object of pydantic, Babel and the rest one by one is work
nobody waits for gladly.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `from typing`: importing typing costs 20 ms of start-up
if TYPE_CHECKING:
    from typing import NoReturn

HELP_FILE = os.path.join(os.path.dirname(__file__), "help.txt")
CLICK_WIDTH = 80
"""The widest help click prints; on any terminal at least this wide the text is the same."""


def main() -> int:
    args = sys.argv[1:]
    if args == ["--version"]:
        from propgen import __version__

        sys.stdout.write(f"propgen, version {__version__}\n")
        return 0
    if args in (["--help"], ["-h"]) and _columns() >= CLICK_WIDTH and not _chinese():
        try:
            with open(HELP_FILE, encoding="utf-8") as stored:
                sys.stdout.write(stored.read())
            return 0
        except OSError:
            pass  # not installed with the package: let click answer
    from propgen.cli import main as run

    return run()


def console() -> NoReturn:
    """The ``propgen`` console script: :func:`main`, then an immediate exit.

    Everything the command wrote is flushed first; files are already complete
    (written atomically) and worker pools closed by then, so Python's tear-down
    (freeing each object, running finalizers) would only add time.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        # Not contextlib.suppress: importing contextlib costs 7 ms of start-up.
        try:  # noqa: SIM105
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass  # closed or gone (a pipe whose reader quit): nothing left to say
    os._exit(code)


def _chinese() -> bool:
    """Whether the environment asks for Chinese (as ``propgen.i18n.environment_language``
    decides, which imports too much to be asked here): its help comes from click."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return value.lower().startswith("zh")
    return False


def _columns() -> int:
    """The terminal width as click measures it (``shutil.get_terminal_size``, which
    costs 20 ms to import)."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or CLICK_WIDTH


if __name__ == "__main__":
    console()
