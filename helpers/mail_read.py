"""Mailboxes read message by message: an ``.mbox`` file, a Maildir, a folder of
``.eml`` files; each message's headers, and the text of the part read.

Nothing is ever read whole: an mbox is streamed in 1 MB blocks, and of each message
only its first :data:`BODY_LIMIT` bytes are kept (an attachment beyond them is skipped
unread). Headers are split by :class:`email.parser.BytesHeaderParser` with
``email.policy.default``; a message that cannot be read raises :class:`Unreadable`
with the reason, for the import to report and skip.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import mailbox
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from helpers.mail_rules import TEXT_LIMIT

BODY_LIMIT = 256 * 1024
"""Bytes of a message (headers included) read at most; the rest is skipped unread."""
HEADER_LIMIT = 128 * 1024
"""Headers longer than this are not a message anyone wrote: skipped."""
MAX_BOUNDARIES = 64
"""More multipart boundaries than this in the part read is a nesting bomb: skipped."""
MAX_DEPTH = 16
"""MIME parts nested deeper than this are not looked into."""
CHUNK = 1 << 20


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
        replying_to = _replying_to(first("in-reply-to"), first("references"))
        bulk = _bulk(heads, first("precedence"))
    except Unreadable:
        raise
    except Exception as err:  # a header the email package chokes on
        raise Unreadable(f"its headers cannot be read ({type(err).__name__})") from None
    if date is None:
        raise Unreadable("no date (no Date header, and none in Received or the mbox line)")
    return Mail(
        raw.where,
        _mail_id(message_id, date, sender, subject),
        date,
        sender,
        sender_name,
        recipients,
        subject,
        bulk,
        replying_to,
        raw,
    )


def _replying_to(in_reply_to: str, references: str) -> tuple[str, ...]:
    """The messages this one answers (In-Reply-To, then References), as digests."""
    return tuple(_digest(m) for m in re.findall(r"<[^<>\s]+>", in_reply_to + " " + references))


def _bulk(heads: dict[str, list[str]], precedence: str) -> str:
    """Why a message went to many people ("" when it did not): a list header, or a
    bulk precedence."""
    for name in ("list-id", "list-unsubscribe"):
        if name in heads:
            return f"a mailing list ({msg_header_name(name)} header)"
    precedence = precedence.strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"mail to many (Precedence: {precedence})"
    return ""


def _mail_id(message_id: str, date: dt.datetime, sender: str, subject: str) -> str:
    """A message's key: its Message-ID's digest, else one of its date, sender and subject."""
    if message_id and re.fullmatch(r"<?[^<>\s]+>?", message_id):
        return _digest(message_id if message_id.startswith("<") else f"<{message_id}>")
    return _digest(f"{date.isoformat()}\n{sender}\n{subject}")


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
