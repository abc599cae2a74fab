"""What the workspace knows that a mailbox is matched against: your addresses, the
contacts' addresses and the companies' domains (from addresses and job URLs), the
drafts waiting to be sent and the mail already recorded (:class:`Known`)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

import pandas as pd

FREE_MAIL = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "outlook.com",
        "hotmail.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "ymail.com",
        "icloud.com",
        "me.com",
        "mac.com",
        "aol.com",
        "proton.me",
        "protonmail.com",
        "gmx.com",
        "gmx.de",
        "mail.com",
        "fastmail.com",
        "zoho.com",
        "example.com",
    }
)
"""Domains shared by everyone: a message from one says nothing about a company."""

JOB_URL_PREFIXES = ("www.", "jobs.", "careers.", "career.", "apply.", "boards.", "work.")


def domain_of(address_or_url: str) -> str:
    """The domain of an address or a web address, without ``jobs.``/``www.``."""
    text = (address_or_url or "").strip().lower()
    if "@" in text and "/" not in text:
        host = text.rpartition("@")[2]
    else:
        host = re.sub(r"^[a-z]+://", "", text).split("/")[0].split(":")[0]
    for prefix in JOB_URL_PREFIXES:
        if host.startswith(prefix) and host.count(".") >= 2:
            host = host[len(prefix) :]
    return host.strip(".")


def parents(domain: str) -> Iterator[str]:
    """``mail.acme.example`` → itself, ``acme.example`` (never a bare top level)."""
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        yield ".".join(labels[i:])


@dataclass
class Known:
    """The workspace's facts the matching needs, looked up by address and domain."""

    mine: frozenset[str]
    apps: pd.DataFrame
    by_address: dict[str, set[str]]
    by_domain: dict[str, set[str]]
    contact_email: dict[str, str]
    drafts: pd.DataFrame
    seen: set[str]
    threads: dict[str, str] = field(default_factory=dict)
    contact_name: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, tables: Mapping[str, pd.DataFrame], mine: Iterable[str]) -> Known:
        apps = tables["applications"]
        contacts = tables["contacts"]
        by_address: dict[str, set[str]] = {}
        by_domain: dict[str, set[str]] = {}
        contact_email = {}
        for row in contacts.itertuples(index=False):
            email = row.email.strip().lower()
            contact_email[row.contact_id] = email
            if not email or not row.application_id:
                continue
            by_address.setdefault(email, set()).add(row.application_id)
            domain = domain_of(email)
            if domain and domain not in FREE_MAIL:
                by_domain.setdefault(domain, set()).add(row.application_id)
        for row in apps.itertuples(index=False):
            domain = domain_of(row.job_url) if row.job_url else ""
            if domain and domain not in FREE_MAIL and "." in domain:
                by_domain.setdefault(domain, set()).add(row.application_id)
        messages = tables["messages"]
        drafts = messages[messages["status"] == "draft"]
        mail = tables.get("mail")
        seen = set(mail["mail_id"]) if mail is not None else set()
        threads = {}
        if mail is not None:
            for row in mail.itertuples(index=False):
                threads[row.mail_id] = row.application_id
        return cls(
            frozenset(a.strip().lower() for a in mine if a and a.strip()),
            apps.set_index("application_id", drop=False),
            by_address,
            by_domain,
            contact_email,
            drafts,
            seen,
            threads,
            {r.contact_id: " ".join(r.name.split()) for r in contacts.itertuples(index=False)},
        )

    def wanted(self, sender: str) -> bool:
        """Whether mail from ``sender`` can concern the workspace: yours, a contact's,
        or from a company's domain."""
        if sender in self.mine or sender in self.by_address:
            return True
        return any(d in self.by_domain for d in parents(domain_of(sender)))

    def name(self, application_id: str) -> str:
        if application_id not in self.apps.index:
            return application_id
        row = self.apps.loc[application_id]
        return f"{' '.join(row['company'].split())} — {' '.join(row['role'].split())}"

    def domains(self, application_id: str) -> set[str]:
        return {d for d, ids in self.by_domain.items() if application_id in ids}
