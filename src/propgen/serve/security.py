"""The workspace's guard: checked on every request before any view runs.

- **Host**: only the names the server was started for (a DNS-rebinding page
  cannot talk to the local server under its own name).
- **Token**: when one is configured (always, off the loopback interface), every
  request carries it — ``Authorization: Bearer``, the cookie set from a first
  ``?token=`` link, or that link itself.
- **CSRF**: every state-changing request carries the page's ``X-CSRF-Token``
  header, which another site can neither read nor set; cross-site requests are
  refused outright.
- **Size**: request bodies above a limit are refused (413), whether or not
  they announce their length.
- **Headers**: a content security policy with no inline script, no framing by
  other sites, no sniffing.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_COOKIE = "propgen_token"
CSRF_HEADER = "x-csrf-token"
MAX_BODY = 4 * 1024 * 1024
"""Twice the largest needs file propgen reads, for the form encoding's overhead."""
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1", "[::1]"})
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; frame-src 'self'; "
    "frame-ancestors 'self'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
"""Inline styles only for the preview pages (their stylesheet is inlined); no inline script."""


@dataclass(frozen=True)
class Guard:
    hosts: frozenset[str]
    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    max_body: int = MAX_BODY


class _TooLarge(Exception):
    pass


class GuardMiddleware:
    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        refusal = self._refusal(scope, headers)
        if refusal is not None:
            await _plain(send, *refusal)
            return
        if self.guard.token and not self._has_token(headers):
            query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
            given = query.get("token", "")
            if given and hmac.compare_digest(given, self.guard.token) and scope["method"] == "GET":
                await self._adopt_token(scope, query, send)
                return
            await _plain(send, 401, "A token is required: open the link `propgen serve` printed.")
            return
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.guard.max_body:
            await _plain(send, 413, "Request too large.")
            return
        await self._guarded(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> tuple[int, str] | None:
        host = headers.get("host", "")
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.lower() not in self.guard.hosts:
            return 400, "Unknown host name."
        if scope["method"] not in SAFE_METHODS:
            if headers.get("sec-fetch-site") == "cross-site":
                return 403, "Cross-site request refused."
            if not hmac.compare_digest(headers.get(CSRF_HEADER, ""), self.guard.csrf):
                return 403, "Missing or wrong CSRF token: reload the page."
        return None

    def _has_token(self, headers: dict[str, str]) -> bool:
        assert self.guard.token
        auth = headers.get("authorization", "")
        if auth.startswith("Bearer ") and hmac.compare_digest(auth[7:], self.guard.token):
            return True
        cookie = SimpleCookie()
        try:
            cookie.load(headers.get("cookie", ""))
        except Exception:  # a malformed cookie header is no token
            return False
        morsel = cookie.get(TOKEN_COOKIE)
        return morsel is not None and hmac.compare_digest(morsel.value, self.guard.token)

    async def _adopt_token(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """Answer a ``?token=`` link with the cookie, and the same page without the token."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        location = scope.get("root_path", "") + scope["path"] + (f"?{rest}" if rest else "")
        cookie = f"{TOKEN_COOKIE}={self.guard.token}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _guarded(self, scope: Scope, receive: Receive, send: Send) -> None:
        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.guard.max_body:
                    raise _TooLarge
            return message

        async def secured_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []), *_SECURITY_HEADERS]
            await send(message)

        try:
            await self.app(scope, limited_receive, secured_send)
        except _TooLarge:
            if not started:
                await _plain(send, 413, "Request too large.")


_SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"SAMEORIGIN"),
]


async def _plain(send: Send, status: int, text: str) -> None:
    body = text.encode("utf-8")
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
                *_SECURITY_HEADERS,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
