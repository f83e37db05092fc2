"""The HTTP render API (embedded mode): check, idempotent render jobs whose files are
byte-identical to the CLI's, content-addressed storage, signed callbacks with retries
to a real receiver on 127.0.0.1, and the limits."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from openapi_spec_validator import validate
from starlette.testclient import TestClient

from propgen.api import webhooks
from propgen.api.app import MAX_BODY, create_api
from propgen.api.jobs import render_key
from propgen.api.store import Job
from propgen.library import Library, default_library_root
from support import ROOT, reference_of

SAMPLE = ROOT / "samples" / "saas.en-US.yaml"
YAML = {"Content-Type": "application/yaml"}
SECRET = b"shared-secret"


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_api(
        tmp_path / "store", library=Library(default_library_root()), secret=SECRET, workers=1
    )
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        yield test_client
    app.state.api.executor.shutdown(wait=True)


def _finished(client: TestClient, url: str, limit: float = 600) -> dict[str, Any]:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(url).json()
        if job["state"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {url} did not finish in {limit} s")


def test_check_answers_pricing_or_problems(client: TestClient) -> None:
    ok = client.post("/v1/check", content=SAMPLE.read_bytes(), headers=YAML)
    assert ok.status_code == 200
    assert ok.json()["pricing"]["currency"] == "USD"
    broken = SAMPLE.read_text(encoding="utf-8").replace("currency: USD", "currency: DOLLARS")
    bad = client.post("/v1/check", content=broken.encode(), headers=YAML)
    assert bad.status_code == 422
    fields = [p["field"] for p in bad.json()["problems"]]
    assert "document.currency" in fields


def test_a_render_job_gives_the_clis_bytes_once_per_key(
    client: TestClient, tmp_path: Path, rendered_samples: Path
) -> None:
    body = SAMPLE.read_bytes()
    headers = {**YAML, "Idempotency-Key": "deal-31-v1"}
    first = client.post("/v1/renders", content=body, headers=headers)
    assert first.status_code == 202
    job = _finished(client, first.headers["Location"])
    assert job["state"] == "done", job
    again = client.post("/v1/renders", content=body, headers=headers)
    assert again.json()["id"] == job["id"], "the same key and body never render twice"
    assert again.status_code == 200
    other = client.post("/v1/renders", content=body + b"\n# edited\n", headers=headers)
    assert other.status_code == 409

    cli = sorted(rendered_samples.glob(f"{reference_of(SAMPLE)}[-.]*"))
    assert len(cli) == 5  # the CLI's proposal and contract, DOCX and PDF, and provenance
    for path in cli:
        name = path.name
        if name.endswith(".provenance.json"):
            continue  # names the posted file, not SAMPLE
        served = client.get(job["files"][name]["url"])
        assert served.status_code == 200
        assert served.content == path.read_bytes(), name
        assert job["files"][name]["sha256"] == hashlib.sha256(served.content).hexdigest()
    objects = list((tmp_path / "store" / "objects").rglob("*"))
    assert len([p for p in objects if p.is_file()]) == len(job["files"])


def test_a_repeat_is_served_from_the_store_whatever_its_key(
    client: TestClient, tmp_path: Path
) -> None:
    body = SAMPLE.read_bytes()
    first = _finished(
        client, client.post("/v1/renders", content=body, headers=YAML).headers["Location"]
    )
    assert first["state"] == "done" and "reused" not in first, first
    objects = sorted((tmp_path / "store" / "objects").rglob("*"))

    posted = client.post("/v1/renders", content=body, headers={**YAML, "Idempotency-Key": "k2"})
    assert posted.status_code == 202, "another key is another job"
    again = _finished(client, posted.headers["Location"])
    assert again["id"] != first["id"]
    assert again["reused"] == first["id"], "rendered again instead of served from the store"
    assert {n: f["sha256"] for n, f in again["files"].items()} == {
        n: f["sha256"] for n, f in first["files"].items()
    }
    for entry in again["files"].values():
        served = client.get(entry["url"])
        assert hashlib.sha256(served.content).hexdigest() == entry["sha256"]
    assert sorted((tmp_path / "store" / "objects").rglob("*")) == objects


def test_a_render_is_reused_only_for_the_same_body_library_and_formats(tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(default_library_root() / "templates", root / "templates")
    shutil.copytree(default_library_root() / "snippets", root / "snippets")
    job = Job(id="a", body_sha256="0" * 64, content_type="application/yaml")
    key = render_key(job, Library(root))
    assert (
        render_key(
            Job(id="b", body_sha256="0" * 64, content_type="application/yaml"), Library(root)
        )
        == key
    )
    assert (
        render_key(
            Job(id="a", body_sha256="1" * 64, content_type="application/yaml"), Library(root)
        )
        != key
    )
    assert (
        render_key(
            Job(id="a", body_sha256="0" * 64, content_type="application/json"), Library(root)
        )
        != key
    )
    seller = root / "snippets" / "seller.yaml"
    seller.write_text(seller.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert render_key(job, Library(root)) != key, "a library edit must render again"


def test_limits_and_refusals(client: TestClient) -> None:
    big = client.post("/v1/renders", content=b"a: " + b"x" * (MAX_BODY + 1), headers=YAML)
    assert big.status_code == 413
    form = client.post("/v1/renders", content=b"a=1", headers={"Content-Type": "text/plain"})
    assert form.status_code == 415
    cross = client.post(
        "/v1/check", content=SAMPLE.read_bytes(), headers={**YAML, "Sec-Fetch-Site": "cross-site"}
    )
    assert cross.status_code == 403
    far = client.post(
        "/v1/renders",
        content=SAMPLE.read_bytes(),
        headers={**YAML, "Propgen-Callback": "http://169.254.169.254/latest/meta-data"},
    )
    assert far.status_code == 422
    assert client.get("/v1/renders/../../etc/passwd").status_code == 404
    assert client.get("/v1/renders/nosuchjob").status_code == 404
    assert client.get("/healthz").json() == {"ok": True}
    assert client.get("/readyz").status_code == 200
    document = client.get("/v1/openapi.json").json()
    assert "/v1/renders" in document["paths"]
    schemas = document["components"]["schemas"]
    assert schemas["NeedsRecord"]["properties"]["customer"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Customer"
    }
    validate(document)  # OpenAPI 3.1, schemas included
    refs = re.findall(r'"\$ref": "#/components/schemas/(\w+)"', json.dumps(document))
    assert refs and set(refs) <= set(schemas)


def test_a_token_guards_every_route(tmp_path: Path) -> None:
    app = create_api(tmp_path / "s", library=Library(default_library_root()), token="t0k")
    with TestClient(app, base_url="http://127.0.0.1") as test_client:
        assert test_client.post("/v1/check", content=b"x", headers=YAML).status_code == 401
        ok = test_client.post(
            "/v1/check",
            content=SAMPLE.read_bytes(),
            headers={**YAML, "Authorization": "Bearer t0k"},
        )
        assert ok.status_code == 200


class _Receiver(BaseHTTPRequestHandler):
    calls: ClassVar[list[tuple[dict[str, str], bytes]]] = []
    failures_left = 0

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).calls.append((dict(self.headers), body))
        if type(self).failures_left > 0:
            type(self).failures_left -= 1
            self.send_response(503)
        else:
            self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def _verify(header: str, body: bytes) -> bool:
    parts = dict(item.split("=", 1) for item in header.split(","))
    expected = hmac.new(SECRET, parts["t"].encode() + b"." + body, hashlib.sha256).hexdigest()
    return abs(time.time() - int(parts["t"])) <= 300 and hmac.compare_digest(expected, parts["v1"])


def test_the_callback_is_signed_and_retried(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(webhooks, "FIRST_DELAY", 0.05)
    _Receiver.calls, _Receiver.failures_left = [], 2
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/hook"
        posted = client.post(
            "/v1/renders",
            content=SAMPLE.read_bytes(),
            headers={**YAML, "Propgen-Callback": url},
        )
        assert posted.status_code == 202
        job = _finished(client, posted.headers["Location"])
        deadline = time.monotonic() + 30
        while len(_Receiver.calls) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert len(_Receiver.calls) == 3, "two 503s, then delivered"
    for headers, body in _Receiver.calls:
        assert _verify(headers[webhooks.HEADER], body)
        assert json.loads(body)["id"] == job["id"]
    assert not _verify(_Receiver.calls[0][0][webhooks.HEADER], _Receiver.calls[0][1] + b" ")


def test_a_crm_export_goes_through_the_librarys_mapping(client: TestClient) -> None:
    export = (ROOT / "samples" / "crm" / "hubspot-deal.json").read_bytes()
    json_type = {"Content-Type": "application/json"}
    checked = client.post("/v1/check?mapping=hubspot", content=export, headers=json_type)
    assert checked.status_code == 200, checked.text
    assert checked.json()["reference"] == "PG-2027-0112"
    assert checked.json()["pricing"]["total"] == "213740.00"
    bad = client.post("/v1/check?mapping=hubspot", content=b'{"id": 1}', headers=json_type)
    assert bad.status_code == 422
    assert any("CRM field" in p["message"] for p in bad.json()["problems"])
    for name in ("../../etc/passwd", "nosuch"):
        escaped = client.post(f"/v1/check?mapping={name}", content=export, headers=json_type)
        assert escaped.status_code == 404
