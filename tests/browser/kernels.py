"""Kernels and memory of a Voila server (or of JupyterHub and its coaches' servers), read from /proc (Linux): for
the kernel-leak test, ``benchmarks/bench_dashboard.py`` and ``benchmarks/bench_burst.py``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import ARTIFACTS, die_with_parent

README_NOTEBOOK = "notebooks/planner.ipynb"


def start_readme_voila(repo: Path, port: int, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen:
    """The README's dashboard command as written (``voila notebooks/planner.ipynb`` from the repository
    root, so voila.json applies and the XSRF check is ON), plus only what a test needs: a port, no
    browser, loopback. ``extra``: further options (e.g. a token)."""
    command = [sys.executable, "-m", "voila", README_NOTEBOOK, "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--Voila.port_retries=0", *extra]
    ARTIFACTS.mkdir(exist_ok=True)
    log = open(ARTIFACTS / f"voila-readme-{port}.log", "wb")
    try:
        return subprocess.Popen(command, cwd=repo, stdout=log, stderr=subprocess.STDOUT, preexec_fn=die_with_parent,
                                start_new_session=True, env={**os.environ, **(env or {})})
    finally:
        log.close()


def _server_processes(server_pid: int) -> list[tuple[int, str, int]]:
    """(pid, command line, RSS in kB) of the server and every live process descended from it
    (kernels start in sessions of their own, so the process group would miss them)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue
            if fields[0] != "Z":
                parents[int(entry)] = int(fields[1])
    found = []
    for pid in parents:
        ancestor = pid
        while ancestor not in (server_pid, 0, 1) and ancestor in parents:
            ancestor = parents[ancestor]
        if ancestor != server_pid:
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                command = handle.read().replace(b"\0", b" ").decode(errors="replace")
            with open(f"/proc/{pid}/status") as handle:
                rss = next((int(line.split()[1]) for line in handle if line.startswith("VmRSS:")), 0)
        except OSError:
            continue
        found.append((pid, command, rss))
    return found


def kernel_count(server: subprocess.Popen) -> int:
    """Kernels (ipykernel processes) the Voila server is running."""
    return command_count(server, "ipykernel")


def command_count(server: subprocess.Popen, word: str) -> int:
    """The server's processes (itself included) whose command line contains ``word``."""
    return sum(word in command for _, command, _ in _server_processes(server.pid))


def kernel_pids(server: subprocess.Popen) -> set[int]:
    """Process ids of the server's kernels."""
    return {pid for pid, command, _ in _server_processes(server.pid) if "ipykernel" in command}


def descendant_pids(pid: int) -> set[int]:
    """Process ids of every live process descended from ``pid``."""
    return {found for found, _, _ in _server_processes(pid) if found != pid}


def memory_apart_from_kernels_mb(server: subprocess.Popen) -> tuple[float, float]:
    """(RSS of the server's processes but its kernels, RSS of all of them) in MB: under JupyterHub the
    first is the hub, its proxy and every coach's server; for a Voila server it is Voila alone."""
    processes = _server_processes(server.pid)
    apart = sum(rss for _, command, rss in processes if "ipykernel" not in command) / 1024
    return apart, sum(rss for _, _, rss in processes) / 1024


def memory_mb(server: subprocess.Popen) -> tuple[float, float]:
    """(server RSS, server + kernels RSS) in MB."""
    processes = _server_processes(server.pid)
    own = sum(rss for pid, _, rss in processes if pid == server.pid) / 1024
    return own, sum(rss for _, _, rss in processes) / 1024


def wait_for_kernels(server: subprocess.Popen, count: int, timeout_s: float) -> float | None:
    """Seconds until the server runs exactly ``count`` kernels, or None after ``timeout_s``."""
    began = time.monotonic()
    while time.monotonic() - began < timeout_s:
        if kernel_count(server) == count:
            return time.monotonic() - began
        time.sleep(0.5)
    return None
