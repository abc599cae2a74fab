"""The research note: ``notes/<application_id>.md``, regenerated from the records.

:func:`write_notes` renders the template ``research_note.md.j2`` (a workspace's own
copy wins, see :mod:`helpers.templating`) for each application that has research, and
rewrites a note only when its text changed, so a re-run changes no file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
import pandas as pd

from helpers import pay, templating
from helpers.jobdescription import KIND_LABELS
from helpers.pay_view import comparable_records, pay_view_of
from helpers.progress import ProgressCallback, no_progress
from helpers.research_records import (
    CONTACT_COLUMNS,
    OVERVIEW_ROWS,
    ApplicationRecords,
    application_row,
    checklist_records,
    note_records,
    records_by_application,
    researched,
)
from helpers.schema import CLOSED_STAGES
from helpers.store import Workspace

NOTE_TEMPLATE = "research_note.md.j2"


def render_note(
    ws: Workspace,
    tables: dict[str, pd.DataFrame] | ApplicationRecords,
    application_id: str = "",
    template: jinja2.Template | None = None,
) -> str:
    """The research note of one application, as Markdown.

    Args:
        tables: the workspace's tables, or the application's own records.
        template: the note template, already loaded (default: load it).

    Raises:
        WorkspaceError: the template (a workspace's own ``templates/`` copy) is broken.
    """
    own = (
        tables
        if isinstance(tables, ApplicationRecords)
        else ApplicationRecords.of(tables, application_id)
    )
    view = pay_view_of(own)
    context = {
        "app": own.app,
        "checklist": checklist_records(own.research),
        "kind_labels": KIND_LABELS,
        "questions": note_records(own.research, "question"),
        "contacts": [{c: r[c] for c in CONTACT_COLUMNS} for r in own.contacts],
        "team": note_records(own.research, "team"),
        "company": note_records(own.research, "company"),
        "other": note_records(own.research, "other"),
        "pay": view,
        "comparables": comparable_records(view.rows),
        "stats": [s.row() for s in view.stats],
        "basis": pay.BASIS,
        "posted": " – ".join(pay.money(x) for x in view.posted if x is not None),
    }
    text = templating.render(template or note_template(ws), **context)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def note_template(ws: Workspace) -> jinja2.Template:
    """The research-note template: the workspace's own copy if it has one.

    Raises:
        WorkspaceError: the template is broken, naming its file and line.
    """
    return templating.template(ws.root, NOTE_TEMPLATE)


@dataclass(frozen=True)
class NoteFile:
    """A research note written (or found up to date)."""

    application_id: str
    path: Path
    changed: bool


def applications_with_notes(ws: Workspace, tables: dict[str, pd.DataFrame]) -> list[str]:
    """The applications that get a research note.

    Every open application with research or similar positions, and every application
    that already has a note (so a note, once written, is kept up to date even after
    the application closes).
    """
    apps = tables["applications"]
    folder = ws.root / "notes"
    existing = {p.stem for p in folder.glob("*.md")} if folder.is_dir() else set()
    wanted = (
        ~apps["stage"].isin(CLOSED_STAGES) & apps["application_id"].isin(researched(tables))
    ) | apps["application_id"].isin(existing)
    return list(apps.loc[wanted, "application_id"])


def write_notes(
    ws: Workspace, application_id: str = "", progress: ProgressCallback | None = None
) -> list[NoteFile]:
    """Regenerate the research notes ``notes/<application_id>.md``.

    Every application of :func:`applications_with_notes` (or ``application_id``
    alone, whatever its state). A note already up to date is not rewritten, so a
    re-run changes no file. ``progress`` is called with ``(done, total)`` as the notes
    are made (:class:`helpers.display.ProgressBar` shows it).

    Raises:
        WorkspaceError: the workspace cannot be read, or a note cannot be written.
    """
    tables = ws.load_all()
    if application_id:
        application_row(tables, application_id)
        ids = [application_id]
    else:
        ids = applications_with_notes(ws, tables)
    if not ids:
        return []
    template = note_template(ws)
    done = []
    progress = progress or no_progress
    progress(0, len(ids))
    changed: dict[Path, bytes] = {}
    for n, (app_id, own) in enumerate(records_by_application(tables, ids).items(), 1):
        progress(n, len(ids))
        data = render_note(ws, own, app_id, template).encode("utf-8")
        path = ws.path("notes", f"{app_id}.md")
        if not path.is_file() or path.read_bytes() != data:
            changed[path] = data
        done.append(NoteFile(app_id, path, path in changed))
    ws.write_files(changed)
    progress(len(ids), len(ids))
    return done


def notes_table(ws: Workspace, written: list[NoteFile]) -> pd.DataFrame:
    """The notes :func:`write_notes` wrote: updated ones first, at most :data:`OVERVIEW_ROWS`."""
    shown = sorted(written, key=lambda n: not n.changed)[:OVERVIEW_ROWS]
    return pd.DataFrame(
        {
            "application": [n.application_id for n in shown],
            "note": [n.path.relative_to(ws.root).as_posix() for n in shown],
            "this run": ["updated" if n.changed else "up to date" for n in shown],
        }
    )


def notes_summary(written: list[NoteFile]) -> str:
    """One line: how many research notes, how many updated by this run."""
    if not written:
        return "No research notes yet: a note is written once an application has some research."
    changed = sum(n.changed for n in written)
    notes_word = "research note" if len(written) == 1 else "research notes"
    return (
        f"{len(written)} {notes_word} in notes/: {changed} updated by this run, "
        f"{len(written) - changed} already up to date."
    )
