"""Your notebooks, your data, a clean repository: the working copies make lab opens."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from helpers import REPO_ROOT
from helpers import working as wc
from helpers.batch import copy_example, example_today, notebooks


def _git_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain"], cwd=REPO_ROOT, capture_output=True, text=True
    ).stdout


@pytest.fixture
def shipped(tmp_path, monkeypatch):
    """A copy of the shipped notebooks standing in for a version of the workbook."""
    folder = tmp_path / "shipped"
    shutil.copytree(REPO_ROOT / "notebooks", folder)
    monkeypatch.setattr(wc, "SHIPPED_DIR", folder)
    return folder


def _edit_markdown(path, text: str) -> None:
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c["cell_type"] == "markdown")
    cell["source"] = text
    path.write_text(json.dumps(nb), encoding="utf-8")


def _outputs(path) -> int:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return sum(len(c.get("outputs", [])) for c in nb["cells"])


def test_working_copies_start_without_the_worked_example_outputs(tmp_path, shipped):
    done = wc.sync(tmp_path / "ws")
    names = sorted(p.name for p in shipped.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(done.created) == names
    for name in names:
        copy = tmp_path / "ws" / "notebooks" / name
        assert _outputs(shipped / name) > 0 and _outputs(copy) == 0
    again = wc.sync(tmp_path / "ws")
    assert again.created == again.updated == again.kept == []


def test_a_new_workbook_version_updates_copies_you_only_ran_and_keeps_your_edits(tmp_path, shipped):
    ws = tmp_path / "ws"
    wc.sync(ws)
    ran, edited = (
        ws / "notebooks" / "01_post_interview.ipynb",
        ws / "notebooks" / "03_follow_up.ipynb",
    )
    nb = json.loads(ran.read_text(encoding="utf-8"))  # run: outputs, no edits
    next(c for c in nb["cells"] if c["cell_type"] == "code")["outputs"] = [
        {"output_type": "stream", "name": "stdout", "text": "your data\n"}
    ]
    ran.write_text(json.dumps(nb), encoding="utf-8")
    _edit_markdown(edited, "# My own notes on following up")
    for name in ("01_post_interview.ipynb", "03_follow_up.ipynb"):
        _edit_markdown(shipped / name, "# New in this version")  # the workbook changes
    done = wc.sync(ws)
    assert done.updated == ["01_post_interview.ipynb"]
    assert done.kept == ["03_follow_up.ipynb"]
    assert "# New in this version" in ran.read_text(encoding="utf-8")
    assert "# My own notes" in edited.read_text(encoding="utf-8")
    assert "# New in this version" in (ws / "notebooks/03_follow_up.new.ipynb").read_text()
    assert any("03_follow_up.new.ipynb" in line for line in done.lines())


def test_lab_serves_the_repository_or_an_outside_workspace(tmp_path):
    assert wc.lab_paths(REPO_ROOT / "data") == (REPO_ROOT, "data/notebooks/00_start_here.ipynb")
    assert wc.lab_paths(tmp_path / "ws") == (
        (tmp_path / "ws").resolve(),
        "notebooks/00_start_here.ipynb",
    )


@pytest.mark.slow
def test_using_every_notebook_through_make_labs_path_leaves_git_clean(tmp_path, monkeypatch):
    import papermill

    before = _git_status()
    workspace = copy_example(tmp_path / "example")
    monkeypatch.setenv("WORKBOOK_DATA", str(workspace))
    monkeypatch.setenv("WORKBOOK_TODAY", example_today())
    wc.sync()
    for shipped_nb in notebooks():
        copy = workspace / "notebooks" / shipped_nb.name
        # As JupyterLab does: run the working copy and save it where it is.
        papermill.execute_notebook(
            copy, copy, kernel_name="python3", progress_bar=False, execution_timeout=300
        )
        assert _outputs(copy) > 0
    assert _git_status() == before  # empty on a clean clone, as CI runs it


def test_a_refresh_names_stored_widgets_by_their_place():
    """Stored widget outputs keep their ids from one refresh to the next, so refreshing
    notebooks whose outputs did not change leaves them byte-identical."""
    import nbformat

    from helpers.batch import _stable_widget_ids

    def notebook():
        nb = nbformat.v4.new_notebook()
        for n in range(2):
            cell = nbformat.v4.new_code_cell("form", id=f"cell{n}")
            view = {"model_id": f"random{n}", "version_major": 2, "version_minor": 0}
            cell.outputs = [
                nbformat.v4.new_output(
                    "display_data",
                    data={"application/vnd.jupyter.widget-view+json": view, "text/plain": "x"},
                )
            ]
            nb.cells.append(cell)
        return nb

    ids = []
    for _ in range(2):
        nb = notebook()
        _stable_widget_ids(nb, "02_research")
        ids.append(
            [
                c.outputs[0]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
                for c in nb.cells
            ]
        )
    assert ids[0] == ids[1] and len(set(ids[0])) == 2
    assert all(len(i) == 32 and "random" not in i for i in ids[0])
