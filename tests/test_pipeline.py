"""The pipeline's metrics and writers, on small hand-made workspaces on disk."""

from __future__ import annotations

import datetime as dt
import math
from email import message_from_bytes
from email.policy import default

import numpy as np
import pandas as pd
import pytest

from helpers import WorkspaceError
from helpers.charts import funnel_chart, png, weekly_chart
from helpers.errors import FieldErrors
from helpers.pipeline import (
    DuplicateApplication,
    add_application,
    add_application_anyway,
    basket_warnings,
    change_stage,
    funnel,
    funnel_view,
    iso_week,
    last_activity,
    parse_application,
    pipeline_table,
    pipeline_view,
    search_status,
    sent_in_week,
    stage_change_in,
    weekly_counts,
)
from helpers.profile import Profile, Rules, load_profile, save_profile
from helpers.store import empty_table
from helpers.withdrawals import draft_withdrawals, withdrawal_drafts
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)


def app(application_id, stage="applied", applied_on="", company="", role="Data Analyst", **more):
    return {
        "application_id": application_id,
        "company": company or application_id.split("-")[0].title(),
        "role": role,
        "stage": stage,
        "applied_on": applied_on,
        **more,
    }


def build(ws, profile: Profile | None = None, **tables):
    """Write the given tables (lists of records) into ``ws``; returns its tables."""
    with ws.transaction() as tx:
        for name in (
            "applications",
            "contacts",
            "interviews",
            "interview_contacts",
            "messages",
            "stage_history",
        ):
            if name in tables:
                tx.append(name, tables[name])
    if profile is not None:
        save_profile(ws, profile)
    return ws.load_all()


def board_row(board, application_id):
    return board.set_index("application_id").loc[application_id]


# -- weekly counts -----------------------------------------------------------------


def test_iso_weeks_belong_to_their_iso_year():
    assert iso_week(dt.date(2026, 12, 31)) == "2026-W53"  # Thursday
    assert iso_week(dt.date(2027, 1, 3)) == "2026-W53"  # Sunday, still the same week
    assert iso_week(dt.date(2027, 1, 4)) == "2027-W01"  # Monday
    assert iso_week(dt.date(2024, 12, 30)) == "2025-W01"  # a December day in next year's week


def test_weekly_counts_across_a_year_boundary(empty_ws):
    tables = build(
        empty_ws,
        applications=[
            app("a-1", applied_on="2026-12-14"),  # W51
            app("b-1", applied_on="2026-12-28"),  # Mon W53
            app("c-1", applied_on="2026-12-31"),  # Thu W53
            app("d-1", applied_on="2027-01-01"),  # Fri W53, next calendar year
            app("e-1", applied_on="2027-01-03", stage="rejected"),  # Sun W53, closed since
            app("f-1", applied_on="2027-01-04"),  # Mon 2027-W01
            app("g-1", applied_on="2027-01-06"),  # today
            app("h-1", stage="saved"),  # never sent
        ],
    )
    today = dt.date(2027, 1, 6)
    weekly = weekly_counts(tables["applications"], today)
    assert list(weekly["week"]) == ["2026-W51", "2026-W52", "2026-W53", "2027-W01"]
    assert list(weekly["sent"]) == [1, 0, 4, 2]
    assert list(weekly["week_start"]) == [
        dt.date(2026, 12, 14),
        dt.date(2026, 12, 21),
        dt.date(2026, 12, 28),
        dt.date(2027, 1, 4),
    ]
    assert sent_in_week(tables["applications"], dt.date(2027, 1, 1)) == 4
    status = search_status(tables, Profile(weekly_goal=3), today)
    assert (status.sent_this_week, status.week, status.monday) == (
        2,
        "2027-W01",
        today.replace(day=4),
    )
    assert "2 of your goal of 3" in status.message and "1 to go" in status.message


def test_weekly_counts_across_the_2024_2025_boundary(empty_ws):
    tables = build(
        empty_ws,
        applications=[
            app("a-1", applied_on="2024-12-29"),  # Sunday: 2024-W52
            app("b-1", applied_on="2024-12-30"),  # Monday: 2025-W01
            app("c-1", applied_on="2025-01-02"),
        ],
    )
    weekly = weekly_counts(tables["applications"], dt.date(2025, 1, 2))
    assert dict(zip(weekly["week"], weekly["sent"], strict=True)) == {
        "2024-W52": 1,
        "2025-W01": 2,
    }


def test_weekly_counts_show_the_last_weeks_only_and_an_empty_workspace_this_week(empty_ws):
    apps = build(empty_ws, applications=[app("a-1", applied_on="2026-01-05")])["applications"]
    weekly = weekly_counts(apps, TODAY, weeks=4)
    assert list(weekly["week"]) == ["2026-W45", "2026-W46", "2026-W47", "2026-W48"]
    assert weekly["sent"].sum() == 0
    empty = weekly_counts(empty_table("applications"), TODAY)
    assert list(empty["week"]) == ["2026-W48"] and list(empty["sent"]) == [0]


def test_the_weekly_chart_draws_the_goal_line():
    weekly = pd.DataFrame(
        {
            "week": ["2026-W52", "2026-W53", "2027-W01"],
            "week_start": [dt.date(2026, 12, 21), dt.date(2026, 12, 28), dt.date(2027, 1, 4)],
            "sent": [2, 4, 1],
        }
    )
    fig = weekly_chart(weekly, goal=5)
    ax = fig.axes[0]
    assert [line.get_ydata()[0] for line in ax.get_lines()] == [5]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["W52\n2026", "W53", "W01\n2027"]
    assert [p.get_height() for p in ax.patches] == [2, 4, 1]
    assert png(fig).data == png(weekly_chart(weekly, goal=5)).data  # same bytes every run


# -- the funnel --------------------------------------------------------------------


def test_funnel_counts_stages_reached_from_history_and_current_stage(empty_ws):
    tables = build(
        empty_ws,
        applications=[
            app("a-1", stage="screening", applied_on="2026-10-01"),
            app("b-1", stage="interviewing", applied_on="2026-10-01"),  # skipped screening
            app("c-1", stage="rejected"),  # no history at all: it was applied to
            app("d-1", stage="saved"),
            app("e-1", stage="withdrawn"),  # a saved posting dropped
            app("f-1", stage="accepted", applied_on="2026-10-01"),
            app("g-1", stage="applied", applied_on="2026-10-01"),  # moved back after a screen
        ],
        stage_history=[
            {"application_id": "a-1", "stage": "saved", "changed_on": "2026-09-30"},
            {"application_id": "a-1", "stage": "applied", "changed_on": "2026-10-01"},
            {"application_id": "a-1", "stage": "screening", "changed_on": "2026-10-08"},
            {"application_id": "b-1", "stage": "applied", "changed_on": "2026-10-01"},
            {"application_id": "b-1", "stage": "interviewing", "changed_on": "2026-10-09"},
            {"application_id": "e-1", "stage": "saved", "changed_on": "2026-10-02"},
            {"application_id": "e-1", "stage": "withdrawn", "changed_on": "2026-10-03"},
            {"application_id": "f-1", "stage": "offer", "changed_on": "2026-10-20"},
            {"application_id": "f-1", "stage": "accepted", "changed_on": "2026-10-22"},
            {"application_id": "g-1", "stage": "screening", "changed_on": "2026-10-05"},
            {"application_id": "g-1", "stage": "applied", "changed_on": "2026-10-06"},
        ],
    )
    f = funnel(tables)
    assert list(f["stage"]) == [
        "saved",
        "applied",
        "screening",
        "interviewing",
        "offer",
        "accepted",
    ]
    assert list(f["reached"]) == [7, 5, 4, 2, 1, 1]
    rates = list(f["went_on"])
    assert rates[:5] == [5 / 7, 4 / 5, 2 / 4, 1 / 2, 1 / 1]
    assert math.isnan(rates[5])
    view = funnel_view(f)
    assert list(view["went on"]) == [
        "71 % reached applied",
        "80 % reached screening",
        "50 % reached interviewing",
        "50 % reached offer",
        "100 % reached accepted",
        "",
    ]
    chart = funnel_chart(f)
    assert [p.get_width() for p in chart.axes[0].patches] == [7, 5, 4, 2, 1, 1]


def test_funnel_of_an_empty_workspace_is_all_zero(empty_ws):
    f = funnel(empty_ws.load_all())
    assert f["reached"].sum() == 0 and f["went_on"].isna().all()


# -- all applications: activity, stale, next action ---------------------------------


def test_last_activity_is_the_latest_date_from_every_table_up_to_today(empty_ws):
    tables = build(
        empty_ws,
        applications=[
            app("a-1", applied_on="2026-10-01"),
            app("b-1", applied_on="2026-10-01", stage_changed_on="2026-10-20"),
            app("c-1", applied_on="2026-10-01", stage="interviewing"),
            app("d-1", applied_on="2026-10-01"),
            app("e-1", applied_on="2026-10-01"),
            app("f-1", applied_on="2026-10-01", stage="interviewing"),
            app("g-1", stage="saved"),
        ],
        interviews=[
            {"interview_id": "c-1-i", "application_id": "c-1", "held_on": "2026-11-02"},
            {"interview_id": "f-1-i", "application_id": "f-1", "held_on": "2026-12-02"},
        ],
        messages=[
            {"message_id": "m1", "application_id": "d-1", "drafted_on": "2026-11-03"},
            {"message_id": "m2", "application_id": "e-1", "drafted_on": "2026-10-02"},
            {"message_id": "m3", "application_id": "e-1", "sent_on": "2026-11-04"},
        ],
        stage_history=[
            {"application_id": "a-1", "stage": "applied", "changed_on": "2026-10-05"},
        ],
    )
    last = last_activity(tables, TODAY).dt.strftime("%Y-%m-%d").to_dict()
    assert last == {
        "a-1": "2026-10-05",
        "b-1": "2026-10-20",
        "c-1": "2026-11-02",
        "d-1": "2026-11-03",
        "e-1": "2026-11-04",
        "f-1": "2026-10-01",  # an interview next week is not activity yet
    }
    board = pipeline_table(tables, Profile(), TODAY)
    assert board_row(board, "g-1")["days_idle"] is pd.NA
    assert board_row(board, "a-1")["days_idle"] == 51


def test_stale_applications_wait_on_the_employer_for_three_weeks(empty_ws):
    tables = build(
        empty_ws,
        applications=[
            app("stale-1", applied_on="2026-11-04"),  # exactly 21 days
            app("fresh-1", applied_on="2026-11-05"),  # 20 days
            app("busy-1", applied_on="2026-10-01"),  # a message since
            app("saved-1", stage="saved", stage_changed_on="2026-09-01"),
            app("ghost-1", stage="ghosted", applied_on="2026-09-01"),
            app("offer-1", stage="offer", applied_on="2026-09-01"),
            app(
                "decide-1",
                stage="interviewing",
                applied_on="2026-09-20",
                decision_expected_on="2026-12-15",  # they said: wait until then
            ),
            app("capped-1", stage="interviewing", applied_on="2026-09-15"),
            app("due-1", stage="interviewing", applied_on="2026-09-15"),
        ],
        interviews=[
            {"interview_id": "decide-1-i", "application_id": "decide-1", "held_on": "2026-10-05"},
            {"interview_id": "capped-1-i", "application_id": "capped-1", "held_on": "2026-10-01"},
            {"interview_id": "due-1-i", "application_id": "due-1", "held_on": "2026-10-01"},
        ],
        messages=[
            {"message_id": "m1", "application_id": "busy-1", "drafted_on": "2026-11-20"},
            *[
                {
                    "message_id": f"f{i}",
                    "application_id": "capped-1",
                    "kind": "follow_up",
                    "status": "sent",
                    "sent_on": day,
                }
                for i, day in enumerate(("2026-10-12", "2026-10-26"))
            ],
        ],
    )
    board = pipeline_table(tables, Profile(), TODAY)
    stale = set(board.loc[board["stale"], "application_id"])
    assert stale == {"stale-1", "capped-1", "due-1"}
    assert board_row(board, "stale-1")["days_idle"] == 21
    # No interview yet: the stale application's next step is the check-in rule's,
    # the same 03_follow_up gives.
    assert board_row(board, "stale-1")["next_action"] == (
        "Stale, 21 days without activity: check in now (polite from Fri 13 Nov)"
    )
    assert "mark it ghosted" in board_row(board, "capped-1")["next_action"]
    due = board_row(board, "due-1")["next_action"]
    assert due.endswith("follow up now (polite from Thu 8 Oct)")
    assert board_row(board, "decide-1")["next_action"] == "Wait; follow up from Wed 16 Dec"
    assert board_row(board, "offer-1")["next_action"] == "Answer the offer"
    assert board_row(board, "saved-1")["next_action"] == "Apply, or drop it"
    assert board_row(board, "ghost-1")["next_action"] == "None: closed"
    # The most urgent first, the closed ones last.
    assert board["priority"].is_monotonic_increasing
    assert board["application_id"].iloc[-1] == "ghost-1"
    assert set(board.loc[board["priority"] == 0, "application_id"]) == {
        "stale-1",
        "capped-1",
        "due-1",
        "offer-1",
        # No interview, applied 7 business days ago or more: a check-in is due.
        "fresh-1",
        "busy-1",
    }


def test_stale_after_days_comes_from_the_profile(empty_ws):
    tables = build(empty_ws, applications=[app("a-1", applied_on="2026-11-11")])
    short = Profile(rules=Rules(stale_after_days=14))
    assert bool(board_row(pipeline_table(tables, short, TODAY), "a-1")["stale"])
    assert not bool(board_row(pipeline_table(tables, Profile(), TODAY), "a-1")["stale"])


def test_application_id_limits_the_table(example_ws):
    tables = example_ws.load_all()
    board = pipeline_table(tables, load_profile(example_ws), TODAY, "harbor-bank-bi-developer")
    assert list(board["application_id"]) == ["harbor-bank-bi-developer"]
    view = pipeline_view(board)
    assert list(view.columns) == [
        "company",
        "role",
        "stage",
        "applied",
        "last activity",
        "days idle",
        "next action",
    ]


def test_the_example_pipeline(example_ws):
    tables = example_ws.load_all()
    board = pipeline_table(tables, load_profile(example_ws), TODAY)
    assert len(board) == 13
    assert list(board.loc[board["stale"], "application_id"]) == ["driftwood-foods-data-analyst"]
    assert board_row(board, "bluebird-health-analytics-engineer")["follow_up"] == "overdue"


# -- eggs in one basket ------------------------------------------------------------


def _late_stage(company_b: str):
    return [
        app("acme-1", stage="interviewing", company="Acme", applied_on="2026-11-01"),
        app("acme-2", stage="offer", company=" ACME ", role="BI Analyst", applied_on="2026-11-01"),
        app("b-1", stage="interviewing" if company_b else "applied", company=company_b or "Bee"),
        app("c-1", company="Cee"),
        app("d-1", company="Dee", stage="screening"),
        app("e-1", company="Eee"),
        app("f-1", company="Fff", stage="rejected"),
    ]


def test_every_late_stage_opportunity_at_one_company_is_a_warning(empty_ws):
    apps = build(empty_ws, applications=_late_stage(""))["applications"]
    warnings = basket_warnings(apps, Profile())
    assert len(warnings) == 1
    assert warnings[0].startswith("Eggs in one basket: All 2 late-stage ones are at Acme")


def test_late_stage_opportunities_at_two_companies_are_fine(empty_ws):
    apps = build(empty_ws, applications=_late_stage("Bee"))["applications"]
    assert basket_warnings(apps, Profile()) == []


def test_a_single_late_stage_opportunity_is_one_basket_too(empty_ws):
    apps = build(
        empty_ws,
        applications=[app(f"a{i}-1", company=f"C{i}") for i in range(5)]
        + [app("z-1", company="Zed", stage="interviewing")],
    )["applications"]
    [warning] = basket_warnings(apps, Profile())
    assert "Your only late-stage opportunity is at Zed" in warning


def test_a_thin_pipeline_is_a_warning_below_the_profile_threshold(empty_ws):
    apps = build(
        empty_ws,
        applications=[
            app("a-1"),
            app("b-1", stage="screening"),
            app("c-1"),
            app("d-1", stage="saved"),  # not sent: not active
            app("e-1", stage="rejected"),
        ],
    )["applications"]
    [warning] = basket_warnings(apps, Profile())
    assert warning.startswith(
        "Thin pipeline: 3 active applications, fewer than your threshold of 5"
    )
    assert basket_warnings(apps, Profile(rules=Rules(thin_pipeline=3))) == []


def test_no_basket_warnings_once_an_offer_is_signed(empty_ws):
    apps = build(
        empty_ws,
        applications=[app("a-1", stage="accepted", offer_signed_on="2026-11-20")],
    )["applications"]
    assert basket_warnings(apps, Profile()) == []


# -- the signed-offer switch ---------------------------------------------------------


def _signed_ready(ws):
    return build(
        ws,
        Profile(name="Jordan Rivera", email="jordan@example.com", signature="Jordan"),
        applications=[
            app("acme-1", stage="offer", company="Acme", applied_on="2026-10-01"),
            app("bee-1", stage="interviewing", company="Bee & <Co>", applied_on="2026-10-05"),
            app("cee-1", stage="applied", company="Cee", applied_on="2026-11-02"),
            app("dee-1", stage="saved", company="Dee"),
            app("eee-1", stage="rejected", company="Eee", applied_on="2026-10-01"),
        ],
        contacts=[
            {"contact_id": "bo", "application_id": "bee-1", "name": "Bo Interviewer",
             "relationship": "interviewer", "email": "bo@bee.example"},
            {"contact_id": "rita", "application_id": "bee-1", "name": "Rita Recruiter",
             "relationship": "recruiter", "email": "rita@bee.example"},
            {"contact_id": "fred", "application_id": "bee-1", "name": "Fred Friend",
             "relationship": "referrer", "email": "fred@example.com"},
        ],
    )  # fmt: skip


def test_keep_applying_until_an_offer_letter_is_signed(empty_ws):
    tables = _signed_ready(empty_ws)
    status = search_status(tables, Profile(weekly_goal=2), TODAY)
    assert not status.is_signed
    assert status.active == 3 and status.saved == 1
    assert "keep applying" in status.message and "3 active applications" in status.message
    assert draft_withdrawals(empty_ws, TODAY) == []
    assert not (empty_ws.root / "drafts").exists()


def test_signing_an_offer_switches_to_congratulations_and_withdrawals(empty_ws):
    _signed_ready(empty_ws)
    change_stage(empty_ws, "acme-1", "accepted", TODAY, offer_signed_on=TODAY)
    tables = empty_ws.load_all()
    status = search_status(tables, Profile(), TODAY)
    assert status.is_signed and status.kind == "ok"
    assert status.message.startswith(
        "Congratulations! You signed the offer for Data Analyst at Acme on 2026-11-25."
    )
    assert list(status.to_withdraw["application_id"]) == ["bee-1", "cee-1"]  # not saved, closed

    made = draft_withdrawals(empty_ws, TODAY)
    assert [w.application_id for w in made] == ["bee-1", "cee-1"]
    bee = made[0]
    assert (bee.draft.to_name, bee.draft.to_email) == ("Rita Recruiter", "rita@bee.example")
    assert bee.draft.subject == "Withdrawing my application — Data Analyst, Bee & <Co>"
    assert "Dear Rita," in bee.draft.body and "Acme" not in bee.draft.body
    assert "time you and the team spent" in bee.draft.body
    assert made[1].draft.body.startswith("Dear Cee team,")  # nobody known there
    eml = message_from_bytes(bee.markdown_file.with_suffix(".eml").read_bytes(), policy=default)
    assert eml["To"].addresses[0].addr_spec == "rita@bee.example"
    assert bee.markdown_file == empty_ws.root / "drafts" / "bee-1" / "withdrawal.md"

    msgs = empty_ws.load("messages")
    assert list(msgs["kind"]) == ["other", "other"]
    assert list(msgs["status"]) == ["draft", "draft"]
    assert list(msgs["contact_id"]) == ["rita", ""]
    assert list(msgs["draft_file"]) == ["drafts/bee-1/withdrawal.md", "drafts/cee-1/withdrawal.md"]
    assert [r["message_id"] for r, _ in withdrawal_drafts(empty_ws, empty_ws.load_all())] == [
        "withdrawal-bee-1",
        "withdrawal-cee-1",
    ]

    # Idempotent: nothing new, no file touched.
    before = tree_digest(empty_ws.root)
    assert draft_withdrawals(empty_ws, TODAY + dt.timedelta(days=1)) == []
    assert tree_digest(empty_ws.root) == before

    board = pipeline_table(empty_ws.load_all(), Profile(), TODAY)
    signed = board_row(board, "acme-1")
    assert signed["next_action"] == "Offer signed on Wed 25 Nov: congratulations!"
    assert signed["priority"] == 3
    assert board_row(board, "bee-1")["next_action"].startswith("Withdraw politely")
    assert board_row(board, "cee-1")["priority"] == 0
    assert board_row(board, "dee-1")["next_action"] == "None: your search is over"
    assert not board["stale"].any()


def test_a_withdrawal_from_an_offer_declines_it(empty_ws):
    build(
        empty_ws,
        applications=[
            app("a-1", stage="accepted", offer_signed_on="2026-11-20"),
            app("b-1", stage="offer", company="Bee"),
        ],
    )
    [w] = draft_withdrawals(empty_ws, TODAY)
    assert "respectfully decline" in w.draft.body


def test_a_workspace_template_overrides_the_withdrawal(empty_ws):
    build(
        empty_ws,
        applications=[
            app("a-1", stage="accepted", offer_signed_on="2026-11-20"),
            app("b-1", company="Bee"),
        ],
    )
    (empty_ws.root / "templates").mkdir()
    (empty_ws.root / "templates" / "withdrawal.md.j2").write_text(
        "Subject: Bye {{ company }}\n\nShort and sweet.\n", encoding="utf-8"
    )
    [w] = draft_withdrawals(empty_ws, TODAY)
    assert (w.draft.subject, w.draft.body) == ("Bye Bee", "Short and sweet.\n")


# -- change_stage ------------------------------------------------------------------


def test_every_stage_change_is_recorded_in_stage_history(empty_ws):
    build(
        empty_ws,
        applications=[app("a-1", stage="saved"), app("b-1", "screening", applied_on="2026-10-01")],
    )
    done = change_stage(empty_ws, "a-1", "applied", dt.date(2026, 11, 20))
    assert (done.before, done.after, done.history_added) == ("saved", "applied", True)
    change_stage(empty_ws, "a-1", "screening", dt.date(2026, 11, 24))
    change_stage(empty_ws, "b-1", "applied", dt.date(2026, 11, 24))  # back, after a screen
    tables = empty_ws.load_all()
    apps = tables["applications"].set_index("application_id")
    assert apps.loc["a-1", "applied_on"] == "2026-11-20"  # set on moving to applied
    assert (apps.loc["a-1", "stage"], apps.loc["a-1", "stage_changed_on"]) == (
        "screening",
        "2026-11-24",
    )
    assert apps.loc["b-1", "applied_on"] == "2026-10-01"  # never overwritten
    history = tables["stage_history"]
    assert history.values.tolist() == [
        ["a-1", "applied", "2026-11-20"],
        ["a-1", "screening", "2026-11-24"],
        ["b-1", "applied", "2026-11-24"],
    ]


def test_offer_signed_on_is_set_only_when_given(empty_ws):
    build(empty_ws, applications=[app("a-1", stage="offer"), app("b-1", stage="offer")])
    change_stage(empty_ws, "a-1", "accepted", TODAY)
    assert empty_ws.load("applications")["offer_signed_on"].tolist() == ["", ""]
    done = change_stage(empty_ws, "a-1", "accepted", TODAY, offer_signed_on=TODAY)  # sign only
    assert not done.history_added and done.signed_on == TODAY
    assert empty_ws.load("applications")["offer_signed_on"].tolist() == ["2026-11-25", ""]
    assert len(empty_ws.load("stage_history")) == 1


@pytest.mark.parametrize(
    ("application_id", "stage", "signed", "field"),
    [
        ("a-1", "interviewing", None, "stage"),  # already there
        ("a-1", "hired", None, "stage"),
        ("a-1", "applied", TODAY, "offer_signed_on"),
    ],
)
def test_a_refused_stage_change_writes_nothing(empty_ws, application_id, stage, signed, field):
    build(empty_ws, applications=[app("a-1", stage="interviewing")])
    before = tree_digest(empty_ws.root)
    with pytest.raises(FieldErrors) as err:
        change_stage(empty_ws, application_id, stage, TODAY, offer_signed_on=signed)
    assert field in err.value.errors
    assert tree_digest(empty_ws.root) == before


def test_a_stage_change_inside_a_larger_transaction_is_all_or_nothing(empty_ws):
    build(empty_ws, applications=[app("a-1", applied_on="2026-11-01")])
    before = tree_digest(empty_ws.root)
    with pytest.raises(WorkspaceError), empty_ws.transaction() as tx:
        stage_change_in(tx, "a-1", "interviewing", TODAY)
        tx.append("interviews", [{"interview_id": "i", "application_id": "nope"}])
    assert tree_digest(empty_ws.root) == before
    with empty_ws.transaction() as tx:
        done = stage_change_in(tx, "a-1", "interviewing", TODAY)
    assert done.history_added
    assert empty_ws.load("stage_history").values.tolist() == [["a-1", "interviewing", "2026-11-25"]]


def test_changing_an_unknown_application_writes_nothing(empty_ws):
    build(empty_ws, applications=[app("a-1")])
    before = tree_digest(empty_ws.root)
    with pytest.raises(WorkspaceError, match="no application 'nope'"):
        change_stage(empty_ws, "nope", "screening", TODAY)
    assert tree_digest(empty_ws.root) == before


# -- add_application ---------------------------------------------------------------


def test_adding_an_application_writes_it_and_its_history(empty_ws):
    record = parse_application(
        {
            "company": " Zoë & Co ",
            "role": 'Analyst "Data"',
            "job_url": "https://zoe.example/jobs/1",
            "salary_min": "85,000",
            "salary_max": "95000",
            "currency": "eur",
            "notes": "=1+1 is not a formula",
        }
    )
    added = add_application(empty_ws, record, TODAY)
    assert (added.application_id, added.stage, added.applied_on) == (
        "zoe-co-analyst-data",
        "applied",
        "2026-11-25",
    )
    row = empty_ws.load("applications").iloc[0]
    assert (row["company"], row["role"], row["salary_min"], row["currency"]) == (
        "Zoë & Co",
        'Analyst "Data"',
        "85000",
        "EUR",
    )
    assert row["notes"] == "=1+1 is not a formula"
    assert empty_ws.load("stage_history").values.tolist() == [
        ["zoe-co-analyst-data", "applied", "2026-11-25"]
    ]


def test_adding_at_a_later_stage_records_applied_and_the_stage(empty_ws):
    record = parse_application(
        {"company": "Acme", "role": "Analyst", "stage": "interviewing", "applied_on": "2026-11-01"}
    )
    add_application(empty_ws, record, TODAY)
    assert empty_ws.load("stage_history").values.tolist() == [
        ["acme-analyst", "applied", "2026-11-01"],
        ["acme-analyst", "interviewing", "2026-11-25"],
    ]


def test_a_new_application_is_validated_field_by_field():
    with pytest.raises(FieldErrors) as err:
        parse_application(
            {
                "company": "  ",
                "role": "",
                "job_url": "javascript:alert(1)",
                "salary_min": "90k",
                "currency": "dollars",
                "applied_on": "last week",
                "stage": "hired",
            }
        )
    assert set(err.value.errors) == {
        "company",
        "role",
        "job_url",
        "salary_min",
        "currency",
        "applied_on",
        "stage",
    }
    assert err.value.errors["company"] == "this is required"
    with pytest.raises(FieldErrors) as err:
        parse_application({"company": "A", "role": "B", "salary_min": "9", "salary_max": "8"})
    assert err.value.errors == {"salary_max": "the maximum is below the minimum"}


def test_the_same_company_and_role_is_a_duplicate_warning(empty_ws):
    add_application(empty_ws, parse_application({"company": "Acme", "role": "Analyst"}), TODAY)
    before = tree_digest(empty_ws.root)
    again = parse_application({"company": "ACME", "role": " analyst "})
    with pytest.raises(DuplicateApplication, match="already in your pipeline: acme-analyst"):
        add_application(empty_ws, again, TODAY)
    assert tree_digest(empty_ws.root) == before
    added = add_application_anyway(empty_ws, again, TODAY)
    assert added.application_id == "acme-analyst-2"
    # Another role at the same company is not a duplicate.
    add_application(empty_ws, parse_application({"company": "Acme", "role": "Engineer"}), TODAY)
    assert len(empty_ws.load("applications")) == 3


# -- scale ---------------------------------------------------------------------------


def test_a_hundred_thousand_applications_are_handled(example_ws):
    """Correct at scale (its speed is measured by the benchmarks, not here)."""
    tables = example_ws.load_all()
    n = 100_000
    rng = np.random.default_rng(7)
    stages = np.array(["saved", "applied", "screening", "interviewing", "offer", "rejected"])
    ids = pd.Series([f"app-{i}" for i in range(n)], dtype="str")
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 320, n), unit="D")
    apps = pd.DataFrame(
        {c: pd.Series([""] * n, dtype="str") for c in tables["applications"].columns}
    )
    apps["application_id"] = ids
    apps["company"] = pd.Series([f"Company {i % 7000}" for i in range(n)], dtype="str")
    apps["role"] = "Analyst"
    apps["stage"] = pd.Series(rng.choice(stages, n), dtype="str")
    apps["applied_on"] = pd.Series(days.strftime("%Y-%m-%d"), dtype="str")
    history = pd.DataFrame(
        {"application_id": ids, "stage": apps["stage"], "changed_on": apps["applied_on"]}
    )
    big = {**tables, "applications": apps, "stage_history": history}
    profile = Profile()
    board = pipeline_table(big, profile, TODAY)
    reached = funnel(big)
    weekly = weekly_counts(apps, TODAY)
    search_status(big, profile, TODAY)
    basket_warnings(apps, profile)
    assert len(board) == n
    assert board["application_id"].is_unique
    assert int(reached.set_index("stage").at["saved", "reached"]) == n  # all were saved
    assert int(weekly["sent"].sum()) <= n


def test_the_pipeline_shows_the_coachs_latest_note(example_ws):
    tables = example_ws.load_all()
    board = pipeline_table(tables, load_profile(example_ws), dt.date(2026, 11, 25))
    coach = tables["coach_notes"]
    latest = coach.sort_values("added_on").iloc[-1]
    view = pipeline_view(board, coach).set_index("company")
    company = (
        tables["applications"].set_index("application_id").at[latest["application_id"], "company"]
    )
    assert view.at[company, "coach"].startswith(latest["note"][:40])
    assert latest["author"] in view.at[company, "coach"]
    assert "coach" not in pipeline_view(board, coach.iloc[0:0]).columns
