"""Recording an interview: the record's rules in words, people reused and updated, the
decision's giver, one person's row set, all in one save (see also test_thank_you)."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers.errors import FieldErrors, WorkspaceError
from helpers.interviews import (
    parse_record,
    record_from_parameters,
    record_interview,
    set_note_needed,
    set_talking_point,
)
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)
NORTHWIND = "northwind-analytics-data-analyst"
NORTHWIND_IV = f"{NORTHWIND}-2026-11-24"


def _record(**fields):
    data = {
        "company": "Acme Robotics",
        "role": "Data Analyst",
        "held_on": "2026-11-25",
        "people": [{"name": "Lee Park", "talking_point": "The forecasting backlog"}],
    }
    data.update(fields)
    return parse_record(data)


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        (
            {"company": "", "role": ""},
            {
                "company": "give the company of a new application, or choose one",
                "role": "give the role of a new application, or choose one",
            },
        ),
        ({"held_on": "soon"}, {"held_on": "give a date (YYYY-MM-DD)"}),
        ({"people": []}, {"people": "add at least one person you met"}),
        ({"people": [{"name": " "}]}, {"people.0.name": "this is required"}),
        (
            {"people": [{"name": "A", "relationship": "boss"}]},
            {
                "people.0.relationship": "'boss' is not one of: interviewer, hiring_manager, "
                "recruiter, referrer, other"
            },
        ),
        ({"format": "zoom"}, {"format": "'zoom' is not one of: phone, video, onsite"}),
        (
            {"decision_given_by": "Lee Park"},
            {"decision_given_by": "give the decision date too, or leave who gave it empty"},
        ),
        (
            {"decision_expected_on": "2026-11-20"},
            {"decision_expected_on": "the decision date is before the interview"},
        ),
    ],
)
def test_a_record_is_refused_with_a_message_per_field(change, errors):
    with pytest.raises(FieldErrors) as caught:
        _record(**change)
    assert caught.value.errors == errors
    assert str(caught.value) == "; ".join(f"{k}: {v}" for k, v in errors.items())


@pytest.mark.parametrize(
    ("typed", "needed"), [("", True), ("yes", True), (" No ", False), ("n", False)]
)
def test_note_needed_reads_yes_and_no(typed, needed):
    record = _record(people=[{"name": "Lee", "note_needed": typed}])
    assert record.people[0].note_needed is needed


def test_the_same_company_and_role_in_other_case_is_the_same_application(example_ws):
    done = _record(company="NORTHWIND analytics", role="data analyst", held_on="2026-12-01")
    recorded = record_interview(example_ws, done, TODAY)
    assert recorded.application_id == NORTHWIND and not recorded.new_application
    assert recorded.new_interview and recorded.upcoming
    assert recorded.interview_id == f"{NORTHWIND}-2026-12-01"


def test_an_upcoming_interview_moves_the_stage_as_of_today(example_ws):
    app = "quarry-labs-product-analyst"
    recorded = record_interview(
        example_ws, _record(application_id=app, held_on="2026-12-03"), TODAY
    )
    assert recorded.stage_changed and recorded.upcoming
    history = example_ws.load("stage_history")
    last = history[history["application_id"] == app].iloc[-1]
    assert (last["stage"], last["changed_on"]) == ("interviewing", "2026-11-25")


def test_a_known_person_typed_again_is_updated_and_the_change_said(example_ws):
    recorded = record_interview(
        example_ws,
        _record(
            application_id=NORTHWIND,
            held_on="2026-11-24",
            round="2",
            people=[
                {
                    "name": "PRIYA NATARAJAN",
                    "title": "VP of Analytics",
                    "email": "PRIYA.NATARAJAN@northwind.example",
                    "greeting": "Dr. Natarajan",
                    "talking_point": "",
                }
            ],
        ),
        TODAY,
    )
    assert recorded.contact_ids == ("priya-natarajan",) and not recorded.new_interview
    # An address differing only in case is the same; an empty field changes nothing.
    assert recorded.describe_updates() == (
        "PRIYA NATARAJAN: title Director of Analytics → VP of Analytics, greeting Dr. Natarajan"
    )
    contacts = example_ws.load("contacts").set_index("contact_id")
    assert contacts.at["priya-natarajan", "title"] == "VP of Analytics"
    assert contacts.at["priya-natarajan", "email"] == "priya.natarajan@northwind.example"
    met = example_ws.load("interview_contacts")
    kept = met[(met["interview_id"] == NORTHWIND_IV) & (met["contact_id"] == "priya-natarajan")]
    assert kept["talking_point"].iloc[0].startswith("Her team's move")  # empty keeps it


@pytest.mark.parametrize("given", ["Lee Park", "lee", "lee-park"])
def test_who_gave_the_decision_date_is_found_by_name_first_name_or_id(empty_ws, given):
    record = _record(decision_expected_on="2026-12-04", decision_given_by=given)
    record_interview(empty_ws, record, TODAY)
    app = empty_ws.load("applications").iloc[0]
    assert (app["decision_expected_on"], app["decision_given_by"]) == ("2026-12-04", "lee-park")


def test_a_decision_giver_nobody_met_changes_nothing(example_ws):
    before = tree_digest(example_ws.root)
    record = _record(
        application_id=NORTHWIND,
        decision_expected_on="2026-12-04",
        decision_given_by="Somebody Else",
    )
    with pytest.raises(FieldErrors) as caught:
        record_interview(example_ws, record, TODAY)
    assert caught.value.errors == {
        "decision_given_by": "'Somebody Else' is not one of the people met; "
        "choose who said when they would decide"
    }
    assert tree_digest(example_ws.root) == before


def test_one_persons_note_and_talking_point_are_set_in_place(example_ws):
    set_note_needed(example_ws, NORTHWIND_IV, "jose-martinez", False)
    set_talking_point(example_ws, NORTHWIND_IV, "jose-martinez", "  Route suggestions  ")
    met = example_ws.load("interview_contacts")
    row = met[(met["interview_id"] == NORTHWIND_IV) & (met["contact_id"] == "jose-martinez")]
    assert row[["talking_point", "note_needed"]].values.tolist() == [["Route suggestions", "no"]]
    set_note_needed(example_ws, NORTHWIND_IV, "jose-martinez", True)
    met = example_ws.load("interview_contacts")
    assert set(met.loc[met["contact_id"] == "jose-martinez", "note_needed"]) == {""}


def test_setting_a_row_that_is_not_there_or_an_empty_point_changes_nothing(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(WorkspaceError) as caught:
        set_note_needed(example_ws, NORTHWIND_IV, "maya-chen", False)
    assert str(caught.value) == (
        f"interview_contacts.csv: 'maya-chen' is not listed for interview '{NORTHWIND_IV}'"
    )
    with pytest.raises(WorkspaceError, match="write one specific thing you discussed"):
        set_talking_point(example_ws, NORTHWIND_IV, "jose-martinez", "   ")
    assert tree_digest(example_ws.root) == before


def test_a_parameter_that_is_not_a_mapping_is_refused(empty_ws):
    with pytest.raises(FieldErrors) as caught:
        record_from_parameters(empty_ws, "Acme, today", TODAY)
    assert caught.value.errors == {"interview": "give the interview as a mapping of fields (YAML)"}
    assert not (empty_ws.root / "interviews.csv").exists()
