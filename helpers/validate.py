"""Validation of workspace tables with pandera, reported as :class:`Problem` lists.

Every rule of the contract (``helpers.schema``) becomes a pandera check; a lazy
validation collects every failure, and each failure becomes a :class:`Problem` that
names the file, the spreadsheet row and the column.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Mapping, Sequence
from typing import Annotated

import numpy as np
import pandas as pd

from helpers import addresses
from helpers.csvio import text_dtype
from helpers.errors import Problem
from helpers.schema import TABLES, Table

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
EMAIL = rf"(?=[^\n]{{3,{addresses.MAX_LENGTH}}}(?:\n|\Z)){addresses.EMAIL}"
AMOUNT = r"\d+(?:\.\d+)?"
URL = r"https?://[^\s\"<>]+"
CURRENCY = r"[A-Z]{3}"


def email_address(value: str) -> str:
    """``value`` if it is empty or an address a draft can be sent to; otherwise a
    ValueError saying why (:mod:`helpers.addresses`, the rule every table follows too)."""
    return addresses.check(value)


def one_of(value: str, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed``, else a ValueError listing them."""
    if value not in allowed:
        raise ValueError(f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def _blank_as_none(value):
    return None if value in ("", None) else value


def __getattr__(name: str):
    # The field types of forms and the profile are made on first use: importing
    # pydantic is not needed to read a workspace. ``EmailText`` holds an email address
    # or nothing; ``OptionalDate`` a date or nothing (an empty text too).
    if name == "EmailText":
        from pydantic import AfterValidator

        globals()[name] = Annotated[str, AfterValidator(email_address)]
        return globals()[name]
    if name == "OptionalDate":
        from pydantic import BeforeValidator

        globals()[name] = Annotated[dt.date | None, BeforeValidator(_blank_as_none)]
        return globals()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _given(s: pd.Series) -> pd.Series:
    return s.str.strip() != ""


def _optional(test):
    """A check that passes empty cells and applies ``test`` to the rest."""

    def check(s: pd.Series) -> pd.Series:
        ok = ~_given(s)
        if (~ok).any():
            ok = ok | test(s)
        return ok

    return check


def _matches(pattern: str):
    return _optional(lambda s: s.str.fullmatch(pattern).fillna(False).astype(bool))


def _is_iso_date(s: pd.Series) -> pd.Series:
    shaped = s.str.fullmatch(r"\d{4}-\d{2}-\d{2}").fillna(False).astype(bool)
    parsed = pd.to_datetime(s.where(shaped), format="%Y-%m-%d", errors="coerce")
    return shaped & parsed.notna()


_SHAPES = {
    SLUG: "is not an identifier: use lowercase letters, digits and dashes",
    EMAIL: "is not an email address a draft can be sent to",
    AMOUNT: "is not a plain number (digits only, e.g. 85000, no separators)",
    URL: "is not a web address starting with https://",
    CURRENCY: "is not a three-letter currency code (USD)",
}
"""What a cell of each shape is said to be when it is not."""


def _shaped(table: Table) -> list[tuple[tuple[str, ...], str]]:
    """The table's columns of each shape (besides identifiers), with its pattern."""
    return [
        (table.emails, EMAIL),
        (table.amounts, AMOUNT),
        (table.urls, URL),
        (table.currencies, CURRENCY),
    ]


@functools.cache
def table_schema(name: str):
    """The pandera schema of one table's own rules (not its references)."""
    import pandera.pandas as pa

    table = TABLES[name]
    checks: dict[str, list] = {col: [] for col in table.columns}
    for col in table.required:
        checks[col].append(pa.Check(_given, error="is empty; a value is required"))
    for col in table.slugs:
        checks[col].append(pa.Check(_matches(SLUG), error=_SHAPES[SLUG]))
    for col, allowed in table.choices.items():
        checks[col].append(
            pa.Check(
                _optional(lambda s, a=allowed: s.isin(a)),
                error="is not one of: " + ", ".join(allowed),
            )
        )
    for col in table.dates:
        checks[col].append(
            pa.Check(_optional(_is_iso_date), error="is not a date in the form YYYY-MM-DD")
        )
    for cols, pattern in _shaped(table):
        for col in cols:
            checks[col].append(pa.Check(_matches(pattern), error=_SHAPES[pattern]))
    columns = {
        col: pa.Column(str, cs, required=False, nullable=False, unique=(table.key == (col,)))
        for col, cs in checks.items()
    }
    return pa.DataFrameSchema(columns, strict=False, coerce=False)


def validate_table(name: str, df: pd.DataFrame, rows: Sequence[int] | None = None) -> list[Problem]:
    """Every problem with one table's own rules.

    Args:
        name: the table's name.
        df: the table, every column text.
        rows: the spreadsheet row of each record (default: position + 2).
    """
    table = TABLES[name]
    rows = list(rows) if rows is not None else list(range(2, len(df) + 2))
    if df.empty:
        return []
    if _passes(table, df):
        return []
    positional = df.reset_index(drop=True)
    problems = _schema_problems(table, positional, rows)
    problems += _composite_key_problems(table, positional, rows)
    problems += _range_problems(table, positional, rows)
    return sorted(set(problems), key=_order(table))


def _schema_problems(table: Table, df: pd.DataFrame, rows: list[int]) -> list[Problem]:
    import pandera.pandas as pa

    schema = table_schema(table.name)
    try:
        schema.validate(df, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        cases = err.failure_cases
    problems = []
    for case in cases.itertuples(index=False):
        column = case.column if isinstance(case.column, str) else None
        index = case.index
        if index is None or (isinstance(index, float) and pd.isna(index)):
            problems.append(Problem(table.file, None, column, str(case.check)))
            continue
        index = int(index)
        value = df.at[index, column] if column in df.columns else ""
        if case.check == "field_uniqueness":
            dupes = [rows[i] for i in df.index[df[column] == value]]
            others = ", ".join(str(r) for r in dupes if r != rows[index])
            message = f"{value!r} is used more than once (also row {others}); each must be unique"
        else:
            message = f"{value!r} {case.check}" if _given_text(value) else f"this cell {case.check}"
        problems.append(Problem(table.file, rows[index], column, message))
    return problems


# -- the fast path ------------------------------------------------------------------
# A valid table (the usual case) is proved valid without pandera: every rule is a
# test of one value, so it is applied once to each distinct value, in plain Python
# with the same regular expressions. Any doubt (a failing value, a column that is
# not plain text) returns False and pandera reports the problems as before.


_NOT_SLUG = str.maketrans("", "", "abcdefghijklmnopqrstuvwxyz0123456789-\n")


def _columns(df: pd.DataFrame, cols: list[str]) -> dict[str, np.ndarray] | None:
    """The values of plain text columns (str dtype, no missing value), else None."""
    if not df.columns.is_unique:
        return None
    at = df.columns.get_indexer(cols)
    dtypes = df.dtypes.to_numpy()
    if any(dtypes[i] != text_dtype() for i in at):
        return None
    if df.size <= 50_000:  # one call beats one per column for a small table
        block = df.to_numpy(dtype=object)
        arrays = {col: block[:, i] for col, i in zip(cols, at, strict=True)}
    else:
        arrays = {col: df[col].to_numpy() for col in cols}
    return arrays


def _no_missing(values: np.ndarray, distinct: set | None = None) -> bool:
    """No missing value (NaN) among ``values``; ``distinct`` (their set) makes it cheap
    when there are few distinct values."""
    if distinct is not None and len(distinct) * 8 < len(values):
        return all(type(v) is str for v in distinct)
    return not pd.isna(values).any()


def _texts(df: pd.DataFrame, col: str) -> set[str] | None:
    """The distinct values of a plain text column (no missing values), else None."""
    s = df[col]
    if not isinstance(s, pd.Series) or s.dtype != text_dtype():
        return None
    values = s.to_numpy()
    return None if pd.isna(values).any() else set(values)


@functools.cache
def _checked_columns(name: str) -> frozenset[str]:
    """The columns of a table that some rule looks at (beyond being text)."""
    t = TABLES[name]
    ranges = [col for pair in t.ranges for col in pair]
    rules = [t.key, t.required, t.slugs, t.choices, t.dates, t.emails, t.amounts, t.urls]
    return frozenset(col for cols in [*rules, t.currencies, ranges] for col in cols)


_SURE_DATE = re.compile(r"(1[7-9]|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}")


def _all_dates(values: set[str]) -> bool:
    """:func:`_is_iso_date` (or blank) for every value.

    A date from 1700 to 2199 that Python's calendar accepts is certainly one; any
    other value is left to :func:`_is_iso_date` itself.
    """
    doubtful = []
    for v in values:
        if _SURE_DATE.fullmatch(v):
            try:
                dt.date.fromisoformat(v)
                continue
            except ValueError:
                pass
        doubtful.append(v)
    return not doubtful or bool(_optional(_is_iso_date)(pd.Series(doubtful, dtype="str")).all())


def _all_slugs(values: set[str]) -> bool:
    """Every value matches :data:`SLUG` (checked on the values joined by newlines)."""
    joined = "\n".join(values)
    if joined.count("\n") != len(values) - 1 or joined.translate(_NOT_SLUG):
        return False  # a value holds a newline, or a character a slug never has
    if joined[:1] in ("-", "\n", "") or joined[-1:] in ("-", "\n"):
        return False
    # Only [a-z0-9-] and newlines are left: no two dashes or newlines may touch.
    data = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    separator = (data == ord("-")) | (data == ord("\n"))
    return not (separator[1:] & separator[:-1]).any()


@functools.cache
def _joined(pattern: str) -> re.Pattern:
    return re.compile(rf"(?:{pattern}\n)*+{pattern}")


def _all_match(values: set[str], pattern: str) -> bool:
    """:func:`_matches` holds for every value (blank ones pass).

    First one scan of the values joined by newlines (none of the patterns matches a
    newline, so with no newline inside a value the pieces are the values); value by
    value when that fails, since blank values pass.
    """
    joined = "\n".join(values)
    if joined.count("\n") == len(values) - 1 and _joined(pattern).fullmatch(joined):
        return True
    fullmatch = re.compile(pattern).fullmatch
    return all(fullmatch(v) is not None or not v.strip() for v in values)


def _passes(table: Table, df: pd.DataFrame) -> bool:
    """True when ``df`` certainly has no problem with its table's own rules."""
    present = [col for col in table.columns if col in df.columns]
    arrays = _columns(df, present)
    if arrays is None:
        return False
    checked = _checked_columns(table.name)
    distinct = {col: set(arrays[col]) for col in present if col in checked}
    if not all(_no_missing(arrays[col], distinct.get(col)) for col in present):
        return False
    nonblank = set()  # columns of slugs only: never blank
    for col in table.slugs:
        if col in distinct:
            if _all_slugs(distinct[col]):
                nonblank.add(col)
            elif not _all_match(distinct[col], SLUG):
                return False
    for col in table.required:
        if col in distinct and col not in nonblank and not all(map(str.strip, distinct[col])):
            return False
    for col, allowed in table.choices.items():
        values = distinct.get(col, set())
        if not values <= set(allowed) and not all(v in allowed or not v.strip() for v in values):
            return False
    for col in table.dates:
        if distinct.get(col) and not _all_dates(distinct[col] - {""}):
            return False
    for cols, pattern in _shaped(table):
        for col in cols:
            if distinct.get(col) and not _all_match(distinct[col] - {""}, pattern):
                return False
    if len(table.key) == 1 and table.key[0] in distinct:
        if len(distinct[table.key[0]]) != len(df):
            return False
    elif len(table.key) > 1 and set(table.key) <= set(distinct):
        keys = set(zip(*(arrays[c] for c in table.key), strict=True))
        if len(keys) != len(df):
            return False
    for low, high in table.ranges:
        if low in distinct and high in distinct:
            pairs = set(zip(arrays[low], arrays[high], strict=True))
            if not _ordered(table, low, high, pairs):
                return False
    return True


def _ordered(table: Table, low: str, high: str, pairs: set[tuple[str, str]]) -> bool:
    """No pair of amounts has low > high (what :func:`_range_problems` checks).

    Whole numbers of up to 15 digits compare exactly whatever type pandas would give
    them; with any other amount, pandas compares every distinct pair once (the same
    distinct values give the same numbers).
    """
    amount = _amount_fullmatch()
    for lo, hi in pairs:
        if not (lo.isdigit() and hi.isdigit() and lo.isascii() and hi.isascii()):
            if not (amount(lo) and amount(hi)):
                continue  # not both amounts: nothing to compare
            break  # a decimal or a digit from another script: pandas decides
        if len(lo) > 15 or len(hi) > 15:
            break
        if int(lo) > int(hi):
            return False
    else:
        return True
    lo, hi = zip(*pairs, strict=True)
    pairs_df = pd.DataFrame({low: list(lo), high: list(hi)}, dtype="str")
    return not _range_problems(table, pairs_df, list(range(len(pairs_df))))


@functools.cache
def _amount_fullmatch():
    return re.compile(AMOUNT).fullmatch


def _composite_key_problems(table: Table, df: pd.DataFrame, rows: list[int]) -> list[Problem]:
    if len(table.key) < 2 or not set(table.key) <= set(df.columns):
        return []
    dupes = df.duplicated(list(table.key), keep=False)
    problems = []
    for key, group in df[dupes].groupby(list(table.key), sort=False):
        found = [rows[i] for i in group.index]
        for i in group.index:
            others = ", ".join(str(r) for r in found if r != rows[i])
            problems.append(
                Problem(
                    table.file,
                    rows[i],
                    table.key[-1],
                    f"{' + '.join(map(repr, key))} is listed more than once (also row {others})",
                )
            )
    return problems


def _range_problems(table: Table, df: pd.DataFrame, rows: list[int]) -> list[Problem]:
    problems = []
    for low, high in table.ranges:
        if low not in df.columns or high not in df.columns:
            continue
        lo = pd.to_numeric(df[low].where(df[low].str.fullmatch(AMOUNT)), errors="coerce")
        hi = pd.to_numeric(df[high].where(df[high].str.fullmatch(AMOUNT)), errors="coerce")
        for i in df.index[(lo > hi).fillna(False)]:
            problems.append(
                Problem(
                    table.file,
                    rows[i],
                    high,
                    f"{df.at[i, high]} is less than {low} {df.at[i, low]}",
                )
            )
    return problems


def validate_references(
    name: str,
    df: pd.DataFrame,
    targets: Mapping[str, pd.DataFrame],
    rows: Sequence[int] | None = None,
    known_values: dict[tuple[int, str], frozenset] | None = None,
) -> list[Problem]:
    """Every value of ``name`` that points at a record missing from its target table.

    Args:
        targets: the other tables by name (only those ``name`` refers to are used; a
            table left out, because it could not be read, is not checked against).
        known_values: a memo of each target column's values, shared by calls that
            check several tables against the same ``targets``.
    """
    table = TABLES[name]
    rows = list(rows) if rows is not None else list(range(2, len(df) + 2))
    known_values = {} if known_values is None else known_values
    checks = {}
    for col, (target, target_col) in table.references.items():
        if col not in df.columns:
            continue
        if target not in targets:
            continue  # unreadable: its own problems are reported instead
        other = targets[target]
        memo = (id(other), target_col)
        if memo not in known_values:
            known_values[memo] = (other, _values_of(other, target_col))
        checks[col] = (target, target_col, known_values[memo][1])
    if not checks or df.empty:
        return []
    if all(_refers(df, col, known) for col, (_, _, known) in checks.items()):
        return []
    return _reference_problems(table, df, checks, rows)


def _reference_problems(
    table: Table, df: pd.DataFrame, checks: dict, rows: list[int]
) -> list[Problem]:
    """Each value of a checked column missing from its target (``checks``: column →
    (target table, target column, the target's values)), sorted as the file is."""
    import pandera.pandas as pa

    columns = {
        col: pa.Column(
            str,
            pa.Check(
                _optional(lambda s, k=known: s.isin(k)),
                error=f"is not in {TABLES[target].file} (column {target_col})",
            ),
            required=False,
        )
        for col, (target, target_col, known) in checks.items()
    }
    positional = df.reset_index(drop=True)
    try:
        pa.DataFrameSchema(columns, strict=False).validate(positional, lazy=True)
        return []
    except pa.errors.SchemaErrors as err:
        problems = [
            Problem(
                table.file,
                rows[int(case.index)],
                case.column,
                f"{positional.at[int(case.index), case.column]!r} {case.check}",
            )
            for case in err.failure_cases.itertuples(index=False)
        ]
        return sorted(problems, key=_order(table))


def _values_of(other: pd.DataFrame, col: str) -> frozenset:
    """The values of a target column, as ``set(other[col])`` (faster for text)."""
    if col not in other:
        return frozenset()
    s = other[col]
    if isinstance(s, pd.Series) and s.dtype == text_dtype() and not s.isna().any():
        return frozenset(s.to_numpy())
    return frozenset(set(s))


def _refers(df: pd.DataFrame, col: str, known: frozenset) -> bool:
    """True when every value of a text column is blank or one of ``known``."""
    values = _texts(df, col)
    return values is not None and all(not v.strip() for v in values - known)


def _given_text(value: str) -> bool:
    return bool(str(value).strip())


def _order(table: Table):
    position = {col: i for i, col in enumerate(table.columns)}

    def key(p: Problem):
        return (p.row or 0, position.get(p.column or "", len(position)), p.message)

    return key
