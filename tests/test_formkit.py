"""The form kit on its own: fields and their error lines, what a button's action says,
the page's chooser. No domain module is needed to use it."""

from __future__ import annotations

import ipywidgets as widgets
import pytest

from helpers.errors import FieldErrors, Refusal, WorkspaceError
from helpers.formkit import Chooser, Form


class Sample(Form):
    def __init__(self, action):
        super().__init__("A <sample> form")
        self.field("name", "Name", widgets.Text())
        self.field("note", "Note", widgets.Textarea())
        self.layout_rows([self.button("Go", action)])


def press(form: Form) -> None:
    [button] = [w for w in form.children[-2].children if isinstance(w, widgets.Button)]
    button.click()


def test_require_names_every_empty_field_and_blank_is_empty():
    form = Sample(lambda: "")
    form._fields["name"].value = "  "
    with pytest.raises(FieldErrors) as err:
        form.require({"name": "give a name", "note": "write the note"})
    assert err.value.errors == {"name": "give a name", "note": "write the note"}
    form._fields["name"].value = "Zoë"
    form._fields["note"].value = "x"
    form.require({"name": "give a name", "note": "write the note"})  # nothing raised


@pytest.mark.parametrize(
    ("error", "status", "under_name"),
    [
        (
            FieldErrors({"name": "give a <name>"}),
            "please correct the fields",
            "give a &lt;name&gt;",
        ),
        (Refusal("Too soon: wait until Monday."), "Too soon: wait until Monday.", ""),
        (
            WorkspaceError("applications.csv, row 3: bad date"),
            "Nothing was saved. applications.csv",
            "",
        ),
        (KeyError("boom"), "Nothing was saved: KeyError", ""),
    ],
)
def test_what_an_action_raises_is_shown_next_to_the_form(error, status, under_name):
    def action():
        raise error

    form = Sample(action)
    press(form)
    assert status in form.status.value and "#b3261e" in form.status.value
    assert under_name in form._errors["name"].value
    if not under_name:
        assert "<span" not in form._errors["name"].value


def test_a_successful_action_clears_the_errors_and_says_what_it_did():
    outcomes = iter([FieldErrors({"name": "give a name"}), "Saved <it>."])

    def action():
        found = next(outcomes)
        if isinstance(found, Exception):
            raise found
        return found

    form = Sample(action)
    press(form)
    assert "give a name" in form._errors["name"].value
    press(form)
    assert "give a name" not in form._errors["name"].value
    assert "Saved &lt;it&gt;." in form.status.value


def test_a_form_opened_without_running_says_how_to_use_it():
    assert repr(Sample(lambda: "")) == "A <sample> form: a form. Run ▸ Run All Cells to use it."


def test_a_chooser_drives_a_field_shows_a_line_instead_and_re_renders(tmp_path, monkeypatch):
    from helpers import formkit

    rendered = []
    monkeypatch.setattr(formkit.live, "changed", lambda root: rendered.append(root))

    class Workspace:
        root = tmp_path

    options = [("Acme — Analyst", "acme"), ("Bolt — <Engineer>", "bolt")]
    chooser = Chooser(Workspace(), "Application", options, "acme", "applications")
    form = Sample(lambda: "")
    form.field("app", "Application", widgets.Dropdown(options=options))
    chooser.drive(form, "app")
    form.layout_rows([])
    assert form._fields["app"].value == "acme"
    assert form._fields["app"] not in [
        c for row in form.children for c in getattr(row, "children", ())
    ]
    chooser.picker.value = "bolt"
    assert form._fields["app"].value == "bolt"
    assert "For <b>Bolt — &lt;Engineer&gt;</b>" in form._hidden["app"].value
    assert rendered == [tmp_path]
