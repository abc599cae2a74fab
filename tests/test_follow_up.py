"""Follow-up drafts, refusals, the calendar file and the follow-up form, on real files."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default

import icalendar
import pytest

from helpers.followup import draft_follow_ups, recipient, request_follow_up, status_table
from helpers.message_forms import FollowUpForm, MarkSentForm
from helpers.profile import load_profile
from helpers.reminders import CALENDAR_FILE, write_reminders
from helpers.rules import FollowUpNotAllowed, FollowUpTooSoon, follow_up_state
from helpers.schema import CLOSED_STAGES
from helpers.thankyou import mark_sent
from tests.conftest import tree_digest
from tests.test_forms import click

TODAY = dt.date(2026, 11, 25)
BLUEBIRD = "bluebird-health-analytics-engineer"
NORTHWIND = "northwind-analytics-data-analyst"
COBALT = "cobalt-logistics-senior-data-analyst"
DRIFTWOOD = "driftwood-foods-data-analyst"


def test_due_follow_ups_are_drafted_to_the_recruiter_once(example_ws):
    made = draft_follow_ups(example_ws, TODAY)
    # Driftwood has no interview: its check-in (7 business days after applying) is due.
    assert sorted(f.application_id for f in made) == [BLUEBIRD, DRIFTWOOD]
    [f] = [f for f in made if f.application_id == BLUEBIRD]
    assert (f.contact_id, f.draft.to_email) == ("aisha-rahman", "aisha.rahman@bluebird.example")
    body = f.draft.body
    assert "Dear Aisha," in body
    assert "Analytics Engineer role at Bluebird Health" in body
    assert "Friday, November 13" in body  # a US profile: dates as the US writes them
    assert "further information" in body
    assert len(body.split()) < 120, "a follow-up is short"
    msg = message_from_bytes(f.eml_file.read_bytes(), policy=default)
    assert msg["To"].addresses[0].addr_spec == "aisha.rahman@bluebird.example"
    assert "mailto:aisha.rahman@bluebird.example" in f.markdown_file.read_text(encoding="utf-8")
    logged = example_ws.load("messages")
    row = logged[logged["message_id"] == f.message_id].iloc[0]
    assert (row["kind"], row["status"], row["drafted_on"]) == ("follow_up", "draft", "2026-11-25")

    before = tree_digest(example_ws.root)
    assert draft_follow_ups(example_ws, TODAY) == []
    assert tree_digest(example_ws.root) == before


def test_asking_too_soon_is_refused_with_the_earliest_polite_date(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(FollowUpTooSoon) as err:
        request_follow_up(example_ws, NORTHWIND, TODAY)
    # Decision expected Fri 4 Dec: the first business day after it is Mon 7 Dec.
    assert "2026-12-07" in str(err.value)
    with pytest.raises(FollowUpNotAllowed, match=r"cap|move on"):
        request_follow_up(example_ws, COBALT, TODAY)
    with pytest.raises(FollowUpNotAllowed):
        request_follow_up(example_ws, "harbor-bank-bi-developer", TODAY)
    assert tree_digest(example_ws.root) == before


def test_an_unsent_draft_is_not_drafted_again(example_ws):
    first = request_follow_up(example_ws, BLUEBIRD, TODAY)
    again = request_follow_up(example_ws, BLUEBIRD, dt.date(2026, 11, 26))
    assert first.new and not again.new
    assert again.message_id == first.message_id
    assert again.draft == first.draft
    later = draft_follow_ups(example_ws, dt.date(2026, 11, 27))
    assert [f.application_id for f in later if f.application_id == BLUEBIRD] == []


def test_a_sent_follow_up_spaces_the_next_one(example_ws):
    made = request_follow_up(example_ws, BLUEBIRD, TODAY)
    mark_sent(example_ws, made.message_id, TODAY)
    state = follow_up_state(BLUEBIRD, example_ws.load_all(), load_profile(example_ws), TODAY)
    # Sent Wed 25 Nov; Thu 26 is Thanksgiving: 27, 30 Nov, 1, 2, 3 Dec.
    assert (state.state, state.earliest, state.sent_count) == ("not_yet", dt.date(2026, 12, 3), 1)
    with pytest.raises(FollowUpTooSoon, match="2026-12-03"):
        request_follow_up(example_ws, BLUEBIRD, dt.date(2026, 12, 2))
    second = request_follow_up(example_ws, BLUEBIRD, dt.date(2026, 12, 3))
    assert second.draft.subject.startswith("Checking in again")
    assert "once more" in second.draft.body


def test_recipient_is_recruiter_then_hiring_manager_then_last_interviewer(example_ws):
    tables = example_ws.load_all()
    assert recipient(NORTHWIND, tables)["relationship"] == "recruiter"
    contacts = tables["contacts"]
    contacts = contacts[
        ~((contacts["application_id"] == NORTHWIND) & (contacts["relationship"] == "recruiter"))
    ]
    tables = {**tables, "contacts": contacts}
    assert recipient(NORTHWIND, tables)["contact_id"] == "priya-natarajan"
    contacts = contacts[contacts["contact_id"] != "priya-natarajan"]
    tables = {**tables, "contacts": contacts}
    # The last person met at the latest interview (24 Nov): José Martínez.
    assert recipient(NORTHWIND, tables)["contact_id"] == "jose-martinez"


def test_status_table_reads_at_a_glance(example_ws):
    view = status_table(example_ws.load_all(), load_profile(example_ws), TODAY)
    by_company = view.set_index("company")
    assert by_company.loc["Bluebird Health", "follow-up"].startswith("Overdue")
    assert by_company.loc["Cobalt Logistics", "follow-up"].startswith("Cap reached")
    assert by_company.loc["Cobalt Logistics", "sent"] == "2 of 2"
    assert by_company.loc["Northwind Analytics", "follow-up"] == "Thank-yous first"
    assert by_company.loc["Northwind Analytics", "earliest"] == "Mon 7 Dec"
    assert by_company.loc["Harbor Bank", "follow-up"] == "None needed"
    assert by_company.loc["Driftwood Foods", "follow-up"] == "Overdue: check in now"
    # Most urgent first: the overdue ones, the longest overdue first.
    assert list(view["company"].head(2)) == ["Driftwood Foods", "Bluebird Health"]


def test_calendar_parses_back_and_is_stable(example_ws):
    events, name = write_reminders(example_ws, TODAY)
    path = example_ws.root / name
    first = path.read_bytes()
    cal = icalendar.Calendar.from_ical(first)
    vevents = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in vevents]
    assert len(uids) == len(set(uids)) == len(events)
    assert f"follow-up-{BLUEBIRD}-1@post-interview-workbook" in uids
    assert f"decision-{NORTHWIND}@post-interview-workbook" in uids
    assert sum(u.startswith("thank-you-northwind") for u in uids) == 3
    decision = next(e for e in vevents if str(e["UID"]).startswith(f"decision-{NORTHWIND}"))
    assert decision.decoded("DTSTART") == dt.date(2026, 12, 4)
    assert decision.decoded("DTEND") == dt.date(2026, 12, 5)
    overdue = next(e for e in vevents if "bluebird" in str(e["UID"]))
    assert str(overdue["SUMMARY"]).startswith("Overdue")
    assert overdue.decoded("DTSTART") == TODAY

    write_reminders(example_ws, TODAY)
    assert path.read_bytes() == first  # the same day: the same file

    later, _ = write_reminders(example_ws, dt.date(2026, 12, 5))
    assert not later["uid"].str.startswith(f"decision-{NORTHWIND}").any()  # in the past
    again = [str(e["UID"]) for e in icalendar.Calendar.from_ical(path.read_bytes()).walk("VEVENT")]
    assert set(again) & set(uids), "the same events keep their UIDs on the next run"


def test_calendar_on_an_empty_workspace(empty_ws):
    events, name = write_reminders(empty_ws, TODAY)
    assert events.empty
    assert icalendar.Calendar.from_ical((empty_ws.root / name).read_bytes())["VERSION"] == "2.0"
    assert name == CALENDAR_FILE


def test_follow_up_form_refuses_too_soon_and_drafts_when_due(example_ws):
    form = FollowUpForm(example_ws, TODAY, NORTHWIND)
    before = tree_digest(example_ws.root)
    click(form, "Draft follow-up")
    assert "Too soon" in form.status.value and "2026-12-07" in form.status.value
    assert tree_digest(example_ws.root) == before

    form._fields["application"].value = BLUEBIRD
    click(form, "Draft follow-up")
    assert "Drafted a follow-up to Aisha Rahman" in form.status.value
    assert "mailto:aisha.rahman@bluebird.example" in form.drafts.value
    click(form, "Draft follow-up")
    assert "already drafted" in form.status.value

    sent = MarkSentForm(example_ws, TODAY, "follow_up")
    assert len(sent._fields["message"].options) == 1
    click(sent, "Mark sent")
    msgs = example_ws.load("messages")
    assert set(msgs.loc[msgs["kind"] == "follow_up", "status"]) == {"sent"}


def test_follow_up_form_checks_in_before_any_interview(example_ws):
    form = FollowUpForm(example_ws, TODAY)
    listed = {value for _, value in form._fields["application"].options}
    apps = example_ws.load("applications").set_index("application_id")
    assert listed == set(apps.index[~apps["stage"].isin(["saved", *CLOSED_STAGES])])
    form._fields["application"].value = "tessera-retail-data-analyst"  # applied, no interview
    click(form, "Draft follow-up")
    assert "Too soon to check in on Tessera Retail" in form.status.value
    assert "2026-12-01" in form.status.value
    form._fields["application"].value = "driftwood-foods-data-analyst"
    click(form, "Draft follow-up")
    assert "Drafted a follow-up to" in form.status.value
    assert "My application — Data Analyst, Driftwood Foods" in form.drafts.value


def test_two_long_ids_due_the_same_day_get_their_own_message_ids(empty_ws):
    from helpers.interviews import parse_record, record_interview

    role = "Senior Machine Learning Platform Engineer For Recommendations"
    thanked = []
    for n in (2, 3):
        done = record_interview(
            empty_ws,
            parse_record(
                {
                    # Slugs are cut at 60 characters: these two ids differ only in a
                    # suffix, so the follow-up ids made from them are cut the same.
                    "company": "Extraordinarily Long Company Name Holdings",
                    "role": f"{role} {n}",
                    "held_on": "2026-11-02",
                    "people": [{"name": f"Recruiter {n}", "relationship": "recruiter"}],
                }
            ),
            dt.date(2026, 11, 2),
        )
        thanked.append(
            {
                "message_id": f"thanks-{n}",
                "application_id": done.application_id,
                "interview_id": done.interview_id,
                "contact_id": done.contact_ids[0],
                "kind": "thank_you",
                "status": "sent",
                "sent_on": "2026-11-02",
            }
        )
    empty_ws.append("messages", thanked)
    ids = list(empty_ws.load("applications")["application_id"])
    assert ids[0][:50] == ids[1][:50]
    made = draft_follow_ups(empty_ws, TODAY)
    assert len(made) == 2
    assert len({f.message_id for f in made}) == 2
    assert len(empty_ws.load("messages")) == 4
