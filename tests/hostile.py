"""Workspaces full of text that is markup, maths or format syntax somewhere: in every
free-text column of every table, and in the profile.

Used by the notebook runs (tests/test_escape_notebooks.py) and the browser tests
(tests/test_browser_escape.py): whatever a person typed must be shown as typed.
"""

from __future__ import annotations

import yaml

from helpers import Workspace
from helpers.schema import TABLES, Table

SPECIAL = r" Cash$$App, $5 to $6 \ {x} 50% \(z\) a_b *c*"
"""``$``, ``$$``, ``\\``, braces and ``%`` (and a few Markdown characters), appended to
every free-text value: matplotlib's mathtext, MathJax and Markdown each read some of
them as syntax."""

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
BAND = "the band is $95k to $115k"
"""A research note that MathJax would draw as maths ("95𝑘𝑡𝑜115k")."""

NOT_FREE_TEXT = {"draft_file"}
"""Columns that are not typed by a person although the schema does not constrain them."""


def free_text_columns(table: Table) -> list[str]:
    """The columns of ``table`` that hold text as typed: no identifier, date, choice,
    email, amount, web address, currency or reference."""
    constrained = {
        *table.key,
        *table.slugs,
        *table.choices,
        *table.dates,
        *table.emails,
        *table.amounts,
        *table.urls,
        *table.currencies,
        *table.references,
        *NOT_FREE_TEXT,
    }
    return [c for c in table.columns if c not in constrained]


def _profile(ws: Workspace) -> tuple[dict, object]:
    path = ws.root / "profile.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return data or {}, path


def _save_profile(path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def special_workspace(ws: Workspace, text: str = SPECIAL) -> Workspace:
    """``ws`` with ``text`` appended to every free-text value of every table (and to the
    profile's name and signature); returns ``ws``."""
    for name, table in TABLES.items():
        df = ws.load(name)
        if df.empty:
            continue
        for col in free_text_columns(table):
            df[col] = df[col] + text
        ws.save(name, df)
    data, path = _profile(ws)
    for field in ("name", "signature"):
        data[field] = f"{data.get(field, '')}{text}"
    _save_profile(path, data)
    return ws


def hostile_display_workspace(ws: Workspace) -> Workspace:
    """``ws`` (a copy of the example) with script payloads in the profile name and in
    every company name, and :data:`BAND` in every role, as a research note, a coach
    note, an interview's impressions and a talking point; returns ``ws``."""
    data, path = _profile(ws)
    data["name"] = f"Jordan Rivera {SCRIPT}{IMG} ({BAND})"
    _save_profile(path, data)
    apps = ws.load("applications")
    payloads = [SCRIPT, IMG]
    apps["company"] = [f"{c} {payloads[i % 2]}" for i, c in enumerate(apps["company"])]
    apps["role"] = apps["role"] + f" ({BAND})"
    apps["notes"] = apps["notes"] + f" {BAND}"
    ws.save("applications", apps)
    for name, col in (("interviews", "impressions"), ("interview_contacts", "talking_point")):
        df = ws.load(name)
        df[col] = df[col] + f" ({BAND})"
        ws.save(name, df)
    first = apps["application_id"].iloc[0]
    ws.append(
        "research",
        [{"application_id": first, "topic": "company", "note": BAND, "source": SCRIPT}],
    )
    ws.append("coach_notes", [{"application_id": first, "note": BAND, "author": IMG}])
    return ws
