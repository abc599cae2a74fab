"""Applications in from another tracker.

Another tracker's CSV export (Huntr, Teal, a spreadsheet) has its own
column names, stage names and date format. :func:`guess_mapping` proposes which of
its columns fills which workbook column; :func:`plan_import` converts and checks
every row *without writing anything* (the preview); :func:`import_applications`
writes the plan in one transaction, or nothing at all when any row has a problem.
A problem names the imported file, the row as a spreadsheet shows it (the header is
row 1) and the file's own column. Rows for a company and role already in the
workspace (or earlier in the file) are skipped, so importing a file twice adds
nothing the second time.

Dates are only ever the ones the file gives: ``stage_history`` gets ``applied`` on
the date applied and the current stage on its date when the file has one; nothing
is invented.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import csvio
from helpers.errors import Problem, WorkspaceError, io_problem
from helpers.paths import slugify
from helpers.pipeline import name_key
from helpers.schema import STAGES, TABLES
from helpers.store import Workspace, conform, empty_table
from helpers.validate import validate_table

SKIP = ""
"""The mapping value for a column that is not imported."""

IMPORT_FIELDS = tuple(
    c for c in TABLES["applications"].columns if c not in ("application_id", "offer_signed_on")
)
"""The workbook columns an import can fill (the identifier is made from the names)."""

DATE_FORMATS = {
    "YYYY-MM-DD": "%Y-%m-%d",
    "MM/DD/YYYY": "%m/%d/%Y",
    "DD/MM/YYYY": "%d/%m/%Y",
    "DD.MM.YYYY": "%d.%m.%Y",
}
"""How an imported file may write its dates (ISO dates are always understood too)."""

GUESS = ""
"""The date format to give for "guess it from the file's dates"."""

_DATES = ("applied_on", "stage_changed_on", "decision_expected_on")

# Column names other trackers use, compared lowercased with punctuation as spaces.
HEADER_ALIASES = {
    **{f: f for f in IMPORT_FIELDS},
    **dict.fromkeys(("company name", "employer", "organization", "organisation"), "company"),
    **dict.fromkeys(
        ("job title", "title", "position", "job position", "job", "role title"), "role"
    ),
    **dict.fromkeys(("city", "job location", "place"), "location"),
    **dict.fromkeys(
        ("url", "job url", "link", "job link", "posting url", "job posting url", "posting"),
        "job_url",
    ),
    **dict.fromkeys(("job board", "found on", "found via", "referral source"), "source"),
    **dict.fromkeys(
        ("date applied", "applied", "applied date", "application date", "applied on"),
        "applied_on",
    ),
    **dict.fromkeys(("status", "list", "pipeline stage", "application status"), "stage"),
    **dict.fromkeys(
        ("last updated", "updated", "status date", "stage date", "last status change"),
        "stage_changed_on",
    ),
    **dict.fromkeys(
        ("decision date", "expected decision", "follow up date"), "decision_expected_on"
    ),
    **dict.fromkeys(("salary min", "min salary", "salary from", "salary low"), "salary_min"),
    **dict.fromkeys(("salary max", "max salary", "salary to", "salary high"), "salary_max"),
    **dict.fromkeys(("salary currency",), "currency"),
    **dict.fromkeys(("note", "comments", "description"), "notes"),
}

# Stage names other trackers use (Huntr lists, Teal statuses), compared lowercased.
STAGE_ALIASES = {
    **{s: s for s in STAGES},
    **dict.fromkeys(("wishlist", "bookmarked", "interested", "to apply", "applying"), "saved"),
    **dict.fromkeys(("sent", "submitted", "application sent"), "applied"),
    **dict.fromkeys(("screen", "phone screen", "recruiter screen", "in review"), "screening"),
    **dict.fromkeys(("interview", "interviews", "interview scheduled", "onsite"), "interviewing"),
    **dict.fromkeys(("offered", "offer received", "negotiating"), "offer"),
    **dict.fromkeys(("hired", "offer accepted", "signed"), "accepted"),
    **dict.fromkeys(("not selected", "declined by employer", "rejection", "no offer"), "rejected"),
    **dict.fromkeys(("i withdrew", "withdrew", "archived", "declined"), "withdrawn"),
    **dict.fromkeys(("no response", "no reply", "ghost"), "ghosted"),
}


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", str(text).casefold()).split())


def guess_mapping(columns: list[str]) -> dict[str, str]:
    """Which workbook column each of a file's columns fills ("" = not imported).

    A workbook column is taken by the first file column whose name matches it.
    """
    taken: set[str] = set()
    mapping = {}
    for col in columns:
        target = HEADER_ALIASES.get(_norm(col), SKIP)
        if target in taken:
            target = SKIP
        taken.add(target)
        mapping[col] = target
    return mapping


def guess_date_format(df: pd.DataFrame, mapping: Mapping[str, str]) -> str:
    """The :data:`DATE_FORMATS` entry that reads the most of the file's mapped dates.

    On a tie the earlier entry wins (ISO first, then month first): ``03/04/2026``
    alone cannot tell March from April, so check the preview.
    """
    cols = [c for c, target in mapping.items() if target in _DATES and c in df.columns]
    values = pd.concat([df[c].str.strip() for c in cols], ignore_index=True) if cols else None
    if values is None or not (values != "").any():
        return "YYYY-MM-DD"
    values = values[values != ""]
    read = {
        name: int(pd.to_datetime(values, format=fmt, errors="coerce").notna().sum())
        for name, fmt in DATE_FORMATS.items()
    }
    return max(read, key=lambda name: read[name])  # the first of the best, in order


def resolve_source(ws: Workspace, path: str | os.PathLike[str]) -> Path:
    """The file to import: ``~`` expanded; a relative path is inside the workspace folder."""
    p = Path(str(path).strip()).expanduser()
    return p if p.is_absolute() else ws.root / p


def read_source(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """Another tracker's CSV export, every cell text, with each record's spreadsheet row.

    Raises:
        WorkspaceError: the file is missing or is not a CSV table (naming the file).
    """
    if not path.is_file():
        raise WorkspaceError(f"there is no file {path}", file=path.name)
    try:
        df, rows = csvio.read_table(path)
    except OSError as err:
        raise WorkspaceError(io_problem(path, "read", err)) from err
    if not len(df.columns):
        raise WorkspaceError("the file is empty: it has no header row", file=path.name)
    return df, rows


@dataclass
class ImportPlan:
    """What an import would write, row by row, and every problem found.

    Attributes:
        source: the imported file's name (problems name it).
        mapping: file column → workbook column (``""``: not imported).
        applications: the new ``applications`` rows.
        history: the new ``stage_history`` rows.
        outcome: one row per file record: ``row`` (spreadsheet row), ``company``,
            ``role``, ``stage``, ``applied_on`` and ``outcome`` (what happens to it).
        problems: every problem, by file, row and the file's column.
        date_format: how the file's dates were read (one of :data:`DATE_FORMATS`).
    """

    source: str
    mapping: dict[str, str]
    applications: pd.DataFrame
    history: pd.DataFrame
    outcome: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    date_format: str = "YYYY-MM-DD"

    @property
    def ok(self) -> bool:
        """True when nothing is wrong: importing would write exactly this plan."""
        return not self.problems

    @property
    def added(self) -> int:
        """How many applications the import adds."""
        return len(self.applications)

    @property
    def skipped(self) -> int:
        """How many rows are skipped as already known."""
        return int(self.outcome["outcome"].str.startswith("skip").sum())

    def describe(self) -> str:
        """One line: what importing would do, or how many problems stop it."""
        return f"{self.source}: {self.verdict()}"

    def verdict(self) -> str:
        """What importing would do, or how many problems stop it (no file name)."""
        if self.problems:
            n = len(self.problems)
            return (
                f"{n} problem{'s' if n != 1 else ''} to fix in the file or the mapping; "
                "nothing will be imported until every row is right."
            )
        return (
            f"{self.added} new application{'s' if self.added != 1 else ''}, "
            f"{self.skipped} already known (skipped)."
        )


def _mapping_problems(
    source: str, columns: list[str], mapping: Mapping[str, str], date_format: str
) -> list[Problem]:
    """What is wrong with reading the file's ``columns`` by ``mapping`` and
    ``date_format``: nothing can be imported until it is fixed."""
    problems = []
    used: dict[str, str] = {}
    for col, target in mapping.items():
        if col not in columns:
            problems.append(Problem(source, 1, col, "there is no column of this name in the file"))
        elif target and target not in IMPORT_FIELDS:
            problems.append(
                Problem(
                    source,
                    1,
                    col,
                    f"{target!r} is not a column an import fills; one of: "
                    + ", ".join(IMPORT_FIELDS),
                )
            )
        elif target in used:
            problems.append(
                Problem(
                    source, 1, col, f"{target!r} is already filled from column {used[target]!r}"
                )
            )
        elif target:
            used[target] = col
    for required in ("company", "role"):
        if required not in used:
            problems.append(
                Problem(source, 1, None, f"no column is mapped to {required!r}; choose one")
            )
    if date_format not in DATE_FORMATS:
        problems.append(
            Problem(
                source,
                None,
                None,
                f"date format {date_format!r} is not one of: " + ", ".join(DATE_FORMATS),
            )
        )
    return problems


def plan_import(
    source: str,
    df: pd.DataFrame,
    rows: list[int],
    existing: pd.DataFrame,
    mapping: Mapping[str, str] | None = None,
    date_format: str = GUESS,
) -> ImportPlan:
    """Convert and check a file's records against the workspace's applications.

    Args:
        source: the file's name, for the problems.
        df, rows: the file as :func:`read_source` returns it.
        existing: the workspace's ``applications`` (for duplicates and identifiers).
        mapping: file column → workbook column; default :func:`guess_mapping`.
        date_format: one of :data:`DATE_FORMATS`; :data:`GUESS` (the default): the
            one that reads the file's dates (:func:`guess_date_format`).
    """
    mapping = dict(guess_mapping(list(df.columns)) if mapping is None else mapping)
    date_format = date_format or guess_date_format(df, mapping)
    problems = _mapping_problems(source, list(df.columns), mapping, date_format)
    if problems:
        return _refused(source, mapping, problems, date_format)

    where = {target: col for col, target in mapping.items() if target}
    blank = pd.Series([""] * len(df), index=df.index, dtype="str")
    rec = _Records(
        source,
        rows,
        where,
        pd.DataFrame({f: df[where[f]].str.strip() if f in where else blank for f in IMPORT_FIELDS}),
    )
    rec.dates(date_format)
    rec.stages()
    rec.amounts()
    dup = _Duplicates.of(rec.rec, rows, existing)
    new = rec.rec[~dup.in_workspace & ~dup.repeat].copy()
    new.insert(
        0,
        "application_id",
        pd.Series(_new_ids(new, existing["application_id"]), index=new.index, dtype="str"),
    )
    rec.validate(new)
    rec.found.sort(key=lambda p: (p.row or 0, p.column or "", p.message))
    return ImportPlan(
        source,
        mapping,
        conform("applications", new),
        _history(new),
        rec.outcomes(new, dup),
        rec.found,
        date_format,
    )


def _refused(
    source: str, mapping: dict[str, str], problems: list[Problem], date_format: str
) -> ImportPlan:
    """The plan of a file that cannot be read as mapped: nothing to add, the problems."""
    outcome = pd.DataFrame(
        {c: pd.Series([], dtype="str") for c in ("company", "role", "stage", "outcome")}
    )
    outcome.insert(0, "row", pd.Series([], dtype="int64"))
    return ImportPlan(
        source,
        mapping,
        empty_table("applications"),
        empty_table("stage_history"),
        outcome,
        problems,
        date_format,
    )


@dataclass
class _Records:
    """A file's records as the workbook's columns, converted and checked in place; each
    problem found names the file's row and column, and a cell found bad is not
    reported again by the contract's checks."""

    source: str
    rows: list[int]
    where: dict[str, str]
    rec: pd.DataFrame
    found: list[Problem] = field(default_factory=list)
    bad: set[tuple[int, str]] = field(default_factory=set)

    def flag(self, mask: pd.Series, fld: str, message) -> None:
        for i in mask[mask].index:
            self.found.append(
                Problem(
                    self.source, self.rows[i], self.where.get(fld), message(self.rec.at[i, fld])
                )
            )
            self.bad.add((i, fld))

    def dates(self, date_format: str) -> None:
        """Dates: the chosen format, or ISO."""
        rec, fmt = self.rec, DATE_FORMATS[date_format]
        for fld in _DATES:
            s = rec[fld]
            given = s != ""
            parsed = pd.to_datetime(s.where(given), format=fmt, errors="coerce")
            parsed = parsed.fillna(
                pd.to_datetime(s.where(given), format="%Y-%m-%d", errors="coerce")
            )
            self.flag(
                given & parsed.isna(),
                fld,
                lambda v: f"{v!r} is not a date in the form {date_format}",
            )
            rec[fld] = parsed.dt.strftime("%Y-%m-%d").where(parsed.notna(), s).astype("str")

    def stages(self) -> None:
        """Stages: the workbook's names, or another tracker's. The current stage's date
        defaults to the date applied for "applied"."""
        rec = self.rec
        names = rec["stage"].map(_norm)
        stage = names.map(STAGE_ALIASES)
        default = pd.Series("saved", index=rec.index).where(rec["applied_on"] == "", "applied")
        stage = stage.where(names != "", default)
        self.flag(
            stage.isna(),
            "stage",
            lambda v: f"{v!r} is not a stage the workbook knows; use one of: {', '.join(STAGES)}",
        )
        rec["stage"] = stage.fillna(rec["stage"]).astype("str")
        fill = (rec["stage_changed_on"] == "") & (rec["stage"] == "applied")
        fill &= ~pd.Series([(i, "applied_on") in self.bad for i in rec.index], index=rec.index)
        rec.loc[fill, "stage_changed_on"] = rec.loc[fill, "applied_on"]

    def amounts(self) -> None:
        """Amounts as plain numbers ($85,000 → 85000), currencies upper-case."""
        rec = self.rec
        for fld in ("salary_min", "salary_max"):
            s = rec[fld].str.replace(r"^[$€£¥]\s*", "", regex=True)
            grouped = s.str.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
            rec[fld] = s.where(~grouped, s.str.replace(",", "", regex=False))
        rec["currency"] = rec["currency"].str.upper()

    def validate(self, new: pd.DataFrame) -> None:
        """The contract's checks of the applications to add (a cell already found bad
        is not reported twice)."""
        new_rows = [self.rows[i] for i in new.index]
        checked = validate_table("applications", conform("applications", new), new_rows)
        back = {r: i for i, r in zip(new.index, new_rows, strict=True)}
        for p in checked:
            i = back.get(p.row)
            if p.column and (i, p.column) in self.bad:
                continue
            column = self.where.get(p.column or "", p.column)
            self.found.append(Problem(self.source, p.row, column, p.message))

    def outcomes(self, new: pd.DataFrame, dup: _Duplicates) -> pd.DataFrame:
        """What happens to each row of the file: added as, skipped because, a problem."""
        rec = self.rec
        outcome = pd.Series("add as " + new["application_id"], index=new.index).reindex(rec.index)
        outcome[dup.in_workspace] = "skip: already in your workspace as " + dup.key[
            dup.in_workspace
        ].map(dup.known_ids).astype("str")
        outcome[dup.repeat] = "skip: the same company and role as row " + dup.first_row[
            dup.repeat
        ].astype("str")
        problem_rows = {p.row for p in self.found}
        has_problem = pd.Series([r in problem_rows for r in self.rows], index=rec.index)
        outcome[has_problem] = "problem: see below"
        return pd.DataFrame(
            {
                "row": self.rows,
                "company": rec["company"],
                "role": rec["role"],
                "stage": rec["stage"],
                "applied_on": rec["applied_on"],
                "outcome": outcome.astype("str"),
            }
        ).reset_index(drop=True)


@dataclass(frozen=True)
class _Duplicates:
    """Duplicates: rows already in the workspace (by company and role), or earlier in
    this file."""

    key: pd.Series
    known_ids: pd.Series
    in_workspace: pd.Series
    repeat: pd.Series
    first_row: pd.Series

    @classmethod
    def of(cls, rec: pd.DataFrame, rows: list[int], existing: pd.DataFrame) -> _Duplicates:
        key = name_key(rec["company"]) + "\x00" + name_key(rec["role"])
        named = (rec["company"] != "") & (rec["role"] != "")
        known = (name_key(existing["company"]) + "\x00" + name_key(existing["role"])).to_numpy()
        known_ids = pd.Series(existing["application_id"].to_numpy(), index=known, dtype="str")
        known_ids = known_ids[~known_ids.index.duplicated()]
        in_workspace = named & key.isin(known_ids.index)
        first_row = pd.Series(rows, index=rec.index).groupby(key).transform("first")
        repeat = named & ~in_workspace & key.duplicated()
        return cls(key, known_ids, in_workspace, repeat, first_row)


def _new_ids(new: pd.DataFrame, taken: pd.Series) -> list[str]:
    """Unique slugs from company and role (``-2``, ``-3``… when taken)."""
    used = set(taken)
    ids = []
    for company, role in zip(new["company"], new["role"], strict=True):
        base = slugify(f"{company} {role}", "application")
        slug, n = base, 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        ids.append(slug)
    return ids


def _history(new: pd.DataFrame) -> pd.DataFrame:
    """``stage_history`` rows from the dates the file gave: applied, and the stage."""
    applied = new[(new["applied_on"] != "") & (new["stage"] != "saved")]
    current = new[new["stage_changed_on"] != ""]
    rows = pd.concat(
        [
            pd.DataFrame(
                {
                    "application_id": applied["application_id"],
                    "stage": "applied",
                    "changed_on": applied["applied_on"],
                }
            ),
            pd.DataFrame(
                {
                    "application_id": current["application_id"],
                    "stage": current["stage"],
                    "changed_on": current["stage_changed_on"],
                }
            ),
        ],
        ignore_index=True,
    ).drop_duplicates(["application_id", "stage"], keep="first")
    return conform("stage_history", rows.sort_values("application_id", kind="stable"))


def preview_import(
    ws: Workspace,
    path: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    date_format: str = GUESS,
) -> ImportPlan:
    """The plan for importing ``path`` into ``ws``; nothing is written.

    Raises:
        WorkspaceError: the file cannot be read, or the workspace's applications
            cannot be loaded.
    """
    file = resolve_source(ws, path)
    df, rows = read_source(file)
    return plan_import(file.name, df, rows, ws.load("applications"), mapping, date_format)


def import_applications(
    ws: Workspace,
    path: str | os.PathLike[str],
    mapping: Mapping[str, str] | None = None,
    date_format: str = GUESS,
) -> ImportPlan:
    """Import the applications of ``path``: all of them, or nothing.

    Returns:
        The plan that was written.

    Raises:
        WorkspaceError: any problem in the file or the mapping, each naming the file,
            the row and the file's column (nothing was written).
    """
    file = resolve_source(ws, path)
    df, rows = read_source(file)
    with ws.transaction() as tx:
        plan = plan_import(file.name, df, rows, tx.load("applications"), mapping, date_format)
        if plan.problems:
            raise WorkspaceError(plan.problems)
        if plan.added:
            tx.append("applications", plan.applications.to_dict("records"))
            tx.append("stage_history", plan.history.to_dict("records"))
    return plan
