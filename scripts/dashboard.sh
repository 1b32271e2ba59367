#!/usr/bin/env bash
# Sets up and opens the Trailback dashboard in Voila.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e .
exec voila notebooks/planner.ipynb "$@"
