#!/usr/bin/env bash
# Sets up and runs the whole test suite (engine, notebook, real browser).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --disable-pip-version-check -e ".[test]"
python3 -m pytest "$@"
