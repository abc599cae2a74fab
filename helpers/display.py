"""Small display helpers: tables and notes rendered the same way in every notebook."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown


def table(df: pd.DataFrame, empty: str = "Nothing to show.") -> HTML | Markdown:
    """A DataFrame as a plain HTML table without the index (text escaped)."""
    if df.empty:
        return Markdown(f"*{empty}*")
    return HTML(df.to_html(index=False, escape=True, border=0, classes="wb-table"))


def note(text: str, kind: str = "info") -> HTML:
    """A short message in a coloured box: ``info``, ``ok``, ``warn`` or ``error``."""
    colours = {"info": "#e8f0fe", "ok": "#e6f4ea", "warn": "#fef7e0", "error": "#fce8e6"}
    return HTML(
        f'<div class="wb-note wb-{kind}" style="background:{colours.get(kind, colours["info"])};'
        f'padding:0.6em 0.9em;border-radius:6px">{html.escape(text)}</div>'
    )
