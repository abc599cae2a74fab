"""The pay research of one application: similar positions per year, statistics, advice.

Made of the application's own records
(:class:`helpers.research_records.ApplicationRecords`) with the arithmetic of
:mod:`helpers.pay`; shown by 02_research and written into the research note.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers import pay
from helpers.research_records import ApplicationRecords, target_of


@dataclass(frozen=True)
class PayView:
    """The pay research of one application, ready to show or write.

    ``rows`` are the usable comparables on a yearly basis (see
    :func:`helpers.pay.yearly_records`), by currency and then by their middle;
    ``left_out`` the others, each saying why.
    """

    currency: str
    rows: list[dict]
    stats: list[pay.Stats]
    advice: pay.Advice | None
    posted: tuple[float | None, float | None]
    target: pay.Money | None
    left_out: list[dict]
    problems: list[str]

    @property
    def comparables(self) -> pd.DataFrame:
        """:attr:`rows` as a table."""
        return pd.DataFrame(self.rows, columns=pay.YEARLY_COLUMNS)


def pay_view(tables: dict[str, pd.DataFrame], application_id: str) -> PayView:
    """Similar positions for an application, their statistics and the advice."""
    return pay_view_of(ApplicationRecords.of(tables, application_id))


def pay_view_of(own: ApplicationRecords) -> PayView:
    """:func:`pay_view` of an application's own records."""
    app = own.app
    rows = pay.yearly_records(own.comps)
    stats = pay.statistics(rows)
    posted = (pay._number(app["salary_min"]), pay._number(app["salary_max"]))
    money, problem = target_of(own.research)
    currency = app["currency"].strip()
    if not currency:
        currency = money.currency if money else (stats[0].currency if len(stats) == 1 else "")
    problems = []
    if not app["currency"].strip() and any(x is not None for x in posted):
        problems.append(
            "applications.csv gives this application a salary range without a currency: "
            "it is not compared."
        )
        posted = (None, None)
    if problem:
        problems.append(problem)
    advice = None
    if currency and (stats or money):
        advice = pay.advise(stats, currency, posted, money)
    used = sorted((r for r in rows if not r["left_out"]), key=lambda r: (r["currency"], r["mid"]))
    left_out = [r for r in rows if r["left_out"]]
    return PayView(currency, used, stats, advice, posted, money, left_out, problems)


COMPARABLE_COLUMNS = [
    "company",
    "title",
    "location",
    "as posted",
    "per year",
    "currency",
    "source",
    "seen",
]


def comparables_table(rows: pd.DataFrame | list[dict]) -> pd.DataFrame:
    """Similar positions as a person reads them: as posted, and per year."""
    records = rows.to_dict("records") if isinstance(rows, pd.DataFrame) else rows
    return pd.DataFrame(comparable_records(records), columns=COMPARABLE_COLUMNS)


def comparable_records(rows: list[dict]) -> list[dict]:
    """:func:`comparables_table` as records (what the research note lists)."""
    return [
        {
            "company": r["company"],
            "title": r["title"],
            "location": r["location"],
            "as posted": r["posted"],
            "per year": (
                f"{pay.money(r['low'])}–{pay.money(r['high'])}"
                if r["low"] != r["high"]
                else pay.money(r["low"])
            ),
            "currency": r["currency"],
            "source": r["source"],
            "seen": r["seen_on"],
        }
        for r in rows
    ]
