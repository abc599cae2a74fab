"""The profile file and the business-day calendar the etiquette rules count with."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import WorkspaceError
from helpers.businessdays import BusinessCalendar
from helpers.profile import PROFILE_FILE, Profile, load_profile, save_profile

D = dt.date


def test_missing_profile_has_sensible_defaults(empty_ws):
    profile = load_profile(empty_ws)
    assert profile.country == "US"
    assert profile.weekly_goal == 5
    assert profile.rules.follow_up_cap == 2
    assert profile.rules.follow_up_after_business_days == 5
    assert profile.rules.thank_you_business_days == 1


def test_example_profile_loads_with_its_signature(example_ws):
    profile = load_profile(example_ws)
    assert profile.name == "Jordan Rivera"
    assert profile.phone == "+1 555 0100"
    assert profile.signature.splitlines()[0] == "Jordan Rivera"
    assert (profile.country, profile.region, profile.weekly_goal) == ("US", "IL", 8)


def test_profile_round_trips_and_keeps_unknown_fields(empty_ws):
    profile = Profile(name="Zoë", email="zoe@example.com", signature="Zoë\n+1 555 0100")
    profile = Profile.model_validate({**profile.model_dump(), "linkedin": "in/zoe"})
    save_profile(empty_ws, profile)
    again = load_profile(empty_ws)
    assert again == profile
    assert again.model_extra == {"linkedin": "in/zoe"}


@pytest.mark.parametrize(
    ("text", "column", "words"),
    [
        ("weekly_goal: -3\n", "weekly_goal", "greater than or equal to 0"),
        ("email: not-an-address\n", "email", "not an email address"),
        ("country: XX\n", "country", "holidays package"),
        ("country: US\nregion: ZZ\n", "region", "not a region of US"),
        ("rules:\n  follow_up_cap: many\n", "rules.follow_up_cap", "integer"),
    ],
)
def test_bad_profile_values_name_the_field(empty_ws, text, column, words):
    (empty_ws.root / PROFILE_FILE).write_text(text)
    with pytest.raises(WorkspaceError) as err:
        load_profile(empty_ws)
    problem = err.value.problems[0]
    assert (problem.file, problem.column) == (PROFILE_FILE, column)
    assert words in problem.message


def test_broken_yaml_names_the_line(empty_ws):
    (empty_ws.root / PROFILE_FILE).write_text("name: Jordan\nsignature: [unclosed\n")
    with pytest.raises(WorkspaceError) as err:
        load_profile(empty_ws)
    assert err.value.problems[0].row == 3
    assert "not valid YAML" in str(err.value)
    assert empty_ws.check()[0].file == PROFILE_FILE


def test_thanksgiving_and_weekends_are_skipped():
    us = BusinessCalendar("US")
    # Interview on the Wednesday before Thanksgiving: due the Friday after.
    assert us.next_business_day(D(2026, 11, 25)) == D(2026, 11, 27)
    assert us.holiday(D(2026, 11, 26)) == "Thanksgiving Day"
    # Friday → Monday; five business days after a Wednesday in Thanksgiving week.
    assert us.next_business_day(D(2026, 11, 27)) == D(2026, 11, 30)
    assert us.add(D(2026, 11, 25), 5) == D(2026, 12, 3)
    assert us.add(D(2026, 11, 28), 0) == D(2026, 11, 30)
    assert us.between(D(2026, 11, 25), D(2026, 12, 3)) == 5


def test_another_country_uses_its_own_holidays():
    gb = BusinessCalendar("GB", "ENG")
    assert gb.is_business_day(D(2026, 11, 26))  # no Thanksgiving in England
    assert gb.next_business_day(D(2026, 12, 24)) == D(2026, 12, 29)  # Christmas, Boxing Day
    with pytest.raises(ValueError, match="no public-holiday calendar"):
        BusinessCalendar("XX")


def test_saving_the_profile_keeps_the_files_comments_and_layout(example_ws):
    """The profile form changes values, never the user's comments or order."""
    path = example_ws.root / PROFILE_FILE
    before = path.read_text(encoding="utf-8")
    assert before.lstrip().startswith("#")  # the example's file opens with a comment
    profile = load_profile(example_ws)
    save_profile(
        example_ws, profile.model_copy(update={"name": "Jordan Q. Rivera", "weekly_goal": 9})
    )
    after = path.read_text(encoding="utf-8")
    comments = [line for line in before.splitlines() if line.lstrip().startswith("#")]
    assert comments and all(line in after for line in comments)
    assert "name: Jordan Q. Rivera" in after and "weekly_goal: 9" in after
    assert "signature: |-" in after  # the multi-line signature stays a block
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=False) if a != b
    ]
    assert len(changed) <= 3, changed  # the two values (and nothing else) rewritten
    again = load_profile(example_ws)
    assert again.name == "Jordan Q. Rivera" and again.signature == profile.signature


def test_the_search_id_is_made_once_and_the_profile_form_keeps_it(example_ws):
    """The id a coach tells two clients apart by: random, made with the first bundle
    (one new line in profile.yml), never in the shipped example (every copy of it
    would share one), and kept by the profile form opened before it was made."""
    from helpers.profile import search_id
    from helpers.profile_forms import ProfileForm
    from helpers.share import bundle_bytes

    assert "search_id" not in (example_ws.root / PROFILE_FILE).read_text("utf-8")
    form = ProfileForm(example_ws)  # open before the first bundle
    before = (example_ws.root / PROFILE_FILE).read_text("utf-8")
    made = search_id(example_ws)
    after = (example_ws.root / PROFILE_FILE).read_text("utf-8")
    assert after == before + f"search_id: {made}\n"
    assert len(made) == 32 and search_id(example_ws) == made
    bundle = bundle_bytes(example_ws, dt.date(2026, 11, 25))
    assert bundle == bundle_bytes(example_ws, dt.date(2026, 11, 25))
    form._fields["weekly_goal"].value = 7
    form.save()
    kept = load_profile(example_ws)
    assert kept.search_id == made and kept.weekly_goal == 7
