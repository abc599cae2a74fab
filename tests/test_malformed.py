"""A corpus of malformed files (tests/malformed/<case>.<table>.csv).

Each file replaces one table of a copy of the example. Every expected problem must be
reported with the file, the spreadsheet row and the column, and the file on disk must
be byte-for-byte unchanged after loading it and after a refused save.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from helpers import WorkspaceError
from helpers.batch import EXAMPLE_DIR
from helpers.schema import TABLES
from tests.conftest import TESTS_DIR

CORPUS = TESTS_DIR / "malformed"

# case → every (row, column, words in the message) the workbook must report.
EXPECTED: dict[str, list[tuple[int | None, str | None, str]]] = {
    "missing_required_column": [(1, "stage", "missing from the header")],
    "bad_date": [(2, "applied_on", "YYYY-MM-DD"), (3, "applied_on", "YYYY-MM-DD")],
    "unknown_stage": [(2, "stage", "not one of: saved, applied")],
    "duplicate_id": [(2, "application_id", "also row 4"), (4, "application_id", "also row 2")],
    "dangling_reference": [(2, "application_id", "not in applications.csv")],
    # The one who gave the decision date is a contact (priya-natarajan is one).
    "dangling_decision_giver": [(3, "decision_given_by", "not in contacts.csv")],
    "wrong_encoding": [(2, "name", "not UTF-8")],
    "ragged_row_extra_cells": [(2, None, "16 cells but the header has 15")],
    "ragged_row_short": [(2, "stage", "ends before column 'stage'")],
    "bad_email_and_relationship": [
        (2, "email", "not an email address"),
        (3, "email", "not an email address"),
        (3, "relationship", "not one of"),
    ],
    "required_field_empty": [
        (2, "application_id", "is empty; a value is required"),
        (2, "role", "is empty; a value is required"),
        (3, "company", "is empty; a value is required"),
        (3, "stage", "is empty; a value is required"),
    ],
    "broken_quoting": [(2, None, "quoting")],
    "not_a_slug": [(2, "application_id", "not an identifier"), (3, "application_id", "")],
    "bad_salary": [
        (2, "salary_max", "less than salary_min"),
        (3, "salary_min", "plain number"),
        (3, "currency", "currency code"),
    ],
    "duplicate_pair": [(2, "contact_id", "more than once"), (3, "contact_id", "also row 2")],
    "duplicate_header": [(1, "company", "appears twice")],
    "unsafe_url": [(2, "job_url", "https://")],
    "unknown_format": [(2, "format", "phone, video, onsite")],
    "dangling_contact_and_bad_date": [
        (2, "contact_id", "not in contacts.csv"),
        (2, "sent_on", "YYYY-MM-DD"),
    ],
}


def cases():
    files = sorted(CORPUS.glob("*.csv"))
    assert len(files) >= 10
    return [pytest.param(f, id=f.name.split(".")[0]) for f in files]


def test_every_corpus_file_has_expectations():
    assert {f.name.split(".")[0] for f in CORPUS.glob("*.csv")} == set(EXPECTED)


def targets(table: str, found: set[str] | None = None) -> set[str]:
    """The tables ``table`` refers to, directly or through them (references may loop:
    an application's decision giver is one of its contacts)."""
    found = set() if found is None else found
    for target, _ in TABLES[table].references.values():
        if target not in found:
            found.add(target)
            targets(target, found)
    return found


@pytest.mark.parametrize("source", cases())
def test_malformed_file_is_reported_with_file_row_and_column(empty_ws, source):
    case, table, _ = source.name.split(".")
    # The tables this one points at, from the example, so references can be checked.
    # Their columns pointing back at this table are emptied: they name the example's
    # records (an application's decision giver is one of the example's contacts).
    for name in targets(table) - {table}:
        copied = pd.read_csv(EXAMPLE_DIR / TABLES[name].file, dtype=str, keep_default_na=False)
        for col, (target, _) in TABLES[name].references.items():
            if target == table:
                copied[col] = ""
        copied.to_csv(empty_ws.file(name), index=False)
    ws = empty_ws
    path = ws.file(table)
    shutil.copyfile(source, path)
    before = path.read_bytes()

    problems = ws.check()
    found = [p for p in problems if p.file == path.name]
    for row, column, words in EXPECTED[case]:
        assert any(p.row == row and p.column == column and words in p.message for p in found), (
            f"expected {path.name} row {row} column {column!r} '{words}' in:\n"
            + "\n".join(map(str, found))
        )
    for p in found:
        assert str(p).startswith(f"{path.name}, row ")
    # Only the broken file is blamed, and only for what is wrong with it.
    assert {p.file for p in problems} == {path.name}
    assert len(found) == len(EXPECTED[case])

    with pytest.raises(WorkspaceError) as err:
        ws.load_all()
    assert path.name in str(err.value)

    # A save that touches the broken table is refused and leaves it as it was.
    with pytest.raises(WorkspaceError), ws.transaction() as tx:
        tx.save(table, tx.load(table))
    assert path.read_bytes() == before
