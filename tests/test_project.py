"""The project's set-up: the two commands, the dependency lists, the layout."""

from __future__ import annotations

import re
import subprocess
import tomllib

import yaml

from helpers import REPO_ROOT


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]
    wanted = project["dependencies"] + project["optional-dependencies"]["test"]
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    conda = {_name(d): d.replace(" ", "") for d in listed if _name(d) not in ("python", "pip")}
    pip = {_name(d): d.replace(" ", "") for d in wanted}
    assert conda == pip, "environment.yml and pyproject.toml disagree"
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert "-e ." in pip_section, "environment.yml should install the helpers package"


def test_make_help_is_the_default_and_lists_every_command():
    out = subprocess.run(
        ["make", "-s"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for target in ("lab", "test", "run", "notebooks", "example"):
        assert re.search(rf"make {target}\s+\S", out), f"make {target} is not documented"


def test_readme_opens_with_the_two_commands():
    readme = (REPO_ROOT / "README.md").read_text()
    first_block = readme.split("```")[1]
    assert "make lab" in first_block and "make test" in first_block


def test_ci_runs_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "chromium" in ci


def test_the_users_workspace_is_ignored_but_the_example_is_not():
    def ignored(path: str) -> bool:
        return subprocess.run(["git", "check-ignore", "-q", path], cwd=REPO_ROOT).returncode == 0

    assert ignored("data/applications.csv")
    assert ignored("data/drafts/acme/note.md")
    assert not ignored("data/example/applications.csv")
    assert not ignored("data/README.md")
