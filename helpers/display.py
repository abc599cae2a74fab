"""Small display helpers: tables and notes rendered the same way in every notebook."""

from __future__ import annotations

import html

import pandas as pd
from IPython.display import HTML, Markdown


def table(df: pd.DataFrame, empty: str = "Nothing to show.") -> HTML | Markdown:
    """A DataFrame as a plain HTML table without the index (text escaped)."""
    if df.empty:
        return Markdown(f"*{empty}*")
    html_table = df.to_html(index=False, escape=True, border=0, classes="wb-table")
    # Text reads best left-aligned (pandas and JupyterLab align cells right).
    html_table = (
        html_table.replace('<tr style="text-align: right;">', "<tr>")
        .replace("<th>", '<th style="text-align:left">')
        .replace("<td>", '<td style="text-align:left;vertical-align:top">')
    )
    return HTML(html_table)


def note(text: str, kind: str = "info") -> HTML:
    """A short message in a coloured box: ``info``, ``ok``, ``warn`` or ``error``."""
    colours = {"info": "#e8f0fe", "ok": "#e6f4ea", "warn": "#fef7e0", "error": "#fce8e6"}
    return HTML(
        f'<div class="wb-note wb-{kind}" style="background:{colours.get(kind, colours["info"])};'
        f'padding:0.6em 0.9em;border-radius:6px">{html.escape(text)}</div>'
    )


def draft_card(title: str, draft, files: list[str] | None = None, note_text: str = "") -> str:
    """HTML for one draft: To, Subject, the body and a link to open it in a mail program.

    Every value is escaped: a name or a note can never run as script.
    """
    esc = html.escape
    to = (
        f"{esc(draft.to_name)} &lt;{esc(draft.to_email)}&gt;"
        if draft.to_email
        else f'{esc(draft.to_name)} <span style="color:#b3261e">(no email address yet)</span>'
    )
    extra = f"<div><i>{esc(note_text)}</i></div>" if note_text else ""
    where = (
        "<div style='color:#666;font-size:90%'>" + " · ".join(esc(f) for f in files) + "</div>"
        if files
        else ""
    )
    return (
        '<div class="wb-draft" style="border:1px solid #ddd;border-radius:6px;'
        'padding:0.6em 0.9em;margin:0.5em 0">'
        f"<b>{esc(title)}</b>{extra}"
        f"<div><b>To:</b> {to}</div>"
        f"<div><b>Subject:</b> {esc(draft.subject)}</div>"
        f'<pre style="white-space:pre-wrap;font-family:inherit">{esc(draft.body)}</pre>'
        f'<a href="{esc(draft.mailto, quote=True)}">Open in your mail program</a>'
        f"{where}</div>"
    )


def pending_drafts_html(items, empty: str = "No drafts waiting to be sent.") -> HTML | Markdown:
    """Cards for unsent drafts (``helpers.thankyou.pending_drafts``' items)."""
    if not items:
        return Markdown(f"*{empty}*")
    cards = []
    for row, draft in items:
        if draft is None:
            cards.append(
                f'<div class="wb-draft">{html.escape(row["subject"])}: the draft file '
                f"{html.escape(row['draft_file'] or '(none)')} is missing; delete the "
                "message's row in messages.csv to draft it again.</div>"
            )
            continue
        files = [row["draft_file"], row["draft_file"].removesuffix(".md") + ".eml"]
        cards.append(
            draft_card(
                f"To {draft.to_name or 'someone'} (drafted {row['drafted_on']})", draft, files
            )
        )
    return HTML("".join(cards))
