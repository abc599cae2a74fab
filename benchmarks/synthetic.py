"""Synthetic workspaces: realistic, valid job searches of any size, reproducible from a seed.

``python -m benchmarks.synthetic --size 10000 --seed 1 --out /tmp/ws`` writes a
workspace of 10 000 applications spread over the two years before the example's
"today" (2026-11-25): most were applied to and never heard from again, about 30 %
reached a screening and half of those interviews, with about three contacts, two
interviews, four messages (thank-yous, follow-ups), research rows and comparables per
interviewing application, and every stage change in ``stage_history.csv``. The search
is still on (no offer signed; some declined). Recent interviews have no thank-you yet
and some follow-ups are due, so a notebook's daily run has real work to do, in
proportion to the size.

The same size and seed give the same bytes: the tables are written with the store's
own writer (:func:`helpers.csvio.to_csv_bytes`, so the files are canonical, formula
neutralising included) and the profile with :func:`helpers.profile.save_profile`.
Every generated workspace passes ``Workspace(out).check() == []`` (checked unless
``--no-check``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from helpers import csvio
from helpers.businessdays import calendar_for
from helpers.profile import Profile, Rules, save_profile
from helpers.schema import TABLES
from helpers.store import Workspace

GENERATOR_VERSION = 3
"""Bump when the output changes, so cached workspaces (benchmarks/.cache) are rebuilt."""

TODAY = dt.date(2026, 11, 25)
"""The example's fixed today (``data/example/TODAY``): dates are spread before it."""

HISTORY_DAYS = 730
"""Applications are spread evenly over this many days before today."""

# (display name, slug) pairs: names in any script, identifiers ASCII slugs.
COMPANY_FIRST = [
    ("Northwind", "northwind"),
    ("Bluebird", "bluebird"),
    ("Cobalt", "cobalt"),
    ("Harbor", "harbor"),
    ("Lumen", "lumen"),
    ("Tessera", "tessera"),
    ("Quarry", "quarry"),
    ("Fernwood", "fernwood"),
    ("Driftwood", "driftwood"),
    ("Kestrel", "kestrel"),
    ("Pinecrest", "pinecrest"),
    ("Ironleaf", "ironleaf"),
    ("Juniper", "juniper"),
    ("Meridian", "meridian"),
    ("Canopy", "canopy"),
    ("Railyard", "railyard"),
    ("Stonebridge", "stonebridge"),
    ("Fleetwise", "fleetwise"),
    ("Lakeshore", "lakeshore"),
    ("Prairie State", "prairie-state"),
    ("Cedar", "cedar"),
    ("Quill", "quill"),
    ("Maplewood", "maplewood"),
    ("Granite", "granite"),
    ("Summit", "summit"),
    ("Willow", "willow"),
    ("Aurora", "aurora"),
    ("Beacon", "beacon"),
    ("Copper", "copper"),
    ("Falcon", "falcon"),
    ("Orchard", "orchard"),
    ("Redwood", "redwood"),
    ("Sable", "sable"),
    ("Tidewater", "tidewater"),
    ("Vantage", "vantage"),
    ("Zephyr", "zephyr"),
    ("Élan", "elan"),
    ("Mühlenberg", "muhlenberg"),
    ("Ōtsuki", "otsuki"),
    ("São Bento", "sao-bento"),
]
COMPANY_SECOND = [
    ("Analytics", "analytics"),
    ("Health", "health"),
    ("Logistics", "logistics"),
    ("Bank", "bank"),
    ("Energy", "energy"),
    ("Retail", "retail"),
    ("Labs", "labs"),
    ("Insurance", "insurance"),
    ("Foods", "foods"),
    ("Payments", "payments"),
    ("Software", "software"),
    ("Consulting", "consulting"),
    ("Civic Data", "civic-data"),
    ("Freight", "freight"),
    ("Telematics", "telematics"),
    ("Mobility", "mobility"),
    ("Credit Union", "credit-union"),
    ("Grocers", "grocers"),
    ("Media", "media"),
    ("Robotics", "robotics"),
    ("Biotech", "biotech"),
    ("Capital", "capital"),
    ("Systems", "systems"),
    ("Studios", "studios"),
]
COMPANY_SUFFIX = [
    ("", ""),
    ("", ""),
    (" Group", "-group"),
    (", Inc.", "-inc"),
    (" Co-op", "-co-op"),
]
ROLES = [
    ("Data Analyst", "data-analyst", 85_000),
    ("Senior Data Analyst", "senior-data-analyst", 100_000),
    ("Analytics Engineer", "analytics-engineer", 115_000),
    ("BI Developer", "bi-developer", 95_000),
    ("Data Scientist", "data-scientist", 125_000),
    ("Product Analyst", "product-analyst", 95_000),
    ("Reporting Analyst", "reporting-analyst", 72_000),
    ("Business Analyst", "business-analyst", 80_000),
    ("Analytics Consultant", "analytics-consultant", 95_000),
    ("Data Engineer", "data-engineer", 120_000),
    ("Machine Learning Engineer", "machine-learning-engineer", 140_000),
    ("Marketing Analyst", "marketing-analyst", 75_000),
    ("Operations Analyst", "operations-analyst", 74_000),
    ("Financial Analyst", "financial-analyst", 78_000),
]
LOCATIONS = [
    ("Chicago, IL", "USD"),
    ("Chicago, IL", "USD"),
    ("Chicago, IL (hybrid)", "USD"),
    ("Remote (US)", "USD"),
    ("Remote (US)", "USD"),
    ("Milwaukee, WI (hybrid)", "USD"),
    ("Naperville, IL", "USD"),
    ("Evanston, IL", "USD"),
    ("New York, NY", "USD"),
    ("Austin, TX", "USD"),
    ("Denver, CO", "USD"),
    ("Toronto, ON", "CAD"),
    ("Montréal, QC", "CAD"),
    ("London, UK", "GBP"),
    ("Berlin, DE", "EUR"),
    ("", "USD"),
]
SOURCES = [
    "LinkedIn",
    "LinkedIn",
    "company site",
    "company site",
    "referral",
    "recruiter",
    "Indeed",
    "Built In Chicago",
    "Glassdoor",
    "",
]
APP_NOTES = [
    "",
    "",
    "",
    "",
    "Easy Apply; no response yet.",
    "Referred by {person}, a former teammate.",
    'Posting says "SQL-first, Python a plus" and asks for dbt experience.',
    "Hybrid, {n} days in the office.\nAsk about the on-call rotation.",
    "Team of {n} under the Head of Data; sits in Product, not Finance.",
    "Range in the posting: {lo}–{hi} {cur}.",
    "+{n}% bonus target, per the recruiter.",
    "Zoë at the meetup said they use dbt, Looker and Snowflake — a good fit.",
]
FIRST = [
    ("Maya", "maya"),
    ("Priya", "priya"),
    ("Daniel", "daniel"),
    ("José", "jose"),
    ("Leah", "leah"),
    ("Marcus", "marcus"),
    ("Aisha", "aisha"),
    ("Tom", "tom"),
    ("Grace", "grace"),
    ("Nadia", "nadia"),
    ("Zoë", "zoe"),
    ("Ben", "ben"),
    ("Rachel", "rachel"),
    ("Olivia", "olivia"),
    ("Ethan", "ethan"),
    ("Lina", "lina"),
    ("Chris", "chris"),
    ("Kevin", "kevin"),
    ("Ana", "ana"),
    ("Kenji", "kenji"),
    ("Fatima", "fatima"),
    ("Lars", "lars"),
    ("Sofia", "sofia"),
    ("Wei", "wei"),
    ("Amara", "amara"),
    ("Diego", "diego"),
    ("Hannah", "hannah"),
    ("Omar", "omar"),
    ("Ingrid", "ingrid"),
    ("Ravi", "ravi"),
    ("Chloé", "chloe"),
    ("Mateo", "mateo"),
]
LAST = [
    ("Chen", "chen"),
    ("Natarajan", "natarajan"),
    ("Kowalski", "kowalski"),
    ("Martínez", "martinez"),
    ("Goldberg", "goldberg"),
    ("Bell", "bell"),
    ("Rahman", "rahman"),
    ("Reyes", "reyes"),
    ("Liu", "liu"),
    ("Haddad", "haddad"),
    ("Okafor", "okafor"),
    ("Carter", "carter"),
    ("Kim", "kim"),
    ("Grant", "grant"),
    ("Brooks", "brooks"),
    ("Petrova", "petrova"),
    ("Donovan", "donovan"),
    ("Osei", "osei"),
    ("Silva", "silva"),
    ("Watanabe", "watanabe"),
    ("Müller", "muller"),
    ("O'Brien", "obrien"),
    ("Nguyen", "nguyen"),
    ("Johansson", "johansson"),
    ("Rossi", "rossi"),
    ("Dubois", "dubois"),
    ("Patel", "patel"),
    ("Mensah", "mensah"),
    ("García", "garcia"),
    ("Novak", "novak"),
]
TITLES = {
    "recruiter": [
        "Recruiter",
        "Senior Technical Recruiter",
        "Talent Acquisition Partner",
        "Recruiting Lead",
        "Recruiter, Brightline Staffing",
    ],
    "hiring_manager": [
        "Director of Analytics",
        "Analytics Engineering Manager",
        "Manager, Supply Chain Analytics",
        "VP, Business Intelligence",
        "Head of Data",
    ],
    "interviewer": [
        "Senior Data Analyst",
        "Lead Data Analyst",
        "Data Governance Lead",
        "Product Manager, Fleet Insights",
        "Staff Data Engineer",
        "Data Scientist",
    ],
}
TALKING_POINTS = [
    "The team's move from nightly batch jobs to dbt incremental models",
    "The live SQL exercise on duplicate GPS pings and window functions",
    "How to measure the new route-suggestion feature with guardrail metrics",
    "Her plan to add dbt tests and source-freshness checks to the claims pipeline",
    "His push to move chargeback reporting from weekly to daily",
    "The carrier scorecard regional managers export to Excel every Monday",
    "Row-level security for branch managers, driven by an HR dimension table",
    "The new data catalog and how developers document lineage for the auditors",
    "The summer-peak load forecasts and weather features",
    "The churn cohort definition: first transaction versus signup date",
    "Retiring about 40 legacy reports in favour of a dozen dashboards",
    'Their "ship small, document everything" culture and the analytics guild',
    "What a great first 90 days would look like",
    "The late-arriving-data problem in the Monday report",
]
TALKING_TAILS = [
    "",
    ", and my similar project at my last job",
    ", which we sketched on the whiteboard",
    " (she asked for my notes)",
    " — and the Looker migration I led",
]
IMPRESSIONS = [
    "",
    "Friendly 30-minute screen; they asked about SQL and dashboards.",
    "Went well overall. The live exercise was smooth; I should have mentioned guardrail "
    "metrics sooner.",
    'Long day onsite. The case study was fun and we "clicked".',
    "Direct and warm; detailed Power BI questions. Strong mutual interest.",
    "Good conversation, but they kept coming back to domain experience.",
]
NEXT_STEPS = [
    "",
    "They'd schedule an onsite within a week.",
    "A take-home or a final round, within a week or so.",
    "HR will call with a decision, either way.",
    "Decision by the end of next week.",
]
RESEARCH = {
    "duty": [
        "Build and maintain dashboards for operations and customer success",
        "Write and review dbt models; own the data-quality tests",
        "Partner with product managers to define feature-launch metrics",
        "Answer ad-hoc questions from operations leads within two days",
        "Migrate legacy reports and retire the old report server",
    ],
    "team": [
        "Analytics team of {n}: analysts, analytics engineers and data scientists.",
        "Mid-migration to dbt; late-arriving data is the known pain point.",
        "Works closely with the platform team in Denver, remote-friendly.",
    ],
    "company": [
        "About {n}00 employees; raised a Series C this year and is expanding into Canada.",
        'Reviews praise mentoring; the common complaint is "month-end crunch".',
        "Regulated industry, so all work happens in a locked-down warehouse.",
    ],
    "question": [
        "How do you decide which dashboards to retire?",
        "What would a great first 90 days look like?",
        "How is the month-end reporting load shared across the team?",
        "Is the bonus target prorated in the first year?",
    ],
    "other": [
        "Glassdoor pay for this role in the area: roughly {lo}–{hi} {cur}.",
        "=A friend says the offer process takes about two weeks",
    ],
}
RESEARCH_SOURCES = ["{url}", "{url}", "Glassdoor", "LinkedIn", "the recruiter", "company 10-K", ""]
COMP_SOURCES = ["Levels.fyi", "Glassdoor", "{url}", "a friend on the team", "LinkedIn"]
COACH_NOTES = [
    "Before you say yes, ask for the offer in writing and compare it with your comps.",
    "Two follow-ups with no reply: time to let this one go and apply elsewhere.",
    "Great fit for your dbt work — lead with the migration story.",
    "Ask about the team's on-call expectations, politely.",
]
THANK_YOU_SUBJECTS = [
    "Thank you — {role} interview",
    "Thank you for your time today",
    "Thanks for the conversation about {role}",
]
FOLLOW_UP_SUBJECTS = ["Following up — {role}", "Checking in on the {role} role"]


class _Generator:
    """Builds the rows of every table for one size and seed (pure Python, no I/O)."""

    def __init__(self, size: int, seed: int):
        self.size = size
        self.rng = random.Random(f"post-interview-workbook:{seed}")
        self.cal = calendar_for("US", "IL")
        self.rows: dict[str, list[dict[str, str]]] = {name: [] for name in TABLES}
        self.taken: dict[str, dict[str, int]] = {"application_id": {}, "contact_id": {}}

    # -- helpers ---------------------------------------------------------------

    def unique(self, kind: str, base: str) -> str:
        seen = self.taken[kind]
        n = seen.get(base, 0) + 1
        seen[base] = n
        return base if n == 1 else f"{base}-{n}"

    def days(self, low: int, high: int) -> dt.timedelta:
        return dt.timedelta(days=self.rng.randint(low, high))

    def business(self, day: dt.date, n: int = 0) -> dt.date:
        return self.cal.add(day, n)

    def pick(self, options: list, weights: list[float] | None = None):
        return self.rng.choices(options, weights)[0] if weights else self.rng.choice(options)

    def salary(self, base: int, currency: str) -> tuple[str, str]:
        if self.rng.random() < 0.15:
            return "", ""
        scale = {"GBP": 0.75, "EUR": 0.85, "CAD": 1.3}.get(currency, 1.0)
        low = round(base * scale * self.rng.uniform(0.85, 1.1), -3)
        return str(int(low)), str(int(low + self.rng.randint(8, 25) * 1000))

    def fill(self, text: str, **extra: str) -> str:
        person = f"{self.pick(FIRST)[0]} {self.pick(LAST)[0]}"
        values = {"n": str(self.rng.randint(3, 12)), "person": person, **extra}
        return text.format(**values) if "{" in text else text

    def add(self, table: str, **values: str) -> None:
        self.rows[table].append(values)

    # -- the search ------------------------------------------------------------

    def generate(self) -> dict[str, pd.DataFrame]:
        ages = sorted((self.rng.randrange(HISTORY_DAYS) for _ in range(self.size)), reverse=True)
        for age in ages:  # oldest first: the order a person adds them
            self.application(TODAY - dt.timedelta(days=age))
        for _ in range(max(1, self.size // 100)):
            self.comp("", TODAY - self.days(0, HISTORY_DAYS))
        return {
            name: pd.DataFrame(
                {col: pd.Series([r.get(col, "") for r in rows], dtype="str") for col in t.columns}
            )
            for name, rows in self.rows.items()
            for t in [TABLES[name]]
        }

    def application(self, created: dt.date) -> None:
        rng = self.rng
        first, second = self.pick(COMPANY_FIRST), self.pick(COMPANY_SECOND)
        suffix = self.pick(COMPANY_SUFFIX)
        company = f"{first[0]} {second[0]}{suffix[0]}"
        company_slug = f"{first[1]}-{second[1]}{suffix[1]}"
        role, role_slug, base = self.pick(ROLES)
        app_id = self.unique("application_id", f"{company_slug}-{role_slug}")
        location, currency = self.pick(LOCATIONS)
        url = f"https://jobs.{company_slug}.example/openings/{role_slug}-{rng.randint(100, 9999)}"
        lo, hi = self.salary(base, currency)
        history: list[tuple[str, dt.date]] = []
        app = {
            "application_id": app_id,
            "company": company,
            "role": role,
            "location": location,
            "job_url": url if rng.random() < 0.9 else "",
            "source": self.pick(SOURCES),
            "salary_min": lo,
            "salary_max": hi,
            "currency": currency if lo or rng.random() < 0.3 else "",
            "notes": self.fill(
                self.pick(APP_NOTES), lo=lo or "80000", hi=hi or "95000", cur=currency
            ),
        }
        interviews: list[dt.date] = []
        if rng.random() < 0.04:
            history.append(("saved", created))
        else:
            if rng.random() < 0.2:
                history.append(("saved", created - self.days(1, 5)))
            app["applied_on"] = created.isoformat()
            history.append(("applied", created))
            interviews = self.progress(created, history)
        stage, on = history[-1]
        app["stage"], app["stage_changed_on"] = stage, on.isoformat()
        decided = ("interviewing", "offer", "rejected", "withdrawn")
        if interviews and stage in decided and rng.random() < 0.65:
            app["decision_expected_on"] = (interviews[-1] + self.days(5, 14)).isoformat()
        self.add("applications", **app)
        for stage_name, day in history:
            self.add(
                "stage_history", application_id=app_id, stage=stage_name, changed_on=day.isoformat()
            )
        if stage == "rejected" and len(self.rows["applications"]) % 3 == 0:
            # Their rejection, as the mailbox import records it (no random draw, so the
            # rest of the workspace is what it was before mail was recorded).
            self.add(
                "mail",
                mail_id=f"mail-{len(self.rows['mail']):024x}",
                date=on.isoformat(),
                direction="received",
                from_address=f"careers@{company_slug}.example",
                to_addresses="jordan.rivera@example.com",
                subject=f"Your application for {role}",
                application_id=app_id,
                classification="rejection",
                reason='"regret to inform" in the message',
            )
        if interviews:
            self.interviewed(app_id, company, company_slug, role, interviews, stage, url, app)
        elif rng.random() < 0.1:
            self.research(app_id, url, rng.randint(1, 2), created, app)
        if rng.random() < 0.02:
            self.add(
                "coach_notes",
                application_id=app_id,
                note=self.pick(COACH_NOTES),
                author="Dana Whitfield (coach)",
                added_on=min(TODAY, created + self.days(1, 30)).isoformat(),
            )

    def progress(self, applied: dt.date, history: list[tuple[str, dt.date]]) -> list[dt.date]:
        """The stages after applying (appended to ``history``); returns interview days."""
        rng = self.rng
        screened = applied + self.days(3, 12)
        if rng.random() >= 0.30 or screened > TODAY:
            if (TODAY - applied).days > 45:
                end = self.pick(["rejected", "ghosted", "applied"], [0.35, 0.45, 0.2])
                if end != "applied":
                    history.append((end, min(TODAY, applied + self.days(10, 40))))
            return []
        history.append(("screening", screened))
        days: list[dt.date] = []
        if rng.random() < 0.5:
            day = self.business(screened + self.days(2, 8))
            for _ in range(self.pick([1, 2, 2, 3])):
                if day > TODAY:
                    break
                days.append(day)
                day = self.business(day + self.days(4, 10))
        if not days:
            if (TODAY - screened).days > 30:
                end = self.pick(["rejected", "ghosted", "withdrawn"], [0.5, 0.4, 0.1])
                history.append((end, min(TODAY, screened + self.days(7, 30))))
            return []
        history.append(("interviewing", max(screened, days[0] - self.days(1, 4))))
        latest = days[-1]
        if (TODAY - latest).days > 28:
            # The search is still on: no offer was accepted (a signed offer ends it),
            # but some were declined.
            outcomes = ["rejected", "ghosted", "withdrawn", "declined"]
            end = self.pick(outcomes, [0.58, 0.22, 0.1, 0.1])
            when = min(TODAY, latest + self.days(5, 25))
            if end == "declined":
                history.append(("offer", when))
                when = min(TODAY, when + self.days(1, 7))
                end = "withdrawn"
            history.append((end, when))
        else:
            end = self.pick(["interviewing", "offer", "rejected"], [0.82, 0.08, 0.1])
            when = latest + self.days(3, 10)
            if end != "interviewing" and when <= TODAY:
                history.append((end, when))
        return days

    def interviewed(self, app_id, company, company_slug, role, days, stage, url, app) -> None:
        rng = self.rng
        people = []  # (contact_id, relationship)
        roles = ["hiring_manager"] + (["recruiter"] if rng.random() < 0.9 else [])
        roles += ["interviewer"] * self.pick([1, 1, 1, 2])
        for relationship in roles:
            (first, first_slug), (last, last_slug) = self.pick(FIRST), self.pick(LAST)
            contact_id = self.unique("contact_id", f"{first_slug}-{last_slug}")
            email = f"{first_slug}.{last_slug}@{company_slug}.example"
            self.add(
                "contacts",
                contact_id=contact_id,
                application_id=app_id,
                name=f"{first} {last}",
                title=self.pick(TITLES[relationship]),
                email=email if rng.random() < 0.88 else "",
                phone=f"+1 555 0{rng.randint(100, 199)}" if rng.random() < 0.3 else "",
                relationship=relationship,
                notes="Coordinates next steps; send follow-ups here."
                if relationship == "recruiter" and rng.random() < 0.3
                else "",
            )
            people.append((contact_id, relationship))
        by_role = {r: [c for c, rel in people if rel == r] for r in TITLES}
        closed = stage not in ("interviewing", "offer")
        ids = []
        for number, day in enumerate(days, start=1):
            interview_id = f"{app_id}-{day.isoformat()}"
            ids.append(interview_id)
            self.add(
                "interviews",
                interview_id=interview_id,
                application_id=app_id,
                held_on=day.isoformat(),
                round=str(number) if number < len(days) or number == 1 else "final",
                format=self.pick(["phone", "video", "onsite"], [0.3, 0.45, 0.25])
                if number > 1
                else self.pick(["phone", "video"]),
                impressions=self.pick(IMPRESSIONS),
                next_steps=self.pick(NEXT_STEPS),
            )
            if number == 1:
                met = (by_role["recruiter"] or by_role["hiring_manager"])[:1]
            else:
                met = by_role["hiring_manager"] + by_role["interviewer"]
            recent = self.business(day, 1) >= TODAY
            for contact_id in met:
                point = self.pick(TALKING_POINTS) + self.pick(TALKING_TAILS)
                self.add(
                    "interview_contacts",
                    interview_id=interview_id,
                    contact_id=contact_id,
                    talking_point=point if rng.random() < 0.97 else "",
                )
                if recent or (closed and rng.random() < 0.08):
                    continue  # not thanked yet: today's run drafts it
                sent = day if rng.random() < 0.5 else self.business(day, 1)
                self.add(
                    "messages",
                    message_id=f"thank-you-{interview_id}-{contact_id}",
                    application_id=app_id,
                    interview_id=interview_id,
                    contact_id=contact_id,
                    kind="thank_you",
                    status="sent",
                    drafted_on=sent.isoformat(),
                    sent_on=sent.isoformat(),
                    subject=self.pick(THANK_YOU_SUBJECTS).format(role=role),
                )
        to = (by_role["recruiter"] or by_role["hiring_manager"])[0]
        latest = days[-1]
        count = self.pick([0, 1, 2], [0.35, 0.4, 0.25])
        day = self.business(latest, rng.randint(5, 7))
        for _ in range(count):
            if day >= TODAY:
                break
            self.add(
                "messages",
                message_id=f"follow-up-{app_id}-{day.isoformat()}",
                application_id=app_id,
                interview_id=ids[-1],
                contact_id=to,
                kind="follow_up",
                status="sent",
                drafted_on=day.isoformat(),
                sent_on=day.isoformat(),
                subject=self.pick(FOLLOW_UP_SUBJECTS).format(role=role),
            )
            day = self.business(day, rng.randint(5, 8))
        if rng.random() < 0.1:
            day = min(TODAY, latest + self.days(1, 10))
            self.add(
                "messages",
                message_id=f"other-{app_id}-{day.isoformat()}-{to}",
                application_id=app_id,
                contact_id=to,
                kind="other",
                status="sent",
                drafted_on=day.isoformat(),
                sent_on=day.isoformat(),
                subject=f"Re: {company} — a few questions",
            )
        self.research(app_id, url, rng.randint(2, 6), days[0], app)
        for _ in range(self.pick([0, 1, 2, 3, 4])):
            self.comp(app_id, days[0] - self.days(0, 5))

    def research(self, app_id: str, url: str, n: int, around: dt.date, app) -> None:
        for _ in range(n):
            topic = self.pick(list(RESEARCH), [0.35, 0.15, 0.15, 0.3, 0.05])
            note = self.fill(
                self.pick(RESEARCH[topic]),
                lo=app["salary_min"] or "80000",
                hi=app["salary_max"] or "95000",
                cur=app["currency"] or "USD",
            )
            self.add(
                "research",
                application_id=app_id,
                topic=topic,
                note=note,
                source=self.pick(RESEARCH_SOURCES).format(url=url) if url else "",
                added_on=min(TODAY, around + self.days(-3, 3)).isoformat(),
            )

    def comp(self, app_id: str, seen: dt.date) -> None:
        (first, _), (second, slug), (role, role_slug, base) = (
            self.pick(COMPANY_FIRST),
            self.pick(COMPANY_SECOND),
            self.pick(ROLES),
        )
        location, currency = self.pick(LOCATIONS)
        period = self.pick(["year", "month", "hour"], [0.8, 0.1, 0.1])
        lo, hi = self.salary(base, currency)
        if lo and period != "year":
            divide = 12 if period == "month" else 2080
            lo, hi = str(int(lo) // divide), str(int(hi) // divide)
        url = f"https://jobs.{first.lower()}-{slug}.example/openings/{role_slug}"
        self.add(
            "comps",
            application_id=app_id,
            company=f"{first} {second}",
            title=role,
            location=location,
            salary_min=lo,
            salary_max=hi,
            currency=currency if lo else "",
            period=period if lo else "",
            source=self.pick(COMP_SOURCES).format(url=url.lower()),
            seen_on=min(TODAY, seen).isoformat(),
        )


def tables(size: int, seed: int = 1) -> dict[str, pd.DataFrame]:
    """The tables of a synthetic workspace of ``size`` applications (text, contract order)."""
    return _Generator(size, seed).generate()


PROFILE = Profile(
    name="Sam Synthetic",
    email="sam.synthetic@example.com",
    phone="+1 555 0100",
    signature="Sam Synthetic\nData Analyst · Chicago\n+1 555 0100",
    weekly_goal=8,
    country="US",
    region="IL",
    rules=Rules(),
)


def generate(
    size: int,
    seed: int,
    out: str | Path,
    check: bool = True,
    progress: Callable[[str], None] | None = None,
) -> Workspace:
    """Write a synthetic workspace of ``size`` applications into ``out``.

    Raises:
        RuntimeError: ``check`` is on and the workspace has problems (a generator bug).
    """
    say = progress or (lambda _msg: None)
    ws = Workspace(out)
    ws.root.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    made = tables(size, seed)
    say(f"generated {sum(map(len, made.values())):,} rows in {time.perf_counter() - started:.1f} s")
    for name, df in made.items():
        csvio.atomic_write(ws.file(name), csvio.to_csv_bytes(df))
    save_profile(ws, PROFILE)
    if check:
        started = time.perf_counter()
        problems = ws.check()
        if problems:
            listed = "\n".join(f"  - {p}" for p in problems[:20])
            raise RuntimeError(f"the synthetic workspace has {len(problems)} problems:\n{listed}")
        say(f"checked: no problems ({time.perf_counter() - started:.1f} s)")
    return ws


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.synthetic", description=__doc__)
    parser.add_argument("--size", type=int, required=True, help="number of applications")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", required=True, help="folder to write the workspace into")
    parser.add_argument("--no-check", action="store_true", help="skip Workspace.check()")
    args = parser.parse_args(argv)
    ws = generate(args.size, args.seed, args.out, not args.no_check, print)
    counts = ", ".join(f"{n} {name}" for name, n in ws.counts().items())
    print(f"Wrote {ws.root}: {counts}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
