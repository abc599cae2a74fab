"""The one HTML table renderer: a DataFrame as a plain table, every cell escaped.

Notebook views (:func:`helpers.display.table`, the research views), the coach report
and the proof of search all draw their tables here. A pure function of its arguments:
it imports no widgets, IPython or charts, so the domain may use it for the files it
writes.

A cell shows its value as text (``< > & " '`` escaped; a missing value as nothing). A
few values say more:

- in a column named in ``links``, a web address (``http``/``https``) or a ``mailto:``
  address is a link; anything else there (``javascript:``, ``data:``) stays text;
- a tuple is a bulleted list of its items (a stage history);
- a :class:`Cell` is a text with a smaller line under it (a posting's address under
  its role).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

import pandas as pd

from helpers.escape import each_distinct, html_text
from helpers.validate import EMAIL, URL

__all__ = ["LEFT", "Cell", "html_table", "safe_link"]

LEFT = "text-align:left;vertical-align:top"
"""The inline style that aligns text left and at the top (pandas and JupyterLab align
cells right), for tables shown where no stylesheet of ours applies."""

_LINK = re.compile(rf"{URL}|mailto:{EMAIL}")


@dataclass(frozen=True)
class Cell:
    """A cell's text with a smaller line under it (class ``sub``), e.g. an address."""

    text: str
    under: str = ""


def safe_link(value) -> bool:
    """``value`` is an address a table may link: ``http(s)://…`` or ``mailto:…``,
    with no space, quote or angle bracket in it."""
    return isinstance(value, str) and _LINK.fullmatch(value) is not None


def _text(value) -> str:
    if value is None or (not isinstance(value, (tuple, Cell)) and pd.isna(value)):
        return ""
    return html_text(value).replace("\n", "<br>")


def _cell(value) -> str:
    if isinstance(value, tuple):
        items = "".join(f"<li>{_text(v)}</li>" for v in value)
        return f"<ul>{items}</ul>" if items else ""
    if isinstance(value, Cell):
        under = f'<div class="sub">{_text(value.under)}</div>' if value.under else ""
        return _text(value.text) + under
    return _text(value)


def _link(value) -> str:
    if safe_link(value):
        shown = html_text(value)
        return f'<a href="{shown}" target="_blank" rel="noopener noreferrer">{shown}</a>'
    return _cell(value)


def html_table(
    df: pd.DataFrame,
    *,
    empty: str = "",
    empty_class: str = "",
    links: Collection[str] = (),
    classes: str = "",
    style: str = "",
    cell_style: str = "",
) -> str:
    """``df`` as an HTML table without its index, column labels as headers.

    Args:
        empty: what an empty ``df`` shows instead, as a paragraph ("" for nothing).
        empty_class: the class of that paragraph (none: the message in italics).
        links: the columns whose safe addresses (:func:`safe_link`) are links.
        classes: the table's ``class``.
        style: the table's inline ``style``.
        cell_style: every header's and cell's inline ``style`` (e.g. :data:`LEFT`).
    """
    if df.empty:
        if not empty:
            return ""
        if empty_class:
            return f'<p class="{html_text(empty_class)}">{html_text(empty)}</p>'
        return f"<p><i>{html_text(empty)}</i></p>"
    attrs = "".join(
        f' {name}="{html_text(value)}"'
        for name, value in (("class", classes), ("style", style))
        if value
    )
    cs = f' style="{html_text(cell_style)}"' if cell_style else ""
    head = "".join(f"<th{cs}>{_text(c)}</th>" for c in df.columns)
    columns = [
        each_distinct(_link if c in links else _cell, df.iloc[:, i].tolist())
        for i, c in enumerate(df.columns)
    ]
    rows = "".join(
        "<tr>" + "".join(f"<td{cs}>{v}</td>" for v in row) + "</tr>\n"
        for row in zip(*columns, strict=True)
    )  # a row a line: the HTML of a saved notebook or a report reads (and diffs) by row
    return f"<table{attrs}>\n<thead><tr>{head}</tr></thead>\n<tbody>\n{rows}</tbody>\n</table>"
