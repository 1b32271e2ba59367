"""JupyterHub as a clinic's front door to Trailback, on one machine (issue 24).

Each coach signs in as themselves (NativeAuthenticator: a coach signs up with their own password at
``/hub/signup``; an admin authorizes them at ``/hub/authorize`` and removes them from ``/hub/admin``).
Each signed-in coach gets their own single-user server (their own kernel, unreachable to the other
coaches) that opens on the dashboard through Voila, and every server works on the one roster
database, ``TRAILBACK_DB_URL`` (PostgreSQL). The single-user server gets ``JUPYTERHUB_USER`` from the
hub, and the store names that user as the coach in every history entry. Idle servers are stopped by
``jupyterhub-idle-culler`` (a hub service).

Run from the repository root, in the venv with the ``clinic`` extra (``pip install -e ".[clinic]"``)
and ``configurable-http-proxy`` (``npm install -g configurable-http-proxy``)::

    export TRAILBACK_DB_URL="postgresql+psycopg://trailback:…@127.0.0.1:5432/trailback"
    export TRAILBACK_HUB_ADMINS="clinic-admin"
    .venv/bin/jupyterhub -f deploy/jupyterhub_config.py

Settings from the environment (all optional except the database):

- ``TRAILBACK_DB_URL``: the roster database, handed to every coach's server (required).
- ``TRAILBACK_HUB_ADMINS``: comma-separated admin user names (default ``clinic-admin``); an admin
  signs up like a coach and is authorized at once.
- ``TRAILBACK_HUB_URL``: where the hub listens (default ``http://127.0.0.1:8000``; put TLS in front).
- ``TRAILBACK_HUB_STATE``: the hub's own folder (its user database, cookie secret; coaches' working
  folders under ``homes/``, their kernels' sockets under ``run/``), default ``./hub-state``.
- ``TRAILBACK_HUB_IDLE_SECONDS``: a coach's server unused this long is stopped (default 3600).
- ``TRAILBACK_HUB_PORTS``: ``hub,proxy-api`` internal ports (default ``8081,8001``; tests pick free ones).

The hub's own database is SQLite in its state folder: it holds sign-ins, not client data.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 — JupyterHub's config loader provides it

REPO = Path(__file__).resolve().parents[1]
STATE = Path(os.environ.get("TRAILBACK_HUB_STATE", "hub-state")).resolve()
STATE.mkdir(parents=True, exist_ok=True)
(STATE / "homes").mkdir(exist_ok=True)
IDLE_SECONDS = int(os.environ.get("TRAILBACK_HUB_IDLE_SECONDS", "3600"))
HUB_PORT, PROXY_API_PORT = (int(port) for port in os.environ.get("TRAILBACK_HUB_PORTS", "8081,8001").split(","))
DB_URL = os.environ.get("TRAILBACK_DB_URL")
if not DB_URL:
    sys.exit("TRAILBACK_DB_URL is not set: the coaches' servers need the one roster database")

# --- the hub ------------------------------------------------------------------------------------------
c.JupyterHub.bind_url = os.environ.get("TRAILBACK_HUB_URL", "http://127.0.0.1:8000")
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")
c.JupyterHub.cleanup_servers = True  # a hub stopped stops its coaches' servers too

# --- sign-in: each coach as themselves ------------------------------------------------------------------
c.JupyterHub.authenticator_class = "nativeauthenticator.NativeAuthenticator"
c.NativeAuthenticator.open_signup = False  # a coach who signs up waits for an admin
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 60
c.Authenticator.admin_users = {name.strip() for name in os.environ.get("TRAILBACK_HUB_ADMINS", "clinic-admin").split(",")
                               if name.strip()}
c.Authenticator.allow_all = True  # every user NativeAuthenticator authorized (an admin approved them)

# --- each coach's own server: the dashboard through Voila ---------------------------------------------
c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
c.Spawner.cmd = [str(Path(sys.executable).with_name("jupyterhub-singleuser"))]
c.Spawner.notebook_dir = str(REPO / "notebooks")
c.Spawner.default_url = "/voila/render/planner.ipynb"
c.Spawner.environment = {
    "TRAILBACK_DB_URL": DB_URL,  # the one roster; JUPYTERHUB_USER (set by the hub) names the coach
    # deploy/singleuser: Voila's template and timeouts, the websocket limit, kernel culling
    "JUPYTER_CONFIG_PATH": str(REPO / "deploy" / "singleuser"),
    "PYTHONPATH": str(REPO),
}
c.Spawner.args = []
if os.geteuid() == 0:  # e.g. a container or CI running everything as root (Jupyter refuses it otherwise)
    c.Spawner.args.append("--allow-root")
# A coach's kernels talk to their server over Unix sockets in a folder of that coach's, not over
# loopback TCP ports: every coach's server picks "free" ports on its own, and when 20 coaches signed
# in at once two servers picked the same port ("Address already in use": a kernel whose port another
# one took cannot start, or gets the other server's messages). A socket's path must fit Linux's
# 108-byte limit, so the folder is short: the hub's state folder, run/, the user's number.
RUNTIME = STATE / "run"
IPC_PATH_MAX_BYTES = 107  # sun_path is 108 bytes with its NUL
LONGEST_IPC_PATH = f"{RUNTIME}/{'9' * 6}/kernel-{'f' * 8}-{'f' * 4}-{'f' * 4}-{'f' * 4}-{'f' * 12}-ipc-5"
if len(LONGEST_IPC_PATH.encode()) <= IPC_PATH_MAX_BYTES:
    c.Spawner.environment["JUPYTER_RUNTIME_DIR"] = lambda spawner: str(RUNTIME / str(spawner.user.id))
    c.Spawner.args.append("--KernelManager.transport=ipc")
else:  # a state folder this deep leaves no room: TCP, and a burst of sign-ins may collide on a port
    print(f"TRAILBACK_HUB_STATE is too deep for kernel sockets ({LONGEST_IPC_PATH}): kernels use loopback "
          "TCP ports", file=sys.stderr)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120

# --- idle coaches' servers are stopped -------------------------------------------------------------------
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={IDLE_SECONDS}",
                f"--cull-every={max(60, IDLE_SECONDS // 10)}"],
}]
