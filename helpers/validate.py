"""Validation of workspace tables with pandera, reported as :class:`Problem` lists.

Every rule of the contract (``helpers.schema``) becomes a pandera check; a lazy
validation collects every failure, and each failure becomes a :class:`Problem` that
names the file, the spreadsheet row and the column.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Annotated

import pandas as pd
from pydantic import AfterValidator

from helpers.errors import Problem
from helpers.schema import TABLES, Table

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
EMAIL = (
    r"[^@\s<>(),;:\"\[\]\\]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+"
)
AMOUNT = r"\d+(?:\.\d+)?"
URL = r"https?://[^\s\"<>]+"
CURRENCY = r"[A-Z]{3}"


def email_address(value: str) -> str:
    """``value`` if it is empty or an email address; otherwise a ValueError saying so."""
    if value and not re.fullmatch(EMAIL, value):
        raise ValueError(f"{value!r} is not an email address")
    return value


EmailText = Annotated[str, AfterValidator(email_address)]
"""A form or profile field holding an email address, or nothing."""


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


@functools.cache
def table_schema(name: str):
    """The pandera schema of one table's own rules (not its references)."""
    import pandera.pandas as pa

    table = TABLES[name]
    checks: dict[str, list] = {col: [] for col in table.columns}
    for col in table.required:
        checks[col].append(pa.Check(_given, error="is empty; a value is required"))
    for col in table.slugs:
        checks[col].append(
            pa.Check(
                _matches(SLUG),
                error="is not an identifier: use lowercase letters, digits and dashes",
            )
        )
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
    for col in table.emails:
        checks[col].append(pa.Check(_matches(EMAIL), error="is not an email address"))
    for col in table.amounts:
        checks[col].append(
            pa.Check(
                _matches(AMOUNT),
                error="is not a plain number (digits only, e.g. 85000, no separators)",
            )
        )
    for col in table.urls:
        checks[col].append(
            pa.Check(_matches(URL), error="is not a web address starting with https://")
        )
    for col in table.currencies:
        checks[col].append(
            pa.Check(_matches(CURRENCY), error="is not a three-letter currency code (USD)")
        )
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
) -> list[Problem]:
    """Every value of ``name`` that points at a record missing from its target table.

    Args:
        targets: the other tables by name (only those ``name`` refers to are used; a
            table left out, because it could not be read, is not checked against).
    """
    import pandera.pandas as pa

    table = TABLES[name]
    rows = list(rows) if rows is not None else list(range(2, len(df) + 2))
    columns = {}
    for col, (target, target_col) in table.references.items():
        if col not in df.columns:
            continue
        if target not in targets:
            continue  # unreadable: its own problems are reported instead
        other = targets[target]
        known = set(other[target_col]) if target_col in other else set()
        columns[col] = pa.Column(
            str,
            pa.Check(
                _optional(lambda s, k=frozenset(known): s.isin(k)),
                error=f"is not in {TABLES[target].file} (column {target_col})",
            ),
            required=False,
        )
    if not columns or df.empty:
        return []
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


def _given_text(value: str) -> bool:
    return bool(str(value).strip())


def _order(table: Table):
    position = {col: i for i, col in enumerate(table.columns)}

    def key(p: Problem):
        return (p.row or 0, position.get(p.column or "", len(position)), p.message)

    return key
