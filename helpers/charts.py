"""Every chart of the workbook, drawn with matplotlib: the follow-up timeline (03 and
the coach report), similar pay (02), applications per week and the funnel (04).

The domain modules say what to draw (:func:`helpers.followup.timeline`,
:class:`helpers.pay_view.PayView`, :func:`helpers.pipeline.weekly_counts`,
:func:`helpers.pipeline.funnel`); this module draws it. Every label goes through
:func:`helpers.escape.chart_text` (typed text is never mathtext), and a PNG carries
no "Software" metadata, so the same chart is the same bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings

import numpy as np
import pandas as pd

from helpers import followup, pay
from helpers.escape import chart_text
from helpers.pay_view import PayView
from helpers.profile import Profile

# -- the follow-up timeline ----------------------------------------------------------


def timeline_figure(
    tables: dict[str, pd.DataFrame],
    profile: Profile,
    today: dt.date,
    application_id: str = "",
    limit: int = followup.TIMELINE_ROWS,
    states: pd.DataFrame | None = None,
):
    """A timeline per open application: interviews, thank-yous and follow-ups sent, the
    decision date, the earliest next follow-up, and today. ``None`` if nothing to show.

    What is drawn is :func:`helpers.followup.timeline`: at most ``limit`` applications,
    the most urgent ones."""
    import matplotlib.pyplot as plt

    shown = followup.timeline(tables, profile, today, application_id, limit, states)
    if shown is None:
        return None
    fig, ax = plt.subplots(figsize=(9, 0.55 * len(shown.ids) + 1.6))
    _timeline_marks(ax, shown)
    ax.axvline(today, color="#5f6368", linestyle="--", linewidth=1, label="today")
    ax.set_yticks(range(len(shown.ids)), [chart_text(c) for c in shown.companies])
    ax.set_ylim(-0.7, len(shown.ids) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=9)
    ax.set_title(chart_text(shown.title), loc="left")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.set_layout_engine(None)  # laid out once: saving need not do it again
    plt.close(fig)
    return fig


# Each kind of mark has its own lane within an application's row, so marks a day or
# two apart (an interview, its thank-you, the decision date) stay apart; the earliest
# next follow-up stands on the row's line. Kind: (lane, how it is drawn).
_MARKS = {
    "interview": (-0.24, {"marker": "o", "color": "#1a73e8", "label": "interview"}),
    "thank-you": (-0.08, {"marker": "^", "color": "#188038", "label": "thank-you sent"}),
    "follow-up": (0.08, {"marker": "s", "color": "#8e24aa", "label": "follow-up sent"}),
    "decision": (
        0.24,
        {
            "marker": "D",
            "facecolors": "none",
            "edgecolors": "#e37400",
            "label": "decision expected",
        },
    ),
    "next": (
        0,
        {"marker": "*", "s": 120, "color": "#d93025", "label": "next follow-up from", "zorder": 4},
    ),
}


def _timeline_marks(ax, shown: followup.Timeline) -> None:
    """The marks of each application's row: interviews, notes sent, the decision date
    expected, the earliest next follow-up."""
    rows = {app_id: i for i, app_id in enumerate(shown.ids)}

    def dates(s: pd.Series) -> list[dt.date]:
        return [dt.date.fromisoformat(d) for d in s]

    sent, decided, nxt = shown.sent, shown.decided, shown.next_from
    thank_yous, follow_ups = sent[sent["kind"] == "thank_you"], sent[sent["kind"] == "follow_up"]
    marked = {  # kind: (the days, the application of each)
        "interview": (dates(shown.interviews["held_on"]), shown.interviews["application_id"]),
        "thank-you": (dates(thank_yous["sent_on"]), thank_yous["application_id"]),
        "follow-up": (dates(follow_ups["sent_on"]), follow_ups["application_id"]),
        "decision": (dates(decided), decided.index),
        "next": (list(nxt["earliest"]), nxt["application_id"]),
    }
    for kind, (days, apps) in marked.items():
        lane, style = _MARKS[kind]
        if len(days):
            ax.scatter(days, [rows[a] + lane for a in apps], **{"s": 30, "zorder": 3, **style})


# -- similar pay -------------------------------------------------------------------


def _label(text: str, width: int = 48) -> str:
    """Text for a matplotlib label: on one line, long text cut, shown as typed
    (:func:`helpers.escape.chart_text`)."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    if len(text) > width:
        text = text[: width - 1] + "…"
    return chart_text(text)


def _thousands(x: float, _pos=None) -> str:
    """An axis tick in thousands: ``85k``, ``97.5k``."""
    k = x / 1000
    return f"{k:,.0f}k" if float(k).is_integer() else f"{k:,.1f}k"


def pay_chart_png(
    rows: pd.DataFrame,
    currency: str,
    title: str,
    stats: pay.Stats | None = None,
    posted: tuple[float | None, float | None] = (None, None),
    target: float | None = None,
    suggested: tuple[float, float] | None = None,
) -> bytes | None:
    """A PNG chart: each similar position's yearly range, with the role marked.

    The application's posted range is a shaded band, the suggested negotiating
    range a hatched one, the user's target a dashed line, and (with enough
    comparables) the median a dotted line.

    Args:
        rows: comparables from :func:`helpers.pay.yearly`; only usable rows in
            ``currency`` are drawn.

    Returns:
        The PNG bytes, or ``None`` when there is nothing to draw.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    mine = rows[(rows["left_out"] == "") & (rows["currency"] == currency)]
    if mine.empty:
        return None
    mine = mine.sort_values(["mid", "company", "title"], kind="stable").reset_index(drop=True)
    fig = Figure(figsize=(8, 1.7 + 0.42 * len(mine)), dpi=96)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    for i, r in mine.iterrows():
        ax.plot([r["low"], r["high"]], [i, i], color="#80868b", lw=4, solid_capstyle="round")
        ax.plot([r["mid"]], [i], "o", color="#1a73e8", ms=6)
    labels = [_label(" — ".join(x for x in (r.company, r.title) if x)) for r in mine.itertuples()]
    ax.set_yticks(range(len(mine)), labels, fontsize=8)
    ax.set_ylim(-0.8, len(mine) - 0.2)
    _pay_marks(ax, stats, posted, target, suggested)
    ax.xaxis.set_major_formatter(FuncFormatter(_thousands))
    ax.set_xlabel(chart_text(f"{currency} per year"))
    ax.set_title(_label(title, 80), fontsize=10)
    ax.grid(axis="x", color="#e8eaed")
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="best", fontsize=8)
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a glyph missing from the font is drawn as a box
        fig.tight_layout()
        fig.set_layout_engine(None)  # laid out once: saving need not do it again
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _pay_marks(ax, stats, posted, target, suggested) -> None:
    """The posted range (a band, or a line for one figure), the suggested range
    (hatched), the user's target (dashed) and, with enough comparables, the median."""
    ends = [x for x in posted if x is not None]
    if ends and min(ends) < max(ends):
        ax.axvspan(
            min(ends), max(ends), color="#fbbc04", alpha=0.25, zorder=0, label="posted range"
        )
    elif ends:
        ax.axvline(ends[0], color="#f29900", lw=2, label="posted pay")
    if suggested is not None:
        ax.axvspan(
            *suggested,
            facecolor="none",
            edgecolor="#34a853",
            hatch="//",
            lw=0,
            zorder=0,
            label="suggested range",
        )
    if target is not None:
        ax.axvline(target, color="#d93025", ls="--", lw=1.5, label="your target")
    if stats is not None and stats.enough:
        ax.axvline(stats.median, color="#188038", ls=":", lw=1.5, label="median")


def pay_chart(view: PayView, title: str) -> bytes | None:
    """The chart of an application's comparables in its currency (a
    :class:`helpers.pay_view.PayView`)."""
    if not view.currency:
        return None
    stats = next((s for s in view.stats if s.currency == view.currency), None)
    t = view.target.yearly if view.target and view.target.currency == view.currency else None
    a = view.advice
    suggested = (a.floor, a.ask) if a is not None and a.suggested else None
    return pay_chart_png(view.comparables, view.currency, title, stats, view.posted, t, suggested)


# -- the pipeline ------------------------------------------------------------------------


def weekly_chart(weekly: pd.DataFrame, goal: int):
    """A bar chart of applications sent per week, with the weekly goal as a line."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 2.8), dpi=100)
    ax = fig.add_subplot()
    x = np.arange(len(weekly))
    colours = ["#9bb7e0"] * len(weekly)
    if len(weekly):
        colours[-1] = "#1a5fb4"  # this week
    ax.bar(x, weekly["sent"], color=colours, width=0.7)
    if goal:
        ax.axhline(goal, color="#c01c28", linestyle="--", linewidth=1.5, label=f"goal: {goal}")
        ax.legend(loc="upper left", frameon=False)
    labels, year = [], ""
    for w in weekly["week"]:  # the year under the first week and where it changes
        y, wk = w.split("-")
        labels.append(wk if y == year else f"{wk}\n{y}")
        year = y
    ax.set_xticks(x, labels, fontsize=8)
    ax.set_ylabel("applications sent")
    top = max([goal, *weekly["sent"]], default=0)
    ax.set_ylim(0, max(top * 1.25, 1))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.spines[["top", "right"]].set_visible(False)
    first, last = weekly["week"].iloc[0], weekly["week"].iloc[-1]
    ax.set_title(f"Applications per ISO week, {first} to {last}", fontsize=10)
    fig.tight_layout()
    fig.set_layout_engine(None)  # laid out once: saving need not do it again
    return fig


def funnel_chart(f: pd.DataFrame):
    """Horizontal bars: how many applications reached each stage, with the conversion."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(7.5, 2.8), dpi=100)
    ax = fig.add_subplot()
    y = np.arange(len(f))[::-1]
    ax.barh(y, f["reached"], color="#1a5fb4", height=0.65)
    ax.set_yticks(y, [chart_text(s) for s in f["stage"]])
    top = max(f["reached"].max(), 1)
    for yi, n, rate in zip(y, f["reached"], f["went_on"].shift(1), strict=True):
        label = f"{n}" if np.isnan(rate) else f"{n}  ({round(rate * 100)} %)"
        ax.text(n + top * 0.01, yi, label, va="center", fontsize=9)
    ax.set_xlim(0, top * 1.25)
    ax.set_xlabel("applications that reached the stage (share of the stage above)")
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.set_layout_engine(None)  # laid out once: saving need not do it again
    return fig


def png(fig):
    """A chart as a PNG image to display (the same bytes on every run)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", metadata={"Software": None})
    from IPython.display import Image

    return Image(data=buffer.getvalue(), format="png")
