"""Hostile input through the forms and the store: nothing crashes, nothing escapes the
workspace, nothing runs as a formula or a script, and every rejection says why."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pandas as pd
import pytest

from helpers import Workspace, WorkspaceError
from helpers.interview_forms import InterviewForm
from tests.conftest import many_applications
from tests.test_forms import click, fill, person

TODAY = dt.date(2026, 11, 25)
FORMULAS = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1,2)", "\t=1", "\r=1", '=HYPERLINK("x")']
SCRIPTS = ["<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "javascript:alert(1)"]
PATHS = ["../../etc/passwd", "/etc/passwd", "..\\..\\boot.ini", "a/../../b", "\x00evil", "~root"]
CONTROL = [
    "bell\x07",
    "esc\x1b[31mred",
    "nul\x00byte",
    "vt\x0bff\x0c",
    "nel\x85",
    "ls\u2028ps\u2029",
]
PAYLOADS = FORMULAS + SCRIPTS + PATHS + CONTROL


def markup(html_text: str) -> set[tuple[str, str]]:
    """Every (tag, attribute) in an HTML fragment: what a browser would build from it."""
    from html.parser import HTMLParser

    found: set[tuple[str, str]] = set()

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.add((tag, ""))
            found.update((tag, name) for name, _ in attrs)

    Collect().feed(html_text)
    return found


def hrefs(html_text: str) -> list[str]:
    import re

    return re.findall(r'href="([^"]*)"', html_text)


def files_outside(root, before: set[str]) -> set[str]:
    """Paths created anywhere under ``root``'s parent but outside ``root``."""
    parent = root.parent
    now = {str(p) for p in parent.rglob("*")}
    return {p for p in now - before if not p.startswith(str(root))}


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_values_in_every_interview_field(empty_ws, payload):
    root = empty_ws.root
    outside_before = {str(p) for p in root.parent.rglob("*")}
    form = InterviewForm(empty_ws, TODAY)
    fill(
        form,
        company=f"Co {payload}",
        role=f"Role {payload}",
        round=payload,
        impressions=payload,
        next_steps=payload,
    )
    person(
        form.people.children[0],
        name=f"Ann {payload}",
        title=payload,
        talking_point=f"the {payload} thing",
    )
    click(form, "Save")
    assert "Saved the interview" in form.status.value, form.status.value
    tables = empty_ws.load_all()
    # Forms trim spaces around a value (as every field does); the rest is kept exactly.
    assert tables["applications"].at[0, "company"] == f"Co {payload}".strip()
    assert tables["interviews"].at[0, "impressions"] == payload.strip()
    assert tables["contacts"].at[0, "name"] == f"Ann {payload}".strip()
    # Shown as HTML: escaped, never markup.
    found = markup(form.drafts.value)
    assert {tag for tag, _ in found} <= {"div", "b", "span", "pre", "a", "i"}
    assert {attr for _, attr in found if attr} <= {"class", "style", "href"}
    assert all(h.startswith("mailto:") for h in hrefs(form.drafts.value))
    # Files: inside the workspace, named by slugs; no cell starts a formula.
    assert files_outside(root, outside_before) == set()
    for path in root.rglob("*"):
        assert root in path.resolve().parents
    for table in root.glob("*.csv"):
        for row in csv.reader(io.StringIO(table.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                assert not cell or cell[0] not in "=+-@\t\r", (table.name, cell)


def test_a_5_mb_note_is_saved_and_read_back(empty_ws):
    note = ('five megabytes, with commas, "quotes" and\nnewlines. ' * 100_000)[: 5 * 1024 * 1024]
    empty_ws.append(
        "applications",
        [
            {
                "application_id": "big",
                "company": "Big",
                "role": "Note",
                "stage": "saved",
                "notes": note,
            }
        ],
    )
    assert empty_ws.load("applications").at[0, "notes"] == note


def test_a_100_000_row_table_loads_checks_and_takes_a_form_save(empty_ws):
    n = 100_000
    empty_ws.save("applications", many_applications(n))
    assert empty_ws.check() == []
    form = InterviewForm(empty_ws, TODAY)
    form._fields["application"].value = "company-99999-analyst"
    person(form.people.children[0], name="Lee", talking_point="scale")
    click(form, "Save")
    assert "Saved the interview" in form.status.value, form.status.value
    loaded = empty_ws.load("applications")
    assert len(loaded) == n
    assert loaded.set_index("application_id").at["company-99999-analyst", "stage"] == "interviewing"


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("Subject: {{ ''.__class__.__mro__[1].__subclasses__() }}\n\nx\n", "not allowed"),
        ("Subject: x\n\n{% include '/etc/passwd' %}\n", "not a template"),
        ("Subject: x\n\n{% include '../../../../etc/passwd' %}\n", "not a template"),
        ("Subject: {{ oops\n", "line 1"),
    ],
)
def test_a_hostile_workspace_template_is_refused_not_run(empty_ws, template, words):
    (empty_ws.root / "templates").mkdir()
    (empty_ws.root / "templates" / "thank_you.md.j2").write_text(template)
    form = InterviewForm(empty_ws, TODAY)
    fill(form, company="Acme", role="Analyst")
    person(form.people.children[0], name="Lee", talking_point="x")
    click(form, "Save")
    status = form.status.value
    assert "Saved the interview" in status and "could not be made" in status, status
    assert "thank_you.md.j2" in status and words in status, status
    assert "root:" not in status and "subclasses" not in form.drafts.value
    assert form.drafts.value == ""
    assert empty_ws.load("messages").empty
    assert not (empty_ws.root / "drafts").exists()


def test_draft_paths_from_hostile_ids_stay_inside(empty_ws):
    ws = empty_ws
    for payload in PATHS:
        path = ws.path("drafts", payload, f"thank-you-{payload}.md")
        assert ws.root in path.parents


def test_rejections_say_why(empty_ws):
    with pytest.raises(WorkspaceError) as err:
        empty_ws.append(
            "applications",
            [{"application_id": "../x", "company": "A", "role": "B", "stage": "hired"}],
        )
    text = str(err.value)
    assert "application_id" in text and "not an identifier" in text
    assert "stage" in text and "not one of" in text
    assert not empty_ws.file("applications").exists()
    assert isinstance(Workspace(empty_ws.root).load("applications"), pd.DataFrame)


# -- imports -----------------------------------------------------------------------


def _tracker_csv(path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["Company Name", "Job Title", "Status", "Date Applied", "Notes"])
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def test_hostile_values_in_every_imported_column(empty_ws, tmp_path):
    from helpers.importer import import_applications

    source = tmp_path / "tracker.csv"
    rows = [
        [f"Co {i} {p}", f"Role {p}", "Applied", "2026-11-02", p] for i, p in enumerate(PAYLOADS)
    ]
    _tracker_csv(source, rows)
    outside_before = {str(p) for p in empty_ws.root.parent.rglob("*")}
    plan = import_applications(empty_ws, source)
    assert plan.added == len(PAYLOADS)
    apps = empty_ws.load("applications")
    # As typed, but for spaces around a value, which imports trim like forms do.
    assert list(apps["notes"]) == [p.strip() for p in PAYLOADS]
    assert apps["application_id"].str.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*").all()
    assert files_outside(empty_ws.root, outside_before) == set()
    for row in csv.reader(
        io.StringIO(empty_ws.file("applications").read_text(encoding="utf-8"), newline="")
    ):
        for cell in row:
            assert not cell or cell[0] not in "=+-@\t\r"


def test_a_100_000_row_import_is_previewed_and_written_whole(empty_ws, tmp_path):
    from helpers.importer import import_applications

    source = tmp_path / "big.csv"
    _tracker_csv(
        source, [[f"Company {i}", "Analyst", "Applied", "2026-11-02", ""] for i in range(100_000)]
    )
    plan = import_applications(empty_ws, source)
    assert plan.added == 100_000
    assert len(empty_ws.load("applications")) == 100_000
    assert len(empty_ws.load("stage_history")) == 100_000


def test_a_bad_row_deep_in_a_100_000_row_import_writes_nothing(empty_ws, tmp_path):
    from helpers.importer import import_applications

    source = tmp_path / "big.csv"
    rows = [[f"Company {i}", "Analyst", "Applied", "2026-11-02", ""] for i in range(100_000)]
    rows[77_776][3] = "sometime in May"
    _tracker_csv(source, rows)
    with pytest.raises(WorkspaceError) as err:
        import_applications(empty_ws, source)
    assert "big.csv, row 77778, column 'Date Applied'" in str(err.value)
    assert not empty_ws.file("applications").exists()
