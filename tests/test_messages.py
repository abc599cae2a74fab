"""Faults a user meets, each told plainly and truly: a read-only folder, a semicolon or
UTF-16 file from Excel, a coach's file, a company called ``CON``."""

from __future__ import annotations

import datetime as dt
import io
import shlex
import shutil
import subprocess
import sys
import zipfile

import pytest

from helpers import REPO_ROOT, Workspace, WorkspaceError
from helpers.batch import copy_example
from helpers.importer import import_applications
from helpers.paths import WINDOWS_RESERVED, safe_path, slugify
from helpers.share import bundle_bytes, import_coach_notes
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)


def _read_only_mount_works(tmp_path) -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = tmp_path / "probe"
    probe.mkdir()
    script = f"mount --bind {probe} {probe} && mount -o remount,bind,ro {probe} && touch {probe}/x"
    done = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True)
    return "Read-only file system" in done.stderr


def _in_read_only(root, command: list[str]) -> subprocess.CompletedProcess:
    """``command`` run where ``root`` is mounted read-only (a private mount namespace)."""
    quoted = " ".join(shlex.quote(c) for c in command)
    script = f"mount --bind {root} {root} && mount -o remount,bind,ro {root} && exec {quoted}"
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", script], capture_output=True, text=True, cwd=REPO_ROOT
    )


@pytest.fixture
def read_only(tmp_path):
    if not _read_only_mount_works(tmp_path):
        pytest.skip("a read-only mount needs unshare and mount (root, Linux)")
    return copy_example(tmp_path / "ws")


def test_a_save_in_a_read_only_folder_says_so_and_reading_still_works(read_only):
    code = (
        "from helpers import Workspace, WorkspaceError\n"
        f"ws = Workspace({str(read_only)!r})\n"
        "print(len(ws.load_all()['applications']), 'applications')\n"
        "try:\n"
        "    ws.append('research', [{'application_id': 'northwind-analytics-data-analyst',"
        " 'note': 'x', 'added_on': '2026-11-25'}])\n"
        "except WorkspaceError as err:\n"
        "    print(err)\n"
    )
    before = tree_digest(read_only)
    done = _in_read_only(read_only, [sys.executable, "-c", code])
    assert done.returncode == 0, done.stderr
    assert "13 applications" in done.stdout
    assert "the folder is read-only" in done.stdout and "Nothing was saved" in done.stdout
    assert tree_digest(read_only) == before


@pytest.mark.slow
@pytest.mark.parametrize("notebook", ["01_post_interview", "03_follow_up"])
def test_notebooks_in_a_read_only_folder_stop_with_the_reason_not_a_traceback(
    read_only, tmp_path, notebook
):
    import nbformat

    out = tmp_path / f"{notebook}.ipynb"
    command = [
        str(REPO_ROOT / ".venv/bin/papermill")
        if (REPO_ROOT / ".venv/bin/papermill").exists()
        else "papermill",
        str(REPO_ROOT / "notebooks" / f"{notebook}.ipynb"),
        str(out),
        "-p",
        "data_dir",
        str(read_only),
        "-r",
        "today",
        TODAY.isoformat(),
    ]
    done = _in_read_only(read_only, command)
    assert done.returncode != 0  # a batch run that could not save must not look fine
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    [error] = [o for o in outputs if o.get("output_type") == "error"]
    shown = "\n".join(error["traceback"])
    assert error["ename"] == "WorkspaceError"
    assert "the folder is read-only" in shown and "Nothing was saved" in shown
    assert "File " not in shown and "OSError" not in shown  # the reason, not a traceback


TABLE = (
    "application_id;company;role;stage;applied_on;notes\n"
    'acme-analyst;Acme;Analyst;applied;2026-11-02;"Met Ana; liked the team, a lot"\n'
)


def test_a_semicolon_separated_table_from_excel_is_read_as_it_is(empty_ws):
    (empty_ws.root / "applications.csv").write_text(TABLE, encoding="utf-8")
    apps = empty_ws.load("applications")
    assert apps.at[0, "company"] == "Acme"
    assert apps.at[0, "notes"] == "Met Ana; liked the team, a lot"


def test_a_utf16_table_from_excel_is_read_as_it_is(empty_ws):
    (empty_ws.root / "applications.csv").write_bytes(TABLE.replace(";", "\t").encode("utf-16"))
    apps = empty_ws.load("applications")
    assert list(apps["application_id"]) == ["acme-analyst"]
    assert apps.at[0, "notes"] == "Met Ana\t liked the team, a lot"


def test_a_semicolon_separated_tracker_export_is_imported(empty_ws, tmp_path):
    source = tmp_path / "export.csv"
    source.write_text(
        "Company;Job Title;Status;Date Applied\nAcme;Data Analyst;Applied;2026-11-02\n",
        encoding="utf-8-sig",
    )
    plan = import_applications(empty_ws, source)
    assert plan.added == 1
    assert empty_ws.load("applications").at[0, "company"] == "Acme"


def _bundle_with_notes(ws, raw: bytes) -> bytes:
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(bundle_bytes(ws, TODAY))) as src,
        zipfile.ZipFile(out, "w") as dst,
    ):
        for name in src.namelist():
            dst.writestr(name, raw if name == "data/coach_notes.csv" else src.read(name))
    return out.getvalue()


def test_coach_notes_in_utf16_are_read_and_problems_name_the_users_file(example_ws, tmp_path):
    header = "application_id,note,author,added_on\n"
    good = header + "northwind-analytics-data-analyst,Ask ü,Sam,2026-11-26\n"
    chosen = tmp_path / "from-coach.zip"
    chosen.write_bytes(_bundle_with_notes(example_ws, good.encode("utf-16")))
    assert import_coach_notes(example_ws, chosen).added == 1

    bad = header + "not-mine,Hi,Sam,26/11\n"
    chosen.write_bytes(_bundle_with_notes(example_ws, bad.encode("utf-16")))
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError) as err:
        import_coach_notes(example_ws, chosen)
    text = str(err.value)
    assert "from-coach.zip: data/coach_notes.csv, row 2" in text
    assert ".incoming" not in text
    assert tree_digest(example_ws.root) == before


@pytest.mark.parametrize("name", ["CON", "nul", "Aux", "COM1", "lpt9", "con.md"])
def test_names_windows_reserves_never_become_files_or_folders(tmp_path, name):
    path = safe_path(tmp_path, "drafts", name, f"{name}.md")
    for part in path.relative_to(tmp_path).parts:
        assert part.split(".")[0] not in WINDOWS_RESERVED, part
    assert slugify(name) not in WINDOWS_RESERVED


def test_a_company_called_con_drafts_into_a_portable_folder(empty_ws):
    from helpers.interviews import record_from_parameters
    from helpers.thankyou import draft_thank_yous

    record_from_parameters(
        empty_ws,
        {
            "company": "CON",
            "role": "Analyst",
            "held_on": "2026-11-24",
            "people": [{"name": "Nul", "email": "nul@con.example", "talking_point": "the plan"}],
        },
        TODAY,
    )
    draft_thank_yous(empty_ws, TODAY)
    for path in (empty_ws.root / "drafts").rglob("*"):
        for part in path.relative_to(empty_ws.root).parts:
            assert part.split(".")[0] not in WINDOWS_RESERVED, part
    assert Workspace(empty_ws.root).check() == []
