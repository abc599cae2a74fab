"""The coach report's parts: pay sections left out, the pipeline table, each section's
empty state, drafts whose file is gone, notes in Markdown (see also test_share)."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from helpers import report
from helpers.drafts import Draft, save_drafts
from helpers.profile import load_profile
from helpers.redact import Options

TODAY = dt.date(2026, 11, 25)
NOTE = """# Data Analyst at Northwind

## Duties

- Dashboards

## Pay

Similar pay: 98000 USD.

### Similar positions

| company | per year |
| --- | --- |
| Acme | 95000 |

## The team

- Priya
"""


def _sections(page: str) -> dict[str, str]:
    """Each ``<h2>`` section of the page: its HTML up to the next one."""
    parts = re.split(r"<h2>(.*?)</h2>", page)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_pay_sections_are_left_out_with_everything_under_them():
    kept = report.without_pay_sections(NOTE)
    assert "98000" not in kept and "Similar positions" not in kept and "Acme" not in kept
    assert kept.splitlines()[:5] == [
        "# Data Analyst at Northwind",
        "",
        "## Duties",
        "",
        "- Dashboards",
    ]
    assert kept.endswith("## The team\n\n- Priya")
    assert report.without_pay_sections("# Salary notes\nx\n# Next\ny") == "# Next\ny"


@pytest.mark.parametrize(
    ("low", "high", "currency", "locale", "shown"),
    [
        ("85000", "100000", "USD", "en_US", "$85,000–$100,000"),
        ("", "90000", "EUR", "en_US", "up to €90,000"),
        ("85000", "", "GBP", "en_GB", "£85,000"),
        ("85000", "100000", "EUR", "de_DE", "85.000\u00a0€–100.000\u00a0€"),
        ("", "", "USD", "en_US", ""),
    ],
)
def test_a_pay_range_as_the_report_writes_it(low, high, currency, locale, shown):
    assert report._pay_range(low, high, currency, locale) == shown


def test_the_pipeline_lists_active_applications_first_furthest_along(example_ws):
    tables = example_ws.load_all()
    profile = load_profile(example_ws)
    view = report.pipeline_table(tables, profile, TODAY, Options())
    assert list(view.columns) == [
        "company",
        "role",
        "stage",
        "applied",
        "stage since",
        "follow-up",
        "next step",
        "salary",
    ]
    assert len(view) == len(tables["applications"])
    assert view["stage"].iloc[0] == "offer"
    closed = view["stage"].isin(["accepted", "rejected", "withdrawn", "ghosted"])
    assert not closed[: (~closed).sum()].any()  # every open one before every closed one
    northwind = view.set_index("company").loc["Northwind Analytics"]
    assert northwind["salary"] == "$85,000–$100,000"
    assert northwind["applied"] == "Oct 28, 2026"  # dates as the profile's locale writes them
    without = report.pipeline_table(tables, profile, TODAY, Options(include_salaries=False))
    assert "salary" not in without.columns


HEADINGS = [
    "Summary",
    "Pipeline",
    "People",
    "What is due",
    "Drafts awaiting sending",
    "Research notes",
    "Coach notes",
]
"""The report's headings, in order."""


def test_an_empty_workspace_reports_each_section_as_empty(empty_ws):
    page = report.build_report(empty_ws, TODAY)
    sections = _sections(page)
    assert list(sections) == HEADINGS
    assert "No applications yet." in sections["Pipeline"]
    assert "No contacts yet." in sections["People"]
    assert "Every thank-you is sent." in sections["What is due"]
    assert "No follow-ups waiting." in sections["What is due"]
    assert "No drafts waiting." in sections["Drafts awaiting sending"]
    assert "No research notes yet (02_research writes them)." in sections["Research notes"]
    assert "No coach notes yet." in sections["Coach notes"]
    assert "No applications recorded yet." in sections["Summary"]
    assert "<img" not in page
    assert "<h1>Job search: job search report</h1>" in page
    assert "As of Wednesday, November 25, 2026 · contact details redacted" in page


def test_a_draft_is_shown_as_a_card_or_said_to_be_missing(example_ws):
    items, rows = [], []
    for n, body in ((1, "Kept <body>"), (2, "Gone")):
        path = example_ws.root / "drafts" / "zz" / f"note-{n}.md"
        items.append((path, Draft(f"Person {n}", "p@x.example", f"Subject {n}", body), "Note"))
        rows.append(
            {
                "message_id": f"zz-note-{n}",
                "application_id": "northwind-analytics-data-analyst",
                "kind": "other",
                "status": "draft",
                "drafted_on": "2026-11-24",
                "subject": f"Subject {n}",
                "draft_file": f"drafts/zz/note-{n}.md",
            }
        )
    save_drafts(example_ws, items, None, rows)
    (example_ws.root / "drafts" / "zz" / "note-2.eml").unlink()
    drafts = _sections(report.build_report(example_ws, TODAY))["Drafts awaiting sending"]
    first = drafts[drafts.index("<b>Subject 1</b>") :].split('<div class="card">')[0]
    assert "Note to Person 1, drafted Nov 24, 2026" in first
    assert "<pre>Kept &lt;body&gt;\n</pre>" in first and "p@x.example" not in first
    second = drafts[drafts.index("<b>Subject 2</b>") :].split('<div class="card">')[0]
    assert "<pre>(the draft file is missing)</pre>" in second


def test_a_research_note_is_shown_as_text_under_the_reports_headings(example_ws):
    notes = example_ws.root / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "zz-test.md").write_text(
        NOTE + "\nSee [the posting](https://jobs.example/1) and ![logo](https://x.example/l.png).\n"
        "<b>raw</b>\n",
        encoding="utf-8",
    )
    page = report.build_report(example_ws, TODAY, Options(include_salaries=False))
    notes_html = _sections(page)["Research notes"]
    assert "<h3>Data Analyst at Northwind</h3>" in notes_html  # "#" sits under the h2
    assert "<h4>The team</h4>" in notes_html and "Similar positions" not in notes_html
    assert "the posting (https://jobs.example/1)" in notes_html and "<a " not in notes_html
    assert "[image: logo]" in notes_html and "<img" not in notes_html
    assert "&lt;b&gt;raw&lt;/b&gt;" in notes_html


def test_contact_details_are_columns_only_when_included(example_ws):
    redacted = _sections(report.build_report(example_ws, TODAY))["People"]
    shown = _sections(report.build_report(example_ws, TODAY, Options(include_contacts=True)))[
        "People"
    ]
    assert "<th>Email</th>" not in redacted and "<th>Phone</th>" not in redacted
    assert "<th>Email</th><th>Phone</th>" in shown
    assert "hiring_manager" not in redacted and "hiring manager" in redacted
    assert "contact details redacted" in report.build_report(example_ws, TODAY)


def test_a_signed_offer_is_announced_at_the_top(example_ws):
    apps = example_ws.load("applications")
    harbor = apps["application_id"] == "harbor-bank-bi-developer"
    apps.loc[harbor, ["stage", "offer_signed_on"]] = ["accepted", "2026-11-24"]
    example_ws.save("applications", apps)
    page = report.build_report(example_ws, TODAY)
    head = page.split("<h2>Pipeline</h2>")[0]
    assert '<p class="note">' in head


def test_a_draft_to_someone_without_an_email_reads_sensibly(example_ws):
    contacts = example_ws.load("contacts")
    person = contacts.iloc[0]
    path = example_ws.root / "drafts" / "zz" / "thanks.md"
    save_drafts(
        example_ws,
        [(path, Draft("", "", "Thank you", "Dear …"), "Note")],
        None,
        [
            {
                "message_id": "zz-thanks",
                "application_id": person["application_id"],
                "contact_id": person["contact_id"],
                "kind": "thank_you",
                "status": "draft",
                "drafted_on": "2026-11-24",
                "subject": "Thank you",
                "draft_file": "drafts/zz/thanks.md",
            }
        ],
    )
    drafts = _sections(report.build_report(example_ws, TODAY))["Drafts awaiting sending"]
    card = drafts[drafts.index("<b>Thank you</b>") :].split('<div class="card">')[0]
    assert (
        f"Thank-you note to {person['name']} (no email address yet), drafted Nov 24, 2026" in card
    )
    assert "to , drafted" not in drafts
