"""The counter-redline's date: given with --date, else the latest of the record's
document date and the dates the edited file records; the same inputs give the same
bytes (no clock)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import yaml
from review_support import read_body, replace_text, write_body

from propgen.cli import main
from support import ROOT, reference_of

RECORD = ROOT / "samples" / "saas.en-US.yaml"


@pytest.fixture(scope="module")
def edited(tmp_path_factory: pytest.TempPathFactory, rendered_samples: Path) -> Path:
    folder = tmp_path_factory.mktemp("counter-date")
    original = rendered_samples / f"{reference_of(RECORD)}-contract.docx"  # shared, read-only
    body = read_body(original)
    replace_text(body, "fees-and-payment", "45 days", "60 days")
    return write_body(original, body, folder / "edited.docx")


def _with_saved(source: Path, modified: str, target: Path) -> Path:
    """``source`` as if saved at ``modified`` (its ``dcterms:modified``)."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                text = re.sub(
                    r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rf"\g<1>{modified}\g<2>",
                    data.decode(),
                )
                assert modified in text
                data = text.encode()
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return target


def _counter(edited: Path, target: Path, *extra: str) -> bytes:
    args = ["review", str(edited), "--needs", str(RECORD), "--counter", str(target), *extra]
    assert main(args) == 3
    return target.read_bytes()


def _change_dates(docx: bytes, tmp: Path) -> set[str]:
    path = tmp / "read.docx"
    path.write_bytes(docx)
    body = read_body(path)
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    return {n.get(f"{w}date") for n in body.iter(f"{w}ins", f"{w}del")}


def test_default_is_the_latest_date_the_inputs_record(
    edited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record_date = str(yaml.safe_load(RECORD.read_text(encoding="utf-8"))["document"]["date"])
    # saved before the record's date (a clock set wrong): the record's date
    early = _with_saved(edited, "2020-01-02T03:04:05Z", tmp_path / "early.docx")
    first = _counter(early, tmp_path / "a.docx")
    assert _change_dates(first, tmp_path) == {f"{record_date}T00:00:00Z"}
    # the same inputs, run again: the same bytes
    assert _counter(early, tmp_path / "b.docx") == first
    # saved by the customer after the record's date: the day of that save
    late = _with_saved(edited, "2027-03-15T09:30:00Z", tmp_path / "late.docx")
    assert _change_dates(_counter(late, tmp_path / "c.docx"), tmp_path) == {"2027-03-15T00:00:00Z"}
    # not a date at all (the file is untrusted): ignored
    odd = _with_saved(edited, "next Tuesday", tmp_path / "odd.docx")
    assert _change_dates(_counter(odd, tmp_path / "d.docx"), tmp_path) == {
        f"{record_date}T00:00:00Z"
    }
    capsys.readouterr()


def test_date_option_sets_the_changes_date(
    edited: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _counter(edited, tmp_path / "dated.docx", "--date", "2027-04-01")
    assert _change_dates(data, tmp_path) == {"2027-04-01T00:00:00Z"}
    assert main(["review", str(edited), "--needs", str(RECORD), "--date", "April"]) == 2
    assert "--date" in capsys.readouterr().err
