"""07_caseload: a papermill run on a folder of bundles (one client with two, one
malformed), and its coach-notes form writing the file 05_share imports."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shlex
import subprocess
import sys
import zipfile

import pytest

from helpers.batch import NOTEBOOKS_DIR, copy_example
from helpers.caseload import read_caseload
from helpers.caseload_forms import CoachNotesForm, client_html
from helpers.errors import WorkspaceError
from helpers.share import bundle_bytes, import_coach_notes
from helpers.store import Workspace
from tests.test_forms import click, fill
from tests.test_notebooks import execute

TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def bundles(tmp_path_factory):
    """Two clients: Jordan Rivera with bundles a week apart, Sam without a name in
    their profile; and a zip that is not a bundle."""
    root = tmp_path_factory.mktemp("bundles")
    ws = Workspace(copy_example(tmp_path_factory.mktemp("ex") / "example"))
    (root / "jordan-bundle-2026-11-18.zip").write_bytes(bundle_bytes(ws, dt.date(2026, 11, 18)))
    (root / "jordan-bundle-2026-11-25.zip").write_bytes(bundle_bytes(ws, TODAY))
    apps = ws.load("applications")
    apps.loc[apps["stage"] == "offer", "stage"] = "rejected"
    ws.save("applications", apps)
    profile = (ws.root / "profile.yml").read_text("utf-8")
    profile = profile.replace("name: Jordan Rivera", "name: ''")
    # Sam's own workspace: a search of their own (a new id is made with their bundle).
    profile = "".join(line for line in profile.splitlines(True) if "search_id" not in line)
    (ws.root / "profile.yml").write_text(profile, "utf-8")
    (root / "sam-lee-bundle-2026-11-24.zip").write_bytes(bundle_bytes(ws, dt.date(2026, 11, 24)))
    with zipfile.ZipFile(root / "holiday-photos.zip", "w") as zf:
        zf.writestr("beach.jpg", b"\xff\xd8")
    return root


def test_the_notebook_lists_clients_first_in_need_and_the_bad_bundle(bundles, tmp_path, today):
    before = {p.name: p.read_bytes() for p in bundles.iterdir()}
    ws = copy_example(tmp_path / "coach")
    out = execute(
        NOTEBOOKS_DIR / "07_caseload.ipynb",
        tmp_path / "out.ipynb",
        data_dir=str(ws),
        today=today,
        bundles_dir=str(bundles),
        notes_dir=str(tmp_path / "notes"),
    )
    text = "\n".join(
        str(o.get("data", {}).get("text/html", ""))
        + str(o.get("data", {}).get("text/markdown", ""))
        for c in out.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert "2 client(s)" in text and "1 bundle(s) skipped" in text
    assert text.index("Jordan Rivera") < text.index("Sam Lee")  # an offer to answer first
    assert "1 offer to answer" in text and "holiday-photos.zip" in text
    assert "Since their previous bundle (Wednesday, November 18, 2026)" in text
    # Each client under their name, their summary's headings one level below it.
    assert text.index("<h2>Jordan Rivera</h2>") < text.index("<h3>Summary</h3>")
    assert 'id="summary"' not in text  # many clients on one page: no repeated anchor
    assert {p.name: p.read_bytes() for p in bundles.iterdir()} == before  # nothing written there


def test_the_form_writes_a_notes_file_the_client_imports(bundles, tmp_path, example_ws):
    load = read_caseload(bundles, TODAY)
    assert [c.name for c in load.clients] == ["Jordan Rivera", "Sam Lee"]
    assert "<script" not in client_html(load.clients[0])
    form = CoachNotesForm(load, tmp_path / "notes", TODAY, "harbor-bank-bi-developer")
    fields = form._fields
    assert fields["client"].value == "Jordan Rivera"
    assert fields["application"].value == "harbor-bank-bi-developer"
    click(form, "Add note")
    assert "write the note" in form._errors["note"].value
    fill(form, note="Negotiate the start date <b>first</b>", author="Coach Kim")
    click(form, "Add note")
    assert "Added your note to coach-notes-jordan-rivera-2026-11-25.zip" in form.status.value
    written = sorted((tmp_path / "notes").glob("*.zip"))
    assert [p.name for p in written] == ["coach-notes-jordan-rivera-2026-11-25.zip"]
    with pytest.raises(WorkspaceError, match="another person's search"):
        import_coach_notes(example_ws, written[0])  # a copy of the example: not Jordan's
    own = load.client("Jordan Rivera").latest.profile.search_id
    profile = example_ws.root / "profile.yml"
    profile.write_text(profile.read_text("utf-8") + f"search_id: {own}\n", "utf-8")
    assert import_coach_notes(example_ws, written[0]).added == 1  # Jordan's own workspace
    fields["client"].value = "Sam Lee"
    sams = load.client("Sam Lee").latest.applications
    assert {v for _, v in fields["application"].options} == set(sams["application_id"])
    with zipfile.ZipFile(io.BytesIO(written[0].read_bytes())) as zf:
        assert zf.namelist() == ["data/coach_notes.csv", "data/search.yml"]
        assert zf.read("data/search.yml").decode() == f"search_id: {own}\n"  # nothing else


def test_the_coach_readme_runs_as_written(tmp_path):
    """Each command of README-COACH.md, run in an unzipped bundle: ``make`` targets as
    a dry run (they would set up a second environment), the rest as written, with this
    environment's Python for ``.venv/bin/python``."""
    ws = Workspace(copy_example(tmp_path / "example"))
    folder = tmp_path / "bundle"
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(ws, TODAY))) as zf:
        zf.extractall(folder)
        readme = zf.read("README-COACH.md").decode("utf-8")
    commands = [
        line.split("  #")[0].strip()
        for block in re.findall(r"```bash\n(.*?)```", readme, re.S)
        for line in block.splitlines()
        if line.strip()
    ]
    assert commands[0] == "make lab" and "make test" not in readme
    assert "--today 2026-11-25" in commands[-1]
    env = {k: v for k, v in os.environ.items() if k not in ("WORKBOOK_DATA", "WORKBOOK_TODAY")}
    for command in commands:
        words = shlex.split(command)
        if words[0] == "make":
            run = subprocess.run(["make", "-n", *words[1:]], cwd=folder, capture_output=True)
        else:
            words[0] = sys.executable if words[0] == ".venv/bin/python" else words[0]
            run = subprocess.run(words, cwd=folder, env=env, capture_output=True, timeout=900)
        assert run.returncode == 0, (command, run.stdout[-2000:], run.stderr[-2000:])
    executed = sorted(p.name for p in (folder / "build" / "run" / "notebooks").glob("*.ipynb"))
    assert executed == sorted(p.name for p in (folder / "notebooks").glob("*.ipynb"))
    assert len(executed) == 8
