"""The report's summary: the same numbers as 04_pipeline (one source), what changed
since the last report shared, and the numbers' small file read back with checks."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from benchmarks import synthetic
from helpers import glance as glance_mod
from helpers.glance import changes, from_json, glance, to_json
from helpers.pipeline import pipeline_summary, pipeline_table, search_status
from helpers.profile import load_profile
from helpers.report import build_report, standing_paragraph
from helpers.share import previous_glance, write_report

TODAY = dt.date(2026, 11, 25)


def _summary(page: str) -> str:
    return page.split('<section id="summary"', 1)[1].split("</section>", 1)[0]


def _same_as_04(ws, today: dt.date) -> None:
    tables = ws.load_all()
    profile = load_profile(ws)
    line = pipeline_summary(pipeline_table(tables, profile, today))  # what 04 prints
    active, saved, closed = map(
        int, re.search(r"(\d+) active, (\d+) saved, (\d+) closed", line).groups()
    )
    g = glance(tables, profile, today)
    assert (g.active, g.saved, g.closed) == (active, saved, closed)
    assert f"{g.stale} stale" in line
    assert g.sent_this_week == search_status(tables, profile, today).sent_this_week
    page = build_report(ws, today)
    assert f"{active} active, {saved} saved, {closed} closed" in _summary(page)
    assert standing_paragraph(g) in _summary(page)


def test_the_report_gives_04s_counts_on_the_example(example_ws):
    _same_as_04(example_ws, TODAY)
    summary = _summary(build_report(example_ws, TODAY))
    assert "13 applications: 9 active, 1 saved, 3 closed." in summary
    assert "2 applications sent against a goal of 8, 6 to go" in summary
    assert "<h3>Next actions</h3>" in summary and "Answer the offer" in summary
    assert 'src="data:image/png;base64,' in summary  # the funnel, inline


@pytest.mark.parametrize("seed", [3, 11])
def test_the_report_gives_04s_counts_on_synthetic_workspaces(tmp_path, seed):
    ws = synthetic.generate(150, seed, tmp_path / "ws", check=False)
    _same_as_04(ws, TODAY)


def test_what_changed_since_the_last_report_shared(example_ws):
    first = write_report(example_ws, dt.date(2026, 11, 20))
    assert first == "reports/report-2026-11-20.html"
    assert (example_ws.root / "reports" / "summary-2026-11-20.json").exists()
    apps = example_ws.load("applications")
    lumen = apps["application_id"].str.startswith("lumen")
    apps.loc[lumen, "stage"] = "interviewing"
    example_ws.save("applications", apps)
    assert previous_glance(example_ws, TODAY).as_of == "2026-11-20"
    assert previous_glance(example_ws, dt.date(2026, 11, 20)) is None  # only earlier ones
    write_report(example_ws, TODAY)
    page = (example_ws.root / "reports" / "report-2026-11-25.html").read_text("utf-8")
    summary = _summary(page)
    assert "Since the last report (Friday, November 20, 2026)" in summary
    assert "screening → interviewing" in summary


def test_changes_between_two_glances(example_ws):
    tables = example_ws.load_all()
    profile = load_profile(example_ws)
    before = glance(tables, profile, dt.date(2026, 11, 10))
    after = glance(tables, profile, TODAY)
    c = changes(before, after)
    assert c.since == "2026-11-10"
    assert c.interviews == after.interviews_held - before.interviews_held >= 1
    assert c.any


def test_the_numbers_file_round_trips_and_refuses_anything_else(example_ws):
    g = glance(example_ws.load_all(), load_profile(example_ws), TODAY)
    assert from_json(to_json(g)) == g
    for bad in (b"", b"[]", b'{"format": 1}', to_json(g).replace(b'"active": 9', b'"active": -1')):
        with pytest.raises(ValueError):
            from_json(bad)
    assert glance_mod.SUMMARY_MEMBER == "data/summary.json"


def test_a_person_without_email_reads_sensibly_and_no_raw_codes_show(example_ws):
    page = build_report(example_ws, TODAY)
    assert "to , drafted" not in page
    assert "hiring_manager" not in page and "thank_you" not in page
    assert "[ ]" not in page and "[x]" not in page
    assert "<th>application_id</th>" not in page and "<th>Application_id</th>" not in page
    assert "<script" not in page.lower()
    assert page.count("<details") == 6 and "@media print" in page
