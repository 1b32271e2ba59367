"""Database fixtures: SQLite files always, and a real PostgreSQL started from Debian's package.

The PostgreSQL server is a throwaway cluster (initdb in a temporary folder, trust auth, loopback
only), started once per test session and stopped at the end. ``TRAILBACK_TEST_PG_URL`` points the
tests at an existing server instead. When no server can be had, the PostgreSQL cases are skipped
with the reason.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest
import sqlalchemy as sa

from planner.store import sqlite_url


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_postgres():
    """Start a throwaway cluster; returns (admin URL, stop function) or raises RuntimeError."""
    bindirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
    if not bindirs:
        raise RuntimeError("PostgreSQL server binaries not found (apt-get install postgresql)")
    bindir = bindirs[-1]
    folder = tempfile.mkdtemp(prefix="trailback-pg-")
    data = os.path.join(folder, "data")
    prefix: list[str] = []
    if os.geteuid() == 0:  # initdb refuses to run as root
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no 'postgres' user") from None
        os.chown(folder, user.pw_uid, user.pw_gid)
        prefix = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    run = lambda *args: subprocess.run(prefix + list(args), capture_output=True, text=True, timeout=120)  # noqa: E731
    done = run(f"{bindir}/initdb", "-D", data, "-A", "trust", "-U", "trailback", "--no-sync", "-E", "UTF8")
    if done.returncode:
        raise RuntimeError(f"initdb failed: {done.stderr.strip()[-300:]}")
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off"
    done = run(f"{bindir}/pg_ctl", "-D", data, "-o", options, "-l", os.path.join(folder, "log"), "-w", "start")
    if done.returncode:
        raise RuntimeError(f"pg_ctl start failed: {done.stderr.strip()[-300:]}")

    def stop() -> None:
        run(f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)

    return f"postgresql+psycopg://trailback@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def postgres_admin_url():
    """An admin URL of a PostgreSQL server, or a skip that says why there is none."""
    if os.environ.get("TRAILBACK_TEST_PG_URL"):
        yield os.environ["TRAILBACK_TEST_PG_URL"]
        return
    try:
        import psycopg  # noqa: F401
        url, stop = _start_postgres()
    except (RuntimeError, ImportError, OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"no PostgreSQL server could be started: {error}")
    try:
        yield url
    finally:
        stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty database URL on each backend."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "roster.sqlite")
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    name = f"trailback_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
