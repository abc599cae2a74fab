"""Withdrawals once an offer is signed: a polite draft for each other open application.

Which applications to withdraw from is :func:`helpers.pipeline.search_status`'s
``to_withdraw`` (from :mod:`helpers.standing`); each draft goes to the best person to
tell, is rendered from ``withdrawal.md.j2`` and logged in ``messages`` as kind
``other``. 04_pipeline drafts them and lists those not yet sent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.drafts import (
    DRAFTS_SHOWN,
    Draft,
    Pending,
    draft_row,
    greeting,
    one_line,
    render,
    save_drafts,
    signoff,
    with_text,
)
from helpers.paths import slugify
from helpers.pipeline import search_status
from helpers.profile import Profile, load_profile
from helpers.store import Workspace, table_in

WITHDRAWAL_TEMPLATE = "withdrawal.md.j2"
WITHDRAWAL_FILE = "withdrawal.md"

# Who hears about a withdrawal, best first (a referrer is a friend, not the employer).
_RECIPIENTS = {"recruiter": 0, "hiring_manager": 1, "interviewer": 2, "other": 3}


# -- withdrawals once an offer is signed -------------------------------------------


@dataclass(frozen=True)
class Withdrawal:
    """A withdrawal draft written to the workspace."""

    message_id: str
    application_id: str
    contact_id: str
    draft: Draft
    markdown_file: Path
    title: str


def _withdrawal_file(ws: Workspace, application_id: str) -> str:
    return ws.path("drafts", application_id, WITHDRAWAL_FILE).relative_to(ws.root).as_posix()


def _recipients(contacts: pd.DataFrame, ids: pd.Series) -> pd.DataFrame:
    """The best person to tell at each application (recruiter first, with email first)."""
    people = contacts[
        contacts["application_id"].isin(ids) & contacts["relationship"].isin(list(_RECIPIENTS))
    ]
    order = pd.DataFrame(
        {
            "no_email": people["email"].str.strip() == "",
            "rank": people["relationship"].map(_RECIPIENTS),
        },
        index=people.index,
    ).sort_values(["no_email", "rank"], kind="stable")
    return (
        people.loc[order.index]
        .drop_duplicates("application_id")
        .set_index("application_id")[["contact_id", "name", "title", "email", "greeting"]]
    )


def draft_withdrawals(ws: Workspace, today: dt.date, application_id: str = "") -> list[Withdrawal]:
    """Once an offer is signed, a polite withdrawal draft for each other open application.

    Each goes to the application's recruiter (else hiring manager, else an
    interviewer) from ``contacts``, is written as ``drafts/<application>/withdrawal.md``
    and ``.eml`` from the template ``withdrawal.md.j2``, and is logged in
    ``messages`` as kind ``other``. An application that already has its withdrawal
    logged gets none: running it again drafts nothing new. Before any offer is
    signed, it does nothing.
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    status = search_status(tables, profile, today)
    todo, files = _not_yet_drafted(ws, tables, status.to_withdraw, application_id)
    if todo.empty:
        return []
    people = _recipients(tables["contacts"], todo["application_id"])
    taken = set(tables["messages"]["message_id"])
    accepted = status.signed.iloc[0]
    planned = [
        _withdrawal(ws, row, rel, people, accepted, profile, taken)
        for row, rel in zip(todo.itertuples(), files, strict=True)
    ]
    save_drafts(
        ws,
        [(w.markdown_file, w.draft, w.title) for w in planned],
        profile,
        [draft_row(ws, w, "other", today) for w in planned],
    )
    return planned


def _not_yet_drafted(
    ws: Workspace, tables: Mapping[str, pd.DataFrame], todo: pd.DataFrame, application_id: str
) -> tuple[pd.DataFrame, pd.Series]:
    """The applications to withdraw from whose withdrawal is not logged yet, and the
    draft file of each (relative to the workspace)."""
    if application_id:
        todo = todo[todo["application_id"] == application_id]
    if todo.empty:
        return todo, pd.Series(dtype=str)
    files = pd.Series([_withdrawal_file(ws, a) for a in todo["application_id"]], index=todo.index)
    msgs = tables["messages"]
    logged = set(zip(msgs["application_id"], msgs["draft_file"], strict=True))
    fresh = [(a, f) not in logged for a, f in zip(todo["application_id"], files, strict=True)]
    return todo[fresh], files[fresh]


_NOBODY = {"contact_id": "", "name": "", "title": "", "email": "", "greeting": ""}


def _withdrawal(
    ws: Workspace,
    row,
    rel: str,
    people: pd.DataFrame,
    accepted: pd.Series,
    profile: Profile,
    taken: set[str],
) -> Withdrawal:
    """The withdrawal from the application ``row`` (of the search status's
    ``to_withdraw``), having accepted ``accepted``; its message id joins ``taken``."""
    person = (
        people.loc[row.application_id] if row.application_id in people.index else pd.Series(_NOBODY)
    )
    subject, body = render(
        ws.root,
        WITHDRAWAL_TEMPLATE,
        person={
            "name": one_line(person["name"]),
            "first_name": greeting(person["name"], person.get("greeting", "")),
            "greeting": greeting(person["name"], person.get("greeting", "")),
            "title": one_line(person["title"]),
        },
        company=one_line(row.company),
        role=one_line(row.role),
        stage=row.stage,
        same_company=_same(row.company) == _same(accepted["company"]),
        accepted_role=one_line(accepted["role"]),
        signoff=signoff(profile),
        profile=profile,
    )
    return Withdrawal(
        message_id=_fresh_id(slugify(f"withdrawal-{row.application_id}"), taken),
        application_id=row.application_id,
        contact_id=person["contact_id"],
        draft=Draft(one_line(person["name"]), person["email"].strip(), subject, body),
        markdown_file=ws.root / rel,
        title=f"Withdrawal: {one_line(row.company)} — {one_line(row.role)}",
    )


def _same(company: str) -> str:
    """A company name compared as a person would: case and spacing aside."""
    return " ".join(company.casefold().split())


def _fresh_id(base: str, taken: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``… : the first not in ``taken`` (which gains it)."""
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def withdrawal_drafts(
    ws: Workspace,
    tables: Mapping[str, pd.DataFrame],
    application_id: str = "",
    limit: int | None = DRAFTS_SHOWN,
) -> Pending:
    """Withdrawal drafts not yet marked sent, with their text (None if the file is gone),
    oldest first: the first ``limit`` (all for None), and how many in all."""
    msgs = table_in(tables, "messages")
    mine = msgs[
        (msgs["kind"] == "other")
        & (msgs["status"] == "draft")
        & msgs["draft_file"].str.endswith("/" + WITHDRAWAL_FILE)
    ]
    if application_id:
        mine = mine[mine["application_id"] == application_id]
    return with_text(ws.root, mine.sort_values(["drafted_on", "message_id"], kind="stable"), limit)
