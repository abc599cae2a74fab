"""03_follow_up and 05_share run to the end, headless, on a workspace whose every
free-text value holds ``$``, ``$$``, ``\\``, braces and ``%`` (tests/hostile.py).

Before the escaping rule, a company named ``Cash$$App`` made matplotlib's mathtext
raise in the follow-up timeline: no calendar, no report.
"""

from __future__ import annotations

import json

import pytest

from helpers import Workspace
from helpers.batch import NOTEBOOKS_DIR, copy_example
from helpers.schema import TABLES
from tests.hostile import SPECIAL, free_text_columns, special_workspace
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow


@pytest.fixture
def special_ws(tmp_path) -> Workspace:
    ws = special_workspace(Workspace(copy_example(tmp_path / "special")))
    assert ws.check() == []
    return ws


def test_every_free_text_column_holds_the_special_characters(special_ws):
    tables = special_ws.load_all()
    seen = set()
    for name, table in TABLES.items():
        for col in free_text_columns(table):
            values = tables[name][col]
            if len(values):
                assert values.str.endswith(SPECIAL).all(), (name, col)
                seen.add(f"{name}.{col}")
    assert {
        "applications.company",
        "applications.role",
        "applications.notes",
        "contacts.name",
        "interviews.impressions",
        "interview_contacts.talking_point",
        "messages.subject",
        "research.note",
        "comps.company",
        "coach_notes.note",
    } <= seen


def test_follow_up_runs_to_the_end(special_ws, tmp_path, today):
    out = execute(
        NOTEBOOKS_DIR / "03_follow_up.ipynb",
        tmp_path / "out.ipynb",
        data_dir=str(special_ws.root),
        today=today,
    )
    assert errors(out) == []
    outputs = json.dumps([c.get("outputs", []) for c in out.cells])
    assert "image/png" in outputs  # the timeline was drawn
    assert (special_ws.root / "reminders.ics").is_file()  # the calendar was written


def test_share_runs_to_the_end(special_ws, tmp_path, today):
    out = execute(
        NOTEBOOKS_DIR / "05_share.ipynb",
        tmp_path / "out.ipynb",
        data_dir=str(special_ws.root),
        today=today,
    )
    assert errors(out) == []
    report = special_ws.root / "reports" / f"report-{today}.html"
    assert report.is_file()
    assert "Cash$$App" in report.read_text(encoding="utf-8")
