"""Recording an interview: the application, the interview, the people met.

:func:`record_interview` is what the form's Save button and the headless path both
call. It writes ``interviews``, ``contacts`` (reusing a contact of the same
application with the same name or email, and updating the details typed anew),
``interview_contacts`` and moves the application to ``interviewing`` — all in one
transaction: everything or nothing. An interview dated after today is recorded the
same way: it is *upcoming* (no thank-you until it is held).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, field_validator

from helpers.errors import FieldErrors, WorkspaceError, parse_plainly
from helpers.paths import slugify, unique_slug
from helpers.pipeline import stage_change_in
from helpers.schema import FORMATS, RELATIONSHIPS, STAGES
from helpers.store import Workspace
from helpers.validate import EmailText, OptionalDate, one_of

# Recording an interview moves an application forward to this stage, never back.
INTERVIEWING = "interviewing"
BEFORE_INTERVIEWING = set(STAGES[: STAGES.index(INTERVIEWING)])


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is empty or one of ``allowed``, else a ValueError listing them."""
    return one_of(value, allowed) if value else value


class Person(BaseModel):
    """Someone met in an interview, and one specific thing discussed with them."""

    model_config = ConfigDict(str_strip_whitespace=True)

    name: str = Field(min_length=1, description="Their name, as you would greet them.")
    title: str = ""
    email: EmailText = ""
    relationship: str = Field(
        "", description="Their part in the process; empty: unchanged, or interviewer if new."
    )
    talking_point: str = Field("", description="Something specific you discussed with this person.")
    note_needed: bool = Field(True, description="False: this person needs no thank-you note.")
    greeting: str = Field("", description="How to greet them, when not their first name.")

    @field_validator("relationship")
    @classmethod
    def _relationship(cls, value: str) -> str:
        return _one_of(value, RELATIONSHIPS)

    @field_validator("note_needed", mode="before")
    @classmethod
    def _yes_no(cls, value):
        if isinstance(value, str):
            text = value.strip().lower()
            if text in ("", "yes", "true", "y"):
                return True
            if text in ("no", "false", "n"):
                return False
        return value


class InterviewRecord(BaseModel):
    """Everything the post-interview form asks for."""

    model_config = ConfigDict(str_strip_whitespace=True)

    application_id: str = Field("", description="An existing application; empty for a new one.")
    company: str = Field(
        "", validate_default=True, description="For a new application: the company."
    )
    role: str = Field("", validate_default=True, description="For a new application: the role.")
    held_on: dt.date
    round: str = ""
    format: str = ""
    people: list[Person] = Field(min_length=1)
    impressions: str = ""
    next_steps: str = ""
    decision_expected_on: OptionalDate = None
    decision_given_by: str = Field(
        "", description="Who gave the decision date: the name of someone met (or known)."
    )

    @field_validator("format")
    @classmethod
    def _format(cls, value: str) -> str:
        return _one_of(value, FORMATS)

    @field_validator("company", "role")
    @classmethod
    def _new_application_named(cls, value: str, info) -> str:
        if not info.data.get("application_id") and not value:
            raise ValueError(f"give the {info.field_name} of a new application, or choose one")
        return value

    @field_validator("people")
    @classmethod
    def _distinct_people(cls, people: list[Person]) -> list[Person]:
        names = [slugify(p.name) for p in people]
        dupes = sorted({p.name for p, n in zip(people, names, strict=True) if names.count(n) > 1})
        if dupes:
            raise ValueError(f"the same person is listed twice: {', '.join(dupes)}")
        return people

    @field_validator("decision_expected_on")
    @classmethod
    def _decision_after_interview(cls, value: dt.date | None, info) -> dt.date | None:
        held_on = info.data.get("held_on")
        if value and held_on and value < held_on:
            raise ValueError("the decision date is before the interview")
        return value

    @field_validator("decision_given_by")
    @classmethod
    def _giver_with_a_date(cls, value: str, info) -> str:
        if value and not info.data.get("decision_expected_on"):
            raise ValueError("give the decision date too, or leave who gave it empty")
        return value


def parse_record(data: dict) -> InterviewRecord:
    """An :class:`InterviewRecord` from plain values (a form, or papermill's YAML).

    Raises:
        FieldErrors: field → message for every problem.
    """
    return parse_plainly(
        InterviewRecord,
        data,
        required=("string_too_short",),
        whole="record",
        people="add at least one person you met",
    )


@dataclass(frozen=True)
class Recorded:
    """What :func:`record_interview` wrote."""

    application_id: str
    interview_id: str
    contact_ids: tuple[str, ...]
    new_application: bool
    new_interview: bool
    stage_changed: bool
    updated: tuple[str, ...] = ()
    upcoming: bool = False

    def describe_updates(self) -> str:
        """What changed for people already known, in a sentence (``""`` if nothing)."""
        return "; ".join(self.updated)


def record_interview(ws: Workspace, record: InterviewRecord, today: dt.date) -> Recorded:
    """Write an interview and the people met, in one transaction.

    Recording the same interview again (same application, date and round) updates
    it instead of adding a second one, so a re-run never duplicates rows.

    Raises:
        WorkspaceError: the workspace refused the records (nothing was written).
    """
    with ws.transaction() as tx:
        app_id, new_app, stage_changed = _save_application(tx, record, today)
        interview_id, new_interview = _save_interview(tx, app_id, record)
        contacts = tx.load("contacts")
        met = tx.load("interview_contacts")
        if "note_needed" not in met.columns:
            met["note_needed"] = ""
        contact_ids = []
        updated: list[str] = []
        for person in record.people:
            contacts, contact_id, changes = _contact(contacts, app_id, person)
            contact_ids.append(contact_id)
            if changes:
                updated.append(f"{person.name}: {', '.join(changes)}")
            met = _met(met, interview_id, contact_id, person)
        if record.decision_given_by or record.decision_expected_on:
            giver = ""  # a new date without a giver forgets the old one's
            if record.decision_given_by:
                giver = _giver(record, contacts, app_id, contact_ids)
            apps = tx.load("applications")
            apps.loc[apps["application_id"] == app_id, "decision_given_by"] = giver
            tx.save("applications", apps)
        tx.save("contacts", contacts)
        tx.save("interview_contacts", met)
    return Recorded(
        app_id,
        interview_id,
        tuple(contact_ids),
        new_app,
        new_interview,
        stage_changed,
        tuple(updated),
        record.held_on > today,
    )


def _save_application(tx, record: InterviewRecord, today: dt.date) -> tuple[str, bool, bool]:
    """The application of the interview, added if new, its decision date set, moved to
    interviewing if it was not that far yet: ``(id, new, stage changed)``."""
    apps = tx.load("applications")
    app_id, new_app = _application(apps, record)
    if new_app:
        new = {"application_id": app_id, "company": record.company, "role": record.role}
        apps = pd.concat([apps, pd.DataFrame([{**new, "stage": "saved"}])], ignore_index=True)
    row = apps.index[apps["application_id"] == app_id][0]
    if record.decision_expected_on:
        apps.loc[row, "decision_expected_on"] = record.decision_expected_on.isoformat()
    tx.save("applications", apps)
    # An interview moves the application forward to interviewing, never back; the
    # change is dated the day of the interview (today, if it is still to come).
    stage_changed = apps.at[row, "stage"] in BEFORE_INTERVIEWING
    if stage_changed:
        stage_change_in(tx, app_id, INTERVIEWING, min(record.held_on, today))
    return app_id, new_app, stage_changed


def _save_interview(tx, app_id: str, record: InterviewRecord) -> tuple[str, bool]:
    """The interview's row, added or (the same date and round) updated: ``(id, new)``."""
    interviews = tx.load("interviews")
    interview_id, new_interview = _interview(interviews, app_id, record)
    fields = {
        "application_id": app_id,
        "held_on": record.held_on.isoformat(),
        "round": record.round,
        "format": record.format,
        "impressions": record.impressions,
        "next_steps": record.next_steps,
    }
    if new_interview:
        interviews = pd.concat(
            [interviews, pd.DataFrame([{"interview_id": interview_id, **fields}])],
            ignore_index=True,
        )
    else:
        at = interviews["interview_id"] == interview_id
        interviews.loc[at, list(fields)] = list(fields.values())
    tx.save("interviews", interviews)
    return interview_id, new_interview


def _met(met: pd.DataFrame, interview_id: str, contact_id: str, person: Person) -> pd.DataFrame:
    """``interview_contacts`` with the person's row added or updated (a talking point
    left empty keeps the one written before)."""
    needed = "" if person.note_needed else "no"
    at = (met["interview_id"] == interview_id) & (met["contact_id"] == contact_id)
    if at.any():
        if person.talking_point:
            met.loc[at, "talking_point"] = person.talking_point
        met.loc[at, "note_needed"] = needed
        return met
    row = {
        "interview_id": interview_id,
        "contact_id": contact_id,
        "talking_point": person.talking_point,
        "note_needed": needed,
    }
    return pd.concat([met, pd.DataFrame([row])], ignore_index=True)


def _giver(record: InterviewRecord, contacts: pd.DataFrame, app_id: str, met: list[str]) -> str:
    """The contact who gave the decision date: someone met, else a known contact of
    the application, by name, first name or identifier.

    Raises:
        FieldErrors: nobody matches.
    """
    wanted = slugify(record.decision_given_by)
    for person, contact_id in zip(record.people, met, strict=True):
        if slugify(person.name) == wanted or contact_id == record.decision_given_by:
            return contact_id
    mine = contacts[contacts["application_id"] == app_id]
    for row in mine.itertuples():
        if wanted in (slugify(row.name), row.contact_id):
            return row.contact_id
    firsts = [
        (person.name, contact_id)
        for person, contact_id in zip(record.people, met, strict=True)
        if slugify(person.name.split()[0]) == wanted
    ]
    if len(firsts) == 1:
        return firsts[0][1]
    raise FieldErrors(
        {
            "decision_given_by": f"{record.decision_given_by!r} is not one of the people met; "
            "choose who said when they would decide"
        },
        "record",
    )


def _application(apps: pd.DataFrame, record: InterviewRecord) -> tuple[str, bool]:
    if record.application_id:
        if record.application_id not in set(apps["application_id"]):
            raise WorkspaceError(
                f"there is no application {record.application_id!r} in applications.csv",
                file="applications.csv",
            )
        return record.application_id, False
    same = apps[
        (apps["company"].str.casefold() == record.company.casefold())
        & (apps["role"].str.casefold() == record.role.casefold())
    ]
    if len(same):
        return same["application_id"].iloc[0], False
    return unique_slug(
        f"{record.company} {record.role}", apps["application_id"], "application"
    ), True


def _interview(interviews: pd.DataFrame, app_id: str, record: InterviewRecord) -> tuple[str, bool]:
    same = interviews[
        (interviews["application_id"] == app_id)
        & (interviews["held_on"] == record.held_on.isoformat())
        & (interviews["round"] == record.round)
    ]
    if len(same):
        return same["interview_id"].iloc[0], False
    base = f"{app_id}-{record.held_on.isoformat()}"
    return unique_slug(base, interviews["interview_id"], "interview"), True


_LABELS = {
    "title": "title",
    "email": "email",
    "relationship": "relationship",
    "greeting": "greeting",
}


def _contact(
    contacts: pd.DataFrame, app_id: str, person: Person
) -> tuple[pd.DataFrame, str, list[str]]:
    """Reuse the application's contact with this name or email, else add one.

    A known person typed again with other details (a new email address, title,
    relationship or greeting) is updated; each change is returned as
    ``"email old → new"`` so the form can say so. A field left empty changes nothing.
    """
    if "greeting" not in contacts.columns:
        contacts["greeting"] = ""
    mine = contacts[contacts["application_id"] == app_id]
    same = mine[
        (mine["name"].map(slugify) == slugify(person.name))
        | ((person.email != "") & (mine["email"].str.casefold() == person.email.casefold()))
    ]
    given = {
        "title": person.title,
        "email": person.email,
        "relationship": person.relationship,
        "greeting": person.greeting,
    }
    updates = {k: v for k, v in given.items() if v}
    if len(same):
        contact_id = same["contact_id"].iloc[0]
        at = contacts["contact_id"] == contact_id
        changes = []
        for col, value in updates.items():
            old = contacts.loc[at, col].iloc[0]
            if old == value or (col == "email" and old.casefold() == value.casefold()):
                continue
            contacts.loc[at, col] = value
            changes.append(f"{_LABELS[col]} {old} → {value}" if old else f"{_LABELS[col]} {value}")
        return contacts, contact_id, changes
    contact_id = unique_slug(person.name, contacts["contact_id"], "contact")
    new = {
        "contact_id": contact_id,
        "application_id": app_id,
        "name": person.name,
        **updates,
        "relationship": person.relationship or "interviewer",
    }
    return pd.concat([contacts, pd.DataFrame([new])], ignore_index=True), contact_id, []


def set_note_needed(ws: Workspace, interview_id: str, contact_id: str, needed: bool) -> None:
    """Mark whether a person met in an interview needs a thank-you note.

    A person marked "no note needed" gets no draft, is ``no note needed`` in the
    ledger, and never holds a follow-up.

    Raises:
        WorkspaceError: that person is not listed for that interview (nothing is changed).
    """
    _set_for_person(ws, interview_id, contact_id, "note_needed", "" if needed else "no")


def set_talking_point(ws: Workspace, interview_id: str, contact_id: str, text: str) -> None:
    """Give a person met in an interview their talking point (what the note mentions).

    Raises:
        WorkspaceError: that person is not listed for that interview, or the text is
            empty (nothing is changed).
    """
    text = text.strip()
    if not text:
        raise WorkspaceError(
            "write one specific thing you discussed with this person",
            file="interview_contacts.csv",
        )
    _set_for_person(ws, interview_id, contact_id, "talking_point", text)


def _set_for_person(
    ws: Workspace, interview_id: str, contact_id: str, column: str, value: str
) -> None:
    """Set one column of a person's ``interview_contacts`` row, in one save.

    Raises:
        WorkspaceError: that person is not listed for that interview (nothing is changed).
    """
    with ws.transaction() as tx:
        met = tx.load("interview_contacts")
        at = (met["interview_id"] == interview_id) & (met["contact_id"] == contact_id)
        if not at.any():
            raise WorkspaceError(
                f"{contact_id!r} is not listed for interview {interview_id!r}",
                file="interview_contacts.csv",
            )
        met.loc[at, column] = value
        tx.save("interview_contacts", met)


def record_from_parameters(ws: Workspace, data: dict, today: dt.date) -> Recorded:
    """Record an interview given as a notebook parameter (papermill ``-y``).

    Raises:
        FieldErrors: the parameter is incomplete or invalid, naming each field.
    """
    if not isinstance(data, dict):
        raise FieldErrors(
            {"interview": "give the interview as a mapping of fields (YAML)"}, "record"
        )
    return record_interview(ws, parse_record(data), today)
