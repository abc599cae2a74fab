"""Redaction of what a user shares: contact details, and pay figures when asked.

One :class:`Redactor` per shared report or bundle. It removes, wherever they appear:

- every email address and phone number the workspace knows (contacts, profile), by
  value: a phone number in any layout of its digits ("+49 30 1234567", "030/1234567",
  "(0)30 123 45 67"), an address in any letter case;
- email addresses and phone numbers it does not know: addresses by their syntax,
  numbers with ``phonenumbers``' matcher (the profile's country as the default region);
- with salaries left out, every known pay figure (salary columns, comparables) in any
  layout ("131000", "131,000", "131 000", "131k"), and any amount written with a
  currency code or symbol (ISO 4217 codes and the symbols of Babel's locale data, plus
  every Unicode currency sign) or as "95k".

Each is found in the plain text and inside URL-encoded (``%2B1%20555``) and
HTML-escaped (``o&#x27;brien``) runs, which are decoded, redacted and encoded again.
"""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote, unquote

EMAIL_MARK = "[email]"
PHONE_MARK = "[phone]"
AMOUNT_MARK = "[amount]"

EMAIL = re.compile(
    r"(?<![\w.!#$%&'*+/=?^`{|}~-])"
    r"[\w!#$%&'*+/=?^`{|}~-]+(?:\.[\w!#$%&'*+/=?^`{|}~-]+)*"
    r"@[\w](?:[\w-]*[\w])?(?:\.[\w](?:[\w-]*[\w])?)+"
)
"""Anything shaped like an address, ASCII or not (wider than what drafting accepts)."""
DIGIT_RUN = re.compile(r"\+?\(?\d(?:[\s().\-/\u00a0\u202f]{0,3}\d)+")
"""A run of digits with the separators phone numbers are written with: where known
numbers are looked for (a tokeniser, not a test of what is a phone number)."""
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PERCENT_RUN = re.compile(r"[^\s?&=#()<>\[\]\"'|]*%[0-9A-Fa-f]{2}[^\s?&=#()<>\[\]\"'|]*")
ENTITY_RUN = re.compile(r"\S*&(?:#\d+|#[xX][0-9A-Fa-f]+|[A-Za-z]+);\S*")
MIN_PHONE_DIGITS = 7
MIN_KNOWN_DIGITS = 6


@dataclass(frozen=True)
class Options:
    """What goes into a report or a bundle."""

    include_contacts: bool = False
    include_salaries: bool = True


DEFAULT = Options()
"""Contact details redacted, salaries included."""


@functools.cache
def _currency_pattern() -> re.Pattern:
    """An amount with a currency code or symbol before or after it, or "95k"."""
    from babel import Locale
    from babel.localedata import locale_identifiers
    from babel.numbers import list_currencies

    codes = set(list_currencies())
    symbols: set[str] = set()
    wanted = {"en", "de", "fr", "es", "it", "pt", "ja", "zh", "ko", "hi", "ru", "pl", "sv"}
    wanted |= {"da", "nb", "fi", "cs", "hu", "tr", "ar", "he", "th", "vi", "id", "uk", "ro"}
    wanted |= {"en_IN", "en_AU", "en_CA", "de_CH", "fr_CH", "pt_BR", "es_MX", "zh_Hant", "bn"}
    for name in sorted(wanted & set(locale_identifiers())):
        symbols |= {s.strip("\u200e\u200f") for s in Locale.parse(name).currency_symbols.values()}
    signs = {chr(c) for c in range(0x20, 0x30000) if unicodedata.category(chr(c)) == "Sc"}
    symbols |= signs | {"円", "元", "лв", "lei", "Fr.", "SFr."}
    symbols -= {""}
    alternatives = "|".join(re.escape(s) for s in sorted(codes | symbols, key=len, reverse=True))
    unit = rf"(?:{alternatives})"
    number = r"\d(?:[\d,.'\u00a0\u202f ]*\d)?(?:\s?(?:[kKmM]|mn|Mio\.?|lakh|crore)\b)?"
    word_edge = r"(?<![A-Za-z])"
    return re.compile(
        rf"{word_edge}{unit}\s?-?{number}"  # $95k, CHF 131000, ¥12,000,000, R$ 9.000
        rf"|{number}\s?{unit}(?![A-Za-z])"  # 131000 CHF, 95 000 €, 1,20,000 ₹
        r"|(?<![\w.])\d{1,3}(?:[.,]\d)?\s?[kK](?![A-Za-z])"  # 95k, 112.5K
    )


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


NUMBER = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?"
    r"(?:\s?[kK](?![A-Za-z]))?(?!\d)"
)
"""A number as pay is written: 131000, 131,000, 131 000, 131.000, 131k, 112.5K."""


def _value(number: str) -> int | None:
    """The whole amount a :data:`NUMBER` stands for (131k → 131000)."""
    text = number.strip()
    thousands = text[-1:] in "kK"
    text = text.rstrip("kK").strip()
    grouped = re.fullmatch(r"(\d{1,3}(?:[,.' \u00a0\u202f]\d{3})+)(?:[.,](\d+))?", text)
    if grouped:
        whole, fraction = re.sub(r"\D", "", grouped[1]), grouped[2] or ""
    else:
        whole, _, fraction = re.sub(r"[,]", ".", text).partition(".")
    try:
        value = float(f"{whole}.{fraction or 0}")
    except ValueError:
        return None
    return round(value * 1000) if thousands else round(value)


def _amounts(values: Iterable[str]) -> frozenset[int]:
    known = set()
    for raw in values:
        text = str(raw or "").strip()
        if re.fullmatch(r"\d+(?:\.\d+)?", text) and float(text) >= 1000:
            known.add(round(float(text)))
    return frozenset(known)


class Redactor:
    """Removes known and found contact details (and, if asked, pay figures) from text.

    Args:
        options: what to keep (:class:`Options`).
        emails: the email addresses the workspace knows.
        phones: the phone numbers the workspace knows, as typed.
        amounts: known pay figures (plain numbers), removed when salaries are left out.
        region: the default region for numbers written without a country code.
    """

    def __init__(
        self,
        options: Options = DEFAULT,
        *,
        emails: Iterable[str] = (),
        phones: Iterable[str] = (),
        amounts: Iterable[str] = (),
        region: str = "US",
    ):
        self.options = options
        self.region = (region or "US").upper()
        self.contacts = not options.include_contacts
        self.salaries = not options.include_salaries
        # Known addresses need no list of their own: :data:`EMAIL` matches every address
        # the workspace accepts (helpers.addresses), whatever its letter case.
        self.emails = frozenset(e.strip().lower() for e in emails if e and "@" in e)
        self._phones = self._known_phones(phones)
        self._amounts = _amounts(amounts) if self.salaries else frozenset()

    @classmethod
    def for_workspace(cls, tables, profile, options: Options = DEFAULT) -> Redactor:
        """A redactor that knows every address, number and pay figure of a workspace."""
        contacts = tables["contacts"]
        apps = tables["applications"]
        amounts = [*apps["salary_min"], *apps["salary_max"]]
        if "comps" in tables:
            comps = tables["comps"]
            amounts += [
                v for c in comps.columns if c.endswith(("min", "max", "amount")) for v in comps[c]
            ]
        return cls(
            options,
            emails=[*contacts["email"], profile.email],
            phones=[*contacts["phone"], profile.phone],
            amounts=amounts,
            region=profile.country,
        )

    def _known_phones(self, phones: Iterable[str]) -> tuple[frozenset[str], frozenset[str]]:
        """What a run of digits may end with to be a known number (its national
        significant number, or the digits as written), and what it may be the end of
        (any 7 or more final digits of a number as written, with or without its
        country code): "+1 312 555 0142" is found as "312-555-0142" and "555 0142"."""
        import phonenumbers

        endings, tails = set(), set()
        for phone in phones:
            digits = _digits(phone or "")
            if len(digits) < MIN_KNOWN_DIGITS:
                continue
            forms = {digits}
            try:
                parsed = phonenumbers.parse(phone, self.region)
                significant = phonenumbers.national_significant_number(parsed)
                if len(significant) >= MIN_KNOWN_DIGITS:
                    forms |= {significant, f"{parsed.country_code}{significant}"}
            except phonenumbers.NumberParseException:
                pass
            endings |= forms
            tails |= {f[i:] for f in forms for i in range(len(f) - MIN_PHONE_DIGITS + 1)}
        return frozenset(endings), frozenset(tails)

    # --- the passes ---------------------------------------------------------------------

    def __call__(self, text) -> str:
        text = str(text or "")
        if not (self.contacts or self.salaries) or not text:
            return text
        if "%" in text:
            text = PERCENT_RUN.sub(lambda m: self._encoded(m[0], unquote, _requote), text)
        if "&" in text:
            text = ENTITY_RUN.sub(lambda m: self._encoded(m[0], html.unescape, html.escape), text)
        return self._plain(text)

    def _encoded(self, run: str, decode, encode) -> str:
        decoded = decode(run)
        if decoded == run:
            return run
        cleaned = self._plain(decoded)
        return run if cleaned == decoded else encode(cleaned)

    def _plain(self, text: str) -> str:
        if self.contacts:
            text = EMAIL.sub(EMAIL_MARK, text)
            if self._phones[0]:
                text = DIGIT_RUN.sub(self._known_phone, text)
            text = self._found_phones(text)
        if self.salaries:
            text = _currency_pattern().sub(AMOUNT_MARK, text)
            if self._amounts:
                text = NUMBER.sub(self._known_amount, text)
        return text

    def _known_phone(self, match: re.Match) -> str:
        digits = _digits(match[0])
        endings, tails = self._phones
        if len(digits) >= MIN_KNOWN_DIGITS and (
            digits in tails or any(digits[-n:] in endings for n in range(6, len(digits) + 1))
        ):
            return PHONE_MARK
        return match[0]

    def _known_amount(self, match: re.Match) -> str:
        return AMOUNT_MARK if _value(match[0]) in self._amounts else match[0]

    def _found_phones(self, text: str) -> str:
        """Numbers ``phonenumbers`` finds (7 digits or more, never a date)."""
        if sum(c.isdigit() for c in text) < MIN_PHONE_DIGITS:
            return text
        from phonenumbers import Leniency, PhoneNumberMatcher

        spans = [
            (m.start, m.end)
            for m in PhoneNumberMatcher(text, self.region, leniency=Leniency.POSSIBLE)
            if len(_digits(m.raw_string)) >= MIN_PHONE_DIGITS and not ISO_DATE.search(m.raw_string)
        ]
        for start, end in reversed(spans):
            text = text[:start] + PHONE_MARK + text[end:]
        return text

    def all(self, values) -> list[str]:
        """The redaction of every value, each distinct value done once."""
        values = [str(v or "") for v in values]
        if not (self.contacts or self.salaries):
            return values
        done: dict[str, str] = {}
        return [done[v] if v in done else done.setdefault(v, self(v)) for v in values]


def _requote(text: str) -> str:
    return quote(text, safe="@:/+")


def redact(text: str, options: Options = DEFAULT, region: str = "US") -> str:
    """``text`` with contact details (and, if asked, amounts) found by their shape."""
    return Redactor(options, region=region)(text)
