"""A "proof of search" out: every application sent, for an unemployment office.

:func:`export_proof_of_search` writes every application sent (date applied, company,
role, where it was found, the stage history) as ``reports/proof_of_search.csv`` and as
a printable, self-contained ``reports/proof_of_search.html`` — some unemployment
offices ask for one. The same workspace and day give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from helpers import csvio
from helpers.errors import WorkspaceError, io_problem
from helpers.escape import each_distinct, html_text
from helpers.pipeline import iso_week
from helpers.profile import Profile
from helpers.store import Workspace, empty_table

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


_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #111;
       margin: 2em auto; max-width: 60em; padding: 0 1em; line-height: 1.4; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; }
.who { margin-top: 0; color: #333; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #bbb; padding: 0.35em 0.5em; text-align: left; vertical-align: top; }
th { background: #eee; }
tr { page-break-inside: avoid; }
td ul { margin: 0; padding-left: 1.1em; }
.url { color: #555; font-size: 0.85em; word-break: break-all; }
.foot { color: #555; font-size: 0.85em; margin-top: 1.5em; }
@media print { body { margin: 0; max-width: none; } th { background: #ddd; } }
"""


def _history_list(history: str) -> str:
    """``2026-10-28 applied; 2026-11-04 screening`` as an HTML list ("" if empty)."""
    steps = [s for s in history.split("; ") if s]
    return "<ul>" + "".join(f"<li>{html_text(s)}</li>" for s in steps) + "</ul>" if steps else ""


def proof_html(proof: pd.DataFrame, profile: Profile, today: dt.date) -> str:
    """The proof of search as one printable HTML page: no script, no outside file."""
    esc = html_text
    who = " · ".join(esc(v) for v in (profile.name, profile.email, profile.phone) if v)
    dates = proof["date_applied"][proof["date_applied"] != ""]
    n = len(proof)
    span = f" from {esc(dates.min())} to {esc(dates.max())}" if len(dates) else ""
    shown = ("date_applied", "company", "role", "location", "source", "current_stage", "job_url")
    col = {c: each_distinct(html_text, proof[c].tolist()) for c in shown}
    histories = proof["stage_history"].tolist()
    listed = dict(zip(histories, each_distinct(_history_list, histories), strict=True))
    urls = [f'<div class="url">{u}</div>' if u else "" for u in col["job_url"]]
    body = [
        f"<tr><td>{applied}</td><td>{company}</td><td>{role}{url}</td>"
        f"<td>{location}</td><td>{source}</td><td>{stage}</td>"
        f"<td>{listed[history] or stage}</td></tr>"
        for applied, company, role, url, location, source, stage, history in zip(
            col["date_applied"],
            col["company"],
            col["role"],
            urls,
            col["location"],
            col["source"],
            col["current_stage"],
            histories,
            strict=True,
        )
    ]
    rows = "\n".join(body) or '<tr><td colspan="7">No applications sent yet.</td></tr>'
    title = f"Proof of job search{' — ' + esc(profile.name) if profile.name else ''}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Proof of job search</h1>
{f'<p class="who">{who}</p>' if who else ""}
<p>{n} application{"s" if n != 1 else ""} sent{span}, as recorded up to {today.isoformat()}
(week {iso_week(today)}).</p>
<table>
<thead><tr><th>Date applied</th><th>Company</th><th>Role</th><th>Location</th><th>Found via</th>
<th>Current stage</th><th>Stage history</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p class="foot">From the job seeker's own records, kept with the Post-Interview Workbook.</p>
</body>
</html>
"""


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
