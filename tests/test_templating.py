"""The one template environment: sandboxed, workspace copies first, errors by file and line."""

from __future__ import annotations

import pytest

from helpers import drafts, research_note, templating
from helpers.errors import WorkspaceError

NORTHWIND = "northwind-analytics-data-analyst"

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
