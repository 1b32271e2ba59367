"""A throwaway PostgreSQL roster and JupyterHub with ``deploy/jupyterhub_config.py`` as written, and
signing coaches up and in through the hub's pages: shared by ``tests/browser/test_hub.py``,
``tests/browser/test_clinic.py`` and ``benchmarks/bench_burst.py --hub``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Iterator, Sequence

from conftest import ARTIFACTS, REPO, die_with_parent, free_port, stop
from kernels import descendant_pids

HUB_START_TIMEOUT_S = 120


@contextlib.contextmanager
def roster_database() -> Iterator[str]:
    """The URL of a fresh database on a throwaway PostgreSQL cluster (Debian's server), or on the
    server ``TRAILBACK_TEST_PG_URL`` names; dropped (and the cluster stopped) afterwards. Raises
    RuntimeError, OSError or SubprocessError when no server can be started."""
    import sqlalchemy as sa

    from tests.store.conftest import _start_postgres

    if os.environ.get("TRAILBACK_TEST_PG_URL"):
        admin_url, stop_cluster = os.environ["TRAILBACK_TEST_PG_URL"], (lambda: None)
    else:
        admin_url, stop_cluster = _start_postgres()
    try:
        name = f"trailback_clinic_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            yield sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    finally:
        stop_cluster()


def start_hub(db_url: str, state: Path, admins: Sequence[str]) -> tuple[subprocess.Popen, str]:
    """JupyterHub run as ``deploy/jupyterhub_config.py`` says, on free loopback ports, its own folder
    ``state``, its log in ``ARTIFACTS/jupyterhub-PORT.log``: (the hub's process, its base URL) once
    its API answers."""
    port = free_port()
    env = {**os.environ, "TRAILBACK_DB_URL": db_url, "TRAILBACK_HUB_STATE": str(state),
           "TRAILBACK_HUB_URL": f"http://127.0.0.1:{port}", "TRAILBACK_HUB_ADMINS": ",".join(admins),
           "TRAILBACK_HUB_PORTS": f"{free_port()},{free_port()}"}
    env.pop("JUPYTERHUB_USER", None)
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"jupyterhub-{port}.log", "wb") as log:
        hub = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(REPO / "deploy" / "jupyterhub_config.py")],
                               cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + HUB_START_TIMEOUT_S
    try:
        while True:
            if hub.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with {hub.returncode}; see {ARTIFACTS}/jupyterhub-{port}.log")
            try:
                with urllib.request.urlopen(f"{url}/hub/api", timeout=2) as response:
                    if response.status == 200:
                        return hub, url
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"jupyterhub not ready after {HUB_START_TIMEOUT_S} s")
            time.sleep(0.5)
    except BaseException:
        stop_hub(hub)
        raise


def stop_hub(hub: subprocess.Popen) -> None:
    """Stop the hub (which stops its coaches' servers), then kill whatever it left: each coach's
    server runs in a session of its own, so a hub killed before it stopped them would orphan them."""
    left = descendant_pids(hub.pid)
    stop(hub)
    for pid in left:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def sign_up(browser, url: str, name: str, password: str) -> None:
    """Sign ``name`` up at the hub's sign-up page (NativeAuthenticator), in a browser context of its own."""
    context = browser.new_context()
    page = context.new_page()
    try:
        page.goto(f"{url}/hub/signup", timeout=60_000)
        page.fill("#username_input", name)
        if page.is_visible("#email_input"):
            page.fill("#email_input", f"{name}@clinic.example.org")
        page.fill("#password_input", password)
        page.fill("#password_confirmation_input", password)
        page.click("#signup_submit")
        page.wait_for_load_state()
        assert "error" not in page.inner_text("body").lower() or "successfully" in page.inner_text("body").lower()
    finally:
        context.close()


def sign_in(browser, url: str, name: str, password: str):
    """(browser context, page) of ``name`` who just pressed Sign in on the hub's login page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(f"{url}/hub/login", timeout=60_000)
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    return context, page
