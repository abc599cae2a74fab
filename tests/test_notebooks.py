"""Every notebook, run for real: papermill on a copy of the example and on an empty
workspace, and nbval against the stored outputs (the worked example).

A new notebook joins these tests by existing in ``notebooks/``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import nbformat
import papermill
import pytest

from helpers import REPO_ROOT
from helpers.batch import (
    EXAMPLE_DIR,
    KERNEL,
    NOTEBOOKS_DIR,
    copy_example,
    notebooks,
    scratch_example,
)
from tests.conftest import tree_digest

pytestmark = pytest.mark.slow

NOTEBOOKS = [pytest.param(nb, id=nb.stem) for nb in notebooks()]
REQUIRED_PARAMETERS = {"data_dir": "str", "today": "str", "application_id": "str"}


def execute(nb, out, **parameters):
    for attempt in (1, 2):
        try:
            papermill.execute_notebook(
                str(nb),
                str(out),
                parameters=parameters,
                kernel_name=KERNEL,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
                execution_timeout=300,
            )
            break
        except RuntimeError as err:
            # jupyter_client picks a free port, then binds it: another kernel starting
            # at the same moment can take it first. That kernel never ran a cell, so
            # starting it again is safe; anything else is a real failure.
            if attempt == 2 or "Kernel died before replying" not in str(err):
                raise
    return nbformat.read(out, as_version=4)


def errors(nb) -> list[str]:
    return [
        f"{o.get('ename')}: {o.get('evalue')}"
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def test_there_is_a_start_here_notebook():
    assert (NOTEBOOKS_DIR / "00_start_here.ipynb") in notebooks()


@pytest.mark.parametrize("nb_path", NOTEBOOKS)
def test_notebook_follows_the_notebook_rules(nb_path):
    nb = nbformat.read(nb_path, as_version=4)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith("# ")
    assert "\n> " in first.source, "a one-line summary in a blockquote under the title"
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged parameters"
    params = papermill.inspect_notebook(str(nb_path))
    for name, kind in REQUIRED_PARAMETERS.items():
        assert name in params, f"parameter {name} missing"
        assert params[name]["inferred_type_name"] == kind
        assert params[name]["default"] == '""'
        assert params[name]["help"], f"parameter {name} needs a comment"
    assert nb.metadata.kernelspec.name == KERNEL


@pytest.mark.parametrize("nb_path", NOTEBOOKS)
def test_notebook_runs_headless_on_the_example_and_is_idempotent(
    nb_path, tmp_path, today, example_digest
):
    ws = copy_example(tmp_path / "ws")
    out = execute(nb_path, tmp_path / "first.ipynb", data_dir=str(ws), today=today)
    assert errors(out) == []
    after_first = tree_digest(ws)
    out = execute(nb_path, tmp_path / "second.ipynb", data_dir=str(ws), today=today)
    assert errors(out) == []
    assert tree_digest(ws) == after_first, "a second run changed the workspace"
    assert tree_digest(EXAMPLE_DIR) == example_digest, "data/example was modified"


@pytest.mark.parametrize("nb_path", NOTEBOOKS)
def test_notebook_runs_on_an_empty_workspace(nb_path, tmp_path, today):
    ws = tmp_path / "new-user"
    ws.mkdir()
    out = execute(nb_path, tmp_path / "out.ipynb", data_dir=str(ws), today=today)
    assert errors(out) == []


@pytest.mark.parametrize("nb_path", NOTEBOOKS)
def test_stored_outputs_are_the_worked_example(nb_path, today):
    """nbval: re-running the committed notebook on the example reproduces its outputs."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    stored = [c for c in nb["cells"] if c["cell_type"] == "code" and c.get("outputs")]
    assert stored, f"{nb_path.name} has no stored outputs: run `make notebooks`"
    ws = scratch_example()
    env = {**os.environ, "WORKBOOK_DATA": str(ws), "WORKBOOK_TODAY": today}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(REPO_ROOT / "tests" / "nbval-sanitize.cfg"),
            "-q",
            str(nb_path),
        ],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout
