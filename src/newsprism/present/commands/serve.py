"""``newsprism serve``: the REST API and the web pages over a store, with uvicorn.

Without ``NEWSPRISM_TOKEN`` the server listens on loopback only (and refuses ``--host`` beyond
it); with a token it may listen anywhere and every write needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import threading
import time
import webbrowser
from pathlib import Path
from typing import Any

from newsprism.config import resolve_db
from newsprism.errors import ConfigError

logger = logging.getLogger(__name__)

TOKEN_ENV = "NEWSPRISM_TOKEN"


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add the serve command."""
    p = sub.add_parser("serve", parents=[common], help="serve the REST API and the web pages")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--max-body-mb", type=float, default=10.0, help="largest request body (MB)")
    p.add_argument("--open", action="store_true", help="open the web page in a browser")
    p.add_argument(
        "--no-prepare",
        action="store_true",
        help="do not prepare stale story comparisons in the background (see 'newsprism prepare')",
    )
    p.set_defaults(func=cmd_serve)


def check_host(host: str, token: str | None) -> None:
    """Refuse to listen beyond loopback without a token.

    Raises:
        ConfigError: ``host`` is not a loopback address and no token is configured.
    """
    from newsprism.present.security import is_loopback

    if not token and not is_loopback(host):
        raise ConfigError(
            f"--host {host} would expose the server beyond this machine and no {TOKEN_ENV} "
            "is set: "
            f"set {TOKEN_ENV} (write endpoints then need it) or listen on 127.0.0.1"
        )


def serve(
    db: str | Path | None = None,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    max_body: int = 10 * 1024 * 1024,
    open_browser: bool = False,
    open_path: str = "/",
    prepare: bool = True,
) -> None:
    """Serve the API and pages over the store at ``db`` until interrupted.

    Args:
        db: store path (else ``$NEWSPRISM_DB``, else ``./newsprism.db``).
        host: listen address; beyond loopback only with a token.
        port: listen port (1..65535).
        token: bearer token for writes; None: loopback only.
        max_body: largest request body in bytes.
        open_browser: open the web page once the server is up.
        open_path: the page to open (``newsprism demo --serve`` opens a story).
        prepare: prepare stale story comparisons in the background, one at a time.

    Raises:
        ConfigError: bad port, or a non-loopback host without a token.
    """
    import uvicorn

    from newsprism.present.api import create_app

    if not 1 <= port <= 65535:
        raise ConfigError(f"port must be in 1..65535, got {port}")
    check_host(host, token)
    path = resolve_db(db)
    app = create_app(path, token=token, max_body=max_body, prepare_ahead=prepare)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    if token:
        note = "write endpoints need the bearer token"
    else:
        note = f"no {TOKEN_ENV} set: listening on loopback only, writes accepted from this machine"
    logger.info("serving %s at %s (%s)", path, url, note)
    print(
        f"newsprism: serving {path} at {url}\n  {note}\n  API reference: {url}docs", file=sys.stderr
    )
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        access_log=False,
    )
    server = uvicorn.Server(config)
    if open_browser:
        page = url + open_path.lstrip("/")
        threading.Thread(target=_open_when_up, args=(server, page), daemon=True).start()
    server.run()


def _open_when_up(server: Any, url: str) -> None:
    for _ in range(200):
        if server.started:
            webbrowser.open(url)
            return
        time.sleep(0.05)


def cmd_serve(args: argparse.Namespace) -> int:
    """``newsprism serve``."""
    serve(
        args.db,
        host=args.host,
        port=args.port,
        token=os.environ.get(TOKEN_ENV) or None,
        max_body=int(args.max_body_mb * 1024 * 1024),
        open_browser=args.open,
        prepare=not args.no_prepare,
    )
    return 0
