"""04_pipeline run headless by papermill: the summary, the exports, imports, signing."""

from __future__ import annotations

import datetime as dt

import papermill
import pytest

from helpers import Workspace
from helpers.batch import NOTEBOOKS_DIR
from helpers.pipeline import change_stage
from tests.conftest import TESTS_DIR, tree_digest
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow
NB = NOTEBOOKS_DIR / "04_pipeline.ipynb"
IMPORTS = TESTS_DIR / "imports"


def printed(nb) -> str:
    """Everything the notebook printed (papermill --log-output shows it)."""
    return "".join(
        o.get("text", "")
        for cell in nb.cells
        if cell.cell_type == "code"
        for o in cell.get("outputs", [])
        if o.get("output_type") == "stream" and o.get("name") == "stdout"
    )


def shown(nb) -> str:
    """Every HTML, Markdown and text output, joined."""
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = o.get("data", {})
            parts.append(data.get("text/html") or data.get("text/markdown") or o.get("text", ""))
    return "\n".join(parts)


def test_headless_run_prints_the_summary_and_writes_the_exports(example_ws, tmp_path, today):
    out = execute(NB, tmp_path / "out.ipynb", data_dir=str(example_ws.root), today=today)
    assert errors(out) == []
    summary = printed(out)
    assert summary.startswith("13 applications: 9 active, 1 saved, 3 closed · 1 stale")
    assert "2 of your goal of 8 applications sent, 6 to go" in summary
    assert "Proof of search: reports/proof_of_search.csv, reports/proof_of_search.html" in summary
    reports = example_ws.root / "reports"
    csv_lines = (reports / "proof_of_search.csv").read_text(encoding="utf-8").splitlines()
    assert len(csv_lines) == 13  # header + 12 applications sent
    assert "Pinecrest Software" in csv_lines[1]
    assert (
        (reports / "proof_of_search.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    )
    html = shown(out)
    assert "Stale, 23 days without activity" in html
    assert str(tmp_path) not in "".join(shown(out).split(str(example_ws.root)))


def test_papermill_imports_a_tracker_export_once(empty_ws, tmp_path, today):
    for run in ("first", "second"):
        out = execute(
            NB,
            tmp_path / f"{run}.ipynb",
            data_dir=str(empty_ws.root),
            today=today,
            import_file=str(IMPORTS / "teal_export.csv"),
        )
        assert errors(out) == []
        if run == "first":
            after_first = tree_digest(empty_ws.root)
    assert tree_digest(empty_ws.root) == after_first
    assert "0 new applications, 6 already known" in shown(out)
    apps = Workspace(empty_ws.root).load("applications")
    assert len(apps) == 5
    assert printed(out).startswith("5 applications: 2 active, 1 saved, 2 closed")


def test_papermill_with_a_bad_import_fails_naming_the_row_and_writes_nothing(
    example_ws, tmp_path, today
):
    before = tree_digest(example_ws.root)
    with pytest.raises(papermill.PapermillExecutionError) as err:
        execute(
            NB,
            tmp_path / "out.ipynb",
            data_dir=str(example_ws.root),
            today=today,
            import_file=str(IMPORTS / "huntr_export.csv"),  # dates guessed: MM/DD/YYYY
        )
    assert "huntr_export.csv, row 4, column 'Date Applied'" in str(err.value)
    assert tree_digest(example_ws.root) == before


def test_papermill_takes_a_column_mapping(empty_ws, tmp_path, today):
    source = tmp_path / "mine.csv"
    source.write_text("Firm,Job,Sent\nAcme,Analyst,25/11/2026\n", encoding="utf-8")
    out = execute(
        NB,
        tmp_path / "out.ipynb",
        data_dir=str(empty_ws.root),
        today=today,
        import_file=str(source),
        import_columns={"Firm": "company", "Job": "role", "Sent": "applied_on"},
        import_date_format="DD/MM/YYYY",
    )
    assert errors(out) == []
    apps = Workspace(empty_ws.root).load("applications")
    assert apps[["company", "applied_on"]].values.tolist() == [["Acme", "2026-11-25"]]
    assert "1 of your goal of 5 applications sent" in printed(out)


def test_a_signed_offer_switches_the_notebook_to_withdrawals(example_ws, tmp_path, today):
    signed = dt.date.fromisoformat(today)
    change_stage(example_ws, "harbor-bank-bi-developer", "accepted", signed, signed)
    out = execute(NB, tmp_path / "first.ipynb", data_dir=str(example_ws.root), today=today)
    assert errors(out) == []
    html = shown(out)
    assert "Congratulations! You signed the offer for BI Developer at Harbor Bank" in html
    assert "Drafted **8** new withdrawal(s)" in html
    assert html.count('class="wb-draft"') == 8
    assert "Eggs in one basket" not in html and "Thin pipeline" not in html
    drafts = sorted(
        p.relative_to(example_ws.root).as_posix() for p in example_ws.root.rglob("withdrawal.*")
    )
    assert len(drafts) == 16  # .md and .eml for each
    after = tree_digest(example_ws.root)
    again = execute(NB, tmp_path / "second.ipynb", data_dir=str(example_ws.root), today=today)
    assert "Drafted **0** new withdrawal(s)" in shown(again)
    assert tree_digest(example_ws.root) == after


def test_an_empty_workspace_says_what_to_do_first(empty_ws, tmp_path, today):
    out = execute(NB, tmp_path / "out.ipynb", data_dir=str(empty_ws.root), today=today)
    assert errors(out) == []
    assert "No applications yet. Start by adding" in shown(out)
    assert "Nothing to prove yet" in shown(out)
    assert list(empty_ws.root.iterdir()) == []


def test_application_id_limits_the_table(example_ws, tmp_path, today):
    out = execute(
        NB,
        tmp_path / "out.ipynb",
        data_dir=str(example_ws.root),
        today=today,
        application_id="lumen-energy-data-scientist",
    )
    assert errors(out) == []
    assert printed(out).startswith("1 application: 1 active, 0 saved, 0 closed")
