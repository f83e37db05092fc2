"""`propgen schema`: every field has a description and an example that validates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import Result
from propgen.needs import models
from propgen.needs.schema import FIELDS, undocumented
from propgen.validation import _field_adapter
from support import FIXTURES, INDUSTRY_SAMPLES, SAMPLES

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


def _validator(run: Run) -> jsonschema.Draft202012Validator:
    schema = json.loads(run("schema").out)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize(
    "path",
    [*SAMPLES, *INDUSTRY_SAMPLES, *sorted(FIXTURES.glob("*.yaml"))],
    ids=lambda p: f"{p.parent.name}/{p.name}",
)
def test_every_shipped_record_validates_against_the_schema(run: Run, path: Path) -> None:
    """What an editor checks with the schema agrees with what `check` accepts."""
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    errors = [
        e.message for e in _validator(run).iter_errors(json.loads(json.dumps(record, default=str)))
    ]
    assert errors == []


def test_profiles_validate_and_a_misspelt_field_beside_one_does_not(run: Run) -> None:
    validator = _validator(run)
    record = yaml.safe_load(SAMPLES[0].read_text(encoding="utf-8"))
    record = json.loads(json.dumps(record, default=str))
    record["customer"] = {"profile": "fernhill", "size": "150 employees"}
    record["seller"]["rep"] = {"profile": "jordan-hayes"}
    assert [e.message for e in validator.iter_errors(record)] == []
    record["customer"] = {"profile": "fernhill", "legal_nmae": "Fernhill LLC"}
    assert list(validator.iter_errors(record))
    record["customer"] = {"profile": "Not An Id"}
    assert list(validator.iter_errors(record))
