"""Recording interviews and drafting thank-yous, on real workspaces on disk."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default

import pytest

from helpers import WorkspaceError
from helpers.drafts import as_phrase, load_draft
from helpers.errors import FieldErrors
from helpers.interviews import parse_record, record_interview
from helpers.thankyou import draft_thank_yous, ledger, mark_sent
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)


def interview(**fields):
    data = {
        "company": "Acme Robotics",
        "role": "Data Analyst",
        "held_on": "2026-11-25",
        "round": "1",
        "format": "video",
        "people": [
            {
                "name": "Zoë Ångström-Ōtake",
                "title": "Head of Data",
                "email": "zoe@acme.example",
                "relationship": "hiring_manager",
                "talking_point": (
                    'Her "small data, big decisions" motto, and the\nforecasting backlog'
                ),
            },
            {
                "name": "王伟",
                "email": "wei@acme.example",
                "talking_point": "The warehouse migration, dbt, and Snowflake costs",
            },
        ],
        "impressions": "Friendly, practical team.",
        "next_steps": "They'll decide by Dec 4.",
        "decision_expected_on": "2026-12-04",
    }
    data.update(fields)
    return parse_record(data)


def test_recording_an_interview_writes_every_table(empty_ws):
    done = record_interview(empty_ws, interview(), TODAY)
    tables = empty_ws.load_all()
    app = tables["applications"].iloc[0]
    assert done.application_id == "acme-robotics-data-analyst" == app["application_id"]
    assert (app["stage"], app["decision_expected_on"]) == ("interviewing", "2026-12-04")
    assert list(tables["contacts"]["contact_id"]) == ["zoe-angstrom-otake", "wang-wei"]
    assert list(tables["interviews"]["interview_id"]) == ["acme-robotics-data-analyst-2026-11-25"]
    assert len(tables["interview_contacts"]) == 2
    assert tables["interview_contacts"]["talking_point"].iloc[0].startswith('Her "small data')
    assert list(tables["stage_history"]["stage"]) == ["interviewing"]


def test_recording_again_updates_and_reuses_contacts(example_ws):
    data = {
        "application_id": "northwind-analytics-data-analyst",
        "held_on": "2026-11-24",
        "round": "2",
        "people": [
            {"name": "priya natarajan", "talking_point": "A new point"},
            {"name": "Sam Newperson", "talking_point": "Onboarding"},
        ],
    }
    before = {n: len(df) for n, df in example_ws.load_all().items()}
    interviews = example_ws.load("interviews")
    rnd = interviews.loc[
        interviews["interview_id"] == "northwind-analytics-data-analyst-2026-11-24", "round"
    ].iloc[0]
    data["round"] = rnd
    record_interview(example_ws, parse_record(data), TODAY)
    record_interview(example_ws, parse_record(data), TODAY)
    after = {n: len(df) for n, df in example_ws.load_all().items()}
    assert after["interviews"] == before["interviews"]
    assert after["contacts"] == before["contacts"] + 1
    assert after["interview_contacts"] == before["interview_contacts"] + 1
    assert after["stage_history"] == before["stage_history"]  # already interviewing
    met = example_ws.load("interview_contacts")
    assert "A new point" in set(met["talking_point"])


def test_an_offer_is_not_moved_back_to_interviewing(example_ws):
    record_interview(
        example_ws,
        parse_record(
            {
                "application_id": "harbor-bank-bi-developer",
                "held_on": "2026-11-23",
                "people": [{"name": "Zoë Okafor", "talking_point": "Start date"}],
            }
        ),
        TODAY,
    )
    apps = example_ws.load("applications").set_index("application_id")
    assert apps.loc["harbor-bank-bi-developer", "stage"] == "offer"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"company": ""}, "company"),
        ({"role": "", "company": ""}, "role"),
        ({"held_on": "next Tuesday"}, "held_on"),
        ({"people": []}, "people"),
        ({"format": "zoom"}, "format"),
        ({"people": [{"name": "A", "email": "a@"}]}, "people.0.email"),
        ({"people": [{"name": ""}]}, "people.0.name"),
        ({"decision_expected_on": "2026-11-01"}, "decision_expected_on"),
        ({"people": [{"name": "Ann Lee"}, {"name": "ann lee"}]}, "people"),
    ],
)
def test_invalid_records_are_refused_field_by_field(change, field):
    with pytest.raises(FieldErrors) as err:
        interview(**change)
    assert field in err.value.errors


def test_unknown_application_changes_nothing(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError, match="no application 'nope'"):
        record_interview(example_ws, interview(application_id="nope"), TODAY)
    assert tree_digest(example_ws.root) == before


def test_thank_you_drafts_are_personal_and_written_three_ways(empty_ws):
    record_interview(empty_ws, interview(), TODAY)
    run = draft_thank_yous(empty_ws, TODAY)
    assert len(run.drafted) == 2
    zoe, wei = run.drafted
    assert zoe.draft.body != wei.draft.body
    assert "Dear Zoë," in zoe.draft.body
    assert 'your "small data, big decisions" motto, and the forecasting backlog' in zoe.draft.body
    assert "the warehouse migration, dbt, and Snowflake costs" in wei.draft.body
    assert "Data Analyst" in zoe.draft.subject and "Acme Robotics" in zoe.draft.subject
    assert "Dear 王伟," in wei.draft.body

    md = zoe.markdown_file.read_text(encoding="utf-8")
    assert "**To:** Zoë Ångström-Ōtake <zoe@acme.example>" in md
    assert zoe.draft.body in md and "mailto:zoe@acme.example?subject=" in md

    msg = message_from_bytes(zoe.eml_file.read_bytes(), policy=default)
    assert msg["To"].addresses[0].display_name == "Zoë Ångström-Ōtake"
    assert msg["To"].addresses[0].addr_spec == "zoe@acme.example"
    assert str(msg["Subject"]) == zoe.draft.subject
    assert msg["X-Unsent"] == "1"
    assert msg.get_content().replace("\r\n", "\n") == zoe.draft.body
    assert load_draft(zoe.markdown_file) == zoe.draft
    raw = zoe.eml_file.read_bytes()
    assert raw.isascii(), "headers and body must be encoded for any mail program"

    msgs = empty_ws.load("messages")
    assert list(msgs["kind"]) == ["thank_you", "thank_you"]
    assert list(msgs["status"]) == ["draft", "draft"]
    assert msgs["draft_file"].iloc[0] == zoe.markdown_file.relative_to(empty_ws.root).as_posix()


def test_drafting_twice_adds_nothing(empty_ws):
    record_interview(empty_ws, interview(), TODAY)
    draft_thank_yous(empty_ws, TODAY)
    before = tree_digest(empty_ws.root)
    again = draft_thank_yous(empty_ws, TODAY)
    assert again.drafted == []
    assert tree_digest(empty_ws.root) == before


def test_a_missing_talking_point_asks_for_one_instead_of_a_generic_note(empty_ws):
    record = interview()
    record.people[1].talking_point = ""
    record_interview(empty_ws, record, TODAY)
    run = draft_thank_yous(empty_ws, TODAY)
    assert [t.contact_id for t in run.drafted] == ["zoe-angstrom-otake"]
    assert list(run.needs_talking_point["contact_id"]) == ["wang-wei"]


def test_missing_email_is_flagged_not_fatal(example_ws):
    run = draft_thank_yous(example_ws, TODAY, "northwind-analytics-data-analyst")
    assert len(run.drafted) == 3
    jose = next(t for t in run.drafted if t.contact_id == "jose-martinez")
    assert jose.draft.to_email == ""
    assert "To" not in message_from_bytes(jose.eml_file.read_bytes(), policy=default)
    book = ledger(example_ws.load_all(), _profile(example_ws), TODAY)
    note = book.loc[book["contact_id"] == "jose-martinez", "note"].iloc[0]
    assert "no email address" in note


def _profile(ws):
    from helpers.profile import load_profile

    return load_profile(ws)


def test_ledger_states_and_mark_sent(example_ws):
    run = draft_thank_yous(example_ws, TODAY)
    book = ledger(example_ws.load_all(), _profile(example_ws), TODAY)
    northwind = book[book["interview_id"] == "northwind-analytics-data-analyst-2026-11-24"]
    # Interview Tue 24 Nov: due the next business day, Wed 25 Nov (today).
    assert set(northwind["due"]) == {"2026-11-25"}
    assert set(northwind["state"]) == {"due today"}
    assert set(book.loc[book["interview_id"].str.startswith("bluebird"), "state"]) == {"sent"}
    first = run.drafted[0]
    mark_sent(example_ws, first.message_id, TODAY)
    book = ledger(example_ws.load_all(), _profile(example_ws), dt.date(2026, 11, 27))
    states = dict(zip(book["message_id"], book["state"], strict=True))
    assert states[first.message_id] == "sent"
    assert "overdue" in states.values()


def test_mark_sent_of_an_unknown_message_changes_nothing(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError, match="no message"):
        mark_sent(example_ws, "nope", TODAY)
    assert tree_digest(example_ws.root) == before


def test_thank_you_due_skips_thanksgiving(empty_ws):
    record_interview(empty_ws, interview(held_on="2026-11-25"), TODAY)
    book = ledger(empty_ws.load_all(), _profile(empty_ws), TODAY)
    assert set(book["due"]) == {"2026-11-27"}


def test_a_workspace_template_wins(empty_ws):
    (empty_ws.root / "templates").mkdir()
    (empty_ws.root / "templates" / "thank_you.md.j2").write_text(
        "Subject: Merci {{ person.first_name }}\n\nMerci pour {{ talking_point }}.\n"
    )
    record_interview(empty_ws, interview(), TODAY)
    run = draft_thank_yous(empty_ws, TODAY)
    assert run.drafted[0].draft.subject == "Merci Zoë"
    assert (
        run.drafted[1].draft.body
        == "Merci pour the warehouse migration, dbt, and Snowflake costs.\n"
    )


def test_a_template_giving_two_people_the_same_text_is_refused(empty_ws):
    (empty_ws.root / "templates").mkdir()
    (empty_ws.root / "templates" / "thank_you.md.j2").write_text("Subject: Thanks\n\nThanks!\n")
    record_interview(empty_ws, interview(), TODAY)
    before = tree_digest(empty_ws.root)
    with pytest.raises(WorkspaceError, match="same text"):
        draft_thank_yous(empty_ws, TODAY)
    assert tree_digest(empty_ws.root) == before


@pytest.mark.parametrize(
    ("point", "phrase"),
    [
        ("Her team's move to dbt.", "your team's move to dbt"),
        ("The live SQL exercise", "the live SQL exercise"),
        ("Bluebird's culture", "Bluebird's culture"),
        ("SQL window functions", "SQL window functions"),
        ("How to measure adoption", "how to measure adoption"),
    ],
)
def test_talking_points_read_as_phrases(point, phrase):
    assert as_phrase(point) == phrase


def test_a_workspace_template_added_or_edited_during_a_session_is_used(empty_ws):
    """Templates are compiled once per run, yet a template added, edited or removed
    while the notebook's kernel lives is what the next draft uses."""
    from helpers.drafts import person_context, render

    context = {
        "person": person_context({"name": "Zoë Adams", "title": "Analytics Lead"}),
        "talking_point": "dbt",
        "company": "Acme",
        "role": "Data Analyst",
        "day": "Tuesday",
        "when": "on Tuesday",
        "talking_point_sentence": "I especially enjoyed our conversation about dbt.",
        "signoff": "Jordan",
        "variant": 0,
        "profile": _profile(empty_ws),
    }
    shipped = render(empty_ws.root, "thank_you.md.j2", **context)
    assert shipped[0] == "Thank you — Data Analyst, Acme"
    folder = empty_ws.root / "templates"
    folder.mkdir()
    override = folder / "thank_you.md.j2"
    override.write_text("Subject: Merci {{ person.first_name }}\n\nMerci.\n")
    assert render(empty_ws.root, "thank_you.md.j2", **context)[0] == "Merci Zoë"
    override.write_text("Subject: Danke {{ person.first_name }}, {{ talking_point }}!\n\nx\n")
    assert render(empty_ws.root, "thank_you.md.j2", **context)[0] == "Danke Zoë, dbt!"
    override.unlink()
    assert render(empty_ws.root, "thank_you.md.j2", **context) == shipped
