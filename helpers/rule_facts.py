"""What the etiquette rules look at: one row of facts per application, computed
table-wise from the workspace tables (a long search has 100 000 applications) —
interviews held and to come, thank-yous still owed, follow-ups sent, the employer's
latest reply. :mod:`helpers.rules` decides each application's follow-up state from
its row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import numpy as np
import pandas as pd

from helpers.store import iso_dates, table_in


def application_facts(tables: Mapping[str, pd.DataFrame], today: dt.date) -> pd.DataFrame:
    """Per application (in table order) what the rules look at, computed table-wise.

    Columns: ``application_id``, ``stage``, ``decision``, ``signed``, ``applied``
    (the date applied, else the date of its stage), ``latest`` (the latest interview
    held by ``today``), ``upcoming`` (the next interview after ``today``),
    ``pending`` (thank-yous not sent for the latest interview that hold the
    follow-up whatever the date: drafted, or with a talking point), ``unpointed``
    (no talking point, no draft: they hold it only until their due date) and
    ``unpointed_names``, ``sent_count`` (follow-ups sent after the latest
    interview and after the employer's latest reply; with neither, every one sent),
    ``last_follow_up``, ``reply`` and ``reply_kind`` (the employer's latest message
    recorded in ``mail.csv`` and its classification).
    """
    apps = table_in(tables, "applications")
    now = pd.Timestamp(today)
    held, latest, upcoming = _interviews(table_in(tables, "interviews"), now)
    pending, unpointed, unpointed_names = _thank_yous(tables, held, latest)
    reply, reply_kind = _replies(table_in(tables, "mail"), now)
    sent_count, last_follow_up = _follow_ups_sent(table_in(tables, "messages"), latest, reply)

    ids = apps["application_id"]
    applied = iso_dates(apps["applied_on"]).fillna(iso_dates(apps["stage_changed_on"]))
    return pd.DataFrame(
        {
            "application_id": ids.to_numpy(),
            "stage": apps["stage"].to_numpy(),
            "decision": _as_dates(iso_dates(apps["decision_expected_on"])),
            "signed": _as_dates(iso_dates(apps["offer_signed_on"])),
            "applied": _as_dates(applied),
            "latest": _as_dates(_lookup(latest, ids)),
            "upcoming": _as_dates(_lookup(upcoming, ids)),
            "pending": _lookup(pending, ids, 0),
            "unpointed": _lookup(unpointed, ids, 0),
            "unpointed_names": unpointed_names.reindex(ids.to_numpy()).fillna("").to_numpy(),
            "sent_count": _lookup(sent_count, ids, 0),
            "last_follow_up": _as_dates(_lookup(last_follow_up, ids)),
            "reply": _as_dates(_lookup(reply, ids)),
            "reply_kind": reply_kind.reindex(ids.to_numpy()).fillna("").to_numpy(),
        }
    )


def _interviews(interviews: pd.DataFrame, now: pd.Timestamp):
    """The interviews held by ``now``; per application the latest held and the next
    to come."""
    iv = pd.DataFrame(
        {
            "application_id": interviews["application_id"].to_numpy(),
            "interview_id": interviews["interview_id"].to_numpy(),
            "held": iso_dates(interviews["held_on"]).to_numpy(),
        }
    ).dropna(subset=["held"])
    held = iv[iv["held"] <= now]
    latest = held.groupby("application_id")["held"].max()
    upcoming = iv[iv["held"] > now].groupby("application_id")["held"].min()
    return held, latest, upcoming


def _thank_yous(tables: Mapping[str, pd.DataFrame], held: pd.DataFrame, latest: pd.Series):
    """Everyone met at the latest interview(s) who needs a note and has no sent one:
    per application how many hold the follow-up (drafted, or with a talking point),
    how many hold it only until their due date, and their names."""
    met = table_in(tables, "interview_contacts")
    messages = table_in(tables, "messages")
    contacts = table_in(tables, "contacts")
    on_latest = held.loc[
        held["held"].to_numpy() == _lookup(latest, held["application_id"]),
        ["interview_id", "application_id"],
    ]
    columns = ["interview_id", "contact_id", "talking_point"]
    needed = met["note_needed"] if "note_needed" in met.columns else pd.Series("", index=met.index)
    people = met.loc[needed.str.strip().str.lower() != "no", columns].drop_duplicates(
        ["interview_id", "contact_id"]
    )
    people = people.merge(on_latest, on="interview_id")
    thanks = messages[messages["kind"] == "thank_you"]
    thanked = thanks.loc[thanks["status"] == "sent", ["interview_id", "contact_id"]]
    people = people.merge(
        thanked.drop_duplicates(), on=["interview_id", "contact_id"], how="left", indicator=True
    )
    people = people[people["_merge"] == "left_only"].drop(columns="_merge")
    drafted = thanks[["interview_id", "contact_id"]].drop_duplicates()
    people = people.merge(drafted, on=["interview_id", "contact_id"], how="left", indicator=True)
    firm = (people["talking_point"].str.strip() != "") | (people["_merge"] == "both")
    pending = people[firm].groupby("application_id").size()
    loose = people[~firm]
    unpointed = loose.groupby("application_id").size()
    names = contacts.set_index("contact_id")["name"] if len(contacts) else pd.Series(dtype="str")
    loose_names = (
        loose["contact_id"].map(names).fillna(loose["contact_id"]).str.split().str.join(" ")
    )
    unpointed_names = loose_names.groupby(loose["application_id"]).agg(_listed)
    return pending, unpointed, unpointed_names


def _replies(mail: pd.DataFrame, now: pd.Timestamp) -> tuple[pd.Series, pd.Series]:
    """The employer's latest reply to each application by ``now`` (a reply is answered,
    so the follow-ups counted start after it), and its classification."""
    replies = mail[(mail["direction"] == "received") & (mail["application_id"] != "")]
    rp = pd.DataFrame(
        {
            "application_id": replies["application_id"].to_numpy(),
            "when": iso_dates(replies["date"]).to_numpy(),
            "kind": replies["classification"].to_numpy(),
        }
    ).dropna(subset=["when"])
    rp = rp[rp["when"] <= now]  # mail dated ahead of today is not heard yet
    rp = rp.sort_values(["application_id", "when"], kind="stable").drop_duplicates(
        "application_id", keep="last"
    )
    reply = rp.set_index("application_id")["when"]
    reply_kind = rp.set_index("application_id")["kind"].astype("str")
    return reply, reply_kind


def _follow_ups_sent(messages: pd.DataFrame, latest: pd.Series, reply: pd.Series):
    """Per application the follow-ups sent since the latest interview and the latest
    reply (every one, with neither), and the date of the last one sent."""
    is_sent = (messages["kind"] == "follow_up") & (messages["status"] == "sent")
    sent = messages[is_sent]
    fu = pd.DataFrame(
        {
            "application_id": sent["application_id"].to_numpy(),
            "when": iso_dates(sent["sent_on"]).fillna(iso_dates(sent["drafted_on"])).to_numpy(),
        }
    ).dropna(subset=["when"])
    since = pd.Series(_lookup(latest, fu["application_id"]), dtype="datetime64[ns]")
    heard = pd.Series(_lookup(reply, fu["application_id"]), dtype="datetime64[ns]")
    since = pd.concat([since, heard], axis=1).max(axis=1).to_numpy()
    after = (fu["when"].to_numpy() > since) | pd.isna(since)  # nothing held: every one
    sent_count = pd.Series(after, index=fu.index).groupby(fu["application_id"]).sum()
    last_follow_up = fu.groupby("application_id")["when"].max()
    return sent_count, last_follow_up


def _listed(names) -> str:
    """``Ana``, ``Ana and Ben``, ``Ana, Ben and Cleo``."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _lookup(values: pd.Series, keys: pd.Series, missing=None) -> np.ndarray:
    """``values[key]`` for every key (``values`` is indexed by unique keys)."""
    if missing is None:
        return values.reindex(keys.to_numpy()).to_numpy()
    return values.reindex(keys.to_numpy(), fill_value=missing).astype(int).to_numpy()


def _as_dates(values) -> np.ndarray:
    """Datetimes as ``datetime.date`` objects, ``None`` for ``NaT``."""
    s = pd.to_datetime(pd.Series(values))
    known = s.notna().to_numpy()
    dates = np.full(len(s), None, dtype=object)
    if known.any():  # only the days given become date objects
        dates[known] = s[known].dt.date.to_numpy(dtype=object)
    return dates
