"""The project's set-up: the two commands, the dependency lists, the layout."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import tomllib

import pytest
import yaml

from helpers import REPO_ROOT

TEST_TOOLS = ("pytest", "playwright", "ruff", "hypothesis", "nbval", "pytest-timeout")


@pytest.fixture
def environment():
    """tools/environment.py, the set-up script (standard library only), as a module."""
    spec = importlib.util.spec_from_file_location("environment", REPO_ROOT / "tools/environment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _name(spec: str) -> str:
    return re.sub(r"[-_.]+", "-", re.split(r"[<>=!~ \[]", spec, maxsplit=1)[0]).lower()


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


def test_the_lock_files_match_pyproject(environment):
    problems = environment.stale("runtime") + environment.stale("test")
    assert not problems, (
        "pyproject.toml changed without refreshing the lock: run 'make lock' and commit locks/\n"
        + "\n".join(problems)
    )


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ('"icalendar>=6.0",', "'not-a-real-package>=1' is in pyproject.toml but not pinned"),
        ('"pandas>=3.0,<4",', "outside 'pandas>=99'"),
        ('"mistune>=3.0",', "the lock still pins mistune for the project"),
    ],
)
def test_a_pyproject_change_without_a_new_lock_is_caught(environment, tmp_path, change, expected):
    pyproject = (REPO_ROOT / "pyproject.toml").read_text()
    replacement = {
        '"icalendar>=6.0",': '"icalendar>=6.0",\n    "not-a-real-package>=1",',
        '"pandas>=3.0,<4",': '"pandas>=99",',
        '"mistune>=3.0",': "",
    }[change]
    assert change in pyproject
    (tmp_path / "pyproject.toml").write_text(pyproject.replace(change, replacement, 1))
    shutil.copytree(REPO_ROOT / "locks", tmp_path / "locks")
    environment.ROOT = tmp_path
    environment.LOCK = {k: tmp_path / "locks" / v.name for k, v in environment.LOCK.items()}
    problems = environment.stale("runtime") + environment.stale("test")
    assert any(expected in p for p in problems), problems
    assert environment.main(["check"]) == 1


def test_the_runtime_lock_is_the_test_lock_without_the_test_tools(environment):
    runtime, test = (environment.pins(environment.LOCK[k]) for k in ("runtime", "test"))
    assert set(runtime) < set(test)
    for name, entries in runtime.items():
        assert [e[:2] for e in entries] == [e[:2] for e in test[name]], f"{name} pinned apart"
    for tool in TEST_TOOLS:
        assert tool in test and tool not in runtime, tool


def test_environment_yml_ranges_admit_the_locked_versions(environment):
    env = yaml.safe_load((REPO_ROOT / "environment.yml").read_text())
    listed = [d for d in env["dependencies"] if isinstance(d, str)]
    locked = environment.pins(environment.LOCK["test"])
    checked = 0
    for spec in listed:
        name = _name(spec)
        if name in ("python", "pip"):
            continue
        for version, *_ in locked[name]:
            assert environment._satisfies(version, spec), f"{name}=={version} is outside {spec}"
            checked += 1
    assert checked >= len(listed) - 2


def test_range_checks_of_the_lock_check(environment):
    ok = environment._satisfies
    assert ok("3.0.1", ">=3.0,<4") and not ok("4.0", ">=3.0,<4")
    assert ok("8.1.5", ">=8.1,<9") and not ok("8.0.9", ">=8.1,<9")
    assert ok("2.6", "~=2.5") and not ok("3.0", "~=2.5")
    assert ok("1.45.0", "playwright>=1.45") and not ok("1.44.9", "playwright>=1.45")


def test_make_help_is_the_default_and_lists_every_command():
    out = subprocess.run(
        ["make", "-s"], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    ).stdout
    for target in ("lab", "test", "run", "notebooks", "example", "env", "lock"):
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
