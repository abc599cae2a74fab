"""Each case of "advice that matches what happened", from a workspace on disk, run
through the notebooks headless (papermill), as a new user would meet it.

1. a signed offer: no follow-up anywhere, withdrawals worded right;
2. an interview recorded ahead of time: upcoming, no early thank-you;
3. the follow-up to a recruiter who was not in the latest interview;
4. an application with no interview: the same advice in 03 and 04;
5. a missing talking point holds the follow-up only so long; "no note needed";
6. the calendar: no decision event for an offer, an overdue follow-up marked overdue;
7. holidays that count (Veterans Day, Illinois' Election Day, Texas' holidays);
8. drafts that read as written by hand; a known person typed again;
9. names, not identifiers; the rules as the profile sets them.
"""

from __future__ import annotations

import json
import re

import icalendar
import nbformat
import pytest
import yaml

from helpers.batch import NOTEBOOKS_DIR
from tests.test_advice import (
    DRIFTWOOD,
    HARBOR,
    NORTHWIND,
    PANEL,
    QUARRY,
    add_harbor_data_engineer,
    add_rows,
    set_cells,
    sign_harbor,
    thank_northwind,
)
from tests.test_notebooks import errors, execute

pytestmark = pytest.mark.slow


def run(name: str, ws, tmp_path, today: str, **parameters) -> str:
    """Run a notebook on ``ws``; return everything it showed, as plain text."""
    out = execute(
        NOTEBOOKS_DIR / f"{name}.ipynb",
        tmp_path / f"{name}-{today}.ipynb",
        data_dir=str(ws.root),
        today=today,
        **parameters,
    )
    assert errors(out) == []
    return shown(out)


def shown(nb: nbformat.NotebookNode) -> str:
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            text = data.get("text/html") or data.get("text/markdown") or o.get("text") or ""
            parts.append("".join(text) if isinstance(text, list) else str(text))
    text = re.sub(r"<[^>]+>", " ", "\n".join(parts))
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&amp;", "&")
    return re.sub(r"\s+", " ", text)


def events(ws) -> list[tuple[str, str]]:
    cal = icalendar.Calendar.from_ical((ws.root / "reminders.ics").read_bytes())
    return [(e.decoded("dtstart").isoformat(), str(e["SUMMARY"])) for e in cal.walk("VEVENT")]


def drafts(ws, pattern: str) -> list:
    return sorted((ws.root / "drafts").rglob(pattern)) if (ws.root / "drafts").exists() else []


def test_1_a_signed_offer_ends_follow_ups_in_03_04_and_the_calendar(example_ws, tmp_path):
    add_harbor_data_engineer(example_ws)
    sign_harbor(example_ws)
    text = run("03_follow_up", example_ws, tmp_path, "2026-12-09")
    assert "Your search is over" in text
    assert "Overdue: follow up now" not in text and "Due: follow up now" not in text
    assert "I remain very interested" not in text
    assert drafts(example_ws, "follow-up-*") == drafts(example_ws, "check-in-*") == []
    summaries = [s for _, s in events(example_ws)]
    assert not any(re.match(r"(Overdue: )?(Follow up|Check in|Decision)", s) for s in summaries)

    text = run("04_pipeline", example_ws, tmp_path, "2026-12-09")
    assert "Congratulations" in text
    same = (example_ws.root / "drafts" / "harbor-bank-data-engineer" / "withdrawal.md").read_text(
        encoding="utf-8"
    )
    assert "I have accepted the BI Developer position at Harbor Bank." in same
    assert "another position" not in same
    assert "Follow up now" not in text


def test_2_an_interview_recorded_ahead_gets_no_thank_you_yet(example_ws, tmp_path):
    interview = {
        "application_id": QUARRY,
        "held_on": "2026-12-24",
        "round": "1",
        "format": "video",
        "people": [
            {"name": "Ana Silva", "talking_point": "her checklist for A/B tests"},
            {"name": "Kenji Watanabe", "talking_point": "the trial-to-paid funnel"},
        ],
    }
    text = run("01_post_interview", example_ws, tmp_path, "2026-11-25", interview=interview)
    assert "Recorded the upcoming interview" in text
    assert not (example_ws.root / "drafts" / QUARRY).exists()
    assert re.search(r"2026-12-24 Quarry Labs Ana Silva 2026-12-2\d upcoming", text), text
    assert "meet with me on Thursday" not in text
    text = run("02_research", example_ws, tmp_path, "2026-11-25")
    assert re.search(r"2026-12-24 29 Quarry Labs Product Analyst 1 video Ana Silva", text)
    run("03_follow_up", example_ws, tmp_path, "2026-11-25")
    assert ("2026-12-24", "Interview: Quarry Labs (Product Analyst)") in events(example_ws)


def test_3_the_follow_up_goes_to_the_coordinator_in_words_that_are_true(example_ws, tmp_path):
    thank_northwind(example_ws)
    run("03_follow_up", example_ws, tmp_path, "2026-12-08")
    md = example_ws.root / "drafts" / NORTHWIND / "follow-up-2026-12-08.md"
    text = md.read_text(encoding="utf-8")
    assert "**To:** Maya Chen <maya.chen@northwind.example>" in text
    assert "my interview with Priya and the team on Tuesday, November 24" in text
    assert "our interview" not in text and "I know you hoped" not in text
    assert "Priya mentioned that a decision was expected by Friday, December 4" in text


def test_4_no_interview_yet_03_and_04_give_one_answer(example_ws, tmp_path):
    text03 = run("03_follow_up", example_ws, tmp_path, "2026-11-25", application_id=DRIFTWOOD)
    assert "Overdue: check in now" in text03
    assert "nothing to follow up on" not in text03
    assert [p.name for p in drafts(example_ws, "check-in-*.md")] == ["check-in-2026-11-25.md"]
    text04 = run("04_pipeline", example_ws, tmp_path, "2026-11-25", application_id=DRIFTWOOD)
    assert "Check in now (polite from Wed 11 Nov)" in text04
    assert "send a polite follow-up" not in text04


def test_5_a_missing_talking_point_stops_holding_and_no_note_needed(example_ws, tmp_path):
    set_cells(example_ws, "interview_contacts", "contact_id", "daniel-kowalski", talking_point="")
    set_cells(example_ws, "interview_contacts", "contact_id", "jose-martinez", note_needed="no")
    thank_northwind(example_ws, ("priya-natarajan",))
    text = run("01_post_interview", example_ws, tmp_path, "2026-12-08", application_id=NORTHWIND)
    assert re.search(r"José Martínez \S+ no note needed", text), text
    text = run("03_follow_up", example_ws, tmp_path, "2026-12-08", application_id=NORTHWIND)
    assert "Thank-yous first" not in text
    assert "Daniel Kowalski had no talking point" in text
    assert (example_ws.root / "drafts" / NORTHWIND / "follow-up-2026-12-08.md").is_file()


def test_6_the_calendar_has_what_is_due_and_says_when_it_is_late(example_ws, tmp_path):
    set_cells(
        example_ws, "applications", "application_id", HARBOR, decision_expected_on="2026-12-02"
    )
    run("03_follow_up", example_ws, tmp_path, "2026-12-14", application_id=NORTHWIND)
    summaries = dict((s, d) for d, s in events(example_ws))
    assert not any(s.startswith("Decision expected: Harbor") for s in summaries)
    late = [s for s in summaries if s.startswith("Overdue: Follow up with Northwind")]
    assert late and "after the thank-you notes" in late[0]
    assert summaries[late[0]] == "2026-12-14"


def test_7_holidays_most_employers_work_are_business_days(example_ws, tmp_path):
    text = run("01_post_interview", example_ws, tmp_path, "2026-11-25")
    assert re.search(r"2026-11-02 Cobalt Logistics Tom Reyes 2026-11-03 sent", text), text
    text = run("03_follow_up", example_ws, tmp_path, "2026-11-25")
    assert "Veterans Day" not in text and "Election Day" not in text
    assert "Wed 11 Nov" in text  # Driftwood's check-in, counted through Veterans Day

    profile = yaml.safe_load((example_ws.root / "profile.yml").read_text())
    profile["region"] = "TX"
    (example_ws.root / "profile.yml").write_text(yaml.safe_dump(profile))
    add_rows(
        example_ws,
        "interviews",
        [
            {
                "interview_id": "quarry-labs-2026-01-16",
                "application_id": QUARRY,
                "held_on": "2026-01-16",
            }
        ],
    )
    text = run("03_follow_up", example_ws, tmp_path, "2026-01-16", application_id=QUARRY)
    assert "Confederate" not in text
    assert "Fri 23 Jan" in text


def test_8_drafts_read_as_written_by_hand(empty_ws, tmp_path):
    interview = {
        "company": "Nørdic Ünïcode, Inc.",
        "role": "Data Analyst",
        "held_on": "2026-10-21",
        "people": PANEL,
    }
    text = run("01_post_interview", empty_ws, tmp_path, "2026-11-25", interview=interview)
    assert "Your profile has no name yet" in text
    bodies = [p.read_text(encoding="utf-8") for p in drafts(empty_ws, "thank-you-*.md")]
    assert len(bodies) == 5
    joined = "\n".join(bodies)
    for wrong in ("Inc..", "Dear Dr.,", "Dear María,", 'about QUALIFY" (', "his tip"):
        assert wrong not in joined
    assert "Dear Dr. Silva," in joined and "Dear María José," in joined
    assert "our conversation about She asked" not in joined
    assert "We talked about his team" not in joined
    assert "Wednesday, October 21" in joined and "21 October" not in joined
    assert joined.count("[your name]") == 5

    again = {
        "company": "Nørdic Ünïcode, Inc.",
        "role": "Data Analyst",
        "held_on": "2026-10-21",
        "people": [
            {
                "name": "Daniel Kowalski",
                "email": "daniel@nordic.example",
                "relationship": "hiring_manager",
            }
        ],
    }
    text = run("01_post_interview", empty_ws, tmp_path, "2026-11-26", interview=again)
    assert "Updated Daniel Kowalski: email daniel@nordic.example, relationship interviewer" in text
    contact = empty_ws.load("contacts").set_index("name").loc["Daniel Kowalski"]
    assert (contact["email"], contact["relationship"]) == (
        "daniel@nordic.example",
        "hiring_manager",
    )


def test_9_names_not_identifiers_and_the_profiles_own_numbers(example_ws, tmp_path):
    nb = json.loads((NOTEBOOKS_DIR / "03_follow_up.ipynb").read_text(encoding="utf-8"))
    intro = "".join(nb["cells"][0]["source"])
    assert not re.search(r"\b5 business days\b|\bafter 2\b", intro)
    profile = yaml.safe_load((example_ws.root / "profile.yml").read_text())
    profile["rules"].update(follow_up_after_business_days=8, follow_up_cap=3)
    (example_ws.root / "profile.yml").write_text(yaml.safe_dump(profile))
    text = run("03_follow_up", example_ws, tmp_path, "2026-11-25")
    assert "waits 8 business days after the latest interview" in text
    assert "at most 3 follow-ups" in text
    assert "quarry-labs-product-analyst" not in text.replace("drafts/quarry", "")
