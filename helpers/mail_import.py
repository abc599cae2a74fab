"""Your mailbox, offline: sent notes close drafts, employers' replies are recognised.

A mailbox export (an ``.mbox`` file, a Maildir, a folder of ``.eml`` files; several
separated by ``:``) is read message by message, never whole (:mod:`helpers.mail_read`):
each message's headers are parsed with :class:`email.parser.BytesHeaderParser`, and
only a message that concerns an application has its first :data:`BODY_LIMIT` bytes
parsed for its text. The rest of a long message (an attachment) is skipped unread.

What a message can do (:func:`preview` lists it; :func:`apply` makes it, in one
transaction):

- **sent mail closes a draft**: from one of your addresses (the profile's), to the
  draft's contact (or, when the contact has no address, to the application's domain),
  with the draft's subject (``Re:``/``Fwd:`` and spacing aside), dated from the day
  before the draft to :data:`SENT_WINDOW_DAYS` after it: the draft is marked sent on
  the message's date.
- **a reply is recorded**: from a contact's address, or from the company's domain
  (known from contacts' addresses and job URLs), matched to one application and
  classified by :data:`~helpers.mail_rules.CLASSIFICATION_RULES` (invitation,
  rejection, offer, other), with the phrase that decided it. A rejection or an offer
  moves the stage; an invitation moves an application not yet interviewing to
  ``interviewing``.

A message that could belong to several applications is listed as *ambiguous*, with
the candidates, and never applied. Mailing-list mail (``List-Id``,
``List-Unsubscribe``, ``Precedence: bulk``) and job alerts from a company's domain
are not replies. Only what the rules need is kept, in ``mail.csv``: a digest of the
Message-ID (else of date, sender and subject), the date, direction, addresses,
subject, application, the draft closed, the classification and its reason; never a
body. Importing the same mailbox again changes nothing.

A message that cannot be read (broken headers, a MIME nesting bomb, no date at all)
is reported with its place and the reason, and skipped; the import goes on.

Typical use::

    plan = preview(ws, "~/Takeout/Mail/All mail.mbox", progress=callback)
    plan.summary()              # read, matched, proposed, skipped and why
    apply(ws, plan)             # every proposed change, all or nothing

Nothing here imports widgets: ``progress`` is a plain callable given a
:class:`Counts` now and then (:class:`helpers.display.CountingBar` is one that draws
a bar in a notebook).
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pandas as pd

from helpers.mail_known import Known, domain_of, parents
from helpers.mail_read import (
    BODY_LIMIT,
    Mail,
    Raw,
    Unreadable,
    parse,
    read_mbox,
    read_source,
    sources,
)
from helpers.mail_rules import (
    CLASSIFICATION_RULES,
    STAGE_AFTER,
    TEXT_LIMIT,
    bulk_phrase,
    classify,
    own_text,
    phrase_pattern,
)
from helpers.profile import load_profile
from helpers.schema import CLOSED_STAGES
from helpers.store import Transaction, Workspace

__all__ = [
    "CLASSIFICATION_RULES",
    "Ambiguous",
    "Change",
    "Counts",
    "Plan",
    "apply",
    "classify",
    "parse",
    "pick",
    "preview",
    "read_mbox",
    "read_source",
    "sources",
]

TABLE = "mail"
SENT_WINDOW_DAYS = 60
"""A draft can be closed by a message sent up to this many days after it was drafted."""
# -- the plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """One proposed change, with the evidence for it."""

    kind: str  # "draft sent", "reply recorded", "stage"
    application_id: str
    on: dt.date
    what: str
    evidence: str
    mail_id: str = ""
    message_id: str = ""
    stage: str = ""


@dataclass(frozen=True)
class Ambiguous:
    """A message that could belong to more than one application: for the user to pick
    (:func:`pick`)."""

    where: str
    on: dt.date
    sender: str
    subject: str
    candidates: tuple[str, ...]
    why: str
    mail: Mail | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls, mail: Mail, candidates: tuple[str, ...], why: str, kept: Mail | None = None
    ) -> Ambiguous:
        """``mail`` listed with its candidates; ``kept`` is the message to apply once
        picked (a reply's)."""
        return cls(mail.where, mail.date, mail.sender, mail.subject, candidates, why, kept)


@dataclass
class Counts:
    """How far the reading is: given to ``progress`` now and then."""

    read: int = 0
    matched: int = 0
    proposed: int = 0
    skipped: int = 0
    ambiguous: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    source: str = ""
    finished: bool = False


@dataclass
class Plan:
    """What an import would change (:func:`preview`), and what it read."""

    changes: list[Change] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    counts: Counts = field(default_factory=Counts)
    already: int = 0
    partial: int = 0
    applied: int | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def proposed(self) -> int:
        return len(self.changes)

    def only(self, application_id: str) -> Plan:
        """The same reading, with only the changes for one application (all when empty)."""
        if not application_id:
            return self
        keep = [c for c in self.changes if c.application_id == application_id]
        ids = {c.mail_id for c in keep}
        return Plan(
            changes=keep,
            rows=[r for r in self.rows if r["mail_id"] in ids],
            ambiguous=[a for a in self.ambiguous if application_id in a.candidates],
            skipped=self.skipped,
            problems=self.problems,
            counts=self.counts,
            already=self.already,
            partial=self.partial,
            notes=self.notes,
        )

    def skip_reasons(self) -> Counter:
        return Counter(_reason_kind(reason) for _, reason in self.skipped)

    def summary(self) -> str:
        """Read, matched, proposed, applied, skipped and why, as one Markdown paragraph."""
        c = self.counts
        parts = [
            f"**{c.read:,}** message{'s' if c.read != 1 else ''} read",
            f"**{c.matched:,}** matched to an application",
            f"**{self.proposed:,}** change{'s' if self.proposed != 1 else ''} proposed",
        ]
        if self.applied is not None:
            parts.append(f"**{self.applied:,}** applied")
        if self.ambiguous:
            parts.append(f"**{len(self.ambiguous):,}** ambiguous (listed, not applied)")
        if self.already:
            parts.append(f"{self.already:,} already imported")
        text = ", ".join(parts)
        if self.skipped:
            why = "; ".join(f"{n} {reason}" for reason, n in self.skip_reasons().most_common())
            text += f". **{len(self.skipped):,}** skipped: {why}"
        if self.partial:
            text += (
                f". {self.partial:,} long message{'s were' if self.partial != 1 else ' was'} "
                f"read only in part (the first {BODY_LIMIT // 1024} KB; attachments skipped "
                "unread)"
            )
        for problem in self.problems:
            text += f". {problem}"
        return text + "."


def _reason_kind(reason: str) -> str:
    return reason.split(" (")[0]


def preview(
    ws: Workspace,
    spec,
    progress: Callable[[Counts], None] | None = None,
    my_addresses: Iterable[str] = (),
    every: float = 0.2,
) -> Plan:
    """Read the mailboxes in ``spec`` and list the changes they justify; change nothing.

    Args:
        ws: the workspace.
        spec: mailbox paths, separated by ``:`` (or a list of paths).
        progress: called with the :class:`Counts` at most every ``every`` seconds,
            and once at the end.
        my_addresses: your addresses besides the profile's (``email`` and
            ``other_emails``).
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    known = Known.of(tables, [profile.email, *profile.other_emails, *my_addresses])
    plan = Plan()
    if not known.mine:
        plan.notes.append(
            "Your profile has no email address: your sent mail cannot be recognised "
            "(00_start_here, Your profile), so no draft is closed."
        )
    found = sources(spec)
    counts = plan.counts
    counts.bytes_total = sum(s.size for s in found)
    tick = _Throttled(progress, every, counts)
    matching = (known, plan, set(), set(), {})  # seen now, drafts closed, stage by app
    for source in found:
        counts.source = str(source.path)
        if source.kind in ("missing", "empty"):
            plan.problems.append(
                f"{source.path}: "
                + ("no such file or folder" if source.kind == "missing" else "no mail found in it")
            )
            continue
        try:
            _read(source, matching, tick)
        except (Unreadable, OSError) as err:
            plan.problems.append(f"{source.path}: {err}")
    # Only the latest reply of an application changes its stage.
    stage_by_app = matching[-1]
    plan.changes += sorted(stage_by_app.values(), key=lambda c: (c.on, c.application_id))
    counts.proposed = len(plan.changes)
    counts.finished = True
    tick(force=True)
    return plan


class _Throttled:
    """``progress(counts)`` at most every ``every`` seconds (and when forced)."""

    def __init__(self, progress: Callable[[Counts], None] | None, every: float, counts: Counts):
        self.progress, self.every, self.counts, self.last = progress, every, counts, 0.0

    def __call__(self, force: bool = False) -> None:
        if self.progress is None:
            return
        now = time.monotonic()
        if force or now - self.last >= self.every:
            self.last = now
            self.progress(self.counts)


def _read(source, matching: tuple, tick: _Throttled) -> None:
    """Match every message of one mailbox (``matching`` is what :func:`_one` takes after
    the message), counting as it goes; a message that cannot be read is skipped."""
    plan: Plan = matching[1]
    counts = plan.counts
    for raw in read_source(source):
        counts.read += 1
        if raw.size > len(raw.data):
            plan.partial += 1
        if source.kind == "mbox":
            counts.bytes_done += raw.size
        try:
            _one(raw, *matching)
        except Unreadable as err:
            plan.skipped.append((raw.where, str(err)))
        except Exception as err:  # whatever a message holds, the import goes on
            plan.skipped.append((raw.where, f"it cannot be read ({type(err).__name__})"))
        counts.skipped = len(plan.skipped)
        counts.proposed = len(plan.changes)
        counts.ambiguous = len(plan.ambiguous)
        tick()


def _one(raw: Raw, known: Known, plan: Plan, seen_now, closed, stage_by_app) -> None:
    """Match one message and add what it justifies to ``plan``."""
    mail = parse(raw, known.wanted)
    if mail is None:
        return  # neither yours nor from anyone the workspace knows
    if mail.mail_id in seen_now:
        return  # the same message in two mailboxes (All mail and Sent, say)
    seen_now.add(mail.mail_id)
    if mail.mail_id in known.seen:
        plan.counts.matched += 1
        plan.already += 1
        return
    if mail.sender in known.mine:
        _sent(mail, known, plan, closed)
    else:
        _received(mail, known, plan, stage_by_app)


def _sent(mail: Mail, known: Known, plan: Plan, closed: set[str]) -> None:
    to = set(mail.recipients)
    if not to or known.drafts.empty:
        return
    subject = _subject_key(mail.subject)
    candidates, by_address = _drafts_sent_by(mail, to, subject, known, closed)
    if not candidates:
        return
    plan.counts.matched += 1
    candidates = by_address or candidates  # the contact's own address is the better match
    if len(candidates) > 1:
        exact = [r for r in candidates if _subject_key(r.subject) == subject]
        candidates = exact if len(exact) == 1 else candidates
    if mail.mail_id in known.seen:
        plan.already += 1
        return
    if len(candidates) > 1:
        plan.ambiguous.append(
            Ambiguous.of(
                mail, tuple(r.message_id for r in candidates), "your message matches several drafts"
            )
        )
        return
    draft = candidates[0]
    closed.add(draft.message_id)
    evidence = f"{mail.where}: to {', '.join(sorted(to))}, “{mail.subject}”, {mail.date}"
    plan.changes.append(
        Change(
            "draft sent",
            draft.application_id,
            mail.date,
            f"draft “{draft.subject}” to {known.contact_name.get(draft.contact_id) or 'them'} "
            f"marked sent on {mail.date}",
            evidence,
            mail.mail_id,
            draft.message_id,
        )
    )
    plan.rows.append(
        _row(mail, draft.application_id, "sent", "sent", "closes a draft", draft.message_id)
    )


def _drafts_sent_by(mail: Mail, to: set[str], subject: str, known: Known, closed: set[str]):
    """The open drafts ``mail`` can be the sending of: to their contact (or, without an
    address, to the company's domain), in the days after they were drafted, with their
    subject; and those of them matched by the contact's own address."""
    candidates = []
    by_address = []
    for row in known.drafts.itertuples(index=False):
        if row.message_id in closed:
            continue
        address = known.contact_email.get(row.contact_id, "")
        if address:
            if address not in to:
                continue
        elif not any(domain_of(a) in known.domains(row.application_id) for a in to):
            continue  # no address for the contact: the company's domain will do
        try:
            drafted = dt.date.fromisoformat(row.drafted_on)
        except ValueError:
            drafted = None
        if drafted and not (
            drafted - dt.timedelta(days=1) <= mail.date <= drafted + dt.timedelta(SENT_WINDOW_DAYS)
        ):
            continue
        draft_subject = _subject_key(row.subject)
        if not draft_subject or not (draft_subject == subject or draft_subject in subject):
            continue
        candidates.append(row)
        if address:
            by_address.append(row)
    return candidates, by_address


def _received(mail: Mail, known: Known, plan: Plan, stage_by_app) -> None:
    by = "address"
    ids = set(known.by_address.get(mail.sender, ()))
    if not ids:
        by = "domain"
        for domain in parents(domain_of(mail.sender)):
            ids |= known.by_domain.get(domain, set())
    if not ids:
        return
    if by == "domain":
        if mail.bulk:
            plan.skipped.append((mail.where, f"not a reply: {mail.bulk}"))
            return
        phrase = bulk_phrase(mail.subject)
        if phrase:
            plan.skipped.append(
                (mail.where, f'not a reply: a job alert or newsletter ("{phrase}")')
            )
            return
    # Mail older than the application is about something else.
    ids = {i for i in ids if i in known.apps.index and _after_applying(known, i, mail.date)}
    if not ids:
        return
    plan.counts.matched += 1
    if mail.mail_id in known.seen:
        plan.already += 1
        return
    why = (
        f"from a contact's address ({mail.sender})"
        if by == "address"
        else (f"from the company's domain ({domain_of(mail.sender)})")
    )
    if len(ids) > 1:
        ids, how = _narrow(mail, known, ids)
        if len(ids) == 1:
            why += f"; {how}"
    if len(ids) > 1:
        plan.ambiguous.append(
            Ambiguous.of(
                mail, tuple(sorted(ids)), why + f"; {len(ids)} applications could be meant", mail
            )
        )
        return
    (app_id,) = ids
    _record_reply(mail, app_id, why, known, plan, stage_by_app)


def _record_reply(mail: Mail, app_id: str, why: str, known: Known, plan: Plan, stage_by_app):
    """A reply matched to ``app_id``: recorded, classified, and the stage it moves to."""
    kind, reason = classify(mail.subject, mail.text())
    evidence = f"{mail.where}: {why}, “{mail.subject}”, {mail.date}"
    plan.changes.append(
        Change(
            "reply recorded",
            app_id,
            mail.date,
            f"{kind} from {mail.sender} on {mail.date} ({reason})",
            evidence,
            mail.mail_id,
        )
    )
    plan.rows.append(_row(mail, app_id, "received", kind, reason))
    if kind in STAGE_AFTER:
        stage, from_stages = STAGE_AFTER[kind]
        current = known.apps.loc[app_id, "stage"]
        changed_on = known.apps.loc[app_id, "stage_changed_on"]
        if current in from_stages and (not changed_on or changed_on <= mail.date.isoformat()):
            earlier = stage_by_app.get(app_id)
            if earlier is None or earlier.on <= mail.date:
                stage_by_app[app_id] = Change(
                    "stage",
                    app_id,
                    mail.date,
                    f"stage {current} → {stage} on {mail.date}",
                    f"{mail.where}: {kind}, {reason}",
                    mail.mail_id,
                    stage=stage,
                )


def _after_applying(known: Known, application_id: str, on: dt.date) -> bool:
    """Whether mail of ``on`` can be about the application: not from well before the
    day you applied (an old exchange with the same company is about something else)."""
    applied = known.apps.loc[application_id, "applied_on"]
    try:
        return not applied or on >= dt.date.fromisoformat(applied) - dt.timedelta(days=7)
    except ValueError:
        return True


def _narrow(mail: Mail, known: Known, ids: set[str]) -> tuple[set[str], str]:
    """Fewer candidates: the thread it answers, else the role named, else the active
    applications only."""
    thread = {known.threads[d] for d in mail.replying_to if d in known.threads} & ids
    if len(thread) == 1:
        return thread, "it answers a message of that application"
    text = f"{mail.subject}\n{own_text(mail.text())[:TEXT_LIMIT]}".lower()
    named = {i for i in ids if _role_named(known.apps.loc[i, "role"], text)}
    if len(named) == 1:
        return (
            named,
            f"it names the role ({' '.join(known.apps.loc[next(iter(named)), 'role'].split())})",
        )
    pool = named or ids
    active = {i for i in pool if known.apps.loc[i, "stage"] not in CLOSED_STAGES}
    if len(active) == 1 and len(pool) > 1:
        return active, "the only one of them still open"
    return pool, ""


def _role_named(role: str, text: str) -> bool:
    role = " ".join(role.lower().split())
    return bool(role) and bool(phrase_pattern(role).search(text))


_PREFIX = re.compile(r"^\s*((re|fwd?|aw|sv|wg|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)


def _subject_key(subject: str) -> str:
    text = _PREFIX.sub("", subject or "")
    text = text.replace("\u2014", "-").replace("\u2013", "-")
    return " ".join(text.lower().split())


def _row(
    mail: Mail, application_id: str, direction: str, kind: str, reason: str, message_id: str = ""
) -> dict:
    return {
        "mail_id": mail.mail_id,
        "date": mail.date.isoformat(),
        "direction": direction,
        "from_address": mail.sender,
        "to_addresses": " ".join(mail.recipients[:10]),
        "subject": mail.subject,
        "application_id": application_id,
        "message_id": message_id,
        "classification": kind,
        "reason": reason,
    }


def pick(ws: Workspace, plan: Plan, where: str, application_id: str) -> Change:
    """Settle an ambiguous reply: it belongs to ``application_id`` (one of its
    candidates). It becomes a proposed change of ``plan`` like any other.

    Raises:
        ValueError: no ambiguous reply at ``where``, or that application is not one of
            its candidates.
    """
    found = [a for a in plan.ambiguous if a.where == where and a.mail is not None]
    if not found:
        raise ValueError(f"no ambiguous reply {where!r} to pick an application for")
    item = found[0]
    if application_id not in item.candidates:
        raise ValueError(
            f"{application_id!r} is not one of the applications it could be: "
            + ", ".join(item.candidates)
        )
    known = Known.of(ws.load_all(), [])
    stages = {c.application_id: c for c in plan.changes if c.kind == "stage"}
    _record_reply(item.mail, application_id, "picked by you", known, plan, stages)
    plan.changes = [c for c in plan.changes if c.kind != "stage"] + sorted(
        stages.values(), key=lambda c: (c.on, c.application_id)
    )
    plan.ambiguous.remove(item)
    plan.counts.proposed = len(plan.changes)
    return next(
        c for c in plan.changes if c.kind == "reply recorded" and c.mail_id == item.mail.mail_id
    )


# -- applying ----------------------------------------------------------------------


def apply(ws: Workspace, plan: Plan) -> int:
    """Make every proposed change of ``plan`` in one transaction; returns how many.

    Changes already made (the draft marked sent since, the message already imported,
    the stage already changed) are left out, so applying twice changes nothing.
    Ambiguous messages are never applied.
    """
    with ws.transaction() as tx:
        applied = apply_in(tx, plan)
    plan.applied = applied
    return applied


def apply_in(tx: Transaction, plan: Plan) -> int:
    """:func:`apply` inside an open transaction."""
    from helpers.pipeline import stage_change_in

    mail = tx.load(TABLE)
    seen = set(mail["mail_id"])
    rows = [r for r in plan.rows if r["mail_id"] not in seen]
    new_ids = {r["mail_id"] for r in rows}
    applied = 0
    messages = tx.load("messages")
    changed_messages = False
    for change in plan.changes:
        if change.mail_id not in new_ids:
            continue
        if change.kind == "draft sent":
            at = (messages["message_id"] == change.message_id) & (messages["status"] == "draft")
            if at.any():
                messages.loc[at, ["status", "sent_on"]] = ["sent", change.on.isoformat()]
                changed_messages = True
                applied += 1
        elif change.kind == "reply recorded":
            applied += 1
    if changed_messages:
        tx.save("messages", messages)
    if rows:
        tx.append(TABLE, rows)
    for change in plan.changes:
        if change.kind != "stage" or change.mail_id not in new_ids:
            continue
        apps = tx.load("applications")
        current = apps.loc[apps["application_id"] == change.application_id, "stage"]
        if current.empty or current.iloc[0] == change.stage:
            continue
        stage_change_in(tx, change.application_id, change.stage, change.on)
        applied += 1
    return applied


# -- for the notebook --------------------------------------------------------------


def changes_table(plan: Plan, known_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The proposed changes, one row each, with their evidence."""
    names = known_names or {}
    return pd.DataFrame(
        {
            "change": [c.kind for c in plan.changes],
            "application": [names.get(c.application_id, c.application_id) for c in plan.changes],
            "date": [c.on.isoformat() for c in plan.changes],
            "what": [c.what for c in plan.changes],
            "evidence": [c.evidence for c in plan.changes],
        },
        dtype="str",
    )


def ambiguous_table(plan: Plan) -> pd.DataFrame:
    """Messages that could belong to several applications: for you to pick."""
    return pd.DataFrame(
        {
            "message": [a.where for a in plan.ambiguous],
            "date": [a.on.isoformat() for a in plan.ambiguous],
            "from": [a.sender for a in plan.ambiguous],
            "subject": [a.subject for a in plan.ambiguous],
            "could be": [", ".join(a.candidates) for a in plan.ambiguous],
            "why": [a.why for a in plan.ambiguous],
        },
        dtype="str",
    )


def skipped_table(plan: Plan) -> pd.DataFrame:
    """Messages skipped, each with the reason."""
    return pd.DataFrame(
        {
            "message": [w for w, _ in plan.skipped],
            "reason": [r for _, r in plan.skipped],
        },
        dtype="str",
    )


def recorded_table(ws: Workspace) -> pd.DataFrame:
    """The mail already recorded (``mail.csv``), newest first."""
    mail = ws.load(TABLE)
    cols = ["date", "direction", "application_id", "classification", "subject", "reason"]
    return mail.sort_values(["date", "mail_id"], ascending=False, kind="stable")[cols]


def application_names(ws: Workspace) -> dict[str, str]:
    """``application_id`` → ``Company — Role``."""
    apps = ws.load("applications")
    return {
        row.application_id: f"{' '.join(row.company.split())} — {' '.join(row.role.split())}"
        for row in apps.itertuples(index=False)
    }
