"""Your mailbox, offline: mailboxes generated here, in all three formats, with ground truth."""

from __future__ import annotations

import datetime as dt
import mailbox
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest

from helpers import mail_import, mail_read
from helpers.mail_import import apply, classify, preview, read_mbox, sources
from helpers.profile import load_profile
from helpers.rules import follow_up_state
from helpers.standing import search_standing
from helpers.thankyou import draft_thank_yous
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)
ME = "jordan.rivera@example.com"


def when(day: int, hour: int = 10) -> str:
    return format_datetime(dt.datetime(2026, 11, day, hour, tzinfo=dt.UTC))


def message(sender, to, subject, body, day=25, *, html=False, headers=None, msgid=True):
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = when(day)
    if msgid:
        msg["Message-ID"] = make_msgid(domain="mail.example")
    for name, value in (headers or {}).items():
        msg[name] = value
    if html:
        msg.set_content(body, subtype="html")
    else:
        msg.set_content(body)
    return msg.as_bytes()


def write_mbox(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.mbox(path)
    for raw in messages:
        box.add(raw)
    box.flush()
    box.close()
    return path


def write_maildir(path: Path, messages: list[bytes]) -> Path:
    box = mailbox.Maildir(path, create=True)
    for raw in messages:
        box.add(raw)
    return path


def write_eml(path: Path, messages: list[bytes]) -> Path:
    path.mkdir()
    for i, raw in enumerate(messages):
        (path / f"{i:03}.eml").write_bytes(raw)
    return path


WRITERS = {"mbox": write_mbox, "maildir": write_maildir, "eml": write_eml}


@pytest.fixture
def search(example_ws):
    """The example, with thank-you drafts for the latest interview, and a second
    application at Northwind with its own recruiter."""
    ws = example_ws
    draft_thank_yous(ws, TODAY)
    ws.append(
        "applications",
        [
            {
                "application_id": "northwind-analytics-bi-engineer",
                "company": "Northwind Analytics",
                "role": "BI Engineer",
                "stage": "applied",
                "applied_on": "2026-11-16",
                "stage_changed_on": "2026-11-16",
            }
        ],
    )
    ws.append(
        "contacts",
        [
            {
                "contact_id": "sam-lee",
                "application_id": "northwind-analytics-bi-engineer",
                "name": "Sam Lee",
                "email": "sam.lee@northwind.example",
                "relationship": "recruiter",
            }
        ],
    )
    return ws


def ground_truth(ws):
    """The mail of one week, and what it must do."""
    drafts = ws.load("messages")
    drafts = drafts[drafts["status"] == "draft"]
    contacts = ws.load("contacts").set_index("contact_id")
    sent = []
    for row in drafts.itertuples(index=False):
        email = contacts.loc[row.contact_id, "email"] or "jose.martinez@northwind.example"
        subject = row.subject if len(sent) % 2 else f"Re: {row.subject}"
        sent.append(message(f"Jordan Rivera <{ME}>", email, subject, "Thank you!", 25))
    replies = {
        "northwind-analytics-data-analyst": (
            message(
                "Maya Chen <maya.chen@northwind.example>",
                ME,
                "Next steps",
                "Hi Jordan,\nWe would like to invite you to a final round. "
                "Could you send your availability?\n\n> On Tue you wrote:\n> not moving forward",
                25,
            ),
            "invitation",
        ),
        "bluebird-health-analytics-engineer": (
            message(
                "aisha.rahman@bluebird.example",
                ME,
                "Your application",
                "Thank you for your time. We have decided to move forward with other "
                "candidates for this role.",
                24,
            ),
            "rejection",
        ),
        "lumen-energy-data-scientist": (
            message(
                "Olivia Grant <olivia.grant@lumen-energy.example>",
                ME,
                "Good news",
                "<p>Dear Jordan,</p><p>We are <b>pleased to offer</b> you the position.</p>",
                25,
                html=True,
            ),
            "offer",
        ),
        "northwind-analytics-bi-engineer": (
            message(
                "Sam Lee <sam.lee@northwind.example>",
                ME,
                "Quick question",
                "Are you still interested? Let me know.",
                24,
            ),
            "other",
        ),
    }
    domain_reply = message(
        "careers@northwind.example",
        ME,
        "Your BI Engineer application",
        "We received it and will be in touch.",
        23,
    )
    unrelated = [
        message(
            "news@northwind.example",
            ME,
            "Northwind monthly: we are pleased to offer new dashboards",
            "Read more",
            headers={"List-Unsubscribe": "<mailto:unsub@northwind.example>"},
        ),
        message(
            "jobs-noreply@bluebird.example",
            ME,
            "New jobs matching your search",
            "We regret to inform you that these jobs will not last.",
        ),
        message("friend@gmail.com", ME, "Dinner?", "We would like to invite you to dinner."),
        message(f"Jordan Rivera <{ME}>", "maya.chen@northwind.example", "Lunch?", "Hi Maya"),
    ]
    ambiguous = message(
        "talent@northwind.example", ME, "Thanks for applying", "We will be in touch.", 24
    )
    return sent, replies, domain_reply, unrelated, ambiguous, drafts


@pytest.mark.parametrize("kind", sorted(WRITERS))
def test_every_sent_draft_and_every_reply_matched_and_nothing_else(search, tmp_path, kind):
    ws = search
    sent, replies, domain_reply, unrelated, ambiguous, drafts = ground_truth(ws)
    everything = [*sent, *(r for r, _ in replies.values()), domain_reply, *unrelated, ambiguous]
    box = WRITERS[kind](tmp_path / f"box.{kind}", everything)
    before = tree_digest(ws.root)
    seen = []
    plan = preview(ws, str(box), progress=lambda c: seen.append(c.read), every=0)
    assert tree_digest(ws.root) == before, "a preview changes nothing"
    assert seen and seen[-1] == len(everything)
    assert plan.counts.read == len(everything) and plan.skipped[:0] == []

    closed = {c.message_id for c in plan.changes if c.kind == "draft sent"}
    assert closed == set(drafts["message_id"]), "every sent draft matched"
    recorded = {c.application_id: c.what for c in plan.changes if c.kind == "reply recorded"}
    for app, (_, kind_) in replies.items():
        assert recorded[app].startswith(kind_), (app, recorded[app])
    assert recorded["northwind-analytics-bi-engineer"].startswith("other")
    assert len(recorded) == len(replies)
    assert [(a.sender, set(a.candidates)) for a in plan.ambiguous] == [
        (
            "talent@northwind.example",
            {"northwind-analytics-data-analyst", "northwind-analytics-bi-engineer"},
        )
    ]
    stages = {c.application_id: c.stage for c in plan.changes if c.kind == "stage"}
    assert stages == {
        "bluebird-health-analytics-engineer": "rejected",
        "lumen-energy-data-scientist": "offer",
    }
    assert "not a reply" in " ".join(r for _, r in plan.skipped)

    applied = apply(ws, plan)
    assert applied == plan.proposed
    msgs = ws.load("messages").set_index("message_id")
    assert (msgs.loc[sorted(closed), "status"] == "sent").all()
    assert (msgs.loc[sorted(closed), "sent_on"] == "2026-11-25").all()
    apps = ws.load("applications").set_index("application_id")
    assert apps.loc["bluebird-health-analytics-engineer", "stage"] == "rejected"
    assert apps.loc["lumen-energy-data-scientist", "stage"] == "offer"
    assert apps.loc["northwind-analytics-data-analyst", "stage"] == "interviewing"
    assert apps.loc["northwind-analytics-bi-engineer", "stage"] == "applied"
    mail = ws.load("mail")
    assert len(mail) == len(closed) + len(replies) + 1  # the BI Engineer one by its role
    assert set(mail["direction"]) == {"sent", "received"}
    assert not mail["subject"].str.contains("Hi Maya|Thank you!").any()  # no bodies kept

    # Importing the same mailbox again changes nothing.
    after = tree_digest(ws.root)
    again = preview(ws, str(box))
    assert again.proposed == 0 and again.already == plan.proposed - len(stages)
    assert apply(ws, again) == 0
    assert tree_digest(ws.root) == after


def test_several_mailboxes_separated_by_colons_and_the_same_message_twice(search, tmp_path):
    sent, replies, *_ = ground_truth(search)
    first = write_mbox(tmp_path / "a.mbox", sent)
    second = write_eml(tmp_path / "eml", [*sent[:1], *(r for r, _ in replies.values())])
    plan = preview(search, f"{first}:{second}:{tmp_path / 'missing'}")
    assert plan.counts.read == len(sent) * 1 + 1 + len(replies)
    assert len([c for c in plan.changes if c.kind == "draft sent"]) == len(sent)
    assert any("missing" in p and "no such file" in p for p in plan.problems)
    assert "no such file" in plan.summary()


def test_a_reply_restarts_the_follow_up_clock_and_an_invitation_asks_to_record_it(search, tmp_path):
    ws = search
    profile = load_profile(ws)
    day = dt.date(2026, 11, 18)
    cobalt = "cobalt-logistics-senior-data-analyst"
    assert follow_up_state(cobalt, ws.load_all(), profile, day).state == "cap_reached"
    reply = message("tom.reyes@cobalt.example", ME, "Re: Checking in", "Still deciding, sorry.", 19)
    apply(ws, preview(ws, str(write_eml(tmp_path / "a", [reply]))))
    state = follow_up_state(cobalt, ws.load_all(), profile, dt.date(2026, 11, 20))
    assert state.state == "not_yet" and state.sent_count == 0
    assert "after their message on Thu 19 Nov" in state.reason
    assert "answered, not followed up" in state.reason
    assert state.earliest == dt.date(2026, 11, 27)  # Thanksgiving skipped

    invite = message(
        "aisha.rahman@bluebird.example",
        ME,
        "Interview invitation",
        "We'd like to invite you to an onsite.",
        24,
    )
    apply(ws, preview(ws, str(write_eml(tmp_path / "b", [invite]))))
    bluebird = "bluebird-health-analytics-engineer"
    state = follow_up_state(bluebird, ws.load_all(), profile, TODAY)
    assert state.state == "interview_upcoming" and state.earliest is None
    assert "record the upcoming interview" in state.reason
    steps = search_standing(ws.load_all(), profile, TODAY).steps.set_index("application_id")
    assert steps.loc[bluebird, "next_step"] == "record"


@pytest.mark.parametrize(
    ("subject", "body", "expected"),
    [
        ("Update", "We regret to inform you that the position has been filled.", "rejection"),
        ("Offer", "Unfortunately we are unable to offer you the role.", "rejection"),
        ("Your offer letter", "Attached.", "offer"),
        ("Hello", "We'd love to extend you an offer!", "offer"),
        ("Next round", "Please share your availability.", "invitation"),
        ("Chat", "Could we schedule a call next week?", "invitation"),
        ("Re: thanks", "Thanks for the note!\n> we would like to invite you to", "other"),
        ("Re: thanks", "Great.\nOn Mon, Ana wrote:\nwe regret to inform you", "other"),
    ],
)
def test_classification_rules_say_why(subject, body, expected):
    kind, reason = classify(subject, body)
    assert kind == expected
    assert (reason.startswith('"') and " in the " in reason) or expected == "other"


# -- hostile mail ------------------------------------------------------------------


def hostile_messages() -> list[tuple[bytes, str]]:
    """(message, what must happen): ``reply:<kind>``, ``skip:<reason part>`` or ``none``."""
    out = []
    # ISO-2022-JP subject and body, from a contact.
    msg = EmailMessage()
    msg["From"] = "olivia.grant@lumen-energy.example"
    msg["To"] = ME
    msg["Subject"] = "面接のご案内"
    msg["Date"] = when(24)
    msg.set_content(
        "面接のご案内です。We would like to invite you to an interview.", charset="iso-2022-jp"
    )
    out.append((msg.as_bytes(), "reply:invitation"))
    # windows-1252 body with curly quotes, no Message-ID.
    body = "We\x92re pleased to offer you the role \x96 congratulations!".encode("latin-1")
    raw = (
        b"From: Marcus Bell <marcus.bell@bluebird.example>\nTo: " + ME.encode() + b"\n"
        b"Subject: =?windows-1252?q?Your_=93offer=94?=\nDate: " + when(24).encode() + b"\n"
        b"MIME-Version: 1.0\nContent-Type: text/plain; charset=windows-1252\n"
        b"Content-Transfer-Encoding: 8bit\n\n" + body + b"\n"
    )
    out.append((raw, "reply:offer"))
    # No Date at all (and no Received): the mbox line's date stands in; else skipped.
    raw = (
        b"From: tom.reyes@cobalt.example\nTo: " + ME.encode() + b"\nSubject: Update\n"
        b"Message-ID: <nodate@cobalt.example>\n\nWe regret to inform you.\n"
    )
    out.append((raw, "reply:rejection|skip:no date"))
    # Malformed headers: no usable sender.
    out.append((b"From: <<<@@@>>>\nTo: ,,,\nSubject: \xff\xfe\nDate: nonsense\n\nhi\n", "skip"))
    # Raw 8-bit header bytes, HTML only, with a script.
    raw = (
        b"From: grace.liu@cobalt.example\nTo: " + ME.encode() + b"\nSubject: Caf\xe9 chat\n"
        b"Date: " + when(24).encode() + b"\nContent-Type: text/html; charset=utf-8\n\n"
        b"<html><script>var x='regret to inform';</script><body>"
        b"<p>Could we <i>schedule a call</i>?</p></body></html>\n"
    )
    out.append((raw, "reply:invitation"))
    # A huge attachment after the text: read in part, the rest skipped unread.
    msg = EmailMessage()
    msg["From"] = "ethan.brooks@kestrel.example"
    msg["To"] = ME
    msg["Subject"] = "Files"
    msg["Date"] = when(24)
    msg.set_content("Here are the files you asked for.")
    msg.add_attachment(b"\0" * 3_000_000, maintype="application", subtype="octet-stream")
    out.append((msg.as_bytes(), "reply:other"))
    # A MIME nesting bomb.
    depth = 400
    parts = [
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)
    ]
    raw = (
        b"From: lina.petrova@kestrel.example\nTo: " + ME.encode() + b"\nSubject: bomb\n"
        b"Date: " + when(24).encode() + b"\nMIME-Version: 1.0\n" + b"".join(parts) + b"\nx\n"
    )
    out.append((raw, "skip:nesting"))
    # 'From ' lines inside a body (unescaped), from a contact: one message, not three.
    raw = (
        b"From: chris.donovan@pinecrest.example\nTo: " + ME.encode() + b"\nSubject: Hello\n"
        b"Date: " + when(24).encode() + b"\n\nHi Jordan,\n\nFrom the team at Pinecrest, thanks.\n"
        b"\nFrom here on we would like to meet again in the next round.\n"
    )
    out.append((raw, "reply:invitation"))
    return out


def write_raw_mbox(path: Path, messages: list[bytes]) -> Path:
    """An mbox written as some programs do: ``From `` lines in bodies left unescaped."""
    with path.open("wb") as f:
        for raw in messages:
            f.write(b"From MAILER-DAEMON Tue Nov 24 09:00:00 2026\n" + raw.rstrip(b"\n") + b"\n\n")
    return path


@pytest.mark.parametrize("kind", ["raw-mbox", "maildir", "eml"])
def test_hostile_mail_is_reported_and_skipped_one_by_one(example_ws, tmp_path, kind):
    cases = hostile_messages()
    messages = [raw for raw, _ in cases]
    writer = {"raw-mbox": write_raw_mbox, "maildir": write_maildir, "eml": write_eml}[kind]
    box = writer(tmp_path / "hostile", messages)
    plan = preview(example_ws, str(box))
    assert plan.counts.read == len(cases), plan.skipped
    replies = {c.evidence.split(":")[0]: c.what for c in plan.changes if c.kind == "reply recorded"}
    skipped = dict(plan.skipped)
    read = [r for s in sources(str(box)) for r in mail_import.read_source(s)]
    # A Maildir lists its messages in no particular order: each is found by its bytes.
    expect = {
        r.where: next(e for raw, e in cases if raw.replace(b"\r\n", b"\n")[:150] == r.data[:150])
        for r in read
    }
    assert len(expect) == len(cases)
    for where, expected in expect.items():
        options = expected.split("|")
        outcome = (
            f"reply:{replies[where].split()[0]}"
            if where in replies
            else f"skip:{skipped[where]}"
            if where in skipped
            else "none"
        )
        assert any(
            outcome.startswith(o) or (o.startswith("skip:") and o[5:] in outcome) for o in options
        ), (where, expected, outcome)
    assert plan.partial == 0 or plan.partial == 1
    apply(example_ws, plan)
    assert example_ws.check() == []
    mail = example_ws.load("mail")
    assert mail["subject"].str.contains("面接").any()
    assert mail["subject"].str.contains("Café").any()


@pytest.mark.parametrize("chunk", [7, 8, 9, 13, 97, 1000])
def test_an_mbox_read_in_small_blocks_and_a_huge_message_read_only_in_part(
    tmp_path, monkeypatch, chunk
):
    messages = [
        message(f"a{i}@x.example", ME, f"n{i}", "From you\n\nFrom here\n" * 50) for i in range(40)
    ]
    box = write_mbox(tmp_path / "m.mbox", messages)
    monkeypatch.setattr(mail_read, "CHUNK", chunk)
    found = list(read_mbox(box))
    assert len(found) == 40
    assert [f.data.split(b"Subject: ")[1].split(b"\n")[0] for f in found] == [
        b"n%d" % i for i in range(40)
    ]
    big = write_mbox(tmp_path / "big.mbox", [message("a@x.example", ME, "big", "x" * 2_000_000)])
    (one,) = list(read_mbox(big, limit=1000))
    assert len(one.data) == 1000 and one.size > 2_000_000


def test_not_an_mbox_is_a_problem_not_a_crash(example_ws, tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    plan = preview(example_ws, str(path))
    assert plan.counts.read == 0 and "not an mbox" in plan.problems[0]


def test_without_an_email_in_the_profile_sent_mail_is_not_recognised(example_ws, tmp_path):
    (example_ws.root / "profile.yml").write_text("name: Jordan\n", encoding="utf-8")
    box = write_eml(tmp_path / "e", [message(ME, "maya.chen@northwind.example", "Hi", "x")])
    plan = preview(example_ws, str(box))
    assert plan.proposed == 0 and "no email address" in plan.notes[0]


def test_mail_sent_from_another_of_your_addresses_closes_its_draft(search, tmp_path):
    """The profile's other_emails count as yours (an alias, a work address); an address
    that is not listed does not."""
    drafts = search.load("messages")
    draft = drafts[drafts["status"] == "draft"].iloc[0]
    to = search.load("contacts").set_index("contact_id").loc[draft.contact_id, "email"]
    alias = "j.rivera@work.example"
    box = write_eml(tmp_path / "e", [message(f"Jordan <{alias}>", to, draft.subject, "Thanks")])
    assert preview(search, str(box)).proposed == 0  # not yet known as yours
    profile = search.root / "profile.yml"
    profile.write_text(
        profile.read_text("utf-8") + f"other_emails:\n  - {alias.upper()}\n", "utf-8"
    )
    assert load_profile(search).other_emails == [alias.upper()]
    plan = preview(search, str(box))
    assert [c.kind for c in plan.changes] == ["draft sent"], plan.changes
    apply(search, plan)
    after = search.load("messages").set_index("message_id")
    assert after.loc[draft.message_id, "status"] == "sent"


# -- the notebook ------------------------------------------------------------------


@pytest.mark.slow
def test_papermill_previews_then_applies_once(example_ws, tmp_path, today):
    from helpers.batch import NOTEBOOKS_DIR
    from tests.test_notebooks import errors, execute

    nb = NOTEBOOKS_DIR / "06_mailbox.ipynb"
    ws = example_ws.root
    before = tree_digest(ws)
    out = execute(nb, tmp_path / "a.ipynb", data_dir=str(ws), today=today)
    assert errors(out) == []
    assert tree_digest(ws) == before, "a preview changes nothing"
    text = str(out.cells)
    assert "5</strong> changes proposed" in text and "Preview only" in text

    out = execute(
        nb,
        tmp_path / "b.ipynb",
        data_dir=str(ws),
        today=today,
        mailbox=str(ws / "mail"),
        apply=True,
    )
    assert errors(out) == []
    assert "Applied 5 change(s)" in str(out.cells)
    apps = example_ws.load("applications").set_index("application_id")
    assert apps.loc["pinecrest-software-business-analyst", "stage"] == "rejected"
    assert apps.loc["lumen-energy-data-scientist", "stage"] == "interviewing"
    assert len(example_ws.load("mail")) == 3
    after = tree_digest(ws)
    out = execute(nb, tmp_path / "c.ipynb", data_dir=str(ws), today=today, apply=True)
    assert errors(out) == []
    assert tree_digest(ws) == after, "importing the same mailbox again changes nothing"

    empty = tmp_path / "new-user"
    empty.mkdir()
    out = execute(nb, tmp_path / "d.ipynb", data_dir=str(empty), today=today, apply=True)
    assert errors(out) == [] and "No mailbox to read yet" in str(out.cells)


def test_the_form_previews_picks_the_application_of_an_ambiguous_reply_and_applies(
    search, tmp_path
):
    from helpers.mail_forms import MailboxForm
    from tests.test_forms import click, fill

    ws = search
    *_, ambiguous, _ = ground_truth(ws)
    box = write_eml(tmp_path / "box", [ambiguous])
    form = MailboxForm(ws)
    click(form, "Apply")
    assert "give the path" in form._errors["mailbox"].value
    fill(form, mailbox=str(tmp_path / "no-such.mbox"))
    click(form, "Preview")  # nothing there to read: the reason, under the field
    assert "no-such.mbox: no such file or folder" in form._errors["mailbox"].value
    fill(form, mailbox=str(box))
    before = tree_digest(ws.root)
    click(form, "Preview")
    assert "Nothing is changed until you press Apply" in form.status.value
    from helpers.live import combine

    assert "Ambiguous" in combine(form.view())
    assert tree_digest(ws.root) == before
    fill(form, message="000.eml", application="northwind-analytics-bi-engineer")
    click(form, "Pick")
    assert "will be recorded for northwind-analytics-bi-engineer" in form.status.value
    click(form, "Apply")
    assert "Applied 1 change in one save" in form.status.value
    mail = ws.load("mail")
    assert mail[["application_id", "classification"]].values.tolist() == [
        ["northwind-analytics-bi-engineer", "other"]
    ]


def test_apple_mail_and_thunderbird_folders_are_found(search, tmp_path):
    sent, *_ = ground_truth(search)
    apple = tmp_path / "Sent.mbox"
    apple.mkdir()
    write_mbox(apple / "mbox", sent)
    (apple / "table_of_contents").write_bytes(b"\x00\x01binary")
    found = sources(str(apple))
    assert [(s.path.name, s.kind) for s in found] == [("mbox", "mbox")]
    plan = preview(search, str(apple))
    assert len([c for c in plan.changes if c.kind == "draft sent"]) == len(sent)


def test_with_no_interview_yet_their_reply_restarts_the_check_in_clock(example_ws):
    ws = example_ws
    profile = load_profile(ws)
    tessera = "tessera-retail-data-analyst"  # applied 19 Nov, no interview
    before = follow_up_state(tessera, ws.load_all(), profile, TODAY)
    assert before.kind == "check_in" and before.earliest == dt.date(2026, 12, 1)
    ws.append(
        "mail",
        [
            {
                "mail_id": "mail-000000000000000000000001",
                "date": "2026-11-24",
                "direction": "received",
                "from_address": "hr@tessera.example",
                "application_id": tessera,
                "classification": "other",
                "reason": "no phrase of an invitation, a rejection or an offer",
            }
        ],
    )
    tables = ws.load_all()
    after = follow_up_state(tessera, tables, profile, TODAY)
    assert after.earliest == dt.date(2026, 12, 2) and "their message on Tue 24 Nov" in after.reason
    steps = search_standing(tables, profile, TODAY).steps.set_index("application_id")
    assert steps.loc[tessera, "next_step"] == "wait"


def test_the_counting_bar_shows_counts_for_a_large_mailbox_only():
    from helpers.display import CountingBar
    from helpers.mail_import import Counts

    placed = []
    bar = CountingBar("Reading mail", place=placed.append)
    bar(Counts(read=5, bytes_total=1000))
    assert placed == []
    bar(Counts(read=150, matched=3, bytes_done=500, bytes_total=1000))
    bar(Counts(read=300, matched=4, proposed=2, bytes_done=1000, bytes_total=1000, finished=True))
    (box,) = placed
    assert repr(box) == "Reading mail: 300 read · 4 matched · 2 proposed · 0 skipped"
    assert bar.bar.value == bar.bar.max and bar.bar.bar_style == "success"


def test_a_shared_bundle_keeps_no_address_of_the_mail_recorded(example_ws):
    import zipfile

    from helpers.share import write_bundle

    ws = example_ws
    apply(ws, preview(ws, str(ws.root / "mail")))
    assert ws.load("mail")["from_address"].str.contains("@").any()
    bundle = ws.root / write_bundle(ws, TODAY)
    with zipfile.ZipFile(bundle) as zf:
        names = zf.namelist()
        mail = zf.read("data/mail.csv").decode("utf-8")
    assert "@" not in mail and "pinecrest-software-business-analyst" in mail
    assert not any(n.startswith("data/mail/") for n in names), "the mailbox is never shared"


def test_mangled_mail_never_stops_an_import(example_ws, tmp_path):
    import random

    rng = random.Random(19)
    seeds = [raw for raw, _ in hostile_messages()] + [
        r for r, _ in ground_truth(example_ws)[1].values()
    ]
    messages = []
    for i in range(150):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 12)):
            if not data:
                break
            at = rng.randrange(len(data))
            action = rng.random()
            if action < 0.4:
                data[at] = rng.randrange(256)
            elif action < 0.7:
                del data[at : at + rng.randint(1, 40)]
            else:
                data[at:at] = rng.choice(
                    [
                        b"\n",
                        b"\nFrom x Tue Nov 24 09:00:00 2026\n",
                        b"=?utf-8?b?",
                        b"boundary=",
                        b"\r",
                    ]
                )
        messages.append(bytes(data) if i % 3 else bytes(data).replace(b"Boundary", b"BoUnDaRy"))
    for kind, writer in (("raw-mbox", write_raw_mbox), ("eml", write_eml)):
        plan = preview(example_ws, str(writer(tmp_path / kind, messages)))
        assert plan.counts.read >= len(messages) - 5 and not plan.problems
        apply(example_ws, plan)
    assert example_ws.check() == []


def test_a_gmail_style_mbox_with_crlf_lines_and_zoned_from_lines(tmp_path):
    path = tmp_path / "All mail.mbox"
    path.write_bytes(
        b"\r\n".join(
            f"From 178394857394850{i}@xxx Sat Nov 21 09:14:03 +0000 2026\r\n"
            f"X-GM-THRID: 1\r\nFrom: a{i}@x.example\r\nTo: {ME}\r\nSubject: s{i}\r\n"
            "Date: Sat, 21 Nov 2026 09:14:03 +0000\r\n\r\n"
            "Hi\r\n\r\nFrom the desk of Ana\r\n".encode()
            for i in range(3)
        )
    )
    found = [mail_import.parse(raw) for raw in read_mbox(path)]
    assert [(m.sender, m.subject) for m in found] == [
        (f"a{i}@x.example", f"s{i}") for i in range(3)
    ]
    assert all(raw.data.endswith(b"From the desk of Ana\r\n") for raw in read_mbox(path))
