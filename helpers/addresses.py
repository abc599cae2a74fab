"""Email addresses: which ones a draft can be addressed to, and the one way to build
an address header.

An address is accepted exactly when drafting can write it: the same rule checks the
workspace's tables, the forms, the profile and the papermill parameters, and every
accepted address builds a ``To:``/``From:`` header that re-parses to that address
alone (:func:`mailbox`; tests check both with hostile and random input). Headers are
built from :class:`email.headerregistry.Address` objects, never by joining strings.
"""

from __future__ import annotations

import functools
import re
from email import message_from_bytes
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP, default

ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
EMAIL = rf"{ATEXT}+(?:\.{ATEXT}+)*@{LABEL}(?:\.{LABEL})+"
"""An address drafting can write: a dot-atom local part of RFC 5322 (ASCII), an ASCII
domain name with at least one dot. The same pattern checks every table."""
MAX_LENGTH = 254
MAX_NAME = 200
"""Display names are cut to this many characters in a header (the rest is kept in the
workspace, never lost)."""
SPECIALS = re.compile(r'[()<>\[\]:;@\\,."]+')


def problem(value: str) -> str | None:
    """Why ``value`` cannot be the address of a draft, or None when it can (or is empty)."""
    value = value or ""
    if not value or (len(value) <= MAX_LENGTH and re.fullmatch(EMAIL, value)):
        return None
    shown = repr(value if len(value) <= 80 else value[:77] + "…")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        return f"{shown} is not an email address (it needs one @ with a name before it)"
    if any(c.isspace() for c in value):
        return f"{shown} is not an email address: it contains a space"
    if len(value) > MAX_LENGTH:
        return f"{shown} is too long for an email address ({len(value)} characters, at most 254)"
    if ".." in local or local.startswith(".") or local.endswith("."):
        return (
            f"{shown} is not an address mail programs accept: a dot at the start or end of "
            "the part before the @, or two dots in a row; check it for a typo"
        )
    odd = sorted({c for c in local if not re.fullmatch(ATEXT, c) and c != "."})
    if any(ord(c) > 127 for c in odd):
        return (
            f"{shown} has letters outside A–Z before the @ ({''.join(odd)}): a draft cannot "
            "be addressed to it in every mail program; use the plain form of the address "
            "(as in the person's email signature)"
        )
    if odd:
        return f"{shown} is not an email address: {''.join(odd)!r} cannot appear before the @"
    if not re.fullmatch(rf"{LABEL}(?:\.{LABEL})+", domain):
        return (
            f"{shown} is not an email address: the part after the @ should be a domain "
            "name such as example.com (letters, digits, hyphens and dots)"
        )
    return f"{shown} is not an email address"


def check(value: str) -> str:
    """``value`` if it is empty or an address a draft can be sent to; else ValueError."""
    reason = problem(value)
    if reason:
        raise ValueError(reason)
    return value


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


@functools.lru_cache(maxsize=4096)
def _round_trips(display_name: str, addr_spec: str) -> bool:
    """Whether a header of this one mailbox re-parses to exactly it, folded or not."""
    msg = EmailMessage(policy=SMTP)
    try:
        msg["To"] = Address(display_name=display_name, addr_spec=addr_spec)
        parsed = message_from_bytes(msg.as_bytes(), policy=default)["To"]
    except Exception:  # the email package signals a header it cannot write in many ways
        return False

    # Python's reader puts a space between the encoded words a long non-Latin name is
    # folded into (RFC 2047 says to drop it; mail programs do): spaces may differ.
    def bare(text: str) -> str:
        return re.sub(r"\s+", "", text)

    return (
        parsed is not None
        and not parsed.defects
        and [(bare(a.display_name), a.addr_spec) for a in parsed.addresses]
        == [(bare(display_name), addr_spec)]
    )


def mailbox(name: str, email: str) -> Address:
    """The one safe :class:`Address` for a header: ``name <email>``.

    The display name is the person's name on one line (at most :data:`MAX_NAME`
    characters). If a header of it would not re-parse to exactly this one mailbox,
    the name's punctuation is dropped, then the name itself: whatever a name holds
    (commas, angle brackets, quotes, another address), the header has one recipient.

    Raises:
        ValueError: ``email`` is not an address a draft can be sent to.
    """
    check(email)
    if not email:
        raise ValueError("a header needs an email address")
    display = _one_line(name)[:MAX_NAME]
    for candidate in (display, _one_line(SPECIALS.sub(" ", display)), ""):
        if _round_trips(candidate, email):
            return Address(display_name=candidate, addr_spec=email)
    raise ValueError(f"{email!r} cannot be written in a mail header")  # pragma: no cover
