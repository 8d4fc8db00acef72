"""The fiscal calendar, property-tested."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, strategies as st

from config.thai import thai_date, thai_digits
from stats.fiscal import Month, fiscal_months, fiscal_year_of, half, month_period, quarter, whole_year

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))
fiscal_years = st.integers(min_value=2545, max_value=2640)


def test_known_values():
    assert fiscal_year_of(date(2022, 10, 1)) == 2566
    assert fiscal_year_of(date(2023, 9, 30)) == 2566
    assert Month(2025, 3).label_short() == "มี.ค. 68"
    assert Month(2024, 10).label_short() == "ต.ค. 67"
    assert Month(2025, 3).label_full() == "มีนาคม 2568"
    assert Month(2025, 3).label_full("thai") == "มีนาคม ๒๕๖๘"
    assert Month.parse("2568-03") == Month(2025, 3) == Month.parse("2025-03")
    assert half(2568, 1).key == "2568-H1" and half(2568, 1).months[-1] == Month(2025, 3)
    assert quarter(2568, 2).months == (Month(2025, 1), Month(2025, 2), Month(2025, 3))
    assert month_period(Month(2025, 3)).key == "2568-03"
    assert thai_date(datetime(2026, 11, 21, 17, 30, tzinfo=timezone.utc), with_time=True) == "22 พฤศจิกายน 2569 เวลา 00.30 น."
    assert thai_digits("2568") == "๒๕๖๘"


@given(days)
def test_every_day_lies_in_the_fiscal_year_named_for_it(day):
    fy = fiscal_year_of(day)
    months = fiscal_months(fy)
    assert months[0].first_day <= day <= months[-1].last_day
    assert months[0].month == 10 and months[-1].month == 9
    assert months[-1].year + 543 == fy


@given(fiscal_years)
def test_year_is_twelve_consecutive_months_split_in_halves_and_quarters(fy):
    months = fiscal_months(fy)
    assert len(months) == 12 and all(a.next() == b for a, b in zip(months, months[1:]))
    assert half(fy, 1).months + half(fy, 2).months == months == whole_year(fy).months
    assert sum((quarter(fy, q).months for q in range(1, 5)), ()) == months
    assert half(fy, 1).months[0].month == 10 and half(fy, 1).months[-1].month == 3


@given(days)
def test_month_bounds_are_bangkok_midnights_and_contiguous(day):
    month = Month.of(day)
    start, end = month.bounds_utc()
    assert end == month.next().bounds_utc()[0]
    assert start.hour == 17 and start.tzinfo == timezone.utc  # 00:00 in Bangkok is 17:00 UTC the day before
    assert end - start == timedelta(days=(month.last_day - month.first_day).days + 1)
    assert month.previous().next() == month


@given(days)
def test_labels_round_trip_through_parse(day):
    month = Month.of(day)
    assert Month.parse(month.iso()) == month == Month.parse(month.be_iso())
    assert month.label_full().endswith(str(month.year + 543))
    assert all(c not in "0123456789" for c in month.label_full("thai"))


def test_period_labels_and_keys_round_trip():
    from stats.fiscal import period_from_key, period_from_options

    assert half(2568, 1).label == "รอบ 6 เดือน (ต.ค. 67 – มี.ค. 68) ปีงบประมาณ พ.ศ. 2568"
    assert half(2568, 2).label == "ครึ่งปีหลัง (เม.ย. 68 – ก.ย. 68) ปีงบประมาณ พ.ศ. 2568"
    assert whole_year(2568).label == "รอบ 12 เดือน ปีงบประมาณ พ.ศ. 2568"
    for period in (whole_year(2568), half(2568, 2), quarter(2568, 3), month_period(Month(2025, 10))):
        assert period_from_key(period.key) == period
    assert period_from_options(2568, month="2568-03") == month_period(Month(2025, 3))
    assert period_from_options(2568, quarter_number=2) == quarter(2568, 2)
