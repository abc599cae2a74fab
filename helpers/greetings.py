"""How a note greets someone, from their parsed name (``nameparser``): titles
("Dr. Silva"), compound given names ("María José"), nicknames, or the contact's own
greeting when one is recorded."""

from __future__ import annotations

import functools
import unicodedata

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
