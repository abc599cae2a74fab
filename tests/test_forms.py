"""Forms driven without a browser: set values, click, check the files on disk."""

from __future__ import annotations

import yaml

from helpers import csvio
from helpers.forms import ProfileForm
from helpers.profile import PROFILE_FILE, load_profile


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
