"""A job description as a checklist: duties, requirements and nice-to-haves.

:func:`split_job_description` reads a posting as pasted (Markdown, plain text, a PDF
copy) and :func:`read_job_description` takes it as text or a file name. An
:class:`Item` is stored in ``research.csv`` as a ``duty`` row whose note carries the
kind (``Requirement: …``, ``Nice to have: …``); :meth:`Item.from_note` reads it back.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import REPO_ROOT

KINDS = ("duty", "requirement", "nice")
KIND_LABELS = {"duty": "duty", "requirement": "requirement", "nice": "nice to have"}
PREFIXES = {"requirement": "Requirement: ", "nice": "Nice to have: "}


@dataclass(frozen=True)
class Item:
    """One checklist item: a duty, a requirement, or a nice-to-have."""

    kind: str
    text: str

    @classmethod
    def from_note(cls, note: str) -> Item:
        """The checklist item a ``duty`` row's note holds (see :attr:`note`)."""
        text = str(note or "").strip()
        for kind, prefix in PREFIXES.items():
            if text.casefold().startswith(prefix.casefold()):
                return cls(kind, text[len(prefix) :].strip())
        return cls("duty", text)

    @property
    def note(self) -> str:
        """The item as stored in ``research.csv`` (a kind prefix, then the text)."""
        return PREFIXES.get(self.kind, "") + self.text


# Section headings, checked in this order: the first pattern that matches decides.
_SECTIONS = (
    (
        "skip",
        r"physical|benefit|perks|what we offer|we offer|compensation|salary|\bpay\b|"
        r"how to apply|apply|equal (employment )?opportunit|\beeo\b|accommodation|"
        r"diversity|inclusion|about us|about the company|about the team|who we are|"
        r"our (values|culture|story|mission)|why (join|work|you'?ll love)|perks|"
        r"interview process|hiring process|application process|location|work schedule",
    ),
    (
        "nice",
        r"nice[- ]to[- ]have|preferred|bonus|a plus|desired|desirable|extra credit|"
        r"would be great|\bassets?\b|stand out|set you apart",
    ),
    (
        "requirement",
        r"requirement|qualification|looking for|about you|who you are|you have|"
        r"you bring|what you('ll| will)? ?(bring|need)|skills|experience|must[- ]have|"
        r"competenc|ideal candidate|education|profile|what it takes|to succeed|"
        r"you might be|you may be|are you",
    ),
    (
        "duty",
        r"responsibilit|dut(y|ies)|what you('ll| will) (do|be doing|work on|own|achieve)|"
        r"you will|you'll|day[- ]to[- ]day|in this role|accountabilit|key (tasks|areas)|"
        r"main tasks|essential functions|first \d+ days|your impact|impact you'll|"
        r"the work|what the job involves|tasks",
    ),
    (
        "role",
        r"the role|your role|about the (role|job|position|opportunity)|role overview|"
        r"the position|the job|the opportunity|job description|overview",
    ),
    ("skip", r"about|summary|company|team|who|why|culture|mission|contact"),
)
_NICE_CUE = re.compile(
    r"\b(?:a plus|an asset|a bonus|an advantage|nice[- ]to[- ]have|bonus points|"
    r"(?:is|are|would be) helpful|ideally|desirable)\b",
    re.I,
)
_REQUIREMENT_CUE = re.compile(
    r"\b(?:\d+\s*\+?\s*(?:-\s*\d+\s*)?(?:years?|yrs)|"
    r"(?:one|two|three|four|five|six|seven|eight|ten)\s*\+?\s*years?|"
    r"experience (?:with|in|of|using|writing|building|working)|experienced|degree|"
    r"bachelor|master'?s|ph\.?d|diploma|certifi|proficien|fluen(?:t|cy)|familiar|"
    r"knowledge of|background in|understanding of|ability to|able to|comfortable|"
    r"track record|you have|you bring|you are|you're|must have|required|is a must|"
    r"skills?|expertise)\b",
    re.I,
)
_DUTY_CUE = re.compile(
    r"\b(?:you will|you'll|you would|you'd|responsible for|in this role|your day|"
    r"day[- ]to[- ]day)\b",
    re.I,
)
_VERBS = (
    "analy[sz]e|answer|audit|automate|build|clean|coach|collaborate|communicate|conduct|"
    "coordinate|create|define|deliver|design|develop|document|drive|enable|ensure|"
    "establish|evaluate|extract|forecast|guide|handle|help|identify|implement|improve|"
    "investigate|lead|maintain|manage|mentor|migrate|model|monitor|optimi[sz]e|own|"
    "partner|perform|plan|prepare|present|produce|provide|publish|reconcile|recommend|"
    "report|research|respond|review|run|shape|ship|support|test|track|train|translate|"
    "turn|visuali[sz]e|work|write"
)
_VERB_START = re.compile(rf"^(?:{_VERBS})(?:s|es)?\b", re.I)
_BOILERPLATE = re.compile(
    r"equal (?:employment )?opportunit|without regard to|regardless of|accommodation|"
    r"e-verify|we offer|salary|compensation|benefits|401\(k\)|\bpto\b|apply now|"
    r"to apply|visa sponsorship",
    re.I,
)
_BULLET = re.compile(r"^\s*(?:[-*•·‣▪▫◦○●■□➢➤►▶✓✔–—]|o(?=\s))\s+(?P<text>\S.*)$")
_NUMBER = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(\d{1,2}\)|\(?[a-z]\))\s+(?P<text>\S.*)$")
_MD_HEADING = re.compile(r"^\s*#{1,6}\s+(?P<text>.*?)\s*#*\s*$")
_INLINE = re.compile(r"^(?P<head>[^:]{2,60}?)\s*:\s+(?P<rest>\S.*)$")
_ABBREVIATIONS = re.compile(
    r"\b(?:e\.g|i\.e|etc|vs|approx|incl|inc|ltd|co|corp|jr|sr|dr|mr|mrs|ms|st|no|"
    r"u\.s|a\.m|p\.m)\.",
    re.I,
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[\"“(]?[A-Z0-9])")
_CLAUSE = re.compile(r";\s+|,?\s+and\s+(?=(?:you\b|some\b|experience\b|knowledge\b))", re.I)
_LEAD_INS = (
    re.compile(r"^(?:[^.;:]{0,60}?,\s*)?(?:you will|you'll|you would|you'd)\s+(?:also\s+)?", re.I),
    re.compile(
        r"^(?:you|we)\s+(?:are looking for|need|want)\s+(?:someone|a person)\s+(?:with|who has)\s+",
        re.I,
    ),
    re.compile(
        r"^(?:the ideal candidate|the successful candidate|candidates?|you)\s+"
        r"(?:has|have|will have|should have|must have|brings?|bring)\s+",
        re.I,
    ),
    re.compile(r"^(?:you are|you're)\s+", re.I),
)
_PLAIN_START = re.compile(
    r"^(?:\w+ing|a|an|the|some|at|any|experience|knowledge|familiarity|ability|strong|"
    r"excellent|proven|solid|good|great|clear|advanced|basic|fluent|deep|comfort|"
    r"understanding|working|hands-on)$"
)
_PLACEHOLDER = "\x00"


def normal_text(text: str) -> str:
    """Text as pasted, with one kind of line end and of space, and no invisible marks."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[\u200b\u200c\u200d\ufeff]", "", text)
    return re.sub(r"[\u00a0\u2007\u202f\t]", " ", text)


def comparable(text: str) -> str:
    """The text as compared for duplicates: case, spaces and end punctuation ignored."""
    text = unicodedata.normalize("NFKC", str(text or "")).casefold()
    text = text.replace("’", "'")
    return re.sub(r"\s+", " ", text).strip(" .;,:")


def _section(heading: str) -> str:
    text = re.sub(r"[*_#`]", "", heading).replace("’", "'").casefold()
    text = re.sub(r"\s+", " ", text).strip(" :")
    for kind, pattern in _SECTIONS:
        if re.search(pattern, text):
            return kind
    return "unknown"


def _words(text: str) -> int:
    return len(text.split())


def _heading(line: str, next_line: str, prev_blank: bool) -> tuple[str, str] | None:
    """``(heading, content after it)`` if ``line`` is a heading, else None."""
    stripped = line.strip()
    m = _MD_HEADING.match(stripped)
    if m:
        return m["text"], ""
    plain = re.sub(r"(\*\*|__)", "", stripped).strip()
    if not plain or _BULLET.match(stripped) or _NUMBER.match(stripped):
        return None
    bold = stripped.startswith(("**", "__")) and stripped.rstrip(":").endswith(("**", "__"))
    if plain.endswith(":") and _words(plain) <= 8:
        return plain[:-1], ""
    if bold and _words(plain) <= 10:
        return plain.rstrip(":"), ""
    inline = _INLINE.match(plain)
    if inline and _words(inline["head"]) <= 6 and _section(inline["head"]) != "unknown":
        return inline["head"], inline["rest"]
    letters = [c for c in plain if c.isalpha()]
    if (
        len(letters) >= 3
        and all(c.isupper() for c in letters)
        and _words(plain) <= 8
        and not plain.endswith(".")
    ):
        return plain, ""
    short = _words(plain) <= 6 and len(plain) <= 60 and not re.search(r"[.!?;,]$", plain)
    if short and not plain[0].islower():
        if _section(plain) != "unknown":
            return plain, ""
        nxt = next_line.strip()
        if _BULLET.match(nxt) or _NUMBER.match(nxt) or (prev_blank and not nxt):
            return plain, ""
    return None


def _sentences(text: str) -> list[str]:
    protected = _ABBREVIATIONS.sub(lambda m: m[0].replace(".", _PLACEHOLDER), text)
    return [s.replace(_PLACEHOLDER, ".") for s in _SENTENCE.split(protected) if s.strip()]


def _clean(text: str, kind: str) -> str:
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    text = re.sub(r"^(?:and|or)\s+", "", text, flags=re.I)
    trimmed = False
    for lead in _LEAD_INS if kind != "duty" else _LEAD_INS[:1]:
        shorter = lead.sub("", text, count=1)
        if shorter != text and _words(shorter) >= 2:
            text, trimmed = shorter, True
            break
    text = re.sub(r"(?:[\s;,:]|\s(?:and|or))+$", "", text).rstrip(".").strip()
    first = text.split(" ")[0] if text else ""
    # Capitalise a sentence start ("supporting the team"), never a name ("dbt", "iOS").
    if first.islower() and (trimmed or _VERB_START.match(first) or _PLAIN_START.match(first)):
        text = text[0].upper() + text[1:]
    return text


def _cue(text: str, default: str = "") -> str:
    """A kind from the wording alone (nice, requirement, duty), else ``default``."""
    if _NICE_CUE.search(text):
        return "nice"
    if _REQUIREMENT_CUE.search(text):
        return "requirement"
    stripped = _LEAD_INS[0].sub("", text, count=1)
    if _DUTY_CUE.search(text) or _VERB_START.match(stripped.strip()):
        return "duty"
    return default


def split_job_description(text: str) -> list[Item]:
    """A job description as a checklist: duties, requirements and nice-to-haves.

    Headings decide what follows them ("Responsibilities", "What you'll do" →
    duties; "Requirements", "About you" → requirements; "Nice to have",
    "Preferred" → nice-to-haves; "Benefits", "About us", "How to apply" →
    nothing). A heading is a Markdown ``#`` line, a bold line, a short line ending
    in ``:``, an ALL-CAPS line, a short known phrase, or ``Heading: content`` on one
    line. Under a heading, each bullet or numbered item is one entry (wrapped
    lines are joined); prose is split into sentences (and ``;``). Where no heading
    says (the text before the first one, "The role", an unknown heading, a
    paragraph after a list), the wording decides: "3+ years", "experience with",
    "degree" → requirement; "is a plus" → nice to have; "you will", or a sentence
    that starts with a verb such as "Build" → duty; anything else — the company
    blurb, legal text — is left out. "You will…" and "The ideal candidate has…" are
    trimmed so each entry reads as a checklist line.
    """
    lines = normal_text(text).split("\n")
    reader = _Reader()
    for i, line in enumerate(lines):
        if not line.strip():
            reader.blank()
            continue
        next_line = next((x for x in lines[i + 1 :] if x.strip()), "")
        reader.line(line, next_line)
    reader.end_block()
    return reader.found.items


class _Found:
    """The checklist so far: each entry once, however often the posting says it."""

    def __init__(self) -> None:
        self.items: list[Item] = []
        self._seen: set[str] = set()

    def add(self, kind: str, raw: str) -> None:
        if kind not in KINDS:
            return
        entry = _clean(raw, kind)
        if len(entry) < 2 or comparable(entry) in self._seen:
            return
        self._seen.add(comparable(entry))
        self.items.append(Item(kind, entry))


class _Reader:
    """A posting read line by line: the section it is in, the list item and the
    paragraph being built."""

    def __init__(self) -> None:
        self.found = _Found()
        self.section = "unknown"
        self.mode = "list"  # how prose in the section is read: as the section says, or by cues
        self.in_list = False
        self.listed_in_section = False
        self.paragraph: list[str] = []
        self.current: list[str] | None = None  # the list item being built
        self.prev_blank = True

    # -- a line of each kind ---------------------------------------------------

    def blank(self) -> None:
        self.end_block()
        if self.in_list:
            self.in_list = False
            if self.listed_in_section:
                self.mode = "cues"  # prose after a list is often the small print
        self.prev_blank = True

    def line(self, line: str, next_line: str) -> None:
        """A line with text: a heading, a list item, or more of the item or paragraph."""
        stripped = line.strip()
        heading = _heading(stripped, next_line, self.prev_blank)
        self.prev_blank = False
        if heading is not None and not (self.current and stripped[:1].islower()):
            self.start_section(*heading)
            return
        marker = _BULLET.match(line) or _NUMBER.match(line)
        if marker:
            self.end_block()
            self.current = [marker["text"]]
            self.in_list = self.listed_in_section = True
            return
        if self.current is not None:
            previous = self.current[-1].rstrip()
            if stripped[:1].islower() or not re.search(r"[.!?:]$", previous) or line[:1] in " \t":
                self.current.append(stripped)  # a wrapped line of the item
                return
            self.end_item()
        self.paragraph.append(stripped)

    def start_section(self, heading: str, content: str) -> None:
        """A heading: what follows is read as it says; ``Heading: content`` read now."""
        self.end_block()
        self.section = _section(heading)
        self.mode, self.in_list, self.listed_in_section = "list", False, False
        if not content or self.section == "skip":
            return
        for piece in re.split(r";\s+", content):
            for sentence in _sentences(piece):
                if not _BOILERPLATE.search(sentence):
                    kind = self.section if self.section in KINDS else _cue(sentence)
                    self.found.add(kind, sentence)

    # -- entries ---------------------------------------------------------------

    def _section_kind(self, text: str) -> str:
        """The kind a section of duties, requirements or nice-to-haves gives ``text``."""
        if self.section == "requirement" and _NICE_CUE.search(text):
            return "nice"
        return self.section

    def _list_kind(self, raw: str) -> str:
        if self.section in KINDS:
            return self._section_kind(raw)
        if self.section == "role":
            return _cue(raw, "duty")
        if self.section == "skip":
            return ""
        return _cue(raw)

    def end_item(self) -> None:
        if self.current:
            raw = " ".join(self.current)
            self.found.add(self._list_kind(raw), raw)
        self.current = None

    def end_paragraph(self) -> None:
        """A paragraph of prose: its sentences (and their clauses) as entries."""
        if not self.paragraph:
            return
        prose = " ".join(self.paragraph)
        self.paragraph = []
        if self.section == "skip":
            return
        trusted = self.section in KINDS and self.mode == "list"
        for sentence in _sentences(prose):
            if _BOILERPLATE.search(sentence):
                continue
            for clause in (c for c in _CLAUSE.split(sentence) if c.strip()):
                self.found.add(self._section_kind(clause) if trusted else _cue(clause), clause)

    def end_block(self) -> None:
        self.end_item()
        self.end_paragraph()


def read_job_description(value: str) -> str:
    """A job description given as text, or as the path of a ``.txt``/``.md`` file.

    A relative path is taken from the workbook's folder (like ``data_dir``).

    Raises:
        FileNotFoundError: ``value`` names a file that does not exist.
    """
    value = str(value or "")
    one_line = value.strip()
    if "\n" in one_line or not re.search(r"\.(?:txt|md|text)$", one_line, re.I):
        return value
    path = Path(one_line).expanduser()
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.is_file():
        raise FileNotFoundError(
            f"job_description looks like a file name, but there is no file {path}"
        )
    return path.read_text(encoding="utf-8-sig")
