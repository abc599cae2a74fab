"""Sharing with a coach: the report file, the bundle, and coach notes coming back.

A bundle is a zip of the notebooks, ``helpers``, ``environment.yml`` and the
workspace (redacted as chosen), with a README for the coach. The coach opens it with
the two commands (or on Binder), adds notes per application in ``coach_notes.csv``
(the 05_share notebook has a form for it) and sends back a bundle made the same way.
Importing it merges the coach's notes only: the candidate's own tables are never
touched.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from helpers import csvio
from helpers.dates import long_date
from helpers.errors import Problem, WorkspaceError, io_problem
from helpers.glance import SUMMARY_MEMBER, Glance, from_json, glance, to_json
from helpers.paths import REPO_ROOT
from helpers.profile import PROFILE_FILE, Profile, load_profile, search_id
from helpers.progress import ProgressCallback, no_progress
from helpers.redact import DEFAULT, Options, Redactor
from helpers.report import report_and_glance, without_pay_sections
from helpers.schema import TABLES
from helpers.store import Workspace, holding_lock
from helpers.validate import validate_references, validate_table

REPORTS_DIR = "reports"
DATA_IN_BUNDLE = "data"
COACH_NOTES_MEMBER = f"{DATA_IN_BUNDLE}/coach_notes.csv"
PROFILE_MEMBER = f"{DATA_IN_BUNDLE}/{PROFILE_FILE}"
SEARCH_MEMBER = f"{DATA_IN_BUNDLE}/search.yml"
"""In a coach's notes file from the caseload: whose search the notes are for (the
``search_id`` of the client's bundle). A bundle a coach makes and returns has none: a
coach's copy of an older bundle makes a search id of its own, which says nothing."""
MAX_MEMBER_BYTES = 50 * 1024 * 1024
PROJECT_FILES = (
    "environment.yml",
    "pyproject.toml",
    "Makefile",
    "README.md",
    "voila.py",
    "locks/*.txt",
    "tools/*.py",
    "notebooks/*.ipynb",
    "helpers/*.py",
    "helpers/templates/*",
    "helpers/jupyter/**/*",
)
"""What of the workbook a bundle carries: enough to set it up and run it (make lab)."""
CONTACT_COLUMNS = {"contacts": ("email", "phone"), "mail": ("from_address", "to_addresses")}
SALARY_COLUMNS = {"applications": ("salary_min", "salary_max", "currency")}

COACH_README = """# A job search workbook, shared with you

{name} shared this Post-Interview Workbook with you{when}. It holds their job
search ({count} applications) in `data/`{redacted}.

## Open it

On a computer with Python 3.11 or newer, in this folder:

```bash
make lab     # JupyterLab on this workbook (sets up its own environment first)
```

Or on Binder / with conda: `conda env create -f environment.yml`, then
`jupyter lab`. Open `notebooks/00_start_here.ipynb` first.

To run every notebook on this search without opening anything, as it stood on the
day it was shared (the executed notebooks go to `build/run/`):

```bash
make env
.venv/bin/python -m helpers.batch run --data data --today {day} --out build/run
```

If you coach several people, keep their bundles in one folder and open
`notebooks/07_caseload.ipynb` in your own copy of the workbook: it shows who needs you
first, and writes your notes back to each.

## Add your notes

Open `notebooks/05_share.ipynb`, and use the *Coach notes* form: choose an
application, write your note, sign it. (Or add rows to `data/coach_notes.csv`:
`application_id`, `note`, `author`, `added_on`.) Then run the notebook: it writes
`data/reports/bundle-<date>.zip`. Send that file back; importing it adds your notes
to {name}'s workbook and changes nothing else.
{left_out}"""


def _left_out(options: Options) -> str:
    """The README's account of what a redacted bundle does not carry."""
    if options.include_contacts and options.include_salaries:
        return ""
    gone = []
    if not options.include_contacts:
        gone.append(
            "every email address and phone number, wherever it appeared, is replaced by "
            "`[email]` or `[phone]`"
        )
    if not options.include_salaries:
        gone.append(
            "every pay figure is replaced by `[amount]`, the salary columns are empty, "
            "the comparable salaries and the pay sections of research notes are left out"
        )
    return (
        "\n## What this copy leaves out\n\n"
        + "".join(f"- {g[0].upper()}{g[1:]}.\n" for g in gone)
        + "- The drafts are here as Markdown only: their mail files (`.eml`) and their\n"
        '  "Open this draft in your mail program" links are left out.\n'
        "- The notebooks are the workbook's own, without anyone's results in them: run\n"
        "  them (Run ▸ Run All Cells) to see this search.\n"
    )


BUNDLED_FOLDERS = ("drafts", "notes", "templates")
"""The workspace's folders of generated and own files that go into a bundle."""


@dataclass(frozen=True)
class Shared:
    """The files one sharing run wrote, relative to the workspace."""

    report: str
    bundle: str | None


def _write(ws: Workspace, relative: str, data: bytes) -> str:
    path = ws.path(*relative.split("/"))
    try:
        csvio.atomic_write(path, data)
    except OSError as err:
        raise WorkspaceError(io_problem(path, "save", err)) from err
    return path.relative_to(ws.root).as_posix()


SUMMARY_FILE = re.compile(r"summary-(\d{4}-\d{2}-\d{2})\.json")
"""``reports/summary-<date>.json``: the numbers of the report shared that day."""


def previous_glance(ws: Workspace, today: dt.date) -> Glance | None:
    """The numbers of the latest report shared before ``today`` (None: none, or its
    file cannot be read)."""
    folder = ws.root / REPORTS_DIR
    dated = sorted(
        (m[1], path)
        for path in (folder.glob("summary-*.json") if folder.is_dir() else ())
        if (m := SUMMARY_FILE.fullmatch(path.name)) and m[1] < today.isoformat()
    )
    for _, path in reversed(dated):
        try:
            return from_json(path.read_bytes())
        except (OSError, ValueError):
            continue
    return None


def write_report(ws: Workspace, today: dt.date, options: Options = DEFAULT) -> str:
    """Write ``reports/report-<today>.html``, and its numbers in
    ``reports/summary-<today>.json`` (what the next report compares with); returns
    the report's path in the workspace."""
    html_text, numbers = report_and_glance(ws, today, options, previous_glance(ws, today))
    _write(ws, f"{REPORTS_DIR}/summary-{today.isoformat()}.json", to_json(numbers))
    return _write(ws, f"{REPORTS_DIR}/report-{today.isoformat()}.html", html_text.encode("utf-8"))


def _redacted_table(name: str, df: pd.DataFrame, red: Redactor) -> pd.DataFrame:
    options = red.options
    df = df.copy()
    if not options.include_contacts:
        for col in CONTACT_COLUMNS.get(name, ()):
            df[col] = ""
    if not options.include_salaries:
        for col in SALARY_COLUMNS.get(name, ()):
            df[col] = ""
        if name == "comps":
            df = df.iloc[0:0]
    keys = set(TABLES[name].key) | set(TABLES[name].references) | set(TABLES[name].dates)
    for col in df.columns:
        if col not in keys:
            df[col] = pd.Series(red.all(df[col].tolist()), index=df.index, dtype="str")
    return df


MAIL_LINK = re.compile(r"\[([^\]\n]*)\]\(mailto:[^)\s]*\)")
SHARED_LINK = "{text} (mail link left out of this shared copy)"


def _profile_member(ws: Workspace, red: Redactor) -> bytes:
    """profile.yml with every value redacted; email and phone emptied unless included."""

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return red(value) if isinstance(value, str) else value

    profile = clean(load_profile(ws).model_dump(mode="json", exclude={"search_id"}))
    profile["search_id"] = search_id(ws)  # random, not the user's: kept as it is
    if red.contacts:
        profile.update(email="", other_emails=[], phone="")
    return yaml.safe_dump(profile, sort_keys=False, allow_unicode=True).encode("utf-8")


def _workspace_members(ws: Workspace, tables, red: Redactor, step=None) -> dict[str, bytes]:
    step = step or (lambda: None)
    options = red.options
    members: dict[str, bytes] = {}
    for name, df in tables.items():
        step()
        if ws.file(name).exists() or name == "coach_notes":
            members[f"{DATA_IN_BUNDLE}/{TABLES[name].file}"] = csvio.to_csv_bytes(
                _redacted_table(name, df, red)
            )
    members[PROFILE_MEMBER] = _profile_member(ws, red)
    redacting = red.contacts or red.salaries
    for folder in BUNDLED_FOLDERS:
        base = ws.root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            step()
            relative = f"{DATA_IN_BUNDLE}/{path.relative_to(ws.root).as_posix()}"
            if path.suffix == ".eml":
                # A mail file carries headers and encoded parts: shared only when nothing
                # is redacted (each draft's Markdown file holds the same text).
                if not redacting:
                    members[relative] = path.read_bytes()
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if folder == "notes" and not options.include_salaries:
                text = without_pay_sections(text)
            if redacting:
                # A mailto: link repeats the draft, addresses and all, URL-encoded.
                text = MAIL_LINK.sub(lambda m: SHARED_LINK.format(text=m[1]), text)
            members[relative] = red(text).encode("utf-8")
    return members


def _notebook_member(raw: bytes, red: Redactor) -> bytes:
    """A notebook as shipped to a coach: no outputs, no widget state, no run metadata
    (papermill's parameters included), every cell's text redacted."""
    import nbformat

    nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
    for key in ("widgets", "papermill", "voila"):
        nb.metadata.pop(key, None)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        for key in ("execution", "papermill", "scrolled", "collapsed"):
            cell.metadata.pop(key, None)
        cell.pop("attachments", None)
        cell.source = red(cell.source)
    return nbformat.writes(nb).encode("utf-8")


def _project_members(red: Redactor) -> dict[str, bytes]:
    members: dict[str, bytes] = {}
    for pattern in PROJECT_FILES:
        for path in sorted(REPO_ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                data = path.read_bytes()
                if path.suffix == ".ipynb":
                    data = _notebook_member(data, red)
                members[path.relative_to(REPO_ROOT).as_posix()] = data
    return members


def bundle_bytes(ws: Workspace, today: dt.date, options: Options = DEFAULT, step=None) -> bytes:
    """The bundle as zip bytes (identical for identical inputs and ``today``); ``step``
    is called once per table and per file read, and once per member zipped."""
    step = step or (lambda: None)
    profile = load_profile(ws)
    tables = ws.load_all()
    red = Redactor.for_workspace(tables, profile, options)
    readme = COACH_README.format(
        name=profile.name or "A job seeker",
        when=f" on {long_date(today, profile.date_locale, with_year=True)}",
        day=today.isoformat(),
        count=len(tables["applications"]),
        redacted=(
            " (email addresses and phone numbers removed)" if not options.include_contacts else ""
        )
        + (" without salary figures" if not options.include_salaries else ""),
        left_out=_left_out(options),
    )
    members = {"README-COACH.md": readme.encode("utf-8")}
    members.update(_project_members(red))
    members.update(_workspace_members(ws, tables, red, step))
    members[SUMMARY_MEMBER] = to_json(glance(tables, profile, today, red))
    out = io.BytesIO()
    stamp = (today.year, today.month, today.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(members):
            step()
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, members[name])
    return out.getvalue()


def write_bundle(ws: Workspace, today: dt.date, options: Options = DEFAULT, step=None) -> str:
    """Write ``reports/bundle-<today>.zip``; returns its path in the workspace."""
    return _write(
        ws,
        f"{REPORTS_DIR}/bundle-{today.isoformat()}.zip",
        bundle_bytes(ws, today, options, step),
    )


def share(
    ws: Workspace,
    today: dt.date,
    options: Options = DEFAULT,
    bundle: bool = True,
    progress: ProgressCallback | None = None,
) -> Shared:
    """Write the report (and the bundle) into ``reports/``, telling ``progress``
    ``(done, total)`` as its files are written (a page shows it as a bar)."""
    progress = progress or no_progress
    files = sum(len(list((ws.root / f).rglob("*"))) for f in BUNDLED_FOLDERS) if bundle else 0
    total = 1 + 2 * (len(TABLES) + files)
    done = 0

    def step() -> None:
        nonlocal done
        done = min(done + 1, total - 1)  # finished only once everything is written
        progress(done, total)

    progress(0, total)
    report = write_report(ws, today, options)
    step()
    written = write_bundle(ws, today, options, step) if bundle else None
    progress(total, total)
    return Shared(report, written)


@dataclass(frozen=True)
class Imported:
    """What importing a coach's bundle did."""

    added: int
    already_there: int


def _search_of(zf: zipfile.ZipFile, name: str) -> str:
    """The search a notes file was written for (:data:`SEARCH_MEMBER`; "" when it names
    none, as returned bundles and notes from before the id do)."""
    try:
        info = zf.getinfo(SEARCH_MEMBER)
    except KeyError:
        return ""
    if info.file_size > MAX_MEMBER_BYTES:
        raise WorkspaceError(f"{SEARCH_MEMBER} is too large", file=name)
    try:
        data = yaml.safe_load(zf.read(info).decode("utf-8-sig")) or {}
        found = Profile.model_validate({"search_id": data.get("search_id") or ""})
    except (AttributeError, UnicodeDecodeError, yaml.YAMLError, ValidationError):
        raise WorkspaceError(f"{SEARCH_MEMBER} cannot be read", file=name) from None
    return found.search_id


@holding_lock
def import_coach_notes(ws: Workspace, bundle: str | Path) -> Imported:
    """Merge the coach notes of a returned bundle; nothing else is read or changed.

    Raises:
        WorkspaceError: the file is not a bundle, or its coach notes are invalid or
            point at applications this workspace does not have (nothing is written).
    """
    path = Path(bundle).expanduser()
    name = path.name
    try:
        with zipfile.ZipFile(path) as zf:
            try:
                info = zf.getinfo(COACH_NOTES_MEMBER)
            except KeyError:
                raise WorkspaceError(
                    f"this zip has no {COACH_NOTES_MEMBER}: is it a workbook bundle?", file=name
                ) from None
            if info.file_size > MAX_MEMBER_BYTES:
                raise WorkspaceError(f"{COACH_NOTES_MEMBER} is too large to be notes", file=name)
            raw = zf.read(info)
            for_search = _search_of(zf, name)
    except (OSError, zipfile.BadZipFile) as err:
        raise WorkspaceError(f"cannot open the bundle: {err}", file=name) from None
    if for_search and for_search != load_profile(ws).search_id:
        raise WorkspaceError(
            "these notes are for another person's search (their bundle's id is not "
            "yours): nothing was imported; ask your coach for your own file",
            file=name,
        )

    label = f"{name}: {COACH_NOTES_MEMBER}"
    # Read from the bundle's bytes: every problem names the file the user chose.
    notes, rows = csvio.parse_table(label, raw)
    notes = notes.reindex(columns=list(TABLES["coach_notes"].columns), fill_value="")
    problems = validate_table("coach_notes", notes, rows)
    problems += validate_references(
        "coach_notes", notes, {"applications": ws.load("applications")}, rows
    )
    if problems:
        raise WorkspaceError([Problem(label, p.row, p.column, p.message) for p in problems])
    current = ws.load("coach_notes")
    columns = list(TABLES["coach_notes"].columns)
    seen = set(map(tuple, current[columns].itertuples(index=False)))
    new = [r for r in notes[columns].itertuples(index=False) if tuple(r) not in seen]
    new = list(dict.fromkeys(map(tuple, new)))
    if new:
        ws.append("coach_notes", [dict(zip(columns, r, strict=True)) for r in new])
    return Imported(len(new), len(notes) - len(new))
