"""01_post_interview run headless by papermill: drafting, and recording from parameters."""

from __future__ import annotations

from email import message_from_bytes
from email.policy import default

import papermill
import pytest

from helpers import Workspace
from helpers.batch import NOTEBOOKS_DIR
from tests.conftest import tree_digest
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow
NB = NOTEBOOKS_DIR / "01_post_interview.ipynb"

INTERVIEW = {
    "company": "Søren & Co, Ltd.",
    "role": 'Analyst "Data"',
    "held_on": "2026-11-24",
    "format": "onsite",
    "people": [
        {
            "name": "Renée O'Brien",
            "email": "renee@soren.example",
            "relationship": "hiring_manager",
            "talking_point": 'Her team\'s dashboards, with "tiles", commas\nand line breaks',
        },
        {"name": "李小龍", "email": "li@soren.example", "talking_point": "The 数据 pipeline"},
        {"name": "Sam Ortiz", "talking_point": "Coffee budgets"},
    ],
}


def test_papermill_records_an_interview_from_parameters_once(example_ws, tmp_path, today):
    ws = example_ws
    before = {n: len(df) for n, df in ws.load_all().items()}
    for run in ("first", "second"):
        out = execute(
            NB, tmp_path / f"{run}.ipynb", data_dir=str(ws.root), today=today, interview=INTERVIEW
        )
        assert errors(out) == []
    after = {n: len(df) for n, df in ws.load_all().items()}
    assert after["applications"] == before["applications"] + 1
    assert after["interviews"] == before["interviews"] + 1
    assert after["contacts"] == before["contacts"] + 3
    # Three for the new interview, three for Northwind's onsite of the day before.
    assert after["messages"] == before["messages"] + 6

    msgs = Workspace(ws.root).load("messages")
    mine = msgs[msgs["application_id"] == "soren-co-ltd-analyst-data"]
    assert len(mine) == 3
    emls = [
        message_from_bytes((ws.root / f).with_suffix(".eml").read_bytes(), policy=default)
        for f in mine["draft_file"]
    ]
    names = {m["To"].addresses[0].display_name for m in emls if m["To"]}
    assert names == {"Renée O'Brien", "李小龍"}
    bodies = [m.get_content().replace("\r\n", "\n") for m in emls]
    assert len(set(bodies)) == 3
    assert any('your team\'s dashboards, with "tiles", commas and line breaks' in b for b in bodies)
    assert any("the 数据 pipeline" in b for b in bodies)
    for m in emls:
        assert 'Analyst "Data"' in str(m["Subject"])
        assert "Søren & Co, Ltd." in str(m["Subject"])
    md = (ws.root / mine["draft_file"].iloc[0]).read_text(encoding="utf-8")
    assert "**Subject:**" in md and "mailto:" in md


def test_an_invalid_interview_parameter_fails_the_run_and_writes_nothing(
    example_ws, tmp_path, today
):
    before = tree_digest(example_ws.root)
    bad = {**INTERVIEW, "held_on": "yesterday", "people": [{"name": "A", "email": "a@"}]}
    with pytest.raises(papermill.PapermillExecutionError) as err:
        execute(
            NB, tmp_path / "out.ipynb", data_dir=str(example_ws.root), today=today, interview=bad
        )
    assert "held_on" in str(err.value) and "people.0.email" in str(err.value)
    assert tree_digest(example_ws.root) == before


def test_application_id_limits_the_drafts(example_ws, tmp_path, today):
    out = execute(
        NB,
        tmp_path / "out.ipynb",
        data_dir=str(example_ws.root),
        today=today,
        application_id="bluebird-health-analytics-engineer",
    )
    assert errors(out) == []
    assert not (example_ws.root / "drafts").exists()  # Bluebird's thank-yous were all sent
