"""The exception tree: drawn in errors.py's docstring, each class with its exit code."""

from __future__ import annotations

import re

import pytest

import propgen
from propgen import errors
from propgen.errors import InvalidInput, Problem, PropgenError, ResourceLimit
from support import ROOT


def _tree() -> dict[str, int]:
    """Class name → exit code, as the docstring draws them (a child inherits)."""
    drawn: dict[str, int] = {}
    inherited = 1
    for line in (errors.__doc__ or "").splitlines():
        found = re.match(r" {4}[│├└─ ]*([A-Z]\w+)\s+(?:exit (\d))?", line)
        if found:
            if found.group(2):
                inherited = int(found.group(2))
            drawn[found.group(1)] = inherited
    return drawn


def test_every_error_class_is_in_the_drawn_tree_with_its_exit_code() -> None:
    classes = {
        name: value
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, PropgenError)
    }
    drawn = _tree()
    assert set(drawn) == set(classes)
    for name, cls in classes.items():
        assert cls.exit_code == drawn[name], name
        assert name in propgen.__all__, f"{name} is not exported"


def test_resource_limit_is_invalid_input() -> None:
    assert issubclass(ResourceLimit, InvalidInput) and ResourceLimit.exit_code == 2


def test_invalid_input_without_a_problem_cannot_be_made() -> None:
    with pytest.raises(ValueError, match="at least one Problem"):
        InvalidInput(problems=[])
    err = InvalidInput(problems=[Problem(message="m", file="f.yaml", line=3, field="a.b")])
    assert str(err) == "f.yaml:3: a.b: m"


def test_package_ships_its_type_marker() -> None:
    """PEP 561: without py.typed, mypy ignores propgen's hints in a user's project."""
    assert (ROOT / "src" / "propgen" / "py.typed").is_file()
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'packages = ["src/propgen"]' in pyproject  # the wheel takes the whole folder
