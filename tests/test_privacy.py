"""Nothing private leaves, nothing is injected: the bundle, the report and every draft.

A workspace is seeded with hostile and international values (names with commas,
angle brackets and quotes; phone numbers of many countries in many layouts; addresses
with apostrophes and plus signs; pay in ten currencies), then every member of the
coach bundle and the report is scanned, raw and decoded, for each known address,
number and (salaries left out) pay figure.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import io
import json
import quopri
import re
import zipfile
from email import message_from_bytes
from email.policy import default
from urllib.parse import unquote

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import REPO_ROOT, Workspace
from helpers.addresses import EMAIL as DRAFTABLE
from helpers.addresses import mailbox, problem
from helpers.drafts import Draft
from helpers.errors import FieldErrors
from helpers.interview_forms import InterviewForm
from helpers.interviews import record_from_parameters
from helpers.redact import EMAIL as FOUND_EMAIL
from helpers.redact import Options, Redactor
from helpers.report import build_report
from helpers.share import bundle_bytes
from helpers.thankyou import draft_thank_yous
from tests.conftest import tree_digest
from tests.test_forms import click, fill, person

TODAY = dt.date(2026, 11, 25)
HELD = "2026-11-24"
APP = "quarry-labs-product-analyst"

HOSTILE_NAMES = [
    "Kenji Watanabe Tanaka Suzuki, Principal Engineer <attacker@evil.example>, Bob",
    'Siobhán "Shiv" O\'Brien-Ní Mháille',
    "李雷 <li@evil.example>, 王芳",
    "María José García-López de la Vega y Castellanos, Directora de Producto, Madrid",
    "Dr. Ngozi Okonkwo-Adeyemi; bcc: spy@evil.example",
    "=?utf-8?q?Evil?= <evil@evil.example>",
    'Anne-Marie \\ Backslash (the "quoted" one)',
    "Ölaf Þórsson " + "Ξ" * 120,
]
EMAILS = [
    "kenji.watanabe@quarry.example",
    "o'brien@quarry.example",
    "li.lei+jobs@quarry.example",
    "MARIA.GARCIA@Quarry.Example",
    "ngozi_o@quarry.example",
    "evil{name}@quarry.example",
    "anne-marie@quarry.example",
    "olaf.thorsson@quarry.example",
]
# 20 layouts from 10 countries.
PHONES = [
    "+1 312 555 0142",
    "(312) 555-0199",
    "312.555.0177",
    "5550100199",
    "+15550100188",
    "+44 20 7946 0958",
    "020 7946 0321",
    "+49 30 1234567",
    "030/9876543",
    "+33 6 12 34 56 78",
    "06 98 76 54 32",
    "+33612345679",
    "+81 3-1234-5678",
    "+91 98765 43210",
    "+86 138 0013 8000",
    "+61 2 9374 4000",
    "+55 11 91234-5678",
    "+34 612 34 56 78",
    "+7 495 123-45-67",
    "+353 1 234 5678",
]
CURRENCIES = {
    "USD": (95000, 115000),
    "EUR": (72000, 84000),
    "GBP": (61000, 69000),
    "CHF": (131000, 142000),
    "JPY": (12000000, 14500000),
    "INR": (1800000, 2400000),
    "SEK": (450000, 520000),
    "CAD": (98000, 112000),
    "BRL": (216000, 252000),
    "AUD": (123000, 137000),
}
PROFILE_EMAIL = "jordan.o'rivera+search@example.com"
PROFILE_PHONE = "+1 (312) 555-0100"


def _hostile_workspace(ws: Workspace) -> Workspace:
    """The example, plus an interview with hostile people and pay in ten currencies."""
    people = [
        {
            "name": name,
            "email": email,
            "title": "Engineer, <b>Platform</b>",
            "talking_point": (
                f"her tip about calling {PHONES[i]} or writing to {email}, "
                f"and the band of {CURRENCIES['CHF'][0]} CHF"
            ),
        }
        for i, (name, email) in enumerate(zip(HOSTILE_NAMES, EMAILS, strict=True))
    ]
    record_from_parameters(
        ws,
        {
            "company": "Quarry Labs",
            "role": "Product Analyst",
            "held_on": HELD,
            "round": "1",
            "format": "video",
            "people": people,
        },
        TODAY,
    )
    contacts = ws.load("contacts")
    mine = contacts.index[contacts["application_id"] == APP]
    phones = iter(PHONES)
    for i in mine:
        contacts.loc[i, "phone"] = next(phones)
    extra = [
        {
            "contact_id": f"quarry-extra-{n}",
            "application_id": APP,
            "name": f"Extra {n}",
            "phone": phone,
            "notes": f"mobile {phone}",
            "relationship": "other",
        }
        for n, phone in enumerate(phones)
    ]
    contacts = pd.concat([contacts, pd.DataFrame(extra)], ignore_index=True).fillna("")
    ws.save("contacts", contacts.astype("str"))

    apps = ws.load("applications")
    for (code, (low, high)), i in zip(CURRENCIES.items(), apps.index, strict=False):
        apps.loc[i, ["salary_min", "salary_max", "currency"]] = [str(low), str(high), code]
    apps.loc[apps.index[0], "notes"] = "Target pay: 131000 CHF per year; recruiter: +49 30 1234567"
    ws.save("applications", apps)
    research = ws.load("research")
    research = pd.concat(
        [
            research,
            pd.DataFrame(
                [
                    {"application_id": APP, "topic": "other", "note": note, "added_on": HELD}
                    for note in (
                        "Target pay: 131000 CHF per year",
                        "Target pay: ¥12,000,000 (JPY)",
                        "The band is $95k to $115k",
                        "Offer talk: ₹18,00,000 to 24,00,000 INR; 450 000 SEK; R$ 216.000",
                        "Call Ana at +44 20 7946 0958 or o'brien@quarry.example",
                    )
                ]
            ),
        ],
        ignore_index=True,
    ).fillna("")
    ws.save("research", research.astype("str"))
    notes = ws.root / "notes"
    notes.mkdir(exist_ok=True)
    (notes / "quarry-labs.md").write_text(
        "# Quarry Labs\n\nThey pay 72,000 EUR to 84 000 €; £61k–£69k in London.\n"
        "Mail [Shiv](mailto:o%27brien@quarry.example?body=call%20%2B1%20312%20555%200142).\n"
        "HTML-escaped: o&#x27;brien@quarry.example, &#43;44 20 7946 0958.\n",
        encoding="utf-8",
    )
    profile = yaml.safe_load((ws.root / "profile.yml").read_text(encoding="utf-8"))
    profile.update(
        email=PROFILE_EMAIL,
        phone=PROFILE_PHONE,
        signature=f"Jordan Rivera\n{PROFILE_PHONE} · {PROFILE_EMAIL}",
        note_to_self="aiming for 131,000 CHF",
    )
    (ws.root / "profile.yml").write_text(yaml.safe_dump(profile, allow_unicode=True))
    run = draft_thank_yous(ws, TODAY)
    assert run.drafted, "the hostile interview drafted no thank-yous"
    assert ws.check() == []
    return ws


@pytest.fixture
def hostile_ws(example_ws) -> Workspace:
    return _hostile_workspace(example_ws)


# --- scanning ---------------------------------------------------------------------------


def _layers(data: bytes, name: str) -> list[str]:
    """A member's text as stored and decoded every way a value could hide in it."""
    text = data.decode("utf-8", errors="replace")
    # An inline chart's bytes are no text: their base64 letters ("…A88k…") would only
    # make false finds.
    text = re.sub(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]+", "data:image", text)
    found = [text]
    if name.endswith(".ipynb"):
        found.append(json.dumps(json.loads(text), ensure_ascii=False))
    if name.endswith(".eml"):
        msg = message_from_bytes(data, policy=default)
        found += [str(v) for _, v in msg.items()]
        found += [p.get_content() for p in msg.walk() if p.get_content_maintype() == "text"]
        found.append(quopri.decodestring(data).decode("utf-8", errors="replace"))
    for run in re.findall(r"[A-Za-z0-9+/]{16,}={0,2}", text):
        with contextlib.suppress(ValueError):
            found.append(base64.b64decode(run, validate=True).decode("utf-8"))
    more = []
    for layer in found:
        decoded = layer
        for _ in range(3):
            decoded = html.unescape(unquote(decoded))
        more.append(decoded)
    return found + more


def _digits_runs(text: str) -> set[str]:
    return {re.sub(r"\D", "", r) for r in re.findall(r"\+?\d(?:[\s().\-/]{0,3}\d)+", text)}


def _national(phone: str) -> str:
    import phonenumbers

    return phonenumbers.national_significant_number(phonenumbers.parse(phone, "US"))


def _amount_forms(value: int) -> list[str]:
    plain = str(value)
    grouped = f"{value:,}"
    forms = [plain, grouped, grouped.replace(",", "."), grouped.replace(",", " ")]
    if value % 1000 == 0 and value < 1_000_000:
        forms.append(f"{value // 1000}k")
    return forms


def known(ws: Workspace) -> dict[str, list]:
    """Every address, number and pay figure of the workspace: what must not leak."""
    tables = ws.load_all()
    profile = yaml.safe_load((ws.root / "profile.yml").read_text(encoding="utf-8"))
    emails = {e.lower() for e in [*tables["contacts"]["email"], profile["email"]] if e}
    phones = {p: _national(p) for p in [*tables["contacts"]["phone"], profile["phone"]] if p}
    apps, comps = tables["applications"], tables["comps"]
    # Hourly rates (48, 65) are left out with the comparables table; in free text a bare
    # "48" cannot be told from "48 branches", so figures of 1 000 and more are sought.
    pay = [*apps["salary_min"], *apps["salary_max"], *comps["salary_min"], *comps["salary_max"]]
    amounts = {int(float(v)) for v in pay if v and float(v) >= 1000}
    assert {*EMAILS} <= {*emails} | {e for e in EMAILS if e.lower() in emails}
    return {"emails": sorted(emails), "phones": sorted(phones.items()), "amounts": sorted(amounts)}


def leaks(
    members: dict[str, bytes], values: dict[str, list], *, contacts: bool, salaries: bool
) -> list[str]:
    """Every known private value found in any member, raw or decoded (the workbook's own
    files, byte for byte as shipped, carry nothing of the user's and are not scanned:
    the README and the code quote example numbers)."""
    found = []
    for name, data in members.items():
        shipped = REPO_ROOT / name
        if shipped.is_file() and shipped.read_bytes() == data:
            continue
        for layer in _layers(data, name):
            low = layer.lower()
            runs = _digits_runs(layer)
            if contacts:
                found += [f"{name}: {e}" for e in values["emails"] if e in low]
                found += [
                    f"{name}: {p}" for p, n in values["phones"] if any(n in run for run in runs)
                ]
            if salaries:
                for value in values["amounts"]:
                    for form in _amount_forms(value):
                        if re.search(rf"(?<![\d.,]){re.escape(form)}(?![\d])", layer):
                            found.append(f"{name}: {form}")
    return sorted(set(found))


def _bundle(ws, options) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(bundle_bytes(ws, TODAY, options))) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_the_scan_finds_every_planted_value(hostile_ws):
    """The scanner itself: with nothing redacted, it finds what the workspace holds."""
    members = _bundle(hostile_ws, Options(include_contacts=True, include_salaries=True))
    values = known(hostile_ws)
    assert len(values["emails"]) >= 10 and len(values["phones"]) >= 20
    assert len(values["amounts"]) >= 20
    found = leaks(members, values, contacts=True, salaries=True)
    assert any("o'brien@quarry.example" in f for f in found)
    assert any("+44 20 7946 0958" in f for f in found)
    assert any("06 98 76 54 32" in f for f in found)
    assert any(": 131000" in f or ": 131,000" in f for f in found)
    assert any(m.endswith(".eml") for m in members)


@pytest.mark.parametrize("salaries", [True, False], ids=["with-salaries", "without-salaries"])
def test_the_bundle_and_report_leak_no_known_value(hostile_ws, salaries):
    options = Options(include_contacts=False, include_salaries=salaries)
    members = _bundle(hostile_ws, options)
    scanned = [n for n in members if not (REPO_ROOT / n).is_file() or n.endswith(".ipynb")]
    assert len(scanned) >= 25
    members["report.html"] = build_report(hostile_ws, TODAY, options).encode("utf-8")
    assert leaks(members, known(hostile_ws), contacts=True, salaries=not salaries) == []
    # What the coach gets is still useful: the people, the drafts, the notes.
    assert not any(m.endswith(".eml") for m in members)
    drafts = [m for m in members if m.startswith("data/drafts/") and m.endswith(".md")]
    assert len(drafts) >= len(HOSTILE_NAMES)
    text = members[drafts[0]].decode()
    assert "mailto:" not in text and "(mail link left out of this shared copy)" in text
    contacts = members["data/contacts.csv"].decode()
    assert "Kenji Watanabe" in contacts and "[phone]" in contacts
    readme = members["README-COACH.md"].decode()
    assert "What this copy leaves out" in readme and ".eml" in readme


def test_bundled_notebooks_carry_no_outputs_or_widget_state(hostile_ws):
    members = _bundle(hostile_ws, Options())
    notebooks = {n: json.loads(d) for n, d in members.items() if n.endswith(".ipynb")}
    assert len(notebooks) >= 6
    for name, nb in notebooks.items():
        assert "widgets" not in nb["metadata"] and "papermill" not in nb["metadata"], name
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None, name


def test_salaries_left_out_reach_research_and_profile(hostile_ws):
    members = _bundle(hostile_ws, Options(include_contacts=True, include_salaries=False))
    research = members["data/research.csv"].decode()
    assert "Target pay: [amount] per year" in research
    assert "[amount]" in members["data/profile.yml"].decode()
    assert leaks(members, known(hostile_ws), contacts=False, salaries=True) == []


# --- address headers --------------------------------------------------------------------


@pytest.mark.parametrize("name", [*HOSTILE_NAMES, "A" * 300, "Lǐ Léi " * 40, ""])
def test_every_eml_has_exactly_the_intended_recipient(name):
    for email in EMAILS:
        draft = Draft(name, email, "Thank you — a long subject " * 4, "Body\n")
        msg = message_from_bytes(draft.eml(), policy=default)
        assert [a.addr_spec for a in msg["To"].addresses] == [email]
        assert len(msg.get_all("To")) == 1 and msg.get_all("Cc") is None


def test_the_hostile_interview_drafts_address_one_person_each(hostile_ws):
    emls = sorted((hostile_ws.root / "drafts").rglob("*.eml"))
    quarry = [p for p in emls if "quarry" in str(p)]
    assert len(quarry) == len(HOSTILE_NAMES)
    for path in quarry:
        msg = message_from_bytes(path.read_bytes(), policy=default)
        [to] = msg["To"].addresses
        assert to.addr_spec in EMAILS
        [sender] = msg["From"].addresses
        assert sender.addr_spec == PROFILE_EMAIL


REFUSED = ["ana..silva@quarry.example", ".a@x.example", "a.@x.example", "lǐ.léi@example.com"]


@pytest.mark.parametrize("email", REFUSED)
def test_undraftable_addresses_are_refused_before_saving_the_yaml_way(example_ws, email):
    before = tree_digest(example_ws.root)
    record = {
        "company": "Quarry Labs",
        "role": "Product Analyst",
        "held_on": HELD,
        "people": [{"name": "Ana", "email": email, "talking_point": "the roadmap"}],
    }
    with pytest.raises(FieldErrors) as err:
        record_from_parameters(example_ws, record, TODAY)
    assert "people.0.email" in err.value.errors
    assert email in err.value.errors["people.0.email"]
    assert tree_digest(example_ws.root) == before


@pytest.mark.parametrize("email", REFUSED)
def test_undraftable_addresses_are_refused_before_saving_in_the_form(example_ws, email):
    before = tree_digest(example_ws.root)
    form = InterviewForm(example_ws, TODAY)
    fill(form, company="Quarry Labs", role="Product Analyst", round="1")
    form._fields["held_on"].value = dt.date(2026, 11, 24)
    person(form.people.children[0], name="Ana", email=email, talking_point="the roadmap")
    click(form, "Save")
    assert "Saved" not in form.status.value
    assert tree_digest(example_ws.root) == before


def test_a_hand_edited_undraftable_address_is_reported_by_file_row_and_column(example_ws):
    contacts = (example_ws.root / "contacts.csv").read_text(encoding="utf-8")
    first = contacts.splitlines()[1].split(",")[4]
    assert "@" in first
    (example_ws.root / "contacts.csv").write_text(
        contacts.replace(first, "ana..silva@quarry.example", 1), encoding="utf-8"
    )
    [found] = [p for p in example_ws.check() if p.column == "email"]
    assert found.file == "contacts.csv" and found.row == 2


ADDRESS = st.from_regex(DRAFTABLE, fullmatch=True).filter(lambda a: len(a) <= 254)


@settings(max_examples=300, deadline=None)
@given(address=ADDRESS, name=st.text(max_size=120))
def test_every_accepted_address_drafts_and_is_found_by_redaction(address, name):
    assert problem(address) is None
    built = mailbox(name, address)
    assert built.addr_spec == address
    msg = message_from_bytes(Draft(name, address, "S", "B").eml(), policy=default)
    assert [a.addr_spec for a in msg["To"].addresses] == [address]
    assert FOUND_EMAIL.fullmatch(address)
    assert address not in Redactor(Options())(f"write to {address}, today")


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("+49 30 1234567", "[phone]"),
        ("+15550100199", "[phone]"),
        ("+33612345678", "[phone]"),
        ("o'brien@example.com", "[email]"),
        ("o&#x27;brien@example.com", "[email]"),
        ("call %2B1%20555%200100 now", "call %5Bphone%5D now"),
        ("Round 2 on 2026-12-03 at 10:30, 45 minutes", None),
        ("hourly × 2080 (40 hours × 52 weeks)", None),
    ],
)
def test_redaction_by_shape(text, shown):
    assert Redactor(Options())(text) == (text if shown is None else shown)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("06 12 34 56 78", "[phone]"),
        ("5550100199", "[phone]"),
        ("my cell: (0)30 123 45 67", "my cell: [phone]"),
    ],
)
def test_redaction_of_known_numbers_in_any_layout(text, shown):
    red = Redactor(Options(), phones=["+33 6 12 34 56 78", "555 010 0199", "+49 30 1234567"])
    assert red(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "Target pay: 131000 CHF per year",
        "¥12,000,000",
        "12 000 000 JPY",
        "₹18,00,000",
        "450 000 SEK",
        "R$ 216.000",
        "$95k",
        "€72.000",
        "kr 450000",
        "CHF 131'000",
        "₩52,000,000",
        "1.2m USD",
    ],
)
def test_pay_in_any_currency_is_left_out_when_asked(text):
    out = Redactor(Options(include_salaries=False))(text)
    assert not re.search(r"\d{2}", out), out
    assert Redactor(Options(include_salaries=True))(text) == text
