"""The five example clients give the plans a newcomer should read (issue 2's definition of done)."""

import subprocess
import sys

from planner import plan
from planner.examples import EXAMPLES
from planner.progression import BASE, FLARE, HIKE, MAINTENANCE


def test_examples_plan_as_their_names_say():
    phases = {name: set(plan(profile).weekly["phase"]) for name, profile in EXAMPLES.items()}
    assert FLARE in phases["flare-up"] and BASE in phases["flare-up"]
    assert phases["deconditioned walker"] == {BASE, MAINTENANCE}
    assert HIKE in phases["hiker with a pack on hills"]
    assert plan(EXAMPLES["red flag"]).stopped
    stenosis = plan(EXAMPLES["spinal stenosis"]).walking_sessions
    assert (stenosis.query("total_minutes > 5")["rest_minutes"] == 1).all()


def test_cli_prints_a_readable_plan_and_rejects_unknown_names():
    done = subprocess.run([sys.executable, "-m", "planner", "spinal", "stenosis"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "education, not diagnosis" in done.stdout and "Weeks:" in done.stdout
    unknown = subprocess.run([sys.executable, "-m", "planner", "nobody"], capture_output=True, text=True)
    assert unknown.returncode == 2 and "choose one of" in unknown.stderr
