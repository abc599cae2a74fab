"""03_follow_up run headless by papermill: the daily batch use."""

from __future__ import annotations

import icalendar
import pytest

from helpers.batch import NOTEBOOKS_DIR
from tests.conftest import tree_digest
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow
NB = NOTEBOOKS_DIR / "03_follow_up.ipynb"


def test_a_daily_run_drafts_what_is_due_and_rewrites_the_calendar(example_ws, tmp_path):
    ws = example_ws.root
    out = execute(NB, tmp_path / "day1.ipynb", data_dir=str(ws), today="2026-11-25")
    assert errors(out) == []
    drafts = sorted(p.name for p in (ws / "drafts").rglob("follow-up-*"))
    assert drafts == ["follow-up-2026-11-25.eml", "follow-up-2026-11-25.md"]
    # Driftwood has no interview yet: its check-in is due (7 business days after applying).
    check_ins = sorted(
        p.relative_to(ws / "drafts").as_posix() for p in (ws / "drafts").rglob("check-in-*.md")
    )
    assert check_ins == ["driftwood-foods-data-analyst/check-in-2026-11-25.md"]
    cal = icalendar.Calendar.from_ical((ws / "reminders.ics").read_bytes())
    assert any("bluebird" in str(e["UID"]) for e in cal.walk("VEVENT"))

    same_day = tree_digest(ws)
    out = execute(NB, tmp_path / "again.ipynb", data_dir=str(ws), today="2026-11-25")
    assert errors(out) == []
    assert tree_digest(ws) == same_day, "re-running the same day must add nothing"

    # A week later Northwind's decision date has passed: its follow-up waits for the
    # thank-yous (never sent), so nothing new is drafted for it; the calendar moves on.
    out = execute(NB, tmp_path / "later.ipynb", data_dir=str(ws), today="2026-12-08")
    assert errors(out) == []
    assert sorted(p.name for p in (ws / "drafts").rglob("follow-up-*.md")) == [
        "follow-up-2026-11-25.md"
    ]
    # Tessera, Fernwood and Quarry Labs (no interview) are due their check-ins by then.
    assert len(list((ws / "drafts").rglob("check-in-2026-12-08.md"))) == 3
    later = icalendar.Calendar.from_ical((ws / "reminders.ics").read_bytes())
    assert later.to_ical() != cal.to_ical()


def test_application_id_limits_the_run(example_ws, tmp_path):
    out = execute(
        NB,
        tmp_path / "one.ipynb",
        data_dir=str(example_ws.root),
        today="2026-11-25",
        application_id="cobalt-logistics-senior-data-analyst",
    )
    assert errors(out) == []
    assert not (example_ws.root / "drafts").exists()  # cap reached: nothing drafted
