"""The search at a glance: the numbers a coach reads first, and what changed.

:func:`glance` condenses a workspace into a :class:`Glance`: where the search stands
(the counts of :func:`helpers.standing.stage_counts`, the same 04_pipeline shows),
this week against the weekly goal, the flags (thank-yous overdue, follow-ups due,
stale applications, eggs in one basket) and the next actions. The coach report
opens with it; the caseload reads one per client. It is also written as a small
JSON file (:func:`to_json`) beside each shared report and inside each bundle, so the
next report, and the coach's caseload, can say what changed since
(:func:`changes`). Nothing here knows of widgets, IPython or charts.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

import pandas as pd

from helpers.pipeline import basket_warnings, search_status, week_start
from helpers.profile import Profile
from helpers.standing import last_activity, search_standing, stage_counts
from helpers.thankyou import ledger

FORMAT = 1
"""The version of the JSON file; a file of another version is not compared."""

SUMMARY_MEMBER = "data/summary.json"
"""Where a bundle carries the glance of the report it was shared with."""


@dataclass(frozen=True)
class Action:
    """One next action: the application, what to do, and the step's code."""

    application_id: str
    company: str
    role: str
    action: str
    step: str


@dataclass(frozen=True)
class Glance:
    """Where one search stands on ``as_of`` (see the module's docstring).

    ``stages`` maps every application id to ``[company, role, stage]``; ``messages_sent``
    counts notes sent (thank-yous, follow-ups, others); ``interviews_held`` counts
    interviews held up to ``as_of``.
    """

    as_of: str
    name: str
    phase: str
    applications: int
    active: int
    saved: int
    closed: int
    interviewing: int
    offers_pending: int
    signed: int
    stale: int
    follow_ups_due: int
    thank_yous_overdue: int
    thank_yous_due: int
    sent_this_week: int
    goal: int
    interviews_this_week: int
    interviews_held: int
    messages_sent: int
    last_activity: str
    warnings: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    stages: dict[str, list[str]] = field(default_factory=dict)

    @property
    def below_goal(self) -> int:
        """Applications still to send this week to meet the goal (0 once signed)."""
        if self.signed or not self.goal:
            return 0
        return max(self.goal - self.sent_this_week, 0)


def glance(
    tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date, red=None
) -> Glance:
    """The :class:`Glance` of a workspace's tables on ``today``; ``red`` (a
    :class:`helpers.redact.Redactor`) cleans every text it holds."""
    red = red or (lambda text: text)
    apps = tables["applications"]
    standing = search_standing(tables, profile, today)
    steps = standing.steps
    counts = stage_counts(steps)
    status = search_status(tables, profile, today)
    book = ledger(tables, profile, today)
    held = pd.to_datetime(
        tables["interviews"]["held_on"].where(lambda s: s != ""), format="%Y-%m-%d", errors="coerce"
    )
    monday = pd.Timestamp(week_start(today))
    now = pd.Timestamp(today)
    msgs = tables["messages"]
    latest = last_activity(tables, today)
    urgent = steps[steps["priority"] == 0]
    return Glance(
        as_of=today.isoformat(),
        name=red(profile.name),
        phase=standing.phase,
        applications=counts.applications,
        active=counts.active,
        saved=counts.saved,
        closed=counts.closed,
        interviewing=int((apps["stage"] == "interviewing").sum()),
        offers_pending=len(standing.offers),
        signed=int((apps["offer_signed_on"] != "").sum()),
        stale=counts.stale,
        follow_ups_due=counts.follow_ups_due,
        thank_yous_overdue=int((book["state"] == "overdue").sum()),
        thank_yous_due=int(book["state"].isin(["due today", "due"]).sum()),
        sent_this_week=status.sent_this_week,
        goal=status.goal,
        interviews_this_week=int(((held >= monday) & (held <= now)).sum()),
        interviews_held=int((held <= now).sum()),
        messages_sent=int(
            ((msgs["status"] == "sent") & (msgs["sent_on"] <= today.isoformat())).sum()
        ),
        last_activity=latest.max().date().isoformat() if len(latest) else "",
        warnings=[red(w) for w in basket_warnings(apps, profile)],
        actions=[
            Action(r.application_id, red(r.company), red(r.role), red(r.next_action), r.next_step)
            for r in urgent.itertuples()
        ],
        stages={
            a: [red(c), red(r), s]
            for a, c, r, s in zip(
                apps["application_id"], apps["company"], apps["role"], apps["stage"], strict=True
            )
        },
    )


def to_json(g: Glance) -> bytes:
    """The glance as the small JSON file kept beside a report and inside a bundle."""
    data = {"format": FORMAT, **asdict(g)}
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


_INTS = tuple(f.name for f in fields(Glance) if f.type == "int")
_TEXTS = ("as_of", "name", "phase", "last_activity")


def from_json(raw: bytes) -> Glance:
    """A glance read back from :func:`to_json`'s file.

    Raises:
        ValueError: the file is not such a glance (any field missing or of the wrong
            type: it may come from anyone).
    """
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ValueError(f"not a summary file: {err}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("not a summary file of this workbook's version")
    for key in _INTS:
        if type(data.get(key)) is not int or data[key] < 0:
            raise ValueError(f"{key} should be a count")
    for key in _TEXTS:
        if not isinstance(data.get(key), str):
            raise ValueError(f"{key} should be text")
    for key in ("as_of", "last_activity"):
        if data[key]:
            try:
                dt.date.fromisoformat(data[key])
            except ValueError:
                raise ValueError(f"{key} should be a date (YYYY-MM-DD)") from None
    warnings, actions, stages = data.get("warnings"), data.get("actions"), data.get("stages")
    if not (isinstance(warnings, list) and all(isinstance(w, str) for w in warnings)):
        raise ValueError("warnings should be a list of text")
    if not isinstance(actions, list) or not all(
        isinstance(a, dict) and all(isinstance(a.get(k), str) for k in Action.__dataclass_fields__)
        for a in actions
    ):
        raise ValueError("actions should be a list of actions")
    if not isinstance(stages, dict) or not all(
        isinstance(v, list) and len(v) == 3 and all(isinstance(x, str) for x in v)
        for v in stages.values()
    ):
        raise ValueError("stages should map applications to company, role and stage")
    return Glance(
        **{k: data[k] for k in (*_INTS, *_TEXTS)},
        warnings=warnings,
        actions=[Action(**{k: a[k] for k in Action.__dataclass_fields__}) for a in actions],
        stages=stages,
    )


@dataclass(frozen=True)
class Changes:
    """What changed between two glances of the same search."""

    since: str
    new_applications: list[str]
    stage_changes: list[tuple[str, str, str]]
    interviews: int
    messages_sent: int

    @property
    def any(self) -> bool:
        return bool(
            self.new_applications or self.stage_changes or self.interviews or self.messages_sent
        )


def _label(entry: list[str]) -> str:
    company, role, _ = entry
    return f"{company} — {role}" if role else company


def changes(before: Glance, after: Glance) -> Changes:
    """What changed from ``before`` to ``after``: new applications, stage changes
    (as ``(application, from, to)``), interviews held and notes sent in between."""
    new = [_label(v) for k, v in after.stages.items() if k not in before.stages]
    moved = [
        (_label(v), before.stages[k][2], v[2])
        for k, v in after.stages.items()
        if k in before.stages and before.stages[k][2] != v[2]
    ]
    return Changes(
        since=before.as_of,
        new_applications=new,
        stage_changes=moved,
        interviews=max(after.interviews_held - before.interviews_held, 0),
        messages_sent=max(after.messages_sent - before.messages_sent, 0),
    )
