"""Small display helpers: tables and notes rendered the same way in every notebook.

Everything a notebook shows goes through :func:`html` or :func:`markdown`, and every
widget that shows text through :func:`label`, :func:`html_widget` or :func:`describe`:
they apply :mod:`helpers.escape`'s rule, so text a person typed is shown exactly as
typed (never as markup, never as maths).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from IPython.display import HTML, Markdown

from helpers.escape import (
    NO_MATH_CLASSES,
    html_text,
    md_code,
    md_text,
    no_math_html,
    no_math_markdown,
)
from helpers.html_tables import LEFT, html_table

ROWS_SHOWN = 50
"""The most rows a table shows in a notebook: more than a person reads, and a workspace
of 100 000 applications would otherwise put megabytes of HTML into every saved notebook."""


NARROW = "To see one application, run the notebook with its <code>application_id</code>."


# IPython and ipywidgets are imported when first shown, not with this module: a domain
# module that imports it (the coach report, sharing) then loads neither.


def display(*objs, **kwargs) -> None:
    """IPython's ``display``: show ``objs`` where the cell runs."""
    from IPython.display import display as show

    show(*objs, **kwargs)


def html(fragment: str) -> HTML:
    """An HTML output whose text :func:`helpers.escape.html_text` escaped: shown in a
    container MathJax leaves alone, so a ``$`` stays a ``$``."""
    from IPython.display import HTML

    return HTML(no_math_html(fragment))


def markdown(source: str) -> Markdown:
    """A Markdown output whose values :func:`helpers.escape.md_text` (or ``md_code``)
    escaped, in a container MathJax leaves alone."""
    from IPython.display import Markdown

    return Markdown(no_math_markdown(source))


def workspace_line(ws, today) -> Markdown:
    """The line every notebook shows first: which workspace, which day.

    A copy of the worked example (it carries the example's fixed date in ``TODAY``) is
    named as such, not by a temporary folder nobody else has."""
    if (ws.root / "TODAY").is_file():
        where = "a copy of the worked example (`data/example`)"
    else:
        home = Path.home()
        shown = f"~/{ws.root.relative_to(home)}" if home in ws.root.parents else str(ws.root)
        where = md_code(shown)
    return markdown(f"Workspace: {where} · today: **{today:%A %d %B %Y}**")


def folder_line(ws, path) -> str:
    """A folder as Markdown the way the user finds it: inside the workspace by its
    place there ("`bundles/` in your workspace"), else under ``~``, else in full."""
    path = Path(path).expanduser().resolve()
    root = Path(ws.root).resolve()
    if path == root or root in path.parents:
        return f"{md_code(path.relative_to(root).as_posix() + '/')} in your workspace"
    home = Path.home()
    return md_code(f"~/{path.relative_to(home).as_posix()}" if home in path.parents else str(path))


def no_math(widget):
    """``widget`` with the classes that keep MathJax out of it (returns ``widget``)."""
    for cls in NO_MATH_CLASSES:
        widget.add_class(cls)
    return widget


def label(text, **kwargs):
    """A ``widgets.Label`` showing ``text`` as typed (a Label's value is typeset as maths
    unless the element carries the no-maths classes)."""
    import ipywidgets as widgets

    return no_math(widgets.Label("" if text is None else str(text), **kwargs))


_NO_MATH_DIV = no_math_html("x").removesuffix("x</div>")


@functools.cache
def _html_widget_class():
    import ipywidgets as widgets
    import traitlets

    class NoMathHTML(widgets.HTML):
        """``widgets.HTML`` whose value is always inside a no-maths container."""

        @traitlets.validate("value")
        def _no_math(self, proposal):
            value = proposal.value
            return value if not value or value.startswith(_NO_MATH_DIV) else no_math_html(value)

    return NoMathHTML


def html_widget(value: str = "", **kwargs):
    """A ``widgets.HTML`` for HTML whose text was escaped with
    :func:`helpers.escape.html_text`; every value set is kept out of MathJax's reach."""
    return _html_widget_class()(value, **kwargs)


def describe(widget, text: str):
    """Set ``widget``'s description to ``text``, shown as typed (descriptions are
    typeset as maths, and only their own HTML can say not to). Returns ``widget``."""
    widget.description_allow_html = True
    widget.description = no_math_html(html_text(text), tag="span")
    return widget


def table(
    df: pd.DataFrame,
    empty: str = "Nothing to show.",
    *,
    limit: int = ROWS_SHOWN,
    ws=None,
    export: str = "",
    more: str = "",
) -> HTML | Markdown:
    """A DataFrame as a plain HTML table without the index (text escaped).

    At most ``limit`` rows are shown (the first ones: callers sort most urgent or most
    recent first), with a line saying how many more there are. Given a workspace ``ws``
    and an ``export`` path inside it (``"reports/follow-up-status.csv"``), a longer
    table is also written there in full, as CSV a spreadsheet opens, and the line
    names the file; else the line ends with ``more`` (HTML), or by default how to narrow
    the table to one application.
    """
    if df.empty:
        return markdown(f"*{md_text(empty)}*")
    shown = df if len(df) <= limit else df.head(limit)
    out = html_table(shown, classes="wb-table", cell_style=LEFT)
    if len(df) > limit:
        line = f"Showing the first {limit:,} of {len(df):,} rows."
        if ws is not None and export:
            try:
                written = export_csv(ws, export, df)
            except OSError as err:  # a view never fails for want of its export
                line += (
                    f" The whole table could not be written to {html_text(export)} "
                    f"({html_text(err.strerror or str(err))})."
                )
            else:
                line += f" The whole table: <code>{html_text(written)}</code> in your workspace."
        else:
            line += " " + (more or NARROW)
        out += f'<p class="wb-more" style="color:#555">{line}</p>'
    return html(out)


def export_csv(ws, relative: str, df: pd.DataFrame) -> str:
    """Write ``df`` as CSV to ``relative`` (a ``/``-separated path) inside the workspace,
    atomically, formulas neutralised; return the path written, relative to the workspace."""
    from helpers import csvio
    from helpers.paths import safe_path

    path = safe_path(ws.root, *relative.split("/"))
    text = df.astype("object").where(df.notna(), "").astype("str")
    csvio.atomic_write(path, csvio.to_csv_bytes(text))
    return path.relative_to(ws.root.resolve()).as_posix()


def note(text: str, kind: str = "info") -> HTML:
    """A short message in a coloured box: ``info``, ``ok``, ``warn`` or ``error``."""
    colours = {"info": "#e8f0fe", "ok": "#e6f4ea", "warn": "#fef7e0", "error": "#fce8e6"}
    return html(
        f'<div class="wb-note wb-{html_text(kind)}" '
        f'style="background:{colours.get(kind, colours["info"])};'
        f'padding:0.6em 0.9em;border-radius:6px">{html_text(text)}</div>'
    )


def draft_card(title: str, draft, files: list[str] | None = None, note_text: str = "") -> str:
    """HTML for one draft: To, Subject, the body and a link to open it in a mail program.

    Every value is escaped: a name or a note can never run as script. Show it with
    :func:`html` or :func:`html_widget` (which keep maths out).
    """
    esc = html_text
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
        # Words wrap whole (the output area's "break-all" would cut "Analy / tics").
        '<pre style="white-space:pre-wrap;word-break:normal;overflow-wrap:break-word;'
        f'font-family:inherit">{esc(draft.body)}</pre>'
        f'<a href="{esc(draft.mailto)}">Open in your mail program</a>'
        f"{where}</div>"
    )


def pending_drafts_html(items, empty: str = "No drafts waiting to be sent.") -> HTML | Markdown:
    """Cards for unsent drafts (``helpers.thankyou.pending_drafts``' items), with a line
    saying how many more there are when only the first ones were read."""
    if not items:
        return markdown(f"*{md_text(empty)}*")
    cards = []
    for row, draft in items:
        if draft is None:
            cards.append(
                f'<div class="wb-draft">{html_text(row["subject"])}: the draft file '
                f"{html_text(row['draft_file'] or '(none)')} is missing; delete the "
                "message's row in messages.csv to draft it again.</div>"
            )
            continue
        files = [row["draft_file"], row["draft_file"].removesuffix(".md") + ".eml"]
        cards.append(
            draft_card(
                f"To {draft.to_name or 'someone'} (drafted {row['drafted_on']})", draft, files
            )
        )
    total = getattr(items, "total", len(items))
    if total > len(items):
        cards.append(
            f'<p class="wb-more" style="color:#555">Showing the oldest {len(items):,} of '
            f"{total:,} unsent drafts; every draft is in <code>drafts/</code> in your "
            "workspace, and the form below lists them all.</p>"
        )
    return html("".join(cards))


PROGRESS_FROM = 100
"""Work on at least this many items (notes, files) shows a progress bar in a notebook."""


def in_kernel() -> bool:
    """Running in a notebook's kernel (where a widget can be shown)."""
    from IPython import get_ipython

    return hasattr(get_ipython(), "kernel")


class Progress:
    """A progress bar (ipywidgets ``IntProgress``) while many items are worked on in a
    notebook; nothing outside a kernel, or for fewer than :data:`PROGRESS_FROM`."""

    def __init__(self, total: int, what: str):
        self.bar = None
        if total < PROGRESS_FROM or not in_kernel():
            return
        import ipywidgets as widgets

        self.bar = widgets.IntProgress(value=0, min=0, max=total, description=what)
        display(self.bar)

    def step(self, n: int = 1) -> None:
        if self.bar is not None:
            self.bar.value += n

    def done(self) -> None:
        if self.bar is not None:
            self.bar.value = self.bar.max
            self.bar.bar_style = "success"


class ProgressBar:
    """The view of a domain function's ``progress`` callback: called with
    ``(done, total)``, it shows a :class:`Progress` bar (from :data:`PROGRESS_FROM`
    items, in a kernel) labelled ``what``, and marks it finished when ``done``
    reaches ``total``."""

    def __init__(self, what: str):
        self.what = what
        self.progress: Progress | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            self.progress = Progress(total, self.what)
        if self.progress.bar is None:
            return
        if done >= total:
            self.progress.done()
        else:
            self.progress.bar.value = done


BIG_MAILBOX = 5 * 1024 * 1024
"""A :class:`CountingBar` shows from this many bytes to read, or :data:`PROGRESS_FROM`
items read."""


class CountingBar:
    """A progress bar with counts, driven by a callback: ``CountingBar("Reading mail")``
    is given, now and then, an object with ``read``, ``matched``, ``proposed``,
    ``skipped``, ``bytes_done``, ``bytes_total`` and ``finished`` (the domain code that
    calls it knows nothing of widgets). Outside a kernel it draws nothing.

    Args:
        what: the bar's label.
        place: where the bar goes (a form's slot, given the bar's box); by default it
            is displayed where the cell runs, when the first count arrives.
    """

    def __init__(self, what: str, place: Callable | None = None):
        self.what = what
        self.place = place
        self.bar = None
        self.text = None

    def __call__(self, counts) -> None:
        if self.bar is None:
            big = counts.read >= PROGRESS_FROM or counts.bytes_total >= BIG_MAILBOX
            if not big or (self.place is None and not in_kernel()):
                return  # a few messages are read before a bar would be seen
            import ipywidgets as widgets

            self.bar = widgets.IntProgress(value=0, min=0, max=1000, description=self.what)
            self.text = html_widget()
            box = _counts_box_class()([self.bar, self.text])
            box.add_class("wb-progress")
            if self.place is not None:
                self.place(box)
            else:
                display(box)
        if counts.bytes_total:
            self.bar.value = min(1000, int(1000 * counts.bytes_done / counts.bytes_total))
        if getattr(counts, "finished", False):
            self.bar.value = self.bar.max
            self.bar.bar_style = "success"
        self.text.value = html_text(
            f"{counts.read:,} read · {counts.matched:,} matched · {counts.proposed:,} "
            f"proposed · {counts.skipped:,} skipped"
        )


@functools.cache
def _counts_box_class():
    """An ``HBox`` whose text form (what a notebook opened without running shows) is
    its counts, not the widgets' repr."""
    import ipywidgets as widgets

    class CountsBox(widgets.HBox):
        def __repr__(self) -> str:
            bar, text = self.children
            return f"{bar.description}: " + unescape(re.sub(r"<[^>]+>", "", text.value))

    return CountsBox
