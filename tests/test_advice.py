"""Advice that matches what happened: one answer to where the search stands, and drafts
a recruiter would not correct (unit level; ``test_advice_notebooks.py`` runs the same
cases through the notebooks).

Dates worked out by hand on a 2026 calendar: Thanksgiving Thu 26 Nov; Veterans Day
Wed 11 Nov and Illinois' Election Day Tue 3 Nov are *not* days off at most private
employers (the default calendar), so they are business days here.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from helpers.businessdays import BusinessCalendar
from helpers.dates import long_date, when_held
from helpers.drafts import NO_NAME
from helpers.followup import draft_follow_ups, request_follow_up, wording
from helpers.greetings import greeting
from helpers.interview_forms import InterviewForm, TalkingPointForm
from helpers.interviews import parse_record, record_interview, set_note_needed
from helpers.pipeline import pipeline_table
from helpers.profile import Profile, load_profile
from helpers.reminders import reminders
from helpers.rules import FollowUpTooSoon, follow_up_state, rules_summary
from helpers.standing import search_standing, upcoming_interviews
from helpers.thankyou import draft_thank_yous, ledger
from helpers.withdrawals import draft_withdrawals
from tests.test_forms import click, fill

D = dt.date
TODAY = D(2026, 11, 25)
NORTHWIND = "northwind-analytics-data-analyst"
HARBOR = "harbor-bank-bi-developer"
BLUEBIRD = "bluebird-health-analytics-engineer"
DRIFTWOOD = "driftwood-foods-data-analyst"
QUARRY = "quarry-labs-product-analyst"


def edit(ws, name: str, change) -> None:
    """Change one table of a workspace on disk (``change`` returns the new frame)."""
    with ws.transaction() as tx:
        tx.save(name, change(tx.load(name)))


def set_cells(ws, name: str, key: str, value: str, **cells) -> None:
    def change(df):
        at = df[key] == value
        for col, v in cells.items():
            df.loc[at, col] = v
        return df

    edit(ws, name, change)


def sign_harbor(ws, on: str = "2026-12-08") -> None:
    set_cells(ws, "applications", "application_id", HARBOR, stage="accepted", offer_signed_on=on)


def add_rows(ws, name: str, rows: list[dict]) -> None:
    with ws.transaction() as tx:
        tx.append(name, rows)


def add_harbor_data_engineer(ws) -> None:
    """A second application at Harbor Bank, still open when its BI offer is signed."""
    add_rows(
        ws,
        "applications",
        [
            {
                "application_id": "harbor-bank-data-engineer",
                "company": "Harbor Bank",
                "role": "Data Engineer",
                "stage": "applied",
                "applied_on": "2026-11-02",
            }
        ],
    )


def thank_northwind(ws, people=("priya-natarajan", "daniel-kowalski", "jose-martinez")):
    iid = f"{NORTHWIND}-2026-11-24"
    add_rows(
        ws,
        "messages",
        [
            {
                "message_id": f"sent-{p}",
                "application_id": NORTHWIND,
                "interview_id": iid,
                "contact_id": p,
                "kind": "thank_you",
                "status": "sent",
                "drafted_on": "2026-11-24",
                "sent_on": "2026-11-24",
            }
            for p in people
        ],
    )


# -- 1. a signed offer ends follow-ups everywhere --------------------------------------


def test_a_signed_offer_ends_every_follow_up_and_the_calendar_says_so(example_ws):
    sign_harbor(example_ws)
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    day = D(2026, 12, 9)
    standing = search_standing(tables, profile, day)
    assert standing.phase == "search_over"
    assert set(standing.states["state"]) == {"none_needed"}
    assert (
        "your search is over" in standing.states.set_index("application_id").at[BLUEBIRD, "reason"]
    )
    assert draft_follow_ups(example_ws, day) == []
    events = reminders(tables, profile, day)
    assert not events["summary"].str.contains("Follow up|Check in|Decision|Interview").any()
    # Thank-yous already due remain (Northwind's were never sent).
    assert events["summary"].str.startswith("Overdue: Thank-you").any()
    board = pipeline_table(tables, profile, day).set_index("application_id")
    assert board.at[BLUEBIRD, "next_action"].startswith("Withdraw politely")
    assert board.at[HARBOR, "next_action"].startswith("Offer signed on")
    with pytest.raises(Exception, match="search is over"):
        request_follow_up(example_ws, BLUEBIRD, day)


def test_a_withdrawal_from_another_role_at_the_same_company_names_the_role_accepted(
    example_ws,
):
    add_harbor_data_engineer(example_ws)
    sign_harbor(example_ws)
    made = {w.application_id: w for w in draft_withdrawals(example_ws, D(2026, 12, 9))}
    same = made["harbor-bank-data-engineer"].draft.body
    assert "I have accepted the BI Developer position at Harbor Bank." in same
    assert "another position" not in same
    other = made[BLUEBIRD].draft.body
    assert "I have since accepted another position" in other
    assert "Harbor" not in other


# -- 2. upcoming interviews --------------------------------------------------------------


def upcoming_quarry(ws, held_on: str = "2026-12-24"):
    return record_interview(
        ws,
        parse_record(
            {
                "application_id": QUARRY,
                "held_on": held_on,
                "round": "1",
                "format": "video",
                "people": [
                    {"name": "Ana Silva", "talking_point": "her checklist for A/B tests"},
                    {"name": "Kenji Watanabe", "talking_point": "the trial-to-paid funnel"},
                ],
            }
        ),
        TODAY,
    )


def test_an_interview_after_today_is_upcoming_everywhere(example_ws):
    done = upcoming_quarry(example_ws)
    assert done.upcoming
    run = draft_thank_yous(example_ws, TODAY)
    assert all(t.application_id != QUARRY for t in run.drafted)
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    book = ledger(tables, profile, TODAY, QUARRY)
    assert set(book["state"]) == {"upcoming"}
    state = follow_up_state(QUARRY, tables, profile, TODAY)
    assert (state.state, state.upcoming_interview) == ("interview_upcoming", D(2026, 12, 24))
    events = reminders(tables, profile, TODAY)
    [event] = events[events["uid"] == f"interview-{done.interview_id}"].itertuples()
    assert event.date == D(2026, 12, 24) and "Quarry Labs" in event.summary
    assert not events["summary"].str.contains("Thank-you to Ana").any()
    coming = upcoming_interviews(tables, TODAY)
    assert coming["application_id"].tolist() == [QUARRY]
    assert coming["people"].iloc[0] == "Ana Silva, Kenji Watanabe"
    steps = search_standing(tables, profile, TODAY).steps.set_index("application_id")
    assert steps.at[QUARRY, "next_action"].startswith("Prepare for the interview on Thu 24 Dec")
    # The day after it is held, the notes are drafted (due that day).
    later = draft_thank_yous(example_ws, D(2026, 12, 25))
    assert {t.application_id for t in later.drafted} >= {QUARRY}


def test_the_form_records_an_interview_ahead_of_time(example_ws):
    form = InterviewForm(example_ws, TODAY, QUARRY)
    form._fields["held_on"].value = D(2026, 12, 24)
    row = form.people.children[0]
    row.name.value, row.talking_point.value = "Ana Silva", "her checklist for A/B tests"
    click(form, "Save")
    assert "Saved the upcoming interview on Thu 24 Dec" in form.status.value
    assert "thank-you drafts come once it is held" in form.status.value
    assert form.last_drafts is None


# -- 3. who gets the follow-up, and what it says ----------------------------------------


def test_the_follow_up_to_the_recruiter_speaks_of_the_interview_she_was_not_in(example_ws):
    thank_northwind(example_ws)
    [made] = [
        f for f in draft_follow_ups(example_ws, D(2026, 12, 8)) if f.application_id == NORTHWIND
    ]
    assert made.contact_id == "maya-chen"
    body = made.draft.body
    assert "Dear Maya," in body
    assert "my interview with Priya and the team on Tuesday, November 24" in body
    assert "our interview" not in body
    assert "Priya mentioned that a decision was expected by Friday, December 4" in body
    assert "I know you hoped" not in body


def test_the_decision_date_is_yours_only_when_you_gave_it(example_ws):
    tables = example_ws.load_all()
    maya = tables["contacts"].set_index("contact_id").loc["maya-chen"].copy()
    maya["contact_id"] = "maya-chen"
    said = wording(NORTHWIND, maya, tables, D(2026, 11, 24))
    assert said == {
        "in_interview": False,
        "interview_with": "Priya and the team",
        "decision_by": "Priya",
    }
    priya = tables["contacts"].set_index("contact_id").loc["priya-natarajan"].copy()
    priya["contact_id"] = "priya-natarajan"
    said = wording(NORTHWIND, priya, tables, D(2026, 11, 24))
    assert said["in_interview"] and said["decision_by"] == "you"
    assert said["interview_with"] == "Daniel and José"
    set_cells(example_ws, "applications", "application_id", NORTHWIND, decision_given_by="")
    said = wording(NORTHWIND, maya, example_ws.load_all(), D(2026, 11, 24))
    assert said["decision_by"] == ""


def test_who_gave_the_decision_date_is_recorded_with_the_interview(example_ws):
    record = parse_record(
        {
            "application_id": QUARRY,
            "held_on": "2026-11-24",
            "decision_expected_on": "2026-12-04",
            "decision_given_by": "Ana Silva",
            "people": [{"name": "Ana Silva", "talking_point": "her A/B checklist"}],
        }
    )
    done = record_interview(example_ws, record, TODAY)
    apps = example_ws.load("applications").set_index("application_id")
    assert apps.at[QUARRY, "decision_given_by"] == done.contact_ids[0] == "ana-silva"


# -- 4. no interview yet: one rule for 03 and 04 ----------------------------------------


def test_an_application_without_interview_gets_the_same_advice_in_03_and_04(example_ws):
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    state = follow_up_state(DRIFTWOOD, tables, profile, TODAY)
    # Applied Mon 2 Nov + 7 business days (Veterans Day is a working day): Wed 11 Nov.
    assert (state.state, state.kind, state.earliest) == ("overdue", "check_in", D(2026, 11, 11))
    board = pipeline_table(tables, profile, TODAY).set_index("application_id")
    assert "check in now (polite from Wed 11 Nov)" in board.at[DRIFTWOOD, "next_action"]
    [made] = [f for f in draft_follow_ups(example_ws, TODAY) if f.application_id == DRIFTWOOD]
    assert made.markdown_file.name == "check-in-2026-11-25.md"
    assert "Dear Driftwood Foods hiring team," in made.draft.body
    assert "applied for the Data Analyst role at Driftwood Foods on Monday, November 2" in (
        made.draft.body
    )
    # Sent: wait 10 business days for a reply, then the ghosted suggestion (03 and 04 alike).
    from helpers.thankyou import mark_sent

    mark_sent(example_ws, made.message_id, TODAY)
    tables = example_ws.load_all()
    assert follow_up_state(DRIFTWOOD, tables, profile, TODAY).state == "waiting"
    # Wed 25 Nov + 10: Fri27 Mon30 Tue1 Wed2 Thu3 Fri4 Mon7 Tue8 Wed9 Thu10.
    late = D(2026, 12, 10)
    assert follow_up_state(DRIFTWOOD, tables, profile, late).state == "cap_reached"
    board = pipeline_table(tables, profile, late).set_index("application_id")
    assert "mark it ghosted" in board.at[DRIFTWOOD, "next_action"]


def test_the_no_interview_numbers_come_from_the_profile(example_ws):
    tables = example_ws.load_all()
    prof = Profile(region="IL", rules={"check_in_after_business_days": 15})
    state = follow_up_state(DRIFTWOOD, tables, prof, TODAY)
    # Mon 2 Nov + 15 business days: Tue3 … Fri6 (4), Mon9 … Fri13 (9), Mon16 … Fri20 (14),
    # Mon23 (15).
    assert state.earliest == D(2026, 11, 23)
    assert "15 business days after you applied" in state.reason


# -- 5. no note needed, and a missing talking point holds only so long -------------------


def test_a_missing_talking_point_holds_the_follow_up_only_until_that_note_was_due(
    example_ws,
):
    set_cells(example_ws, "interview_contacts", "contact_id", "daniel-kowalski", talking_point="")
    thank_northwind(example_ws, ("priya-natarajan", "jose-martinez"))
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    # Interview Tue 24 Nov: Daniel's note was due Wed 25 Nov; the follow-up is due Mon 7 Dec.
    assert follow_up_state(NORTHWIND, tables, profile, TODAY).state == "thank_yous_pending"
    state = follow_up_state(NORTHWIND, tables, profile, D(2026, 12, 8))
    assert state.state == "due"
    assert "Daniel Kowalski had no talking point" in state.reason
    assert "the follow-up goes ahead" in state.reason


def test_a_person_marked_no_note_needed_never_holds_a_follow_up(example_ws):
    thank_northwind(example_ws, ("priya-natarajan", "daniel-kowalski"))
    set_note_needed(example_ws, f"{NORTHWIND}-2026-11-24", "jose-martinez", False)
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    book = ledger(tables, profile, TODAY, NORTHWIND).set_index("contact_id")
    assert book.at["jose-martinez", "state"] == "no note needed"
    assert follow_up_state(NORTHWIND, tables, profile, D(2026, 12, 7)).state == "due"
    assert all(t.contact_id != "jose-martinez" for t in draft_thank_yous(example_ws, TODAY).drafted)


def test_the_talking_point_form_marks_no_note_needed(example_ws):
    set_cells(example_ws, "interview_contacts", "contact_id", "daniel-kowalski", talking_point="")
    run = draft_thank_yous(example_ws, TODAY)
    form = TalkingPointForm(example_ws, TODAY, run.needs_talking_point)
    fill(form, talking_point="his tip about QUALIFY")
    assert "your tip about QUALIFY" in form.preview.value
    click(form, "No note needed")
    assert "needs no thank-you note" in form.status.value
    met = example_ws.load("interview_contacts").set_index("contact_id")
    assert met.at["daniel-kowalski", "note_needed"] == "no"


# -- 6. the calendar -------------------------------------------------------------------


def test_the_calendar_has_no_decision_for_an_offer_and_marks_a_held_follow_up_overdue(
    example_ws,
):
    set_cells(
        example_ws, "applications", "application_id", HARBOR, decision_expected_on="2026-12-02"
    )
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    events = reminders(tables, profile, TODAY)
    assert not events["summary"].str.startswith("Decision expected: Harbor").any()
    assert events["summary"].str.startswith("Answer the offer: Harbor Bank").any()
    # Northwind waits on thank-yous; its follow-up was due Mon 7 Dec, overdue from Thu 10.
    late = reminders(tables, profile, D(2026, 12, 14)).set_index("uid")
    summary = late.at[f"follow-up-{NORTHWIND}-1", "summary"]
    assert summary.startswith("Overdue: Follow up with Northwind")
    assert "after the thank-you notes" in summary


# -- 7. holidays that count -------------------------------------------------------------


def test_the_default_calendar_counts_the_days_most_employers_close():
    us = BusinessCalendar("US", "IL")
    assert us.is_business_day(D(2026, 11, 11))  # Veterans Day
    assert us.is_business_day(D(2026, 11, 3))  # Illinois Election Day
    assert us.is_business_day(D(2026, 10, 12))  # Columbus Day
    assert us.holiday(D(2026, 11, 26)) == "Thanksgiving Day"
    assert us.holiday(D(2027, 12, 24)) == "Christmas Day (observed)"
    tx = BusinessCalendar("US", "TX")
    assert tx.holiday(D(2026, 1, 19)) is None  # Confederate Memorial Day; MLK Day
    full = BusinessCalendar("US", "TX", "public")
    assert "Confederate Memorial Day" in full.holiday(D(2026, 1, 19))
    gb = BusinessCalendar("GB", "ENG")
    assert gb.holiday(D(2026, 12, 28))  # Boxing Day (observed): a public holiday counts


def test_a_reason_never_names_a_holiday_that_does_not_count():
    tables = _one_interview("2026-01-16")
    tx = Profile(region="TX")
    state = follow_up_state("acme-analyst", tables, tx, D(2026, 1, 16))
    # Fri 16 Jan + 5: Mon19 Tue20 Wed21 Thu22 Fri23 (MLK Day is a working day).
    assert state.earliest == D(2026, 1, 23)
    assert "Confederate" not in state.reason and "skipped" not in state.reason
    public = Profile(region="TX", holiday_calendar="public")
    state = follow_up_state("acme-analyst", tables, public, D(2026, 1, 16))
    assert state.earliest == D(2026, 1, 26)
    assert "Confederate Memorial Day" in state.reason


def test_the_example_cobalt_thank_you_is_due_the_day_after(example_ws):
    book = ledger(example_ws.load_all(), load_profile(example_ws), TODAY)
    cobalt = book[book["application_id"] == "cobalt-logistics-senior-data-analyst"]
    assert set(cobalt["due"]) == {"2026-11-03"}  # Election Day is a working day


def _one_interview(held_on: str) -> dict[str, pd.DataFrame]:
    from tests.test_rules import interview, table, workspace

    apps = [
        {
            "application_id": "acme-analyst",
            "company": "Acme",
            "role": "Analyst",
            "stage": "interviewing",
        }
    ]
    tables = workspace(apps=apps, interviews=[interview(held_on, "acme-analyst")])
    tables["applications"] = table("applications", apps)
    return tables


# -- 8. drafts that read as written by hand ---------------------------------------------


PANEL = [
    {"name": "Dr. Ana Silva", "talking_point": "her checklist for reviewing A/B tests"},
    {
        "name": "María José Fernández",
        "talking_point": "She asked how I would handle late-arriving events",
    },
    {
        "name": "Daniel Kowalski",
        "talking_point": "The live SQL exercise and his tip about QUALIFY",
    },
    {"name": "Ben Carter", "talking_point": "We talked about his team's on-call rotation"},
    {"name": "Kenji Watanabe", "talking_point": "How would we measure adoption?"},
]


def _sentences(body: str) -> list[str]:
    text = body.split("\n\n", 1)[1].rsplit("\n\n", 1)[0]  # without greeting and closing
    return [s.strip() for s in re.split(r"(?<=[.?!”])\s+", text) if s.strip()]


def test_five_notes_of_one_round_read_as_written_by_hand(empty_ws):
    record = parse_record(
        {
            "company": "Nørdic Ünïcode, Inc.",
            "role": "Data Analyst",
            "held_on": "2026-10-21",
            "people": PANEL,
        }
    )
    record_interview(empty_ws, record, TODAY)
    run = draft_thank_yous(empty_ws, TODAY)
    bodies = {t.draft.to_name: t.draft.body for t in run.drafted}
    assert len(bodies) == 5
    assert bodies["Dr. Ana Silva"].startswith("Dear Dr. Silva,")
    assert bodies["María José Fernández"].startswith("Dear María José,")
    assert "your checklist for reviewing A/B tests" in bodies["Dr. Ana Silva"]
    assert "you asked how I would handle late-arriving events" in bodies["María José Fernández"]
    assert "your tip about QUALIFY" in bodies["Daniel Kowalski"]
    assert "your team's on-call rotation" in bodies["Ben Carter"]
    assert "We talked about" not in bodies["Ben Carter"]
    assert "“How would we measure adoption?”" in bodies["Kenji Watanabe"]
    for body in bodies.values():
        assert "Inc.." not in body
        assert "Dear Dr.," not in body
        # Five weeks later: the full date, as the US writes it; never "on Wednesday" alone.
        assert "Wednesday, October 21" in body
        assert not re.search(r"on Wednesday(?!, October)", body)
        assert body.rstrip().endswith(NO_NAME), "a missing name is a visible gap"
    seen: dict[str, str] = {}
    for name, body in bodies.items():
        for sentence in _sentences(body):
            assert sentence not in seen, f"{name} and {seen.get(sentence)} share: {sentence}"
            seen[sentence] = name


def test_greetings_from_parsed_names():
    assert greeting("Dr. Ana Silva") == "Dr. Silva"
    assert greeting("María José Fernández López") == "María José"
    assert greeting('Robert "Bob" Smith') == "Bob"
    assert greeting("Dr.") == ""
    assert greeting("ZOË OKAFOR") == "Zoë"
    assert greeting("Kenji Watanabe", "Watanabe-san") == "Watanabe-san"
    assert greeting("Ms. Lee") == "Ms. Lee"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Anne-Marie (Annie) Dupont", "Annie"),
        ("李雷 (小李)", "小李"),
        ("Sinéad O’Brien (Shay)", "Shay"),
        # Remarks in brackets or quotes are not names to greet by.
        ('Anne-Marie \\ Backslash (the "quoted" one)', "Anne-Marie"),
        ("Li Wei (she/her)", "Li"),
        ("Ana Silva (Hiring Manager)", "Ana"),
        ('Kenji "the recruiter" Watanabe', "Kenji"),
        ("Priya (priya)", "Priya"),
    ],
)
def test_a_remark_in_brackets_is_not_a_greeting(name, expected):
    assert greeting(name) == expected


def test_a_contacts_own_greeting_is_used(example_ws):
    set_cells(example_ws, "contacts", "contact_id", "priya-natarajan", greeting="Dr. Natarajan")
    run = draft_thank_yous(example_ws, TODAY, NORTHWIND)
    [priya] = [t for t in run.drafted if t.contact_id == "priya-natarajan"]
    assert priya.draft.body.startswith("Dear Dr. Natarajan,")


def test_dates_follow_the_locale_and_relative_days_only_when_recent():
    day = D(2026, 11, 24)
    assert long_date(day, "en_US") == "Tuesday, November 24"
    assert long_date(day, "en_GB") == "Tuesday, 24 November"
    assert when_held(day, day) == "today"
    assert when_held(day, D(2026, 11, 25)) == "yesterday"
    assert when_held(day, D(2026, 11, 27)) == "on Tuesday"
    assert when_held(day, D(2026, 12, 29)) == "on Tuesday, November 24"
    assert when_held(day, D(2027, 1, 5), "en_GB") == "on Tuesday, 24 November 2026"
    assert Profile(country="GB").date_locale == "en_GB"
    assert Profile().date_locale == "en_US"
    assert Profile(locale="de_DE").date_locale == "en_DE"


def test_a_known_person_typed_again_is_updated_and_the_form_says_so(example_ws):
    form = InterviewForm(example_ws, TODAY, NORTHWIND)
    form._fields["held_on"].value = D(2026, 11, 24)
    form._fields["round"].value = "2"
    row = form.people.children[0]
    row.name.value = "Daniel Kowalski"
    row.email.value = "d.kowalski@northwind.example"
    row.relationship.value = "hiring_manager"
    row.talking_point.value = "his tip about QUALIFY"
    assert "your tip about QUALIFY" in row.preview.value
    click(form, "Save")
    status = form.status.value
    assert "updated Daniel Kowalski" in status, status
    assert "daniel.kowalski@northwind.example → d.kowalski@northwind.example" in status
    assert "relationship interviewer → hiring_manager" in status
    person = example_ws.load("contacts").set_index("contact_id").loc["daniel-kowalski"]
    assert (person["email"], person["relationship"]) == (
        "d.kowalski@northwind.example",
        "hiring_manager",
    )


def test_the_form_previews_the_sentence_and_warns(empty_ws):
    form = InterviewForm(empty_ws, TODAY)
    row = form.people.children[0]
    row.name.value = "Ana Silva"
    row.talking_point.value = "She asked how I would handle late data"
    assert "you asked how I would handle late data" in row.preview.value
    row.talking_point.value = "the role"
    assert "Too general" in row.preview.value
    second = form.add_person()
    second.name.value = "Ben Carter"
    second.talking_point.value = "his on-call rotation"
    assert "I keep coming back to our discussion of your on-call rotation." in (
        second.preview.value
    )
    assert [label for label, _ in form._fields["decision_given_by"].options][1:] == [
        "Ana Silva",
        "Ben Carter",
    ]


def test_the_form_asks_for_the_name_to_sign_with(empty_ws):
    form = InterviewForm(empty_ws, TODAY)
    assert "signature_name" in form._fields  # no name in the profile: the form asks
    fill(form, company="Acme", role="Analyst")
    row = form.people.children[0]
    row.name.value, row.talking_point.value = "Lee Park", "their on-call rota"
    click(form, "Save")
    assert f"signed “{NO_NAME}”" in form.status.value
    assert "type your name in “Sign as”" in form.status.value

    other = InterviewForm(empty_ws, TODAY)
    fill(other, company="Acme", role="Analyst", held_on=D(2026, 11, 24))
    fill(other, signature_name="Jordan Rivera")
    row = other.people.children[0]
    row.name.value, row.talking_point.value = "Mo Diaz", "the dbt style guide"
    click(other, "Save")
    assert "drafted 1 thank-you." in other.status.value
    assert load_profile(empty_ws).name == "Jordan Rivera"
    assert "signature_name" not in InterviewForm(empty_ws, TODAY)._fields
    mo = [p for p in empty_ws.load("messages")["draft_file"] if "mo-diaz" in p]
    text = (empty_ws.root / mo[0]).read_text(encoding="utf-8")
    assert "\nJordan Rivera\n" in text and NO_NAME not in text


# -- 9. names, not identifiers; the rules as the profile sets them ----------------------


def test_a_refusal_names_the_company_and_role(example_ws):
    with pytest.raises(FollowUpTooSoon) as err:
        request_follow_up(example_ws, QUARRY, TODAY)
    message = str(err.value)
    assert "Quarry Labs — Product Analyst" in message
    assert QUARRY not in message
    assert "check in" in message


def test_the_rules_summary_shows_the_profiles_numbers():
    text = rules_summary(Profile(rules={"follow_up_after_business_days": 8, "follow_up_cap": 3}))
    assert "waits 8 business days after the latest interview" in text
    assert "at most 3 follow-ups" in text
    assert "5 days" not in text
