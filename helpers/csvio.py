"""Exact CSV reading and writing: text in, the same text out.

Every cell is text. Nothing is converted on the way in (``02139`` stays ``02139``,
an empty cell stays ``""``), a UTF-8 byte order mark and Windows line endings are
accepted, and a value that a spreadsheet would run as a formula is written with a
leading apostrophe and read back without it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from helpers.errors import Problem, WorkspaceError

# A note may be megabytes long; the csv module's default limit is 128 KiB a field.
csv.field_size_limit(2**31 - 1)

FORMULA = r"'*[=+\-@\t\r]"
_NEUTRALISE = re.compile(rf"^(?={FORMULA})")
_RESTORE = re.compile(rf"^'(?={FORMULA})")


def neutralise(s: pd.Series) -> pd.Series:
    """Prefix ``'`` to values a spreadsheet would treat as a formula.

    A value starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return (after
    any apostrophes) gains one more apostrophe, so :func:`restore` is its exact
    inverse: ``=1+1`` → ``'=1+1``, ``'=x`` → ``''=x``, ``'plain`` unchanged.
    """
    hit = s.str.match(FORMULA)
    if not hit.any():
        return s
    return s.where(~hit, "'" + s)


def restore(s: pd.Series) -> pd.Series:
    """The inverse of :func:`neutralise`: what the user typed."""
    hit = s.str.match(rf"'{FORMULA}")
    if not hit.any():
        return s
    return s.where(~hit, s.str.slice(1))


def read_table(path: Path) -> tuple[pd.DataFrame, list[int]]:
    """Read a CSV file as text.

    Returns:
        The table (every column of dtype ``str``, in the file's order) and the
        spreadsheet row number of each record (blank lines are skipped but counted).

    Raises:
        WorkspaceError: the file cannot be read as a table: not UTF-8, broken
            quoting, a duplicated header, or rows with more or fewer cells than the
            header; every such row is listed.
    """
    name = path.name
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise WorkspaceError(_encoding_problem(name, raw, err)) from None
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    row = 0
    header: list[str] | None = None
    try:
        for record in reader:
            row += 1
            if not record or record == [""]:
                continue
            if header is None:
                header = record
                problems += _header_problems(name, row, header)
                continue
            if len(record) != len(header):
                problems.append(_ragged(name, row, header, record))
                continue
            records.append(record)
            rows.append(row)
    except csv.Error as err:
        problems.append(
            Problem(name, row + 1, None, f"the quoting is broken ({err}); check the quotes here")
        )
    if problems:
        raise WorkspaceError(problems)
    if header is None:
        return pd.DataFrame(), []
    columns = list(zip(*records, strict=True)) if records else [()] * len(header)
    df = pd.DataFrame(
        {
            col: restore(pd.Series(values, dtype="str"))
            for col, values in zip(header, columns, strict=True)
        }
    )
    return df, rows


def _header_problems(name: str, row: int, header: list[str]) -> list[Problem]:
    seen: set[str] = set()
    problems = []
    for i, col in enumerate(header, start=1):
        if not col.strip():
            problems.append(Problem(name, row, f"#{i}", "this column has no name in the header"))
        elif col in seen:
            problems.append(Problem(name, row, col, "this column appears twice in the header"))
        seen.add(col)
    return problems


def _ragged(name: str, row: int, header: list[str], record: list[str]) -> Problem:
    if len(record) > len(header):
        extra = record[len(header) :]
        return Problem(
            name,
            row,
            None,
            f"this row has {len(record)} cells but the header has {len(header)} columns; "
            f"the extra cells are {extra!r} (a comma inside a value needs quotes)",
        )
    return Problem(
        name,
        row,
        header[len(record)],
        f"this row has {len(record)} cells but the header has {len(header)} columns; "
        f"it ends before column {header[len(record)]!r}",
    )


def _encoding_problem(name: str, raw: bytes, err: UnicodeDecodeError) -> Problem:
    before = raw[: err.start].decode("utf-8-sig", errors="replace")
    records = list(csv.reader(io.StringIO(before, newline="")))
    row = max(len(records), 1)
    column = None
    if len(records) >= 2 and records[0]:
        header = records[0]
        index = len(records[-1]) - 1
        column = header[index] if 0 <= index < len(header) else None
    elif records:
        column = None
    byte = raw[err.start : err.start + 1].hex()
    return Problem(
        name,
        row,
        column,
        f"the file is not UTF-8 text (byte 0x{byte} at position {err.start}); "
        "save it from your spreadsheet as 'CSV UTF-8'",
    )


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """The table as UTF-8 CSV (RFC 4180 quoting, ``\\n`` line ends), formulas neutralised."""
    out = io.StringIO(newline="")
    plain = csv.writer(out, lineterminator="\n")
    plain.writerow(df.columns)
    columns = [neutralise(df[c]) for c in df.columns]
    # csv quotes a lone carriage return only if it is part of the line terminator;
    # rows holding one are written fully quoted so they read back as one record.
    has_cr = pd.Series(False, index=df.index)
    for s in columns:
        has_cr |= s.str.contains("\r", regex=False)
    records = zip(*columns, strict=True) if columns else iter(())
    if not has_cr.any():
        plain.writerows(records)
    else:
        quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for record, cr in zip(records, has_cr, strict=True):
            (quoted if cr else plain).writerow(record)
    return out.getvalue().encode("utf-8")


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old file or the new one.

    The bytes go to a temporary file beside ``path``, are flushed to disk, and the
    temporary file is renamed over ``path``; the folder is synced so the rename
    survives a power cut. On any error the temporary file is removed and ``path`` is
    left as it was.
    """
    tmp = stage(path, data)
    try:
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a synced temporary file beside ``path`` and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit(tmp: Path, path: Path) -> None:
    """Rename a staged file over ``path`` and sync the folder."""
    os.replace(tmp, path)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
