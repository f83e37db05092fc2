"""The guard in front of every request: host, token, CSRF, size limits, headers."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from propgen.serve.app import create_app
from serve.conftest import BASE_URL, SAAS, Client


def test_state_changing_requests_need_the_csrf_token(client: Client, workspace: Path) -> None:
    before = (workspace / f"{SAAS}.yaml").read_bytes()
    fields = client.page_form(SAAS)
    for headers in ({}, {"X-CSRF-Token": "wrong"}):
        refused = client.post(f"/deals/{SAAS}/save", data=dict(fields), headers=headers)
        assert refused.status_code == 403
    cross = client.post(
        f"/deals/{SAAS}/save",
        data=dict(fields),
        headers={"X-CSRF-Token": client.csrf, "Sec-Fetch-Site": "cross-site"},
    )
    assert cross.status_code == 403
    assert (workspace / f"{SAAS}.yaml").read_bytes() == before


def test_unknown_host_names_are_refused(client: Client) -> None:
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200


def test_large_bodies_are_refused(client: Client) -> None:
    big = "x" * (5 * 1024 * 1024)
    response = client.post(
        f"/deals/{SAAS}/preview", data={"customer.name": big}, headers={"X-CSRF-Token": client.csrf}
    )
    assert response.status_code == 413


def test_every_request_needs_the_token_when_one_is_set(workspace: Path) -> None:
    app = create_app(workspace, token="s3cret-token", hosts=("deals.example",))
    with TestClient(app, base_url="http://deals.example") as web:
        assert web.get("/").status_code == 401
        assert web.get("/static/app.css").status_code == 401
        assert web.get(f"/deals/{SAAS}/files/x.pdf").status_code == 401
        assert web.get("/?token=wrong", follow_redirects=False).status_code == 401
        adopted = web.get(f"/deals/{SAAS}?token=s3cret-token", follow_redirects=False)
        assert adopted.status_code == 303 and adopted.headers["location"] == f"/deals/{SAAS}"
        assert "HttpOnly" in adopted.headers["set-cookie"]
        assert web.get("/").status_code == 200  # the cookie now
    with TestClient(app, base_url="http://deals.example") as api:
        headers = {"Authorization": "Bearer s3cret-token"}
        assert api.get("/", headers=headers).status_code == 200


def test_pages_carry_a_strict_content_security_policy(client: Client) -> None:
    page = client.get(f"/deals/{SAAS}")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in page.text  # no inline script: only JSON data and files


def test_non_loopback_needs_a_token(tmp_path: Path) -> None:
    from propgen.cli import main

    assert main(["serve", str(tmp_path), "--host", "0.0.0.0"]) == 2


def test_the_cli_does_not_import_the_web_stack() -> None:
    from test_imports import modules_after

    loaded = modules_after(
        "from propgen.cli import main\nimport contextlib, io\n"
        "with contextlib.redirect_stdout(io.StringIO()): main(['--help'])"
    )
    assert not {m for m in loaded if m.split(".")[0] in {"starlette", "uvicorn", "ruamel"}}
    assert "propgen.serve" not in loaded


def test_another_router_sits_beside_the_workspace_behind_the_same_guard(workspace: Path) -> None:
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Mount, Route

    async def deals(request: Request) -> JSONResponse:
        return JSONResponse(request.app.state.serve.workspace.ids())

    app = create_app(workspace, routers=[Mount("/api", routes=[Route("/deals", deals)])])
    with TestClient(app, base_url=BASE_URL) as api:
        assert api.get("/api/deals").json() == ["saas.en-US", "saas.zh-CN"]
        assert api.get("/api/deals", headers={"Host": "evil.example"}).status_code == 400
        assert api.post("/api/deals").status_code == 403  # no CSRF header
