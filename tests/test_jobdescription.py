"""The job-description splitter: postings of every shape as checklists."""

from __future__ import annotations

import pytest

from helpers import jobdescription
from helpers.jobdescription import Item, read_job_description, split_job_description
from tests.conftest import TESTS_DIR

POSTINGS = TESTS_DIR / "job_descriptions"

D, R, N = "duty", "requirement", "nice"

EXPECTED = {
    # Headings in plain words, "•" bullets; benefits, "About us" and the legal line left out.
    "bulleted.txt": [
        (D, "Build and maintain Looker dashboards for fleet operations and customer success"),
        (
            D,
            "Write and review dbt models in Snowflake; own the data-quality tests for the "
            "fleet mart",
        ),
        (D, "Partner with product managers to define and track feature-launch metrics"),
        (D, "Answer ad-hoc questions from operations leads within a two-day turnaround"),
        (D, "Present a monthly fleet-health review to the leadership team"),
        (R, "2+ years of experience in a data or analytics role"),
        (R, "Strong SQL (window functions, CTEs) and comfort reading other people's queries"),
        (R, "Experience with a BI tool such as Looker, Tableau or Power BI"),
        (R, "Clear written communication: you can explain a metric to a non-technical audience"),
        (N, "Experience with dbt"),
        (N, "Familiarity with logistics, telematics or IoT data"),
    ],
    # ALL-CAPS headings, "1." and "1)" lists with wrapped lines; header fields left out.
    "numbered.txt": [
        (
            D,
            "Migrate legacy SSRS reports to Power BI and retire the old report server by the "
            "end of 2027",
        ),
        (D, "Implement row-level security for branch and regional managers"),
        (D, "Design star-schema data models in SQL Server for deposits, loans and customer data"),
        (D, "Document every published dataset in the data catalog"),
        (D, "Provide second-line support for report issues raised by branch staff"),
        (
            R,
            "Bachelor's degree in Information Systems, Computer Science or a related field, "
            "or equivalent experience",
        ),
        (R, "3+ years of experience developing Power BI reports and DAX measures"),
        (R, "Advanced T-SQL, including stored procedures and query tuning"),
        (R, "Ability to communicate with non-technical stakeholders"),
        (N, "Experience in banking or financial services"),
        (N, "Microsoft Certified: Power BI Data Analyst Associate (PL-300)"),
    ],
    # Paragraphs under headings: the company sentence is dropped, "you will" trimmed,
    # "e.g." does not end a sentence, "is a plus" makes a nice-to-have.
    "prose.txt": [
        (
            D,
            "Own the dbt project for claims and eligibility data, including its tests and "
            "documentation",
        ),
        (
            D,
            "Build self-serve datasets for the care-management analysts and work with the data "
            "platform team in Denver on ingestion",
        ),
        (
            D,
            "Help us move our reporting from nightly batch loads to incremental models, e.g. for "
            "the eligibility feed",
        ),
        (R, "At least three years of experience writing production SQL"),
        (R, "Used dbt (or a similar tool) in a team setting"),
        (R, "Comfortable with version control and code review"),
        (N, "Experience with HIPAA-regulated data is a plus"),
        (N, "Some Python is helpful"),
    ],
    # Markdown "#", bold lines, "Heading: content" lines, "-", "*" and "1." lists, a
    # heading that contains "requirements" but is not one ("Physical requirements").
    "mixed_headings.txt": [
        (D, "Own the product metrics for our trial-to-paid funnel, from definitions to dashboards"),
        (D, "Design and analyse A/B tests with the growth team"),
        (D, "Turn customer interviews and usage data into recommendations for the roadmap"),
        (D, "Audit our Amplitude tracking plan and fix the gaps"),
        (D, "Ship a weekly activation report that leadership actually reads"),
        (D, "Supporting the sales team with usage reports"),
        (D, "Answering questions in #data-help"),
        (R, "3+ years in product analytics or data science"),
        (R, "Fluent SQL; Python or R for analysis"),
        (R, "Experience with Amplitude, Mixpanel or a similar tool"),
        (N, "Experience in healthcare SaaS"),
    ],
    # No headings at all: the wording decides, the blurb and the perks are left out,
    # "King St. office" does not end a sentence.
    "none.txt": [
        (D, "Build weekly sales and inventory reports for 140 stores"),
        (
            D,
            "Work with category managers to forecast demand for seasonal products and analyze "
            "promotions to see which ones paid off",
        ),
        (R, "2+ years of experience with SQL and Excel"),
        (N, "Experience with Tableau is an asset"),
        (R, "A degree in statistics, economics or a related field is required"),
    ],
    # Copied from a PDF: CRLF line ends, tabs, "▪" bullets, wrapped lines, a title
    # block without headings, the salary and legal line after the list left out.
    "pdf_paste.txt": [
        (
            D,
            "Produce the monthly claims and premium reports in Power BI for the underwriting "
            "and finance teams",
        ),
        (D, "Maintain SQL Server views feeding those reports"),
        (D, "Reconcile report totals with the general ledger every month-end"),
        (R, "Associate or bachelor’s degree (e.g. in accounting or IT)"),
        (R, "2 years of reporting experience, insurance preferred"),
        (R, "Working knowledge of Power BI, Excel (pivot tables, XLOOKUP) and SQL"),
    ],
}


def test_every_posting_shape_has_a_test():
    assert {p.name for p in POSTINGS.glob("*.txt")} == set(EXPECTED)
    assert b"\r\n" in (POSTINGS / "pdf_paste.txt").read_bytes()


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_the_splitter_finds_duties_and_requirements(name):
    text = (POSTINGS / name).read_text(encoding="utf-8")
    found = [(i.kind, i.text) for i in split_job_description(text)]
    assert found == EXPECTED[name]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("   \n\n  ", []),
        ("Responsibilities:\n\nBenefits:\n- Free lunch", []),
        (
            "Responsibilities: build the models; run the reviews.",
            [(D, "Build the models"), (D, "Run the reviews")],
        ),
        ("Requirements\n- SQL\n- SQL\n- sql.", [(R, "SQL")]),
        ("WHAT YOU'LL DO\n* Lead the **weekly** review", [(D, "Lead the weekly review")]),
        (
            "Build dashboards. We are great. You have 5 years of SQL.",
            [(D, "Build dashboards"), (R, "5 years of SQL")],
        ),
        ("Qualifications\n1. Python, ideally pandas", [(N, "Python, ideally pandas")]),
    ],
)
def test_the_splitter_on_small_cases(text, expected):
    assert [(i.kind, i.text) for i in split_job_description(text)] == expected


def test_checklist_items_are_stored_with_a_readable_prefix():
    for item in (Item(D, "Build it"), Item(R, "3+ years SQL"), Item(N, "dbt")):
        assert Item.from_note(item.note) == item
    assert Item(R, "3+ years SQL").note == "Requirement: 3+ years SQL"
    assert Item(N, "dbt").note == "Nice to have: dbt"
    assert Item.from_note("requirement:  SQL ") == Item(R, "SQL")


def test_a_job_description_can_be_a_file(tmp_path):
    assert read_job_description("Build dashboards.") == "Build dashboards."
    path = tmp_path / "posting.txt"
    path.write_text("\ufeffRequirements\n- SQL\n", encoding="utf-8")
    assert read_job_description(str(path)) == "Requirements\n- SQL\n"
    relative = "tests/job_descriptions/none.txt"  # from the workbook's folder, like data_dir
    assert read_job_description(relative).startswith("Tessera Retail")
    with pytest.raises(FileNotFoundError, match="no file"):
        read_job_description(str(tmp_path / "missing.md"))
    two_lines = "Build dashboards.\nRead notes.txt"
    assert read_job_description(two_lines) == two_lines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A wrapped list line (indented or lower case) belongs to the item above it.
        (
            "Requirements\n- 3+ years of SQL and\n  strong Python\n- Looker",
            [(R, "3+ years of SQL and strong Python"), (R, "Looker")],
        ),
        (
            "Responsibilities\n- Build models that\nresponsibilities: drift",
            [(D, "Build models that responsibilities: drift")],
        ),
        # Prose after a list is read by its wording: the legal line is left out.
        (
            "Requirements\n- SQL\n\nWe are an equal opportunity employer. You have great taste.",
            [(R, "SQL"), (R, "Great taste")],
        ),
        (
            "Requirements\n- SQL\n\nExperience with dbt is a plus.",
            [(R, "SQL"), (N, "Experience with dbt is a plus")],
        ),
        # "The role" is duties unless the wording says otherwise; skipped sections give nothing.
        (
            "The role\n- Dashboards for sales\n- Experience with Tableau",
            [(D, "Dashboards for sales"), (R, "Experience with Tableau")],
        ),
        ("About us\n- We love data\n- Free snacks", []),
        (
            "Something Else Entirely\n- Build the models\n- Our office is nice",
            [(D, "Build the models")],
        ),
        ("Duties\nYou will build dashboards. Salary is 100k.", [(D, "Build dashboards")]),
    ],
)
def test_sections_lists_and_prose(text, expected):
    assert [(i.kind, i.text) for i in split_job_description(text)] == expected


def test_a_paste_is_normalised_before_it_is_read():
    assert jobdescription.normal_text("a\r\nb\u00a0c\u200bd\te\rf") == "a\nb cd e\nf"
    crlf = "Requirements\r\n\u2022\u00a0SQL\r\n\u2022 dbt\u200b is a plus\r\n"
    assert [(i.kind, i.text) for i in split_job_description(crlf)] == [
        (R, "SQL"),
        (N, "dbt is a plus"),  # a name keeps its case
    ]


def test_duplicates_are_found_whatever_the_case_spaces_and_end_punctuation():
    same = jobdescription.comparable
    assert same("  Build  The Models. ") == same("build the models;") == "build the models"
    assert same("It’s done") == same("it's done")
    assert same("SQL") != same("NoSQL")


def test_the_kind_of_an_unknown_note_is_a_duty():
    assert Item.from_note("") == Item(D, "")
    assert Item.from_note("  nice to have:  dbt ") == Item(N, "dbt")
    assert Item.from_note("Nice to have:dbt") == Item(D, "Nice to have:dbt")
    assert Item.from_note("Requirements: SQL") == Item(D, "Requirements: SQL")
