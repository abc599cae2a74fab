"""A coach's caseload: many clients' bundles, who needs attention first.

A coach keeps the bundles clients send (``bundle-<date>.zip``, several per client over
time) in one folder. :func:`read_caseload` reads each of them as untrusted input, with
the checks of the coach-notes import (member names that would leave a folder, sizes,
tables parsed and validated against the contract, formulas never run), groups them by
client (the bundle's profile name, else its file name), and ranks the clients by who
needs attention first, with the reason. A bundle that fails a check is reported and
skipped; it never stops the caseload. Nothing is ever written into a bundle: the
coach's notes go to a separate file (:func:`write_notes_file`) that the client imports
with 05_share, exactly like a returned bundle. Each client's numbers come from their
own bundles only.

The numbers are the bundle's ``data/summary.json`` (:mod:`helpers.glance`, computed by
the client's workbook when sharing, from the same standing as 04_pipeline); a bundle
made before that file existed gets them computed from its tables. Progress is reported
through a callback (``progress(done, total)``); the notebook turns it into a bar.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import pandas as pd
import yaml
from pydantic import ValidationError

from helpers import csvio
from helpers.errors import WorkspaceError
from helpers.glance import SUMMARY_MEMBER, Changes, Glance, changes, from_json, glance
from helpers.paths import slugify
from helpers.profile import Profile
from helpers.schema import TABLES
from helpers.share import (
    COACH_NOTES_MEMBER,
    DATA_IN_BUNDLE,
    MAX_MEMBER_BYTES,
    PROFILE_MEMBER,
    SEARCH_MEMBER,
)
from helpers.store import empty_table
from helpers.validate import validate_references, validate_table

MAX_MEMBERS = 20_000
"""A bundle with more files than this is not one the workbook made."""

MAX_BUNDLE_BYTES = 500 * 1024 * 1024
"""What a bundle's files may add up to, uncompressed."""

NOTES_FOLDER = "coach-notes"
"""Where the caseload writes notes files, under the coach's ``reports/``."""

DATED = re.compile(r"(\d{4}-\d{2}-\d{2})")
IDLE_DAYS = 14
"""A client with no activity for this many days needs a word."""


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""YAML's safe loader, in C when it is built."""


class BundleError(WorkspaceError):
    """A bundle the caseload cannot read (it is reported and skipped)."""


@dataclass
class Bundle:
    """One bundle, read and checked."""

    file: str
    client: str
    as_of: str
    glance: Glance
    profile: Profile
    applications: pd.DataFrame = field(repr=False)
    coach_notes: pd.DataFrame = field(repr=False)


@dataclass(frozen=True)
class Skipped:
    """A bundle that failed a check: its file name and why."""

    file: str
    reason: str


@dataclass
class Client:
    """One client: their bundles (latest first), and how urgently they need the coach."""

    name: str
    bundles: list[Bundle]
    score: int
    reasons: list[str]

    @property
    def latest(self) -> Bundle:
        return self.bundles[0]

    @property
    def previous(self) -> Bundle | None:
        return self.bundles[1] if len(self.bundles) > 1 else None

    @property
    def slug(self) -> str:
        return slugify(self.name, "client")

    @property
    def changes(self) -> Changes | None:
        """What changed since the previous bundle (None: only one bundle)."""
        if self.previous is None:
            return None
        return changes(self.previous.glance, self.latest.glance)


@dataclass
class Caseload:
    """Every client, who needs attention first; and the bundles skipped."""

    clients: list[Client]
    skipped: list[Skipped]
    today: dt.date

    def client(self, name: str) -> Client:
        """The client shown as ``name`` (names are unique within a caseload)."""
        return next(c for c in self.clients if c.name == name)


# -- one bundle ----------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    """A member name that stays inside the folder it would be unpacked into."""
    if not name or name.startswith("/") or "\\" in name or re.match(r"[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def _table(zf: zipfile.ZipFile, label: str, name: str) -> pd.DataFrame:
    member = f"{DATA_IN_BUNDLE}/{TABLES[name].file}"
    try:
        info = zf.getinfo(member)
    except KeyError:
        return empty_table(name)
    if info.file_size > MAX_MEMBER_BYTES:
        raise BundleError(f"{member} is too large", file=label)
    df, rows = csvio.parse_table(f"{label}: {member}", zf.read(info))
    df = df.reindex(
        columns=list(dict.fromkeys([*TABLES[name].columns, *df.columns])), fill_value=""
    )
    problems = validate_table(name, df, rows)
    if problems:
        first = problems[0]
        where = ", ".join(
            x for x in (f"row {first.row}" if first.row else "", first.column or "") if x
        )
        raise BundleError(
            f"{member}{f' ({where})' if where else ''}: {first.message}"
            + (f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""),
            file=label,
        )
    return df.astype("str")


def _profile(zf: zipfile.ZipFile, label: str) -> Profile:
    member = PROFILE_MEMBER
    try:
        info = zf.getinfo(member)
    except KeyError:
        return Profile()
    if info.file_size > MAX_MEMBER_BYTES:
        raise BundleError(f"{member} is too large", file=label)
    try:
        data = yaml.load(zf.read(info).decode("utf-8-sig"), Loader=SAFE_LOADER) or {}
        if not isinstance(data, dict):
            raise ValueError("not 'field: value' lines")
        return Profile.model_validate(data)
    except (UnicodeDecodeError, yaml.YAMLError, ValueError, ValidationError) as err:
        reason = str(err).splitlines()[0]
        raise BundleError(f"{member} cannot be read: {reason}", file=label) from None


def _as_of(path: Path, zf: zipfile.ZipFile) -> str:
    found = DATED.search(path.name)
    if found:
        try:
            return dt.date.fromisoformat(found[1]).isoformat()
        except ValueError:
            pass
    stamps = [i.date_time[:3] for i in zf.infolist()]
    return dt.date(*max(stamps)).isoformat() if stamps else ""


def _tables(zf: zipfile.ZipFile, label: str, names) -> dict[str, pd.DataFrame]:
    """The tables ``names`` of a bundle, each parsed and validated, references included
    (a missing table is empty)."""
    try:
        tables = {name: _table(zf, label, name) for name in names}
    except BundleError:
        raise
    except WorkspaceError as err:
        raise BundleError(str(err.problems[0]), file=label) from None
    for name in names:
        known = {t: tables[t] for t, _ in TABLES[name].references.values() if t in tables}
        if known:
            problems = validate_references(name, tables[name], known)
            if problems:
                raise BundleError(str(problems[0]), file=label)
    return tables


def client_name(profile: Profile, path: Path) -> str:
    """Who a bundle is from: its profile's name, else its file name without the
    word "bundle" and the date."""
    name = " ".join(str(profile.name).split())
    if name:
        return name
    stem = DATED.sub("", path.stem)
    stem = re.sub(r"(?i)\bbundle\b", "", stem.replace("_", " ").replace("-", " "))
    stem = " ".join(stem.split())
    return (stem.title() if stem.islower() else stem) or path.stem


SHOWN_TABLES = ("applications", "coach_notes")
"""What the caseload reads of a bundle that carries its numbers (``data/summary.json``):
the applications (for the coach-notes form) and the coach notes; a bundle without its
numbers has every table read, checked, and the numbers computed from them."""


def read_bundle(path: Path) -> Bundle:
    """One bundle, read with every check.

    Raises:
        BundleError: it is not a zip, a member's name would leave its folder, it is
            too large, or a table or the profile is malformed (naming which).
    """
    label = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as err:
        raise BundleError(f"cannot open the bundle: {err}", file=label) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleError("too many files to be a workbook bundle", file=label)
        bad = [i.filename for i in infos if not _safe_name(i.filename)]
        if bad:
            raise BundleError(f"a file in it would land outside its folder: {bad[0]!r}", file=label)
        if sum(i.file_size for i in infos) > MAX_BUNDLE_BYTES:
            raise BundleError("its files are too large to be a workbook bundle", file=label)
        if f"{DATA_IN_BUNDLE}/{TABLES['applications'].file}" not in zf.namelist():
            raise BundleError(
                f"this zip has no {DATA_IN_BUNDLE}/applications.csv: is it a workbook bundle?",
                file=label,
            )
        profile = _profile(zf, label)
        as_of = _as_of(path, zf)
        numbers = None
        if SUMMARY_MEMBER in zf.namelist():
            info = zf.getinfo(SUMMARY_MEMBER)
            if info.file_size > MAX_MEMBER_BYTES:
                raise BundleError(f"{SUMMARY_MEMBER} is too large", file=label)
            try:
                numbers = from_json(zf.read(info))
            except ValueError as err:
                raise BundleError(f"{SUMMARY_MEMBER}: {err}", file=label) from None
            as_of = numbers.as_of or as_of
        tables = _tables(zf, label, SHOWN_TABLES if numbers is not None else tuple(TABLES))
    if numbers is None:  # a bundle from before the summary file: the same numbers, computed
        numbers = glance(tables, profile, dt.date.fromisoformat(as_of))
    apps = tables["applications"]
    return Bundle(
        file=label,
        client=client_name(profile, path),
        as_of=as_of,
        glance=numbers,
        profile=profile,
        applications=apps[["application_id", "company", "role", "stage"]].reset_index(drop=True),
        coach_notes=tables["coach_notes"],
    )


# -- who needs attention first -------------------------------------------------------


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def attention(g: Glance, today: dt.date) -> tuple[int, list[str]]:
    """How urgently a client needs their coach (higher first), and why, most urgent
    reason first. A signed offer ends the search: such a client comes last."""
    if g.signed:
        return -1, ["Offer signed: the search is over"]
    found: list[tuple[int, str]] = []
    if g.offers_pending:
        found.append((40, f"{_n(g.offers_pending, 'offer')} to answer"))
    if g.thank_yous_overdue:
        found.append((30, f"{_n(g.thank_yous_overdue, 'thank-you')} overdue"))
    if g.follow_ups_due:
        found.append((20, f"{_n(g.follow_ups_due, 'follow-up')} due"))
    if g.last_activity:
        idle = (today - dt.date.fromisoformat(g.last_activity)).days
        if idle >= IDLE_DAYS:
            found.append((15, f"no activity for {idle} days"))
    if g.stale:
        found.append((10, f"{_n(g.stale, 'stale application')}"))
    if g.below_goal:
        found.append((5, f"{g.below_goal} short of the weekly goal of {g.goal}"))
    if not g.applications:
        found.append((5, "no applications recorded yet"))
    if not found:
        return 0, ["On track"]
    return sum(s for s, _ in found), [r for _, r in sorted(found, key=lambda x: -x[0])]


def read_caseload(
    folder: str | Path,
    today: dt.date,
    progress: Callable[[int, int], None] | None = None,
) -> Caseload:
    """Every bundle in ``folder`` (``*.zip``, not its subfolders), by client, who needs
    attention first (then by name); the bundles that failed a check are skipped and
    listed with the reason."""
    paths = sorted(p for p in Path(folder).expanduser().glob("*.zip") if p.is_file())
    report = progress or (lambda done, total: None)
    bundles: list[Bundle] = []
    skipped: list[Skipped] = []
    for done, path in enumerate(paths, 1):
        try:
            bundles.append(read_bundle(path))
        except BundleError as err:
            skipped.append(Skipped(path.name, err.problems[0].message))
        report(done, len(paths))
    clients = []
    for group in by_client(bundles):
        group.sort(key=lambda b: (b.as_of, b.file), reverse=True)
        score, reasons = attention(group[0].glance, today)
        clients.append(Client(group[0].client, group, score, reasons))
    _tell_apart(clients)
    clients.sort(key=lambda c: (-c.score, c.name.casefold()))
    return Caseload(clients, skipped, today)


def by_client(bundles: list[Bundle]) -> list[list[Bundle]]:
    """The bundles grouped by whose search they come from.

    A bundle names its search (``search_id`` in its profile, random, made with the
    client's first bundle), so two clients of the same name stay apart. A bundle from
    before the id goes with the one search of its client's name, or stays with the
    other bundles of that name that have no id when there is no single such search."""
    searches: dict[str, list[Bundle]] = {}
    unnamed: dict[str, list[Bundle]] = {}
    for bundle in bundles:
        if bundle.profile.search_id:
            searches.setdefault(bundle.profile.search_id, []).append(bundle)
        else:
            unnamed.setdefault(bundle.client.casefold(), []).append(bundle)
    named_as: dict[str, list[str]] = {}
    for sid, group in searches.items():
        for name in {b.client.casefold() for b in group}:
            named_as.setdefault(name, []).append(sid)
    groups = list(searches.values())
    for name, group in unnamed.items():
        ids = named_as.get(name, [])
        if len(ids) == 1:
            searches[ids[0]].extend(group)
        else:
            groups.append(group)
    return groups


def _tell_apart(clients: list[Client]) -> None:
    """Clients of the same name are shown with their latest bundle's file name."""
    named = Counter(c.name.casefold() for c in clients)
    for c in clients:
        if named[c.name.casefold()] > 1:
            c.name = f"{c.name} ({Path(c.latest.file).stem})"


def caseload_table(caseload: Caseload) -> pd.DataFrame:
    """One row per client, who needs attention first, as a coach reads it."""
    rows = []
    for c in caseload.clients:
        g = c.latest.glance
        rows.append(
            {
                "client": c.name,
                "why first": c.reasons[0],
                "latest bundle": c.latest.as_of,
                "last activity": g.last_activity,
                "sent this week": f"{g.sent_this_week} of {g.goal}"
                if g.goal
                else str(g.sent_this_week),
                "interviews this week": g.interviews_this_week,
                "thank-yous overdue": g.thank_yous_overdue,
                "follow-ups due": g.follow_ups_due,
                "stale": g.stale,
                "offers pending": g.offers_pending,
                "signed": "yes" if g.signed else "",
            }
        )
    columns = [
        "client",
        "why first",
        "latest bundle",
        "last activity",
        "sent this week",
        "interviews this week",
        "thank-yous overdue",
        "follow-ups due",
        "stale",
        "offers pending",
        "signed",
    ]
    return pd.DataFrame(rows, columns=columns)


# -- coach notes back to a client ----------------------------------------------------


def notes_file(notes_dir: str | Path, client: Client, today: dt.date) -> Path:
    """Where the notes for ``client`` written ``today`` go."""
    return Path(notes_dir) / f"coach-notes-{client.slug}-{today.isoformat()}.zip"


def write_notes_file(
    notes_dir: str | Path,
    client: Client,
    today: dt.date,
    application_id: str,
    note: str,
    author: str = "",
) -> Path:
    """Add a note to the notes file of ``client`` (a zip holding
    ``data/coach_notes.csv``, which 05_share's import reads); returns its path.

    The file holds the client's own coach notes from their latest bundle, the notes
    already written today and this one: importing it adds only what is new.

    Raises:
        WorkspaceError: the application is not one of this client's, or no note.
    """
    apps = client.latest.applications
    if application_id not in set(apps["application_id"]):
        raise WorkspaceError(f"{client.name} has no such application", file=client.latest.file)
    if not note.strip():
        raise WorkspaceError("write the note first")
    path = notes_file(notes_dir, client, today)
    columns = list(TABLES["coach_notes"].columns)
    frames = [client.latest.coach_notes.reindex(columns=columns, fill_value="")]
    if path.exists():
        with zipfile.ZipFile(path) as zf:
            frames.append(
                csvio.parse_table(path.name, zf.read(COACH_NOTES_MEMBER))[0].reindex(
                    columns=columns, fill_value=""
                )
            )
    new = {
        "application_id": application_id,
        "note": note.strip(),
        "author": author.strip(),
        "added_on": today.isoformat(),
    }
    frames.append(pd.DataFrame([new], columns=columns, dtype="str"))
    notes = pd.concat(frames, ignore_index=True).astype("str").drop_duplicates()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(COACH_NOTES_MEMBER, csvio.to_csv_bytes(notes))
        if client.latest.profile.search_id:  # whose search: 05 refuses anyone else's notes
            search = {"search_id": client.latest.profile.search_id}
            zf.writestr(SEARCH_MEMBER, yaml.safe_dump(search).encode("utf-8"))
    path.parent.mkdir(parents=True, exist_ok=True)
    csvio.atomic_write(path, out.getvalue())
    return path
