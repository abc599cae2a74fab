"""The workspace: a folder of CSV tables that are loaded, checked and saved safely.

Every save takes the workspace lock (so a second kernel waits rather than
overwriting), re-reads what it changes, validates the result against the contract
and the other tables, and replaces the files atomically. A failed save changes
nothing on disk.

Typical use::

    ws = Workspace.open(data_dir)            # the folder, from the notebook parameter
    apps = ws.load("applications")           # validated; raises WorkspaceError
    ws.append("research", [{"application_id": "acme-analyst", "note": "…"}])
    with ws.transaction() as tx:             # several tables, all or nothing
        ...
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from helpers import csvio, journal
from helpers.errors import Problem, WorkspaceError, io_problem, reason
from helpers.paths import resolve_data_dir, safe_path
from helpers.schema import TABLES, Table, referencing
from helpers.validate import _passes, validate_references, validate_table

LOCK_FILE = ".workbook.lock"
LOCK_TIMEOUT = 60.0

SAVED: list[Callable[[Path], None]] = []
"""Called with the workspace folder after every save in this process (live views)."""


def announce(root: Path) -> None:
    """Tell :data:`SAVED`'s listeners that ``root`` changed; a listener's failure is
    printed, never turned into a failed save."""
    import sys
    import traceback

    for listener in list(SAVED):
        try:
            listener(Path(root))
        except Exception:
            traceback.print_exc(file=sys.stderr)


def _table(name: str) -> Table:
    try:
        return TABLES[name]
    except KeyError:
        raise KeyError(f"no table {name!r}; the tables are: {', '.join(TABLES)}") from None


def empty_table(name: str) -> pd.DataFrame:
    """A table with the contract's columns and no rows."""
    return pd.DataFrame({col: pd.Series([], dtype="str") for col in _table(name).columns})


def table_in(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """A table from ``tables``; an empty one when it is not there."""
    df = tables.get(name)
    return empty_table(name) if df is None else df


def iso_dates(s: pd.Series) -> pd.Series:
    """ISO date text as datetimes; an empty (or invalid) cell is ``NaT``."""
    return pd.to_datetime(s.where(s != ""), format="%Y-%m-%d", errors="coerce")


def as_text(value: Any) -> str:
    """A cell value as the text stored in the file (dates as ISO, whole numbers plain)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return ""
    return str(value)


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every contract column present and every cell text.

    Columns keep their order (extra columns included); contract columns that are
    missing are added, empty, at the end.
    """
    table = _table(name)
    out = {}
    for col in df.columns:
        s = df[col]
        if not pd.api.types.is_string_dtype(s) or s.isna().any():
            s = pd.Series([as_text(v) for v in s], index=df.index, dtype="str")
        elif s.dtype != "str":
            s = s.astype("str")
        out[str(col)] = s
    for col in table.columns:
        if col not in out:
            out[col] = pd.Series([""] * len(df), index=df.index, dtype="str")
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


def _with_contract_columns(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """:func:`conform` for a table as parsed (every column text already)."""
    if all(col in df.columns for col in _table(name).columns):
        return df
    out = {str(col): df[col] for col in df.columns}
    for col in _table(name).columns:
        if col not in out:
            out[col] = pd.Series([""] * len(df), index=df.index, dtype="str")
    return pd.DataFrame(out, index=df.index).reset_index(drop=True)


class _Parsed(NamedTuple):
    """A table file as read: its bytes, the conformed table, each record's row."""

    raw: bytes
    table: pd.DataFrame
    rows: list[int]


class Workspace:
    """One job search's folder of tables, profile and generated files."""

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root).resolve()
        self._lock = None  # the FileLock, made when first needed (importing it takes time)
        # What was read, so that reading unchanged files again costs a comparison.
        self._parsed: dict[str, _Parsed] = {}
        self._checked: dict[str, tuple[_Parsed, list[Problem]]] = {}
        self._references: tuple[list[_Parsed | None], list[Problem]] | None = None

    @classmethod
    def open(cls, data_dir: str | os.PathLike[str] | None = "") -> Workspace:
        """The workspace named by ``data_dir``, else ``$WORKBOOK_DATA``, else ``data/``."""
        return cls(resolve_data_dir(data_dir))

    def __repr__(self) -> str:
        return f"Workspace({str(self.root)!r})"

    # -- paths -------------------------------------------------------------------

    def file(self, name: str) -> Path:
        """The path of a table's CSV file."""
        return self.root / _table(name).file

    def path(self, *parts: str) -> Path:
        """A path inside the workspace made from user-given names; it cannot leave it."""
        return safe_path(self.root, *parts)

    def exists(self) -> bool:
        """Whether the workspace folder exists."""
        return self.root.is_dir()

    # -- reading -----------------------------------------------------------------

    def read(self, name: str) -> tuple[pd.DataFrame, list[int]]:
        """A table exactly as on disk (no validation) and each record's spreadsheet row.

        A missing file is an empty table. Contract columns missing from the file are
        added, empty; extra columns are kept.

        Raises:
            WorkspaceError: the file cannot be read as a table.
        """
        parsed = self._parsed_file(name)
        if parsed is None:
            return empty_table(name), []
        return parsed.table.copy(deep=False), list(parsed.rows)

    def _parsed_file(self, name: str) -> _Parsed | None:
        """The table file parsed, or None if there is none; a file whose bytes are those
        parsed last time is not parsed again (the bytes are compared, not dates)."""
        path = self.file(name)
        self._settled()
        if not path.exists():
            return None
        try:
            raw = path.read_bytes()
        except OSError as err:
            raise WorkspaceError(io_problem(path, "read", err)) from err
        cached = self._parsed.get(name)
        if cached is not None and cached.raw == raw:
            return cached
        df, rows = csvio.parse_table(path.name, raw)
        if len(df.columns):
            missing = [c for c in _table(name).required if c not in df.columns]
            if missing:
                raise WorkspaceError(
                    [
                        Problem(path.name, 1, col, "this column is missing from the header row")
                        for col in missing
                    ]
                )
        parsed = _Parsed(raw, _with_contract_columns(name, df), rows)
        self._parsed[name] = parsed
        return parsed

    def _remember(self, name: str, raw: bytes, table: pd.DataFrame) -> None:
        """After a save: the bytes written and the (validated) table they hold, so that
        reading them back needs no parsing. Only for a plain header and no NUL, where
        reading the bytes certainly gives the table back."""
        header = [str(col) for col in table.columns]
        plain = len(header) >= 2 and not header[0].startswith("\ufeff")
        if not plain or b"\x00" in raw or csvio._header_problems("", 1, header):
            self._parsed.pop(name, None)
            return
        parsed = _Parsed(raw, table.copy(deep=False), list(range(2, len(table) + 2)))
        self._parsed[name] = parsed
        self._checked[name] = (parsed, [])  # the save validated it

    def _own_problems(self, name: str, parsed: _Parsed | None) -> list[Problem]:
        """:func:`validate_table` of a parsed file, remembered with its bytes."""
        if parsed is None:
            return []  # a missing file is an empty table: nothing to check
        known = self._checked.get(name)
        if known is None or known[0] is not parsed:
            known = (parsed, validate_table(name, parsed.table, parsed.rows))
            self._checked[name] = known
        return list(known[1])

    def load(self, name: str) -> pd.DataFrame:
        """A table, checked against its own rules.

        Raises:
            WorkspaceError: listing every problem, each with file, row and column.
        """
        parsed = self._parsed_file(name)
        problems = self._own_problems(name, parsed)
        if problems:
            raise WorkspaceError(problems)
        return empty_table(name) if parsed is None else parsed.table.copy(deep=False)

    def load_all(self) -> dict[str, pd.DataFrame]:
        """Every table, checked against its own rules and its references.

        Raises:
            WorkspaceError: listing every problem in every table.
        """
        tables, problems = self._read_and_check()
        if problems:
            raise WorkspaceError(problems)
        return tables

    def check(self) -> list[Problem]:
        """Every problem in the workspace's tables and profile (an empty list if none)."""
        from helpers.profile import load_profile

        _, problems = self._read_and_check()
        try:
            load_profile(self)
        except WorkspaceError as err:
            problems += err.problems
        return problems

    def _read_and_check(self) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
        with self._reading():
            return self._read_and_check_now()

    def _read_and_check_now(self) -> tuple[dict[str, pd.DataFrame], list[Problem]]:
        tables: dict[str, pd.DataFrame] = {}
        rows: dict[str, list[int]] = {}
        problems: list[Problem] = []
        files: list[_Parsed | None] = []
        for name in TABLES:
            try:
                parsed = self._parsed_file(name)
            except WorkspaceError as err:
                problems += err.problems
                continue
            files.append(parsed)
            if parsed is None:
                tables[name], rows[name] = empty_table(name), []
            else:
                tables[name], rows[name] = parsed.table.copy(deep=False), list(parsed.rows)
            problems += self._own_problems(name, parsed)
        # References depend on every table: remembered while no file has changed.
        same = self._references is not None and len(self._references[0]) == len(TABLES)
        same = same and len(files) == len(TABLES)
        same = same and all(a is b for a, b in zip(self._references[0], files, strict=True))
        if same:
            problems += self._references[1]
        else:
            found: list[Problem] = []
            memo: dict = {}
            for name, df in tables.items():
                found += validate_references(name, df, tables, rows[name], known_values=memo)
            if len(files) == len(TABLES):
                self._references = (files, found)
            problems += found
        return tables, problems

    def counts(self) -> dict[str, int | None]:
        """Rows per table; ``None`` for a table whose file cannot be read."""
        counts: dict[str, int | None] = {}
        for name in TABLES:
            try:
                counts[name] = len(self.read(name)[0])
            except WorkspaceError:
                counts[name] = None
        return counts

    # -- writing -----------------------------------------------------------------

    def _filelock(self):
        from filelock import FileLock

        if self._lock is None:
            # One lock object per file in this process: two Workspace objects of the
            # same folder (two forms, say) share it, and it is re-entrant.
            self._lock = FileLock(self.root / LOCK_FILE, timeout=LOCK_TIMEOUT, is_singleton=True)
        return self._lock

    def _acquire(self, action: str) -> None:
        """Take the workspace lock, then finish or undo an interrupted save.

        Raises:
            WorkspaceError: the folder cannot be written (read-only, no permission,
                a full disk), or another notebook holds the lock for too long.
        """
        from filelock import Timeout

        try:
            self.root.mkdir(parents=True, exist_ok=True)
            self._filelock().acquire()
        except Timeout:
            raise WorkspaceError(
                f"another notebook has been saving to {self.root} for over "
                f"{LOCK_TIMEOUT:.0f} s; nothing was {action}. Try again in a moment.",
                file=LOCK_FILE,
            ) from None
        except OSError as err:
            raise WorkspaceError(
                f"cannot {action} in this workspace folder: {reason(err)}. "
                f"Nothing was {'saved' if action == 'save' else 'changed'}; make the folder "
                "writable (or choose another workspace) and try again.",
                file=str(self.root),
            ) from None
        try:
            self._recover()
        except BaseException:
            self._filelock().release()
            raise

    def _recover(self) -> None:
        """Finish or undo a save that a crash interrupted (the lock is held)."""
        try:
            done = journal.recover(self.root)
            for name in TABLES:  # single-table saves stage beside the table, no journal
                _remove_leftovers(self.file(name))
        except OSError as err:
            raise WorkspaceError(
                "a save was interrupted (the program stopped in the middle of it) and "
                f"cannot be completed now: {reason(err)}. Your files are as that save left "
                "them; free some space or make the folder writable, then open the "
                "workspace again.",
                file=journal.JOURNAL,
            ) from None
        except ValueError as err:
            raise WorkspaceError(str(err), file=journal.JOURNAL) from None
        if done is not None:
            self._parsed.clear()
            self._checked.clear()
            self._references = None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the workspace lock: other kernels' saves wait until it is released.

        Taking it first finishes or undoes any save a crash interrupted.
        """
        self._acquire("save")
        try:
            yield
        finally:
            self._filelock().release()

    @contextmanager
    def _reading(self) -> Iterator[None]:
        """Read several tables as one state of the workspace: under the lock, so no
        save is half-applied meanwhile. A folder nobody can write to is read as it is,
        unless a save waits there to be finished."""
        if not journal.pending(self.root) and not any(self.file(n).exists() for n in TABLES):
            yield  # no table yet: nothing to read half-saved, and no lock file made
            return
        try:
            self._acquire("read")
        except WorkspaceError:
            if journal.pending(self.root) or os.access(self.root, os.W_OK):
                raise
            yield  # read-only: no save can happen while we read
            return
        try:
            yield
        finally:
            self._filelock().release()

    def _settled(self) -> None:
        """Before reading one file: an interrupted save is finished or undone first."""
        if journal.pending(self.root):
            with self._reading():
                pass

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Change several tables at once: all of them are saved, or none.

        Inside the block, :meth:`Transaction.load` reads the current files (other
        kernels wait) and :meth:`Transaction.save` stages a new version; at the end of
        the block every staged table is validated and written. An exception inside
        the block, or a problem found, leaves every file as it was.
        """
        with self.lock():
            tx = Transaction(self)
            yield tx
            tx.commit()

    def save(self, name: str, df: pd.DataFrame) -> pd.DataFrame:
        """Validate and atomically write one table; returns what was written."""
        with self.transaction() as tx:
            tx.save(name, df)
        return tx.saved[name]

    def write_files(self, files: Mapping[Path, bytes]) -> None:
        """Replace files inside the workspace (notes, drafts) as one save: all or none,
        even if the process dies midway (:mod:`helpers.journal`)."""
        if files:
            with self.transaction() as tx:
                for path, data in files.items():
                    tx.write_file(path, data)

    def append(self, name: str, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """Add records to a table (read under the lock, so no other save is lost).

        Returns:
            The records as written (text, with every column).
        """
        with self.transaction() as tx:
            added = tx.append(name, records)
        return added


class Transaction:
    """Tables read and staged under the workspace lock; see :meth:`Workspace.transaction`."""

    def __init__(self, workspace: Workspace):
        self.workspace = workspace
        self._read: dict[str, pd.DataFrame] = {}
        self.saved: dict[str, pd.DataFrame] = {}
        self.files: dict[Path, bytes] = {}
        # Tables staged as the validated file plus appended rows: (staged, rows before).
        self._appended: dict[str, tuple[pd.DataFrame, int]] = {}

    def load(self, name: str) -> pd.DataFrame:
        """The table as staged in this transaction, else as on disk now (validated)."""
        # Copy-on-write makes a shallow copy as safe to change as a deep one.
        if name in self.saved:
            return self.saved[name].copy(deep=False)
        if name not in self._read:
            self._read[name] = self.workspace.load(name)
        return self._read[name].copy(deep=False)

    def save(self, name: str, df: pd.DataFrame) -> None:
        """Stage a new version of a table, written when the transaction ends."""
        self.saved[name] = conform(name, df)
        self._appended.pop(name, None)

    def write_file(self, path: Path, data: bytes) -> None:
        """Stage a file inside the workspace (a draft, a note), written with the tables."""
        path = Path(path)
        root = self.workspace.root
        if root not in path.resolve().parents:
            raise ValueError(f"{path} is outside the workspace {root}")
        self.files[path] = data

    def append(self, name: str, records: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
        """Stage records added to the end of a table; returns them as text."""
        on_disk = name not in self.saved
        current = self.load(name)
        new = conform(name, pd.DataFrame(list(records)))
        for col in current.columns:
            if col not in new.columns:
                new[col] = ""
        new = new[list(current.columns) + [c for c in new.columns if c not in current.columns]]
        staged = pd.concat([current, new], ignore_index=True)
        if list(new.columns) == list(current.columns):
            # Both parts are conformed already: conform() would give the same table.
            self.saved[name] = staged
            self._appended.pop(name, None)
        else:
            self.save(name, staged)
        if on_disk:
            self._appended[name] = (self.saved[name], len(current))
        return new

    def commit(self) -> None:
        """Validate every staged table and write them all, with the staged files, or
        raise and write none (:mod:`helpers.journal`: even if the process dies)."""
        if not self.saved and not self.files:
            return
        problems: list[Problem] = []
        for name, df in self.saved.items():
            appended = self._appended.get(name)
            if appended is not None and appended[0] is df and _valid_append(name, df, appended[1]):
                # The file's rows were valid and none is removed: only the new rows and
                # their keys needed checking (and they passed).
                problems += validate_references(name, df, _Lookup(self))
                continue
            problems += validate_table(name, df)
            problems += validate_references(name, df, _Lookup(self))
            problems += self._dangling(name, df)
        if problems:
            raise WorkspaceError(problems)
        written = {name: csvio.to_csv_bytes(df) for name, df in self.saved.items()}
        payload = {self.workspace.file(name): data for name, data in written.items()}
        payload.update(self.files)
        if len(payload) == 1:
            self._write_one(*next(iter(payload.items())))
        else:
            self._write_all(payload)
        for name, data in written.items():
            self.workspace._remember(name, data, self.saved[name])
        announce(self.workspace.root)

    def _write_one(self, path: Path, data: bytes) -> None:
        """One file: replaced atomically on its own (a rename needs no journal)."""
        _remove_leftovers(path)
        try:
            tmp = csvio.stage(path, data)
        except OSError as err:
            raise WorkspaceError(io_problem(path, "save", err)) from err
        try:
            csvio.commit(tmp, path)
        except OSError as err:
            tmp.unlink(missing_ok=True)
            raise WorkspaceError(io_problem(path, "save", err)) from err

    def _write_all(self, payload: dict[Path, bytes]) -> None:
        root = self.workspace.root
        try:
            journal.write_files(root, payload)
        except journal.SaveFailed as err:
            shown = err.path.relative_to(root).as_posix() if root in err.path.parents else ""
            tables = sorted(p.name for p in payload if p.parent == root)
            others = len(payload) - len(tables)
            what = ", ".join(tables) + (f" and {others} other files" if others else "")
            if err.committed:
                message = (
                    f"the save of {what} was recorded but could not be completed: "
                    f"{reason(err.cause)}. It will be completed the next time the "
                    "workspace is opened; nothing is lost."
                )
            else:
                message = (
                    f"could not save {what}: {reason(err.cause)} (writing {shown or 'the files'})."
                    " Nothing was saved: every table and draft is as it was."
                )
            self.workspace._parsed.clear()
            raise WorkspaceError(message, file=shown or journal.JOURNAL) from err

    def _dangling(self, name: str, df: pd.DataFrame) -> list[Problem]:
        """Records elsewhere that would point at a row this save removes."""
        table = TABLES[name]
        if len(table.key) != 1:
            return []
        key = table.key[0]
        before, _ = self.workspace.read(name)
        removed = set(before[key].to_numpy()) - set(df[key].to_numpy())
        if not removed:
            return []
        problems = []
        for other, col in referencing(name):
            refs = self.load(other.name)
            for i in refs.index[refs[col].isin(removed)]:
                problems.append(
                    Problem(
                        other.file,
                        i + 2,
                        col,
                        f"{refs.at[i, col]!r} would point at a record removed from {table.file}",
                    )
                )
        return problems


def _valid_append(name: str, df: pd.DataFrame, before: int) -> bool:
    """True when ``df`` (a valid table with rows appended after the first ``before``)
    certainly has no problem with its own rules: the new rows pass every rule of one
    value or one row, and no key of theirs is already taken. Otherwise False, and the
    whole table is validated as usual."""
    table = TABLES[name]
    if not _passes(table, df.iloc[before:]):
        return False
    if not table.key:
        return True
    keys = [df[col].to_numpy() for col in table.key]
    if len(keys) == 1:
        return not set(keys[0][before:]) & set(keys[0][:before])
    old = set(zip(*(k[:before] for k in keys), strict=True))
    return not any(key in old for key in zip(*(k[before:] for k in keys), strict=True))


class _Lookup(Mapping):
    """The tables a transaction's references are checked against, read on demand."""

    def __init__(self, tx: Transaction):
        self._tx = tx

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self._tx.load(name)

    def __contains__(self, name: object) -> bool:
        return name in TABLES

    def __iter__(self):
        return iter(TABLES)

    def __len__(self) -> int:
        return len(TABLES)


def _remove_leftovers(path: Path) -> None:
    """Delete temporary files a killed save left beside ``path``.

    Only the lock holder writes temporary files, so any found while holding the
    lock belong to a save that never finished (its target file is intact).
    """
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        tmp.unlink(missing_ok=True)


def holding_lock(fn):
    """Run ``fn(workspace, …)`` holding the workspace lock from its first read to its
    last write, so another kernel cannot act on the same records in between (the lock
    is re-entrant: saves inside ``fn`` take it again without waiting)."""

    @functools.wraps(fn)
    def wrapper(ws: Workspace, *args, **kwargs):
        with ws.lock():
            return fn(ws, *args, **kwargs)

    return wrapper
