"""HTTP guards of the server: body size limit, security headers, write access.

Write access has two modes:

* a token is configured (``NEWSPRISM_TOKEN``): every write needs ``Authorization: Bearer <token>``;
* no token: the server listens on loopback only (``newsprism serve`` refuses anything else) and a
  write is accepted only when it is addressed to a loopback host name and, if the browser sent an
  ``Origin``, from that same origin. That keeps a web page the user happens to visit from posting
  into the local server (cross-site form posts, DNS rebinding).

CPU-heavy reads (story comparisons and reports, article comparison, similarity) need the token
too when one is configured (:class:`ComputeGuard`): one anonymous client must not be able to keep
the server's cores busy. The web pages never compute on request: they show prepared comparisons.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

from fastapi import HTTPException, Request

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Every page and API answer carries these. No inline script or style is allowed anywhere, so
#: article text that slips past escaping still cannot run; the pages load only their own files.
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (
        b"content-security-policy",
        (
            b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            b"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
)

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
_BODYLESS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an IP address, brackets allowed) is this machine only."""
    host = host.strip().strip("[]").lower()
    if host in _LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _host_name(host_header: str) -> str:
    """The host part of a ``Host`` header (without port)."""
    return urlsplit(f"//{host_header}").hostname or ""


class SecurityHeadersMiddleware:
    """Adds :data:`SECURITY_HEADERS` to every HTTP response (pure ASGI, so it costs little)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Answers ``413`` to request bodies larger than ``max_body`` bytes.

    A declared ``Content-Length`` over the limit is refused before any byte is read; a chunked
    body is counted as it arrives and refused as soon as it passes the limit.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _json_error(send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > self.max_body:
                await _json_error(send, 413, self._message())
                return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    # FastAPI passes HTTPException through its body parsing unchanged.
                    raise HTTPException(413, self._message())
            return message

        await self.app(scope, counting_receive, send)

    def _message(self) -> str:
        return f"request body larger than the server's limit of {self.max_body} bytes"


async def _json_error(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send(
        {"type": "http.response.start", "status": status, "headers": [*headers, *SECURITY_HEADERS]}
    )
    await send({"type": "http.response.body", "body": body})


class WriteGuard:
    """The FastAPI dependency that write endpoints use (see the module docstring for the modes).

    Args:
        token: the bearer token writes need, or None for loopback-only writes.
    """

    def __init__(self, token: str | None) -> None:
        self.token = token

    @property
    def mode(self) -> str:
        """``"token"`` or ``"loopback-only"``."""
        return "token" if self.token else "loopback-only"

    def __call__(self, request: Request) -> None:
        """Raise 401/403 unless the request may write."""
        if self.token:
            self._check_token(request)
        else:
            self._check_local(request)

    def _check_token(self, request: Request) -> None:
        scheme, _, given = request.headers.get("authorization", "").partition(" ")
        challenge = {"WWW-Authenticate": "Bearer"}
        if scheme.lower() != "bearer" or not given.strip():
            raise HTTPException(
                401,
                "this endpoint needs 'Authorization: Bearer <NEWSPRISM_TOKEN>'",
                headers=challenge,
            )
        if not hmac.compare_digest(given.strip().encode(), self.token.encode()):  # type: ignore[union-attr]
            raise HTTPException(401, "the bearer token is wrong", headers=challenge)

    def _check_local(self, request: Request) -> None:
        host = _host_name(request.headers.get("host", ""))
        client = request.client.host if request.client else ""
        if not is_loopback(host) or (_is_ip(client) and not is_loopback(client)):
            raise HTTPException(
                403,
                "no NEWSPRISM_TOKEN is configured, so writes are accepted from this machine only",
            )
        origin = request.headers.get("origin")
        if origin and urlsplit(origin).netloc.lower() != request.headers.get("host", "").lower():
            raise HTTPException(403, "cross-site writes are refused")


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value.strip("[]"))
    except ValueError:
        return False
    return True


class ComputeGuard(WriteGuard):
    """The dependency of CPU-heavy reads (comparisons, reports, similarity): with a token
    configured they need it like writes do; without one (loopback only) anyone local may ask.

    Args:
        token: the server's bearer token, or None.
    """

    def __call__(self, request: Request) -> None:
        """Raise 401 when a token is configured and the request lacks it."""
        if self.token:
            self._check_token(request)
