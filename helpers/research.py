"""Research for an application: the duties checklist, the team, the company, the note.

Everything is kept as ``research`` rows (see ``helpers.schema``):

- the **checklist** is the ``duty`` rows. A job description is split into duties
  (what you would do) and requirements (what they ask of you); a requirement's note
  starts with ``Requirement:`` and a nice-to-have's with ``Nice to have:``, so the
  spreadsheet reads plainly. Ticking an item as prepared writes the date into its
  ``prepared_on`` column;
- **questions** to ask are ``question`` rows; **company** notes ``company`` rows;
  **team** notes and people beyond the application's contacts are ``team`` rows
  (``Name (Title): what they work on``, with a link as the source);
- the user's **pay target** for the application is one ``other`` row whose note is
  ``Target pay: 105000 USD per year``.

A job description, once split, is kept as ``notes/<application_id>-job-description.txt``
so that the same text is never split into the checklist twice. :func:`write_notes`
regenerates ``notes/<application_id>.md`` from all of it, so the note is never out of
date. Re-running anything here adds no duplicate rows and rewrites no unchanged file.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import csvio, pay
from helpers.errors import FieldErrors, WorkspaceError, io_problem
from helpers.jobdescription import (
    KINDS,
    Item,
    comparable,
    normal_text,
    read_job_description,
    split_job_description,
)
from helpers.research_records import (
    OVERVIEW_ROWS,
    PREPARED,
    TARGET_PREFIX,
    TARGET_SOURCE,
    application_row,
    research_table,
    researched,
    target,
    target_rows,
)
from helpers.schema import CLOSED_STAGES, STAGES
from helpers.store import Workspace
from helpers.validate import URL

JOB_FILE = "{}-job-description.txt"
NOTE_TOPICS = ("team", "company", "question", "other")


# == research rows ================================================================


def _check_application(tx, application_id: str) -> pd.Series:
    return application_row({"applications": tx.load("applications")}, application_id)


def add_notes(
    ws: Workspace,
    application_id: str,
    topic: str,
    notes: list[str],
    today: dt.date,
    source: str = "",
) -> list[str]:
    """Add research notes of one topic, skipping any the application already has.

    Returns:
        The notes that were added.

    Raises:
        WorkspaceError: no such application (nothing is saved).
    """
    with ws.transaction() as tx:
        _check_application(tx, application_id)
        research = research_table(tx.load("research"), application_id)
        known = {comparable(n) for n in research.loc[research["topic"] == topic, "note"]}
        added = []
        for note in notes:
            note = note.strip()
            if note and comparable(note) not in known:
                known.add(comparable(note))
                added.append(note)
        if added:
            tx.append(
                "research",
                [
                    {
                        "application_id": application_id,
                        "topic": topic,
                        "note": n,
                        "source": source.strip(),
                        "added_on": today,
                    }
                    for n in added
                ],
            )
    return added


def add_note(
    ws: Workspace, application_id: str, topic: str, note: str, today: dt.date, source: str = ""
) -> bool:
    """Add one research note (``team``, ``company``, ``question`` or ``other``).

    Returns:
        Whether it was added (``False``: the application already has it).

    Raises:
        FieldErrors: an empty note or an unknown topic.
        WorkspaceError: no such application.
    """
    errors = {}
    if topic not in (*NOTE_TOPICS, "duty"):
        errors["topic"] = f"one of: {', '.join(NOTE_TOPICS)}"
    if not str(note or "").strip():
        errors["note"] = "write the note"
    if errors:
        raise FieldErrors(errors)
    return bool(add_notes(ws, application_id, topic, [note], today, source))


def team_member_note(name: str, title: str = "", works_on: str = "") -> str:
    """``Name (Title): what they work on`` — a team member as a ``team`` note."""
    text = name.strip()
    if title.strip():
        text += f" ({title.strip()})"
    if works_on.strip():
        text += f": {works_on.strip()}"
    return text


def add_team_member(
    ws: Workspace,
    application_id: str,
    name: str,
    today: dt.date,
    title: str = "",
    works_on: str = "",
    link: str = "",
) -> bool:
    """Note someone on the team who is not among the application's contacts.

    Raises:
        FieldErrors: no name, or a link that is not a web address.
        WorkspaceError: no such application.
    """
    errors = {}
    if not name.strip():
        errors["name"] = "give their name"
    if link.strip() and not re.fullmatch(URL, link.strip()):
        errors["link"] = "give a web address starting with https://"
    if errors:
        raise FieldErrors(errors)
    return bool(
        add_notes(
            ws, application_id, "team", [team_member_note(name, title, works_on)], today, link
        )
    )


@dataclass(frozen=True)
class Imported:
    """What :func:`import_job_description` did."""

    application_id: str
    added: list[Item]
    already: list[Item]
    unchanged: bool
    file: Path

    def summary(self) -> str:
        """One line for the status or the notebook."""
        if self.unchanged:
            return f"This job description was already added to {self.application_id}; nothing new."
        counts = {k: sum(1 for i in self.added if i.kind == k) for k in KINDS}
        parts = [
            f"{counts['duty']} dut{'y' if counts['duty'] == 1 else 'ies'}",
            f"{counts['requirement']} requirement{'s' * (counts['requirement'] != 1)}",
            f"{counts['nice']} nice-to-have{'s' * (counts['nice'] != 1)}",
        ]
        text = f"Added {', '.join(parts)} to the checklist of {self.application_id}"
        if self.already:
            text += f" ({len(self.already)} already there)"
        if not self.added and not self.already:
            text = (
                "Found no duties or requirements in this text: paste the whole posting, "
                "or add items by hand"
            )
        return text + "."


def import_job_description(
    ws: Workspace, application_id: str, text: str, today: dt.date, source: str = ""
) -> Imported:
    """Split a job description and add its items to the application's checklist.

    The text is kept as ``notes/<application_id>-job-description.txt``. The same
    text again adds nothing — not even items you have since edited or removed;
    a changed text adds only the items that are new.

    Args:
        source: where the text came from; default the application's ``job_url``.

    Raises:
        FieldErrors: the text is empty.
        WorkspaceError: no such application, or the file cannot be written.
    """
    if not str(text or "").strip():
        raise FieldErrors({"job_description": "paste the job description's text"})
    tables = {"applications": ws.load("applications")}
    app = application_row(tables, application_id)
    keep = ws.path("notes", JOB_FILE.format(application_id))
    data = normal_text(text).strip() + "\n"
    if keep.is_file() and keep.read_text(encoding="utf-8") == data:
        return Imported(application_id, [], [], True, keep)
    items = split_job_description(text)
    research = research_table(ws.load("research"), application_id)
    known = {comparable(n) for n in research.loc[research["topic"] == "duty", "note"]}
    new = [i for i in items if comparable(i.note) not in known]
    already = [i for i in items if comparable(i.note) in known]
    source = source.strip() or app["job_url"] or "job description"
    added = add_notes(ws, application_id, "duty", [i.note for i in new], today, source)
    try:
        csvio.atomic_write(keep, data.encode("utf-8"))
    except OSError as err:
        raise WorkspaceError(io_problem(keep, "save", err)) from err
    added_keys = {comparable(n) for n in added}
    return Imported(
        application_id, [i for i in new if comparable(i.note) in added_keys], already, False, keep
    )


# -- the checklist -----------------------------------------------------------------


@dataclass
class ChecklistEdit:
    """One checklist row as the form holds it.

    ``original`` is the note as it was loaded (empty for a new item); ``remove``
    deletes the row.
    """

    original: str
    kind: str
    text: str
    prepared: bool
    remove: bool = False


def save_checklist(
    ws: Workspace, application_id: str, edits: list[ChecklistEdit], today: dt.date
) -> str:
    """Save ticks, edited texts, kinds, removals and new items of a checklist at once.

    A ticked item keeps the date it was first ticked. Rows are found by the note
    they held when loaded; if another notebook changed one meanwhile, nothing is
    saved and the error says to reload.

    Returns:
        A one-line summary of what changed.

    Raises:
        FieldErrors: an item left empty (``item.<n>`` names it).
        WorkspaceError: the checklist changed elsewhere, or no such application.
    """
    errors = _edit_errors(edits)
    if errors:
        raise FieldErrors(errors)
    counts = {"edited": 0, "removed": 0, "added": 0, "ticked": 0, "unticked": 0}
    with ws.transaction() as tx:
        _check_application(tx, application_id)
        research = tx.load("research")
        if PREPARED not in research.columns:
            research[PREPARED] = pd.Series([""] * len(research), dtype="str")
        mine = (research["application_id"] == application_id) & (research["topic"] == "duty")
        used: set[int] = set()
        drop: list[int] = []
        new_rows = []
        for edit in edits:
            if not edit.original:
                if not edit.remove:
                    new_rows.append(_new_item(application_id, edit, today))
                    counts["added"] += 1
                continue
            at = _row_of(research, mine, edit.original, used)
            used.add(at)
            if edit.remove:
                drop.append(at)
                counts["removed"] += 1
                continue
            for change in _apply(research, at, edit, today):
                counts[change] += 1
        research = research.drop(index=drop)
        if new_rows:
            research = pd.concat([research, pd.DataFrame(new_rows)], ignore_index=True)
        if any(counts.values()):
            tx.save("research", research)
    done = [f"{v} {k}" for k, v in counts.items() if v]
    return "Saved the checklist: " + ", ".join(done) + "." if done else "Nothing changed."


def _edit_errors(edits: list[ChecklistEdit]) -> dict[str, str]:
    """``item.<n>`` → what is wrong with the edit: an empty text, an unknown kind."""
    errors = {
        f"item.{n}": "write the item, or remove it"
        for n, e in enumerate(edits)
        if not e.remove and not e.text.strip()
    }
    errors.update(
        {
            f"item.{n}": f"kind must be one of {KINDS}"
            for n, e in enumerate(edits)
            if e.kind not in KINDS
        }
    )
    return errors


def _new_item(application_id: str, edit: ChecklistEdit, today: dt.date) -> dict:
    """The ``research`` row of an item added in the form."""
    return {
        "application_id": application_id,
        "topic": "duty",
        "note": Item(edit.kind, edit.text.strip()).note,
        "source": "",
        "added_on": today.isoformat(),
        PREPARED: today.isoformat() if edit.prepared else "",
    }


def _row_of(research: pd.DataFrame, mine: pd.Series, original: str, used: set[int]) -> int:
    """The row that held ``original`` when the form loaded it (one not matched yet).

    Raises:
        WorkspaceError: no such row is left: it was changed elsewhere meanwhile.
    """
    for i in research.index[mine & (research["note"] == original)]:
        if i not in used:
            return i
    raise WorkspaceError(
        f"the checklist item {original!r} was changed or removed "
        "elsewhere since the form was opened; nothing was saved. Re-run the "
        "cell to reload the checklist.",
        file="research.csv",
    )


def _apply(research: pd.DataFrame, at: int, edit: ChecklistEdit, today: dt.date) -> list[str]:
    """Write an edit's text, kind and tick into row ``at``; what changed (``edited``,
    ``ticked``, ``unticked``)."""
    changes = []
    note = Item(edit.kind, edit.text.strip()).note
    if note != research.at[at, "note"]:
        research.at[at, "note"] = note
        changes.append("edited")
    was = bool(str(research.at[at, PREPARED]).strip())
    if edit.prepared and not was:
        research.at[at, PREPARED] = today.isoformat()
        changes.append("ticked")
    elif not edit.prepared and was:
        research.at[at, PREPARED] = ""
        changes.append("unticked")
    return changes


def suggest_question(item: Item) -> str:
    """A question to ask the interviewers about a checklist item."""
    text = item.text.rstrip(".")
    if item.kind == "duty":
        first = text.split(" ")[0]
        phrase = text[0].lower() + text[1:] if first[1:].islower() else text
        return f"What does “{phrase}” look like day to day, and how is success measured?"
    return f"How much does “{text}” matter in the first months, and where would I use it first?"


# -- the pay target ----------------------------------------------------------------


def save_target(
    ws: Workspace, application_id: str, value: str | pay.Money, today: dt.date
) -> pay.Money:
    """Set the user's pay target for an application (replacing any earlier one).

    ``value`` is typed pay such as ``105000``, ``105k USD`` or ``52 USD/hour``; without
    a currency it is in the application's currency. Saving the same target again
    changes nothing.

    Raises:
        FieldErrors: ``target`` cannot be read as pay.
        WorkspaceError: no such application.
    """
    tables = {"applications": ws.load("applications")}
    app = application_row(tables, application_id)
    if isinstance(value, pay.Money):
        money = value
    else:
        try:
            money = pay.parse_money(value, default_currency=app["currency"])
        except ValueError as err:
            raise FieldErrors({"target": str(err)}) from None
    note = TARGET_PREFIX + money.text()
    with ws.transaction() as tx:
        research = tx.load("research")
        rows = target_rows(research, application_id)
        if list(rows["note"]) == [note]:
            return money
        research = research.drop(index=rows.index)
        research = pd.concat(
            [
                research,
                pd.DataFrame(
                    [
                        {
                            "application_id": application_id,
                            "topic": "other",
                            "note": note,
                            "source": TARGET_SOURCE,
                            "added_on": today.isoformat(),
                        }
                    ]
                ),
            ],
            ignore_index=True,
        )
        tx.save("research", research)
    return money


# -- the headless path ---------------------------------------------------------------


def run_parameters(
    ws: Workspace,
    today: dt.date,
    application_id: str = "",
    job_description: str = "",
    target_salary: str = "",
) -> list[str]:
    """Apply the notebook's ``job_description`` and ``target_salary`` parameters.

    Returns:
        What was done, one line each (nothing when both are empty).

    Raises:
        ValueError: a parameter is given without ``application_id``, or is unreadable.
        WorkspaceError: no such application.
    """
    done = []
    for name, value in (("job_description", job_description), ("target_salary", target_salary)):
        if str(value or "").strip() and not application_id:
            raise ValueError(f"{name} is given but application_id is empty: say which application")
    if str(job_description or "").strip():
        text = read_job_description(job_description)
        try:
            done.append(import_job_description(ws, application_id, text, today).summary())
        except FieldErrors as err:
            raise ValueError(str(err)) from None
    if str(target_salary or "").strip():
        try:
            money = save_target(ws, application_id, target_salary, today)
        except FieldErrors as err:
            raise ValueError(f"target_salary: {err.errors['target']}") from None
        done.append(f"Your target for {application_id}: {money.text()}.")
    return done


# == what the notebook shows: the applications in detail, the overview ============


SHOWN = 5
"""Applications shown in detail at most (set ``application_id`` to see another)."""

IN_PLAY = ("screening", "interviewing", "offer")
"""Stages in which research matters even before any is written down."""


def _by_progress(apps: pd.DataFrame) -> pd.DataFrame:
    """Applications furthest along first (offer, interviewing, …), latest change first."""
    rank = {s: i for i, s in enumerate(STAGES)}
    order = apps.assign(rank_=apps["stage"].map(rank).fillna(-1), changed_=apps["stage_changed_on"])
    order = order.sort_values(
        ["rank_", "changed_", "company", "role"],
        ascending=[False, False, True, True],
        kind="stable",
    )
    return order.drop(columns=["rank_", "changed_"])


@dataclass(frozen=True)
class Focus:
    """The applications shown in detail, and how many would qualify."""

    ids: list[str]
    total: int

    @property
    def message(self) -> str:
        """What is left out, or ``""``."""
        if self.total <= len(self.ids):
            return ""
        return (
            f"Showing the {len(self.ids)} applications furthest along of the {self.total} "
            "open ones with research; set application_id to see another."
        )


def focus(tables: dict[str, pd.DataFrame], application_id: str = "", limit: int = SHOWN) -> Focus:
    """The applications to show in detail.

    ``application_id`` alone when given; otherwise the open applications that have
    research or similar positions, furthest along first (offer, interviewing, …;
    the latest stage change first), at most ``limit`` of them.

    Raises:
        WorkspaceError: ``application_id`` is not an application.
    """
    if application_id:
        application_row(tables, application_id)
        return Focus([application_id], 1)
    apps = tables["applications"]
    chosen = apps[
        ~apps["stage"].isin(CLOSED_STAGES) & apps["application_id"].isin(researched(tables))
    ]
    ids = list(_by_progress(chosen)["application_id"])
    return Focus(ids[:limit], len(ids))


def _in_play_mask(tables: dict[str, pd.DataFrame]) -> pd.Series:
    apps = tables["applications"]
    return ~apps["stage"].isin(CLOSED_STAGES) & (
        apps["application_id"].isin(researched(tables)) | apps["stage"].isin(IN_PLAY)
    )


def in_play(tables: dict[str, pd.DataFrame], application_id: str = "") -> list[str]:
    """The applications the overview lists, furthest along first (``application_id`` alone).

    In play: open applications with research or similar positions, and those in
    screening, interviewing or offer; at most :data:`OVERVIEW_ROWS` of them.
    """
    apps = tables["applications"]
    if application_id:
        return list(apps.loc[apps["application_id"] == application_id, "application_id"])
    chosen = _by_progress(apps[_in_play_mask(tables)]).head(OVERVIEW_ROWS)
    return list(chosen["application_id"])


def overview(tables: dict[str, pd.DataFrame], application_id: str = "") -> pd.DataFrame:
    """How far the research has come, per application :func:`in_play`.

    Columns: checklist prepared/total, questions, team, company notes, similar
    positions, target.
    """
    ids = in_play(tables, application_id)
    apps = tables["applications"].set_index("application_id", drop=False).loc[ids]
    research = research_table(tables["research"])
    research = research[research["application_id"].isin(ids)]
    counts = research.groupby(["application_id", "topic"]).size()
    duties = research[research["topic"] == "duty"]
    prepared = duties[duties[PREPARED].str.strip() != ""].groupby("application_id").size()
    comps = tables["comps"]["application_id"].value_counts()
    targets = {app: target(g, app) for app, g in target_rows(research).groupby("application_id")}

    def count(app: str, topic: str) -> str:
        n = int(counts.get((app, topic), 0))
        return str(n) if n else ""

    rows = []
    for app in apps.itertuples(index=False):
        a = app.application_id
        total = int(counts.get((a, "duty"), 0))
        money = targets.get(a)
        rows.append(
            {
                "application": f"{app.company} — {app.role}",
                "stage": app.stage,
                "checklist": f"{int(prepared.get(a, 0))}/{total} prepared" if total else "",
                "questions": count(a, "question"),
                "team": count(a, "team"),
                "company notes": count(a, "company"),
                "similar positions": str(int(comps.get(a, 0)) or ""),
                "target": money.text() if money else "",
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "application",
            "stage",
            "checklist",
            "questions",
            "team",
            "company notes",
            "similar positions",
            "target",
        ],
    )


def overview_message(tables: dict[str, pd.DataFrame]) -> str:
    """What the overview leaves out, or ``""``."""
    total = int(_in_play_mask(tables).sum())
    if total <= OVERVIEW_ROWS:
        return ""
    return f"The {OVERVIEW_ROWS} furthest along of {total} applications in play."


# == the research note ============================================================
