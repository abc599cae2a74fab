"""The coach report, the bundle, and coach notes coming back, on real files."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import zipfile

import pytest

from helpers import Workspace, WorkspaceError
from helpers.report import Options, build_report
from helpers.share import import_coach_notes, share, write_bundle
from helpers.thankyou import draft_thank_yous
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)
HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
]
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+")
PHONE = re.compile(r"\+?\(?\d{3}\)?[\s.-]\d{3}[\s.-]?\d{4}|\+\d[\d\s]{7,}\d")


def hostile_workspace(ws: Workspace) -> Workspace:
    ws.append(
        "coach_notes",
        [
            {"application_id": "northwind-analytics-data-analyst", "note": h, "author": h}
            for h in HOSTILE
        ],
    )
    apps = ws.load("applications")
    apps.loc[0, "notes"] = " ".join(HOSTILE) + " call me at (312) 555-0199 or x@y.example"
    ws.save("applications", apps)
    notes = ws.root / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "northwind-analytics-data-analyst.md").write_text(
        "# Northwind\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) "
        "![x](https://evil.example/x.png)\n\nAsk priya.natarajan@northwind.example or "
        "+1 555 0142.\n\n## Pay\n\nMedian 98000 USD, range $85k to $110k.\n\n## Team\n\nPriya.\n"
    )
    profile = ws.root / "profile.yml"  # an address of theirs beside the profile's email
    profile.write_text(
        profile.read_text("utf-8") + "other_emails:\n  - j.rivera@work.example\n", "utf-8"
    )
    draft_thank_yous(ws, TODAY)
    return ws


def parsed(page: str) -> list[tuple[str, str, str]]:
    """Every (tag, attribute, value) a browser would build from the page."""
    from html.parser import HTMLParser

    found: list[tuple[str, str, str]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, "", ""))
            found.extend((tag, name, value or "") for name, value in attrs)

    Collect().feed(page)
    return found


def external_resources(page: str) -> list[str]:
    """Attribute values that would load or link anything but inline data (a link to
    a place in the same page, ``#pipeline``, loads nothing)."""
    return [
        value
        for _, name, value in parsed(page)
        if name in ("src", "href", "action", "data", "poster", "srcset")
        and not value.startswith("data:")
        and not (name == "href" and re.fullmatch(r"#[a-z]+", value))
    ]


def scripts(page: str) -> list[str]:
    """Script elements and event-handler attributes: anything that could run."""
    return [
        f"{tag} {name}" for tag, name, _ in parsed(page) if tag == "script" or name.startswith("on")
    ]


def test_report_is_static_escaped_and_redacted(example_ws):
    page = build_report(hostile_workspace(example_ws), TODAY)
    assert "<script" not in page.lower()
    assert external_resources(page) == []
    assert scripts(page) == []
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert EMAIL.findall(page) == []
    assert PHONE.findall(page) == []
    assert "Median 98000 USD" in page  # salaries are included by default
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "data:image/png;base64," in page  # the timeline, inline


def test_report_with_contacts_and_without_salaries(example_ws):
    ws = hostile_workspace(example_ws)
    page = build_report(ws, TODAY, Options(include_contacts=True, include_salaries=False))
    assert "priya.natarajan@northwind.example" in page
    assert "98000" not in page and "$85k" not in page and "110000" not in page
    assert "<h4>Team</h4>" in page  # only the pay section went
    assert scripts(page) == [] and external_resources(page) == []


def test_share_writes_report_and_bundle_idempotently(example_ws):
    first = share(example_ws, TODAY)
    assert first.report == "reports/report-2026-11-25.html"
    assert first.bundle == "reports/bundle-2026-11-25.zip"
    before = tree_digest(example_ws.root)
    share(example_ws, TODAY)
    assert tree_digest(example_ws.root) == before


def test_bundle_holds_the_workbook_and_a_redacted_workspace(example_ws):
    ws = hostile_workspace(example_ws)
    path = ws.root / write_bundle(ws, TODAY)
    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        assert {"README-COACH.md", "environment.yml", "pyproject.toml", "Makefile"} <= names
        assert "notebooks/00_start_here.ipynb" in names
        assert "helpers/store.py" in names and "helpers/templates/thank_you.md.j2" in names
        assert "data/applications.csv" in names and "data/coach_notes.csv" in names
        assert not [n for n in names if n.endswith(".eml")]
        for name in names:
            if name.startswith("data/"):
                text = zf.read(name).decode("utf-8")
                assert EMAIL.findall(text) == [], name
                assert PHONE.findall(text) == [], name
        assert "make lab" in zf.read("README-COACH.md").decode()
        # The day as the client's locale writes it (the example is in the US).
        assert "on Wednesday, November 25, 2026" in zf.read("README-COACH.md").decode()
        assert "make test" not in zf.read("README-COACH.md").decode()  # no tests in a bundle
        # What `make lab` needs to set itself up, and the app's offline template.
        needed = {"locks/runtime.txt", "locks/test.txt", "tools/environment.py", "voila.py"}
        assert needed <= names
        assert any(n.startswith("helpers/jupyter/voila/templates/workbook/") for n in names)
        zf.extractall(ws.root.parent / "unzipped")
    unzipped = ws.root.parent / "unzipped"
    check = subprocess.run(
        [sys.executable, "tools/environment.py", "check"], cwd=unzipped, capture_output=True
    )
    assert check.returncode == 0, check.stdout  # the bundle's lock matches its pyproject


def test_coach_notes_round_trip_changes_nothing_else(example_ws, tmp_path):
    ws = example_ws
    candidate = {
        n: ws.file(n).read_bytes()
        for n in (
            "applications",
            "contacts",
            "interviews",
            "interview_contacts",
            "messages",
            "research",
            "comps",
            "stage_history",
        )
    }
    sent = ws.root / write_bundle(ws, TODAY)

    # The coach unzips it, adds notes in their copy, and makes a bundle to send back.
    coach_dir = tmp_path / "coach"
    with zipfile.ZipFile(sent) as zf:
        zf.extractall(coach_dir)
    coach = Workspace(coach_dir / "data")
    coach.append(
        "coach_notes",
        [
            {
                "application_id": "northwind-analytics-data-analyst",
                "note": "Lead with the dbt project in round 3; ask about on-call.",
                "author": "Sam (coach)",
                "added_on": "2026-11-26",
            },
            {
                "application_id": "cobalt-logistics-senior-data-analyst",
                "note": "Two follow-ups sent: let it go, <b>really</b>.",
                "author": "Sam (coach)",
                "added_on": "2026-11-26",
            },
        ],
    )
    # A bundle from before the search id: the coach's copy makes one of its own.
    profile = coach.root / "profile.yml"
    kept = [x for x in profile.read_text("utf-8").splitlines(True) if "search_id" not in x]
    profile.write_text("".join(kept), "utf-8")
    returned = coach.root / write_bundle(coach, dt.date(2026, 11, 26))

    before_notes = len(ws.load("coach_notes"))
    result = import_coach_notes(ws, returned)
    assert (result.added, result.already_there) == (2, before_notes)
    notes = ws.load("coach_notes")
    assert "Lead with the dbt project in round 3; ask about on-call." in set(notes["note"])
    for name, data in candidate.items():
        assert ws.file(name).read_bytes() == data, f"{name} changed"

    again = import_coach_notes(ws, returned)
    assert again.added == 0
    assert len(ws.load("coach_notes")) == before_notes + 2


def test_importing_something_else_is_refused_and_writes_nothing(example_ws, tmp_path):
    before = tree_digest(example_ws.root)
    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    with pytest.raises(WorkspaceError, match="cannot open the bundle"):
        import_coach_notes(example_ws, not_zip)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("something.csv", "a,b\n")
    with pytest.raises(WorkspaceError, match=r"no data/coach_notes\.csv"):
        import_coach_notes(example_ws, other)
    wrong = tmp_path / "wrong.zip"
    with zipfile.ZipFile(wrong, "w") as zf:
        zf.writestr(
            "data/coach_notes.csv", "application_id,note,author,added_on\nnot-mine,Hi,Sam,26/11\n"
        )
    with pytest.raises(WorkspaceError) as err:
        import_coach_notes(example_ws, wrong)
    text = str(err.value)
    assert "wrong.zip: data/coach_notes.csv, row 2" in text
    assert "added_on" in text and "application_id" in text
    assert tree_digest(example_ws.root) == before


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("+1 555 0100", "[phone]"),
        ("(312) 555-0199", "[phone]"),
        ("call +44 20 7946 0958 now", "call [phone] now"),
        ("312.555.0199", "[phone]"),
        ("seen 2026-11-12 (2026-11-13)", "seen 2026-11-12 (2026-11-13)"),
        ("hourly × 2080 (40 hours × 52 weeks)", "hourly × 2080 (40 hours × 52 weeks)"),
        ("110,000 – 130,000 USD", "110,000 – 130,000 USD"),
        ("write to a.b+c@x.example.org", "write to [email]"),
    ],
)
def test_redaction_takes_contacts_and_leaves_dates_and_figures(text, shown):
    from helpers.redact import DEFAULT, redact

    assert redact(text, DEFAULT) == shown
