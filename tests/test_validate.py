"""The contract as checks: every problem by file, row and column, and no false alarm."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import csvio, validate
from helpers.batch import EXAMPLE_DIR
from helpers.schema import TABLES


def _example(tmp_path, name: str) -> tuple[pd.DataFrame, list[int]]:
    """A table of the example workspace, read from a copy on disk."""
    path = tmp_path / f"{name}.csv"
    path.write_bytes((EXAMPLE_DIR / f"{name}.csv").read_bytes())
    return csvio.read_table(path)


def _found(problems) -> list[tuple]:
    return [(p.file, p.row, p.column) for p in problems]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_example_workspace_has_no_problem(tmp_path, name):
    if not (EXAMPLE_DIR / f"{name}.csv").is_file():
        pytest.skip(f"the example has no {name}.csv")
    df, rows = _example(tmp_path, name)
    assert validate.validate_table(name, df, rows) == []
    targets = {t: _example(tmp_path, t)[0] for t in TABLES if (EXAMPLE_DIR / f"{t}.csv").is_file()}
    assert validate.validate_references(name, df, targets, rows) == []


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("application_id", "Not A Slug", "is not an identifier"),
        ("company", "  ", "this cell is empty; a value is required"),
        ("stage", "dreaming", "is not one of: "),
        ("applied_on", "2026-02-30", "is not a date in the form YYYY-MM-DD"),
        ("salary_min", "85,000", "is not a plain number"),
        ("job_url", "javascript:alert(1)", "is not a web address starting with https://"),
        ("currency", "usd", "is not a three-letter currency code (USD)"),
        ("salary_max", "1", "1 is less than salary_min 85000"),
    ],
)
def test_each_rule_names_the_row_and_column_of_the_bad_cell(tmp_path, column, value, words):
    df, rows = _example(tmp_path, "applications")
    df.loc[0, column] = value
    problems = validate.validate_table("applications", df, rows)
    assert _found(problems) == [("applications.csv", 2, column)]
    assert words in problems[0].message
    if value.strip() and column != "salary_max":
        assert problems[0].message.startswith(repr(value))


def test_the_row_numbers_are_the_files_not_the_positions():
    df = pd.DataFrame(
        {"application_id": ["a", "b"], "company": ["A", "B"], "role": ["r", "r"]},
        dtype="str",
    ).assign(stage=["applied", "hired?"])
    problems = validate.validate_table("applications", df, rows=[7, 12])
    assert _found(problems) == [("applications.csv", 12, "stage")]
    assert _found(validate.validate_table("applications", df)) == [("applications.csv", 3, "stage")]


def test_a_duplicated_key_names_every_row_that_holds_it(tmp_path):
    df, rows = _example(tmp_path, "applications")
    df.loc[2, "application_id"] = df.loc[0, "application_id"]
    problems = validate.validate_table("applications", df, rows)
    assert _found(problems) == [
        ("applications.csv", 2, "application_id"),
        ("applications.csv", 4, "application_id"),
    ]
    assert "is used more than once (also row 4); each must be unique" in problems[0].message


def test_a_pair_listed_twice_is_one_problem_a_row(tmp_path):
    df, rows = _example(tmp_path, "interview_contacts")
    df = pd.concat([df, df.iloc[[0]]], ignore_index=True)
    rows = [*rows, rows[-1] + 1]
    problems = validate.validate_table("interview_contacts", df, rows)
    assert _found(problems) == [
        ("interview_contacts.csv", 2, "contact_id"),
        ("interview_contacts.csv", rows[-1], "contact_id"),
    ]
    assert f"is listed more than once (also row {rows[-1]})" in problems[0].message


def test_every_problem_is_reported_in_file_order(tmp_path):
    df, rows = _example(tmp_path, "applications")
    df.loc[1, "currency"] = "dollars"
    df.loc[0, "stage"] = "maybe"
    df.loc[0, "applied_on"] = "yesterday"
    found = _found(validate.validate_table("applications", df, rows))
    assert found == [
        ("applications.csv", 2, "applied_on"),
        ("applications.csv", 2, "stage"),
        ("applications.csv", 3, "currency"),
    ]


def test_a_reference_to_a_missing_record_names_the_target(tmp_path):
    contacts, rows = _example(tmp_path, "contacts")
    apps, _ = _example(tmp_path, "applications")
    contacts.loc[1, "application_id"] = "gone-company-analyst"
    contacts.loc[2, "application_id"] = ""  # empty is allowed
    problems = validate.validate_references("contacts", contacts, {"applications": apps}, rows)
    assert _found(problems) == [("contacts.csv", 3, "application_id")]
    assert problems[0].message == (
        "'gone-company-analyst' is not in applications.csv (column application_id)"
    )
    # A target that could not be read is not checked against (its own problems are).
    assert validate.validate_references("contacts", contacts, {}, rows) == []


def test_the_values_of_a_target_are_remembered_across_tables(tmp_path):
    apps, _ = _example(tmp_path, "applications")
    memo: dict = {}
    for name in ("contacts", "interviews", "research"):
        df, rows = _example(tmp_path, name)
        assert validate.validate_references(name, df, {"applications": apps}, rows, memo) == []
    assert list(memo) == [(id(apps), "application_id")]
    assert memo[(id(apps), "application_id")][1] == frozenset(apps["application_id"])


@pytest.mark.parametrize(
    ("value", "ok"),
    [("", True), ("lee@example.com", True), ("lee@", False), ("a@b.c\nBcc: x@y.z", False)],
)
def test_an_email_address_field(value, ok):
    if ok:
        assert validate.email_address(value) == value
    else:
        with pytest.raises(ValueError):
            validate.email_address(value)


def test_an_email_text_field_in_a_model():
    from pydantic import BaseModel, ValidationError

    class Person(BaseModel):
        email: validate.EmailText = ""

    assert Person(email="lee@example.com").email == "lee@example.com"
    with pytest.raises(ValidationError):
        Person(email="not an address")
    with pytest.raises(AttributeError):
        validate.NoSuchName  # noqa: B018
