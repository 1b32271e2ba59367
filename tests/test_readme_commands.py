"""The README's two commands on a fresh machine (issue 14).

- The dashboard command runs word for word (``bash -c``) in a fresh copy of the repository, with its
  own new virtual environment installed from the package index, and the page serves. Only the port
  comes from outside the command: a Jupyter config folder (``JUPYTER_CONFIG_DIR``) gives Voila a free
  port, no browser, loopback only.
- The test command cannot run inside the suite it starts (it would run this test again, forever). CI
  runs it word for word: ``.ci/run`` reads it out of README.md and runs it; here we check that what
  ``.ci/run`` runs is exactly the README's block, that it makes and uses its own environment, and that
  its pytest step collects this suite.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from processes import stop_group  # tests/ is on sys.path for its own modules

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
COPY_IGNORE = shutil.ignore_patterns(".git", ".venv", "__pycache__", "*.pyc", ".hypothesis", ".pytest_cache",
                                     "artifacts", "*.egg-info", "build", "dist")


def readme_commands() -> list[str]:
    section = README.read_text().split("## Two commands", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)\n```", section, re.S)]


def test_each_command_is_one_line_that_makes_and_uses_its_own_environment():
    dashboard, tests = readme_commands()
    for command in (dashboard, tests):
        assert "\n" not in command
        assert command.startswith("python3 -m venv .venv && .venv/bin/python -m pip install -e ")
        steps = command.split(" && ")
        assert all(step.startswith((".venv/bin/", "python3 -m venv ")) for step in steps)  # no other Python
    assert dashboard.endswith(".venv/bin/voila notebooks/planner.ipynb")
    assert tests.endswith(".venv/bin/python -m pytest")


def test_ci_runs_the_readme_test_command_word_for_word():
    printed = subprocess.run([str(REPO / ".ci" / "run"), "--print-test-command"], capture_output=True, text=True,
                             timeout=60, check=True).stdout.strip()
    assert printed == readme_commands()[1]
    assert 'bash -c "$TEST_COMMAND"' in (REPO / ".ci" / "run").read_text()


@pytest.fixture(scope="module")
def bare_python_path(tmp_path_factory) -> dict[str, str]:
    """An environment whose ``python3`` is a venv with no packages, first on PATH: a fresh machine's."""
    bare = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True, timeout=120)
    env = {**os.environ, "PATH": f"{bare / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)
    lacks = subprocess.run(["python3", "-c", "import pandas"], env=env, capture_output=True, timeout=60)
    assert lacks.returncode != 0, "the bare python3 must not see the project's packages"
    return env


def readme_venv_python() -> Path:
    """The README test command's interpreter; it exists where the suite was started by that command."""
    python = REPO / ".venv" / "bin" / "python"
    if not python.exists():
        pytest.skip("no .venv in the repository: the suite was not started by the README's test command")
    return python


def test_the_test_command_collects_this_suite_when_python3_has_no_packages(bare_python_path):
    """Its last step, as written, from the repository root, finds the tests (collection only), with a
    ``python3`` on PATH that has no packages, as on a fresh machine."""
    readme_venv_python()
    step = readme_commands()[1].split(" && ")[-1]
    done = subprocess.run(f"{step} --collect-only -q -p no:cacheprovider tests/test_readme_commands.py",
                          shell=True, cwd=REPO, capture_output=True, text=True, timeout=300, env=bare_python_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "test_the_dashboard_command_serves_the_page_from_a_fresh_copy" in done.stdout


def ci_benchmark_commands() -> list[str]:
    """The lines of ``.ci/run`` that run a benchmark."""
    lines = (REPO / ".ci" / "run").read_text().splitlines()
    return [line.strip() for line in lines if "benchmarks/" in line and not line.lstrip().startswith("#")]


def test_ci_runs_the_trail_benchmark_when_python3_has_no_packages(bare_python_path):
    """``.ci/run``'s benchmark lines, as written (on a smaller track), print their figures with a
    ``python3`` on PATH that has no packages."""
    readme_venv_python()
    commands = ci_benchmark_commands()
    assert any("benchmarks/bench_trail.py" in command for command in commands)
    for command in commands:
        done = subprocess.run(f"{command} --points 3000", shell=True, cwd=REPO, capture_output=True, text=True,
                              timeout=300, env=bare_python_path)
        assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
        assert "read + analyse: median" in done.stdout and "peak memory" in done.stdout


@pytest.mark.parametrize("script", sorted(path.name for path in (REPO / "benchmarks").glob("[!_]*.py")))
def test_each_benchmark_answers_help_without_running(script):
    """``--help`` prints what the benchmark measures and its flags, and measures nothing."""
    done = subprocess.run([sys.executable, str(REPO / "benchmarks" / script), "--help"], cwd=REPO,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("usage: ")
    assert ".venv/bin/python benchmarks/" in done.stdout or "Run:" not in done.stdout  # never the bare python3
    assert "median" not in done.stdout.split("options:")[-1]  # no figure was printed after the help


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_dashboard_command_serves_the_page_from_a_fresh_copy(tmp_path):
    copy = tmp_path / "trailback"
    shutil.copytree(REPO, copy, ignore=COPY_IGNORE)
    port = _free_port()
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "voila.json").write_text(json.dumps({"Voila": {"port": port, "open_browser": False,
                                                              "ip": "127.0.0.1", "port_retries": 0}}))
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "TRAILBACK_DATA_DIR": str(tmp_path / "data"),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    for name in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"):
        env.pop(name, None)  # nothing of this test run leaks into the fresh environment
    log = tmp_path / "command.log"
    with open(log, "wb") as output:
        process = subprocess.Popen(["bash", "-c", readme_commands()[0]], cwd=copy, env=env, stdout=output,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 1200  # a fresh install of every dependency from the index
        page = ""
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120) as response:
                    page = response.read().decode()
                    break
            except OSError:
                time.sleep(2)
        text = log.read_text(errors="replace")
        if process.poll() is not None and ("Could not find a version" in text or "No matching distribution" in text):
            pytest.skip(f"the package index could not be reached: {text[-300:]}")
        assert page, f"the dashboard never served (exit {process.poll()}): {text[-3000:]}"
        assert "application/vnd.jupyter.widget-view+json" in page  # the dashboard's widgets, rendered
        assert (copy / ".venv" / "bin" / "voila").exists()
        installed = subprocess.run([str(copy / ".venv" / "bin" / "python"), "-c",
                                    "import planner; print(planner.__file__)"], capture_output=True, text=True, env=env,
                                   cwd=tmp_path)
        assert installed.stdout.strip() == str(copy / "planner" / "__init__.py")  # the copy, editable
    finally:
        stop_group(process)
