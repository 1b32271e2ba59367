"""binder/ (what repo2docker builds) lists the same runtime packages as pyproject.toml."""

import json
import os
import re
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
from pathlib import Path

from processes import stop_group  # tests/ is on sys.path for its own modules

REPO = Path(__file__).resolve().parents[1]


def package_name(requirement: str) -> str:
    """The normalised distribution name of a requirement line (PEP 503)."""
    name = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement).group(1)
    return re.sub(r"[-_.]+", "-", name).lower()


def binder_requirements() -> list[str]:
    lines = (REPO / "binder" / "requirements.txt").read_text().splitlines()
    return [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]


def test_binder_requirements_match_pyproject_dependencies():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    declared = pyproject["project"]["dependencies"]
    assert sorted(map(package_name, binder_requirements())) == sorted(map(package_name, declared))


def test_binder_requirements_pin_the_same_versions():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert sorted(r.replace(" ", "") for r in binder_requirements()) == \
        sorted(r.replace(" ", "") for r in pyproject["project"]["dependencies"])


def test_postbuild_installs_the_package():
    post_build = REPO / "binder" / "postBuild"
    assert os.access(post_build, os.X_OK)
    assert re.search(r"pip install .*(-e \.|\s\.)\s*$", post_build.read_text(), re.MULTILINE)


def test_notebook_is_stored_without_outputs():
    import json

    notebook = json.loads((REPO / "notebooks" / "planner.ipynb").read_text())
    code = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code and all(cell["outputs"] == [] and cell["execution_count"] is None for cell in code)


def test_readme_binder_badge_opens_the_voila_view_of_the_notebook():
    readme = (REPO / "README.md").read_text()
    match = re.search(r"\(https://mybinder\.org/v2/gh/[^)]*urlpath=voila/render/([^)\s&]+)\)", readme)
    assert match, "no Binder badge with a Voila urlpath in README.md"
    assert (REPO / match.group(1)).is_file()


def _binder_config_dir(tmp_path: Path) -> Path:
    """The Jupyter config folder as binder/postBuild leaves it (its last line, run here)."""
    config_dir = tmp_path / "jupyter-config"
    line = (REPO / "binder" / "postBuild").read_text().strip().splitlines()[-1]
    assert line.startswith("python3 binder/voila_settings.py voila.json ")
    subprocess.run([sys.executable, "binder/voila_settings.py", "voila.json",
                    str(config_dir / "jupyter_server_config.json")], cwd=REPO, check=True, timeout=60)
    return config_dir


READ_AS_BINDER = """
import json
from jupyter_server.serverapp import ServerApp
from voila.configuration import VoilaConfiguration
from voila.server_extension import load_config_file
app = ServerApp()
app.load_config_file()
voila = VoilaConfiguration(parent=app)
local = load_config_file()
if local is not None:
    voila.update_config(local)
print(json.dumps({"VoilaConfiguration": {"template": voila.template,
                                         "extension_denylist": list(voila.extension_denylist or [])},
                  "MappingKernelManager": {key: value for key, value in app.config.MappingKernelManager.items()},
                  "VoilaExecutor": {key: value for key, value in app.config.VoilaExecutor.items()}}))
"""


def test_binder_jupyter_server_reads_voila_json_settings(tmp_path):
    """What Binder's Jupyter server reads (its config folder after postBuild, the repository as its
    folder) carries voila.json's template, culling and executor settings: made from it, not copied."""
    voila_json = json.loads((REPO / "voila.json").read_text())
    config_dir = _binder_config_dir(tmp_path)
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir)}
    read = subprocess.run([sys.executable, "-c", READ_AS_BINDER], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120)
    assert read.returncode == 0, read.stderr[-2000:]
    seen = json.loads(read.stdout.strip().splitlines()[-1])
    assert seen["VoilaConfiguration"]["template"] == voila_json["VoilaConfiguration"]["template"] == "trailback"
    assert seen["VoilaConfiguration"]["extension_denylist"] == voila_json["VoilaConfiguration"]["extension_denylist"]
    for section in ("MappingKernelManager", "VoilaExecutor"):
        assert seen[section] == voila_json.get(section, {}), section
    assert voila_json["MappingKernelManager"]["cull_idle_timeout"] > 0
    written = json.loads((config_dir / "jupyter_server_config.json").read_text())
    assert "preheat_kernel" not in written["VoilaConfiguration"]  # the server extension has no pre-heating
    assert "Voila" not in written  # JupyterHub signs people in on Binder


def test_binder_server_serves_the_dashboard_with_the_template(tmp_path):
    """Jupyter's server as Binder starts it (repository as its folder, postBuild's config) serves the
    Voila view of the notebook with the trailback template (plotly.js from the template's folder)."""
    config_dir = _binder_config_dir(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config_dir), "TRAILBACK_DATA_DIR": str(tmp_path / "data")}
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen([sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}",
                                   "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0", "--allow-root",
                                   "--IdentityProvider.token=", "--ServerApp.disable_check_xsrf=True"],
                                  cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        page, deadline = "", time.monotonic() + 240
        while time.monotonic() < deadline and server.poll() is None and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/render/notebooks/planner.ipynb",
                                            timeout=180) as response:
                    page = response.read().decode()
            except OSError:
                time.sleep(1)
        assert page, log.read_text(errors="replace")[-3000:]
        assert "voila/templates/trailback/static/plotly-basic.min.js" in page
        assert "application/vnd.jupyter.widget-view+json" in page
    finally:
        stop_group(server)
