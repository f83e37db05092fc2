"""PDF profiles: archival PDF/A-3b with the deal embedded and signature fields that
a real signer fills, tagged PDF/UA, and the same bytes for the same input."""

from __future__ import annotations

import datetime
import io
import json
import shutil
import subprocess
from collections.abc import Callable
from functools import cache
from pathlib import Path

import pikepdf
import pytest

from conftest import Result
from propgen.pipeline import Checked, check, render_documents
from propgen.render.pdf_profile import PdfProfile
from support import ROOT

EN = ROOT / "samples" / "saas.en-US.yaml"
ZH = ROOT / "samples" / "saas.zh-CN.yaml"


@cache
def _checked(path: Path) -> Checked:
    return check(path, only="contract")


@cache
def contract_pdf(path: Path, profile: PdfProfile) -> bytes:
    files = render_documents(_checked(path), ("pdf",), pdf_profile=profile)
    (data,) = files.values()
    return data


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def _qpdf_check(data: bytes, tmp_path: Path) -> None:
    qpdf = shutil.which("qpdf")
    assert qpdf, "qpdf is missing: apt-get install qpdf (the Makefile installs it)"
    target = tmp_path / "checked.pdf"
    target.write_bytes(data)
    result = subprocess.run([qpdf, "--check", str(target)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def _fields(pdf: pikepdf.Pdf) -> dict[str, int]:
    """Signature field name → 0-based page number."""
    pages = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
    return {
        str(field.T): pages[field.P.objgen]
        for field in pdf.Root.AcroForm.Fields
        if pikepdf.Name.Sig == field.FT
    }


@pytest.mark.parametrize("profile", ["standard", "archival", "tagged"])
def test_every_profile_is_a_sound_pdf(profile: PdfProfile, tmp_path: Path) -> None:
    data = contract_pdf(EN, profile)
    _qpdf_check(data, tmp_path)
    with _open(data) as pdf:
        assert len(pdf.pages) > 3


@pytest.mark.parametrize("path", [EN, ZH], ids=["en", "zh"])
def test_archival_is_pdfa_3b_with_the_deal_embedded(path: Path) -> None:
    record = _checked(path).plan.record
    with _open(contract_pdf(path, "archival")) as pdf:
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert (xmp["pdfaid:part"], xmp["pdfaid:conformance"]) == ("3", "B")
        assert pdf.pdf_version == "1.7"
        associated = list(pdf.Root.AF)
        assert len(associated) == 2, "each embedded file is associated once"
        assert {str(spec.AFRelationship) for spec in associated} == {"/Data"}
        files = {name: spec.get_file().read_bytes() for name, spec in pdf.attachments.items()}
    stem = record.document.reference
    assert set(files) == {f"{stem}.needs.json", f"{stem}.provenance.json"}
    assert json.loads(files[f"{stem}.needs.json"]) == record.model_dump(
        mode="json", exclude_none=True
    )
    provenance = json.loads(files[f"{stem}.provenance.json"])
    assert provenance["reference"] == stem
    assert provenance["clauses"], "the clause versions used travel with the contract"
    assert "outputs" not in provenance, "a file cannot carry its own hash"


def test_standard_and_tagged_embed_nothing_and_have_no_fields() -> None:
    for profile in ("standard", "tagged"):
        with _open(contract_pdf(EN, profile)) as pdf:
            assert not pdf.attachments
            assert "/AcroForm" not in pdf.Root
            assert "/AF" not in pdf.Root


def test_tagged_has_a_structure_tree() -> None:
    with _open(contract_pdf(EN, "tagged")) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
            assert xmp["pdfuaid:part"] == "1"


@pytest.mark.parametrize(
    ("path", "names"),
    [
        (EN, {"Customer_Signature", "Supplier_Signature"}),
        (ZH, {"PartyA_Signature", "PartyA_Seal", "PartyB_Signature", "PartyB_Seal"}),
    ],
    ids=["en", "zh"],
)
def test_signature_fields_sit_on_the_signature_page(path: Path, names: set[str]) -> None:
    import pdfplumber

    data = contract_pdf(path, "archival")
    with _open(data) as pdf:
        fields = _fields(pdf)
        assert set(fields) == names
        rects = {str(f.T): [float(v) for v in f.Rect] for f in pdf.Root.AcroForm.Fields}
        for field in pdf.Root.AcroForm.Fields:
            assert int(field.F) & 4, "printable, as PDF/A requires"
            assert "/N" in field.AP
    (page,) = set(fields.values())
    signature_label = "签字" if path == ZH else "Signature"
    with pdfplumber.open(io.BytesIO(data)) as plumbed:
        sheet = plumbed.pages[page]
        assert signature_label in (sheet.extract_text() or "")
        height = float(sheet.height)
        words = sheet.extract_words()
    # Each signature field lies to the right of its "Signature" label, on its line.
    labels = [w for w in words if signature_label in w["text"]]
    for name, (left, bottom, right, top) in rects.items():
        assert 0 <= left < right <= float(sheet.width)
        assert 0 <= bottom < top <= height
        if name.endswith("_Signature"):
            assert any(
                w["x1"] <= left + 1 and bottom <= height - w["bottom"] <= top for w in labels
            ), f"{name} is not beside a {signature_label!r} label"
    seals = [rects[n] for n in names if n.endswith("_Seal")]
    signatures = [rects[n] for n in names if n.endswith("_Signature")]
    for seal in seals:
        for signature in signatures:
            overlap = seal[0] < signature[2] and signature[0] < seal[2]
            overlap = overlap and seal[1] < signature[3] and signature[1] < seal[3]
            assert not overlap, "a seal field never covers a signature field"


def test_archival_contract_signs_and_validates(tmp_path: Path) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tallgrass Signatory")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = tmp_path / "key.pem", tmp_path / "cert.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file))  # type: ignore[no-untyped-call]
    assert signer is not None

    writer = IncrementalPdfFileWriter(io.BytesIO(contract_pdf(EN, "archival")))
    signed = signers.sign_pdf(
        writer, signers.PdfSignatureMetadata(field_name="Customer_Signature"), signer=signer
    )
    reader = PdfFileReader(signed)
    (signature,) = reader.embedded_signatures
    assert signature.field_name == "Customer_Signature"
    from pyhanko.keys import load_cert_from_pemder

    root = load_cert_from_pemder(str(cert_file))  # type: ignore[no-untyped-call]
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    details = status.pretty_print_details()  # type: ignore[no-untyped-call]
    assert status.intact and status.valid and status.trusted, details
    with _open(signed.getvalue()) as pdf:
        assert set(_fields(pdf)) == {"Customer_Signature", "Supplier_Signature"}


@pytest.mark.parametrize(
    ("path", "profile"), [(ZH, "archival"), (EN, "tagged")], ids=["zh-archival", "en-tagged"]
)
def test_same_input_same_bytes(path: Path, profile: PdfProfile) -> None:
    again = render_documents(check(path, only="contract"), ("pdf",), pdf_profile=profile)
    assert next(iter(again.values())) == contract_pdf(path, profile)


def test_cli_renders_the_archival_profile(run: Callable[..., Result], tmp_path: Path) -> None:
    result = run(
        "render", EN, "-o", tmp_path, "--only", "contract", "--format", "pdf",
        "--pdf-profile", "archival", "-j", "1",
    )  # fmt: skip
    assert result.code == 0, result.err
    (written,) = tmp_path.glob("*-contract.pdf")
    with pikepdf.open(written) as pdf:
        assert set(_fields(pdf)) == {"Customer_Signature", "Supplier_Signature"}
        assert len(pdf.attachments) == 2
