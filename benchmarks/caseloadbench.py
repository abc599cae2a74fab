"""The caseload benchmark (07_caseload), and the synthetic client bundles it reads.

500 bundles: 450 clients, 48 of them with a second, earlier bundle, and two malformed
files (one not a zip, one with a stage outside the contract). Each is the workspace
part of a real bundle of the example (tables, profile, ``data/summary.json``) with its
own client name and numbers: the numbers cycle through the kinds of :data:`KINDS`, so
who needs attention first is known in advance.

The floor opens each zip and reads each of its tables with pandas; the workbook's
cost is :func:`helpers.caseload.read_caseload` (every check, the numbers, grouping and
order).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import time
import zipfile
from pathlib import Path

TODAY = dt.date(2026, 11, 25)
KINDS = ("offer", "thank-yous", "follow-ups", "signed", "on track")
"""What each client's numbers say, in turn (client ``n`` is ``KINDS[n % 5]``)."""
ORDER = ("offer", "thank-yous", "follow-ups", "on track", "signed")
"""Who needs attention first, by kind."""
CLIENTS = 450
TWICE = 48
"""Clients with two bundles, a week apart (the earlier one at another stage)."""
MALFORMED = ("badstage-bundle-2026-11-25.zip", "broken-bundle-2026-11-25.zip")
REPEATS = 3
TARGET = 2.0
CHANGED = "lumen-energy-data-scientist"


def example_members(scratch: Path) -> dict[str, bytes]:
    """The workspace part of a bundle of the example on :data:`TODAY`."""
    from helpers.batch import copy_example
    from helpers.share import bundle_bytes
    from helpers.store import Workspace

    ws = Workspace(copy_example(scratch / "caseload-example"))
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(ws, TODAY))) as zf:
        return {n: zf.read(n) for n in zf.namelist() if n.startswith("data/") and "/" not in n[5:]}


def _zip(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def client_members(members: dict[str, bytes], n: int, as_of: dt.date, stage: str = ""):
    """Client ``n``'s bundle: the example's tables, their name, their kind's numbers."""
    from helpers.glance import SUMMARY_MEMBER, Glance, from_json, to_json

    base = from_json(members[SUMMARY_MEMBER])
    counts = {f.name: 0 for f in dataclasses.fields(Glance) if f.type == "int"}
    counts.update(applications=13, active=9, saved=1, closed=3)
    counts.update(
        {
            "offer": {"offers_pending": 1},
            "thank-yous": {"thank_yous_overdue": 2},
            "follow-ups": {"follow_ups_due": 1},
            "signed": {"signed": 1},
            "on track": {},
        }[KINDS[n % len(KINDS)]]
    )
    stages = dict(base.stages)
    if stage:
        stages[CHANGED] = [*stages[CHANGED][:2], stage]
    numbers = dataclasses.replace(
        base,
        **counts,
        name=f"Client {n:03d}",
        as_of=as_of.isoformat(),
        last_activity=as_of.isoformat(),
        stages=stages,
    )
    profile = members["data/profile.yml"].replace(b"Jordan Rivera", f"Client {n:03d}".encode())
    # Each client's own search (their first bundle made it in their own workspace).
    profile = re.sub(rb"(?m)^search_id: .*$", f"search_id: '{n:032x}'".encode(), profile)
    return {**members, "data/profile.yml": profile, SUMMARY_MEMBER: to_json(numbers)}


def write_bundles(root: Path, members: dict[str, bytes]) -> int:
    """Write the 500 bundles into ``root``; returns how many files."""
    root.mkdir(parents=True, exist_ok=True)
    for client in range(CLIENTS):
        if client < TWICE:
            earlier = client_members(members, client, TODAY - dt.timedelta(days=7), "applied")
            _zip(root / f"client{client:03d}-bundle-2026-11-18.zip", earlier)
        _zip(
            root / f"client{client:03d}-bundle-2026-11-25.zip",
            client_members(members, client, TODAY),
        )
    (root / MALFORMED[1]).write_bytes(b"PK\x03\x04 not really a zip")
    bad = dict(members)
    bad["data/applications.csv"] = members["data/applications.csv"].replace(
        b",interviewing,", b",nearly there,", 1
    )
    _zip(root / MALFORMED[0], bad)
    return len(list(root.glob("*.zip")))


def run(scratch: Path, say, result_type) -> list:
    """The caseload row: read_caseload against opening each zip and reading its tables."""
    import pandas as pd

    from helpers.caseload import read_caseload

    root = scratch / "bundles"
    count = write_bundles(root, example_members(scratch))
    paths = sorted(root.glob("*.zip"))
    say(f"caseload of {count} bundles: {REPEATS} runs against opening and reading each …")

    def floor() -> None:
        for path in paths:
            try:
                with zipfile.ZipFile(path) as zf:
                    for name in zf.namelist():
                        if name.endswith(".csv"):
                            pd.read_csv(zf.open(name), dtype=str, keep_default_na=False)
            except zipfile.BadZipFile:
                continue

    def cost() -> None:
        read_caseload(root, TODAY)

    result = result_type("caseload (vs unzip + read_csv)", f"{count} bundles", target=TARGET)
    result.note = (
        "the floor reads every table; the caseload checks each zip, reads and validates the "
        "applications, coach notes, profile and data/summary.json"
    )
    floor()
    cost()
    for _ in range(REPEATS):
        for fn, into in ((floor, result.floor), (cost, result.cost)):
            started = time.perf_counter()
            fn()
            into.append(time.perf_counter() - started)
    say("  " + json.dumps({"floor": result.floor, "workbook": result.cost}))
    return [result]
