"""The workspace at a glance, for ``00_start_here``: what is in each table, what is wrong."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from helpers.errors import Problem, WorkspaceError
from helpers.escape import md_text
from helpers.profile import Profile, load_profile
from helpers.schema import STAGES, TABLES
from helpers.store import Workspace

NOTEBOOKS = (
    ("01_post_interview", "Just had an interview", "record it and who you met; thank-you drafts"),
    ("02_research", "Preparing for the next round", "duties, team, company, similar pay"),
    ("03_follow_up", "Waiting to hear back", "which follow-ups are due; drafts; calendar"),
    ("04_pipeline", "Every week", "all applications, the weekly goal, add and update"),
    ("05_share", "Meeting your coach", "a read-only report and a shareable bundle"),
    ("06_mailbox", "Mail came in, or you sent notes", "sent drafts closed, replies recorded"),
    ("07_caseload", "You coach many job seekers", "who needs you first and why; notes back"),
)
"""Each notebook with when to open it and what it gives."""


def is_empty(ws: Workspace) -> bool:
    """True when the workspace holds no table files yet (a normal first state)."""
    return not any(ws.file(name).exists() for name in TABLES)


def table_counts(ws: Workspace) -> pd.DataFrame:
    """One row per table: its file, how many records, and whether it could be read."""
    rows = []
    for name, count in ws.counts().items():
        path = ws.file(name)
        state = "not created yet" if not path.exists() else "unreadable"
        rows.append(
            {
                "table": name,
                "file": TABLES[name].file,
                "records": count if count is not None else 0,
                "state": "ok" if count is not None and path.exists() else state,
            }
        )
    return pd.DataFrame(rows)


def stage_counts(ws: Workspace) -> pd.DataFrame:
    """Applications per stage, in the order a search moves through them."""
    try:
        apps = ws.read("applications")[0]
    except WorkspaceError:
        return pd.DataFrame({"stage": [], "applications": []})
    counts = apps["stage"].value_counts()
    return pd.DataFrame(
        {"stage": list(STAGES), "applications": [int(counts.get(s, 0)) for s in STAGES]}
    )


def problems_table(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table a person can scan: file, row, column, what is wrong."""
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "row": "" if p.row is None else str(p.row),
                "column": p.column or "",
                "problem": p.message,
            }
            for p in problems
        ],
        columns=["file", "row", "column", "problem"],
    )


def profile_summary(ws: Workspace) -> tuple[Profile | None, list[Problem]]:
    """The profile (``None`` if it cannot be read) and its problems."""
    try:
        return load_profile(ws), []
    except WorkspaceError as err:
        return None, err.problems


def profile_line(profile: Profile) -> str:
    """Markdown: the name (as typed), the weekly goal and the holiday calendar."""
    name = md_text(profile.name) if profile.name else "(no name yet)"
    holidays = profile.country + (f"-{profile.region}" if profile.region else "")
    return (
        f"**{name}** · weekly goal: {profile.weekly_goal} applications · "
        f"holidays: {md_text(holidays)}"
    )


def upcoming_holidays(profile: Profile, today: dt.date, days: int = 60) -> pd.DataFrame:
    """Public holidays in the next ``days`` days: the rules skip them like weekends."""
    cal = profile.calendar()
    found = []
    for offset in range(days + 1):
        day = today + dt.timedelta(days=offset)
        name = cal.holiday(day)
        if name:
            found.append({"date": day.isoformat(), "weekday": day.strftime("%A"), "holiday": name})
    return pd.DataFrame(found, columns=["date", "weekday", "holiday"])


def notebook_guide() -> str:
    """Markdown: which notebook to open when, each linked."""
    lines = ["| when | open | what you get |", "| --- | --- | --- |"]
    for stem, when, what in NOTEBOOKS:
        lines.append(f"| {when} | [{stem}.ipynb]({stem}.ipynb) | {what} |")
    return "\n".join(lines)
