"""Views that follow the data: a save anywhere re-renders every view of its workspace."""

from __future__ import annotations

import datetime as dt

from helpers import live
from helpers.display import markdown
from helpers.interview_forms import InterviewForm
from helpers.message_forms import MarkSentForm
from tests.test_forms import click, fill, person

TODAY = dt.date(2026, 11, 25)


def _research_count(ws):
    calls = []

    def render():
        calls.append(1)
        return markdown(f"**{len(ws.load('research'))}** research notes")

    return render, calls


def test_a_view_shows_its_section_and_follows_every_save(example_ws):
    render, calls = _research_count(example_ws)
    view = live.View(example_ws, render, key="research-count")
    before = len(example_ws.load("research"))
    assert f"<strong>{before}</strong> research notes" in view.widget.value
    example_ws.append(
        "research",
        [
            {
                "application_id": "northwind-analytics-data-analyst",
                "note": "x",
                "added_on": "2026-11-25",
            }
        ],
    )
    assert f"<strong>{before + 1}</strong> research notes" in view.widget.value
    assert len(calls) == 2


def test_saves_in_one_batch_render_once(example_ws):
    render, calls = _research_count(example_ws)
    live.View(example_ws, render, key="batched")
    row = {
        "application_id": "northwind-analytics-data-analyst",
        "note": "y",
        "added_on": "2026-11-25",
    }
    with live.batch():
        example_ws.append("research", [row])
        example_ws.append("research", [{**row, "note": "z"}])
        assert len(calls) == 1
    assert len(calls) == 2


def test_running_a_cell_again_replaces_its_view(example_ws):
    first_render, first = _research_count(example_ws)
    second_render, second = _research_count(example_ws)
    live.View(example_ws, first_render, key="same-cell")
    live.View(example_ws, second_render, key="same-cell")
    example_ws.append(
        "research",
        [
            {
                "application_id": "northwind-analytics-data-analyst",
                "note": "w",
                "added_on": "2026-11-25",
            }
        ],
    )
    assert (len(first), len(second)) == (1, 2)


def test_a_view_keeps_its_content_for_static_viewers_and_says_to_run_when_not_live(example_ws):
    view = live.View(example_ws, lambda: markdown("**hello** $5"), key="static")
    bundle = view.widget._repr_mimebundle_()
    assert "<strong>hello</strong>" in bundle["text/html"]
    assert "mathjax_ignore" in bundle["text/html"]
    assert "Run All Cells" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_broken_view_says_so_and_the_save_stands(example_ws):
    def broken():
        raise RuntimeError("boom")

    view = live.View(example_ws, broken, key="broken")
    assert "could not be shown" in view.widget.value and "boom" in view.widget.value
    example_ws.append(
        "research",
        [
            {
                "application_id": "northwind-analytics-data-analyst",
                "note": "v",
                "added_on": "2026-11-25",
            }
        ],
    )
    assert example_ws.load("research").iloc[-1]["note"] == "v"


def test_forms_say_to_run_the_notebook_when_shown_unrun(example_ws):
    assert "Run All Cells" in repr(InterviewForm(example_ws, TODAY))
    assert repr(InterviewForm(example_ws, TODAY)).startswith("Record an interview")


def test_a_saved_interview_reaches_the_mark_sent_form_and_the_drafts_view_at_once(example_ws):
    mark = MarkSentForm(example_ws, TODAY)
    waiting = len(mark._fields["message"].options)

    def drafts():
        return markdown(f"{len(example_ws.load('messages'))} messages")

    view = live.View(example_ws, drafts, key="drafts")
    before = len(example_ws.load("messages"))
    form = InterviewForm(example_ws, TODAY)
    fill(form, company="Quarry Labs", role="Product Analyst", round="1", format="video")
    form._fields["held_on"].value = dt.date(2026, 11, 24)
    person(
        form.people.children[0], name="Ana Silva", email="ana@quarry.example", talking_point="dbt"
    )
    click(form, "Save")
    assert "Saved" in form.status.value, form.status.value
    assert len(mark._fields["message"].options) == waiting + 1
    assert f"{before + 1} messages" in view.widget.value


def test_a_change_made_outside_this_kernel_re_renders_once(example_ws, monkeypatch):
    """A save by another process (another notebook's kernel, a spreadsheet) re-renders
    the views of a kernel that runs an event loop; its own saves are not shown twice."""
    import asyncio
    import shutil

    monkeypatch.setattr(live, "WATCH_SECONDS", 0.05)
    render, calls = _research_count(example_ws)

    async def scenario():
        live.View(example_ws, render, key="outside")
        assert len(calls) == 1
        await asyncio.sleep(0.3)
        assert len(calls) == 1  # nothing changed, nothing rendered
        # Another process rewrites research.csv (as a save does: a new file renamed).
        path = example_ws.file("research")
        shutil.copyfile(path, path.with_suffix(".new"))
        with path.with_suffix(".new").open("a", encoding="utf-8") as f:
            f.write("northwind-analytics-data-analyst,company,from elsewhere,,2026-11-25,\n")
        path.with_suffix(".new").replace(path)
        await asyncio.sleep(0.5)
        assert len(calls) == 2
        # A save in this kernel re-renders once, and the watcher does not add a second.
        example_ws.append(
            "research",
            [
                {
                    "application_id": "northwind-analytics-data-analyst",
                    "note": "y",
                    "added_on": "2026-11-25",
                }
            ],
        )
        await asyncio.sleep(0.5)
        assert len(calls) == 3

    try:
        asyncio.run(scenario())
    finally:
        live._seen.pop(example_ws.root, None)
