"""02_research run headless by papermill: job descriptions, the target, the notes."""

from __future__ import annotations

import papermill
import pytest

from helpers import Workspace, research_records
from helpers.batch import NOTEBOOKS_DIR
from tests.conftest import TESTS_DIR, tree_digest
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow
NB = NOTEBOOKS_DIR / "02_research.ipynb"
POSTINGS = TESTS_DIR / "job_descriptions"
QUARRY = "quarry-labs-product-analyst"


def outputs(nb) -> str:
    """Every text and HTML output of an executed notebook, joined."""
    found = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            found.append(data.get("text/html", "") + data.get("text/markdown", ""))
            found.append(o.get("text", ""))
    return "\n".join(found)


def test_a_job_description_and_a_target_from_parameters_once(example_ws, tmp_path, today):
    ws = example_ws
    text = (POSTINGS / "mixed_headings.txt").read_text(encoding="utf-8")
    params = {
        "data_dir": str(ws.root),
        "today": today,
        "application_id": QUARRY,
        "job_description": text,
        "target_salary": "105k",
    }
    out = execute(NB, tmp_path / "first.ipynb", **params)
    assert errors(out) == []
    shown = outputs(out)
    assert "Added 7 duties, 3 requirements, 1 nice-to-have to the checklist" in shown
    assert "Your target for quarry-labs-product-analyst: 105000 USD per year." in shown
    items = research_records.checklist(Workspace(ws.root).load("research"), QUARRY)
    assert len(items) == 11
    # Only the chosen application's note is written.
    assert [p.name for p in (ws.root / "notes").glob("*.md")] == [f"{QUARRY}.md"]
    note = (ws.root / "notes" / f"{QUARRY}.md").read_text(encoding="utf-8")
    assert "- [ ] Audit our Amplitude tracking plan and fix the gaps" in note
    assert "Your target: **105000 USD per year**." in note

    after = tree_digest(ws.root)
    out = execute(NB, tmp_path / "second.ipynb", **params)
    assert errors(out) == []
    assert "already added" in outputs(out)
    assert tree_digest(ws.root) == after, "a second run changed the workspace"


def test_a_job_description_from_a_file(example_ws, tmp_path, today):
    out = execute(
        NB,
        tmp_path / "out.ipynb",
        data_dir=str(example_ws.root),
        today=today,
        application_id="harbor-bank-bi-developer",
        job_description=str(POSTINGS / "numbered.txt"),
    )
    assert errors(out) == []
    items = research_records.checklist(example_ws.load("research"), "harbor-bank-bi-developer")
    # Two of the posting's duties were in the example already (without the wrapped tail).
    assert list(items["kind"]).count("requirement") == 4
    assert "Microsoft Certified: Power BI Data Analyst Associate (PL-300)" in set(items["text"])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"job_description": "Build dashboards."}, "application_id is empty"),
        ({"application_id": QUARRY, "target_salary": "lots"}, "target_salary: 'lots'"),
        ({"application_id": QUARRY, "job_description": "/no/such/posting.txt"}, "no file"),
        ({"application_id": "no-such-application"}, "no application 'no-such-application'"),
    ],
)
def test_bad_parameters_fail_the_run_and_write_nothing(
    example_ws, tmp_path, today, params, message
):
    before = tree_digest(example_ws.root)
    with pytest.raises(papermill.PapermillExecutionError) as err:
        execute(NB, tmp_path / "out.ipynb", data_dir=str(example_ws.root), today=today, **params)
    assert message in str(err.value)
    assert tree_digest(example_ws.root) == before


def test_the_example_shows_the_research_and_writes_the_notes(example_ws, tmp_path, today):
    out = execute(NB, tmp_path / "out.ipynb", data_dir=str(example_ws.root), today=today)
    shown = outputs(out)
    # It opens on the application with the latest activity: Northwind and Quarry Labs
    # both had some on 24 November; Northwind is further along in its research.
    assert "What to ask for: 97,500 – 109,000 USD a year" in shown
    assert "Northwind Analytics — Data Analyst" in shown
    assert "Only 2 similar positions in CAD" not in shown  # Tessera's, not chosen
    assert {p.stem for p in (example_ws.root / "notes").glob("*.md")} == {
        "northwind-analytics-data-analyst",
        "bluebird-health-analytics-engineer",
        "harbor-bank-bi-developer",
        "tessera-retail-data-analyst",
    }
    assert "4 research notes in notes/: 4 updated by this run" in shown
    images = sum(
        ("image/png" in o.get("data", {}))
        + str(o.get("data", {}).get("text/html", "")).count("data:image/png;base64")
        for c in out.cells
        for o in c.get("outputs", [])
    )
    assert images == 1  # the chosen application's chart (inline in its view)


def test_a_batch_run_opens_on_its_application(example_ws, tmp_path, today):
    tessera = "tessera-retail-data-analyst"
    out = execute(
        NB,
        tmp_path / "out.ipynb",
        data_dir=str(example_ws.root),
        today=today,
        application_id=tessera,
    )
    assert errors(out) == []
    shown = outputs(out)
    assert "Only 2 similar positions in CAD" in shown
    assert "What to ask for: 97,500 – 109,000 USD a year" not in shown
