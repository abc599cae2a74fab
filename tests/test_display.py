"""What the notebooks show stays readable at any size: capped tables (the rest in a
CSV file), a capped timeline, and pickers that list a page of choices with a search."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from helpers.charts import timeline_figure
from helpers.display import ROWS_SHOWN, table
from helpers.formkit import PICKER_ROWS, Picker
from helpers.interview_forms import InterviewForm
from helpers.message_forms import MarkSentForm
from helpers.profile import load_profile
from tests.conftest import many_applications

TODAY = dt.date(2026, 11, 25)


def frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "company": [f"Company {i}" for i in range(n)],
            "note": ["=HYPERLINK(1)" if i == 0 else f'<b>{i}</b>, "q"\nline' for i in range(n)],
        },
        dtype="str",
    ).assign(days=pd.array([i if i % 2 else None for i in range(n)], dtype="Int64"))


def body_rows(html: str) -> int:
    return html.split("<tbody>")[1].count("<tr")


def test_a_short_table_is_shown_whole_and_writes_nothing(empty_ws):
    shown = table(frame(ROWS_SHOWN), ws=empty_ws, export="reports/x.csv").data
    assert body_rows(shown) == ROWS_SHOWN
    assert "Showing" not in shown
    assert "&lt;b&gt;1&lt;/b&gt;" in shown  # escaped
    assert not (empty_ws.root / "reports").exists()


def test_a_long_table_shows_the_first_rows_and_writes_the_whole(empty_ws):
    df = frame(ROWS_SHOWN * 3 + 7)
    shown = table(df, ws=empty_ws, export="reports/follow-up-status.csv").data
    assert body_rows(shown) == ROWS_SHOWN
    assert "Company 0<" in shown and f"Company {ROWS_SHOWN}<" not in shown
    assert f"Showing the first {ROWS_SHOWN} of {len(df)} rows" in shown
    assert "<code>reports/follow-up-status.csv</code>" in shown
    written = (empty_ws.root / "reports" / "follow-up-status.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(written)))
    assert rows[0] == ["company", "note", "days"]
    assert len(rows) == len(df) + 1
    assert rows[1] == ["Company 0", "'=HYPERLINK(1)", ""]  # a formula never runs
    assert rows[2] == ["Company 1", '<b>1</b>, "q"\nline', "1"]
    assert not list((empty_ws.root / "reports").glob(".*"))  # no temporary file left


def test_without_an_export_a_long_table_says_how_to_narrow_it():
    shown = table(frame(ROWS_SHOWN + 1), more="Every event is in the calendar file.").data
    assert body_rows(shown) == ROWS_SHOWN
    assert shown.endswith("Every event is in the calendar file.</p></div>")
    assert "application_id" in table(frame(ROWS_SHOWN + 1)).data


def test_a_table_is_still_shown_when_its_export_cannot_be_written(empty_ws, monkeypatch):
    import errno
    import os

    from helpers import csvio

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(csvio.tempfile, "mkstemp", read_only)
    shown = table(frame(ROWS_SHOWN + 1), ws=empty_ws, export="reports/pipeline.csv").data
    assert body_rows(shown) == ROWS_SHOWN
    assert "could not be written to reports/pipeline.csv (Read-only file system)" in shown
    assert not (empty_ws.root / "reports" / "pipeline.csv").exists()


def test_an_export_path_never_leaves_the_workspace(empty_ws):
    table(frame(ROWS_SHOWN + 1), ws=empty_ws, export="../../outside.csv")
    assert not (empty_ws.root.parent / "outside.csv").exists()
    assert [p.name for p in empty_ws.root.rglob("*.csv")] == ["outside.csv"]


def test_the_timeline_draws_the_most_urgent_applications_only(example_ws):
    tables, profile = example_ws.load_all(), load_profile(example_ws)
    whole = timeline_figure(tables, profile, TODAY)
    n = len(whole.axes[0].get_yticks())
    assert n > 2
    assert whole.axes[0].get_title(loc="left") == "Interviews, notes and follow-ups"
    capped = timeline_figure(tables, profile, TODAY, limit=2)
    ax = capped.axes[0]
    assert len(ax.get_yticks()) == 2
    assert ax.get_title(loc="left") == (
        f"Interviews, notes and follow-ups: the 2 most urgent of {n} open applications"
    )
    from helpers.rules import follow_up_states

    states = follow_up_states(tables, profile, TODAY)
    states = states[
        ~states["state"].isin(["none_needed", "no_interview", "interview_upcoming", "waiting"])
        & (states["kind"] != "check_in")
    ]
    apps = tables["applications"].set_index("application_id")
    urgent = {apps.at[a, "company"] for a in states["application_id"].head(2)}
    assert {t.get_text() for t in ax.get_yticklabels()} == urgent


CHOICES = [(f"Company {i} — Analyst", f"company-{i}") for i in range(PICKER_ROWS * 3)]


def test_a_picker_with_few_choices_is_a_plain_dropdown():
    picker = Picker(CHOICES[:5], noun="applications")
    assert picker.children == (picker.dropdown,)
    assert picker.value == "company-0"
    assert picker.options == tuple(CHOICES[:5])
    assert Picker(CHOICES[:5], None).value is None
    assert Picker([]).value is None


def test_a_picker_with_many_choices_lists_a_page_and_searches_the_rest():
    picker = Picker(CHOICES, noun="applications")
    assert picker.children == (picker.search, picker.dropdown)
    assert len(picker.dropdown.options) == PICKER_ROWS
    assert picker.search.placeholder == f"type to find one of {len(CHOICES)} applications"
    seen = []
    picker.observe(lambda change: seen.append(change.new), names="value")
    picker.search.value = "company 25"  # as typed in the browser
    assert [v for _, v in picker.dropdown.options] == [
        "company-25",
        *[f"company-{i}" for i in range(250, 260)],
    ]
    assert picker.value == "company-25"
    picker.dropdown.value = "company-257"  # as chosen in the browser
    assert picker.value == "company-257"
    assert seen == ["company-25", "company-257"]
    picker.search.value = "no such company"
    assert picker.value is None and picker.dropdown.options == ()


def test_a_picker_takes_any_choice_listed_or_not():
    picker = Picker(CHOICES, noun="applications")
    last = CHOICES[-1][1]
    picker.value = last
    assert picker.dropdown.value == last
    assert len(picker.dropdown.options) == PICKER_ROWS + 1
    with pytest.raises(Exception, match="not one of the applications"):
        picker.value = "company-none"
    assert picker.value == last
    picker.options = CHOICES[1::2]  # still a choice: kept
    assert picker.value == last
    picker.options = CHOICES[:3]  # gone: the first
    assert picker.value == "company-0"
    assert picker.children == (picker.dropdown,)


def test_forms_offer_many_applications_through_a_search(empty_ws):
    n = PICKER_ROWS * 4
    empty_ws.save("applications", many_applications(n))
    form = InterviewForm(empty_ws, TODAY)
    picker = form._fields["application"]
    assert len(picker.options) == n + 1  # and "New application…"
    assert len(picker.dropdown.options) == PICKER_ROWS
    picker.search.value = "company 399"
    assert picker.value == "company-399-analyst"
    assert MarkSentForm(empty_ws, TODAY)._fields["message"].value is None


def test_unsent_drafts_show_the_oldest_and_say_how_many_more(example_ws):
    from helpers.display import pending_drafts_html
    from helpers.thankyou import draft_thank_yous, pending_drafts

    draft_thank_yous(example_ws, TODAY)
    tables = example_ws.load_all()
    every = pending_drafts(example_ws, tables, "thank_you", limit=None)
    assert len(every) >= 3 and every.total == len(every)
    first = pending_drafts(example_ws, tables, "thank_you", limit=2)
    assert (len(first), first.total) == (2, len(every))
    assert [r["message_id"] for r, _ in first] == [r["message_id"] for r, _ in every[:2]]
    shown = pending_drafts_html(first).data
    assert shown.count('class="wb-draft"') == 2
    assert f"Showing the oldest 2 of {len(every)} unsent drafts" in shown
    assert "Showing" not in pending_drafts_html(every).data


@pytest.fixture
def kernel(monkeypatch):
    """Run as inside a notebook's kernel: what is displayed is collected."""
    from helpers import display

    shown = []
    monkeypatch.setattr(display, "in_kernel", lambda: True)
    monkeypatch.setattr(display, "display", shown.append)
    return shown


def test_long_work_shows_a_progress_bar_in_a_kernel(kernel):
    from helpers.display import PROGRESS_FROM, Progress

    progress = Progress(PROGRESS_FROM + 5, "Notes")
    assert kernel == [progress.bar]
    for _ in range(PROGRESS_FROM):
        progress.step()
    assert (progress.bar.value, progress.bar.max) == (PROGRESS_FROM, PROGRESS_FROM + 5)
    progress.done()
    assert progress.bar.value == progress.bar.max and progress.bar.bar_style == "success"
    assert Progress(PROGRESS_FROM - 1, "Notes").bar is None  # short work: no bar
    assert len(kernel) == 1


def test_no_progress_bar_outside_a_kernel():
    from helpers.display import PROGRESS_FROM, Progress

    assert Progress(PROGRESS_FROM * 10, "Notes").bar is None


def test_a_progress_callback_becomes_a_bar_in_a_kernel(kernel):
    from helpers.display import PROGRESS_FROM, ProgressBar

    report = ProgressBar("Notes")
    report(0, PROGRESS_FROM + 5)
    [bar] = kernel
    report(PROGRESS_FROM, PROGRESS_FROM + 5)
    assert (bar.value, bar.max, bar.description) == (PROGRESS_FROM, PROGRESS_FROM + 5, "Notes")
    report(PROGRESS_FROM + 5, PROGRESS_FROM + 5)
    assert bar.value == bar.max and bar.bar_style == "success"
    few = ProgressBar("Notes")
    few(0, PROGRESS_FROM - 1)
    few(PROGRESS_FROM - 1, PROGRESS_FROM - 1)  # short work: no bar
    assert len(kernel) == 1


def test_the_domain_reports_progress_through_its_callback(example_ws):
    from helpers.research_note import write_notes

    seen = []
    written = write_notes(example_ws, progress=lambda done, total: seen.append((done, total)))
    n = len(written)
    assert n and seen == [(0, n), *((i, n) for i in range(1, n + 1)), (n, n)]


def test_sharing_a_large_workspace_shows_its_progress(example_ws, kernel):
    from helpers.share import share

    notes = example_ws.root / "notes"
    notes.mkdir(exist_ok=True)
    for i in range(120):
        (notes / f"extra-{i}.md").write_text(f"# Note {i}\n", encoding="utf-8")
    from helpers.display import ProgressBar

    share(example_ws, TODAY, progress=ProgressBar("Sharing"))
    [bar] = kernel
    assert bar.description == "Sharing"
    assert bar.value == bar.max and bar.bar_style == "success"


def test_a_folder_is_named_as_the_user_finds_it(tmp_path):
    from pathlib import Path

    from helpers.display import folder_line

    class Workspace:
        root = tmp_path / "ws"

    assert folder_line(Workspace(), tmp_path / "ws" / "bundles") == "`bundles/` in your workspace"
    assert folder_line(Workspace(), Path.home() / "Clients") == "`~/Clients`"
    assert folder_line(Workspace(), tmp_path / "elsewhere") == f"`{tmp_path / 'elsewhere'}`"
