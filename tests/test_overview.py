"""What 00_start_here shows: tables and their state, stages, problems, profile, holidays."""

from __future__ import annotations

import datetime as dt

from helpers import csvio, overview
from helpers.errors import Problem
from helpers.paths import REPO_ROOT
from helpers.profile import Profile
from helpers.schema import STAGES, TABLES


def test_an_empty_workspace_is_empty_until_a_table_is_written(empty_ws):
    assert overview.is_empty(empty_ws)
    counts = overview.table_counts(empty_ws)
    assert list(counts["table"]) == list(TABLES)
    assert set(counts["state"]) == {"not created yet"} and set(counts["records"]) == {0}
    empty_ws.append(
        "applications", [{"application_id": "a-b", "company": "A", "role": "B", "stage": "saved"}]
    )
    assert not overview.is_empty(empty_ws)


def test_the_example_tables_are_counted_from_their_files(example_ws):
    counts = overview.table_counts(example_ws).set_index("table")
    for name in TABLES:
        path = example_ws.root / TABLES[name].file
        assert counts.at[name, "file"] == f"{name}.csv"
        if path.exists():
            assert counts.at[name, "state"] == "ok"
            assert counts.at[name, "records"] == len(csvio.read_table(path)[0])
    assert counts.at["applications", "records"] == 13  # one note spans two lines


def test_an_unreadable_table_is_marked_and_stages_still_show(example_ws):
    (example_ws.root / "contacts.csv").write_bytes(b"contact_id,name\nx,\xff\n")
    counts = overview.table_counts(example_ws).set_index("table")
    assert counts.at["contacts", "state"] == "unreadable"
    assert counts.at["contacts", "records"] == 0
    stages = overview.stage_counts(example_ws)
    assert list(stages["stage"]) == list(STAGES)
    assert dict(zip(stages["stage"], stages["applications"], strict=True))["interviewing"] == 3


def test_stages_of_an_unreadable_applications_file_are_an_empty_table(example_ws):
    (example_ws.root / "applications.csv").write_bytes(b"application_id,stage\na,b,c\n")
    stages = overview.stage_counts(example_ws)
    assert stages.empty and list(stages.columns) == ["stage", "applications"]


def test_problems_read_as_a_table():
    table = overview.problems_table(
        [
            Problem("applications.csv", 4, "stage", "'maybe' is not one of: …"),
            Problem("profile.yml", None, None, "is not YAML"),
        ]
    )
    assert table.values.tolist() == [
        ["applications.csv", "4", "stage", "'maybe' is not one of: …"],
        ["profile.yml", "", "", "is not YAML"],
    ]
    assert list(overview.problems_table([]).columns) == ["file", "row", "column", "problem"]


def test_the_profile_and_its_problems(example_ws, empty_ws):
    profile, problems = overview.profile_summary(example_ws)
    assert profile is not None and profile.name == "Jordan Rivera" and problems == []
    assert overview.profile_line(profile) == (
        "**Jordan Rivera** · weekly goal: 8 applications · holidays: US\\-IL"
    )
    (empty_ws.root / "profile.yml").write_text("weekly_goal: lots\n", encoding="utf-8")
    profile, problems = overview.profile_summary(empty_ws)
    assert profile is None and problems and problems[0].file == "profile.yml"
    assert overview.profile_line(Profile()).startswith("**(no name yet)**")


def test_upcoming_holidays_are_those_the_rules_skip():
    found = overview.upcoming_holidays(Profile(country="US"), dt.date(2026, 11, 20), days=40)
    assert found.values.tolist() == [
        ["2026-11-26", "Thursday", "Thanksgiving Day"],
        ["2026-12-25", "Friday", "Christmas Day"],
    ]
    assert overview.upcoming_holidays(Profile(country="US"), dt.date(2026, 12, 26), 3).empty


def test_the_guide_links_every_notebook_that_exists():
    guide = overview.notebook_guide().splitlines()
    assert guide[:2] == ["| when | open | what you get |", "| --- | --- | --- |"]
    assert len(guide) == 2 + len(overview.NOTEBOOKS)
    for stem, _, _ in overview.NOTEBOOKS:
        assert (REPO_ROOT / "notebooks" / f"{stem}.ipynb").is_file()
        assert f"[{stem}.ipynb]({stem}.ipynb)" in "\n".join(guide)
