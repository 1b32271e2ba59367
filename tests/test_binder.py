"""binder/ (what repo2docker builds) lists the same runtime packages as pyproject.toml."""

import os
import re
import tomllib
from pathlib import Path

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
