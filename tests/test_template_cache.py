"""Compiled library templates are kept on disk between runs — and never trusted blindly."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from propgen import templating
from propgen.errors import LibraryError
from propgen.user_cache import CACHE_VARIABLE
from support import SAMPLES


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(CACHE_VARIABLE, str(tmp_path / "cache"))
    templating._bytecode_cache.cache_clear()
    templating._compile.cache_clear()
    yield tmp_path / "cache"
    templating._bytecode_cache.cache_clear()
    templating._compile.cache_clear()


def render(source: str, **context: object) -> str:
    env = templating.markdown_environment()
    return templating.render_text(env, source, context, file="t.yaml", first_line=1, field="body")


def cached_files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*.cache"))


def test_a_fresh_process_reuses_what_the_last_one_compiled(cache_dir: Path) -> None:
    check = [sys.executable, "-m", "propgen", "check", str(SAMPLES[0])]
    env = {CACHE_VARIABLE: str(cache_dir), "PATH": "/usr/bin:/bin"}
    subprocess.run(check, check=True, capture_output=True, env=env)
    first = {p: p.stat().st_mtime_ns for p in cached_files(cache_dir)}
    assert len(first) > 10
    subprocess.run(check, check=True, capture_output=True, env=env)
    again = {p: p.stat().st_mtime_ns for p in cached_files(cache_dir)}
    assert again == first  # read, not rewritten


def test_changed_text_under_the_same_name_is_compiled_again(cache_dir: Path) -> None:
    assert render("Hello {{ name }}", name="A") == "Hello A"
    templating._compile.cache_clear()  # as a new process would
    assert render("Goodbye {{ name }}", name="A") == "Goodbye A"


def test_the_same_text_in_another_copy_of_the_library_is_compiled_once(cache_dir: Path) -> None:
    """A library checked out (or copied) elsewhere reuses what was compiled: the key is
    the text, not its path."""
    env = templating.markdown_environment()
    for root in ("/srv/library-a", "/tmp/checkout-b"):
        text = templating.render_text(
            env, "Dear {{ name }}", {"name": "B"}, file=f"{root}/t.yaml", first_line=1, field="x"
        )
        assert text == "Dear B"
        templating._compile.cache_clear()  # as a new process would
    assert len(cached_files(cache_dir)) == 1


def test_an_error_in_shared_text_names_the_file_it_came_from(cache_dir: Path) -> None:
    env = templating.markdown_environment()
    source = "line one\n{{ missing.attribute }}"
    for file in ("a/first.yaml", "b/second.yaml"):
        with pytest.raises(LibraryError) as caught:
            templating.render_text(env, source, {}, file=file, first_line=10, field="text")
        (problem,) = caught.value.problems
        assert (problem.file, problem.line, problem.field) == (file, 12, "text")
        assert "missing" in problem.message


def test_a_damaged_cache_file_is_ignored(cache_dir: Path) -> None:
    assert render("Total {{ n }}", n=1) == "Total 1"
    (damaged,) = cached_files(cache_dir)
    damaged.write_bytes(b"not marshalled code")
    templating._compile.cache_clear()
    assert render("Total {{ n }}", n=2) == "Total 2"


def test_an_unwritable_cache_is_not_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would go")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    templating._bytecode_cache.cache_clear()
    templating._compile.cache_clear()
    try:
        assert render("Still {{ x }}", x="works") == "Still works"
    finally:
        templating._bytecode_cache.cache_clear()


def test_an_empty_setting_keeps_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "")
    templating._bytecode_cache.cache_clear()
    try:
        assert templating._bytecode_cache() is None
    finally:
        templating._bytecode_cache.cache_clear()
