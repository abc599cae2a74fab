"""A "proof of search" out: every application sent, for an unemployment office.

:func:`export_proof_of_search` writes every application sent (date applied, company,
role, where it was found, the stage history) as ``reports/proof_of_search.csv`` and as
a printable, self-contained ``reports/proof_of_search.html`` — some unemployment
offices ask for one (drawn from the template ``proof_of_search.html.j2``, autoescaped,
never taken from the workspace; its table by :mod:`helpers.html_tables`). The same
workspace and day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from markupsafe import Markup

from helpers import csvio
from helpers.errors import WorkspaceError, io_problem
from helpers.html_tables import Cell, html_table
from helpers.pipeline import iso_week
from helpers.profile import Profile
from helpers.store import Workspace, empty_table
from helpers.templating import render, shipped

PROOF_COLUMNS = (
    "date_applied",
    "company",
    "role",
    "location",
    "source",
    "job_url",
    "current_stage",
    "stage_history",
)
PROOF_FILE = "proof_of_search"


def proof_of_search(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every application sent: date applied, company, role, and its stage history.

    An application counts as sent when it has ``applied_on``, or its history or stage
    is past ``saved`` (then its first such date stands for the date applied); a
    ``withdrawn`` one with neither was a saved posting dropped. The
    history lists ``stage_history`` as ``2026-10-28 applied; 2026-11-04 screening``,
    oldest first. Sorted by date applied, then company.
    """
    apps = tables.get("applications", empty_table("applications"))
    history = tables.get("stage_history", empty_table("stage_history"))
    history = history[history["application_id"].isin(apps["application_id"])]
    history = history.assign(_n=range(len(history))).sort_values(
        ["application_id", "changed_on", "_n"], kind="stable"
    )
    past_saved = history[~history["stage"].isin(["saved", "withdrawn"])]
    first_sent = past_saved.drop_duplicates("application_id").set_index("application_id")[
        "changed_on"
    ]
    # Summing text concatenates it: one pass for every application, no call per group.
    listed = (
        (history["changed_on"] + " " + history["stage"] + "; ")
        .groupby(history["application_id"])
        .sum()
        .str.removesuffix("; ")
    )

    ids = apps["application_id"]
    date = apps["applied_on"].where(
        apps["applied_on"] != "", ids.map(first_sent).fillna("").astype("str")
    )
    sent = (date != "") | ~apps["stage"].isin(["saved", "withdrawn"])
    out = pd.DataFrame(
        {
            "date_applied": date,
            "company": apps["company"],
            "role": apps["role"],
            "location": apps["location"],
            "source": apps["source"],
            "job_url": apps["job_url"],
            "current_stage": apps["stage"],
            "stage_history": ids.map(listed).fillna("").astype("str"),
        }
    )[sent]
    order = pd.DataFrame(
        {
            "blank": out["date_applied"] == "",
            "date": out["date_applied"],
            "company": out["company"].str.casefold(),
        }
    ).sort_values(["blank", "date", "company"], kind="stable")
    return out.loc[order.index].reset_index(drop=True).astype("str")


def proof_view(proof: pd.DataFrame) -> pd.DataFrame:
    """The proof of search as a person reads it in the notebook."""
    return pd.DataFrame(
        {
            "date applied": proof["date_applied"],
            "company": proof["company"],
            "role": proof["role"],
            "stage": proof["current_stage"],
            "stage history": proof["stage_history"],
        }
    )


def proof_table(proof: pd.DataFrame) -> pd.DataFrame:
    """The proof's columns as the page shows them: a posting's address under its role,
    the stage history as a list (the current stage when there is none)."""
    steps = {h: tuple(s for s in h.split("; ") if s) for h in set(proof["stage_history"])}
    return pd.DataFrame(
        {
            "Date applied": proof["date_applied"],
            "Company": proof["company"],
            "Role": [
                Cell(role, url) for role, url in zip(proof["role"], proof["job_url"], strict=True)
            ],
            "Location": proof["location"],
            "Found via": proof["source"],
            "Current stage": proof["current_stage"],
            "Stage history": [
                steps[h] or stage
                for h, stage in zip(proof["stage_history"], proof["current_stage"], strict=True)
            ],
        }
    )


def proof_html(proof: pd.DataFrame, profile: Profile, today: dt.date) -> str:
    """The proof of search as one printable HTML page: no script, no outside file."""
    dates = proof["date_applied"][proof["date_applied"] != ""]
    page = render(
        shipped("proof_of_search.html.j2"),
        name=profile.name,
        who=[v for v in (profile.name, profile.email, profile.phone) if v],
        count=len(proof),
        first=dates.min() if len(dates) else "",
        last=dates.max() if len(dates) else "",
        today=today.isoformat(),
        week=iso_week(today),
        table=Markup(html_table(proof_table(proof), empty="No applications sent yet.")),
    )
    return page + "\n"


def export_proof_of_search(
    ws: Workspace, tables: Mapping[str, pd.DataFrame], profile: Profile, today: dt.date
) -> list[Path]:
    """Write ``reports/proof_of_search.csv`` and ``.html``; returns their paths.

    Nothing is written before the first application is sent. A file whose bytes would
    not change is left untouched.
    """
    proof = proof_of_search(tables)
    if proof.empty:
        return []
    files = {
        ws.path("reports") / f"{PROOF_FILE}.csv": csvio.to_csv_bytes(proof),
        ws.path("reports") / f"{PROOF_FILE}.html": proof_html(proof, profile, today).encode(
            "utf-8"
        ),
    }
    for path, data in files.items():
        if path.is_file() and path.read_bytes() == data:
            continue
        try:
            csvio.atomic_write(path, data)
        except OSError as err:
            raise WorkspaceError(io_problem(path, "save", err)) from err
    return list(files)
