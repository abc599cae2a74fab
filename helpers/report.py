"""The coach report: one static, self-contained HTML file.

Everything is inline (styles, charts as ``data:`` PNG images); there are no scripts,
no widgets and nothing fetched from the network, and a Content-Security-Policy forbids
them anyway. Every value the user typed is escaped; notes written in Markdown are
rendered with raw HTML escaped and links shown as text. Contact details (emails,
phone numbers) are redacted by default; salary figures can be left out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re

import pandas as pd

from helpers.display import each_distinct
from helpers.drafts import load_draft
from helpers.followup import labels, timeline_figure
from helpers.paths import inside
from helpers.profile import load_profile
from helpers.redact import DEFAULT, Options, Redactor
from helpers.schema import CLOSED_STAGES, STAGES
from helpers.standing import search_standing
from helpers.store import Workspace
from helpers.thankyou import ledger, unsent

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:60em;
margin:2em auto;padding:0 1em;color:#202124;line-height:1.45}
h1{font-size:1.6em;margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;
margin-top:2em}table{border-collapse:collapse;width:100%;font-size:.92em;margin:.5em 0}
th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f1f3f4}.muted{color:#5f6368}.card{border:1px solid #ddd;border-radius:6px;
padding:.6em .9em;margin:.6em 0}pre{white-space:pre-wrap;font-family:inherit;margin:.4em 0}
.note{background:#fef7e0;padding:.5em .8em;border-radius:6px}img{max-width:100%}
@media print{h2{page-break-after:avoid}.card{page-break-inside:avoid}}
"""


def _esc(value, red: Redactor) -> str:
    return html.escape(red(value))


def _table(df: pd.DataFrame, red: Redactor, empty: str) -> str:
    if df.empty:
        return f'<p class="muted">{html.escape(empty)}</p>'
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    columns = [each_distinct(html.escape, red.all(df[c])) for c in df.columns]
    rows = "".join(
        "<tr>" + "".join(f"<td>{v}</td>" for v in row) + "</tr>"
        for row in zip(*columns, strict=True)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _markdown(text: str, red: Redactor) -> str:
    import mistune

    class Renderer(mistune.HTMLRenderer):
        def link(self, text, url, title=None):  # a report fetches and links nothing
            shown = html.escape(url)
            return text if text in (url, shown) else f"{text} ({shown})"

        def image(self, text, url, title=None):
            return f"[image: {html.escape(text)}]"

        def heading(self, text, level, **attrs):  # a note sits under the report's h2
            level = min(level + 2, 6)
            return f"<h{level}>{text}</h{level}>\n"

    render = mistune.create_markdown(
        escape=True, renderer=Renderer(escape=True), plugins=["table", "strikethrough"]
    )
    return render(red(text))


def without_pay_sections(markdown: str) -> str:
    """A research note without its pay sections (headings about pay, salary, comps)."""
    out, skipping, level = [], False, 0
    for line in markdown.splitlines():
        heading = re.match(r"(#+)\s+(.*)", line)
        if heading:
            depth = len(heading[1])
            if skipping and depth <= level:
                skipping = False
            if not skipping and re.search(r"pay|salar|comp|compensation", heading[2], re.I):
                skipping, level = True, depth
                continue
        if not skipping:
            out.append(line)
    return "\n".join(out)


def _figure_png(fig) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def _pay_range(low: str, high: str, currency: str) -> str:
    if not (low or high):
        return ""
    span = f"{low}–{high}" if low and high else (low or high)
    return f"{span} {currency}".strip()


def pipeline_table(
    tables, profile, today: dt.date, options: Options, states: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Every application with its stage, follow-up state and next step, active ones
    first (``states``: :attr:`Standing.steps` of
    :func:`helpers.standing.search_standing`, when already known)."""
    apps = tables["applications"].copy()
    if states is None:
        states = search_standing(tables, profile, today).steps
    steps = states.set_index("application_id")
    apps["follow-up"] = (
        apps["application_id"]
        .map(pd.Series(labels(steps.rename(columns={"follow_up": "state"})), index=steps.index))
        .fillna("")
    )
    apps["next step"] = apps["application_id"].map(steps["next_action"]).fillna("")
    apps["active"] = ~apps["stage"].isin(CLOSED_STAGES)
    apps["order"] = apps["stage"].map({s: i for i, s in enumerate(STAGES)})
    apps = apps.sort_values(["active", "order", "company"], ascending=[False, False, True])
    view = apps[
        ["company", "role", "stage", "applied_on", "stage_changed_on", "follow-up", "next step"]
    ]
    view = view.rename(columns={"applied_on": "applied", "stage_changed_on": "stage since"})
    if options.include_salaries:
        view = view.assign(
            salary=[
                _pay_range(lo, hi, cur)
                for lo, hi, cur in zip(
                    apps["salary_min"], apps["salary_max"], apps["currency"], strict=True
                )
            ]
        )
    return view.reset_index(drop=True)


def build_report(ws: Workspace, today: dt.date, options: Options = DEFAULT) -> str:
    """The whole report as one HTML document."""
    tables = ws.load_all()
    profile = load_profile(ws)
    red = Redactor.for_workspace(tables, profile, options)
    apps = tables["applications"]
    active = apps[~apps["stage"].isin(CLOSED_STAGES)]
    signed = apps[apps["offer_signed_on"] != ""]
    parts: list[str] = []
    who = html.escape(profile.name or "Job search")
    parts.append(f"<h1>{who}: job search report</h1>")
    parts.append(
        f'<p class="muted">As of {today:%A %d %B %Y} · {len(apps)} applications, '
        f"{len(active)} active · contact details "
        f"{'included' if options.include_contacts else 'redacted'} · salaries "
        f"{'included' if options.include_salaries else 'left out'}</p>"
    )
    standing = search_standing(tables, profile, today)
    if len(signed) or standing.phase != "active":
        parts.append(f'<p class="note">{_esc(standing.message, red)}</p>')

    parts.append("<h2>Pipeline</h2>")
    parts.append(
        _table(
            pipeline_table(tables, profile, today, options, standing.steps),
            red,
            "No applications yet.",
        )
    )
    parts += _people(tables, red, options)
    parts += _due(tables, profile, today, red, standing.states)
    parts += _drafts(ws, tables, red, options)
    parts += _notes(ws, red, options)
    parts += _coach_notes(tables, red)
    body = "\n".join(parts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{who}: job search report</title><style>{STYLE}</style></head>"
        f"<body>\n{body}\n</body></html>\n"
    )


def _people(tables, red: Redactor, options: Options) -> list[str]:
    """Everyone met, by company (emails and phones only when included)."""
    apps = tables["applications"]
    people = tables["contacts"].assign(
        company=lambda c: c["application_id"].map(apps.set_index("application_id")["company"])
    )
    columns = ["company", "name", "title", "relationship"]
    if options.include_contacts:
        columns += ["email", "phone"]
    return ["<h2>People</h2>", _table(people[columns], red, "No contacts yet.")]


def _due(tables, profile, today: dt.date, red: Redactor, states: pd.DataFrame) -> list[str]:
    """The thank-yous and follow-ups due, and the timeline chart."""
    parts = ["<h2>What is due</h2>"]
    book = ledger(tables, profile, today)
    thanks = book[book["state"].isin(["overdue", "due today", "due", "needs talking point"])]
    parts.append("<h3>Thank-you notes</h3>")
    parts.append(
        _table(
            thanks[["held_on", "company", "name", "due", "state"]].rename(
                columns={"held_on": "interview", "name": "person"}
            ),
            red,
            "Every thank-you is sent.",
        )
    )
    todo = states[states["state"].isin(["overdue", "due", "thank_yous_pending", "not_yet"])]
    names = tables["applications"].set_index("application_id")["company"]
    parts.append("<h3>Follow-ups</h3>")
    parts.append(
        _table(
            pd.DataFrame(
                {
                    "company": todo["application_id"].map(names),
                    "follow-up": labels(todo),
                    "earliest": [d.isoformat() if d else "" for d in todo["earliest"]],
                    "why": todo["reason"],
                }
            ),
            red,
            "No follow-ups waiting.",
        )
    )
    figure = timeline_figure(tables, profile, today, states=states)
    if figure is not None:
        parts.append(
            f'<img alt="Timeline of interviews, notes and follow-ups" '
            f'src="data:image/png;base64,{_figure_png(figure)}">'
        )
    return parts


def _drafts(ws: Workspace, tables, red: Redactor, options: Options) -> list[str]:
    """Each draft not sent yet, as a card."""
    parts = ["<h2>Drafts awaiting sending</h2>"]
    drafts = pd.concat([unsent(tables, k) for k in ("thank_you", "follow_up", "other")])
    if drafts.empty:
        parts.append('<p class="muted">No drafts waiting.</p>')
    for row in drafts.itertuples():
        path = inside(ws.root, row.draft_file)
        draft = load_draft(path) if path is not None else None
        to = _esc(draft.to_name, red) if draft else ""
        if draft and draft.to_email and options.include_contacts:
            to += f" &lt;{html.escape(draft.to_email)}&gt;"
        body = _esc(draft.body, red) if draft else "(the draft file is missing)"
        parts.append(
            f'<div class="card"><b>{_esc(row.subject, red)}</b>'
            f'<div class="muted">{html.escape(row.kind.replace("_", "-"))} to {to}, '
            f"drafted {html.escape(row.drafted_on)}</div><pre>{body}</pre></div>"
        )
    return parts


def _notes(ws: Workspace, red: Redactor, options: Options) -> list[str]:
    """The research notes, rendered (without their pay sections unless included)."""
    parts = ["<h2>Research notes</h2>"]
    notes_dir = ws.root / "notes"
    notes = sorted(notes_dir.glob("*.md")) if notes_dir.is_dir() else []
    if not notes:
        parts.append('<p class="muted">No research notes yet (02_research writes them).</p>')
    for note in notes:
        text = note.read_text(encoding="utf-8")
        if not options.include_salaries:
            text = without_pay_sections(text)
        parts.append(f'<div class="card">{_markdown(text, red)}</div>')
    return parts


def _coach_notes(tables, red: Redactor) -> list[str]:
    """The coach's notes, by company."""
    coach = tables["coach_notes"]
    names = tables["applications"].set_index("application_id")["company"]
    table = pd.DataFrame(
        {
            "company": coach["application_id"].map(names),
            "note": coach["note"],
            "author": coach["author"],
            "added": coach["added_on"],
        }
    )
    return ["<h2>Coach notes</h2>", _table(table, red, "No coach notes yet.")]
