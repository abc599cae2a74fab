"""Drafts: rendering to subject and body, the files a draft is saved as, reading them back."""

from __future__ import annotations

import datetime as dt
from email import message_from_bytes
from email.policy import default
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from helpers import drafts
from helpers.drafts import NO_NAME, Draft
from helpers.errors import WorkspaceError
from helpers.profile import Profile

DRAFT = Draft(
    "Zoë O'Brien", "zoe@acme.example", "Thanks — and a follow-up", "Hi Zoë,\n\n50% & more\n"
)


def _template(ws, name: str, text: str) -> None:
    (ws.root / "templates").mkdir(exist_ok=True)
    (ws.root / "templates" / name).write_text(text, encoding="utf-8")


def test_a_template_renders_to_a_subject_and_a_tidy_body(empty_ws):
    _template(
        empty_ws,
        "note.md.j2",
        "\n\nSubject:   Thanks,\n   {{ name }}\n\n\n\n\nWe met at {{ company }}.\n\n\n\nBye\n\n",
    )
    subject, body = drafts.render(empty_ws.root, "note.md.j2", name="Lee", company="Acme Inc.")
    assert subject == "Thanks,"
    assert body == "Lee\n\nWe met at Acme Inc.\n\nBye\n"  # "Inc.." made "Inc."


def test_a_name_ending_in_a_full_stop_does_not_double_it(empty_ws):
    _template(empty_ws, "n.md.j2", "Subject: Hi\n\nWe met at {{ company }}.\nOn 1.2..5 too.\n")
    _, body = drafts.render(empty_ws.root, "n.md.j2", company="Acme Inc.")
    assert body == "We met at Acme Inc.\nOn 1.2..5 too.\n"


def test_a_template_without_a_subject_line_is_refused_naming_it(empty_ws):
    _template(empty_ws, "bad.md.j2", "Hello {{ name }}\n\nbody\n")
    with pytest.raises(WorkspaceError) as caught:
        drafts.render(empty_ws.root, "bad.md.j2", name="Lee")
    assert str(caught.value) == "templates/bad.md.j2: the first line must be 'Subject: …'"


def test_a_value_the_shipped_template_needs_is_named_with_the_template(empty_ws):
    context = {
        "person": {"name": "Lee Park", "greeting": "Lee", "first_name": "Lee", "title": "Lead"},
    }
    with pytest.raises(WorkspaceError, match=r"templates/thank_you\.md\.j2: .* is undefined"):
        drafts.render(empty_ws.root, "thank_you.md.j2", **context)


def test_the_mailto_link_carries_subject_and_body_exactly():
    link = urlsplit(DRAFT.mailto)
    assert link.scheme == "mailto" and link.path == "zoe@acme.example"
    query = parse_qs(link.query)
    assert query == {"subject": [DRAFT.subject], "body": [DRAFT.body]}


def test_the_markdown_says_who_it_is_to_and_links_the_draft():
    text = DRAFT.markdown("Thank-you note")
    assert text.startswith("# Thank-you note\n\n**To:** Zoë O'Brien <zoe@acme.example>  \n")
    assert "**Subject:** Thanks — and a follow-up\n\n---\n\nHi Zoë,\n\n50% & more\n" in text
    assert text.endswith(f"[Open this draft in your mail program]({DRAFT.mailto})\n")
    nobody = Draft("Lee", "", "S", "B").markdown("T")
    assert "**To:** Lee (no email address yet)" in nobody


def test_the_eml_is_an_unsent_draft_from_the_profile_to_the_person():
    sender = Profile(name="Jordan Lee", email="jordan@example.com")
    msg = message_from_bytes(DRAFT.eml(sender), policy=default)
    assert msg["X-Unsent"] == "1"
    assert msg["From"].addresses[0].addr_spec == "jordan@example.com"
    assert msg["To"].addresses[0].display_name == "Zoë O'Brien"
    assert msg["Subject"] == DRAFT.subject
    assert msg.get_body(("plain",)).get_content().replace("\r\n", "\n") == DRAFT.body
    bare = message_from_bytes(Draft("Lee", "", "Two\nlines", "B").eml(None), policy=default)
    assert bare["From"] is None and bare["To"] is None and bare["Subject"] == "Two lines"


def test_saved_drafts_are_files_and_message_rows_read_back_as_they_were(example_ws):
    before = len(example_ws.load("messages"))
    path = example_ws.root / "drafts" / "zz-test" / "thank-you.md"
    row = {
        "message_id": "zz-test-thank-you",
        "application_id": "northwind-analytics-data-analyst",
        "kind": "thank_you",
        "status": "draft",
        "drafted_on": "2026-11-25",
        "subject": DRAFT.subject,
        "draft_file": "drafts/zz-test/thank-you.md",
    }
    drafts.save_drafts(example_ws, [(path, DRAFT, "Thank-you note")], None, [row])
    assert path.read_text(encoding="utf-8") == DRAFT.markdown("Thank-you note")
    assert drafts.load_draft(path) == DRAFT
    messages = example_ws.load("messages")
    assert len(messages) == before + 1
    rows = messages[messages["message_id"] == "zz-test-thank-you"]
    [(found_row, found)] = drafts.with_text(example_ws.root, rows)
    assert found_row["draft_file"] == row["draft_file"] and found == DRAFT


def test_a_draft_whose_file_is_gone_or_outside_the_workspace_reads_as_none(tmp_path):
    assert drafts.load_draft(tmp_path / "missing.md") is None
    rows = pd.DataFrame(
        {"draft_file": ["drafts/a.md", "../../etc/passwd", "drafts/b.md"]}, dtype="str"
    )
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "a.eml").write_bytes(Draft("A", "a@x.example", "S", "B\n").eml())
    pending = drafts.with_text(tmp_path, rows, limit=2)
    assert [d for _, d in pending] == [Draft("A", "a@x.example", "S", "B\n"), None]
    assert pending.total == 3 and len(pending) == 2
    assert len(drafts.with_text(tmp_path, rows, limit=None)) == 3


def test_how_a_draft_is_signed_and_how_a_person_is_greeted():
    assert drafts.signoff(None) == NO_NAME
    assert drafts.signoff(Profile(name="Jordan Lee")) == "Jordan Lee"
    assert drafts.signoff(Profile(name="Jordan Lee", signature="J.")) == "J."
    seen = drafts.person_context({"name": "Dr. Amara\nOkafor", "title": "VP\tData", "greeting": ""})
    assert seen["name"] == "Dr. Amara Okafor" and seen["title"] == "VP Data"
    assert seen["greeting"] == seen["first_name"] == drafts.first_name("Dr. Amara Okafor")
    chosen = drafts.person_context({"name": "Robert Lee", "title": "", "greeting": "Bob"})
    assert chosen["greeting"] == "Bob"


def test_one_line_and_weekday():
    assert drafts.one_line("  a\r\n b\t\tc  ") == "a b c"
    assert drafts.one_line(None) == ""
    assert drafts.weekday(dt.date(2026, 11, 24)) == "Tuesday"
