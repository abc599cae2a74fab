"""The classification rules: which phrases make a reply an invitation, a rejection or
an offer, and which subjects are mail sent to many. One table, in order, each rule
with the reason it gives."""

from __future__ import annotations

import re

TEXT_LIMIT = 20_000
"""Characters of a message's text the classification rules look at."""

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


def phrase_pattern(phrase: str) -> re.Pattern:
    """A phrase as a pattern: whole words, any case, any spacing between them."""
    words = [re.escape(w) for w in phrase.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", re.IGNORECASE)


_RULES = [(kind, phrase, phrase_pattern(phrase)) for kind, phrase in CLASSIFICATION_RULES]
_BULK = [(phrase, phrase_pattern(phrase)) for phrase in BULK_PHRASES]


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
