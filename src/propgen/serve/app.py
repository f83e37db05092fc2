"""The ASGI application: the workspace's routes behind the guard.

``create_app`` assembles one Starlette app from routers — the web workspace's
(:func:`propgen.serve.views.routes`) and any given in ``routers``: an HTTP API
mounts beside it (``routers=[Mount("/api", routes=...)]``) and shares the guard,
the workspace and the library (``app.state.serve``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount
from starlette.staticfiles import StaticFiles

from propgen import template_memo
from propgen.library import Library, default_library_root
from propgen.needs.checks import PLACEHOLDER
from propgen.serve import views
from propgen.serve.form import Rows
from propgen.serve.security import LOOPBACK, Guard, GuardMiddleware
from propgen.serve.workspace import Workspace

HERE = Path(__file__).parent


def templates() -> Environment:
    """The UI's Jinja environment: autoescaped, so every record value is shown as text."""
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.tests["instanceof_rows"] = lambda value: isinstance(value, Rows)
    env.tests["placeholder"] = lambda value: bool(PLACEHOLDER.fullmatch(str(value).strip()))
    return env


def create_app(
    workspace: Path | str,
    *,
    library: Library | None = None,
    token: str | None = None,
    hosts: tuple[str, ...] = (),
    routers: Sequence[BaseRoute] = (),
    workers: int = 1,
) -> GuardMiddleware:
    """The workspace app over the records in ``workspace``.

    Args:
        token: required on every request when given (always given off loopback).
        hosts: host names the app answers to besides the loopback ones.
        routers: more routes served beside the workspace's, behind the same guard,
            e.g. ``Mount("/api", routes=...)``; they reach the workspace and library
            through ``request.app.state.serve``.
        workers: processes rendering a deal's PDFs side by side; 1 renders them in
            this process.
    """
    template_memo.remember_outputs()  # previews re-assemble the same deals
    routes: list[BaseRoute] = [
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
        *views.routes(),
        *routers,
    ]
    app = Starlette(routes=routes)
    guard = Guard(hosts=frozenset(LOOPBACK | {h.lower() for h in hosts}), token=token or None)
    app.state.serve = views.ServeState(
        workspace=Workspace(workspace),
        library=library or Library(default_library_root()),
        guard=guard,
        templates=templates(),
        scratch=Path(tempfile.gettempdir()),
        workers=workers,
    )
    # Outside Starlette's own error handling, so an oversized body is a 413, not a 500.
    return GuardMiddleware(app, guard)
