"""The etiquette rules, against dates worked out by hand with a wall calendar.

Every expected date below was counted on a calendar, not recomputed with the code
under test; the comment beside it shows the count. Unless a test says otherwise the
profile counts the full public-holiday calendar (``holiday_calendar: public``). The
US federal holidays used: Columbus Day Mon 2026-10-12, Veterans Day Wed 2026-11-11,
Thanksgiving Thu 2026-11-26; Illinois adds Election Day Tue 2026-11-03. The default
calendar (the days most private employers close) is tested in ``test_holidays.py``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from helpers import Workspace
from helpers.batch import copy_example
from helpers.profile import Profile, load_profile
from helpers.rules import (
    COLUMNS,
    FOLLOW_UP_ENDING_STAGES,
    FOLLOW_UP_STATES,
    FollowUpNotAllowed,
    FollowUpState,
    FollowUpTooSoon,
    check_follow_up_allowed,
    earliest_follow_up,
    follow_up_state,
    follow_up_states,
    thank_you_due,
)
from helpers.schema import TABLES

D = dt.date
APP = "acme-data-analyst"


# -- hand-made workspaces -------------------------------------------------------------


def table(name: str, rows: list[dict]) -> pd.DataFrame:
    """A table with the contract's columns, every cell text (empty = "")."""
    return pd.DataFrame(
        {
            col: pd.Series([row.get(col, "") for row in rows], dtype="str")
            for col in TABLES[name].columns
        }
    )


def application(app: str = APP, stage: str = "interviewing", decision: str = "", signed: str = ""):
    return {
        "application_id": app,
        "company": "Acme",
        "role": "Data Analyst",
        "stage": stage,
        "decision_expected_on": decision,
        "offer_signed_on": signed,
    }


def interview(held_on: str, app: str = APP, people: tuple[str, ...] = (), iid: str = "") -> dict:
    """An interview, with the people met (``people``) attached for :func:`workspace`."""
    return {
        "interview_id": iid or f"{app}-{held_on}",
        "application_id": app,
        "held_on": held_on,
        "_people": people,
    }


def follow_up(sent_on: str = "", app: str = APP, status: str = "sent", drafted_on: str = ""):
    return {
        "message_id": f"follow-up-{app}-{sent_on or drafted_on}-{status}",
        "application_id": app,
        "kind": "follow_up",
        "status": status,
        "drafted_on": drafted_on or sent_on,
        "sent_on": sent_on,
    }


def thank_you(iv: dict, contact: str, sent_on: str = "", status: str = "sent") -> dict:
    return {
        "message_id": f"thank-you-{iv['interview_id']}-{contact}-{status}",
        "application_id": iv["application_id"],
        "interview_id": iv["interview_id"],
        "contact_id": contact,
        "kind": "thank_you",
        "status": status,
        "drafted_on": sent_on or iv["held_on"],
        "sent_on": sent_on or (iv["held_on"] if status == "sent" else ""),
    }


def workspace(apps=None, interviews=(), messages=(), points=True) -> dict[str, pd.DataFrame]:
    """Every table of the contract, as ``Workspace.load_all`` returns them (each person
    met has a talking point unless ``points`` is false)."""
    apps = [application()] if apps is None else apps
    people = {p for iv in interviews for p in iv["_people"]}
    tables = {name: table(name, []) for name in TABLES}
    tables["applications"] = table("applications", apps)
    tables["contacts"] = table(
        "contacts", [{"contact_id": p, "name": p.title()} for p in sorted(people)]
    )
    tables["interviews"] = table("interviews", list(interviews))
    tables["interview_contacts"] = table(
        "interview_contacts",
        [
            {
                "interview_id": iv["interview_id"],
                "contact_id": p,
                "talking_point": f"something specific with {p}" if points else "",
            }
            for iv in interviews
            for p in iv["_people"]
        ],
    )
    tables["messages"] = table("messages", list(messages))
    return tables


def profile(country: str = "US", region: str = "", calendar: str = "public", **rules) -> Profile:
    return Profile(country=country, region=region, holiday_calendar=calendar, rules=rules)


def state_of(tables, today: str, prof: Profile | None = None, app: str = APP) -> FollowUpState:
    return follow_up_state(app, tables, prof or profile(), D.fromisoformat(today))


# -- thank-yous -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "due"),
    [
        (D(2026, 9, 14), D(2026, 9, 15)),  # Mon → Tue
        (D(2026, 9, 18), D(2026, 9, 21)),  # Fri → Mon, over the weekend
        (D(2026, 9, 19), D(2026, 9, 21)),  # a Saturday interview → Mon
        (D(2026, 11, 10), D(2026, 11, 12)),  # Tue → Thu: Veterans Day Wed 11 skipped
        (D(2026, 11, 25), D(2026, 11, 27)),  # Wed → Fri: Thanksgiving Thu 26 skipped
    ],
)
def test_thank_you_is_due_the_next_business_day(held_on, due):
    assert thank_you_due(held_on, profile()) == due


def test_profile_changes_when_thank_yous_are_due():
    # Wed 25 Nov + 2: Fri 27 (1), Mon 30 (2).
    assert thank_you_due(D(2026, 11, 25), profile(thank_you_business_days=2)) == D(2026, 11, 30)
    # 0 business days: the same day, or the next business day for a Saturday.
    assert thank_you_due(D(2026, 9, 16), profile(thank_you_business_days=0)) == D(2026, 9, 16)
    assert thank_you_due(D(2026, 9, 19), profile(thank_you_business_days=0)) == D(2026, 9, 21)


# -- the first follow-up --------------------------------------------------------------


@pytest.mark.parametrize(
    ("held_on", "earliest"),
    [
        ("2026-09-14", D(2026, 9, 21)),  # Mon → Tue15 Wed16 Thu17 Fri18 Mon21
        ("2026-09-17", D(2026, 9, 24)),  # Thu → Fri18 Mon21 Tue22 Wed23 Thu24
        ("2026-09-18", D(2026, 9, 25)),  # Fri → Mon21 … Fri25
        ("2026-09-19", D(2026, 9, 25)),  # Sat → Mon21 … Fri25
    ],
)
def test_first_follow_up_waits_five_business_days_over_weekends(held_on, earliest):
    tables = workspace(interviews=[interview(held_on)])
    state = state_of(tables, held_on)
    assert state.state == "not_yet"
    assert state.earliest == earliest
    assert state.latest_interview == D.fromisoformat(held_on)
    assert state.reason.startswith("5 business days after the interview on ")


def test_interview_the_day_before_thanksgiving():
    # Wed 25 Nov 2026; Thu 26 is Thanksgiving (no region: federal holidays only).
    tables = workspace(interviews=[interview("2026-11-25")])
    assert thank_you_due(D(2026, 11, 25), profile()) == D(2026, 11, 27)
    state = state_of(tables, "2026-11-30")
    # Fri27 (1), Mon30 (2), Tue1 (3), Wed2 (4), Thu3 (5).
    assert state.earliest == D(2026, 12, 3)
    assert state.state == "not_yet"
    assert state.reason == (
        "5 business days after the interview on Wed 25 Nov (Thanksgiving Day skipped)"
    )
    assert state_of(tables, "2026-12-02").state == "not_yet"
    assert state_of(tables, "2026-12-03").state == "due"


def test_region_holidays_count_too():
    # Fri 30 Oct. US: Mon2 Tue3 Wed4 Thu5 Fri6. Illinois also skips Election Day Tue 3.
    tables = workspace(interviews=[interview("2026-10-30")])
    assert state_of(tables, "2026-10-30", profile("US")).earliest == D(2026, 11, 6)
    il = state_of(tables, "2026-10-30", profile("US", "IL"))
    assert il.earliest == D(2026, 11, 9)  # Mon2 Wed4 Thu5 Fri6 Mon9
    assert "Election Day skipped" in il.reason


def test_another_countrys_holidays():
    # Wed 23 Dec 2026 in Great Britain: Thu24 (1); Christmas Fri 25, Boxing Day
    # observed Mon 28; Tue29 (2) Wed30 (3) Thu31 (4); New Year Fri 1 Jan; Mon 4 Jan (5).
    tables = workspace(interviews=[interview("2026-12-23")])
    state = state_of(tables, "2026-12-23", profile("GB"))
    assert state.earliest == D(2027, 1, 4)
    assert "Christmas Day" in state.reason and "New Year's Day" in state.reason


def test_the_latest_interview_counts_whatever_the_row_order():
    tables = workspace(interviews=[interview("2026-09-17"), interview("2026-09-14")])
    state = state_of(tables, "2026-09-17")
    assert state.latest_interview == D(2026, 9, 17)
    assert state.earliest == D(2026, 9, 24)


# -- the decision date ----------------------------------------------------------------


def test_decision_date_later_than_a_week_sets_the_first_follow_up():
    # Interview Tue 10 Nov: +5 would be Wed 18 Nov (Veterans Day Wed 11 skipped).
    # They said they'd decide by Fri 4 Dec: the first business day after is Mon 7 Dec.
    tables = workspace(
        apps=[application(decision="2026-12-04")], interviews=[interview("2026-11-10")]
    )
    state = state_of(tables, "2026-11-20")
    assert state.state == "not_yet"
    assert state.earliest == D(2026, 12, 7)
    assert state.reason == "the first business day after the decision date they gave, Fri 4 Dec"
    assert state_of(tables, "2026-12-04").state == "not_yet"
    assert state_of(tables, "2026-12-07").state == "due"


def test_decision_date_on_the_day_before_thanksgiving():
    # Interview Mon 16 Nov → Mon 23 Nov; decision Wed 25 Nov → Fri 27 Nov.
    tables = workspace(
        apps=[application(decision="2026-11-25")], interviews=[interview("2026-11-16")]
    )
    state = state_of(tables, "2026-11-16")
    assert state.earliest == D(2026, 11, 27)
    assert "Thanksgiving Day skipped" in state.reason


def test_an_early_decision_date_does_not_bring_the_follow_up_forward():
    # Interview Mon 14 Sep → Mon 21 Sep; decision Tue 15 Sep → Wed 16 Sep.
    tables = workspace(
        apps=[application(decision="2026-09-15")], interviews=[interview("2026-09-14")]
    )
    state = state_of(tables, "2026-09-14")
    assert state.earliest == D(2026, 9, 21)
    assert "after the interview on Mon 14 Sep" in state.reason


# -- further follow-ups, the cap, a newer interview -------------------------------------


def test_second_follow_up_waits_five_business_days_after_the_first_sent():
    tables = workspace(interviews=[interview("2026-09-14")], messages=[follow_up("2026-09-22")])
    state = state_of(tables, "2026-09-28")
    # Sent Tue 22 Sep: Wed23 Thu24 Fri25 Mon28 Tue29.
    assert state.earliest == D(2026, 9, 29)
    assert (state.state, state.sent_count, state.last_follow_up) == ("not_yet", 1, D(2026, 9, 22))
    assert state.reason == "5 business days after your last follow-up, sent Tue 22 Sep"
    assert state_of(tables, "2026-09-29").state == "due"


def test_second_follow_up_spacing_skips_thanksgiving():
    # Interview Tue 17 Nov; follow-up sent Wed 25 Nov: Fri27 Mon30 Tue1 Wed2 Thu3.
    tables = workspace(interviews=[interview("2026-11-17")], messages=[follow_up("2026-11-25")])
    assert state_of(tables, "2026-11-25").earliest == D(2026, 12, 3)


def test_cap_of_two_follow_ups_since_the_interview():
    tables = workspace(
        interviews=[interview("2026-09-14")],
        messages=[follow_up("2026-09-22"), follow_up("2026-09-29")],
    )
    state = state_of(tables, "2026-10-20")
    assert state.state == "cap_reached"
    assert (state.earliest, state.sent_count, state.cap) == (None, 2, 2)
    assert state.last_follow_up == D(2026, 9, 29)
    assert "move on" in state.reason and "keep applying" in state.reason
    with pytest.raises(FollowUpNotAllowed, match="move on"):
        check_follow_up_allowed(APP, tables, profile(), D(2026, 10, 20))


def test_a_newer_interview_restarts_the_count():
    first, second = interview("2026-09-14"), interview("2026-10-08")
    sent = [follow_up("2026-09-22"), follow_up("2026-09-29")]
    tables = workspace(interviews=[first, second], messages=sent)
    state = state_of(tables, "2026-10-09")
    assert state.sent_count == 0
    assert state.latest_interview == D(2026, 10, 8)
    # Thu 8 Oct: Fri9 (1), Columbus Day Mon 12 skipped, Tue13 Wed14 Thu15 Fri16 (5).
    assert (state.state, state.earliest) == ("not_yet", D(2026, 10, 16))
    assert "Columbus Day skipped" in state.reason

    tables = workspace(interviews=[first, second], messages=[*sent, follow_up("2026-10-19")])
    state = state_of(tables, "2026-10-20")
    # Sent Mon 19 Oct: Tue20 Wed21 Thu22 Fri23 Mon26.
    assert (state.state, state.sent_count, state.earliest) == ("not_yet", 1, D(2026, 10, 26))

    sent = [*sent, follow_up("2026-10-19"), follow_up("2026-10-26")]
    assert state_of(workspace(interviews=[first, second], messages=sent), "2026-11-02").state == (
        "cap_reached"
    )


def test_a_follow_up_sent_on_the_interview_day_belongs_to_the_round_before():
    tables = workspace(interviews=[interview("2026-10-08")], messages=[follow_up("2026-10-08")])
    state = state_of(tables, "2026-10-09", profile(follow_up_cap=1))
    assert (state.state, state.sent_count) == ("not_yet", 0)
    assert state.earliest == D(2026, 10, 16)  # the interview rule; spacing gives the same day
    # One sent the day after counts.
    tables = workspace(interviews=[interview("2026-10-08")], messages=[follow_up("2026-10-09")])
    assert state_of(tables, "2026-10-19", profile(follow_up_cap=1)).state == "cap_reached"


def test_an_unsent_follow_up_draft_does_not_count_as_sent():
    draft = follow_up(status="draft", drafted_on="2026-09-22")
    tables = workspace(interviews=[interview("2026-09-14")], messages=[draft])
    state = state_of(tables, "2026-09-22")
    assert (state.state, state.sent_count, state.last_follow_up) == ("due", 0, None)
    assert state.earliest == D(2026, 9, 21)


def test_a_sent_follow_up_without_sent_on_is_dated_by_drafted_on():
    sent = follow_up(status="sent", drafted_on="2026-09-22")
    assert sent["sent_on"] == ""
    tables = workspace(interviews=[interview("2026-09-14")], messages=[sent])
    state = state_of(tables, "2026-09-22")
    assert (state.sent_count, state.last_follow_up, state.earliest) == (
        1,
        D(2026, 9, 22),
        D(2026, 9, 29),
    )


# -- due and overdue ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-09-18", "not_yet"),
        ("2026-09-21", "due"),  # the earliest date, Mon
        ("2026-09-23", "due"),  # 2 business days after it
        ("2026-09-24", "overdue"),
        ("2026-10-30", "overdue"),
    ],
)
def test_due_for_two_business_days_then_overdue(today, expected):
    tables = workspace(interviews=[interview("2026-09-14")])
    assert state_of(tables, today).state == expected


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-09-25", "due"),  # earliest, Fri
        ("2026-09-26", "due"),  # Sat
        ("2026-09-29", "due"),  # Mon28 (1), Tue29 (2)
        ("2026-09-30", "overdue"),
    ],
)
def test_the_grace_period_counts_business_days(today, expected):
    tables = workspace(interviews=[interview("2026-09-18")])
    assert state_of(tables, today).state == expected


# -- closing stages and no interview ---------------------------------------------------


@pytest.mark.parametrize("stage", ["offer", "accepted", "rejected", "withdrawn", "ghosted"])
def test_every_closing_stage_ends_follow_ups(stage):
    tables = workspace(apps=[application(stage=stage)], interviews=[interview("2026-09-14")])
    state = state_of(tables, "2026-09-22")
    assert (state.state, state.earliest) == ("none_needed", None)
    assert state.reason
    with pytest.raises(FollowUpNotAllowed):
        check_follow_up_allowed(APP, tables, profile(), D(2026, 9, 22))


def test_the_closing_stages_are_those_of_the_design():
    assert set(FOLLOW_UP_ENDING_STAGES) == {"offer", "accepted", "rejected", "withdrawn", "ghosted"}


def test_a_signed_offer_ends_follow_ups():
    tables = workspace(
        apps=[application(signed="2026-09-20")], interviews=[interview("2026-09-14")]
    )
    assert state_of(tables, "2026-09-22").state == "none_needed"


@pytest.mark.parametrize("stage", ["saved", "applied", "screening", "interviewing"])
def test_no_interview_no_follow_up(stage):
    tables = workspace(apps=[application(stage=stage)])
    state = state_of(tables, "2026-09-22")
    assert (state.state, state.earliest, state.latest_interview) == ("no_interview", None, None)


def test_an_interview_under_an_early_stage_still_follows_the_rules():
    tables = workspace(apps=[application(stage="applied")], interviews=[interview("2026-09-14")])
    assert state_of(tables, "2026-09-21").state == "due"


# -- thank-yous pending --------------------------------------------------------------


def test_thank_yous_pending_until_everyone_met_is_thanked():
    earlier = interview("2026-11-10", people=("ana",))
    latest = interview("2026-11-24", people=("ana", "ben", "cleo"))
    messages = [
        thank_you(earlier, "cleo"),  # cleo thanked for the earlier round only
        thank_you(latest, "ana", "2026-11-24"),
        thank_you(latest, "ben", status="draft"),  # a draft is not sent
    ]
    tables = workspace(interviews=[earlier, latest], messages=messages)
    state = state_of(tables, "2026-12-10")
    assert (state.state, state.pending_thank_yous) == ("thank_yous_pending", 2)
    # Tue 24 Nov: Wed25 Fri27 Mon30 Tue1 Wed2 — still given while thank-yous are pending.
    assert state.earliest == D(2026, 12, 2)
    assert "2 thank-you notes" in state.reason

    messages += [thank_you(latest, "ben", "2026-11-25"), thank_you(latest, "cleo", "2026-11-25")]
    state = state_of(workspace(interviews=[earlier, latest], messages=messages), "2026-12-02")
    assert (state.state, state.pending_thank_yous) == ("due", 0)


def test_only_the_latest_interview_needs_thank_yous():
    earlier = interview("2026-09-01", people=("ana",))
    latest = interview("2026-09-14")
    tables = workspace(interviews=[earlier, latest])
    assert state_of(tables, "2026-09-21").state == "due"


def test_two_interviews_on_the_latest_day_both_need_thank_yous():
    morning = interview("2026-09-14", people=("ana",), iid="morning")
    afternoon = interview("2026-09-14", people=("ana", "ben"), iid="afternoon")
    tables = workspace(
        interviews=[morning, afternoon], messages=[thank_you(morning, "ana", "2026-09-14")]
    )
    assert state_of(tables, "2026-09-21").pending_thank_yous == 2


# -- profile overrides -----------------------------------------------------------------


def test_profile_sets_the_wait_after_the_interview():
    tables = workspace(interviews=[interview("2026-09-14")])
    # Mon 14 Sep + 10: Tue15 … Fri18 (4), Mon21 … Fri25 (9), Mon28 (10).
    state = state_of(tables, "2026-09-14", profile(follow_up_after_business_days=10))
    assert state.earliest == D(2026, 9, 28)
    assert state.reason.startswith("10 business days after the interview")


def test_profile_sets_the_wait_after_the_decision_date():
    tables = workspace(
        apps=[application(decision="2026-12-04")], interviews=[interview("2026-11-10")]
    )
    # Fri 4 Dec + 3: Mon7 Tue8 Wed9.
    state = state_of(tables, "2026-11-20", profile(follow_up_after_decision_business_days=3))
    assert state.earliest == D(2026, 12, 9)
    assert state.reason == "3 business days after the decision date they gave, Fri 4 Dec"
    # 0: the decision date itself; a Saturday decision date moves to Monday.
    zero = profile(follow_up_after_decision_business_days=0)
    assert state_of(tables, "2026-11-20", zero).earliest == D(2026, 12, 4)
    saturday = workspace(
        apps=[application(decision="2026-12-05")], interviews=[interview("2026-11-10")]
    )
    assert state_of(saturday, "2026-11-20", zero).earliest == D(2026, 12, 7)


@pytest.mark.parametrize(
    ("spacing", "earliest"),
    [
        (2, D(2026, 9, 24)),  # sent Tue 22 Sep: Wed23 Thu24
        (10, D(2026, 10, 6)),  # Wed23 Thu24 Fri25 Mon28 Tue29 Wed30 Thu1 Fri2 Mon5 Tue6
    ],
)
def test_profile_sets_the_spacing(spacing, earliest):
    tables = workspace(interviews=[interview("2026-09-14")], messages=[follow_up("2026-09-22")])
    prof = profile(follow_up_spacing_business_days=spacing)
    assert state_of(tables, "2026-09-22", prof).earliest == earliest


def test_profile_sets_the_cap():
    one = workspace(interviews=[interview("2026-09-14")], messages=[follow_up("2026-09-22")])
    assert state_of(one, "2026-10-20", profile(follow_up_cap=1)).state == "cap_reached"
    two = workspace(
        interviews=[interview("2026-09-14")],
        messages=[follow_up("2026-09-22"), follow_up("2026-09-29")],
    )
    state = state_of(two, "2026-09-30", profile(follow_up_cap=3))
    # Sent Tue 29 Sep: Wed30 Thu1 Fri2 Mon5 Tue6.
    assert (state.state, state.cap, state.earliest) == ("not_yet", 3, D(2026, 10, 6))
    none = workspace(interviews=[interview("2026-09-14")])
    assert state_of(none, "2026-09-21", profile(follow_up_cap=0)).state == "cap_reached"


def test_profile_may_set_the_grace_period():
    tables = workspace(interviews=[interview("2026-09-14")])
    strict = profile(follow_up_grace_business_days=0)
    assert state_of(tables, "2026-09-21", strict).state == "due"
    assert state_of(tables, "2026-09-22", strict).state == "overdue"


# -- refusing a follow-up -------------------------------------------------------------


def test_a_follow_up_asked_for_too_soon_is_refused_with_the_earliest_date():
    tables = workspace(
        apps=[application(decision="2026-12-04")], interviews=[interview("2026-11-10")]
    )
    with pytest.raises(FollowUpTooSoon) as err:
        check_follow_up_allowed(APP, tables, profile(), D(2026, 11, 20))
    assert err.value.state.earliest == D(2026, 12, 7)
    message = str(err.value)
    assert "Mon 7 Dec 2026" in message and "2026-12-07" in message
    assert "decision date they gave, Fri 4 Dec" in message


def test_a_follow_up_on_time_is_allowed():
    tables = workspace(interviews=[interview("2026-09-14")])
    state = check_follow_up_allowed(APP, tables, profile(), D(2026, 9, 21))
    assert (state.state, state.earliest) == ("due", D(2026, 9, 21))
    assert check_follow_up_allowed(APP, tables, profile(), D(2026, 10, 21)).state == "overdue"


def test_pending_thank_yous_do_not_block_a_follow_up_asked_for():
    tables = workspace(interviews=[interview("2026-09-14", people=("ana",))])
    state = check_follow_up_allowed(APP, tables, profile(), D(2026, 9, 21))
    assert state.state == "thank_yous_pending"
    with pytest.raises(FollowUpTooSoon):
        check_follow_up_allowed(APP, tables, profile(), D(2026, 9, 18))


def test_no_interview_is_refused_and_an_unknown_application_is_a_key_error():
    tables = workspace(apps=[application(stage="applied")])
    with pytest.raises(FollowUpNotAllowed, match="no interview"):
        check_follow_up_allowed(APP, tables, profile(), D(2026, 9, 21))
    with pytest.raises(KeyError, match="no-such-app"):
        follow_up_state("no-such-app", tables, profile(), D(2026, 9, 21))


# -- every application at once --------------------------------------------------------


def test_follow_up_states_one_row_each_most_urgent_first():
    apps = [
        application("a-no-interview", stage="applied"),
        application("b-closed", stage="rejected"),
        application("c-capped"),
        {**application("c-waiting", stage="applied"), "applied_on": "2026-09-01"},
        application("d-upcoming"),
        application("d-not-yet"),
        application("e-thanks"),
        application("f-due"),
        application("g-overdue"),
    ]
    interviews = [
        interview("2026-09-14", "b-closed"),
        interview("2026-09-01", "c-capped"),
        interview("2026-09-24", "d-upcoming"),
        interview("2026-09-18", "d-not-yet"),
        interview("2026-09-18", "e-thanks", people=("ana",)),
        interview("2026-09-14", "f-due"),
        interview("2026-09-01", "g-overdue"),
    ]
    messages = [
        follow_up("2026-09-09", "c-capped"),
        follow_up("2026-09-16", "c-capped"),
        follow_up("2026-09-15", "c-waiting"),  # a check-in, sent: wait for a reply
    ]
    tables = workspace(apps=apps, interviews=interviews, messages=messages)
    states = follow_up_states(tables, profile(), D(2026, 9, 21))
    assert list(states.columns) == list(COLUMNS)
    assert list(states["application_id"]) == [
        "g-overdue",
        "f-due",
        "e-thanks",
        "d-not-yet",
        "d-upcoming",
        "c-waiting",
        "c-capped",
        "b-closed",
        "a-no-interview",
    ]
    assert list(states["state"]) == list(FOLLOW_UP_STATES)
    assert states.loc[states["application_id"] == "f-due", "earliest"].item() == D(2026, 9, 21)
    # Each row is exactly what follow_up_state gives for that application.
    for row in states.itertuples(index=False):
        one = follow_up_state(row.application_id, tables, profile(), D(2026, 9, 21))
        assert dataclasses.astuple(one) == tuple(row)


def test_follow_up_states_of_an_empty_workspace():
    states = follow_up_states(workspace(apps=[]), profile(), D(2026, 9, 21))
    assert states.empty
    assert list(states.columns) == list(COLUMNS)


def test_earliest_follow_up_on_its_own():
    on, why = earliest_follow_up(
        D(2026, 11, 24), profile(), decision_expected_on=D(2026, 12, 4), today=D(2026, 11, 25)
    )
    assert on == D(2026, 12, 7)
    assert why == "the first business day after the decision date they gave, Fri 4 Dec"
    on, why = earliest_follow_up(D(2026, 11, 24), profile(), today=D(2026, 11, 25))
    # Tue 24 Nov: Wed25 Fri27 Mon30 Tue1 Wed2.
    assert on == D(2026, 12, 2)
    assert why == "5 business days after the interview on Tue 24 Nov (Thanksgiving Day skipped)"
    # The year is named when it is not this year's.
    _, why = earliest_follow_up(D(2026, 11, 24), profile(), today=D(2027, 1, 5))
    assert "Tue 24 Nov 2026" in why


def test_the_example_workspace(tmp_path):
    ws = Workspace(copy_example(tmp_path / "example"))
    states = follow_up_states(ws.load_all(), load_profile(ws), D(2026, 11, 25))
    by_app = states.set_index("application_id")["state"]
    assert len(states) == len(ws.load("applications"))
    assert by_app["bluebird-health-analytics-engineer"] in ("due", "overdue")
    assert by_app["cobalt-logistics-senior-data-analyst"] == "cap_reached"
    assert by_app["northwind-analytics-data-analyst"] == "thank_yous_pending"
    assert by_app["harbor-bank-bi-developer"] == "none_needed"


# -- properties -------------------------------------------------------------------------

COUNTRIES = ("US", "GB", "DE")
HOLIDAYS = {
    c: np.array(
        sorted(holidays.country_holidays(c, years=range(2024, 2030))), dtype="datetime64[D]"
    )
    for c in COUNTRIES
}
DAYS = st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31))


def business_days_after(start: dt.date, end: dt.date, country: str) -> int:
    """Business days d with start < d ≤ end, counted by numpy (an independent oracle)."""
    one = dt.timedelta(days=1)
    return int(np.busday_count(start + one, end + one, holidays=HOLIDAYS[country]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    country=st.sampled_from(COUNTRIES),
    held=st.lists(DAYS, min_size=1, max_size=3),
    decision=st.none() | DAYS,
    sent=st.lists(DAYS, max_size=3),
    drafts=st.lists(DAYS, max_size=2),
    after=st.integers(1, 10),
    after_decision=st.integers(0, 5),
    spacing=st.integers(1, 10),
    cap=st.integers(0, 4),
    today=DAYS,
)
def test_earliest_follow_up_is_always_polite(
    country, held, decision, sent, drafts, after, after_decision, spacing, cap, today
):
    prof = profile(
        country,
        follow_up_after_business_days=after,
        follow_up_after_decision_business_days=after_decision,
        follow_up_spacing_business_days=spacing,
        follow_up_cap=cap,
    )
    apps = [application(decision=decision.isoformat() if decision else "")]
    interviews = [interview(d.isoformat(), iid=f"iv-{i}") for i, d in enumerate(held)]
    messages = [
        {**follow_up(d.isoformat()), "message_id": f"fu-{i}"} for i, d in enumerate(sent)
    ] + [
        {**follow_up(status="draft", drafted_on=d.isoformat()), "message_id": f"dr-{i}"}
        for i, d in enumerate(drafts)
    ]
    tables = workspace(apps=apps, interviews=interviews, messages=messages)
    state = follow_up_state(APP, tables, prof, today)
    event(state.state)

    if max(held) > today:  # an interview still to come: prepare, no follow-up before it
        assert (state.state, state.earliest) == ("interview_upcoming", None)
        assert state.upcoming_interview == min(h for h in held if h > today)
        return
    latest = max(held)
    since = sum(s > latest for s in sent)
    assert state.latest_interview == latest
    assert state.sent_count == since
    if since >= cap:
        assert (state.state, state.earliest) == ("cap_reached", None)
        return
    on = state.earliest
    assert on is not None
    # On a business day: not a weekend, not a public holiday.
    assert on.weekday() < 5 and on not in holidays.country_holidays(country, years=on.year)
    # Not before the latest interview + `after` business days.
    assert business_days_after(latest, on, country) >= after
    # Not within `spacing` business days after any sent follow-up (drafts don't count).
    for s in sent:
        assert business_days_after(s, on, country) >= spacing
    if decision is not None:
        assert on >= decision
        assert business_days_after(decision, on, country) >= after_decision
    # And no later than needed: the business day before breaks at least one rule.
    before = on - dt.timedelta(days=1)
    while not np.is_busday(np.datetime64(before), holidays=HOLIDAYS[country]):
        before -= dt.timedelta(days=1)
    assert (
        business_days_after(latest, before, country) < after
        or any(business_days_after(s, before, country) < spacing for s in sent)
        or (
            decision is not None and business_days_after(decision, before, country) < after_decision
        )
        or (decision is not None and before < decision)
    )
    # The state agrees with today.
    assert state.state in ("not_yet", "due", "overdue")
    assert (state.state == "not_yet") == (today < on)
