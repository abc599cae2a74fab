"""The workspace store on real files: exact text, hand-edited files, atomic saves."""

from __future__ import annotations

import errno
import os

import pandas as pd
import pytest

from helpers import Workspace, WorkspaceError, csvio, journal
from helpers.schema import TABLES
from helpers.store import empty_table


def app(**fields) -> dict[str, str]:
    row = {"application_id": "acme-data-analyst", "company": "Acme", "role": "Data Analyst"}
    row["stage"] = "applied"
    row.update(fields)
    return row


def test_load_and_save_every_example_table_keeps_every_byte(example_ws):
    before = {name: example_ws.file(name).read_bytes() for name in TABLES}
    for name in TABLES:
        example_ws.save(name, example_ws.load(name))
    after = {name: example_ws.file(name).read_bytes() for name in TABLES}
    assert after == before
    assert all(before.values())


def test_every_table_of_the_example_loads_with_its_contract_columns(example_ws):
    tables = example_ws.load_all()
    assert set(tables) == set(TABLES)
    for name, df in tables.items():
        assert list(df.columns[: len(TABLES[name].columns)]) == list(TABLES[name].columns)
        assert all(pd.api.types.is_string_dtype(df[c]) for c in df.columns)
    assert len(tables["applications"]) >= 12
    assert set(tables["applications"]["stage"]) >= {
        "saved",
        "applied",
        "screening",
        "interviewing",
        "offer",
        "rejected",
        "withdrawn",
        "ghosted",
    }


@pytest.mark.parametrize(
    "text",
    [
        "02139",
        "+1 555 0100",
        "Zoë Okafor — café, 東京",
        'She said "soon", maybe',
        "line one\nline two\r\nline three",
        "a lone \r carriage return",
        '=HYPERLINK("http://evil.example")',
        "-5",
        "@SUM(A1)",
        "\tindented",
        "'=already quoted",
        "'plain apostrophe",
        "  spaces kept  ",
        "",
    ],
)
def test_text_survives_exactly(empty_ws, text):
    empty_ws.append("applications", [app(notes=text, location=text)])
    loaded = empty_ws.load("applications")
    assert loaded.at[0, "notes"] == text
    assert loaded.at[0, "location"] == text


def test_formula_values_are_neutralised_in_the_file(empty_ws):
    empty_ws.append("applications", [app(notes="=1+1", location="+1 555 0100")])
    raw = empty_ws.file("applications").read_text(encoding="utf-8")
    assert "'=1+1" in raw and "'+1 555 0100" in raw
    assert ",=1+1" not in raw and ",+1 555" not in raw
    assert empty_ws.load("applications").at[0, "notes"] == "=1+1"


def test_hand_edited_file_with_bom_crlf_and_extra_columns_loads_and_keeps_them(empty_ws):
    path = empty_ws.file("applications")
    text = (
        "application_id,company,role,stage,my rating,notes\r\n"
        'acme-data-analyst,Acme,Data Analyst,applied,5,"two\r\nlines"\r\n'
    )
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    df = empty_ws.load("applications")
    assert df.at[0, "my rating"] == "5"
    assert df.at[0, "notes"] == "two\r\nlines"
    df.loc[0, "stage"] = "screening"
    empty_ws.save("applications", df)
    again = empty_ws.load("applications")
    assert again.at[0, "my rating"] == "5"
    assert again.at[0, "stage"] == "screening"
    assert again.at[0, "notes"] == "two\r\nlines"
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:6] == ["application_id", "company", "role", "stage", "my rating", "notes"]


def test_missing_file_is_an_empty_table_with_the_contract_columns(empty_ws):
    for name in TABLES:
        df = empty_ws.load(name)
        assert df.empty
        assert list(df.columns) == list(TABLES[name].columns)
    assert empty_ws.check() == []


def test_append_converts_values_to_text(empty_ws):
    import datetime as dt

    empty_ws.append(
        "applications",
        [app(applied_on=dt.date(2026, 11, 2), salary_min=85000, salary_max=95000.0)],
    )
    row = empty_ws.load("applications").iloc[0]
    assert (row["applied_on"], row["salary_min"], row["salary_max"]) == (
        "2026-11-02",
        "85000",
        "95000",
    )


def test_a_rejected_save_lists_every_problem_and_changes_nothing(example_ws):
    path = example_ws.file("applications")
    before = path.read_bytes()
    bad = [
        app(application_id="x-1", company="", stage="intervewing"),
        app(application_id="x-2", applied_on="2026-02-30", job_url="javascript:alert(1)"),
    ]
    with pytest.raises(WorkspaceError) as err:
        example_ws.append("applications", bad)
    found = {(p.file, p.row, p.column) for p in err.value.problems}
    rows = len(example_ws.load("applications"))
    assert {
        ("applications.csv", rows + 2, "company"),
        ("applications.csv", rows + 2, "stage"),
        ("applications.csv", rows + 3, "applied_on"),
        ("applications.csv", rows + 3, "job_url"),
    } <= found
    assert path.read_bytes() == before


def test_a_transaction_saves_all_tables_or_none(example_ws):
    before = {n: example_ws.file(n).read_bytes() for n in ("applications", "interviews")}
    with pytest.raises(WorkspaceError) as err, example_ws.transaction() as tx:
        tx.append("applications", [app()])
        tx.append(
            "interviews",
            [{"interview_id": "i-1", "application_id": "no-such-app", "held_on": "2026-11-20"}],
        )
    assert err.value.problems[0].file == "interviews.csv"
    assert err.value.problems[0].column == "application_id"
    assert "no-such-app" in str(err.value)
    after = {n: example_ws.file(n).read_bytes() for n in ("applications", "interviews")}
    assert after == before


def test_a_transaction_with_valid_records_writes_both(example_ws):
    with example_ws.transaction() as tx:
        tx.append("applications", [app()])
        tx.append(
            "interviews",
            [
                {
                    "interview_id": "i-1",
                    "application_id": "acme-data-analyst",
                    "held_on": "2026-11-20",
                }
            ],
        )
    assert "acme-data-analyst" in set(example_ws.load("interviews")["application_id"])


def test_removing_a_record_others_point_at_is_refused(example_ws):
    apps = example_ws.load("applications")
    keep = apps[apps["application_id"] != "northwind-analytics-data-analyst"]
    with pytest.raises(WorkspaceError) as err:
        example_ws.save("applications", keep)
    files = {p.file for p in err.value.problems}
    assert {"contacts.csv", "interviews.csv"} <= files
    assert len(example_ws.load("applications")) == len(apps)


def test_a_failing_disk_leaves_the_file_as_it_was(example_ws, monkeypatch):
    path = example_ws.file("research")
    before = path.read_bytes()

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(csvio.os, "fsync", full_disk)
    with pytest.raises(WorkspaceError) as err:
        example_ws.append(
            "research",
            [{"application_id": "northwind-analytics-data-analyst", "note": "new"}],
        )
    assert "No space left on device" in str(err.value)
    assert "research.csv" in str(err.value)
    assert path.read_bytes() == before
    assert not list(path.parent.glob(".research.csv.*.tmp"))


def test_a_read_only_workspace_refuses_the_save_cleanly(example_ws, monkeypatch):
    path = example_ws.file("research")
    before = path.read_bytes()

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(csvio.tempfile, "mkstemp", read_only)
    with pytest.raises(WorkspaceError, match="Read-only file system"):
        example_ws.append(
            "research",
            [{"application_id": "northwind-analytics-data-analyst", "note": "new"}],
        )
    assert path.read_bytes() == before


def test_leftovers_of_a_killed_save_are_cleaned_by_the_next_save(example_ws):
    path = example_ws.file("coach_notes")
    leftover = path.parent / ".coach_notes.csv.abc123.tmp"
    leftover.write_text("half a file")
    example_ws.append(
        "coach_notes", [{"application_id": "cobalt-logistics-senior-data-analyst", "note": "hi"}]
    )
    assert not leftover.exists()


def test_a_saved_file_keeps_its_permissions(example_ws):
    path = example_ws.file("comps")
    path.chmod(0o640)
    example_ws.save("comps", example_ws.load("comps"))
    assert path.stat().st_mode & 0o777 == 0o640


def test_unknown_table_names_the_known_ones(empty_ws):
    with pytest.raises(KeyError, match="applications"):
        empty_ws.load("applicatons")


def test_empty_table_has_contract_columns():
    assert list(empty_table("stage_history").columns) == ["application_id", "stage", "changed_on"]


def test_workspace_open_uses_parameter_then_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DATA", str(tmp_path / "from-env"))
    assert Workspace.open("").root == (tmp_path / "from-env").resolve()
    assert Workspace.open(str(tmp_path / "param")).root == (tmp_path / "param").resolve()


def many(folder, n: int, text: str) -> dict:
    return {folder / f"note-{i:03d}.md": f"{text} {i}\n".encode() for i in range(n)}


@pytest.mark.parametrize("n", [3, journal.SYNC_ALL_FROM, 200])
def test_many_files_are_written_whole_with_their_permissions(empty_ws, n):
    folder = empty_ws.root / "notes"
    folder.mkdir()
    (folder / "note-000.md").write_bytes(b"old")
    (folder / "note-000.md").chmod(0o640)
    empty_ws.write_files(many(folder, n, "new"))
    assert sorted(p.name for p in folder.iterdir()) == [f"note-{i:03d}.md" for i in range(n)]
    assert all(
        (folder / f"note-{i:03d}.md").read_bytes() == f"new {i}\n".encode() for i in range(n)
    )
    assert (folder / "note-000.md").stat().st_mode & 0o777 == 0o640
    assert not (empty_ws.root / journal.JOURNAL).exists()


@pytest.mark.parametrize("n", [100, 400])
def test_many_files_sync_once_not_once_each(empty_ws, monkeypatch, n):
    calls = {"sync": 0, "fsync": 0}
    real_fsync = os.fsync
    monkeypatch.setattr(journal.os, "sync", lambda: calls.__setitem__("sync", calls["sync"] + 1))

    def fsync(fd):
        calls["fsync"] += 1
        real_fsync(fd)

    monkeypatch.setattr(journal.os, "fsync", fsync)
    folders = [empty_ws.root / "a", empty_ws.root / "b"]
    empty_ws.write_files({**many(folders[0], n // 2, "x"), **many(folders[1], n // 2, "y")})
    # One sync of the data; the journal (begin, commit) and each folder twice, whatever n.
    assert calls == {"sync": 1, "fsync": 2 + 2 + 2 * 2 + 1}


def test_a_failing_batch_writes_nothing_and_leaves_no_temporary_file(empty_ws):
    folder = empty_ws.root / "notes"
    files = many(folder, 40, "new")
    folder.mkdir()
    (folder / "note-020.md").mkdir()  # a folder where a file should go
    with pytest.raises(WorkspaceError, match="Nothing was saved"):
        empty_ws.write_files(files)
    assert [p.name for p in folder.iterdir()] == ["note-020.md"]
    assert not (empty_ws.root / journal.JOURNAL).exists()


def test_what_a_killed_batch_staged_is_removed_by_the_next_open_at_once(empty_ws):
    folder = empty_ws.root / "notes"
    folder.mkdir()
    (empty_ws.root / "drafts" / "acme").mkdir(parents=True)
    staged = [folder / ".note-001.md.k1ll3d.tmp", empty_ws.root / "drafts/acme/.a.md.k1ll3d.tmp"]
    for leftover in staged:
        leftover.write_bytes(b"half a no")
    (empty_ws.root / journal.JOURNAL).write_text(
        '{"save": "k1ll3d", "state": "begin", "folders": ["notes", "drafts/acme"]}'
    )
    other = folder / "my-own.tmp"  # not the workbook's: left alone
    other.write_bytes(b"mine")
    empty_ws.load_all()
    assert not any(p.exists() for p in staged)
    assert other.exists() and not (empty_ws.root / journal.JOURNAL).exists()
