"""Both backends for one test: `backend` is "tinydb" or "postgresql", and `backend_demo_db`
the demo database on it (a file, or a fresh PostgreSQL database).

The PostgreSQL server is real: PostgreSQL 15's `initdb` and `pg_ctl` in a temporary
directory, on a free port and a unix socket in that directory, started once per test
process and stopped at its end; as root (CI) it runs as the unprivileged user `nobody`,
which owns the directory. Each test gets its own database, made from a template (fast).
Without a server installed the PostgreSQL half is skipped locally and fails in CI
(`.ci/run` installs it).
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

BIN = Path(os.environ.get("MITEAM_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "miteam"
TEMPLATE = "miteam_empty"  # the schema, no records
DEMO = "miteam_demo"  # the demo records, `tester` as support


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (for a server a test starts)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    dir: Path
    port: int
    as_user: list[str]
    _counter: itertools.count

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}@/{db}?host={self.dir}&port={self.port}"

    def tcp_url(self, db: str = "postgres") -> str:
        return f"postgresql://{SUPERUSER}:secret-pw@127.0.0.1:{self.port}/{db}"

    def ctl(self, *args: str) -> None:
        subprocess.run([*self.as_user, str(BIN / "pg_ctl"), "-D", str(self.dir / "data"),
                        "-l", str(self.dir / "log"), "-w", *args],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self) -> None:
        self.ctl("-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                       "-c fsync=off -c full_page_writes=off -c max_connections=60", "start")

    def stop(self) -> None:
        self.ctl("-m", "fast", "stop")

    def sql(self, statement: str, db: str = "postgres") -> None:
        import psycopg

        with psycopg.connect(self.url(db), autocommit=True) as conn:
            conn.execute(statement)

    def fresh(self, template: str = TEMPLATE) -> str:
        """A new database copied from `template`; its URL."""
        name = f"t_{os.getpid()}_{next(self._counter)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.split("/")[3].split("?")[0]
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not (BIN / "initdb").exists():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL 15 is not installed ({BIN}): .ci/run installs it")
        pytest.skip(f"PostgreSQL 15 is not installed ({BIN}): apt-get install postgresql-15")
    pytest.importorskip("psycopg")
    base = Path(tempfile.mkdtemp(prefix="miteam-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:  # the server refuses to run as root
        as_user = ["runuser", "-u", "nobody", "--"]
        shutil.chown(base, "nobody")
    server = PgServer(base, free_port(), as_user, itertools.count())
    try:
        subprocess.run([*as_user, str(BIN / "initdb"), "-D", str(base / "data"), "-U",
                        SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server.start()
        _templates(server)
        yield server
    finally:
        subprocess.run([*as_user, str(BIN / "pg_ctl"), "-D", str(base / "data"), "-m",
                        "immediate", "stop"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        shutil.rmtree(base, ignore_errors=True)


def _templates(server: PgServer) -> None:
    from rules.records import database
    from rules.records.postgres import PgStore

    server.sql(f"CREATE DATABASE {TEMPLATE}")
    with PgStore(server.url(TEMPLATE), check=False) as store:
        store.migrate()
    server.sql(f"CREATE DATABASE {DEMO} TEMPLATE {TEMPLATE}")
    database.create(server.url(DEMO), "tester", demo=True, force=False).close()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    """A fresh, empty (initialised) PostgreSQL database."""
    url = pg_server.fresh()
    yield url
    pg_server.drop(url)


@pytest.fixture(params=["tinydb", "postgresql"])
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def backend_demo_db(backend: str, request: pytest.FixtureRequest, tmp_path: Path):
    """The demo database (`tester` as support) on the backend under test."""
    if backend == "tinydb":
        from rules.records import database

        path = tmp_path / "demo.json"
        database.create(path, "tester", demo=True, force=False).close()
        yield path
        return
    server: PgServer = request.getfixturevalue("pg_server")
    url = server.fresh(DEMO)
    yield url
    server.drop(url)
