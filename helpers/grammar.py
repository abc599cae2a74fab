"""Drafts that read as written by hand: talking points, greetings, dates.

- :func:`talking_point` turns what the user typed about a person (a phrase, a full
  sentence, a question, a list; with "he", "her", "their team's" anywhere in it)
  into a grammatical part of a note addressed to that person; :meth:`TalkingPoint.
  sentence` gives the sentence a note uses, in as many wordings as a round has
  people, and :attr:`TalkingPoint.warnings` says when it will read badly (the
  interview form shows both as you type).
- :func:`greeting` is how a note greets someone, from their parsed name
  (``nameparser``): titles ("Dr. Silva"), compound given names ("María José"),
  nicknames, or the contact's own greeting when one is recorded.
- :func:`long_date` and :func:`when_held` write dates as the profile's locale does
  (Babel): "Tuesday, November 24" in the US, "Tuesday, 24 November" in Britain;
  "today", "yesterday" or "on Thursday" only within the past few days.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

# -- talking points ----------------------------------------------------------------

_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s+")
_WORD = re.compile(r"[\w’'-]+|[^\w\s]", re.UNICODE)

# Leading words that only say "we discussed": what follows is the topic.
_DISCUSSED = re.compile(
    r"^(?:i\s+(?:really\s+)?(?:enjoyed|liked|loved)\s+)?"
    r"(?:(?:we|i)\s+(?:also\s+|briefly\s+|mostly\s+|mainly\s+)?"
    r"(?:talked|spoke|chatted|went)\s+(?:about|over|through)"
    r"|(?:we|i)\s+(?:also\s+)?(?:discussed|covered)"
    r"|(?:we|i)\s+had\s+(?:a|an)\s+(?:\w+\s+)?(?:chat|conversation|discussion|talk)\s+"
    r"(?:about|on|of)"
    r"|talked\s+about|spoke\s+about|chatted\s+about|discussed|discussing|talking\s+about"
    r"|(?:our|the|a)\s+(?:\w+\s+)?(?:conversation|discussion|chat|talk)\s+(?:about|on|of)"
    r"|conversation\s+about|discussion\s+(?:of|about|on)|re:|topic:|about)\s+",
    re.IGNORECASE,
)

# Verbs of what the interviewer did, opening a subject-less note ("Asked how I…").
_THEIR_VERBS = {
    "asked",
    "showed",
    "explained",
    "mentioned",
    "shared",
    "described",
    "walked",
    "told",
    "gave",
    "suggested",
    "recommended",
    "pointed",
    "offered",
    "introduced",
    "challenged",
    "pushed",
    "noted",
    "said",
    "wondered",
    "outlined",
    "presented",
    "questioned",
    "quizzed",
    "grilled",
    "probed",
    "drilled",
}

_SUBJECTS = {"i", "we", "you", "it", "there", "they", "he", "she"}
_AUXILIARIES = {
    "do",
    "does",
    "did",
    "is",
    "are",
    "was",
    "were",
    "would",
    "will",
    "can",
    "could",
    "should",
    "shall",
    "have",
    "has",
    "had",
    "might",
    "must",
    "may",
}
_WH = {"how", "what", "why", "when", "where", "which", "who", "whether"}

# Singular nouns that take "the" after a name: "the Looker migration".
_COUNTABLE = {
    "migration",
    "project",
    "rollout",
    "launch",
    "roadmap",
    "dashboard",
    "pipeline",
    "platform",
    "redesign",
    "rewrite",
    "initiative",
    "program",
    "programme",
    "exercise",
    "study",
    "plan",
    "report",
    "model",
    "integration",
    "upgrade",
    "audit",
    "reorg",
    "partnership",
    "acquisition",
    "merger",
    "conference",
    "offsite",
    "hackathon",
    "team",
}

# Words that may follow an object "her" (so it is "you", not "your").
_AFTER_OBJECT = {
    "about",
    "after",
    "again",
    "and",
    "as",
    "at",
    "before",
    "but",
    "by",
    "for",
    "from",
    "how",
    "if",
    "in",
    "into",
    "my",
    "of",
    "on",
    "or",
    "our",
    "over",
    "so",
    "that",
    "the",
    "a",
    "an",
    "this",
    "those",
    "these",
    "through",
    "to",
    "up",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "why",
    "with",
    "some",
    "more",
    "all",
    "too",
    "very",
}

_ADVERBS = {
    "also",
    "really",
    "just",
    "still",
    "already",
    "often",
    "never",
    "always",
    "recently",
    "clearly",
    "actually",
    "mostly",
    "mainly",
    "usually",
    "sometimes",
    "then",
}

_IRREGULAR = {
    "is": "are",
    "was": "were",
    "has": "have",
    "does": "do",
    "doesn't": "don't",
    "doesn’t": "don’t",
    "isn't": "aren't",
    "isn’t": "aren’t",
    "wasn't": "weren't",
    "wasn’t": "weren’t",
    "hasn't": "haven't",
    "hasn’t": "haven’t",
    "goes": "go",
}

_CONTRACTIONS = {
    "he's": "you're",
    "she's": "you're",
    "he’s": "you’re",
    "she’s": "you’re",
    "he'd": "you'd",
    "she'd": "you'd",
    "he’d": "you’d",
    "she’d": "you’d",
    "he'll": "you'll",
    "she'll": "you'll",
    "he’ll": "you’ll",
    "she’ll": "you’ll",
    "they're": "you're",
    "they’re": "you’re",
}

# Common words that may open a talking point and are not names: lowercased there.
_COMMON = set(
    [
        "the",
        "a",
        "an",
        "how",
        "what",
        "why",
        "when",
        "where",
        "which",
        "who",
        "whose",
        "our",
        "my",
        "your",
        "this",
        "that",
        "these",
        "those",
        "some",
        "any",
        "each",
        "every",
        "all",
        "both",
        "more",
        "most",
        "much",
        "many",
        "other",
        "another",
        "its",
        "it's",
        "one",
        "two",
        "three",
        "first",
        "second",
        "last",
        "next",
        "new",
        "old",
        "big",
        "small",
        "large",
        "long",
        "short",
        "best",
        "better",
        "good",
        "great",
        "hard",
        "easy",
        "simple",
        "real",
        "open",
        "early",
        "late",
        "weekly",
        "daily",
        "monthly",
        "quarterly",
        "annual",
        "data",
        "team",
        "teams",
        "company",
        "product",
        "products",
        "project",
        "projects",
        "process",
        "processes",
        "plan",
        "plans",
        "planning",
        "goal",
        "goals",
        "work",
        "role",
        "roles",
        "job",
        "question",
        "questions",
        "idea",
        "ideas",
        "problem",
        "problems",
        "challenge",
        "challenges",
        "approach",
        "approaches",
        "way",
        "ways",
        "system",
        "systems",
        "tool",
        "tools",
        "model",
        "models",
        "pipeline",
        "pipelines",
        "report",
        "reports",
        "reporting",
        "dashboard",
        "dashboards",
        "metric",
        "metrics",
        "test",
        "tests",
        "testing",
        "code",
        "review",
        "reviews",
        "design",
        "designs",
        "customer",
        "customers",
        "user",
        "users",
        "client",
        "clients",
        "market",
        "markets",
        "sales",
        "service",
        "services",
        "support",
        "research",
        "analysis",
        "analytics",
        "strategy",
        "roadmap",
        "feature",
        "features",
        "launch",
        "launches",
        "release",
        "releases",
        "migration",
        "migrations",
        "move",
        "moves",
        "shift",
        "change",
        "changes",
        "growth",
        "cost",
        "costs",
        "budget",
        "budgets",
        "price",
        "pricing",
        "revenue",
        "risk",
        "risks",
        "quality",
        "security",
        "privacy",
        "compliance",
        "governance",
        "culture",
        "hiring",
        "onboarding",
        "training",
        "mentoring",
        "leadership",
        "management",
        "manager",
        "managers",
        "engineering",
        "engineers",
        "analyst",
        "analysts",
        "scientist",
        "scientists",
        "developer",
        "developers",
        "stakeholder",
        "stakeholders",
        "meeting",
        "meetings",
        "office",
        "remote",
        "hybrid",
        "travel",
        "on-call",
        "rotation",
        "schedule",
        "deadline",
        "deadlines",
        "timeline",
        "backlog",
        "sprint",
        "sprints",
        "agile",
        "scrum",
        "incident",
        "incidents",
        "outage",
        "outages",
        "monitoring",
        "alerting",
        "logging",
        "performance",
        "latency",
        "scale",
        "scaling",
        "storage",
        "database",
        "databases",
        "warehouse",
        "lake",
        "query",
        "queries",
        "table",
        "tables",
        "schema",
        "schemas",
        "batch",
        "stream",
        "streaming",
        "real-time",
        "realtime",
        "live",
        "row",
        "row-level",
        "column",
        "column-level",
        "field",
        "fields",
        "event",
        "events",
        "late-arriving",
        "late-arriving-data",
        "duplicate",
        "duplicates",
        "missing",
        "null",
        "nulls",
        "error",
        "errors",
        "bug",
        "bugs",
        "fix",
        "fixes",
        "case",
        "cases",
        "study",
        "studies",
        "example",
        "examples",
        "story",
        "stories",
        "lesson",
        "lessons",
        "experience",
        "background",
        "career",
        "path",
        "paths",
        "summer",
        "winter",
        "spring",
        "fall",
        "autumn",
        "season",
        "seasonal",
        "holiday",
        "holidays",
        "weekend",
        "weekends",
        "morning",
        "evening",
        "night",
        "day",
        "week",
        "month",
        "year",
        "quarter",
        "first-quarter",
        "self-serve",
        "self-service",
        "cross-team",
        "cross-functional",
        "end-to-end",
        "front-end",
        "back-end",
        "full-stack",
        "machine",
        "deep",
        "statistical",
        "predictive",
        "forecasting",
        "forecast",
        "forecasts",
        "pricing",
        "churn",
        "retention",
        "acquisition",
        "conversion",
        "funnel",
        "funnels",
        "cohort",
        "cohorts",
        "segment",
        "segments",
        "experiment",
        "experiments",
        "a/b",
        "ab",
        "survey",
        "surveys",
        "feedback",
        "interview",
        "interviews",
        "take-home",
        "exercise",
        "exercises",
        "whiteboard",
        "live-coding",
        "pair",
        "pairing",
        "handoff",
        "handoffs",
        "documentation",
        "docs",
        "standard",
        "standards",
        "best-practice",
        "practices",
        "policy",
        "policies",
        "regulation",
        "regulations",
        "audit",
        "audits",
        "auditor",
        "auditors",
        "legal",
        "finance",
        "financial",
        "accounting",
        "marketing",
        "operations",
        "ops",
        "logistics",
        "supply",
        "chain",
        "fleet",
        "route",
        "routes",
        "routing",
        "delivery",
        "deliveries",
        "shipping",
        "inventory",
        "warehouse",
        "warehouses",
        "store",
        "stores",
        "retail",
        "health",
        "healthcare",
        "claims",
        "claim",
        "patient",
        "patients",
        "hospital",
        "hospitals",
        "care",
        "energy",
        "grid",
        "load",
        "power",
        "weather",
        "ridership",
        "transit",
        "traffic",
        "transport",
    ]
)

_SUFFIXES = (
    "ing",
    "tion",
    "sion",
    "ment",
    "ness",
    "ity",
    "ance",
    "ence",
    "ship",
    "ism",
    "ology",
    "ive",
    "ous",
    "ful",
    "less",
    "able",
    "ible",
)

_GENERIC = {
    "the role",
    "the job",
    "the team",
    "the company",
    "the position",
    "everything",
    "stuff",
    "things",
    "n/a",
    "na",
    "tbd",
    "todo",
    "-",
    "the interview",
    "my experience",
    "my background",
    "my resume",
    "my résumé",
    "work",
}

_ENGLISH_HINTS = {
    "the",
    "an",
    "and",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "my",
    "your",
    "our",
    "how",
    "what",
    "we",
    "you",
    "about",
    "is",
    "was",
    "it",
    "this",
    "that",
}

LONG_WORDS = 30
"""A talking point longer than this many words gets a warning."""

PHRASE_SENTENCES = (
    "I especially enjoyed our conversation about {}.",
    "I keep coming back to our discussion of {}.",
    "What made me most excited about the work was talking about {}.",
    "A highlight of the day for me was our exchange about {}.",
    "I valued the chance to talk with you about {}.",
    "Since we spoke, I have been thinking about {}.",
    "It was great to compare notes on {}.",
    "I found it especially useful to discuss {}.",
    "Thank you for the thoughtful conversation about {}.",
    "What stayed with me most was our talk about {}.",
)
CLAUSE_SENTENCES = (
    "One moment of our conversation stays with me: {}.",
    "I keep thinking about one part of our conversation: {}.",
    "A highlight of the day for me was when {}.",
    "I especially enjoyed one part of our talk: {}.",
    "Something from our conversation has stayed with me: {}.",
    "What I remember best from our talk is that {}.",
    "I have been reflecting on one part of our discussion: {}.",
    "One exchange stood out for me: {}.",
    "I particularly valued the moment when {}.",
    "Part of our conversation is still on my mind: {}.",
)
QUESTION_SENTENCES = (
    "I especially enjoyed discussing the question “{}”",
    "I keep coming back to the question we discussed: “{}”",
    "I am still thinking about the question “{}”",
    "One question from our talk stays with me: “{}”",
    "I enjoyed exploring the question “{}”",
    "Since we spoke, I have been mulling over the question “{}”",
    "It was great to think through the question “{}”",
    "I appreciated the chance to discuss the question “{}”",
    "A highlight of our discussion for me was the question “{}”",
    "I am still turning over the question “{}”",
)
"""The sentence a note uses for each shape of talking point, one wording per person
of a round (the variant). The talking point always ends the sentence, so a long one,
or one with a colon of its own, still reads."""


@dataclass(frozen=True)
class TalkingPoint:
    """A talking point made ready for a note.

    Attributes:
        text: what was typed, on one line.
        shape: ``phrase`` (reads after "our conversation about"), ``clause`` (a full
            sentence, reads after "One moment … stays with me:"), ``question``, or
            ``empty``.
        body: the phrase, clause or question as the note words it (pronouns turned
            to the person addressed: "his tip" → "your tip").
        rest: further sentences typed after the first, as the note words them.
        warnings: why it may read badly, in plain words (empty when it reads well).
    """

    text: str
    shape: str
    body: str
    rest: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    def sentence(self, variant: int = 0) -> str:
        """The sentence (or two) a note uses, in wording number ``variant``."""
        if self.shape == "empty":
            return ""
        pools = {
            "phrase": PHRASE_SENTENCES,
            "clause": CLAUSE_SENTENCES,
            "question": QUESTION_SENTENCES,
        }[self.shape]
        first = pools[variant % len(pools)].format(self.body)
        if first.endswith("?”"):
            pass  # the question mark ends the sentence
        elif first.endswith("”"):
            first += "."
        return " ".join([first, *self.rest])

    @property
    def phrase(self) -> str:
        """The body as it reads after "our conversation about" (a phrase) or on its own."""
        return self.body


def talking_point(text: str, name: str = "") -> TalkingPoint:
    """Read a talking point as typed, for a note to ``name`` (the person addressed).

    >>> talking_point("his tip about QUALIFY", "Daniel Kowalski").sentence()
    'I especially enjoyed our conversation about your tip about QUALIFY.'
    >>> talking_point("She asked how I would handle late events").sentence()
    'One moment of our conversation stays with me: you asked how I would handle late events.'
    """
    raw = str(text or "")
    line = " ".join(raw.split())
    if not line:
        return TalkingPoint("", "empty", "", (), ("Write one specific thing you discussed.",))
    warnings: list[str] = []
    lines = [part.strip() for part in raw.splitlines() if part.strip()]
    if sum(bool(_BULLET.match(part)) for part in lines) >= 2:
        items = [_BULLET.sub("", part).strip() for part in lines]
    else:  # a line starting in lower case goes on the sentence before it
        items = []
        for part in lines:
            if items and part[:1].islower():
                items[-1] += " " + part
            else:
                items.append(_BULLET.sub("", part).strip())
    if len(items) == 1 and ";" in items[0] and not items[0].rstrip().endswith("?"):
        items = [p.strip() for p in items[0].split(";") if p.strip()]
    if len(items) > 1:
        phrases = [_phrase_of(_tidy(i)[0], name) for i in items]
        if len(phrases) > 3:
            warnings.append(
                f"{len(phrases)} things in a list: the note reads better with one or two."
            )
        body = _listed(phrases)
        return TalkingPoint(line, "phrase", body, (), tuple(warnings + _warn(line)))

    sentences = _sentences(line)
    first, *others = sentences
    shape, body = _read(first, name)
    rest = tuple(_capital(_as_sentence(s, name)) for s in others)
    if rest:
        warnings.append(
            "Several sentences: the note reads better with one specific thing in one sentence."
        )
    return TalkingPoint(line, shape, body, rest, tuple(warnings + _warn(line)))


def _read(text: str, name: str) -> tuple[str, str]:
    """``(shape, body)`` of one sentence."""
    text, question = _tidy(text)
    if question:
        words = [w.lower() for w in _WORD.findall(text)]
        if len(words) > 1 and words[0] in _WH and words[1] not in _AUXILIARIES:
            return "phrase", _phrase_of(text, name)  # "why the team chose X?": indirect
        body = _pronouns(text, name)
        return "question", _capital(body) + "?"
    stripped = _DISCUSSED.sub("", text, count=1)
    if stripped != text:
        return "phrase", _phrase_of(stripped, name)
    converted = _pronouns(text, name)
    words = _WORD.findall(converted)
    first = words[0].lower() if words else ""
    second = words[1] if len(words) > 1 else ""
    base = re.split(r"[’']", first)[0]
    if base != first and base in _SUBJECTS:  # "you're", "we've", "it's"
        return "clause", _lower_start(converted, force=base != "i")
    if first in _SUBJECTS and len(words) > 1 and second.isalpha():
        return "clause", _lower_start(converted, force=first != "i")
    if first in _THEIR_VERBS:
        return "clause", "you " + _lower_start(converted, force=True)
    return "phrase", _phrase_of(text, name)


def _as_sentence(text: str, name: str) -> str:
    """A further sentence, worded for the note and ended with a full stop."""
    text, question = _tidy(text)
    body = _pronouns(text, name)
    return body + ("?" if question else ".")


def _tidy(text: str) -> tuple[str, bool]:
    """Text without its closing punctuation; and whether it was a question."""
    text = " ".join(text.split())
    question = text.rstrip("”\"' ").endswith("?")
    quoted = len(text) > 1 and text[0] in "\"“'‘" and text[-1] in "\"”'’"
    if not quoted:
        text = re.sub(r"(?:\.\.\.|…|[.!?;:,])+$", "", text).strip()
    elif question:
        text = text.strip("\"“”'‘’ ").rstrip("?").strip()
    return text, question


def _phrase_of(text: str, name: str) -> str:
    """A noun phrase for "our conversation about …": pronouns, a lowercase start, and
    "the" before a name and a singular noun ("the Looker migration")."""
    text, _ = _tidy(text)
    text = _DISCUSSED.sub("", text, count=1)
    phrase = _lower_start(_pronouns(text, name))
    words = phrase.split()
    if (
        2 <= len(words) <= 4
        and words[0][:1].isupper()
        and words[0].lower() not in _COMMON
        and "'" not in words[0]
        and "’" not in words[0]
        and words[-1].lower() in _COUNTABLE
    ):
        phrase = "the " + phrase
    return phrase


def _sentences(text: str) -> list[str]:
    """Sentences of a line of text (abbreviations like "e.g." and "Inc." kept whole)."""
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z“\"])", text)
    merged: list[str] = []
    for part in parts:
        if merged and re.search(
            r"\b(?:e\.g|i\.e|etc|vs|Inc|Ltd|Co|Mr|Ms|Mrs|Dr|Prof|St|No|approx)\.$", merged[-1]
        ):
            merged[-1] += " " + part
        else:
            merged.append(part)
    return [m for m in merged if m.strip()]


def _pronouns(text: str, name: str = "") -> str:
    """Third-person words about the person addressed, turned to the second person.

    "he", "she", "him", "his", "her", "hers", "himself", "herself" anywhere (with the
    verb after "he"/"she" agreeing: "he wants" → "you want"); "they", "their",
    "them" only at the start (further in, they may be other people); the person's
    own name as a possessive ("Priya's plan" → "your plan") or as the subject that
    opens the text.
    """
    if name:
        for given in {name.split()[0], name} if name.split() else set():
            pattern = re.escape(given)
            text = re.sub(rf"\b{pattern}[’']s\b", "your", text)
            text = re.sub(rf"^{pattern}\b(?=\s+[a-z])", "you", text)
    tokens = re.split(r"(\s+)", text)
    out: list[str] = []
    agree = False  # the next verb follows "he"/"she": make it agree with "you"
    words = [t for t in tokens if t.strip()]
    index = 0
    for token in tokens:
        if not token.strip():
            out.append(token)
            continue
        word_index = index
        index += 1
        lead = re.match(r"^[(“\"'‘]*", token).group()
        tail = re.search(r"[)”\"'’.,;:!?]*$", token[len(lead) :]).group()
        core = token[len(lead) : len(token) - len(tail)] if tail else token[len(lead) :]
        low = core.lower()
        nxt = words[word_index + 1] if word_index + 1 < len(words) else ""
        nxt_low = re.sub(r"^[(“\"'‘]+|[)”\"'’.,;:!?]+$", "", nxt).lower()
        new = core
        if agree and low in _ADVERBS:
            pass
        elif agree:
            new = _agree(core)
            agree = False
        if low in ("he", "she"):
            new, agree = "you", True
            before = next((i for i in range(len(out) - 1, -1, -1) if out[i].strip()), None)
            if before is not None:  # "does she see" → "do you see"
                prior = out[before]
                bare = prior.rstrip("”\"'’.,;:!?")
                if bare.lower() in _IRREGULAR and bare.lower() != "goes":
                    swapped = _IRREGULAR[bare.lower()]
                    if bare[:1].isupper():
                        swapped = swapped[:1].upper() + swapped[1:]
                    out[before] = swapped + prior[len(bare) :]
                    agree = False
        elif low in _CONTRACTIONS and (low.startswith(("he", "she")) or word_index == 0):
            new = _CONTRACTIONS[low]
        elif low == "him":
            new = "you"
        elif low == "his":
            new = "yours" if not nxt_low or tail else "your"
        elif low == "hers":
            new = "yours"
        elif low in ("himself", "herself"):
            new = "yourself"
        elif low == "her":
            object_like = not nxt_low or tail or nxt_low in _AFTER_OBJECT
            new = "you" if object_like else "your"
        elif word_index == 0 and low in ("they", "their", "them", "theirs", "themselves"):
            new = {
                "they": "you",
                "their": "your",
                "them": "you",
                "theirs": "yours",
                "themselves": "yourselves",
            }[low]
        if new != core and core[:1].isupper() and word_index == 0:
            new = new[:1].upper() + new[1:]
        out.append(lead + new + tail)
    return "".join(out)


def _agree(verb: str) -> str:
    """A verb after "he"/"she" as it reads after "you": "wants" → "want"."""
    low = verb.lower()
    if low in _IRREGULAR:
        return _IRREGULAR[low]
    if not low.isalpha() or len(low) < 3 or not low.endswith("s"):
        return verb
    if low.endswith("ies") and len(low) > 4:
        return verb[:-3] + "y"
    if low.endswith(("sses", "shes", "ches", "xes", "zes", "oes")):
        return verb[:-2]
    if low.endswith(("ss", "us", "is")):
        return verb
    return verb[:-1]


def _lower_start(text: str, force: bool = False) -> str:
    """Lowercase the first word when it is a common word, not a name or an acronym."""
    match = re.match(r"^([(“\"'‘]*)([\w’'/-]+)(.*)$", text, re.DOTALL)
    if not match:
        return text
    lead, word, rest = match.groups()
    if word == "I" or not word[:1].isupper() or (lead and not force):
        return text  # "I", a lowercase start, or a quotation: as typed
    if not force:
        if word.isupper() and len(word) > 1:  # an acronym: SQL, QUALIFY
            return text
        if not (word[:1].isupper() and word[1:] == word[1:].lower()):
            return text  # camelCase, dbt-style names: as typed
        low = word.lower()
        head = low.split("-")[0]
        common = low in _COMMON or head in _COMMON or low.endswith(_SUFFIXES)
        if not common or any(ch.isdigit() for ch in word):
            return text
    return lead + word[:1].lower() + word[1:] + rest


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _listed(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _warn(line: str) -> list[str]:
    """Why a talking point may read badly (beyond its shape)."""
    found = []
    words = line.split()
    low = line.lower().strip(" .!")
    if low in _GENERIC or (len(words) < 3 and low.startswith("the ") and low in _GENERIC):
        found.append(
            "Too general to make the note personal: say what you discussed, "
            "e.g. “your plan to retire the old reports”."
        )
    elif len(words) < 2:
        found.append("One word: say a little more about what you discussed.")
    if len(words) > LONG_WORDS:
        found.append(
            f"{len(words)} words: the note reads better with one specific thing in under "
            f"{LONG_WORDS} words."
        )
    letters = [c for c in line if c.isalpha()]
    if len(letters) > 8 and all(c.isupper() for c in letters):
        found.append("Written in capitals: the note would shout; write it in normal case.")
    if re.search(r"https?://|www\.", line):
        found.append("A web address reads oddly in a note: name the thing instead.")
    plain = [re.sub(r"\W", "", w).lower() for w in words]
    if len(plain) >= 4 and not (set(plain) & _ENGLISH_HINTS) and any(ord(c) > 127 for c in line):
        found.append(
            "The note is in English: a talking point in another language is kept as typed, "
            "inside an English sentence."
        )
    return found


# -- greetings ----------------------------------------------------------------------

_FORMAL_TITLES = {"dr": "Dr.", "prof": "Prof.", "professor": "Professor", "doctor": "Dr."}
_COURTESY_TITLES = {"mr": "Mr.", "ms": "Ms.", "mrs": "Mrs.", "mx": "Mx.", "miss": "Miss"}

COMPOUND_GIVEN_NAMES = frozenset(
    name.strip()
    for name in """
    maria jose|jose maria|maria luisa|maria elena|maria fernanda|maria jesus|maria teresa
    maria isabel|maria eugenia|maria victoria|maria cristina|maria angeles|maria pilar
    maria carmen|maria laura|maria paula|maria clara|maria alejandra|maria gabriela
    ana maria|ana sofia|ana paula|ana lucia|ana isabel|ana belen|ana carolina|ana luisa
    juan carlos|juan pablo|juan jose|juan manuel|juan antonio|juan luis|juan diego
    jose luis|jose antonio|jose manuel|jose carlos|jose miguel|jose angel|jose ramon
    luis miguel|luis fernando|luis alberto|miguel angel|francisco javier|pedro pablo
    jean pierre|jean paul|jean luc|jean marc|jean claude|jean baptiste|jean michel
    jean francois|jean louis|jean philippe|marie claire|marie france|marie louise
    marie pierre|marie christine|marie helene|marie laure|anne marie|anne sophie
    anne claire|anne laure|mary ann|mary anne|mary jane|mary kate|mary beth|mary ellen
    mary lou|mary grace|sarah jane|lee ann|leigh ann|anna maria|eva maria|rosa maria
    pier paolo|gian luca|gian marco|gian carlo|hans peter|karl heinz|klaus peter
    hans jurgen|ann marie|billy bob|bobby jo|betty lou|joao pedro|joao paulo
    maria eduarda|ana clara|ana julia|ana beatriz|maria luiza|luiz fernando
    """.replace("\n", "|").split("|")
    if name.strip()
)
"""Given names of two words, greeted whole ("Dear María José"), accents and case ignored."""


def _fold(text: str) -> str:
    """Casefolded, without accents: "María José" → "maria jose"."""
    plain = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in plain if not unicodedata.combining(c)).casefold().split())


@functools.lru_cache(maxsize=4096)
def _is_given_name(word: str) -> bool:
    """Whether a part in brackets or quotes is a name to greet by ("Bob", "Zoë",
    "小李"), not a remark ("the new one", "she/her", "Hiring Manager")."""
    word = word.strip()
    letters = word.replace("-", "").replace("'", "").replace("’", "")
    return bool(letters) and letters.isalpha() and not word[0].islower()


def greeting(name: str, override: str = "") -> str:
    """How a note greets someone: "Dear {greeting}," (``""`` when no name is usable).

    The contact's own greeting when one is recorded; else from the parsed name: a
    nickname ("Robert “Bob” Smith" → "Bob"), a doctor's or professor's title with the
    family name ("Dr. Ana Silva" → "Dr. Silva"), a courtesy title likewise ("Ms.
    Lee"), a two-word given name ("María José Fernández" → "María José"), else the
    given name. A name typed all in capitals or all in lower case is capitalised.
    """
    override = " ".join(str(override or "").split())
    if override:
        return override
    text = " ".join(str(name or "").split())
    if not text:
        return ""
    from nameparser import HumanName

    parsed = HumanName(text)
    if text.isupper() or text.islower():
        parsed.capitalize(force=True)
    if _is_given_name(parsed.nickname):
        return parsed.nickname
    titles = [t.strip(".").lower() for t in parsed.title.split()]
    last = parsed.last
    for t in titles:
        if t in _FORMAL_TITLES and last:
            return f"{_FORMAL_TITLES[t]} {last}"
    first, middle = parsed.first, parsed.middle
    if first and (first.endswith(".") or len(first.rstrip(".")) == 1) and middle:
        first, middle = middle.split()[0], " ".join(middle.split()[1:])  # "J. Robert Smith"
    if first and middle:
        pair = f"{first} {middle.split()[0]}"
        if _fold(pair) in COMPOUND_GIVEN_NAMES:
            return pair
    if first and len(first.rstrip(".")) > 1:
        return first
    for t in titles:
        if t in _COURTESY_TITLES and last:
            return f"{_COURTESY_TITLES[t]} {last}"
        if t in _FORMAL_TITLES and first:
            return f"{_FORMAL_TITLES[t]} {first}"
    if last and not titles:
        return last
    return ""


# -- dates ------------------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def english_locale(locale: str = "", country: str = "") -> str:
    """The English locale drafts write dates in: ``locale`` when it is English; else
    English as written in the locale's (or the country's) territory; else
    international English (``en_001``)."""
    from babel import Locale, UnknownLocaleError

    candidates = []
    if locale:
        try:
            parsed = Locale.parse(locale.replace("-", "_"))
        except (UnknownLocaleError, ValueError):
            parsed = None
        if parsed is not None:
            if parsed.language == "en":
                return str(parsed)
            if parsed.territory:
                candidates.append(f"en_{parsed.territory}")
    if country:
        candidates.append(f"en_{country.upper()}")
    for code in candidates:
        try:
            return str(Locale.parse(code))
        except (UnknownLocaleError, ValueError):
            continue
    return "en_001"


@functools.lru_cache(maxsize=4096)
def long_date(day: dt.date, locale: str = "en_US", with_year: bool = False) -> str:
    """``Tuesday, November 24`` (en_US), ``Tuesday, 24 November`` (en_GB); the year
    too when ``with_year``."""
    from babel import Locale
    from babel.dates import format_date

    pattern = Locale.parse(locale).date_formats["full"].pattern
    if not with_year:
        pattern = re.sub(r",?\s*y+", "", pattern).strip(" ,")
    return format_date(day, pattern, locale=locale)


RECENT_DAYS = 6
"""A day within this many days is named by its weekday alone ("on Thursday")."""


def when_held(day: dt.date, today: dt.date, locale: str = "en_US") -> str:
    """How a note written ``today`` names the day of an interview: ``today``,
    ``yesterday``, ``on Thursday`` within the past few days, else the full date
    (``on Thursday, November 19``)."""
    days = (today - day).days
    if days == 0:
        return "today"
    if days == 1:
        return "yesterday"
    if 1 < days <= RECENT_DAYS:
        return f"on {long_date(day, locale).split(',')[0].split(' ')[0]}"
    return f"on {long_date(day, locale, with_year=day.year != today.year)}"


def sentence_end(text: str) -> str:
    """``text`` ended with a full stop, unless it already ends with one (or ! ?)."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
