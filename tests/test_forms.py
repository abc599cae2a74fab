"""Forms driven without a browser: set values, click, check the files on disk."""

from __future__ import annotations

import yaml

from helpers import csvio
from helpers.profile import PROFILE_FILE, load_profile
from helpers.profile_forms import ProfileForm


def fill(form, **values):
    for name, value in values.items():
        form._fields[name].value = value


def click(form, label):
    [btn] = [
        w
        for row in form.children
        for w in getattr(row, "children", ())
        if getattr(w, "description", None) == label
    ]
    btn.click()


def test_profile_form_saves_what_was_typed(empty_ws):
    form = ProfileForm(empty_ws)
    fill(
        form,
        name="Zoë Okafor",
        email="zoe@example.com",
        phone="+44 20 7946 0958",
        signature="Zoë Okafor\nAnalyst · London",
        weekly_goal=12,
        country="gb",
        region="eng",
    )
    click(form, "Save profile")
    assert "Saved" in form.status.value
    saved = yaml.safe_load((empty_ws.root / PROFILE_FILE).read_text(encoding="utf-8"))
    assert saved["name"] == "Zoë Okafor"
    assert saved["phone"] == "+44 20 7946 0958"
    assert (saved["country"], saved["region"], saved["weekly_goal"]) == ("GB", "ENG", 12)
    assert load_profile(empty_ws).signature == "Zoë Okafor\nAnalyst · London"


def test_profile_form_shows_errors_by_field_and_writes_nothing(example_ws):
    path = example_ws.root / PROFILE_FILE
    before = path.read_bytes()
    form = ProfileForm(example_ws)
    assert form._fields["name"].value == "Jordan Rivera"
    fill(form, email="jordan@", country="Narnia")
    click(form, "Save profile")
    assert "not an email address" in form._errors["email"].value
    assert "holidays package" in form._errors["country"].value
    assert form._errors["name"].value == ""
    assert "Nothing was saved" in form.status.value
    assert path.read_bytes() == before


def test_profile_form_keeps_rules_and_unknown_fields(example_ws):
    path = example_ws.root / PROFILE_FILE
    data = yaml.safe_load(path.read_text())
    data["rules"]["follow_up_cap"] = 3
    data["linkedin"] = "in/jordan"
    path.write_text(yaml.safe_dump(data))
    form = ProfileForm(example_ws)
    fill(form, weekly_goal=10)
    click(form, "Save profile")
    profile = load_profile(example_ws)
    assert (profile.weekly_goal, profile.rules.follow_up_cap) == (10, 3)
    assert profile.model_extra["linkedin"] == "in/jordan"


def test_other_emails_are_typed_as_a_list_and_each_one_checked(example_ws):
    form = ProfileForm(example_ws)
    fill(form, other_emails="j.rivera@work.example;  jordan@old.example, ")
    click(form, "Save profile")
    assert load_profile(example_ws).other_emails == ["j.rivera@work.example", "jordan@old.example"]
    assert ProfileForm(example_ws)._fields["other_emails"].value == (
        "j.rivera@work.example, jordan@old.example"
    )
    fill(form, other_emails="j.rivera@work.example, jordan at old")
    click(form, "Save profile")
    assert "&#x27;jordan&#x27; is not an email address" in form._errors["other_emails"].value
    assert len(load_profile(example_ws).other_emails) == 2  # nothing was saved


def test_a_failing_disk_is_reported_next_to_the_form(example_ws, monkeypatch):
    path = example_ws.root / PROFILE_FILE
    before = path.read_bytes()

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(csvio, "stage", full)
    form = ProfileForm(example_ws)
    fill(form, name="Someone Else")
    click(form, "Save profile")
    assert "No space left on device" in form.status.value
    assert "Nothing was saved" in form.status.value
    assert path.read_bytes() == before


# -- the post-interview form -------------------------------------------------------

import datetime as dt  # noqa: E402

from helpers.interview_forms import InterviewForm, TalkingPointForm  # noqa: E402
from helpers.message_forms import MarkSentForm  # noqa: E402
from helpers.thankyou import ledger  # noqa: E402
from tests.conftest import tree_digest  # noqa: E402

TODAY = dt.date(2026, 11, 25)


def person(row, **values):
    for name, value in values.items():
        getattr(row, name).value = value


def test_interview_form_records_the_interview_and_drafts_thank_yous(empty_ws):
    form = InterviewForm(empty_ws, TODAY)
    # A new workspace has no profile: the form asks for the name the notes are signed with.
    fill(form, company="Quarry Labs", role="Product Analyst", round="1", format="video")
    fill(form, signature_name="Jordan Rivera")
    form._fields["held_on"].value = dt.date(2026, 11, 24)
    person(
        form.people.children[0],
        name="Ana O'Neil, PhD",
        email="ana@quarry.example",
        relationship="hiring_manager",
        talking_point="Her experiment-review checklist",
    )
    person(
        form.add_person(),
        name="Kenji Watanabe",
        email="kenji@quarry.example",
        talking_point='The "tricky" funnel definition, for trials\nand more',
    )
    click(form, "Save")
    assert "Saved the interview" in form.status.value, form.status.value
    assert "drafted 2 thank-yous" in form.status.value
    tables = empty_ws.load_all()
    assert tables["applications"]["stage"].tolist() == ["interviewing"]
    assert tables["contacts"]["name"].tolist() == ["Ana O'Neil, PhD", "Kenji Watanabe"]
    assert len(tables["interview_contacts"]) == 2
    assert tables["messages"]["kind"].tolist() == ["thank_you", "thank_you"]
    for path in tables["messages"]["draft_file"]:
        assert (empty_ws.root / path).is_file()
        assert (empty_ws.root / path).with_suffix(".eml").is_file()
    assert "mailto:ana@quarry.example" in form.drafts.value
    assert "Open in your mail program" in form.drafts.value
    assert "the &quot;tricky&quot; funnel definition, for trials and more" in form.drafts.value


def test_interview_form_remove_person(empty_ws):
    form = InterviewForm(empty_ws, TODAY)
    second = form.add_person()
    assert len(form.people.children) == 2
    form.remove_person(second)
    assert len(form.people.children) == 1
    form.remove_person(form.people.children[0])
    assert len(form.people.children) == 1  # always one row to fill in


def test_interview_form_errors_show_by_field_and_nothing_is_written(example_ws):
    before = tree_digest(example_ws.root)
    form = InterviewForm(example_ws, TODAY)
    fill(form, company="", role="Analyst")
    person(form.people.children[0], name="Pat Lee", email="pat@")
    person(form.add_person(), name="", title="VP", talking_point="x")
    click(form, "Save")
    assert "give the company of a new application" in form._errors["company"].value
    assert "not an email address" in form.people.children[0].error.value
    assert "name: this is required" in form.people.children[1].error.value
    assert "Nothing was saved" in form.status.value
    assert tree_digest(example_ws.root) == before


def test_interview_form_for_an_existing_application(example_ws):
    form = InterviewForm(example_ws, TODAY, "lumen-energy-data-scientist")
    assert form._fields["application"].value == "lumen-energy-data-scientist"
    assert form._fields["company"].disabled
    person(form.people.children[0], name="Dev Patel", talking_point="Grid-edge forecasting")
    form._fields["decision_expected_on"].value = dt.date(2026, 12, 11)
    click(form, "Save")
    apps = example_ws.load("applications").set_index("application_id")
    assert apps.loc["lumen-energy-data-scientist", "stage"] == "interviewing"
    assert apps.loc["lumen-energy-data-scientist", "decision_expected_on"] == "2026-12-11"
    history = example_ws.load("stage_history")
    assert history.iloc[-1].tolist() == [
        "lumen-energy-data-scientist",
        "interviewing",
        "2026-11-25",
    ]


def test_talking_point_form_then_mark_sent(empty_ws):
    form = InterviewForm(empty_ws, TODAY)
    fill(form, company="Acme", role="Analyst", signature_name="Jordan Rivera")
    person(form.people.children[0], name="Lee Park")
    click(form, "Save")
    assert "1 still needs a talking point" in form.status.value
    book = ledger(empty_ws.load_all(), load_profile(empty_ws), TODAY)
    assert book["state"].tolist() == ["needs talking point"]

    ask = TalkingPointForm(empty_ws, TODAY, form.last_drafts.needs_talking_point)
    click(ask, "Save talking point")
    assert "write one specific thing" in ask._errors["talking_point"].value
    fill(ask, talking_point="Their on-call rota")
    click(ask, "Save talking point")
    assert "drafted 1 thank-you" in ask.status.value

    sent = MarkSentForm(empty_ws, TODAY)
    assert len(sent._fields["message"].options) == 1
    click(sent, "Mark sent")
    assert "Marked sent on 2026-11-25" in sent.status.value
    assert sent._fields["message"].options == ()
    msgs = empty_ws.load("messages")
    assert (msgs["status"].iloc[0], msgs["sent_on"].iloc[0]) == ("sent", "2026-11-25")
    click(sent, "Mark sent")
    assert "no unsent draft" in sent._errors["message"].value
