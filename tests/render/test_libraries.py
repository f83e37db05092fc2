"""WeasyPrint's C libraries are found from the linker cache, never by running gcc."""

from __future__ import annotations

import ctypes.util
import json
import subprocess
import sys

import pytest

from propgen.render import libraries

pytestmark = pytest.mark.skipif(
    not libraries._linker_cache(), reason="no linker cache (not glibc Linux)"
)

_IMPORT_AND_LIST_COMMANDS = """
import json, subprocess
started = []
original = subprocess.Popen.__init__
def record(self, args, *rest, **kw):
    started.append(str(args[0] if isinstance(args, (list, tuple)) else args))
    original(self, args, *rest, **kw)
subprocess.Popen.__init__ = record
from propgen.render.libraries import import_weasyprint
import_weasyprint().HTML(string="<p>x</p>").write_pdf()
print(json.dumps(started))
"""


@pytest.mark.parametrize(
    "name", ["gobject-2.0", "pango-1.0", "harfbuzz", "harfbuzz-subset", "fontconfig", "c"]
)
def test_lookup_agrees_with_find_library(name: str) -> None:
    assert libraries.linker_cache_lookup(name) == ctypes.util.find_library(name)


def test_names_outside_the_cache_are_not_found() -> None:
    assert libraries.linker_cache_lookup("libharfbuzz-0") is None
    assert libraries.linker_cache_lookup("no-such-library-anywhere") is None


def test_weasyprint_imports_without_running_a_compiler() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_AND_LIST_COMMANDS],
        capture_output=True,
        text=True,
        check=True,
    )
    started = json.loads(result.stdout.strip().splitlines()[-1])
    assert not [cmd for cmd in started if "gcc" in cmd or cmd.endswith("ld")], started
    assert sum("ldconfig" in cmd for cmd in started) <= 1, started


def test_harfbuzz_subset_answer_matches_weasyprint() -> None:
    """The cheap answer (linker cache) equals WeasyPrint's own (its loaded library)."""
    script = (
        "import sys; from propgen.render.libraries import harfbuzz_subset_available as h; "
        "cheap = h(); assert 'weasyprint' not in sys.modules; "
        "from propgen.render.libraries import import_weasyprint; import_weasyprint(); "
        "print(cheap, h())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    cheap, own = result.stdout.split()
    assert cheap == own, (cheap, own)
    assert own == "True", "libharfbuzz-subset is missing: apt-get install libharfbuzz-subset0"
