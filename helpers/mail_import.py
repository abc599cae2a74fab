"""Your mailbox, offline: sent notes close drafts, employers' replies are recognised.

A mailbox export (an ``.mbox`` file, a Maildir, a folder of ``.eml`` files; several
separated by ``:``) is read message by message, never whole: each message's headers
are parsed with :class:`email.parser.BytesHeaderParser`, and only a message that
concerns an application has its first :data:`BODY_LIMIT` bytes parsed for its text.
The rest of a long message (an attachment) is skipped unread.

What a message can do (:func:`preview` lists it; :func:`apply` makes it, in one
transaction):

- **sent mail closes a draft**: from one of your addresses (the profile's), to the
  draft's contact (or, when the contact has no address, to the application's domain),
  with the draft's subject (``Re:``/``Fwd:`` and spacing aside), dated from the day
  before the draft to :data:`SENT_WINDOW_DAYS` after it: the draft is marked sent on
  the message's date.
- **a reply is recorded**: from a contact's address, or from the company's domain
  (known from contacts' addresses and job URLs), matched to one application and
  classified by :data:`CLASSIFICATION_RULES` (invitation, rejection, offer, other),
  with the phrase that decided it. A rejection or an offer moves the stage; an
  invitation moves an application not yet interviewing to ``interviewing``.

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
:class:`Counts` now and then (:func:`helpers.display.counting_bar` makes one that
draws a bar in a notebook).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import mailbox
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

import pandas as pd

from helpers.profile import load_profile
from helpers.schema import CLOSED_STAGES
from helpers.store import Transaction, Workspace

TABLE = "mail"
BODY_LIMIT = 256 * 1024
"""Bytes of a message (headers included) read at most; the rest is skipped unread."""
HEADER_LIMIT = 128 * 1024
"""Headers longer than this are not a message anyone wrote: skipped."""
MAX_BOUNDARIES = 64
"""More multipart boundaries than this in the part read is a nesting bomb: skipped."""
MAX_DEPTH = 16
"""MIME parts nested deeper than this are not looked into."""
TEXT_LIMIT = 20_000
"""Characters of a message's text the classification rules look at."""
SENT_WINDOW_DAYS = 60
"""A draft can be closed by a message sent up to this many days after it was drafted."""
CHUNK = 1 << 20

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

# -- the classification rules ------------------------------------------------------

CLASSIFICATION_RULES: tuple[tuple[str, str], ...] = (
    # Checked in this order: the first phrase found decides. Rejections come first
    # ("we will not be moving forward to the next round", "unable to offer you"),
    # then offers, then invitations. Phrases are matched case-insensitively, as whole
    # words, in the subject and then in the message's own text (quoted lines left out).
    ("rejection", "not to move forward"),
    ("rejection", "not be moving forward"),
    ("rejection", "won't be moving forward"),
    ("rejection", "not moving forward"),
    ("rejection", "move forward with other candidates"),
    ("rejection", "moving forward with other candidates"),
    ("rejection", "pursue other candidates"),
    ("rejection", "decided to proceed with other"),
    ("rejection", "not to proceed"),
    ("rejection", "will not be proceeding"),
    ("rejection", "regret to inform"),
    ("rejection", "not been selected"),
    ("rejection", "were not selected"),
    ("rejection", "was not selected"),
    ("rejection", "position has been filled"),
    ("rejection", "role has been filled"),
    ("rejection", "no longer under consideration"),
    ("rejection", "unable to offer you"),
    ("rejection", "not able to offer you"),
    ("rejection", "unsuccessful"),
    ("offer", "pleased to offer"),
    ("offer", "happy to offer"),
    ("offer", "delighted to offer"),
    ("offer", "extend an offer"),
    ("offer", "extend you an offer"),
    ("offer", "offer of employment"),
    ("offer", "offer letter"),
    ("offer", "job offer"),
    ("offer", "formal offer"),
    ("invitation", "invite you to"),
    ("invitation", "invitation to interview"),
    ("invitation", "interview invitation"),
    ("invitation", "like to invite you"),
    ("invitation", "schedule an interview"),
    ("invitation", "schedule a call"),
    ("invitation", "schedule a time"),
    ("invitation", "set up a time"),
    ("invitation", "book a time"),
    ("invitation", "your availability"),
    ("invitation", "available for a"),
    ("invitation", "next round"),
    ("invitation", "final round"),
    ("invitation", "onsite interview"),
    ("invitation", "would like to meet"),
    ("invitation", "move you forward"),
    ("invitation", "moving you forward"),
)
"""(classification, phrase): what marks a reply as a rejection, an offer or an
invitation to interview. A reply with none of them is ``other``."""

BULK_PHRASES: tuple[str, ...] = (
    "job alert",
    "jobs you may",
    "jobs you might",
    "new jobs",
    "new job openings",
    "recommended jobs",
    "jobs matching",
    "newsletter",
    "webinar",
    "talent community",
)
"""Phrases in the subject of mail sent to many (job alerts, newsletters): from a
company's domain they are not a reply."""

STAGE_AFTER = {
    "rejection": ("rejected", ("saved", "applied", "screening", "interviewing", "ghosted")),
    "offer": ("offer", ("saved", "applied", "screening", "interviewing", "ghosted")),
    "invitation": ("interviewing", ("saved", "applied", "screening", "ghosted")),
}
"""classification → (the stage it moves to, the stages it moves from)."""


def _phrase_pattern(phrase: str) -> re.Pattern:
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


_RULES = [(kind, phrase, _phrase_pattern(phrase)) for kind, phrase in CLASSIFICATION_RULES]
_BULK = [(phrase, _phrase_pattern(phrase)) for phrase in BULK_PHRASES]


def classify(subject: str, text: str) -> tuple[str, str]:
    """The classification of a reply and the reason, from its subject and text.

    Returns:
        ``(classification, reason)``: one of ``invitation``, ``rejection``, ``offer``,
        ``other``, and a phrase such as ``"regret to inform" in the message``.
    """
    text = own_text(text)[:TEXT_LIMIT]
    for where, value in (("subject", subject), ("message", text)):
        for kind, phrase, pattern in _RULES:
            if pattern.search(value or ""):
                return kind, f'"{phrase}" in the {where}'
    return "other", "no phrase of an invitation, a rejection or an offer"


def bulk_phrase(subject: str) -> str | None:
    """The job-alert or newsletter phrase in a subject, if any."""
    for phrase, pattern in _BULK:
        if pattern.search(subject or ""):
            return phrase
    return None


_WROTE = re.compile(r"^\s*(on .{0,200}wrote:|-{2,}\s*original message\s*-{2,}|from:\s)", re.I)


def own_text(text: str) -> str:
    """A message's own words: quoted lines (``>``) and the quoted message after
    "On … wrote:" or "Original Message" left out."""
    kept = []
    for line in (text or "").splitlines():
        if _WROTE.match(line):
            break
        if not line.lstrip().startswith(">"):
            kept.append(line)
    return "\n".join(kept)


# -- reading mailboxes -------------------------------------------------------------


class Unreadable(Exception):
    """One message that cannot be read; the reason is shown and the import goes on."""


@dataclass(frozen=True)
class Raw:
    """One message as read: where it is, its first bytes, its whole size."""

    where: str
    data: bytes
    size: int
    envelope: dt.datetime | None = None


@dataclass(frozen=True)
class Source:
    """One mailbox to read: ``kind`` is ``mbox``, ``maildir``, ``eml`` or ``missing``."""

    path: Path
    kind: str

    @property
    def size(self) -> int:
        """Bytes to read (for the progress bar); 0 when unknown."""
        try:
            if self.kind == "mbox":
                return self.path.stat().st_size
        except OSError:
            return 0
        return 0


def sources(spec: str | os.PathLike[str] | Iterable) -> list[Source]:
    """The mailboxes named by ``spec``: paths separated by ``:`` (or a list of paths).

    A file is an mbox (or one ``.eml``); a folder with ``cur/`` and ``new/`` is a
    Maildir; any other folder is searched for ``.eml`` files and mbox files (any file
    that starts with ``From ``, whatever its name).
    """
    if isinstance(spec, (str, os.PathLike)):
        parts = [p for p in _split(str(spec)) if p.strip()]
    else:
        parts = [str(p) for p in spec]
    found: list[Source] = []
    for part in parts:
        path = Path(part.strip()).expanduser()
        if path.is_file():
            found.append(Source(path, "eml" if path.suffix.lower() == ".eml" else "mbox"))
        elif path.is_dir():
            if (path / "cur").is_dir() and (path / "new").is_dir():
                found.append(Source(path, "maildir"))
                continue
            files = sorted(p for p in path.rglob("*") if p.is_file())
            emls = [p for p in files if p.suffix.lower() == ".eml"]
            mboxes = [p for p in files if p.suffix.lower() != ".eml" and _starts_mbox(p)]
            if emls:
                found.append(Source(path, "eml"))
            found += [Source(p, "mbox") for p in mboxes]
            if not emls and not mboxes:
                found.append(Source(path, "empty"))
        else:
            found.append(Source(path, "missing"))
    return found


def _starts_mbox(path: Path) -> bool:
    """A file that starts as an mbox does (Apple Mail's ``mbox``, Thunderbird's
    ``Inbox`` and ``Sent`` have no extension)."""
    try:
        with path.open("rb") as f:
            return f.read(5) == b"From "
    except OSError:
        return False


def _split(spec: str) -> list[str]:
    """``a:b`` → ``[a, b]``, keeping a Windows drive (``C:\\mail``) whole."""
    parts = spec.split(":")
    out: list[str] = []
    for part in parts:
        if out and len(out[-1]) == 1 and out[-1].isalpha() and part[:1] in ("\\", "/"):
            out[-1] += ":" + part
        else:
            out.append(part)
    return out


def read_source(source: Source, limit: int = BODY_LIMIT) -> Iterator[Raw]:
    """Every message of one mailbox: its first ``limit`` bytes and its size."""
    if source.kind == "mbox":
        yield from read_mbox(source.path, limit)
    elif source.kind == "maildir":
        box = mailbox.Maildir(source.path, factory=None, create=False)
        for key in sorted(box.iterkeys()):
            try:
                with box.get_file(key) as f:
                    data = f.read(limit + 1)
                    f.seek(0, 2)  # the size, without reading the rest
                    size = f.tell()
            except OSError as err:
                raise Unreadable(f"{source.path}: {key}: {err}") from err
            yield Raw(f"{source.path.name}/{key}", data[:limit], size)
    elif source.kind == "eml":
        files = [source.path] if source.path.is_file() else _eml_files(source.path)
        for path in files:
            with path.open("rb") as f:
                data = f.read(limit + 1)
                size = path.stat().st_size
            where = path.name if source.path.is_file() else str(path.relative_to(source.path))
            yield Raw(where, data[:limit], size)


def _eml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() == ".eml")


_FROM_LINE = re.compile(
    rb"From \S+\s+(?:[A-Z][a-z]{2},?\s+)?[A-Z][a-z]{2}\s+\d{1,2}\s+\d{1,2}:\d\d(?::\d\d)?"
    rb"\s+(?:[-+]\d{4}\s+|[A-Z]{3,4}\s+)?\d{4}"
)
"""``From <sender> [Day] Mon D HH:MM[:SS] [zone] YYYY``: the mbox envelope line."""


def _is_separator(line: bytes) -> bool:
    """An mbox ``From `` line: ``From <sender> <date>`` (a body line that merely starts
    with "From " has no date after it)."""
    return bool(_FROM_LINE.match(line.rstrip(b"\r\n")))


def _envelope_date(line: bytes) -> dt.datetime | None:
    """The date of an mbox ``From `` line (``Fri Nov 20 09:14:03 2026``), if readable."""
    words = [w for w in line.decode("ascii", "replace").split()[2:] if w[:1] not in "+-"]
    for n in (5, 4):
        text = " ".join(words[:n])
        for fmt in ("%a %b %d %H:%M:%S %Y", "%a %b %d %H:%M %Y"):
            try:
                return dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
    return None


def read_mbox(path: Path, limit: int = BODY_LIMIT) -> Iterator[Raw]:
    """The messages of an mbox file, streamed in 1 MB blocks.

    A new message starts at a ``From `` line that follows an empty line and carries a
    date, so a body line such as "From the team at …" (left unescaped by some
    programs) stays in its message. The standard library's :class:`mailbox.mbox`
    splits at every line starting with ``From `` and reads each message whole into
    memory; a mailbox with a 2 GB attachment must not. Only the first ``limit`` bytes
    of each message are kept.
    """
    with path.open("rb") as f:
        buf = f.read(CHUNK)
        if not buf.startswith(b"From "):
            raise Unreadable(f"{path} is not an mbox file (it does not start with 'From ')")
        at_eof = len(buf) < CHUNK
        while buf.find(b"\n") < 0 and not at_eof:
            more = f.read(CHUNK)
            at_eof = not more
            buf += more
        first = buf.find(b"\n")
        first = len(buf) if first < 0 else first + 1
        current = _Current(path.name, 0, _envelope_date(buf[:first]), limit)
        start = search = first
        while True:
            pending = -1
            while True:
                hit = buf.find(b"\nFrom ", search)
                if hit < 0:
                    break
                end = buf.find(b"\n", hit + 1)
                if end < 0 and not at_eof and len(buf) - hit < 4096:
                    pending = hit  # the line goes on in the next block
                    break
                end = len(buf) if end < 0 else end
                blank = buf[hit - 1 : hit] == b"\n" or buf[hit - 2 : hit] == b"\n\r"
                if blank and _is_separator(buf[hit + 1 : end]):
                    yield current.finish(buf[start:hit].removesuffix(b"\r"))
                    current = _Current(
                        path.name, current.index + 1, _envelope_date(buf[hit + 1 : end]), limit
                    )
                    start = search = min(end + 1, len(buf))
                    continue
                search = hit + 1
            if at_eof:
                yield current.finish(buf[start:])
                return
            keep = max(start, len(buf) - 8 if pending < 0 else pending - 2)
            current.add(buf[start:keep])
            more = f.read(CHUNK)
            at_eof = not more
            buf = buf[keep:] + more
            start = 0
            search = 0 if pending < 0 else pending - keep


class _Current:
    """The message being read: its first bytes and its size so far."""

    def __init__(self, name: str, index: int, envelope: dt.datetime | None, limit: int):
        self.name, self.index, self.envelope, self.limit = name, index, envelope, limit
        self.parts: list[bytes] = []
        self.kept = 0
        self.size = 0

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.kept < self.limit and data:
            piece = data[: self.limit - self.kept]
            self.parts.append(piece)
            self.kept += len(piece)

    def finish(self, data: bytes) -> Raw:
        self.add(data)
        return Raw(f"{self.name} #{self.index + 1}", b"".join(self.parts), self.size, self.envelope)


# -- one message -------------------------------------------------------------------


@dataclass
class Mail:
    """What the rules look at in one message (the body only when needed)."""

    where: str
    mail_id: str
    date: dt.date
    sender: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    bulk: str
    replying_to: tuple[str, ...]
    raw: Raw

    def text(self) -> str:
        """The message's text (plain, or HTML made plain), from the part read."""
        return body_text(self.raw)


_HEADERS = BytesHeaderParser(policy=policy.default)
_END_OF_HEADERS = re.compile(rb"\r?\n\r?\n")


def parse(raw: Raw, wanted: Callable[[str], bool] | None = None) -> Mail | None:
    """The headers of one message, read leniently.

    Headers are split by :class:`~email.parser.BytesHeaderParser` (``policy.default``);
    only the subject is decoded by the policy's header classes, the rest read from the
    raw values (the policy's address parser costs more than the whole reading).

    Args:
        wanted: given the sender's address, whether the message is worth reading on;
            when it says no, ``None`` is returned at once.

    Raises:
        Unreadable: no sender, no date anywhere, or headers that cannot be parsed.
    """
    end = _END_OF_HEADERS.search(raw.data)
    head = raw.data[: end.end()] if end else raw.data
    if len(head) > HEADER_LIMIT:
        raise Unreadable(f"headers of {len(head):,} bytes")
    try:
        msg = _HEADERS.parsebytes(head)
        heads: dict[str, list[str]] = {}
        for key, value in msg.raw_items():
            heads.setdefault(key.lower(), []).append(value)

        def first(name: str) -> str:
            found = heads.get(name)
            return _clean(found[0], 2000) if found else ""

        sender_name, sender = _first_address(first("from"))
        if not sender:
            raise Unreadable("no sender address (From)")
        if wanted is not None and not wanted(sender):
            return None
        recipients = tuple(a for name in ("to", "cc") for _, a in _addresses(first(name)) if a)
        subject = _clean(_header(msg, "subject"))
        date = _date(first("date"), [v.rpartition(";")[2] for v in heads.get("received", [])[:1]])
        date = date or (raw.envelope.date() if raw.envelope else None)
        message_id = first("message-id").strip()
        replying_to = tuple(
            _digest(m)
            for m in re.findall(r"<[^<>\s]+>", first("in-reply-to") + " " + first("references"))
        )
        bulk = ""
        for name in ("list-id", "list-unsubscribe"):
            if name in heads:
                bulk = f"a mailing list ({msg_header_name(name)} header)"
                break
        precedence = first("precedence").strip().lower()
        if not bulk and precedence in ("bulk", "list", "junk"):
            bulk = f"mail to many (Precedence: {precedence})"
    except Unreadable:
        raise
    except Exception as err:  # a header the email package chokes on
        raise Unreadable(f"its headers cannot be read ({type(err).__name__})") from None
    if date is None:
        raise Unreadable("no date (no Date header, and none in Received or the mbox line)")
    if message_id and re.fullmatch(r"<?[^<>\s]+>?", message_id):
        mail_id = _digest(message_id if message_id.startswith("<") else f"<{message_id}>")
    else:
        mail_id = _digest(f"{date.isoformat()}\n{sender}\n{subject}")
    return Mail(
        raw.where,
        mail_id,
        date,
        sender,
        sender_name,
        recipients,
        subject,
        bulk,
        replying_to,
        raw,
    )


def msg_header_name(name: str) -> str:
    return "-".join(w.capitalize() if w != "id" else "ID" for w in name.split("-"))


def _digest(text: str) -> str:
    """The stored identifier of a message: a digest, so no address is kept in a key."""
    return "mail-" + hashlib.sha256(text.strip().encode("utf-8", "replace")).hexdigest()[:24]


def _header(msg, name: str) -> str:
    """A header's text ('' when missing); a header that fails to decode is read raw."""
    try:
        value = msg.get(name)
    except Exception:
        value = None
        for key, raw_value in msg.raw_items():
            if key.lower() == name:
                value = raw_value
                break
    text = "" if value is None else str(value)
    if "\ufffd" in text:  # raw 8-bit bytes: read them as UTF-8, else windows-1252
        for key, raw_value in msg.raw_items():
            if key.lower() == name and any("\udc80" <= c <= "\udcff" for c in raw_value):
                return raw_value
    return text


def _addresses(value: str) -> list[tuple[str, str]]:
    value = _clean(value, 2000)
    found = []
    for name, addr in getaddresses([value]):
        addr = addr.strip().lower()
        if "@" in addr and " " not in addr and len(addr) <= 254:
            found.append((name, addr))
    return found


def _first_address(value: str) -> tuple[str, str]:
    found = _addresses(value)
    return found[0] if found else ("", "")


def _date(date: str, received: list[str]) -> dt.date | None:
    """The Date header's day, else the last Received hop's."""
    for value in [date, *received]:
        value = _clean(value).strip()
        if not value:
            continue
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            continue
        if when is not None and 1990 <= when.year <= 2100:
            return when.date()
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _clean(value, limit: int = 300) -> str:
    """Header text as one line of real text: undecodable bytes read as UTF-8, else
    windows-1252; control characters and runs of spaces made one space."""
    text = str(value or "")
    if any("\udc80" <= c <= "\udcff" for c in text):
        data = text.encode("utf-8", "surrogateescape")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252", "replace")
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())[:limit]


def body_text(raw: Raw) -> str:
    """The text of the part read: the first plain-text part, else HTML made plain.

    Raises:
        Unreadable: a MIME nesting bomb, or a structure the email package cannot parse.
    """
    boundaries = raw.data.count(b"boundary=") + raw.data.count(b"BOUNDARY=")
    if boundaries > MAX_BOUNDARIES:
        raise Unreadable(f"a MIME nesting bomb ({boundaries} multipart levels or more)")
    try:
        msg = BytesParser(policy=policy.default).parsebytes(raw.data)
        plain, markup = _texts(msg, 0)
    except Unreadable:
        raise
    except RecursionError:
        raise Unreadable("MIME parts nested too deep") from None
    except Exception as err:
        raise Unreadable(f"its body cannot be read ({type(err).__name__})") from None
    if plain:
        return plain[:TEXT_LIMIT]
    return _html_text(markup)[:TEXT_LIMIT]


def _texts(part, depth: int) -> tuple[str, str]:
    """(first plain text, first HTML) found in ``part``, depth-first."""
    if depth > MAX_DEPTH:
        raise Unreadable(f"MIME parts nested more than {MAX_DEPTH} deep")
    if part.is_multipart():
        plain = markup = ""
        for sub in part.iter_parts() if isinstance(part, EmailMessage) else part.get_payload():
            p, m = _texts(sub, depth + 1)
            plain, markup = plain or p, markup or m
            if plain:
                break
        return plain, markup
    if part.get_content_maintype() != "text" or part.get_content_disposition() == "attachment":
        return "", ""
    text = _decoded(part)
    return (text, "") if part.get_content_subtype() == "plain" else ("", text)


def _decoded(part) -> str:
    """A text part decoded by its charset; an unknown or lying charset does not stop it."""
    data = part.get_payload(decode=True) or b""
    charset = part.get_content_charset() or "utf-8"
    for enc in (charset, "utf-8", "cp1252"):
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")


_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_BLOCK = re.compile(r"<(br|p|div|tr|li|h\d)\b[^>]*>", re.I)
_TAG = re.compile(r"<[^>]*>")


def _html_text(markup: str) -> str:
    markup = _SCRIPT.sub(" ", markup)
    markup = re.sub(r"<blockquote\b.*?</blockquote\s*>", " ", markup, flags=re.I | re.S)
    markup = _BLOCK.sub("\n", markup)
    return html.unescape(_TAG.sub(" ", markup))


# -- what the workspace knows ------------------------------------------------------


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


def _parents(domain: str) -> Iterator[str]:
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
        mail = tables.get(TABLE)
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
        return any(d in self.by_domain for d in _parents(domain_of(sender)))

    def name(self, application_id: str) -> str:
        if application_id not in self.apps.index:
            return application_id
        row = self.apps.loc[application_id]
        return f"{' '.join(row['company'].split())} — {' '.join(row['role'].split())}"

    def domains(self, application_id: str) -> set[str]:
        return {d for d, ids in self.by_domain.items() if application_id in ids}


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
        my_addresses: your addresses besides the profile's email.
    """
    tables = ws.load_all()
    profile = load_profile(ws)
    known = Known.of(tables, [profile.email, *my_addresses])
    plan = Plan()
    if not known.mine:
        plan.notes.append(
            "Your profile has no email address: your sent mail cannot be recognised "
            "(00_start_here, Your profile), so no draft is closed."
        )
    found = sources(spec)
    counts = plan.counts
    counts.bytes_total = sum(s.size for s in found)
    last = 0.0
    done_before = 0
    seen_now: set[str] = set()
    closed: set[str] = set()
    stage_by_app: dict[str, Change] = {}

    def tick(force: bool = False) -> None:
        nonlocal last
        if progress is None:
            return
        now = time.monotonic()
        if force or now - last >= every:
            last = now
            progress(counts)

    for source in found:
        counts.source = str(source.path)
        if source.kind in ("missing", "empty"):
            plan.problems.append(
                f"{source.path}: "
                + ("no such file or folder" if source.kind == "missing" else "no mail found in it")
            )
            continue
        try:
            for raw in read_source(source):
                counts.read += 1
                if raw.size > len(raw.data):
                    plan.partial += 1
                if source.kind == "mbox":
                    done_before += raw.size
                    counts.bytes_done = done_before
                try:
                    _one(raw, known, plan, seen_now, closed, stage_by_app)
                except Unreadable as err:
                    plan.skipped.append((raw.where, str(err)))
                except Exception as err:  # whatever a message holds, the import goes on
                    plan.skipped.append((raw.where, f"it cannot be read ({type(err).__name__})"))
                counts.skipped = len(plan.skipped)
                counts.proposed = len(plan.changes)
                counts.ambiguous = len(plan.ambiguous)
                tick()
        except (Unreadable, OSError) as err:
            plan.problems.append(f"{source.path}: {err}")
    # Only the latest reply of an application changes its stage.
    plan.changes += sorted(stage_by_app.values(), key=lambda c: (c.on, c.application_id))
    counts.proposed = len(plan.changes)
    counts.finished = True
    tick(force=True)
    return plan


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
            Ambiguous(
                mail.where,
                mail.date,
                mail.sender,
                mail.subject,
                tuple(r.message_id for r in candidates),
                "your message matches several drafts",
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


def _received(mail: Mail, known: Known, plan: Plan, stage_by_app) -> None:
    by = "address"
    ids = set(known.by_address.get(mail.sender, ()))
    if not ids:
        by = "domain"
        for domain in _parents(domain_of(mail.sender)):
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
            Ambiguous(
                mail.where,
                mail.date,
                mail.sender,
                mail.subject,
                tuple(sorted(ids)),
                why + f"; {len(ids)} applications could be meant",
                mail,
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
    return bool(role) and bool(_phrase_pattern(role).search(text))


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
