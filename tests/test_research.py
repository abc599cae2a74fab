"""Research: research rows, the target, the research note (the splitter: test_jobdescription)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import mistune
import pytest

from helpers import WorkspaceError, pay, pay_view, research, research_note, research_records
from helpers.errors import FieldErrors
from helpers.jobdescription import Item
from helpers.research import ChecklistEdit
from tests.conftest import TESTS_DIR, tree_digest

TODAY = dt.date(2026, 11, 25)
POSTINGS = TESTS_DIR / "job_descriptions"
NORTHWIND = "northwind-analytics-data-analyst"
NORTHWIND_URL = "https://jobs.northwind.example/openings/data-analyst-4821"

D, R, N = "duty", "requirement", "nice"

# -- importing a job description ---------------------------------------------------


def duties(ws, app=NORTHWIND):
    df = ws.load("research")
    return df[(df["application_id"] == app) & (df["topic"] == "duty")]


def test_importing_a_job_description_adds_only_new_items(example_ws):
    text = (POSTINGS / "bulleted.txt").read_text(encoding="utf-8")
    done = research.import_job_description(example_ws, NORTHWIND, text, TODAY)
    # The example already has the first four duties of this posting.
    assert len(done.already) == 4
    assert [i.kind for i in done.added] == [D, R, R, R, R, N, N]
    assert done.summary() == (
        f"Added 1 duty, 4 requirements, 2 nice-to-haves to the checklist of {NORTHWIND} "
        "(4 already there)."
    )
    rows = duties(example_ws)
    assert len(rows) == 11
    new = rows.iloc[4:]
    assert list(new["note"][:2]) == [
        "Present a monthly fleet-health review to the leadership team",
        "Requirement: 2+ years of experience in a data or analytics role",
    ]
    assert set(new["source"]) == {NORTHWIND_URL}
    assert set(new["added_on"]) == {"2026-11-25"}
    assert done.file == example_ws.root / "notes" / f"{NORTHWIND}-job-description.txt"

    after = tree_digest(example_ws.root)
    again = research.import_job_description(example_ws, NORTHWIND, text, TODAY)
    assert again.unchanged and "already added" in again.summary()
    assert tree_digest(example_ws.root) == after


def test_a_removed_item_stays_removed_when_the_same_text_comes_again(example_ws):
    text = "Requirements\n- SQL\n- Python\n"
    research.import_job_description(example_ws, NORTHWIND, text, TODAY, source="recruiter")
    [sql] = [e for e in duties(example_ws)["note"] if e == "Requirement: SQL"]
    research.save_checklist(
        example_ws, NORTHWIND, [ChecklistEdit(sql, R, "SQL", False, True)], TODAY
    )
    research.import_job_description(example_ws, NORTHWIND, text, TODAY)
    assert "Requirement: SQL" not in set(duties(example_ws)["note"])
    # A changed posting adds what is new in it.
    done = research.import_job_description(example_ws, NORTHWIND, text + "- dbt\n", TODAY)
    assert [i.text for i in done.added] == ["SQL", "dbt"]


def test_importing_needs_text_and_an_application(example_ws, empty_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(FieldErrors) as err:
        research.import_job_description(example_ws, NORTHWIND, "  ", TODAY)
    assert "job_description" in err.value.errors
    with pytest.raises(WorkspaceError, match="no application 'nope'"):
        research.import_job_description(example_ws, "nope", "Build it.", TODAY)
    assert tree_digest(example_ws.root) == before
    with pytest.raises(WorkspaceError):
        research.import_job_description(empty_ws, "acme", "Build it.", TODAY)
    assert list(empty_ws.root.iterdir()) == []


# -- the checklist -------------------------------------------------------------------


def test_ticking_editing_removing_and_adding(example_ws):
    items = research_records.checklist(example_ws.load("research"), NORTHWIND)
    assert list(items["kind"]) == [D] * 4 and set(items["prepared_on"]) == {""}
    first, second, third, fourth = items["note"]
    edits = [
        ChecklistEdit(first, D, items["text"][0], prepared=True),
        ChecklistEdit(second, D, "Write dbt models", prepared=False),
        ChecklistEdit(third, D, "x", prepared=False, remove=True),
        ChecklistEdit(fourth, R, "Two-day turnaround on ad-hoc questions", prepared=False),
        ChecklistEdit("", N, "Looker certification", prepared=True),
    ]
    message = research.save_checklist(example_ws, NORTHWIND, edits, TODAY)
    assert message == "Saved the checklist: 2 edited, 1 removed, 1 added, 1 ticked."
    research_df = example_ws.load("research")
    assert research_records.PREPARED in research_df.columns
    items = research_records.checklist(research_df, NORTHWIND)
    assert list(zip(items["kind"], items["text"], items["prepared_on"], strict=True)) == [
        (
            D,
            "Build and maintain Looker dashboards for fleet operations and customer success",
            "2026-11-25",
        ),
        (D, "Write dbt models", ""),
        (R, "Two-day turnaround on ad-hoc questions", ""),
        (N, "Looker certification", "2026-11-25"),
    ]
    # Other applications' rows are untouched; their prepared_on is simply empty.
    others = research_df[research_df["application_id"] != NORTHWIND]
    assert set(others[research_records.PREPARED]) == {""}

    # A later save keeps the first tick's date, and an untick clears it.
    later = dt.date(2026, 11, 27)
    notes = list(items["note"])
    research.save_checklist(
        example_ws,
        NORTHWIND,
        [
            ChecklistEdit(notes[0], D, items["text"][0], prepared=True),
            ChecklistEdit(notes[3], N, "Looker certification", prepared=False),
        ],
        later,
    )
    items = research_records.checklist(example_ws.load("research"), NORTHWIND)
    assert list(items["prepared_on"]) == ["2026-11-25", "", "", ""]
    assert research.save_checklist(example_ws, NORTHWIND, [], later) == "Nothing changed."


def test_a_checklist_changed_elsewhere_is_not_overwritten(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError, match="changed or removed elsewhere"):
        research.save_checklist(
            example_ws,
            NORTHWIND,
            [
                ChecklistEdit("", D, "New one", prepared=False),
                ChecklistEdit("A duty that is gone", D, "x", prepared=True),
            ],
            TODAY,
        )
    with pytest.raises(FieldErrors) as err:
        research.save_checklist(example_ws, NORTHWIND, [ChecklistEdit("", D, " ", False)], TODAY)
    assert err.value.errors == {"item.0": "write the item, or remove it"}
    assert tree_digest(example_ws.root) == before


def test_questions_from_checklist_items():
    assert research.suggest_question(Item(D, "Build Looker dashboards.")) == (
        "What does “build Looker dashboards” look like day to day, and how is success measured?"
    )
    assert research.suggest_question(Item(D, "SQL reviews")).startswith("What does “SQL reviews”")
    assert research.suggest_question(Item(R, "3+ years of dbt")) == (
        "How much does “3+ years of dbt” matter in the first months, and where would I use "
        "it first?"
    )


# -- notes, team, target -------------------------------------------------------------


def test_notes_are_added_once(example_ws):
    assert research.add_note(
        example_ws, NORTHWIND, "company", "Opened a Denver office", TODAY, "news"
    )
    assert not research.add_note(
        example_ws, NORTHWIND, "company", " opened a denver office. ", TODAY
    )
    with pytest.raises(FieldErrors) as err:
        research.add_note(example_ws, NORTHWIND, "gossip", "", TODAY)
    assert set(err.value.errors) == {"topic", "note"}
    company = research_records.notes(example_ws.load_all(), NORTHWIND, "company")
    assert list(company.iloc[-1]) == ["Opened a Denver office", "news", "2026-11-25"]


def test_a_team_member_is_a_team_note_with_a_link(example_ws):
    link = "https://www.linkedin.example/in/sam-ortiz"
    research.add_team_member(
        example_ws, NORTHWIND, "Sam Ortiz", TODAY, "Analytics Engineer", "the GPS pipeline", link
    )
    team = research_records.notes(example_ws.load_all(), NORTHWIND, "team")
    assert list(team.iloc[-1]) == [
        "Sam Ortiz (Analytics Engineer): the GPS pipeline",
        link,
        "2026-11-25",
    ]
    with pytest.raises(FieldErrors) as err:
        research.add_team_member(example_ws, NORTHWIND, "", TODAY, link="javascript:alert(1)")
    assert set(err.value.errors) == {"name", "link"}


def test_the_target_is_one_research_row_per_application(example_ws):
    assert research_records.target(example_ws.load("research"), NORTHWIND) is None
    money = research.save_target(example_ws, NORTHWIND, "105k", TODAY)
    assert money == pay.Money(105000, "USD", "year")  # the application's currency
    research.save_target(example_ws, NORTHWIND, "52 USD/hour", TODAY)
    df = example_ws.load("research")
    rows = df[df["note"].str.startswith("Target pay:")]
    assert list(rows["note"]) == ["Target pay: 52 USD per hour"]
    assert list(rows[["topic", "source"]].iloc[0]) == ["other", "my target"]
    assert research_records.target(df, NORTHWIND) == pay.Money(52, "USD", "hour")
    before = tree_digest(example_ws.root)
    research.save_target(example_ws, NORTHWIND, "52 usd per hour", dt.date(2026, 12, 1))
    assert tree_digest(example_ws.root) == before
    with pytest.raises(FieldErrors, match="not an amount"):
        research.save_target(example_ws, NORTHWIND, "a lot", TODAY)
    # The driftwood application has no currency: the target must say it.
    with pytest.raises(FieldErrors, match="say which currency"):
        research.save_target(example_ws, "driftwood-foods-data-analyst", "90000", TODAY)


def test_a_hand_edited_target_that_cannot_be_read_is_reported(example_ws):
    research.add_note(example_ws, NORTHWIND, "other", "Target pay: about a hundred grand", TODAY)
    tables = example_ws.load_all()
    assert research_records.target(tables["research"], NORTHWIND) is None
    problem = research_records.target_problem(tables["research"], NORTHWIND)
    assert "is not a pay target the workbook can read" in problem
    assert pay_view.pay_view(tables, NORTHWIND).problems


def test_parameters_need_an_application(example_ws):
    with pytest.raises(ValueError, match="job_description is given but application_id is empty"):
        research.run_parameters(example_ws, TODAY, "", "Build it.")
    with pytest.raises(ValueError, match="target_salary is given"):
        research.run_parameters(example_ws, TODAY, "", "", "100k")
    with pytest.raises(ValueError, match="target_salary: 'x' is not an amount"):
        research.run_parameters(example_ws, TODAY, NORTHWIND, "", "x")
    assert research.run_parameters(example_ws, TODAY, NORTHWIND) == []


# -- what is shown -------------------------------------------------------------------


def test_focus_is_the_open_applications_with_research_furthest_along_first(example_ws, empty_ws):
    tables = example_ws.load_all()
    # Offer first, then interviewing (the latest stage change first), then applied.
    expected = [
        "harbor-bank-bi-developer",
        NORTHWIND,
        "bluebird-health-analytics-engineer",
        "tessera-retail-data-analyst",
    ]
    assert research.focus(tables) == research.Focus(expected, 4)
    assert research.focus(tables).message == ""
    few = research.focus(tables, limit=2)
    assert few.ids == expected[:2]
    assert few.message == (
        "Showing the 2 applications furthest along of the 4 open ones with research; "
        "set application_id to see another."
    )
    assert research.focus(tables, "quarry-labs-product-analyst").ids == [
        "quarry-labs-product-analyst"
    ]
    with pytest.raises(WorkspaceError):
        research.focus(tables, "nope")
    assert research.focus(empty_ws.load_all()).ids == []
    assert research.overview(empty_ws.load_all()).empty


def test_the_overview_lists_the_applications_in_play(example_ws):
    tables = example_ws.load_all()
    # Open with research, or in screening / interviewing / offer; closed ones never.
    assert list(research.overview(tables)["application"]) == [
        "Harbor Bank — BI Developer",
        "Northwind Analytics — Data Analyst",
        "Bluebird Health — Analytics Engineer",
        "Cobalt Logistics — Senior Data Analyst",
        "Lumen Energy — Data Scientist",
        "Tessera Retail — Data Analyst",
    ]
    assert research.overview_message(tables) == ""


def test_overview_counts_the_research(example_ws):
    research.save_target(example_ws, NORTHWIND, "105000", TODAY)
    row = research.overview(example_ws.load_all(), NORTHWIND).iloc[0]
    assert dict(row) == {
        "application": "Northwind Analytics — Data Analyst",
        "stage": "interviewing",
        "checklist": "0/4 prepared",
        "questions": "3",
        "team": "2",
        "company notes": "2",
        "similar positions": "7",
        "target": "105000 USD per year",
    }


# -- the research note -----------------------------------------------------------------


def test_notes_are_written_for_open_applications_with_research(example_ws):
    written = research_note.write_notes(example_ws)
    # In the order of applications.csv: the open ones with research or comparables.
    expected = [
        NORTHWIND,
        "bluebird-health-analytics-engineer",
        "harbor-bank-bi-developer",
        "tessera-retail-data-analyst",
    ]
    assert [n.application_id for n in written] == expected
    assert all(n.changed for n in written)
    assert {p.name for p in (example_ws.root / "notes").iterdir()} == {f"{a}.md" for a in expected}
    assert research_note.notes_summary(written) == (
        "4 research notes in notes/: 4 updated by this run, 0 already up to date."
    )
    after = tree_digest(example_ws.root)
    again = research_note.write_notes(example_ws)
    assert not any(n.changed for n in again)
    assert tree_digest(example_ws.root) == after
    assert list(research_note.notes_table(example_ws, again).iloc[0]) == [
        NORTHWIND,
        f"notes/{NORTHWIND}.md",
        "up to date",
    ]
    research.add_note(example_ws, NORTHWIND, "question", "Who owns the fleet mart?", TODAY)
    changed = [n.application_id for n in research_note.write_notes(example_ws) if n.changed]
    assert changed == [NORTHWIND]


def test_a_note_once_written_is_kept_up_to_date_after_the_application_closes(example_ws):
    research_note.write_notes(example_ws)
    apps = example_ws.load("applications")
    apps.loc[apps["application_id"] == NORTHWIND, "stage"] = "rejected"
    example_ws.save("applications", apps)
    [written] = [n for n in research_note.write_notes(example_ws) if n.changed]
    assert written.application_id == NORTHWIND
    assert "· stage: rejected ·" in written.path.read_text(encoding="utf-8")
    # A closed application that never had a note gets none, unless asked for.
    assert not (example_ws.root / "notes" / "kestrel-payments-data-analyst.md").exists()
    [asked] = research_note.write_notes(example_ws, "kestrel-payments-data-analyst")
    assert asked.changed and asked.path.is_file()


def test_the_note_holds_the_whole_research(example_ws):
    research.save_checklist(
        example_ws,
        NORTHWIND,
        [
            ChecklistEdit(
                research_records.checklist(example_ws.load("research"), NORTHWIND)["note"][0],
                D,
                "Build and maintain Looker dashboards for fleet operations and customer success",
                True,
            )
        ],
        TODAY,
    )
    research.import_job_description(
        example_ws, NORTHWIND, (POSTINGS / "bulleted.txt").read_text(encoding="utf-8"), TODAY
    )
    research.save_target(example_ws, NORTHWIND, "105000", TODAY)
    [written] = research_note.write_notes(example_ws, NORTHWIND)
    assert written.path == example_ws.root / "notes" / f"{NORTHWIND}.md"
    text = written.path.read_text(encoding="utf-8")
    for expected in (
        "# Data Analyst at Northwind Analytics\n",
        "· stage: interviewing · Chicago, IL · posted pay 85,000 – 100,000 USD a year",
        f"job posting: <{NORTHWIND_URL}>",
        "- [x] Build and maintain Looker dashboards for fleet operations and customer success "
        "*(prepared 2026-11-25)*",
        "- [ ] Partner with product managers to define and track feature-launch metrics",
        "- [ ] 2+ years of experience in a data or analytics role\n",
        "- [ ] Experience with dbt *(nice to have)*",
        "1. How do you decide which dashboards to retire during the Looker migration?",
        "| Priya Natarajan | Director of Analytics | hiring manager | Would be my manager. |",
        "Sits in Product, not Finance. — Leah Goldberg (referral) (2026-11-20)",
        "raised an $80M Series C in March 2026 and is expanding into Canada. — "
        "<https://northwind.example/press/series-c> (2026-11-20)",
        "hourly pay × 2080 (40 hours × 52 weeks), monthly pay × 12",
        "Your target: **105000 USD per year**.",
        "| Fleetwise | Data Analyst (contract) | Chicago, IL | 48–62 USD per hour | "
        "99,840–128,960 | USD | <https://jobs.fleetwise.example/contract/data-analyst> | "
        "2026-11-20 |",
        "| USD | 7 | 78,000 | 92,400 | 97,500 | 108,950 | 128,960 |",
        "### What to ask for: 97,500 – 109,000 USD a year",
        "- Your target, 105,000 USD a year, is in the third quarter (above the median).",
    ):
        assert expected in text, expected
    assert "Target pay:" not in text  # the target row is shown as the target, not a note


def test_a_note_never_carries_markup_from_what_was_typed(example_ws):
    evil = "<script>alert(1)</script> [click](javascript:alert(1)) | pipe\n# heading"
    research.add_note(example_ws, NORTHWIND, "company", evil, TODAY, source="javascript:alert(1)")
    research.add_team_member(example_ws, NORTHWIND, "**Bold** _name_", TODAY, works_on="`code`")
    [written] = research_note.write_notes(example_ws, NORTHWIND)
    text = written.path.read_text(encoding="utf-8")
    rendered = mistune.html(text)  # as a Markdown viewer (or a coach's report) shows it
    assert "<script" not in rendered and "javascript:" not in " ".join(
        re.findall(r'href="([^"]*)"', rendered)
    )
    assert (
        "<li>&lt;script&gt;alert(1)&lt;/script&gt; [click](javascript:alert(1)) | pipe" in rendered
    )
    assert (
        r"- \<script\>alert(1)\</script\> \[click\](javascript:alert(1)) \| pipe # heading — "
        "javascript:alert(1) (2026-11-25)"
    ) in text
    assert r"- \*\*Bold\*\* \_name\_: \`code\`" in text


def test_the_note_template_can_be_overridden_by_the_workspace(example_ws):
    templates = example_ws.root / "templates"
    templates.mkdir()
    (templates / "research_note.md.j2").write_text(
        "Custom note for {{ app.company | md }}: {{ checklist | length }} items\n", encoding="utf-8"
    )
    [written] = research_note.write_notes(example_ws, NORTHWIND)
    assert (
        written.path.read_text(encoding="utf-8") == "Custom note for Northwind Analytics: 4 items\n"
    )
    (templates / "research_note.md.j2").write_text("{% for %}", encoding="utf-8")
    with pytest.raises(WorkspaceError, match=r"templates/research_note\.md\.j2"):
        research_note.write_notes(example_ws, NORTHWIND)


def test_an_empty_workspace_has_no_notes(empty_ws):
    assert research_note.write_notes(empty_ws) == []
    assert list(empty_ws.root.iterdir()) == []


def test_note_paths_stay_inside_the_workspace(empty_ws):
    empty_ws.append(
        "applications",
        [
            {
                "application_id": "acme-analyst",
                "company": "../../etc",
                "role": "/root",
                "stage": "saved",
            }
        ],
    )
    assert research_note.write_notes(empty_ws) == []  # no research yet: no note
    [written] = research_note.write_notes(empty_ws, "acme-analyst")
    assert written.path.parent == empty_ws.root / "notes"
    assert Path(written.path).name == "acme-analyst.md"
