"""Running the workspace app under uvicorn (the ``propgen serve`` command's body)."""

from __future__ import annotations

import gc
import ipaddress
from pathlib import Path
from typing import TYPE_CHECKING

from propgen.errors import InvalidInput, Problem
from propgen.library import Library
from propgen.serve.security import LOOPBACK

if TYPE_CHECKING:
    from propgen.serve.security import GuardMiddleware

TOKEN_ENV = "PROPGEN_SERVE_TOKEN"


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def require_token(host: str, token: str | None, env: str) -> None:
    """Listening anywhere but loopback needs a token (the workspace's and the API's rule).

    Raises:
        InvalidInput: a non-loopback host without a token.
    """
    if not is_loopback(host) and not token:
        raise InvalidInput(
            problems=[
                Problem(
                    message=f"listening on {host} needs a token",
                    field="--host",
                    hint=f"pass --token or set {env}; on this machine only, use 127.0.0.1",
                )
            ]
        )


def serving_app(
    workspace: Path | str,
    *,
    library: Library | None = None,
    token: str | None = None,
    hosts: tuple[str, ...] = (),
) -> GuardMiddleware:
    """The workspace app as ``propgen serve`` runs it, ready before it listens.

    - A deal's PDFs render side by side in worker processes, one per core, as
      ``propgen render`` renders them; the workers' forkserver starts now and imports
      WeasyPrint on another core while the records are checked.
    - Every record is checked once (the deals list's statuses), so the first page
      answers at once and the library's templates are compiled.
    - What that loaded (the library, the imported modules, the caches) is frozen out
      of the cyclic garbage collector's sight (``gc.freeze``): a full collection then
      walks only what requests create, instead of stopping one edit's preview for a
      few hundred milliseconds.
    """
    from propgen import parallel
    from propgen.serve import views
    from propgen.serve.app import create_app

    workers = parallel.available_cores()
    if workers > 1:
        parallel.warm_up(parallel.RENDERERS)
    app = create_app(workspace, library=library, token=token, hosts=hosts, workers=workers)
    views.deal_rows(app.app.state.serve)  # type: ignore[attr-defined]
    gc.collect()
    gc.freeze()
    return app


def serve(
    workspace: Path,
    host: str,
    port: int,
    token: str | None,
    library: Library | None,
    *,
    banner: str = "propgen workspace on {workspace}: {link}",
) -> None:
    """Serve until interrupted, after printing ``banner`` (the start-up line, with
    ``{workspace}`` and ``{link}``; the CLI passes it in the user's language).

    Raises:
        InvalidInput: a non-loopback host without a token.
    """
    import uvicorn

    require_token(host, token, TOKEN_ENV)
    app = serving_app(workspace, library=library, token=token, hosts=(host,))
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    link = f"http://{shown}:{port}/" + (f"?token={token}" if token else "")
    print(banner.format(workspace=Path(workspace).resolve(), link=link), flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)
