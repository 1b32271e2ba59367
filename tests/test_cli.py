"""The command line: ``python3 -m planner handout profile.json -o plan.pdf`` and the example printer."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PdfReader

from planner.__main__ import main
from planner.examples import EXAMPLES

REPO = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.run([sys.executable, "-m", "planner", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120)


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


def test_handout_command_writes_the_pdf(tmp_path):
    profile = EXAMPLES["spinal stenosis"]
    (tmp_path / "profile.json").write_text(json.dumps(profile.to_dict()))
    done = _run("handout", "profile.json", "-o", "plan.pdf", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "wrote plan.pdf" in done.stdout
    text = _pdf_text(tmp_path / "plan.pdf")
    assert "Walking plan for Stenosis" in text and "Units: metric" in text


def test_handout_command_reads_the_wrapped_form_with_its_units(tmp_path):
    wrapped = {"profile": EXAMPLES["hiker with a pack on hills"].to_dict(), "units": "imperial"}
    (tmp_path / "client.json").write_text(json.dumps(wrapped))
    assert main(["handout", str(tmp_path / "client.json"), "-o", str(tmp_path / "a.pdf"),
                 "--page-size", "Letter"]) == 0
    assert "Units: imperial" in _pdf_text(tmp_path / "a.pdf")
    # --units wins over the file's units.
    assert main(["handout", str(tmp_path / "client.json"), "-o", str(tmp_path / "b.pdf"), "--units", "metric"]) == 0
    assert "Units: metric" in _pdf_text(tmp_path / "b.pdf")


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ('{"name": 3', "is not valid JSON: Expecting ',' delimiter at line 1"),
    ('{"pain": {"pain_now": 42}}', "is not a valid client profile: pain_now must be 0–10, got 42"),
    ('[1, 2]', "is not a valid client profile: profile must be a JSON object"),
    ('{"profile": {}, "units": "furlongs"}', "units must be metric or imperial, got 'furlongs'"),
    ('{"goal": {"start_date": "next week"}}', "start_date"),
    (b"\xff\xfe\x00garbage", "cannot read"),
])
def test_handout_command_explains_a_bad_file(tmp_path, capsys, content, message):
    path = tmp_path / "profile.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    assert main(["handout", str(path), "-o", str(tmp_path / "plan.pdf")]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and message in error
    assert "Traceback" not in error
    assert not (tmp_path / "plan.pdf").exists()


def test_handout_command_needs_an_output(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["handout", str(tmp_path / "profile.json")])
    assert stop.value.code == 2 and "-o/--output" in capsys.readouterr().err


JSON = st.recursive(st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=False)
                    | st.text(max_size=12), lambda inner: st.lists(inner, max_size=4)
                    | st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=12)
SECTIONS = st.fixed_dictionaries({}, optional={
    "name": st.text(max_size=20),
    "pain": st.dictionaries(st.sampled_from(["pain_now", "in_flare", "red_flags", "leg_symptoms", "x"]), JSON,
                            max_size=3),
    "fitness": st.dictionaries(st.sampled_from(["body_mass_kg", "available_weekdays", "speed_kmh"]), JSON,
                               max_size=3),
    "goal": st.dictionaries(st.sampled_from(["weeks", "start_date", "kind"]), JSON, max_size=3),
})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(JSON, SECTIONS, st.builds(lambda p: {"profile": p}, SECTIONS)))
def test_fuzzed_profile_files_give_a_handout_or_a_clear_error(tmp_path, capsys, data):
    path, out = tmp_path / "fuzz.json", tmp_path / "fuzz.pdf"
    out.unlink(missing_ok=True)
    path.write_text(json.dumps(data))
    code = main(["handout", str(path), "-o", str(out)])
    captured = capsys.readouterr()
    assert code in (0, 2)
    if code == 0:
        assert out.read_bytes().startswith(b"%PDF-")
    else:
        assert captured.err.startswith("error: ") and not out.exists()


def test_readme_handout_commands_run_word_for_word(tmp_path):
    readme = (REPO / "README.md").read_text()
    block = next(b for b in re.findall(r"```bash\n(.*?)```", readme, re.S) if "planner handout" in b)
    # The README's commands use the .venv its first command makes: give this folder one that is the
    # Python running the tests (its venv, or the plain interpreter outside one).
    venv = tmp_path / ".venv"
    if sys.prefix != sys.base_prefix:
        venv.symlink_to(sys.prefix, target_is_directory=True)
    else:
        (venv / "bin").mkdir(parents=True)
        (venv / "bin" / "python").symlink_to(sys.executable)
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", block], capture_output=True, text=True, cwd=tmp_path,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "Walking plan for Stenosis" in _pdf_text(tmp_path / "plan.pdf")


def test_example_printer_still_works(tmp_path):
    done = _run("flare-up", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "Trailback plan — example: flare-up" in done.stdout and "micro-walk" in done.stdout
    unknown = _run("nobody", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown example 'nobody'" in unknown.stderr
