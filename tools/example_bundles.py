"""Write the example's client bundles, ``data/example/bundles/``: the folder a coach's
``07_caseload`` reads in the worked example.

Three clients of one coach, each made from a copy of the example exactly as a client's
workbook makes a bundle (``helpers.share.bundle_bytes``), keeping the part the caseload
reads (``data/``: the tables, the profile, the numbers), not the workbook's own files:

- Jordan Rivera, the example itself on its day, and a week earlier (the workspace as it
  stood then: what happened later is left out), so the caseload shows what changed;
- Sam Okafor, who signed the Harbor Bank offer;
- Mei Tanaka (田中 芽衣), whose last thank-you notes wait unsent.

Each has a fixed ``search_id`` so the files are the same each time they are made.
Run ``make example-bundles`` after a change to the contract or to the numbers a bundle
carries (the tests say when).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from helpers.batch import EXAMPLE_DIR, copy_example, example_today
from helpers.pipeline import change_stage
from helpers.schema import TABLES
from helpers.share import DATA_IN_BUNDLE, bundle_bytes
from helpers.store import Workspace

BUNDLES_DIR = EXAMPLE_DIR / "bundles"


def _search_id(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:32]


def _profile(ws: Workspace, name: str) -> None:
    path = ws.root / "profile.yml"
    text = path.read_text("utf-8").replace("Jordan Rivera", name)
    path.write_text(text + f"search_id: '{_search_id(name)}'\n", "utf-8")


def as_of(ws: Workspace, day: dt.date) -> None:
    """The workspace as it stood on ``day``: what was recorded later is left out, and
    each application is at the stage it had then."""
    iso = day.isoformat()
    t = ws.load_all()
    history = t["stage_history"][t["stage_history"]["changed_on"] <= iso]
    first = t["stage_history"].groupby("application_id")["changed_on"].min()
    apps = t["applications"]
    apps = apps[apps["application_id"].map(first).fillna(apps["applied_on"]) <= iso].copy()
    last = history.sort_values("changed_on").groupby("application_id").last()
    apps["stage"] = apps["application_id"].map(last["stage"]).fillna(apps["stage"])
    apps["stage_changed_on"] = apps["application_id"].map(last["changed_on"]).fillna("")
    apps.loc[apps["offer_signed_on"] > iso, "offer_signed_on"] = ""
    kept = set(apps["application_id"])
    interviews = t["interviews"]
    interviews = interviews[
        (interviews["held_on"] <= iso) & interviews["application_id"].isin(kept)
    ]
    met = t["interview_contacts"]
    met = met[met["interview_id"].isin(set(interviews["interview_id"]))]
    msgs = t["messages"]
    msgs = msgs[
        (msgs["drafted_on"] <= iso)
        & msgs["application_id"].isin(kept)
        & (msgs["interview_id"].eq("") | msgs["interview_id"].isin(set(interviews["interview_id"])))
    ].copy()
    later = msgs["sent_on"] > iso
    msgs.loc[later, ["status", "sent_on"]] = ["draft", ""]
    changed = {
        "applications": apps,
        "stage_history": history[history["application_id"].isin(kept)],
        "interviews": interviews,
        "interview_contacts": met,
        "messages": msgs,
    }
    for name, table in TABLES.items():
        if name in changed or name not in t:
            continue
        df = t[name]
        for column in table.dates:
            df = df[df[column] <= iso]
        if "application_id" in df.columns:
            df = df[df["application_id"].eq("") | df["application_id"].isin(kept)]
        changed[name] = df
    with ws.transaction() as tx:
        for name, df in changed.items():
            tx.save(name, df.reset_index(drop=True))
    problems = ws.check()
    if problems:
        raise SystemExit(f"the example as of {iso} has problems: {problems[:3]}")


def signed(ws: Workspace, day: dt.date) -> None:
    """Sam's search: the Harbor Bank offer accepted and signed."""
    change_stage(ws, "harbor-bank-bi-developer", "accepted", day, offer_signed_on=day)


def unsent_thank_yous(ws: Workspace, day: dt.date) -> None:
    """Mei's search: the thank-yous of the latest interview still drafts."""
    msgs = ws.load("messages")
    latest = msgs[msgs["kind"] == "thank_you"]["drafted_on"].max()
    at = (msgs["kind"] == "thank_you") & (msgs["drafted_on"] == latest)
    msgs.loc[at, ["status", "sent_on"]] = ["draft", ""]
    ws.save("messages", msgs)


CLIENTS = (
    ("Jordan Rivera", "jordan-rivera-bundle-2026-11-18.zip", 7, as_of),
    ("Jordan Rivera", "jordan-rivera-bundle-2026-11-25.zip", 0, None),
    ("Sam Okafor", "sam-okafor-bundle-2026-11-24.zip", 1, signed),
    ("Mei Tanaka (田中 芽衣)", "mei-tanaka-bundle-2026-11-25.zip", 0, unsent_thank_yous),
)
"""Each bundle: the client, its file, how many days before the example's day it was
made, and what sets the workspace up for it."""


def data_part(bundle: bytes) -> bytes:
    """A bundle's ``data/`` files, the same zip otherwise (dates, order, compression)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(bundle)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename.startswith(f"{DATA_IN_BUNDLE}/") and info.filename.count("/") == 1:
                dst.writestr(info, src.read(info))
    return out.getvalue()


def make(folder: Path = BUNDLES_DIR) -> list[Path]:
    """Write the example's bundles into ``folder``; returns their paths."""
    today = dt.date.fromisoformat(example_today())
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (name, file, days_before, setup) in enumerate(CLIENTS):
            day = today - dt.timedelta(days=days_before)
            ws = Workspace(copy_example(Path(tmp) / str(n)))
            _profile(ws, name)
            if setup is not None:
                setup(ws, day)
            path = folder / file
            path.write_bytes(data_part(bundle_bytes(ws, day)))
            written.append(path)
    return written


if __name__ == "__main__":
    for path in make():
        print(f"  wrote {path.relative_to(EXAMPLE_DIR.parents[1])}")
