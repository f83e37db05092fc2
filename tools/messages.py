"""Extract propgen's messages and merge them into the catalogues.

    python tools/messages.py            # update src/propgen/messages/*/LC_MESSAGES/propgen.po
    python tools/messages.py --check    # exit 1 when a catalogue lacks a message (CI)

Messages are the strings passed to ``N_()``, ``_t()`` or ``t()`` in src/propgen
(see propgen.i18n), and the help texts of the commands and their options (see
propgen.cli_help). New ones are added to each catalogue untranslated; removed
ones are dropped. Translators then fill in the empty ``msgstr`` s.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from propgen.cli import cli
from propgen.cli_help import help_texts

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src" / "propgen"
LOCALES = SOURCE / "messages"
KEYWORDS = {"N_": None, "_t": (1,), "t": (1,)}


def extracted() -> dict[str, list[tuple[str, int]]]:
    """msgid → where it is used, for every marked message of the source."""
    found: dict[str, list[tuple[str, int]]] = {}
    for filename, line, message, _comments, _context in extract_from_dir(
        str(SOURCE),
        method_map=[("serve/**.py", "ignore"), ("**.py", "python")],
        keywords=KEYWORDS,
    ):
        if isinstance(message, str) and message:
            found.setdefault(message, []).append((f"src/propgen/{filename}", line))
    for text in help_texts(cli):
        found.setdefault(text, []).append(("src/propgen/cli.py", 0))
    return found


def main(argv: list[str]) -> int:
    messages = extracted()
    status = 0
    for po in sorted(LOCALES.glob("*/LC_MESSAGES/propgen.po")):
        with po.open("rb") as handle:
            old = read_po(handle)
        missing = [m for m in messages if not (m in old and old[m].string)]
        if "--check" in argv:
            if missing:
                print(f"{po}: {len(missing)} untranslated: {missing[:5]}")
                status = 1
            continue
        catalog = Catalog(locale=old.locale, project="propgen", domain="propgen")
        for msgid, places in sorted(messages.items()):
            string = old[msgid].string if msgid in old else ""
            catalog.add(msgid, string, locations=places, flags=("python-brace-format",))
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, omit_header=False, sort_output=True)
        print(f"{po}: {len(messages)} messages, {len(missing)} untranslated")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
