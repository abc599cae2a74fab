"""One escaping rule for everything shown (helpers.escape, helpers.display): text a person
typed comes out exactly as typed in HTML, Markdown, widgets and charts.

What the browser does with the result (MathJax, scripts) is checked in
tests/test_browser_escape.py; here the rule itself, without a browser.
"""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import mistune
import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib import cbook

from helpers.display import (
    describe,
    html,
    html_widget,
    label,
    markdown,
    note,
    pending_drafts_html,
    table,
    workspace_line,
)
from helpers.escape import (
    NO_MATH_CLASSES,
    chart_text,
    html_text,
    md_code,
    md_text,
    no_math_html,
    no_math_markdown,
)
from tests.hostile import BAND, IMG, SCRIPT, SPECIAL

TODAY = dt.date(2026, 11, 25)

SAMPLES = [
    BAND,
    SPECIAL,
    SCRIPT,
    IMG,
    "Cash$$App",
    "$$x$$ and $y$",
    r"\(a\) \[b\] \$ \\ \begin{x}",
    "a_b_c *d* **e** `f` ``g``",
    "{} {x} %s %(name)s 100%",
    "[link](https://evil.example) ![img](https://evil.example/x.png) <https://x.example>",
    "# heading",
    "- item",
    "1. item",
    "> quote",
    "| a | b |",
    "&amp; &lt; &#36; &",
    "~~strike~~ ^sup^ @@0@@ ~D ~T",
    "line one\nline two\n\n  indented",
    "    four spaces",
    "===",
    "ünïcödé — “quotes” ‘single’ 😀",
]

TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
    max_size=60,
)


class _Text(HTMLParser):
    """The text and the tags a browser would build from an HTML fragment."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment: str) -> _Text:
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    return parser


def folded(text: str) -> str:
    return " ".join(text.split())


# -- HTML --------------------------------------------------------------------------


@pytest.mark.parametrize("text", SAMPLES)
def test_html_text_is_text_only(text):
    shown = parse(f"<p>{html_text(text)}</p>")
    assert shown.tags == [("p", {})]
    assert "".join(shown.text) == text


@given(TEXT)
def test_html_text_round_trips(text):
    assert "".join(parse(html_text(text)).text) == text
    assert parse(f'<a title="{html_text(text)}">x</a>').tags == [("a", {"title": text})]


def test_html_is_kept_away_from_mathjax():
    wrapped = no_math_html("<b>x</b>")
    [(tag, attrs), _] = parse(wrapped).tags
    assert tag == "div"
    assert set(NO_MATH_CLASSES) <= set(attrs["class"].split())
    assert no_math_html("") == ""
    assert no_math_html("y", tag="span").startswith("<span ")
    assert html_text(None) == ""


# -- Markdown ------------------------------------------------------------------------


def rendered(source: str) -> _Text:
    return parse(mistune.html(source))


@pytest.mark.parametrize("text", SAMPLES)
def test_md_text_shows_literally(text):
    source = md_text(text)
    shown = rendered(source)
    assert "".join(shown.text).strip() == folded(text)
    assert [tag for tag, _ in shown.tags] in ([], ["p"])  # no emphasis, link, code, list…
    # JupyterLab takes maths out of Markdown before rendering it: it must find none.
    assert "$" not in source and "\\\\" not in source


@given(TEXT)
def test_md_text_round_trips(text):
    source = md_text(text)
    assert "".join(rendered(source).text).strip() == folded(text)
    assert "$" not in source and "\\\\" not in source


@pytest.mark.parametrize(
    "text", ["/tmp/a b/ws", "C:\\Users\\$me", "a`b", "`start", "end`", "``x``", "$$ {} %"]
)
def test_md_code_is_one_code_span_of_the_value(text):
    shown = rendered(f"path: {md_code(text)}")
    assert [tag for tag, _ in shown.tags] == ["p", "code"]
    assert "".join(shown.text).rstrip("\n") == f"path: {text}"
    assert md_code("") == ""


def test_markdown_is_still_markdown_inside_the_no_math_container():
    shown = rendered(no_math_markdown(f"**{md_text(BAND)}** and *x*"))
    tags = [tag for tag, _ in shown.tags]
    assert tags[:2] == ["div", "p"] and "strong" in tags and "em" in tags
    assert set(NO_MATH_CLASSES) <= set(shown.tags[0][1]["class"].split())
    assert BAND in "".join(shown.text)


# -- matplotlib ----------------------------------------------------------------------


@pytest.mark.parametrize("text", SAMPLES)
def test_chart_text_is_never_mathtext(text):
    escaped = chart_text(text)
    assert not cbook.is_math_text(escaped)
    assert escaped.replace(r"\$", "$") == text  # what matplotlib draws for non-maths


@given(TEXT)
def test_chart_text_round_trips(text):
    escaped = chart_text(text)
    assert not cbook.is_math_text(escaped)
    assert escaped.replace(r"\$", "$") == text


def test_a_chart_draws_every_hostile_label():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure()
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    labels = [chart_text(s) for s in SAMPLES]
    ax.set_yticks(range(len(SAMPLES)), labels)
    ax.set_title(chart_text(SPECIAL))
    ax.set_xlabel(chart_text("Cash$$App"))
    ax.annotate(chart_text("$1 and $2"), (0, 0))
    ax.text(0, 1, chart_text(BAND))
    fig.savefig(io.BytesIO(), format="png")  # mathtext would raise on "Cash$$App"


# -- what the notebooks show ---------------------------------------------------------


def no_math(fragment: str) -> bool:
    tags = parse(fragment).tags
    return bool(tags) and set(NO_MATH_CLASSES) <= set(tags[0][1].get("class", "").split())


def test_html_and_markdown_outputs_are_out_of_mathjax_reach():
    assert no_math(html(f"<p>{html_text(BAND)}</p>").data)
    assert no_math(markdown(md_text(BAND)).data)


def test_tables_notes_and_drafts_are_escaped_and_out_of_mathjax_reach():
    import pandas as pd

    df = pd.DataFrame({"company": [SCRIPT, BAND], "note": [IMG, SPECIAL]}, dtype="str")
    for shown in (table(df).data, note(SCRIPT + BAND).data, table(df.head(0)).data):
        assert no_math(shown)
        assert "<script" not in shown and "<img" not in shown
    text = "".join(parse(table(df).data).text)
    for value in (SCRIPT, BAND, IMG, SPECIAL):
        assert value in text
    assert no_math(pending_drafts_html([]).data)


def test_the_workspace_line_shows_the_path_as_code(tmp_path):
    class Ws:
        root = tmp_path / "my $95k to $115k `ws`"

    shown = rendered(workspace_line(Ws, TODAY).data)
    codes = [t for t, _ in shown.tags if t == "code"]
    assert codes == ["code"]
    assert str(Ws.root) in "".join(shown.text)
    assert "Wednesday 25 November 2026" in "".join(shown.text)


def test_the_profile_line_shows_the_name_as_typed():
    from helpers.overview import profile_line
    from helpers.profile import Profile

    line = profile_line(Profile(name=f"Jo {SCRIPT}{IMG} {BAND} *x* _y_"))
    shown = rendered(line)
    assert [t for t, _ in shown.tags] == ["p", "strong"]
    assert f"Jo {SCRIPT}{IMG} {BAND} *x* _y_" in "".join(shown.text)
    assert "(no name yet)" in profile_line(Profile())


# -- widgets -------------------------------------------------------------------------


def test_a_label_carries_the_no_math_classes():
    shown = label(BAND, layout={"width": "9em"})
    assert shown.value == BAND
    assert set(NO_MATH_CLASSES) <= set(shown._dom_classes)
    assert shown.layout.width == "9em"
    assert label(None).value == ""


def test_an_html_widget_keeps_every_value_out_of_mathjax_reach():
    widget = html_widget(f"<b>{html_text(BAND)}</b>")
    assert no_math(widget.value)
    widget.value = f"<i>{html_text(SCRIPT)}</i>"
    assert no_math(widget.value) and "<script" not in widget.value
    widget.value = widget.value  # wrapped once, not twice
    assert widget.value.count("<div") == 1
    widget.value = ""
    assert widget.value == ""


def test_describe_shows_a_description_as_typed():
    import ipywidgets as widgets

    box = describe(widgets.Checkbox(), f"{BAND} {SCRIPT}")
    assert box.description_allow_html
    assert no_math(box.description)
    assert "".join(parse(box.description).text) == f"{BAND} {SCRIPT}"


def test_form_status_and_errors_are_escaped_and_out_of_mathjax_reach(example_ws):
    from helpers.share_forms import CoachNoteForm

    form = CoachNoteForm(example_ws, TODAY)
    form.say(f"{SCRIPT} {BAND}")
    form.show_errors({"note": IMG})
    for widget in (form.status, form._errors["note"], form._title):
        assert no_math(widget.value)
        assert "<script" not in widget.value and "<img" not in widget.value
    assert f"{SCRIPT} {BAND}" in "".join(parse(form.status.value).text)
    labels = [w for row in form.children for w in getattr(row, "children", ())]
    assert all(
        set(NO_MATH_CLASSES) <= set(w._dom_classes) for w in labels if type(w).__name__ == "Label"
    )


def test_the_import_mapping_shows_the_files_columns_as_typed(example_ws, tmp_path):
    from helpers.pipeline_forms import ImportForm
    from tests.test_forms import click, fill

    path = tmp_path / "export.csv"
    path.write_text(f'"Company {BAND}","Title"\n"{SCRIPT}","x"\n', encoding="utf-8")
    form = ImportForm(example_ws)
    fill(form, file=str(path))
    click(form, "Read file")
    [first, *_] = form.mapping.children
    name, _, example = first.children
    assert name.value == f"Company {BAND}" and example.value == f"e.g. {SCRIPT}"
    assert set(NO_MATH_CLASSES) <= set(name._dom_classes) & set(example._dom_classes)
    assert no_math(form.preview.value) and "<script" not in form.preview.value


# -- charts with hostile text --------------------------------------------------------


def test_the_timeline_draws_companies_with_dollars(example_ws):
    from helpers.charts import timeline_figure
    from helpers.profile import load_profile

    apps = example_ws.load("applications")
    apps["company"] = apps["company"] + SPECIAL
    example_ws.save("applications", apps)
    fig = timeline_figure(example_ws.load_all(), load_profile(example_ws), TODAY)
    fig.savefig(io.BytesIO(), format="png")
    shown = [t.get_text().replace(r"\$", "$") for t in fig.axes[0].get_yticklabels()]
    assert shown and all(s.endswith(SPECIAL) for s in shown)


def test_the_pay_chart_draws_positions_with_dollars(example_ws):
    from helpers import charts, pay_view
    from helpers.research_forms import pay_parts

    comps = example_ws.load("comps")
    comps["company"] = comps["company"] + SPECIAL
    comps["title"] = comps["title"] + " $$"
    example_ws.save("comps", comps)
    tables = example_ws.load_all()
    app = comps["application_id"].iloc[0]
    assert charts.pay_chart(pay_view.pay_view(tables, app), f"{SPECIAL}: similar") is not None
    [shown, image] = pay_parts(tables, app)
    assert no_math(shown.data) and image.data[:4] == b"\x89PNG"
