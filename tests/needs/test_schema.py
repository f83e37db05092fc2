"""`propgen schema`: every field has a description and an example that validates."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from conftest import Result
from propgen.needs import models
from propgen.needs.schema import FIELDS, undocumented
from propgen.validation import _field_adapter

Run = Callable[..., Result]


def test_every_field_has_a_description_and_an_example(run: Run) -> None:
    assert undocumented() == []
    schema = json.loads(run("schema").out)
    defs = {"NeedsRecord": schema, **schema["$defs"]}
    count = 0
    for model in defs.values():
        for prop in model.get("properties", {}).values():
            assert prop["description"] and prop["examples"]
            count += 1
    assert count >= 90


@pytest.mark.parametrize("key", sorted(FIELDS))
def test_each_example_is_a_valid_value(key: str) -> None:
    model_name, field = key.split(".")
    model = getattr(models, model_name)
    assert field in model.model_fields, f"{key} documents a field that does not exist"
    _field_adapter(model, field).validate_python(FIELDS[key][1])
