"""The coach report: one static, self-contained HTML file.

Everything is inline (styles, charts as ``data:`` PNG images); there are no scripts,
no widgets and nothing fetched from the network, and a Content-Security-Policy forbids
them anyway. The page is drawn from the templates ``report.html.j2`` and
``report_summary.html.j2`` (:mod:`helpers.templating`: autoescaped, never taken from
the workspace), its tables by :mod:`helpers.html_tables`. Every value the user typed is
escaped; notes written in Markdown are rendered with raw HTML escaped and links shown
as text. Contact details (emails, phone numbers) are redacted by default; salary
figures can be left out.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup

from helpers.charts import funnel_chart, timeline_figure
from helpers.dates import long_date
from helpers.drafts import load_draft
from helpers.followup import labels
from helpers.glance import Changes, Glance, changes, glance
from helpers.html_tables import html_table
from helpers.paths import inside
from helpers.pipeline import funnel, week_start
from helpers.profile import load_profile
from helpers.redact import DEFAULT, Options, Redactor
from helpers.schema import CLOSED_STAGES, STAGES
from helpers.standing import search_standing
from helpers.store import Workspace
from helpers.templating import render, shipped
from helpers.thankyou import ledger, unsent

SECTIONS = (
    ("pipeline", "Pipeline"),
    ("people", "People"),
    ("due", "What is due"),
    ("drafts", "Drafts awaiting sending"),
    ("notes", "Research notes"),
    ("coach", "Coach notes"),
)
"""The report's detail sections after the summary: anchor and title."""

KINDS = {"thank_you": "Thank-you note", "follow_up": "Follow-up", "other": "Note"}


def _table(df: pd.DataFrame, red: Redactor, empty: str) -> Markup:
    """``df`` redacted, as a table headed by its capitalised column names."""
    shown = pd.DataFrame({str(c)[:1].upper() + str(c)[1:]: red.all(df[c]) for c in df.columns})
    return Markup(html_table(shown, empty=empty, empty_class="muted"))


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
    return render(red(_checkboxes(text)))


def _checkboxes(text: str) -> str:
    """A Markdown checklist's ``[ ]`` and ``[x]`` as the boxes a person reads."""
    return CHECKBOX.sub(lambda m: m[1] + ("☑ " if m[2] in "xX" else "☐ "), text)


CHECKBOX = re.compile(r"(?m)^(\s*(?:[-*+]|\d+[.)])\s+)\[([ xX])\]\s")


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


def money(amount: str, currency: str, locale: str = "en_US") -> str:
    """An amount as the locale writes money, without cents (``$95,000``, ``95.000 €``);
    an amount that is not a number, or no currency, is shown as given."""
    from babel import Locale
    from babel.numbers import format_currency, format_decimal

    try:
        value = float(amount)
    except ValueError:
        return amount
    pattern = re.sub(r"\.0+", "", Locale.parse(locale).currency_formats["standard"].pattern)
    if not currency:
        return format_decimal(value, "#,##0", locale=locale)
    try:
        return format_currency(
            value, currency, format=pattern, locale=locale, currency_digits=False
        )
    except Exception:  # an unknown currency code: the number, then the code
        return f"{format_decimal(value, '#,##0', locale=locale)} {currency}"


def _pay_range(low: str, high: str, currency: str, locale: str = "en_US") -> str:
    if not (low or high):
        return ""
    shown = [money(v, currency, locale) for v in (low, high) if v]
    return "–".join(shown) if len(shown) == 2 else f"up to {shown[0]}" if high else shown[0]


def day(iso: str, locale: str = "en_US") -> str:
    """An ISO date as the locale writes it briefly (``Nov 24, 2026``, ``24 Nov 2026``);
    anything else as given."""
    from babel.dates import format_date

    try:
        return format_date(dt.date.fromisoformat(iso), "medium", locale=locale)
    except (TypeError, ValueError):
        return iso or ""


def _money_locale(profile) -> str:
    return profile.locale or profile.date_locale


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
    locale = profile.date_locale
    view = view.assign(
        applied=[day(d, locale) for d in view["applied"]],
        **{"stage since": [day(d, locale) for d in view["stage since"]]},
    )
    if options.include_salaries:
        view = view.assign(
            salary=[
                _pay_range(lo, hi, cur, _money_locale(profile))
                for lo, hi, cur in zip(
                    apps["salary_min"], apps["salary_max"], apps["currency"], strict=True
                )
            ]
        )
    return view.reset_index(drop=True)


def build_report(
    ws: Workspace, today: dt.date, options: Options = DEFAULT, previous: Glance | None = None
) -> str:
    """The whole report as one HTML document: the summary, then the details in
    sections a reader opens (``previous``: the glance of the last report shared, for
    what changed since)."""
    return report_and_glance(ws, today, options, previous)[0]


def report_and_glance(
    ws: Workspace, today: dt.date, options: Options = DEFAULT, previous: Glance | None = None
) -> tuple[str, Glance]:
    """:func:`build_report`'s HTML, and the :class:`Glance` its summary shows."""
    tables = ws.load_all()
    profile = load_profile(ws)
    red = Redactor.for_workspace(tables, profile, options)
    standing = search_standing(tables, profile, today)
    now = glance(tables, profile, today, red)
    locale = profile.date_locale
    page = render(
        shipped("report.html.j2"),
        who=profile.name or "Job search",
        as_of=long_date(today, locale, with_year=True),
        contacts=options.include_contacts,
        salaries=options.include_salaries,
        sections=SECTIONS,
        summary=Markup(summary_html(now, standing.message, red, locale, previous, tables)),
        pipeline=_table(
            pipeline_table(tables, profile, today, options, standing.steps),
            red,
            "No applications yet.",
        ),
        people=_people(tables, red, options),
        **_due(tables, profile, today, red, standing.states),
        drafts=_drafts(ws, tables, red, options, locale),
        notes=_notes(ws, red, options),
        coach=_coach_notes(tables, red, locale),
    )
    return page + "\n", now


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def standing_paragraph(g: Glance) -> str:
    """Where the search stands, in one paragraph of plain text (the counts 04 gives)."""
    if not g.applications:
        return "No applications recorded yet."
    offers = (
        f"{_n(g.offers_pending, 'offer')} waiting for an answer"
        if g.offers_pending
        else "no offer yet"
    )
    signed = f"{_n(g.signed, 'offer')} signed" if g.signed else "none signed"
    return (
        f"{_n(g.applications, 'application')}: {g.active} active, {g.saved} saved, "
        f"{g.closed} closed. {g.interviewing} interviewing, {offers}, {signed}. "
        f"{_n(g.follow_ups_due, 'follow-up')} due, {g.stale} stale."
    )


def week_line(g: Glance, locale: str) -> str:
    """This week against the weekly goal, and the interviews held this week."""
    if g.signed:
        return "The search is over: no weekly goal any more."
    goal = (
        f"{_n(g.sent_this_week, 'application')} sent against a goal of {g.goal}"
        + (f", {g.below_goal} to go" if g.below_goal else ": goal met")
        if g.goal
        else f"{_n(g.sent_this_week, 'application')} sent (no weekly goal set)"
    )
    monday = week_start(dt.date.fromisoformat(g.as_of))
    return (
        f"Week from {long_date(monday, locale)}: {goal}; "
        f"{_n(g.interviews_this_week, 'interview')} held."
    )


def changes_lines(c: Changes) -> list[str]:
    """What changed, one line each (plain text)."""
    lines = [f"New application: {a}" for a in c.new_applications]
    lines += [f"{a}: {old} → {new}" for a, old, new in c.stage_changes]
    if c.interviews:
        lines.append(f"{_n(c.interviews, 'interview')} held")
    if c.messages_sent:
        lines.append(f"{_n(c.messages_sent, 'note')} sent (thank-yous, follow-ups and others)")
    return lines


def flag_lines(g: Glance) -> list[str]:
    """What needs attention, one line each (plain text)."""
    flags = []
    if g.thank_yous_overdue:
        flags.append(f"{_n(g.thank_yous_overdue, 'thank-you note')} overdue")
    if g.thank_yous_due:
        flags.append(f"{_n(g.thank_yous_due, 'thank-you note')} due by the next business day")
    if g.follow_ups_due:
        flags.append(f"{_n(g.follow_ups_due, 'follow-up')} due")
    if g.stale:
        flags.append(f"{_n(g.stale, 'stale application')}: nothing happened for weeks")
    return flags + list(g.warnings)


@dataclass(frozen=True)
class Framing:
    """Where a summary stands: its heading level, what its changes are counted since,
    what it says with nothing before it, and its anchor ("" for none)."""

    level: int = 2
    before: str = "the last report"
    first: str = "This is the first report."
    anchor: str = "summary"


IN_REPORT = Framing()
IN_CASELOAD = Framing(3, "their previous bundle", "The first bundle you have from them.", "")
"""A client's summary on a coach's caseload page, under the client's name."""


def summary_html(
    g: Glance,
    message: str,
    red: Redactor,
    locale: str,
    previous: Glance | None = None,
    tables=None,
    framing: Framing = IN_REPORT,
) -> str:
    """The report's summary: standing, this week, changes, next actions, flags, funnel."""
    since = changed = None
    if previous is not None:
        since = long_date(dt.date.fromisoformat(previous.as_of), locale, with_year=True)
        changed = changes_lines(changes(previous, g))
    funnel_png = ""
    if tables is not None and g.applications:
        funnel_png = _figure_png(funnel_chart(funnel(tables)))
    return render(
        shipped("report_summary.html.j2"),
        standing=standing_paragraph(g),
        message=red(message) if message and g.phase != "active" else "",
        week=week_line(g, locale),
        since=since,
        changes=changed,
        actions=g.actions,
        flags=flag_lines(g),
        funnel=funnel_png,
        level=framing.level,
        before=framing.before,
        first=framing.first,
        anchor=framing.anchor,
    )


def _people(tables, red: Redactor, options: Options) -> Markup:
    """Everyone met, by company (emails and phones only when included)."""
    apps = tables["applications"]
    people = tables["contacts"].assign(
        company=lambda c: c["application_id"].map(apps.set_index("application_id")["company"])
    )
    people = people.assign(relationship=people["relationship"].str.replace("_", " "))
    columns = ["company", "name", "title", "relationship"]
    if options.include_contacts:
        columns += ["email", "phone"]
    return _table(people[columns], red, "No contacts yet.")


def _due(tables, profile, today: dt.date, red: Redactor, states: pd.DataFrame) -> dict:
    """The thank-yous and follow-ups due, and the timeline chart (as a PNG, "" if none)."""
    locale = profile.date_locale
    book = ledger(tables, profile, today)
    thanks = book[book["state"].isin(["overdue", "due today", "due", "needs talking point"])]
    todo = states[states["state"].isin(["overdue", "due", "thank_yous_pending", "not_yet"])]
    names = tables["applications"].set_index("application_id")["company"]
    figure = timeline_figure(tables, profile, today, states=states)
    return {
        "thank_yous": _table(
            pd.DataFrame(
                {
                    "interview": [day(d, locale) for d in thanks["held_on"]],
                    "company": thanks["company"],
                    "person": thanks["name"],
                    "due": [day(d, locale) for d in thanks["due"]],
                    "state": thanks["state"],
                }
            ),
            red,
            "Every thank-you is sent.",
        ),
        "follow_ups": _table(
            pd.DataFrame(
                {
                    "company": todo["application_id"].map(names),
                    "follow-up": labels(todo),
                    "earliest": [day(d.isoformat(), locale) if d else "" for d in todo["earliest"]],
                    "why": todo["reason"],
                }
            ),
            red,
            "No follow-ups waiting.",
        ),
        "timeline_png": _figure_png(figure) if figure is not None else "",
    }


def _drafts(ws: Workspace, tables, red: Redactor, options: Options, locale: str) -> list[dict]:
    """Each draft not sent yet, as a card saying who it is for and when it was drafted."""
    cards = []
    drafts = pd.concat([unsent(tables, k) for k in ("thank_you", "follow_up", "other")])
    people = tables["contacts"].set_index("contact_id")["name"]
    for row in drafts.itertuples():
        path = inside(ws.root, row.draft_file)
        draft = load_draft(path) if path is not None else None
        name = (draft.to_name if draft else "") or people.get(row.contact_id, "")
        cards.append(
            {
                "subject": red(row.subject),
                "kind": KINDS.get(row.kind, "Note"),
                "name": red(name) if str(name).strip() else "",
                "no_email": bool(draft and not draft.to_email),
                "email": draft.to_email if draft and options.include_contacts else "",
                "drafted": day(row.drafted_on, locale) if row.drafted_on else "",
                "body": red(draft.body) if draft else "(the draft file is missing)",
            }
        )
    return cards


def _notes(ws: Workspace, red: Redactor, options: Options) -> list[Markup]:
    """The research notes, rendered (without their pay sections unless included)."""
    notes_dir = ws.root / "notes"
    notes = sorted(notes_dir.glob("*.md")) if notes_dir.is_dir() else []
    rendered = []
    for note in notes:
        text = note.read_text(encoding="utf-8")
        if not options.include_salaries:
            text = without_pay_sections(text)
        rendered.append(Markup(_markdown(text, red)))
    return rendered


def _coach_notes(tables, red: Redactor, locale: str) -> Markup:
    """The coach's notes, by application (company and role, never an identifier)."""
    coach = tables["coach_notes"]
    apps = tables["applications"].set_index("application_id")
    label = apps["company"] + " — " + apps["role"]
    table = pd.DataFrame(
        {
            "application": coach["application_id"]
            .map(label)
            .fillna("(an application since removed)"),
            "note": coach["note"],
            "by": coach["author"],
            "added": [day(d, locale) for d in coach["added_on"]],
        }
    )
    return _table(table, red, "No coach notes yet.")
