#!/usr/bin/env bash
# Refresh the plotly.js basic bundle that planner/ui/plotly_view.py sends to the page (development
# time only: the package ships the file, nothing is downloaded at run time). Needs npm.
# Usage: scripts/vendor_plotly_basic.sh [VERSION]   (default: the plotly.js version bundled with the
# installed Python plotly, so both draw the same way)
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-$(python3 - <<'PY'
import pathlib, re, plotly
head = (pathlib.Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
print(re.search(r"plotly\.js v(\d+\.\d+\.\d+)", head).group(1))
PY
)}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "plotly.js-basic-dist-min@${version}" >/dev/null && tar xzf ./*.tgz)
# V8's explicit compile hint (Chromium 136+; a comment elsewhere; "Giving V8 a heads-up: faster
# JavaScript startup with explicit compile hints", v8.dev/blog/explicit-compile-hints): compile the whole bundle while it
# streams in, off the page's main thread, instead of each function on its first call. Measured on the
# dashboard: plotly's ~110 ms evaluation task while the page waits for its kernel goes, and its first
# chart draws ~30 ms sooner (benchmarks/bench_dashboard.py).
{ echo "//# allFunctionsCalledOnLoad"; cat "$work/package/plotly-basic.min.js"; } > planner/ui/static/plotly-basic.min.js
cp "$work/package/LICENSE" planner/ui/static/plotly-basic.LICENSE.txt
head -c 150 planner/ui/static/plotly-basic.min.js | sed -n 3p
