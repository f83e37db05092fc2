"""Signed callbacks: when a job ends, POST its result to the job's callback URL.

Signature: header ``Propgen-Signature: t=<unix seconds>,v1=<hex>`` where ``v1`` is
HMAC-SHA256 with the operator's secret over ``f"{t}.".encode() + body`` (as Stripe
signs its webhooks). A receiver recomputes it, compares in constant time and
rejects timestamps older than a few minutes (replays)::

    import hmac, hashlib, time
    def verify(secret: bytes, header: str, body: bytes, tolerance: int = 300) -> bool:
        parts = dict(item.split("=", 1) for item in header.split(","))
        expected = hmac.new(secret, parts["t"].encode() + b"." + body, hashlib.sha256)
        fresh = abs(time.time() - int(parts["t"])) <= tolerance
        return fresh and hmac.compare_digest(expected.hexdigest(), parts["v1"])

Delivery retries with exponential backoff on a network error or a non-2xx answer
(``ATTEMPTS`` tries in all). Callbacks go only to hosts the operator allowed —
loopback alone by default — so a record can never make the service call into a
network it should not reach; redirects are not followed.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

HEADER = "Propgen-Signature"
ATTEMPTS = 5
FIRST_DELAY = 0.5
"""Seconds before the first retry; each later retry waits twice as long."""
TIMEOUT = 10.0


def sign(secret: bytes, body: bytes, timestamp: int) -> str:
    digest = hmac.new(secret, str(timestamp).encode() + b"." + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def allowed(url: str, hosts: Iterable[str]) -> bool:
    """Whether ``url`` is an http(s) URL to an allowed host (loopback when none are)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return False
    host = parts.hostname.lower()
    chosen = {h.lower() for h in hosts}
    if chosen:
        return host in chosen
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def deliver(
    url: str,
    body: bytes,
    secret: bytes,
    *,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.time,
) -> int:
    """POST ``body`` to ``url``, signed; retry until a 2xx. Returns the attempts made.

    Raises:
        OSError: every attempt failed (the last error).
    """
    opener = urllib.request.build_opener(_NoRedirect, urllib.request.ProxyHandler({}))
    delay, last = FIRST_DELAY, None
    for attempt in range(1, ATTEMPTS + 1):
        request = urllib.request.Request(
            url,
            data=body,
            method="POST",
            headers={"Content-Type": "application/json", HEADER: sign(secret, body, int(clock()))},
        )
        try:
            with opener.open(request, timeout=TIMEOUT) as response:
                if 200 <= response.status < 300:
                    return attempt
                last = OSError(f"callback answered {response.status}")
        except urllib.error.HTTPError as err:
            err.close()
            last = OSError(f"callback answered {err.code}")
        except OSError as err:  # URLError included: refused, unreachable, timed out
            last = err
        if attempt < ATTEMPTS:
            sleep(delay)
            delay *= 2
    assert last is not None
    raise last
