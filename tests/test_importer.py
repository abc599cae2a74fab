"""Importing another tracker's CSV, and exporting the proof of search."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from helpers import WorkspaceError
from helpers.importer import guess_mapping, import_applications, preview_import
from helpers.profile import Profile, load_profile
from helpers.proof_of_search import export_proof_of_search, proof_html, proof_of_search
from tests.conftest import TESTS_DIR, tree_digest

TODAY = dt.date(2026, 11, 25)
IMPORTS = TESTS_DIR / "imports"
HUNTR = IMPORTS / "huntr_export.csv"  # MM/DD/YYYY dates, one bad row (row 4)
TEAL = IMPORTS / "teal_export.csv"  # BOM, CRLF, ISO dates, a duplicate row


def write(tmp_path: Path, text: str, name: str = "tracker.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_column_names_of_other_trackers_are_recognised():
    assert guess_mapping(
        ["Company Name", "Job Title", "List", "Date Applied", "Job URL", "Salary", "Notes"]
    ) == {
        "Company Name": "company",
        "Job Title": "role",
        "List": "stage",
        "Date Applied": "applied_on",
        "Job URL": "job_url",
        "Salary": "",  # ambiguous: not imported unless mapped
        "Notes": "notes",
    }
    # A workbook column is filled once: the second "title" is left out.
    assert guess_mapping(["Position", "Title", "Max. Salary"]) == {
        "Position": "role",
        "Title": "",
        "Max. Salary": "salary_max",
    }


def test_the_date_format_is_guessed_from_the_dates(empty_ws, tmp_path):
    assert preview_import(empty_ws, HUNTR).date_format == "MM/DD/YYYY"  # 31/10 is the odd one
    assert preview_import(empty_ws, TEAL).date_format == "YYYY-MM-DD"
    day_first = write(tmp_path, "Company,Title,Date Applied\nA,B,25/11/2026\nC,D,01/02/2026\n")
    plan = preview_import(empty_ws, day_first)
    assert plan.date_format == "DD/MM/YYYY" and plan.ok
    dots = write(tmp_path, "Company,Title,Date Applied\nA,B,25.11.2026\n", "dots.csv")
    assert preview_import(empty_ws, dots).date_format == "DD.MM.YYYY"
    undated = write(tmp_path, "Company,Title\nA,B\n", "undated.csv")
    assert preview_import(empty_ws, undated).date_format == "YYYY-MM-DD"


def test_a_bad_row_is_reported_by_file_row_and_column_and_nothing_is_written(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError) as err:
        import_applications(example_ws, HUNTR, date_format="MM/DD/YYYY")
    [problem] = err.value.problems
    assert (problem.file, problem.row, problem.column) == (
        "huntr_export.csv",
        4,
        "Date Applied",
    )
    assert problem.message == "'31/10/2026' is not a date in the form MM/DD/YYYY"
    assert str(problem).startswith("huntr_export.csv, row 4, column 'Date Applied'")
    assert tree_digest(example_ws.root) == before


def test_the_preview_shows_each_row_and_writes_nothing(empty_ws):
    plan = preview_import(empty_ws, HUNTR, date_format="MM/DD/YYYY")
    assert not plan.ok
    assert list(plan.outcome["row"]) == [2, 3, 4, 5]
    assert list(plan.outcome["outcome"]) == [
        "add as acme-robotics-data-analyst",
        "add as globex-bi-analyst-senior",
        "problem: see below",
        "add as umbrella-health-data-engineer",
    ]
    assert list(plan.outcome["stage"]) == ["applied", "saved", "interviewing", "rejected"]
    assert plan.outcome["role"][1] == 'BI Analyst, "Senior"'
    assert plan.describe().startswith("huntr_export.csv: 1 problem to fix")
    assert list(empty_ws.root.iterdir()) == []


def test_fixing_the_mapping_and_format_imports_the_file(empty_ws, tmp_path):
    fixed = write(
        tmp_path,
        HUNTR.read_text(encoding="utf-8").replace("31/10/2026", "10/31/2026"),
        "huntr_fixed.csv",
    )
    mapping = {
        "Company Name": "company",
        "Job Title": "role",
        "List": "stage",
        "Date Applied": "applied_on",
        "Salary": "salary_min",
        "Location": "location",
    }
    plan = import_applications(empty_ws, fixed, mapping, "MM/DD/YYYY")
    assert (plan.added, plan.skipped) == (4, 0)
    apps = empty_ws.load("applications").set_index("application_id")
    acme = apps.loc["acme-robotics-data-analyst"]
    assert (acme["applied_on"], acme["salary_min"], acme["location"]) == (
        "2026-11-02",
        "85000",
        "Austin, TX",
    )
    assert acme["job_url"] == "" and acme["notes"] == ""  # not mapped: not imported
    assert apps.loc["initech-reporting-analyst", "applied_on"] == "2026-10-31"
    history = empty_ws.load("stage_history").values.tolist()
    assert history == [
        ["acme-robotics-data-analyst", "applied", "2026-11-02"],
        ["initech-reporting-analyst", "applied", "2026-10-31"],
        ["umbrella-health-data-engineer", "applied", "2026-10-20"],
    ]


def test_importing_twice_adds_nothing_the_second_time(empty_ws):
    first = import_applications(empty_ws, TEAL)
    assert (first.added, first.skipped) == (5, 1)
    assert "the same company and role as row 2" in first.outcome["outcome"].iloc[5]
    after = tree_digest(empty_ws.root)
    second = import_applications(empty_ws, TEAL)
    assert (second.added, second.skipped) == (0, 6)
    assert tree_digest(empty_ws.root) == after


def test_teal_stages_bom_crlf_and_formulas(empty_ws):
    import_applications(empty_ws, TEAL)
    apps = empty_ws.load("applications").set_index("company")
    assert apps["stage"].to_dict() == {
        "Acme Robotics": "applied",
        "Hooli": "interviewing",
        "<script>alert(1)</script> Corp": "rejected",
        "Stark Industries": "saved",
        "Wayne Enterprises": "ghosted",
    }
    assert apps.loc["Hooli", "notes"] == '=HYPERLINK("http://evil.example")'  # as typed
    raw = (empty_ws.root / "applications.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw  # but never a live formula in a spreadsheet
    assert apps.loc["Acme Robotics", "stage_changed_on"] == "2026-11-02"


def test_rows_already_in_the_workspace_are_skipped(example_ws, tmp_path):
    path = write(
        tmp_path,
        "Company,Role,Status,Date Applied\n"
        "northwind analytics,Data  Analyst,Interview,2026-10-28\n"
        "Northwind Analytics,Staff Analyst,Applied,2026-11-20\n",
    )
    plan = import_applications(example_ws, path)
    assert list(plan.outcome["outcome"]) == [
        "skip: already in your workspace as northwind-analytics-data-analyst",
        "add as northwind-analytics-staff-analyst",
    ]


def test_every_problem_is_listed_with_the_files_own_columns(empty_ws, tmp_path):
    path = write(
        tmp_path,
        "Employer,Position,Status,Applied,Link,Min Salary,Max Salary,Currency\n"
        "Acme,Analyst,Maybe later,2026-13-01,www.acme.example,90k,80000,usd\n"
        ",Engineer,Applied,2026-11-01,,100000,90000,\n",
    )
    with pytest.raises(WorkspaceError) as err:
        import_applications(empty_ws, path)
    found = {(p.row, p.column) for p in err.value.problems}
    assert found == {
        (2, "Status"),
        (2, "Applied"),
        (2, "Link"),
        (2, "Min Salary"),
        (3, "Employer"),
        (3, "Max Salary"),
    }
    assert all(p.file == "tracker.csv" for p in err.value.problems)
    assert not (empty_ws.root / "applications.csv").exists()


def test_a_wrong_mapping_is_reported_on_the_header_row(empty_ws, tmp_path):
    path = write(tmp_path, "Firm,Job,When\nAcme,Analyst,2026-11-01\n")
    plan = preview_import(empty_ws, path, {"Firm": "employer", "Job": "role", "Nope": "notes"})
    messages = {(p.row, p.column): p.message for p in plan.problems}
    assert messages[(1, "Firm")].startswith("'employer' is not a column an import fills")
    assert messages[(1, "Nope")] == "there is no column of this name in the file"
    assert messages[(1, None)] == "no column is mapped to 'company'; choose one"
    twice = preview_import(empty_ws, path, {"Firm": "company", "Job": "role", "When": "role"})
    assert [str(p) for p in twice.problems] == [
        "tracker.csv, row 1, column 'When': 'role' is already filled from column 'Job'"
    ]


def test_day_first_dates(empty_ws, tmp_path):
    path = write(tmp_path, "Company,Title,Date Applied\nAcme,Analyst,02.11.2026\n")
    import_applications(empty_ws, path, date_format="DD.MM.YYYY")
    assert empty_ws.load("applications")["applied_on"].tolist() == ["2026-11-02"]


def test_an_unreadable_file_names_the_file(empty_ws, tmp_path):
    with pytest.raises(WorkspaceError, match="there is no file"):
        preview_import(empty_ws, tmp_path / "missing.csv")
    broken = write(tmp_path, 'Company,Role\n"Acme,Analyst\n', "broken.csv")
    with pytest.raises(WorkspaceError, match=r"broken\.csv"):
        preview_import(empty_ws, broken)


def test_a_relative_path_is_inside_the_workspace(empty_ws):
    (empty_ws.root / "teal.csv").write_bytes(TEAL.read_bytes())
    assert preview_import(empty_ws, "teal.csv").added == 5


# -- proof of search ---------------------------------------------------------------


def test_proof_of_search_lists_every_application_sent_with_its_history(example_ws):
    proof = proof_of_search(example_ws.load_all())
    assert len(proof) == 12  # Juniper is only saved
    assert list(proof["date_applied"]) == sorted(proof["date_applied"])
    northwind = proof.set_index("company").loc["Northwind Analytics"]
    assert northwind["stage_history"] == (
        "2026-10-26 saved; 2026-10-28 applied; 2026-11-04 screening; 2026-11-12 interviewing"
    )
    assert northwind["date_applied"] == "2026-10-28"


def test_proof_of_search_without_applied_on_uses_the_first_stage_past_saved(empty_ws):
    with empty_ws.transaction() as tx:
        tx.append(
            "applications",
            [
                {"application_id": "a", "company": "A", "role": "R", "stage": "screening"},
                {"application_id": "b", "company": "B", "role": "R", "stage": "withdrawn"},
                {"application_id": "c", "company": "C", "role": "R", "stage": "rejected"},
            ],
        )
        tx.append(
            "stage_history",
            [
                {"application_id": "a", "stage": "saved", "changed_on": "2026-10-01"},
                {"application_id": "a", "stage": "screening", "changed_on": "2026-10-09"},
                {"application_id": "b", "stage": "withdrawn", "changed_on": "2026-10-02"},
            ],
        )
    proof = proof_of_search(empty_ws.load_all())
    assert proof[["date_applied", "company"]].values.tolist() == [
        ["2026-10-09", "A"],
        ["", "C"],  # rejected: it was sent, the date is unknown
    ]  # B was a saved posting, dropped


def test_the_exports_are_escaped_self_contained_and_idempotent(empty_ws):
    import_applications(empty_ws, TEAL)
    tables = empty_ws.load_all()
    profile = Profile(name="Zoë <b>Okafor</b>", email="zoe@example.com")
    written = export_proof_of_search(empty_ws, tables, profile, TODAY)
    assert [p.relative_to(empty_ws.root).as_posix() for p in written] == [
        "reports/proof_of_search.csv",
        "reports/proof_of_search.html",
    ]
    page = written[1].read_text(encoding="utf-8")
    assert "<script" not in page and "<b>Okafor" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Corp" in page
    assert "Zoë &lt;b&gt;Okafor&lt;/b&gt;" in page
    assert not re.search(r"\s(src|href)=", page), "nothing loaded from outside the file"
    assert "@media print" in page
    csv_text = written[0].read_text(encoding="utf-8")
    assert csv_text.splitlines()[0] == (
        "date_applied,company,role,location,source,job_url,current_stage,stage_history"
    )
    assert len(csv_text.splitlines()) == 5  # 4 sent; Stark is only saved

    before = tree_digest(empty_ws.root)
    mtimes = [p.stat().st_mtime_ns for p in written]
    export_proof_of_search(empty_ws, tables, profile, TODAY)
    assert tree_digest(empty_ws.root) == before
    assert [p.stat().st_mtime_ns for p in written] == mtimes  # not even rewritten


def test_a_formula_in_a_company_name_is_neutralised_in_the_csv(empty_ws, tmp_path):
    path = write(tmp_path, "Company,Role,Date Applied\n=cmd|' /C calc'!A0,Analyst,2026-11-02\n")
    import_applications(empty_ws, path)
    export_proof_of_search(empty_ws, empty_ws.load_all(), Profile(), TODAY)
    text = (empty_ws.root / "reports" / "proof_of_search.csv").read_text(encoding="utf-8")
    assert "\n'=cmd" not in text and ",'=cmd|" in text


def test_nothing_is_exported_before_the_first_application(empty_ws):
    assert export_proof_of_search(empty_ws, empty_ws.load_all(), Profile(), TODAY) == []
    assert not (empty_ws.root / "reports").exists()


def test_the_example_proof_page(example_ws):
    page = proof_html(proof_of_search(example_ws.load_all()), load_profile(example_ws), TODAY)
    assert "12 applications sent from 2026-10-01 to 2026-11-24" in page
    assert "Jordan Rivera · jordan.rivera@example.com · +1 555 0100" in page
