"""What an application's research records say: the checklist, notes, contacts, the target.

Reading only: the ``research``, ``comps`` and ``contacts`` rows of one application
(or of many, each table split once), as tables to show and as plain records for the
research note and the pay view. :mod:`helpers.research` writes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers import pay
from helpers.errors import WorkspaceError
from helpers.jobdescription import KINDS, Item

PREPARED = "prepared_on"
"""The extra ``research`` column: the date a checklist item was ticked as prepared."""

TARGET_PREFIX = "Target pay: "
TARGET_SOURCE = "my target"
NOTE_COLUMNS = ["note", "source", "added_on"]
CONTACT_COLUMNS = ["name", "title", "relationship", "notes"]
CHECKLIST_COLUMNS = ["kind", "text", "prepared_on", "source", "added_on", "note"]

OVERVIEW_ROWS = 25
"""Rows of the overview table, and of the table of notes written, at most."""


def research_table(df: pd.DataFrame, application_id: str = "") -> pd.DataFrame:
    """The ``research`` rows (of one application), with a ``prepared_on`` column."""
    if PREPARED not in df.columns:
        df = df.assign(**{PREPARED: ""})
    if application_id:
        df = df[df["application_id"] == application_id]
    return df


def records(df: pd.DataFrame, application_id: str = "") -> list[dict]:
    """Rows of a table (of one application) as plain records: quick to read many times."""
    if application_id:
        df = df[df["application_id"] == application_id]
    return df.to_dict("records")


def application_row(tables: dict[str, pd.DataFrame], application_id: str) -> pd.Series:
    """The application's row of ``applications.csv``.

    Raises:
        WorkspaceError: no such application.
    """
    apps = tables["applications"]
    found = apps[apps["application_id"] == application_id]
    if found.empty:
        raise WorkspaceError(
            f"there is no application {application_id!r} in applications.csv",
            file="applications.csv",
        )
    return found.iloc[0]


def checklist(research: pd.DataFrame, application_id: str) -> pd.DataFrame:
    """The application's checklist from the ``research`` rows: duties first, then
    requirements, then nice-to-haves.

    Columns: ``kind``, ``text`` (without the prefix), ``prepared_on``, ``source``,
    ``added_on``, and ``note`` (the row's note as stored, which identifies it).
    """
    return pd.DataFrame(
        checklist_records(records(research, application_id)), columns=CHECKLIST_COLUMNS
    )


def checklist_records(rows: list[dict]) -> list[dict]:
    """The checklist (see :func:`checklist`) of an application's ``research`` records."""
    order = {k: i for i, k in enumerate(KINDS)}
    items = []
    for r in rows:
        if r["topic"] != "duty":
            continue
        item = Item.from_note(r["note"])
        items.append(
            {
                "kind": item.kind,
                "text": item.text,
                "prepared_on": r.get(PREPARED) or "",
                "source": r["source"],
                "added_on": r["added_on"],
                "note": r["note"],
            }
        )
    return sorted(items, key=lambda i: order[i["kind"]])


def notes(tables: dict[str, pd.DataFrame], application_id: str, topic: str) -> pd.DataFrame:
    """The application's research notes of one topic, oldest first (target excluded)."""
    return pd.DataFrame(
        note_records(records(tables["research"], application_id), topic), columns=NOTE_COLUMNS
    )


def note_records(rows: list[dict], topic: str) -> list[dict]:
    """The notes of one topic (see :func:`notes`) among an application's records."""
    return [
        {c: r[c] for c in NOTE_COLUMNS} for r in rows if r["topic"] == topic and not is_target(r)
    ]


def contacts(tables: dict[str, pd.DataFrame], application_id: str) -> pd.DataFrame:
    """The application's contacts: name, title, relationship, notes."""
    c = tables["contacts"]
    return c.loc[c["application_id"] == application_id, CONTACT_COLUMNS].reset_index(drop=True)


def target(research: pd.DataFrame, application_id: str) -> pay.Money | None:
    """The user's pay target for the application (its latest ``Target pay:`` note).

    A note that cannot be read as pay is ignored; :func:`target_problem` says why.
    """
    return target_of(records(research, application_id))[0]


def target_problem(research: pd.DataFrame, application_id: str) -> str:
    """Why the application's target note cannot be read, or ``""``."""
    return target_of(records(research, application_id))[1]


def is_target(row: dict) -> bool:
    """Whether a ``research`` record is a pay target (``other``, ``Target pay: …``)."""
    return row["topic"] == "other" and row["note"].strip().casefold().startswith(
        TARGET_PREFIX.casefold()
    )


def target_of(rows: list[dict]) -> tuple[pay.Money | None, str]:
    """The target among an application's records, and why a target note is unreadable."""
    found = [r["note"] for r in rows if is_target(r)]
    for note in reversed(found):
        try:
            return pay.parse_money(note.strip()[len(TARGET_PREFIX) :]), ""
        except ValueError:
            continue
    if not found:
        return None, ""
    return None, (
        f"research.csv: the note {found[-1]!r} is not a pay target the workbook can read; "
        "write it like 'Target pay: 105000 USD per year'."
    )


def target_rows(research: pd.DataFrame, application_id: str = "") -> pd.DataFrame:
    """The target notes among the ``research`` rows (of one application)."""
    rows = research_table(research, application_id)
    other = rows[rows["topic"] == "other"]
    return other[other["note"].str.strip().str.casefold().str.startswith(TARGET_PREFIX.casefold())]


def researched(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The applications with research notes or similar positions."""
    return set(tables["research"]["application_id"]) | set(tables["comps"]["application_id"])


@dataclass(frozen=True)
class ApplicationRecords:
    """One application's records: what its research note and its views are made of."""

    app: dict
    research: list[dict]
    comps: list[dict]
    contacts: list[dict]

    @classmethod
    def of(cls, tables: dict[str, pd.DataFrame], application_id: str) -> ApplicationRecords:
        """The application's records.

        Raises:
            WorkspaceError: no such application.
        """
        return cls(
            application_row(tables, application_id).to_dict(),
            records(tables["research"], application_id),
            records(tables["comps"], application_id),
            records(tables["contacts"], application_id),
        )


def records_by_application(
    tables: dict[str, pd.DataFrame], ids: list[str]
) -> dict[str, ApplicationRecords]:
    """:class:`ApplicationRecords` for many applications, each table split in one pass."""
    wanted = set(ids)
    grouped: dict[str, dict[str, list[dict]]] = {}
    for name in ("applications", "research", "comps", "contacts"):
        df = tables[name]
        grouped[name] = {}
        for r in df[df["application_id"].isin(wanted)].to_dict("records"):
            grouped[name].setdefault(r["application_id"], []).append(r)
    return {
        a: ApplicationRecords(
            grouped["applications"][a][0],
            grouped["research"].get(a, []),
            grouped["comps"].get(a, []),
            grouped["contacts"].get(a, []),
        )
        for a in ids
    }
