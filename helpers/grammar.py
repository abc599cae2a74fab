"""Talking points that read as written by hand.

- :func:`talking_point` turns what the user typed about a person (a phrase, a full
  sentence, a question, a list; with "he", "her", "their team's" anywhere in it)
  into a grammatical part of a note addressed to that person; :meth:`TalkingPoint.
  sentence` gives the sentence a note uses, in as many wordings as a round has
  people, and :attr:`TalkingPoint.warnings` says when it will read badly (the
  interview form shows both as you type).

The word lists it reads with are in :mod:`helpers.english_words`; greetings are in
:mod:`helpers.greetings`, dates as the profile's locale writes them in
:mod:`helpers.dates`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers import english_words as en

# -- talking points ----------------------------------------------------------------

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
    if sum(bool(en.BULLET.match(part)) for part in lines) >= 2:
        items = [en.BULLET.sub("", part).strip() for part in lines]
    else:  # a line starting in lower case goes on the sentence before it
        items = []
        for part in lines:
            if items and part[:1].islower():
                items[-1] += " " + part
            else:
                items.append(en.BULLET.sub("", part).strip())
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
        words = [w.lower() for w in en.WORD.findall(text)]
        if len(words) > 1 and words[0] in en.WH and words[1] not in en.AUXILIARIES:
            return "phrase", _phrase_of(text, name)  # "why the team chose X?": indirect
        body = _pronouns(text, name)
        return "question", _capital(body) + "?"
    stripped = en.DISCUSSED.sub("", text, count=1)
    if stripped != text:
        return "phrase", _phrase_of(stripped, name)
    converted = _pronouns(text, name)
    words = en.WORD.findall(converted)
    first = words[0].lower() if words else ""
    second = words[1] if len(words) > 1 else ""
    base = re.split(r"[’']", first)[0]
    if base != first and base in en.SUBJECTS:  # "you're", "we've", "it's"
        return "clause", _lower_start(converted, force=base != "i")
    if first in en.SUBJECTS and len(words) > 1 and second.isalpha():
        return "clause", _lower_start(converted, force=first != "i")
    if first in en.THEIR_VERBS:
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
    text = en.DISCUSSED.sub("", text, count=1)
    phrase = _lower_start(_pronouns(text, name))
    words = phrase.split()
    if (
        2 <= len(words) <= 4
        and words[0][:1].isupper()
        and words[0].lower() not in en.COMMON
        and "'" not in words[0]
        and "’" not in words[0]
        and words[-1].lower() in en.COUNTABLE
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
        text = _name_as_you(text, name)
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
        new = core
        if agree and low in en.ADVERBS:
            pass
        elif agree:
            new = _agree(core)
            agree = False
        if low in ("he", "she"):
            new = "you"
            agree = not _agree_before(out)
        else:
            nxt = words[word_index + 1] if word_index + 1 < len(words) else ""
            nxt_low = re.sub(r"^[(“\"'‘]+|[)”\"'’.,;:!?]+$", "", nxt).lower()
            new = _second_person(low, nxt_low, tail, word_index == 0) or new
        if new != core and core[:1].isupper() and word_index == 0:
            new = new[:1].upper() + new[1:]
        out.append(lead + new + tail)
    return "".join(out)


def _name_as_you(text: str, name: str) -> str:
    """The person's name (or first name) as a possessive, or opening the text as the
    subject, turned to "your" and "you"."""
    for given in {name.split()[0], name} if name.split() else set():
        pattern = re.escape(given)
        text = re.sub(rf"\b{pattern}[’']s\b", "your", text)
        text = re.sub(rf"^{pattern}\b(?=\s+[a-z])", "you", text)
    return text


def _agree_before(out: list[str]) -> bool:
    """The verb before "he"/"she" made to agree with "you" ("does she see" → "do you
    see"), in ``out``; whether there was one."""
    before = next((i for i in range(len(out) - 1, -1, -1) if out[i].strip()), None)
    if before is None:
        return False
    prior = out[before]
    bare = prior.rstrip("”\"'’.,;:!?")
    if bare.lower() not in en.IRREGULAR or bare.lower() == "goes":
        return False
    swapped = en.IRREGULAR[bare.lower()]
    if bare[:1].isupper():
        swapped = swapped[:1].upper() + swapped[1:]
    out[before] = swapped + prior[len(bare) :]
    return True


# Third-person words that are the second person wherever they stand; "his" and "her"
# depend on the word after them, the plural ones are turned only at the start.
_YOU_ALWAYS = {"him": "you", "hers": "yours", "himself": "yourself", "herself": "yourself"}
_YOU_FIRST = {
    "they": "you",
    "their": "your",
    "them": "you",
    "theirs": "yours",
    "themselves": "yourselves",
}


def _second_person(low: str, nxt_low: str, tail: str, first: bool) -> str | None:
    """A pronoun (lowercased, other than "he"/"she") in the second person, or ``None``
    for another word; ``nxt_low`` is the next word, ``tail`` the punctuation after."""
    if low in en.CONTRACTIONS and (low.startswith(("he", "she")) or first):
        return en.CONTRACTIONS[low]
    if low in _YOU_ALWAYS:
        return _YOU_ALWAYS[low]
    if low == "his":
        return "yours" if not nxt_low or tail else "your"
    if low == "her":
        object_like = not nxt_low or tail or nxt_low in en.AFTER_OBJECT
        return "you" if object_like else "your"
    if first and low in _YOU_FIRST:
        return _YOU_FIRST[low]
    return None


def _agree(verb: str) -> str:
    """A verb after "he"/"she" as it reads after "you": "wants" → "want"."""
    low = verb.lower()
    if low in en.IRREGULAR:
        return en.IRREGULAR[low]
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
        common = low in en.COMMON or head in en.COMMON or low.endswith(en.SUFFIXES)
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
    if low in en.GENERIC or (len(words) < 3 and low.startswith("the ") and low in en.GENERIC):
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
    if len(plain) >= 4 and not (set(plain) & en.ENGLISH_HINTS) and any(ord(c) > 127 for c in line):
        found.append(
            "The note is in English: a talking point in another language is kept as typed, "
            "inside an English sentence."
        )
    return found


def sentence_end(text: str) -> str:
    """``text`` ended with a full stop, unless it already ends with one (or ! ?)."""
    text = str(text).rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."
