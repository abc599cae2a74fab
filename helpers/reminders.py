"""``reminders.ics``: what is due, as all-day calendar events.

Every unsent thank-you's due date, every next follow-up's (or check-in's) earliest
polite date, every interview still to come, every decision date still ahead of an
application waiting on one, and the date to answer an offer becomes an event. What
is on the calendar comes from :func:`helpers.standing.search_standing`, the answer
the notebooks give too: once an offer is signed there is no follow-up, decision or
interview event at all, only the thank-yous already due.

Each event's UID is made from what it is about (``thank-you-<interview>-<person>``,
``follow-up-<application>-<n>``, ``interview-<interview>``,
``decision-<application>``, ``offer-<application>``), so importing the file again
updates the events instead of duplicating them; the file is identical when
rewritten the same day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import icalendar
import pandas as pd

from helpers import csvio
from helpers.errors import WorkspaceError, io_problem
from helpers.profile import Profile, load_profile
from helpers.standing import WAITING_STAGES, search_standing, upcoming_interviews
from helpers.store import Workspace, holding_lock
from helpers.thankyou import ledger

CALENDAR_FILE = "reminders.ics"
UID_DOMAIN = "post-interview-workbook"
PRODID = "-//Post-Interview Workbook//reminders//EN"

Named = Callable[[str], str]
"""How an event names an application: ``Company (Role)``."""


def reminders(tables: dict[str, pd.DataFrame], profile: Profile, today: dt.date) -> pd.DataFrame:
    """The events to put in the calendar: date, uid, summary, description.

    Something already overdue is put on ``today``, marked overdue.
    """
    apps = tables["applications"].set_index("application_id")

    def name(app_id: str) -> str:
        return f"{apps.at[app_id, 'company']} ({apps.at[app_id, 'role']})"

    standing = search_standing(tables, profile, today)
    events = [
        *_thank_yous(tables, profile, today, name),
        *_follow_ups(standing.states, today, name),
        *_interviews(tables, today, name),
    ]
    if not standing.is_over:
        events += _decisions(tables["applications"], today, name)
    frame = pd.DataFrame(events, columns=["date", "uid", "summary", "description"])
    return frame.sort_values(["date", "uid"], kind="stable").reset_index(drop=True)


def _thank_yous(tables, profile: Profile, today: dt.date, name: Named) -> list[dict]:
    """Each thank-you still to send, on the day it is due."""
    book = ledger(tables, profile, today)
    todo = book[book["state"].isin(["due", "due today", "overdue", "needs talking point"])]
    events = []
    for r in todo.itertuples():
        due = dt.date.fromisoformat(r.due)
        events.append(
            {
                "date": max(due, today),
                "uid": f"thank-you-{r.interview_id}-{r.contact_id}",
                "summary": f"{'Overdue: ' if due < today else ''}Thank-you to {r.name}, "
                f"{name(r.application_id)}",
                "description": f"Interview on {r.held_on}; the note is due {r.due}."
                + (" Add a talking point first." if r.state == "needs talking point" else ""),
            }
        )
    return events


def _follow_ups(states: pd.DataFrame, today: dt.date, name: Named) -> list[dict]:
    """Each next follow-up (or check-in), on its earliest polite date."""
    upcoming = states[states["state"].isin(["not_yet", "due", "overdue", "thank_yous_pending"])]
    events = []
    for s in upcoming.itertuples():
        number = int(s.sent_count) + 1
        late = s.timing == "overdue"
        what = "Check in" if s.kind == "check_in" else "Follow up"
        after = " (after the thank-you notes)" if s.state == "thank_yous_pending" else ""
        events.append(
            {
                "date": max(s.earliest, today),
                "uid": f"follow-up-{s.application_id}-{number}",
                "summary": f"{'Overdue: ' if late else ''}{what} "
                f"{'again ' if number > 1 else ''}with {name(s.application_id)}{after}",
                "description": f"Earliest polite date: {s.earliest.isoformat()}, {s.reason}.",
            }
        )
    return events


def _interviews(tables, today: dt.date, name: Named) -> list[dict]:
    """Each interview still to come, on its day."""
    events = []
    for iv in upcoming_interviews(tables, today).itertuples():
        who = f" with {iv.people}" if iv.people else ""
        events.append(
            {
                "date": dt.date.fromisoformat(iv.held_on),
                "uid": f"interview-{iv.interview_id}",
                "summary": f"Interview: {name(iv.application_id)}",
                "description": f"Interview{who}"
                + (f", round {iv.round}" if iv.round else "")
                + (f" ({iv.format})" if iv.format else "")
                + ". Prepare with 02_research; the thank-yous come after it.",
            }
        )
    return events


def _decisions(apps: pd.DataFrame, today: dt.date, name: Named) -> list[dict]:
    """Each decision date still ahead of an application waiting on one, and the date
    to answer an offer."""
    events = []
    dated = apps[apps["decision_expected_on"] != ""]
    for a in dated.itertuples():
        decision = dt.date.fromisoformat(a.decision_expected_on)
        if decision < today:
            continue
        if a.stage in WAITING_STAGES:
            events.append(
                {
                    "date": decision,
                    "uid": f"decision-{a.application_id}",
                    "summary": f"Decision expected: {name(a.application_id)}",
                    "description": "The date they said you would hear back.",
                }
            )
        elif a.stage == "offer":
            events.append(
                {
                    "date": decision,
                    "uid": f"offer-{a.application_id}",
                    "summary": f"Answer the offer: {name(a.application_id)}",
                    "description": "The date they asked for your answer.",
                }
            )
    return events


def calendar(events: pd.DataFrame, today: dt.date) -> icalendar.Calendar:
    """An iCalendar with one all-day event per row of :func:`reminders`."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Job search reminders")
    stamp = dt.datetime.combine(today, dt.time(0, 0), tzinfo=dt.UTC)
    for e in events.itertuples():
        event = icalendar.Event()
        event.add("uid", f"{e.uid}@{UID_DOMAIN}")
        event.add("dtstamp", stamp)
        event.add("dtstart", e.date)
        event.add("dtend", e.date + dt.timedelta(days=1))
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal


@holding_lock
def write_reminders(ws: Workspace, today: dt.date) -> tuple[pd.DataFrame, str]:
    """Rewrite ``reminders.ics`` in the workspace; returns the events and its file name."""
    events = reminders(ws.load_all(), load_profile(ws), today)
    path = ws.root / CALENDAR_FILE
    try:
        csvio.atomic_write(path, calendar(events, today).to_ical())
    except OSError as err:
        raise WorkspaceError(io_problem(path, "save", err)) from err
    return events, CALENDAR_FILE
