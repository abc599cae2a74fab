"""Exact CSV reading and writing: text in, the same text out.

Every cell is text. Nothing is converted on the way in (``02139`` stays ``02139``,
an empty cell stays ``""``), a UTF-8 byte order mark and Windows line endings are
accepted, and a value that a spreadsheet would run as a formula is written with a
leading apostrophe and read back without it.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from helpers.errors import Problem, WorkspaceError

# A note may be megabytes long; the csv module's default limit is 128 KiB a field.
csv.field_size_limit(2**31 - 1)

FORMULA = r"'*[=+\-@\t\r]"
_NEUTRALISE = re.compile(rf"^(?={FORMULA})")
_RESTORE = re.compile(rf"^'(?={FORMULA})")
_RESTORE_HIT = re.compile(rf"'{FORMULA}")


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
    return parse_table(path.name, path.read_bytes())


def parse_table(name: str, raw: bytes) -> tuple[pd.DataFrame, list[int]]:
    """:func:`read_table` of a file's bytes (``name`` is the file's name, for problems).

    A large, plainly written file (as the store writes them) is parsed by pandas' C
    reader once :func:`_simple_layout` has proved that the csv module would read it
    the same way; anything else takes the csv module, which also reports problems.
    """
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if (
        len(raw) >= FAST_MIN_BYTES
        and not utf16
        and delimiter(raw[:4096].decode("utf-8", "replace")) == ","
    ):
        fast = _parse_simple(raw)
        if fast is not None:
            return fast
    try:
        # UTF-16 with its byte-order mark is what Excel's "Unicode Text" writes.
        text = raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise WorkspaceError(_encoding_problem(name, raw, err)) from None
    sep = delimiter(text)
    header, records, rows = _plain_records(text, sep)
    if header is None:
        header, records, rows = _records(name, text, sep)
    if header is None:
        return pd.DataFrame(), []
    columns = list(zip(*records, strict=True)) if records else [()] * len(header)
    if not _may_hold_apostrophe_cells(text):
        columns = [list(values) for values in columns]
    else:
        columns = [_restored(values) for values in columns]
    df = pd.DataFrame(dict(zip(header, columns, strict=True)), dtype="str")
    return df, rows


def _may_hold_apostrophe_cells(text: str) -> bool:
    """Whether some cell may start with an apostrophe (follows a comma, a line end or a
    quote, or starts the text); only such cells can need :func:`restore`."""
    return text.startswith("'") or any(mark in text for mark in (",'", "\n'", "\r'", "\"'"))


def delimiter(text: str) -> str:
    """What separates the values: ``,``, or the ``;`` (or tab) that Excel writes in
    many European locales (and for "Unicode Text"): when the header row read with
    commas is one value, but read with ``;`` or tabs it is several."""
    head = text[:65536]

    def first(sep: str) -> list[str]:
        try:
            return next(csv.reader(io.StringIO(head, newline=""), delimiter=sep), [])
        except csv.Error:
            return []

    if len(first(",")) != 1:
        return ","
    found = max((len(first(sep)), sep) for sep in (";", "\t"))
    return found[1] if found[0] >= 2 else ","


def _plain_records(text: str, sep: str = ","):
    """The header, records and rows of a table with no blank line and no ragged row
    (read at the csv module's speed); (None, None, None) for anything else."""
    try:
        found = list(csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=sep))
    except csv.Error:
        return None, None, None
    if not found or len(found[0]) < 2 or _header_problems("", 1, found[0]):
        return None, None, None
    if set(map(len, found)) != {len(found[0])}:
        return None, None, None  # a blank or ragged row: let _records say which
    return found[0], found[1:], list(range(2, len(found) + 1))


def _records(name: str, text: str, sep: str = ","):
    """The header, records and rows, record by record, listing every problem found.

    Raises:
        WorkspaceError: a duplicated or unnamed column, a ragged row, broken quoting.
    """
    records: list[list[str]] = []
    rows: list[int] = []
    problems: list[Problem] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=sep)
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
    return header, records, rows


FAST_MIN_BYTES = 128 * 1024
"""Files at least this large may be parsed by pandas (below it the csv module is faster)."""

_QUOTE, _COMMA, _NEWLINE, _APOSTROPHE = ord('"'), ord(","), ord("\n"), ord("'")


class _Layout(NamedTuple):
    ends: Any  # numpy array: the byte offset where each record ends
    apostrophes: Any  # numpy array: where an apostrophe may start a cell


def _parse_simple(raw: bytes) -> tuple[pd.DataFrame, list[int]] | None:
    """The table parsed by pandas' C reader, or None when the csv module must decide.

    Only files the two readers provably read alike are taken: see
    :func:`_simple_layout`. pandas pads short rows and drops extra cells silently, so
    every record's cell count is checked here first.
    """
    import numpy as np

    body = raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw
    layout = _simple_layout(body)
    if layout is None or len(layout.ends) < 2:
        return None
    ends = layout.ends
    try:
        header = next(csv.reader([body[: ends[0]].decode("utf-8")], strict=True))
    except (UnicodeDecodeError, csv.Error, StopIteration):
        return None
    if len(header) < 2 or _header_problems("", 1, header):
        return None
    try:
        df = pd.read_csv(
            io.BytesIO(body),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
            encoding="utf-8",
            encoding_errors="strict",
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError):
        return None  # not UTF-8 (ValueError covers pandas' parser errors too)
    if list(df.columns) != header or len(df) != len(ends) - 1:
        return None
    if len(layout.apostrophes):
        # Only records holding a cell that starts with an apostrophe can change.
        at = np.unique(np.searchsorted(ends, layout.apostrophes)) - 1
        for col in header:
            values = df[col].to_numpy()
            changed = {
                i: v[1:]
                for i, v in zip(at.tolist(), values[at].tolist(), strict=True)
                if v[:1] == "'" and _RESTORE_HIT.match(v)
            }
            if changed:
                values = values.copy()
                values[list(changed)] = list(changed.values())
                df[col] = pd.Series(values, dtype="str")
    return df, list(range(2, len(df) + 2))


def _simple_layout(body: bytes):
    """Where each record of ``body`` ends, if the file is laid out simply; else None.

    Simply: no carriage return or NUL; every quote belongs to a quoted cell that
    starts a cell and ends right before a comma or a line end (doubled quotes
    inside); no blank records; and every record has as many cells as the first. The
    csv module (strict) and pandas' C reader read such a file identically.

    Returns:
        Each record's end (its newline, or the end of the file), and every apostrophe
        that may start a cell (it follows a comma, a line end or a quote).
    """
    if b"\r" in body or b"\x00" in body:
        return None
    import numpy as np

    data = np.frombuffer(body, dtype=np.uint8)
    size = len(data)
    quotes = np.flatnonzero(data == _QUOTE)
    if len(quotes) % 2:
        return None  # a quoted cell never closes, or a stray quote
    if len(quotes):
        # Runs of consecutive quotes: a run entered outside a quoted cell opens one
        # (it must start a cell); a run left outside closes one (a cell must end).
        first = np.flatnonzero(np.diff(quotes, prepend=-2) != 1)
        length = np.diff(first, append=len(quotes))
        start, stop = quotes[first], quotes[first] + length
        before = np.where(start > 0, data[np.maximum(start - 1, 0)], _NEWLINE)
        after = np.where(stop < size, data[np.minimum(stop, size - 1)], _NEWLINE)
        opens = first % 2 == 0
        closes = (first + length) % 2 == 0
        if not (
            np.all((before[opens] == _COMMA) | (before[opens] == _NEWLINE))
            and np.all((after[closes] == _COMMA) | (after[closes] == _NEWLINE))
        ):
            return None
    newlines = np.flatnonzero(data == _NEWLINE)
    if len(quotes):
        newlines = newlines[np.searchsorted(quotes, newlines) % 2 == 0]
    ends = newlines if body.endswith(b"\n") else np.append(newlines, size)
    starts = np.concatenate(([0], newlines[: len(ends) - 1] + 1))
    if np.any(ends == starts):
        return None  # a blank line: the csv module skips it but counts it
    commas = np.flatnonzero(data == _COMMA)
    cells = np.searchsorted(commas, ends) - np.searchsorted(commas, starts)
    if len(quotes):
        inside = np.searchsorted(commas, quotes[1::2]) - np.searchsorted(commas, quotes[0::2])
        record = np.searchsorted(ends, quotes[0::2])
        cells = cells - np.bincount(record, weights=inside, minlength=len(ends)).astype(cells.dtype)
    if np.any(cells != cells[0]):
        return None
    marks = np.flatnonzero(data == _APOSTROPHE)
    follows = data[np.maximum(marks - 1, 0)]
    starts_cell = (marks == 0) | (follows == _COMMA) | (follows == _NEWLINE) | (follows == _QUOTE)
    return _Layout(ends, marks[starts_cell])


def _restored(values) -> list[str]:
    """Cell texts as the user typed them: :func:`restore` on a list of strings."""
    values = list(values)
    for i, value in enumerate(values):
        if value[:1] == "'" and _RESTORE_HIT.match(value):
            values[i] = value[1:]
    return values


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
    fast = _plain_columns(df)
    if fast is not None:
        columns, has_cr = fast
    else:
        columns = [neutralise(df[c]) for c in df.columns]
        has_cr = pd.Series(False, index=df.index)
        for s in columns:
            has_cr |= s.str.contains("\r", regex=False)
    # csv quotes a lone carriage return only if it is part of the line terminator;
    # rows holding one are written fully quoted so they read back as one record.
    records = zip(*columns, strict=True) if columns else iter(())
    if not any(has_cr):
        plain.writerows(records)
    else:
        quoted = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
        for record, cr in zip(records, has_cr, strict=True):
            (quoted if cr else plain).writerow(record)
    return out.getvalue().encode("utf-8")


@functools.cache
def text_dtype():
    """The dtype of a text column (``dtype="str"``), found when first needed."""
    return pd.Series([], dtype="str").dtype


_FORMULA_START = re.compile(FORMULA)
_FORMULA_LINE = re.compile(rf"\n{FORMULA}")


def _plain_columns(df: pd.DataFrame) -> tuple[list[list[str]], list[bool]] | None:
    """Columns as lists, neutralised (:func:`neutralise`), and which rows hold a
    carriage return; None unless every column is plain text. Each column is scanned
    once, joined, at C speed; only a column with a candidate is looked at value by value.
    """
    columns = []
    has_cr = [False] * len(df)
    for col in df.columns:
        s = df[col]
        if not isinstance(s, pd.Series) or s.dtype != text_dtype() or s.isna().any():
            return None
        values = s.to_numpy().tolist()
        joined = "\n" + "\n".join(values)
        if _FORMULA_LINE.search(joined):
            values = ["'" + v if _FORMULA_START.match(v) else v for v in values]
        if "\r" in joined:
            has_cr = [cr or "\r" in v for cr, v in zip(has_cr, values, strict=True)]
        columns.append(values)
    return columns, has_cr


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
    """Write ``data`` to a temporary file beside ``path``, synced to disk, and return
    its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, file_mode(path))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def commit(tmp: Path, path: Path) -> None:
    """Rename a staged file over ``path`` and sync the folder."""
    os.replace(tmp, path)
    sync_folder(path.parent)


def file_mode(path: Path) -> int:
    """The permissions a new version of ``path`` gets: those of the file it replaces,
    else what the umask allows a new file."""
    return path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()


def sync_folder(folder: Path) -> None:
    """Make the renames in ``folder`` survive a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
