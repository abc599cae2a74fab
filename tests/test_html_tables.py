"""The one HTML table renderer: every cell escaped, only safe addresses linked, an
empty table as its message, any script's text shown as text."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.html_tables import LEFT, Cell, html_table, safe_link


def test_every_cell_and_header_is_escaped():
    df = pd.DataFrame({"<b>co</b>": ["<script>alert(1)</script>"], "q": ['Tom & "Jerry" \'s']})
    out = html_table(df)
    assert "<script>" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "<th>&lt;b&gt;co&lt;/b&gt;</th>" in out
    assert "Tom &amp; &quot;Jerry&quot; &#x27;s" in out


def test_a_table_has_a_head_a_body_and_no_index():
    df = pd.DataFrame({"a": ["1", "2"], "b": ["x", "y"]}, index=[7, 8])
    assert html_table(df) == (
        "<table>\n<thead><tr><th>a</th><th>b</th></tr></thead>\n<tbody>\n"
        "<tr><td>1</td><td>x</td></tr>\n<tr><td>2</td><td>y</td></tr>\n</tbody>\n</table>"
    )


def test_class_and_styles_are_set_and_escaped():
    out = html_table(
        pd.DataFrame({"a": ["1"]}), classes='wb-table" onclick="x', style="width:1", cell_style=LEFT
    )
    assert out.startswith('<table class="wb-table&quot; onclick=&quot;x" style="width:1">')
    assert f'<th style="{LEFT}">a</th>' in out and f'<td style="{LEFT}">1</td>' in out


@pytest.mark.parametrize(
    "url",
    ["https://example.com/jobs?id=1&x=2", "http://example.com", "mailto:priya@example.com"],
)
def test_safe_addresses_in_link_columns_are_links(url):
    out = html_table(pd.DataFrame({"source": [url]}), links=("source",))
    shown = url.replace("&", "&amp;")
    assert f'<a href="{shown}" target="_blank" rel="noopener noreferrer">{shown}</a>' in out
    assert safe_link(url)


@pytest.mark.parametrize(
    "value",
    [
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        'https://example.com/" onmouseover="alert(1)',
        "https://exa mple.com",
        "vbscript:msgbox(1)",
        "//example.com",
        "see https://example.com",
    ],
)
def test_unsafe_or_not_an_address_is_never_a_link(value):
    out = html_table(pd.DataFrame({"source": [value]}), links=("source",))
    assert "<a " not in out and "href" not in out
    assert not safe_link(value)


def test_addresses_outside_link_columns_stay_text():
    out = html_table(pd.DataFrame({"note": ["https://example.com"]}), links=("source",))
    assert "<a " not in out and "https://example.com" in out


def test_an_empty_table_shows_its_message():
    df = pd.DataFrame({"a": []})
    assert html_table(df) == ""
    assert (
        html_table(df, empty="Nothing <yet> & more")
        == "<p><i>Nothing &lt;yet&gt; &amp; more</i></p>"
    )
    assert html_table(df, empty="None.", empty_class="muted") == '<p class="muted">None.</p>'


def test_cjk_accents_and_emoji_come_out_as_typed():
    df = pd.DataFrame({"会社": ["株式会社テスト"], "name": ["Zoë Ñúñez-Müller 👋"]})
    out = html_table(df)
    assert "<th>会社</th>" in out and "<td>株式会社テスト</td>" in out
    assert "<td>Zoë Ñúñez-Müller 👋</td>" in out


def test_missing_values_show_as_nothing_and_numbers_as_text():
    df = pd.DataFrame({"a": [None, float("nan"), 3, 1.5]}, dtype="object")
    assert "<td></td><" in html_table(df)
    assert "<td>3</td>" in html_table(df) and "<td>1.5</td>" in html_table(df)


def test_line_breaks_lists_and_lines_under():
    df = pd.DataFrame(
        {
            "note": ["one\ntwo"],
            "history": [("2026-10-28 applied", "<b>screening</b>")],
            "none": [()],
            "role": [Cell("Analyst & BI", "https://example.com/<x>")],
        }
    )
    out = html_table(df)
    assert "<td>one<br>two</td>" in out
    assert (
        "<td><ul><li>2026-10-28 applied</li><li>&lt;b&gt;screening&lt;/b&gt;</li></ul></td>" in out
    )
    assert "<td></td>" in out
    assert '<td>Analyst &amp; BI<div class="sub">https://example.com/&lt;x&gt;</div></td>' in out


def test_repeated_values_are_rendered_once_each_and_rows_keep_their_order():
    df = pd.DataFrame({"a": ["x", "y", "x", "<"] * 3})
    out = html_table(df)
    assert out.count("<td>x</td>") == 6 and out.count("<td>&lt;</td>") == 3
    assert out.index("<td>y</td>") < out.index("<td>&lt;</td>")
