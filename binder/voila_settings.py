"""Binder's Jupyter server settings, made from the repository's ``voila.json`` (one source of truth).

On Binder the dashboard is served by Voila's *server extension* inside Jupyter's server, not by the
``voila`` command, so ``voila.json``'s settings reach it only through Jupyter's own config files.
``binder/postBuild`` runs this to write them (``jupyter_server_config.json`` in ``jupyter --config-dir``):

- ``VoilaConfiguration`` (the ``trailback`` template, plotly's unused lab extension left out), less
  what only the ``voila`` command has: a pre-heated kernel (``preheat_kernel`` and its kernel
  manager class; Voila's server extension has no pre-heating, so Binder's pages start their kernel
  on open).
- ``MappingKernelManager`` (idle kernels culled) and ``VoilaExecutor`` (its timeouts), as they are.
- Not ``Voila`` (the ``voila`` command's sign-in class): on Binder, JupyterHub signs people in.

Standard library only. Run: ``python3 binder/voila_settings.py voila.json OUT.json``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

#: The sections of voila.json that Jupyter's server reads as they are.
SERVER_SECTIONS = ("VoilaConfiguration", "MappingKernelManager", "VoilaExecutor")
#: Settings only the ``voila`` command has; the server extension ignores or rejects them.
COMMAND_ONLY = {"VoilaConfiguration": ("preheat_kernel", "multi_kernel_manager_class")}


def server_settings(voila_settings: dict) -> dict:
    """The part of ``voila.json``'s settings that applies to Voila inside Jupyter's server."""
    settings = {}
    for section in SERVER_SECTIONS:
        if section in voila_settings:
            left_out = COMMAND_ONLY.get(section, ())
            settings[section] = {key: value for key, value in voila_settings[section].items() if key not in left_out}
    return settings


def main(argv: list[str]) -> None:
    source, target = Path(argv[0]), Path(argv[1])
    target.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(target.read_text()) if target.exists() else {}
    for section, values in server_settings(json.loads(source.read_text())).items():
        existing.setdefault(section, {}).update(values)
    target.write_text(json.dumps(existing, indent=2) + "\n")
    print(f"wrote {target} from {source}")


if __name__ == "__main__":
    main(sys.argv[1:])
