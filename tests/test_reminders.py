"""reminders.ics: one all-day event for each thing due, from the workspace on disk."""

from __future__ import annotations

import datetime as dt
import errno

import icalendar
import pytest

from helpers import reminders
from helpers.errors import WorkspaceError
from helpers.profile import load_profile

TODAY = dt.date(2026, 11, 25)
NORTHWIND = "northwind-analytics-data-analyst"
HARBOR = "harbor-bank-bi-developer"
QUARRY = "quarry-labs-product-analyst"


def _events(ws, today: dt.date = TODAY):
    return reminders.reminders(ws.load_all(), load_profile(ws), today).set_index("uid")


def _set(ws, application_id: str, **values) -> None:
    apps = ws.load("applications")
    for column, value in values.items():
        apps.loc[apps["application_id"] == application_id, column] = value
    ws.save("applications", apps)


def test_an_interview_still_to_come_is_an_event_on_its_day(example_ws):
    example_ws.append(
        "interviews",
        [
            {
                "interview_id": f"{QUARRY}-2026-12-02",
                "application_id": QUARRY,
                "held_on": "2026-12-02",
                "round": "2",
                "format": "video",
            }
        ],
    )
    event = _events(example_ws).loc[f"interview-{QUARRY}-2026-12-02"]
    assert event["date"] == dt.date(2026, 12, 2)
    assert event["summary"] == "Interview: Quarry Labs (Product Analyst)"
    assert event["description"] == (
        "Interview, round 2 (video). Prepare with 02_research; the thank-yous come after it."
    )


def test_an_offer_to_answer_and_a_decision_already_past(example_ws):
    _set(example_ws, HARBOR, decision_expected_on="2026-12-02")
    _set(example_ws, NORTHWIND, decision_expected_on="2026-11-20")
    events = _events(example_ws)
    offer = events.loc[f"offer-{HARBOR}"]
    assert offer["date"] == dt.date(2026, 12, 2)
    assert offer["summary"].startswith("Answer the offer: Harbor Bank")
    assert f"decision-{NORTHWIND}" not in events.index


def test_what_is_overdue_is_put_on_today_and_says_so(example_ws):
    events = _events(example_ws, dt.date(2026, 12, 1))
    late = events[events["summary"].str.startswith("Overdue: Thank-you")]
    assert not late.empty and set(late["date"]) == {dt.date(2026, 12, 1)}
    assert all(
        d.startswith("Interview on 2026-11-24; the note is due") for d in late["description"]
    )


def test_a_thank_you_without_a_talking_point_asks_for_one(example_ws):
    people = example_ws.load("interview_contacts")
    who = people["contact_id"] == "jose-martinez"
    people.loc[who, "talking_point"] = ""
    example_ws.save("interview_contacts", people)
    event = _events(example_ws).loc[f"thank-you-{NORTHWIND}-2026-11-24-jose-martinez"]
    assert event["description"].endswith(" Add a talking point first.")


def test_once_an_offer_is_signed_only_the_thank_yous_remain(example_ws):
    _set(example_ws, HARBOR, stage="accepted", offer_signed_on="2026-11-25")
    events = _events(example_ws)
    assert len(events) and all(uid.startswith("thank-you-") for uid in events.index)


def test_the_calendar_has_one_all_day_event_per_reminder(example_ws):
    events = reminders.reminders(example_ws.load_all(), load_profile(example_ws), TODAY)
    cal = icalendar.Calendar.from_ical(reminders.calendar(events, TODAY).to_ical())
    assert str(cal["PRODID"]) == reminders.PRODID
    vevents = list(cal.walk("VEVENT"))
    assert [str(e["UID"]) for e in vevents] == [f"{u}@post-interview-workbook" for u in events.uid]
    for e, row in zip(vevents, events.itertuples(), strict=True):
        assert e.decoded("DTSTART") == row.date
        assert e.decoded("DTEND") == row.date + dt.timedelta(days=1)
        assert e.decoded("DTSTAMP") == dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
        assert str(e["SUMMARY"]) == row.summary and str(e["TRANSP"]) == "TRANSPARENT"


def test_an_empty_workspace_gets_an_empty_calendar(empty_ws):
    events, name = reminders.write_reminders(empty_ws, TODAY)
    assert events.empty and name == "reminders.ics"
    cal = icalendar.Calendar.from_ical((empty_ws.root / name).read_bytes())
    assert list(cal.walk("VEVENT")) == []


def test_a_calendar_that_cannot_be_saved_says_so_plainly(example_ws, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(reminders.csvio, "atomic_write", full)
    with pytest.raises(WorkspaceError) as caught:
        reminders.write_reminders(example_ws, TODAY)
    assert str(caught.value) == (
        "reminders.ics: could not save the file: the disk is full (No space left on device); "
        "nothing was changed and your previous data is intact"
    )
    assert not (example_ws.root / "reminders.ics").exists()
