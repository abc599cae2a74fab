"""Pay statistics against hand-computed values: periods, currencies, one comparable."""

from __future__ import annotations

import datetime as dt
import warnings

import pandas as pd
import pytest

from helpers import WorkspaceError, charts, pay
from helpers.errors import FieldErrors
from tests.conftest import tree_digest

TODAY = dt.date(2026, 11, 25)
NORTHWIND = "northwind-analytics-data-analyst"


def comps(*rows) -> pd.DataFrame:
    """A comps table from (min, max, currency, period[, company]) tuples."""
    records = []
    for i, (lo, hi, currency, period, *company) in enumerate(rows):
        records.append(
            {
                "application_id": "",
                "company": company[0] if company else f"Company {i}",
                "title": "Data Analyst",
                "location": "",
                "salary_min": lo,
                "salary_max": hi,
                "currency": currency,
                "period": period,
                "source": "",
                "seen_on": "",
            }
        )
    return pd.DataFrame(records, dtype="str")


# Five USD positions, one EUR. Per year, by hand:
#   80000–100000/year           → 80000–100000,  middle  90000
#   40–50/hour    × 2080        → 83200–104000,  middle  93600
#   7000–8000/month × 12        → 84000–96000,   middle  90000
#   110000/year (low only)      → 110000,        middle 110000
#   60/hour (high only) × 2080  → 124800,        middle 124800
#   4000–5000 EUR/month × 12    → 48000–60000,   middle  54000
MIXED = comps(
    ("80000", "100000", "USD", "year"),
    ("40", "50", "USD", "hour"),
    ("7000", "8000", "USD", "month"),
    ("110000", "", "USD", "year"),
    ("", "60", "USD", "hour"),
    ("4000", "5000", "EUR", "month"),
)


def stats_of(df: pd.DataFrame) -> dict[str, pay.Stats]:
    return {s.currency: s for s in pay.statistics(pay.yearly(df))}


def test_periods_are_converted_to_a_year():
    rows = pay.yearly(MIXED)
    assert list(rows["low"]) == [80000, 83200, 84000, 110000, 124800, 48000]
    assert list(rows["high"]) == [100000, 104000, 96000, 110000, 124800, 60000]
    assert list(rows["mid"]) == [90000, 93600, 90000, 110000, 124800, 54000]
    assert rows["posted"][1] == "40–50 USD per hour"
    assert pay.PER_YEAR == {"year": 1, "month": 12, "hour": 2080}


def test_each_currency_has_its_own_statistics():
    found = stats_of(MIXED)
    assert set(found) == {"EUR", "USD"}
    # USD middles sorted: 90000, 90000, 93600, 110000, 124800 (n = 5, positions 0–4).
    assert found["USD"] == pay.Stats("USD", 5, 80000, 124800, 90000, 93600, 110000)
    # The EUR position never enters the USD figures, and vice versa.
    assert stats_of(MIXED[MIXED["currency"] == "USD"])["USD"] == found["USD"]


def test_a_single_comparable_gives_its_range_and_no_percentiles():
    eur = stats_of(MIXED)["EUR"]
    assert eur == pay.Stats("EUR", 1, 48000, 60000, None, None, None)
    assert not eur.enough
    assert eur.row() == {
        "currency": "EUR",
        "count": "1",
        "low": "48,000",
        "p25": "—",
        "median": "—",
        "p75": "—",
        "high": "60,000",
    }
    advice = pay.advise([eur], "EUR", (50000, 58000))
    assert not advice.suggested
    assert advice.reasons[0] == (
        "Only 1 similar position in EUR (48,000–60,000 EUR a year): too few for percentiles "
        "or a suggested range. Add more; 5 or more are needed."
    )
    assert "within the range of similar positions" in advice.reasons[1]


def test_percentiles_interpolate_on_the_example(example_ws):
    comps_ = example_ws.load("comps")
    [usd] = pay.statistics(pay.yearly(comps_[comps_["application_id"] == NORTHWIND]))
    # Middles per year: 90000 (82–98k), 97500 (90–105k), 103500 (95–112k), 84000
    # (78–90k), 114400 (48–62/hour: 99840–128960), 94800 (7500–8300/month:
    # 90000–99600), 115000 (105–125k). Sorted: 84000 90000 94800 97500 103500 114400
    # 115000. p25 at position 1.5: 90000 + 0.5 × 4800; p75 at 4.5: 103500 + 0.5 × 10900.
    assert usd == pay.Stats("USD", 7, 78000, 128960, 92400, 97500, 108950)


def test_rows_without_pay_currency_or_period_are_left_out_and_say_why():
    rows = pay.yearly(
        comps(
            ("", "", "USD", "year"),
            ("50000", "60000", "", "year"),
            ("50000", "60000", "USD", ""),
            ("50000", "60000", "USD", "year"),
        )
    )
    assert list(rows["left_out"]) == [
        "no pay given",
        "no currency",
        "no period (year, month or hour)",
        "",
    ]
    assert pay.statistics(rows) == [pay.Stats("USD", 1, 50000, 60000)]


@pytest.mark.parametrize(
    ("value", "where"),
    [
        (70000, "below every similar position"),
        (80000, "in the bottom quarter of similar positions"),
        (95000, "in the second quarter (below the median)"),
        (97500, "at the median"),
        (108950, "in the third quarter (above the median)"),
        (120000, "in the top quarter of similar positions"),
        (130000, "above every similar position"),
    ],
)
def test_position_among_the_comparables(value, where):
    stats = pay.Stats("USD", 7, 78000, 128960, 92400, 97500, 108950)
    assert pay.position(value, stats) == where


USD = pay.Stats("USD", 5, 80000, 124800, 90000, 93600, 110000)


def test_suggested_range_with_a_posted_range_below_the_median():
    advice = pay.advise([USD], "USD", (85000, 100000))
    # Floor: median 93600 beats the posted middle 92500 → 93600 → nearest 500: 93500.
    # Ask: p75 110000 beats the posted top 100000.
    assert (advice.floor, advice.ask) == (93500, 110000)
    assert advice.reasons == [
        "5 similar positions in USD: the middle half pay 90,000–110,000 USD a year, "
        "the median 93,600 USD.",
        "The posted range, 85,000–100,000 USD, has its middle (92,500 USD) in the second "
        "quarter (below the median).",
        "Floor 93,500 USD: the median of similar positions (93,600 USD), above the middle of "
        "the posted range (92,500 USD): below it you would earn less than half of people in "
        "similar roles.",
        "Ask 110,000 USD: the 75th percentile of similar positions (110,000 USD), above the "
        "top of the posted range (100,000 USD): back it with these comparables and expect a "
        "counter-offer below it.",
        "Both are rounded to the nearest 500.",
    ]


def test_suggested_range_with_a_generous_posted_range():
    advice = pay.advise([USD], "USD", (100000, 120000))
    # The posted middle 110000 beats the median; the posted top 120000 beats p75.
    assert (advice.floor, advice.ask) == (110000, 120000)
    assert "the employer already expects to pay that" in advice.reasons[2]
    assert "within their budget" in advice.reasons[3]


def test_suggested_range_without_a_posted_range():
    advice = pay.advise([USD], "USD")
    assert (advice.floor, advice.ask) == (93500, 110000)
    assert not any("posted" in r for r in advice.reasons)


@pytest.mark.parametrize(
    ("target", "where", "verdict"),
    [
        # 50/hour × 2080 = 104000 a year: between the median and p75, inside 93500–110000.
        (pay.Money(50, "USD", "hour"), "in the third quarter", "inside the range"),
        (pay.Money(90000, "USD"), "in the second quarter", "below the floor"),
        (pay.Money(130000, "USD"), "above every similar position", "above the ask"),
    ],
)
def test_the_target_is_placed_and_judged(target, where, verdict):
    advice = pay.advise([USD], "USD", (85000, 100000), target)
    [placed] = [r for r in advice.reasons if r.startswith("Your target, ")]
    assert where in placed
    assert verdict in advice.reasons[-1]


def test_an_hourly_target_is_shown_per_year_too():
    advice = pay.advise([USD], "USD", target=pay.Money(50, "USD", "hour"))
    assert "Your target, 104,000 USD a year (50 USD per hour), is" in " ".join(advice.reasons)


def test_currencies_are_never_compared():
    advice = pay.advise([USD], "CAD", (85000, 98000), pay.Money(90000, "CAD"))
    assert advice.stats is None and not advice.suggested
    assert advice.reasons == [
        "No similar positions in CAD yet (there are 5 in USD: other currencies are never "
        "compared). Add a few in CAD to see where this role stands."
    ]
    other = pay.advise([USD], "USD", target=pay.Money(90000, "EUR"))
    assert "Your target is in EUR, not USD: it is not compared here." in other.reasons


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("105000", pay.Money(105000, "USD", "year")),
        ("105,000", pay.Money(105000, "USD", "year")),
        ("105k", pay.Money(105000, "USD", "year")),
        ("$85 000", pay.Money(85000, "USD", "year")),
        ("52 USD/hour", pay.Money(52, "USD", "hour")),
        ("7.5k eur per month", pay.Money(7500, "EUR", "month")),
        ("EUR 60000", pay.Money(60000, "EUR", "year")),
        ("£45k a year", pay.Money(45000, "GBP", "year")),
        ("1.2m JPY", pay.Money(1_200_000, "JPY", "year")),
        ("105000 USD per year", pay.Money(105000, "USD", "year")),
    ],
)
def test_pay_is_read_as_people_type_it(text, expected):
    assert pay.parse_money(text, default_currency="usd") == expected


def test_money_text_reads_back():
    for m in (pay.Money(105000, "USD"), pay.Money(52.5, "CAD", "hour")):
        assert pay.parse_money(m.text()) == m
    assert pay.Money(7500, "EUR", "month").yearly == 90000
    assert pay.Money(52, "USD", "hour").yearly == 108160


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("lots", "is not an amount of pay"),
        ("", "is not an amount of pay"),
        ("105000", "say which currency"),
        ("EUR 100 USD", "names two currencies"),
    ],
)
def test_unreadable_pay_says_why(text, message):
    with pytest.raises(ValueError, match=message):
        pay.parse_money(text)


def test_rounding_is_to_the_nearest_500_halves_up():
    assert [pay.round_to(x) for x in (93249, 93250, 93600, 108950, 109250)] == [
        93000,
        93500,
        93500,
        109000,
        109500,
    ]


# -- the chart ---------------------------------------------------------------------


def test_chart_is_a_png_with_the_role_marked():
    rows = pay.yearly(MIXED)
    png = charts.pay_chart_png(
        rows, "USD", "Data Analyst", USD, (85000, 100000), 104000, suggested=(93500, 110000)
    )
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert charts.pay_chart_png(rows, "CAD", "nothing in CAD") is None


def test_chart_survives_dollars_and_any_script_without_warnings():
    rows = pay.yearly(
        comps(
            ("80000", "90000", "USD", "year", "Cash $$ Money $x^2$ Inc"),
            ("85000", "95000", "USD", "year", "数据 Analytics"),
        )
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        png = charts.pay_chart_png(rows, "USD", "$100k $$ role — 数据", posted=(90000, 90000))
    assert png[:4] == b"\x89PNG"


# -- saving a similar position -------------------------------------------------------


def test_a_similar_position_is_saved_as_plain_text(example_ws):
    values = {
        "application_id": "tessera-retail-data-analyst",
        "company": "Queen St. Analytics",
        "title": "Data Analyst",
        "location": "Toronto, ON",
        "salary_min": "80k",
        "salary_max": "$95,000",
        "currency": "cad",
        "period": "year",
        "source": "https://jobs.queen.example/da",
        "seen_on": dt.date(2026, 11, 20),
    }
    assert pay.add_comparable(example_ws, values, TODAY)
    saved = example_ws.load("comps").iloc[-1]
    assert list(saved[["salary_min", "salary_max", "currency", "seen_on"]]) == [
        "80000",
        "95000",
        "CAD",
        "2026-11-20",
    ]
    before = tree_digest(example_ws.root)
    assert not pay.add_comparable(example_ws, {**values, "seen_on": TODAY}, TODAY)
    assert tree_digest(example_ws.root) == before


def test_a_similar_position_without_a_date_was_seen_today(empty_ws):
    pay.add_comparable(
        empty_ws,
        {"title": "Analyst", "salary_min": "48.50", "currency": "USD", "period": "hour"},
        TODAY,
    )
    saved = empty_ws.load("comps").iloc[0]
    assert (saved["salary_min"], saved["seen_on"], saved["application_id"]) == (
        "48.5",
        "2026-11-25",
        "",
    )


def test_a_bad_similar_position_names_every_field_and_saves_nothing(example_ws):
    before = tree_digest(example_ws.root)
    with pytest.raises(FieldErrors) as err:
        pay.add_comparable(
            example_ws,
            {
                "title": " ",
                "salary_min": "100k",
                "salary_max": "90k",
                "currency": "dollars",
                "period": "week",
                "seen_on": "yesterday",
            },
            TODAY,
        )
    assert set(err.value.errors) == {"title", "salary_max", "currency", "period", "seen_on"}
    with pytest.raises(FieldErrors) as err:
        pay.add_comparable(example_ws, {"title": "Analyst", "currency": "USD"}, TODAY)
    assert "give the pay" in err.value.errors["salary_min"]
    with pytest.raises(FieldErrors) as err:
        pay.add_comparable(
            example_ws, {"title": "Analyst", "salary_min": "lots", "currency": "USD"}, TODAY
        )
    assert "is not an amount" in err.value.errors["salary_min"]
    with pytest.raises(WorkspaceError, match=r"not in applications\.csv"):
        pay.add_comparable(
            example_ws,
            {"application_id": "nope", "title": "A", "salary_min": "1", "currency": "USD"},
            TODAY,
        )
    assert tree_digest(example_ws.root) == before
