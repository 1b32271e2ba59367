"""The README's Python examples run as written (so they stay true)."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_python_blocks_run(tmp_path, monkeypatch):
    code = "\n".join(re.findall(r"```python\n(.*?)```", README.read_text(), re.S))
    assert "plan(client)" in code and "adapt(" in code and "Store(" in code
    monkeypatch.setenv("TRAILBACK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRAILBACK_DB_URL", raising=False)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "education, not diagnosis" in done.stdout and "Rolling hill loop" in done.stdout
