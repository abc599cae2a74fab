"""Talking points become a grammatical part of the note, whatever their shape.

``tests/talking_points.csv`` holds real-looking talking points (phrases, full
sentences, third-person pronouns anywhere, questions, lists, quotes, other
languages) with the person the note goes to, and the sentence the note must say
(its first wording) — each expected sentence was written and read by a person, not
recomputed. ``warns`` marks those the form must warn about.
"""

from __future__ import annotations

import csv
import re

import pytest

from helpers.grammar import (
    CLAUSE_SENTENCES,
    PHRASE_SENTENCES,
    QUESTION_SENTENCES,
    talking_point,
)
from tests.conftest import TESTS_DIR

CASES = list(csv.DictReader((TESTS_DIR / "talking_points.csv").open(encoding="utf-8")))


def test_the_set_is_large_and_varied():
    assert len(CASES) >= 40
    shapes = {c["shape"] for c in CASES}
    assert shapes == {"phrase", "clause", "question"}
    texts = [c["talking_point"] for c in CASES]
    assert any("\n- " in t for t in texts), "a list"
    assert any('"' in t for t in texts), "a quotation"
    assert any(t.rstrip().endswith("?") for t in texts), "a question"
    assert any(re.search(r"\b(he|she|his|her|their)\b", t, re.I) for t in texts), "pronouns"
    assert any(not t.isascii() for t in texts), "another language"


@pytest.mark.parametrize("case", CASES, ids=[c["talking_point"][:40] for c in CASES])
def test_each_talking_point_reads_as_written_by_hand(case):
    point = talking_point(case["talking_point"], case["person"])
    assert point.sentence(0) == case["expected"]
    assert point.shape == case["shape"]
    assert bool(point.warnings) == (case["warns"] == "yes"), point.warnings


@pytest.mark.parametrize("case", CASES, ids=[c["talking_point"][:40] for c in CASES])
def test_no_note_speaks_of_its_reader_in_the_third_person(case):
    sentence = talking_point(case["talking_point"], case["person"]).sentence(0)
    first = case["person"].split()[0]
    # Pronouns about the reader became "you"; only other people stay in the third person.
    if not re.search(r"\b(team's|analysts|managers)\b", case["talking_point"]):
        assert not re.search(r"\b(he|she|him|his|hers)\b", sentence, re.I), sentence
    assert f"{first}'s" not in sentence
    # One sentence start, no doubled full stops, a capital only where it belongs.
    assert not re.search(r"\.\.(?!\.)", sentence)
    assert not re.search(r"(about|of|on|discuss) [A-Z][a-z]+ (asked|talked|discussed)", sentence)


@pytest.mark.parametrize("case", CASES[:12], ids=[c["talking_point"][:40] for c in CASES[:12]])
def test_every_wording_is_a_different_sentence(case):
    point = talking_point(case["talking_point"], case["person"])
    sentences = [point.sentence(v) for v in range(10)]
    assert len(set(sentences)) == 10
    assert all(point.body in s or point.body[:20] in s for s in sentences)


def test_the_pools_have_ten_distinct_wordings_each():
    for pool in (PHRASE_SENTENCES, CLAUSE_SENTENCES, QUESTION_SENTENCES):
        assert len(pool) == len(set(pool)) == 10


def test_an_empty_talking_point_is_asked_for():
    point = talking_point("   ")
    assert (point.shape, point.sentence()) == ("empty", "")
    assert point.warnings
