"""A throw-away PostgreSQL cluster for the tests (Debian's ``postgresql`` package).

``NEWSPRISM_TEST_PG`` (a URL to a maintenance database of a running server, e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``) names a server to use instead. Without it, a
cluster is made with ``initdb`` in a temporary folder and started with ``pg_ctl`` on a free port,
as user ``postgres`` when the tests run as root (PostgreSQL refuses to run as root). Durability
is switched off (``fsync``, ``synchronous_commit``): the data is thrown away, and creating a
database per test (FILE_COPY from a migrated template) then takes ~0.1 s, not ~1 s as WAL_LOG.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

ENV = "NEWSPRISM_TEST_PG"


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def why_unavailable() -> str | None:
    """None when a server can be had; else why not (the skip message)."""
    if os.environ.get(ENV):
        return None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install '.[test]')"
    if _bin_dir() is None:
        return (f"no PostgreSQL server: set {ENV} to a server URL, or install Debian's "
                "postgresql package (apt-get install postgresql)")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        return "running as root without runuser, so initdb cannot run as user postgres"
    return None


class Cluster:
    """A running server: ``admin_url`` reaches its ``postgres`` database; :meth:`stop` ends a
    cluster this class started (a named server is left alone)."""

    def __init__(self) -> None:
        self._dir: str | None = None
        named = os.environ.get(ENV)
        if named:
            self.admin_url = named
            return
        bin_dir = _bin_dir()
        assert bin_dir is not None
        self._dir = tempfile.mkdtemp(prefix="newsprism-pg-")
        data = os.path.join(self._dir, "data")
        port = _free_port()
        self._ctl = [str(bin_dir / "pg_ctl"), "-D", data]
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self._dir, "postgres")
        self._run([str(bin_dir / "initdb"), "-D", data, "-A", "trust", "-U", "postgres",
                   "--no-sync", "-E", "UTF8", "--locale=C"])
        options = (f"-p {port} -k {self._dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run([*self._ctl, "-o", options, "-l", os.path.join(self._dir, "log"), "-w",
                   "start"])
        self.admin_url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, cmd: list[str]) -> None:
        subprocess.run([*self._as, *cmd], check=True, capture_output=True, timeout=120)

    def url(self, database: str) -> str:
        """The URL of another database on this server."""
        return self.admin_url.rsplit("/", 1)[0] + "/" + database

    def sql(self, statement: str) -> None:
        """Run one statement outside a transaction (CREATE / DROP DATABASE)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def stop(self) -> None:
        """Stop a cluster this class started and remove its folder."""
        if self._dir is None:
            return
        try:
            self._run([*self._ctl, "-m", "immediate", "stop"])
        finally:
            shutil.rmtree(self._dir, ignore_errors=True)
